#include <cleanroomsml/timestamp.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace {

using cleanroomsml::timestamp;
using cleanroomsml::timestamp_format;
namespace detail = cleanroomsml::detail;
using namespace std::chrono_literals;

// The exact boundary tests below are written for libstdc++'s int64 ns clock.
constexpr bool ns_clock = std::is_same_v<timestamp::duration, std::chrono::nanoseconds>;

timestamp at(std::chrono::nanoseconds d)
{
    return timestamp(std::chrono::duration_cast<timestamp::duration>(d));
}

timestamp at_s(std::int64_t s, std::int64_t ns = 0)
{
    return at(std::chrono::seconds(s) + std::chrono::nanoseconds(ns));
}

std::string fmt(timestamp t, timestamp_format f)
{
    std::string s;
    detail::format_timestamp(s, t, f);
    return s;
}

// Parses s, which must succeed; returns the value.
timestamp must_parse(std::string_view s, timestamp_format f)
{
    timestamp t{};
    BOOST_TEST_INFO("input: " << s);
    BOOST_TEST(detail::parse_timestamp(s, f, t));
    return t;
}

bool parses(std::string_view s, timestamp_format f)
{
    // A sentinel shows that a failed parse leaves out untouched.
    timestamp const sentinel = at_s(42);
    timestamp t = sentinel;
    bool const ok = detail::parse_timestamp(s, f, t);
    if (!ok)
        BOOST_TEST((t == sentinel));
    return ok;
}

std::int64_t ns_since_epoch(timestamp t)
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

constexpr auto dt = timestamp_format::date_time;
constexpr auto es = timestamp_format::epoch_seconds;
constexpr auto hd = timestamp_format::http_date;

} // namespace

BOOST_AUTO_TEST_SUITE(timestamp_formats)

// --- date-time (RFC 3339) -------------------------------------------------

BOOST_AUTO_TEST_CASE(date_time_smithy_values)
{
    BOOST_TEST(ns_since_epoch(must_parse("2014-04-29T18:30:38Z", dt)) == 1398796238'000000000);
    BOOST_TEST(fmt(at_s(1398796238), dt) == "2014-04-29T18:30:38Z");

    // Exactly 123 ms, not a double approximation.
    BOOST_TEST(ns_since_epoch(must_parse("2000-01-02T20:34:56.123Z", dt)) == 946845296'123000000);
    BOOST_TEST(fmt(at_s(946845296, 123000000), dt) == "2000-01-02T20:34:56.123Z");

    BOOST_TEST(ns_since_epoch(must_parse("2019-12-16T22:48:18-01:00", dt)) == 1576540098'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("2019-12-17T00:48:18+01:00", dt)) == 1576540098'000000000);
    BOOST_TEST(fmt(at_s(1576540098), dt) == "2019-12-16T23:48:18Z");

    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:01Z", dt)) == 1'000000000);
    BOOST_TEST(fmt(at_s(1), dt) == "1970-01-01T00:00:01Z");
    BOOST_TEST(fmt(at_s(0), dt) == "1970-01-01T00:00:00Z");

    // Agrees with the standard calendar.
    using namespace std::chrono;
    BOOST_TEST((must_parse("2014-04-29T18:30:38Z", dt) == sys_days(2014y / April / 29) + 18h + 30min + 38s));
}

BOOST_AUTO_TEST_CASE(date_time_format_fraction_digits)
{
    BOOST_TEST(fmt(at(1ns), dt) == "1970-01-01T00:00:00.000000001Z");
    BOOST_TEST(fmt(at(1us), dt) == "1970-01-01T00:00:00.000001Z");
    BOOST_TEST(fmt(at(1ms), dt) == "1970-01-01T00:00:00.001Z");
    BOOST_TEST(fmt(at(500ms), dt) == "1970-01-01T00:00:00.500Z");
    BOOST_TEST(fmt(at(120ms), dt) == "1970-01-01T00:00:00.120Z");
    BOOST_TEST(fmt(at(123456us), dt) == "1970-01-01T00:00:00.123456Z");
    BOOST_TEST(fmt(at(123456789ns), dt) == "1970-01-01T00:00:00.123456789Z");
    BOOST_TEST(fmt(at(1s + 100ns), dt) == "1970-01-01T00:00:01.000000100Z");
}

BOOST_AUTO_TEST_CASE(date_time_parse_fraction)
{
    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:00.5Z", dt)) == 500000000);
    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:00.000000001Z", dt)) == 1);
    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:00.12345Z", dt)) == 123450000);
    // Digits past nanoseconds are accepted and truncated.
    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:00.1234567891234Z", dt)) == 123456789);
    BOOST_TEST(ns_since_epoch(must_parse("1970-01-01T00:00:00.9999999999Z", dt)) == 999999999);
    BOOST_TEST(!parses("1970-01-01T00:00:00.Z", dt));
    BOOST_TEST(!parses("1970-01-01T00:00:00,5Z", dt));
    BOOST_TEST(!parses("1970-01-01T00:00:00.5", dt));
}

BOOST_AUTO_TEST_CASE(date_time_before_epoch)
{
    BOOST_TEST(ns_since_epoch(must_parse("1969-12-31T23:59:59Z", dt)) == -1'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("1969-12-31T23:59:59.5Z", dt)) == -500000000);
    BOOST_TEST(ns_since_epoch(must_parse("1900-01-01T00:00:00Z", dt)) == -2208988800'000000000);
    BOOST_TEST(fmt(at(-1ns), dt) == "1969-12-31T23:59:59.999999999Z");
    BOOST_TEST(fmt(at(-500ms), dt) == "1969-12-31T23:59:59.500Z");
    BOOST_TEST(fmt(at_s(-2208988800), dt) == "1900-01-01T00:00:00Z");
    BOOST_TEST(fmt(at_s(-1, -1), dt) == "1969-12-31T23:59:58.999999999Z");
}

BOOST_AUTO_TEST_CASE(date_time_calendar_validation)
{
    BOOST_TEST(parses("2024-02-29T00:00:00Z", dt));
    BOOST_TEST(parses("2000-02-29T00:00:00Z", dt)); // divisible by 400
    BOOST_TEST(!parses("2023-02-29T00:00:00Z", dt));
    BOOST_TEST(!parses("2100-02-29T00:00:00Z", dt)); // divisible by 100 only
    BOOST_TEST(!parses("2023-04-31T00:00:00Z", dt));
    BOOST_TEST(parses("2023-12-31T23:59:59Z", dt));
    BOOST_TEST(!parses("2023-13-01T00:00:00Z", dt));
    BOOST_TEST(!parses("2023-00-01T00:00:00Z", dt));
    BOOST_TEST(!parses("2023-01-00T00:00:00Z", dt));
    BOOST_TEST(!parses("2023-01-32T00:00:00Z", dt));
    BOOST_TEST(!parses("2023-01-01T24:00:00Z", dt));
    BOOST_TEST(!parses("2023-01-01T00:60:00Z", dt));
    BOOST_TEST(!parses("2023-01-01T00:00:61Z", dt));
    BOOST_TEST(ns_since_epoch(must_parse("2024-02-29T12:00:00Z", dt)) == 1709208000'000000000);
}

BOOST_AUTO_TEST_CASE(date_time_syntax)
{
    // RFC 3339 allows lower-case separators.
    BOOST_TEST((must_parse("2014-04-29t18:30:38z", dt) == at_s(1398796238)));
    BOOST_TEST((must_parse("2014-04-29T18:30:38+00:00", dt) == at_s(1398796238)));
    BOOST_TEST((must_parse("2014-04-29T18:30:38-00:00", dt) == at_s(1398796238)));
    BOOST_TEST((must_parse("2014-04-30T00:00:38+05:30", dt) == at_s(1398796238)));
    BOOST_TEST((must_parse("2014-04-29T18:30:38.5-02:00", dt) == at_s(1398796238 + 7200, 500000000)));

    BOOST_TEST(!parses("", dt));
    BOOST_TEST(!parses("2014", dt));
    BOOST_TEST(!parses("2014-04-29", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38", dt));   // missing zone
    BOOST_TEST(!parses("2014-04-29T18:30:38Zx", dt)); // trailing junk
    BOOST_TEST(!parses("2014-04-29T18:30:38Z ", dt));
    BOOST_TEST(!parses(" 2014-04-29T18:30:38Z", dt));
    BOOST_TEST(!parses("2014-04-29 18:30:38Z", dt));
    BOOST_TEST(!parses("2014-04-29T18:30Z", dt));
    BOOST_TEST(!parses("2014-4-29T18:30:38Z", dt));
    BOOST_TEST(!parses("+2014-04-29T18:30:38Z", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+01", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+0100", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+01:", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+01:0", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+01:000", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+24:00", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38+01:60", dt));
    BOOST_TEST(!parses("2014-04-29T18:30:38UTC", dt));
    BOOST_TEST(!parses("2014-04-29T18:3a:38Z", dt));
    BOOST_TEST(!parses(std::string_view("2014-04-29T18:30:38Z\0", 21), dt));
    BOOST_TEST(!parses("1398796238", dt));
}

BOOST_AUTO_TEST_CASE(date_time_leap_second)
{
    // Clamped to the last instant of second 59; stays within the same day.
    timestamp const t = must_parse("2016-12-31T23:59:60Z", dt);
    BOOST_TEST((t > must_parse("2016-12-31T23:59:59.999Z", dt)));
    BOOST_TEST((t < must_parse("2017-01-01T00:00:00Z", dt)));
    if constexpr (ns_clock)
        BOOST_TEST(fmt(t, dt) == "2016-12-31T23:59:59.999999999Z");
    BOOST_TEST((must_parse("2016-12-31T23:59:60.5Z", dt) == t));
}

BOOST_AUTO_TEST_CASE(date_time_range)
{
    // Well-formed, but outside what the clock can hold: rejected, no overflow.
    BOOST_TEST(!parses("0000-01-01T00:00:00Z", dt));
    BOOST_TEST(!parses("9999-12-31T23:59:59Z", dt));
    BOOST_TEST(!parses("9999-12-31T23:59:59.999999999-23:59", dt));
    BOOST_TEST(!parses("0000-01-01T00:00:00+23:59", dt));

    // Whatever the clock's range, its ends round-trip.
    BOOST_TEST((must_parse(fmt(timestamp::min(), dt), dt) == timestamp::min()));
    BOOST_TEST((must_parse(fmt(timestamp::max(), dt), dt) == timestamp::max()));

    if constexpr (ns_clock) {
        BOOST_TEST(fmt(timestamp::min(), dt) == "1677-09-21T00:12:43.145224192Z");
        BOOST_TEST(fmt(timestamp::max(), dt) == "2262-04-11T23:47:16.854775807Z");
        BOOST_TEST(!parses("1677-09-21T00:12:43.145224191Z", dt));
        BOOST_TEST(!parses("1677-09-21T00:12:43Z", dt));
        BOOST_TEST(!parses("2262-04-11T23:47:16.854775808Z", dt));
        BOOST_TEST(!parses("2262-04-11T23:47:17Z", dt));
        BOOST_TEST(parses("2262-04-11T23:47:16Z", dt));
        BOOST_TEST(parses("1677-09-21T00:12:44Z", dt));
        // The offset can carry an in-range local time out of range.
        BOOST_TEST(!parses("2262-04-11T23:47:16-00:01", dt));
        BOOST_TEST(parses("2262-04-11T23:47:16+00:01", dt));
    }
}

// --- http-date (IMF-fixdate) ----------------------------------------------

BOOST_AUTO_TEST_CASE(http_date_values)
{
    BOOST_TEST(ns_since_epoch(must_parse("Tue, 29 Apr 2014 18:30:38 GMT", hd)) == 1398796238'000000000);
    BOOST_TEST(fmt(at_s(1398796238), hd) == "Tue, 29 Apr 2014 18:30:38 GMT");
    BOOST_TEST(fmt(at_s(1398796238, 999999999), hd) == "Tue, 29 Apr 2014 18:30:38 GMT");
    BOOST_TEST(fmt(at_s(0), hd) == "Thu, 01 Jan 1970 00:00:00 GMT");
    BOOST_TEST(fmt(at_s(-1), hd) == "Wed, 31 Dec 1969 23:59:59 GMT");
    BOOST_TEST(fmt(at(-1ns), hd) == "Wed, 31 Dec 1969 23:59:59 GMT");
    BOOST_TEST(fmt(at_s(946845296, 123000000), hd) == "Sun, 02 Jan 2000 20:34:56 GMT");
    BOOST_TEST(ns_since_epoch(must_parse("Wed, 31 Dec 1969 23:59:59 GMT", hd)) == -1'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("Mon, 01 Jan 1900 00:00:00 GMT", hd)) == -2208988800'000000000);
    BOOST_TEST(parses("Thu, 29 Feb 2024 00:00:00 GMT", hd));
    BOOST_TEST((must_parse("Sat, 31 Dec 2016 23:59:60 GMT", hd) < must_parse("Sun, 01 Jan 2017 00:00:00 GMT", hd)));
}

BOOST_AUTO_TEST_CASE(http_date_rejects)
{
    BOOST_TEST(!parses("", hd));
    BOOST_TEST(!parses("Wed, 29 Apr 2014 18:30:38 GMT", hd)); // wrong day name
    BOOST_TEST(!parses("Xyz, 29 Apr 2014 18:30:38 GMT", hd));
    BOOST_TEST(!parses("tue, 29 Apr 2014 18:30:38 GMT", hd));
    BOOST_TEST(!parses("Tue, 29 apr 2014 18:30:38 GMT", hd));
    BOOST_TEST(!parses("Tue, 29 Apr 2014 18:30:38 UTC", hd));
    BOOST_TEST(!parses("Tue, 29 Apr 2014 18:30:38 gmt", hd));
    BOOST_TEST(!parses("Tue, 29 Apr 2014 18:30:38", hd));
    BOOST_TEST(!parses("Tue, 29 Apr 2014 18:30:38 GMTx", hd));
    BOOST_TEST(!parses("Tue, 9 Apr 2014 18:30:38 GMT", hd));
    BOOST_TEST(!parses("Tue,29 Apr 2014 18:30:38 GMT ", hd));
    BOOST_TEST(!parses("Tue, 29 Apr 2014 24:30:38 GMT", hd));
    BOOST_TEST(!parses("Wed, 29 Feb 2023 00:00:00 GMT", hd));
    BOOST_TEST(!parses("Fri, 31 Dec 9999 23:59:59 GMT", hd));
    BOOST_TEST(!parses("Tuesday, 29-Apr-14 18:30:38 GMT", hd)); // RFC 850: not accepted
    BOOST_TEST(!parses("Tue Apr 29 18:30:38 2014", hd));         // asctime: not accepted
    BOOST_TEST(!parses("2014-04-29T18:30:38Z", hd));
}

// --- epoch-seconds --------------------------------------------------------

BOOST_AUTO_TEST_CASE(epoch_seconds_parse)
{
    BOOST_TEST(ns_since_epoch(must_parse("1398796238", es)) == 1398796238'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("-5", es)) == -5'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("0", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("-0", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("-0.0", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("1398796238.123", es)) == 1398796238'123000000);
    BOOST_TEST(ns_since_epoch(must_parse("946845296.123456789", es)) == 946845296'123456789);
    BOOST_TEST(ns_since_epoch(must_parse("946845296.1234567899", es)) == 946845296'123456789);
    BOOST_TEST(ns_since_epoch(must_parse("1.398796238E9", es)) == 1398796238'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("1.398796238123E9", es)) == 1398796238'123000000);
    BOOST_TEST(ns_since_epoch(must_parse("1e3", es)) == 1000'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("1E+3", es)) == 1000'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("1000e-3", es)) == 1'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("15e-1", es)) == 1'500000000);
    BOOST_TEST(ns_since_epoch(must_parse("1e-9", es)) == 1);
    BOOST_TEST(ns_since_epoch(must_parse("1e-10", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("0.000000001", es)) == 1);
    BOOST_TEST(ns_since_epoch(must_parse("0.0000000019", es)) == 1);
    BOOST_TEST(ns_since_epoch(must_parse("0e999999999999999999999", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("1e-999999999999999999999", es)) == 0);
    BOOST_TEST(ns_since_epoch(must_parse("0.5", es)) == 500000000);
    BOOST_TEST(ns_since_epoch(must_parse("-0.5", es)) == -500000000);
    BOOST_TEST(ns_since_epoch(must_parse("-1.5", es)) == -1'500000000);
    BOOST_TEST(ns_since_epoch(must_parse("-1.000000001", es)) == -1'000000001);
    BOOST_TEST(ns_since_epoch(must_parse("-1.0000000019", es)) == -1'000000001); // toward zero
    BOOST_TEST(ns_since_epoch(must_parse("-0.0000000019", es)) == -1);
    BOOST_TEST(ns_since_epoch(must_parse("-2208988800", es)) == -2208988800'000000000);
    BOOST_TEST(ns_since_epoch(must_parse("0.00000000000000000001e20", es)) == 1'000000000);
}

BOOST_AUTO_TEST_CASE(epoch_seconds_rejects)
{
    for (char const* s :
         {"", "-", "+1", "01", "-01", "00", " 1", "1 ", "1.", ".5", "-.5", "1.e3", "1e", "1e+", "1e-", "e3",
          "0x10", "1_000", "1,5", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e300", "-1e300",
          "99999999999999999999", "-99999999999999999999", "18446744073709551616", "9223372036854775807",
          "9223372036854775808", "1e99999999999999999999", "1e19", "\"1\"", "1..5", "1.5.5", "--1"}) {
        BOOST_TEST_INFO("input: " << s);
        BOOST_TEST(!parses(s, es));
    }
    BOOST_TEST(!parses(std::string_view("1\0", 2), es));
}

BOOST_AUTO_TEST_CASE(epoch_seconds_range)
{
    BOOST_TEST((must_parse(fmt(timestamp::min(), es), es) == timestamp::min()));
    BOOST_TEST((must_parse(fmt(timestamp::max(), es), es) == timestamp::max()));
    if constexpr (ns_clock) {
        BOOST_TEST(fmt(timestamp::min(), es) == "-9223372036.854775808");
        BOOST_TEST(fmt(timestamp::max(), es) == "9223372036.854775807");
        BOOST_TEST(parses("9223372036", es));
        BOOST_TEST(parses("-9223372036", es));
        BOOST_TEST(!parses("9223372037", es));
        BOOST_TEST(!parses("-9223372037", es));
        BOOST_TEST(!parses("9223372036.854775808", es));
        BOOST_TEST(!parses("-9223372036.854775809", es));
        BOOST_TEST(!parses("9.223372037e9", es));
    }
}

BOOST_AUTO_TEST_CASE(epoch_seconds_format)
{
    BOOST_TEST(fmt(at_s(1398796238), es) == "1398796238");
    BOOST_TEST(fmt(at_s(1398796238, 500000000), es) == "1398796238.5");
    BOOST_TEST(fmt(at_s(1398796238, 123000000), es) == "1398796238.123");
    BOOST_TEST(fmt(at_s(946845296, 123456789), es) == "946845296.123456789");
    BOOST_TEST(fmt(at_s(0), es) == "0");
    BOOST_TEST(fmt(at(1ns), es) == "0.000000001");
    BOOST_TEST(fmt(at(1us), es) == "0.000001");
    BOOST_TEST(fmt(at(1ms), es) == "0.001");
    BOOST_TEST(fmt(at(-1500ms), es) == "-1.5");
    BOOST_TEST(fmt(at(-500ms), es) == "-0.5");
    BOOST_TEST(fmt(at(-1ns), es) == "-0.000000001");
    BOOST_TEST(fmt(at_s(-5), es) == "-5");
}

// --- common -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(format_appends)
{
    std::string s = "x=";
    detail::format_timestamp(s, at_s(1), dt);
    s += ',';
    detail::format_timestamp(s, at_s(1, 500000000), es);
    s += ',';
    detail::format_timestamp(s, at_s(1), hd);
    BOOST_TEST(s == "x=1970-01-01T00:00:01Z,1.5,Thu, 01 Jan 1970 00:00:01 GMT");
}

BOOST_AUTO_TEST_CASE(parse_timestamp_dispatch)
{
    timestamp t{};
    BOOST_TEST(detail::parse_timestamp("2014-04-29T18:30:38Z", dt, t));
    BOOST_TEST((t == at_s(1398796238)));
    BOOST_TEST(detail::parse_timestamp("1398796239", es, t));
    BOOST_TEST((t == at_s(1398796239)));
    BOOST_TEST(detail::parse_timestamp("Tue, 29 Apr 2014 18:30:40 GMT", hd, t));
    BOOST_TEST((t == at_s(1398796240)));
    BOOST_TEST(!detail::parse_timestamp("1398796238", dt, t));
    BOOST_TEST(!detail::parse_timestamp("2014-04-29T18:30:38Z", es, t));
    BOOST_TEST(!detail::parse_timestamp("2014-04-29T18:30:38Z", hd, t));
}

BOOST_AUTO_TEST_CASE(round_trips)
{
    // Deterministic spread over the whole range, at every precision.
    std::uint64_t x = 0x9e3779b97f4a7c15u;
    // Keep a second clear of min() so flooring below cannot leave the range.
    auto const lo = ns_since_epoch(timestamp::min() + std::chrono::seconds(1));
    auto const hi = ns_since_epoch(timestamp::max());
    auto const span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    for (int i = 0; i < 20000; ++i) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        auto const ns = static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + x % span);
        timestamp t = at(std::chrono::nanoseconds(ns));
        switch (i % 4) { // exercise the 3/6/9-digit fraction paths
        case 1: t = std::chrono::floor<std::chrono::microseconds>(t); break;
        case 2: t = std::chrono::floor<std::chrono::milliseconds>(t); break;
        case 3: t = std::chrono::floor<std::chrono::seconds>(t); break;
        default: break;
        }
        for (auto f : {dt, es}) {
            std::string const s = fmt(t, f);
            timestamp back{};
            if (!detail::parse_timestamp(s, f, back) || back != t) {
                BOOST_ERROR("round trip failed: " << s);
                return;
            }
        }
        // http-date keeps whole seconds only.
        timestamp const whole = std::chrono::floor<std::chrono::seconds>(t);
        timestamp back{};
        std::string const s = fmt(t, hd);
        if (!detail::parse_http_date(s, back) || back != whole) {
            BOOST_ERROR("http-date round trip failed: " << s);
            return;
        }
    }
}

BOOST_AUTO_TEST_CASE(now_round_trips)
{
    timestamp const t = std::chrono::system_clock::now();
    BOOST_TEST((must_parse(fmt(t, dt), dt) == t));
    BOOST_TEST((must_parse(fmt(t, es), es) == t));
    BOOST_TEST((must_parse(fmt(t, hd), hd) == std::chrono::floor<std::chrono::seconds>(t)));
}

BOOST_AUTO_TEST_SUITE_END()
