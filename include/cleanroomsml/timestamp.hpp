#ifndef CLEANROOMSML_TIMESTAMP_HPP
#define CLEANROOMSML_TIMESTAMP_HPP

#include <cleanroomsml/detail/config.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace cleanroomsml {

// A point in time as the service sends it. Kept at system_clock precision
// (nanoseconds with libstdc++) so std::chrono::system_clock::now() can be
// assigned directly; the representable range is therefore that of the clock
// (about 1677-09-21 .. 2262-04-11 with libstdc++).
using timestamp = std::chrono::sys_time<std::chrono::system_clock::duration>;

// Smithy timestamp formats used on the wire.
enum class timestamp_format : unsigned char {
    date_time,     // RFC 3339, e.g. "2014-04-29T18:30:38Z"
    epoch_seconds, // e.g. 1398796238 or 1398796238.123
    http_date      // IMF-fixdate, e.g. "Tue, 29 Apr 2014 18:30:38 GMT"
};

namespace detail {

// Appends the wire text of t (without quotes) to out.
//   date_time:     always UTC with 'Z'; a non-zero sub-second part is printed
//                  with 3, 6 or 9 digits, the shortest group that is exact.
//   epoch_seconds: integer seconds, plus up to 9 fractional digits with
//                  trailing zeros trimmed; negative times print as "-1.5".
//   http_date:     sub-seconds are dropped (the format cannot carry them).
CLEANROOMSML_DECL void format_timestamp(std::string& out, timestamp t, timestamp_format f);

// The parsers return false, leaving out untouched, on malformed input or on a
// value outside the range timestamp can hold. They never throw.
// Fractional digits beyond nanoseconds are truncated.

// RFC 3339 date-time: YYYY-MM-DD('T'|'t')HH:MM:SS[.frac]('Z'|'z'|(+|-)HH:MM).
// A leap second (SS == 60) is accepted and clamped to the last representable
// instant of second 59, so it never spills into the next minute or day.
CLEANROOMSML_DECL bool parse_date_time(std::string_view s, timestamp& out) noexcept;

// IMF-fixdate only ("Tue, 29 Apr 2014 18:30:38 GMT"); the day name must match
// the date. Same leap second rule as parse_date_time.
CLEANROOMSML_DECL bool parse_http_date(std::string_view s, timestamp& out) noexcept;

// A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, evaluated
// exactly in decimal (never through double). Digits below one nanosecond are
// truncated toward zero.
CLEANROOMSML_DECL bool parse_epoch_seconds(std::string_view text, timestamp& out) noexcept;

// Dispatches on f.
CLEANROOMSML_DECL bool parse_timestamp(std::string_view s, timestamp_format f, timestamp& out) noexcept;

} // namespace detail
} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/timestamp.ipp>
#endif

#endif
