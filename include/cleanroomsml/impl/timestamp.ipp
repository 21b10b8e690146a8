#ifndef CLEANROOMSML_IMPL_TIMESTAMP_IPP
#define CLEANROOMSML_IMPL_TIMESTAMP_IPP

#include <cleanroomsml/timestamp.hpp>

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace cleanroomsml {
namespace detail {
namespace timestamp_impl {

// All calendar and range arithmetic is done on (whole seconds, nanoseconds)
// pairs in 64-bit integers: that has ample headroom, whereas the clock's own
// duration (int64 nanoseconds) overflows just outside its range.
struct split_time {
    std::int64_t secs;  // floor of the time in seconds since the epoch
    std::int32_t nanos; // [0, 1e9)
};

constexpr std::int32_t nanos_per_sec = 1'000'000'000;
constexpr std::int64_t secs_per_day = 86'400;

CLEANROOMSML_DECL split_time split(timestamp t) noexcept
{
    using namespace std::chrono;
    using dur = timestamp::duration;
    dur const d = t.time_since_epoch();
    // duration_cast truncates toward zero, so |s| <= |d| and converting s
    // back cannot overflow (flooring first could, at timestamp::min()).
    seconds s = duration_cast<seconds>(d);
    dur rem = d - duration_cast<dur>(s);
    if (rem < dur::zero()) {
        s -= seconds(1);
        rem += duration_cast<dur>(seconds(1));
    }
    return {static_cast<std::int64_t>(s.count()),
            static_cast<std::int32_t>(duration_cast<nanoseconds>(rem).count())};
}

// Builds a timestamp from secs + nanos (nanos in [0, 1e9)), rejecting values
// the clock cannot represent. Sub-tick nanoseconds are truncated on clocks
// coarser than 1 ns.
CLEANROOMSML_DECL bool join(std::int64_t secs, std::int32_t nanos, timestamp& out) noexcept
{
    using namespace std::chrono;
    using dur = timestamp::duration;
    split_time const lo = split(timestamp::min());
    split_time const hi = split(timestamp::max());
    if (secs < lo.secs || (secs == lo.secs && nanos < lo.nanos))
        return false;
    if (secs > hi.secs || (secs == hi.secs && nanos > hi.nanos))
        return false;
    dur const frac = duration_cast<dur>(nanoseconds(nanos));
    if (secs == lo.secs) {
        // Whole second lo.secs lies before min(); count up from min() instead.
        out = timestamp::min() + (frac - duration_cast<dur>(nanoseconds(lo.nanos)));
    } else {
        out = timestamp(duration_cast<dur>(seconds(secs))) + frac;
    }
    return true;
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept
{
    std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

struct civil_time {
    std::chrono::year_month_day date;
    std::chrono::weekday wday;
    int hour, minute, second;
};

CLEANROOMSML_DECL civil_time to_civil(std::int64_t secs) noexcept
{
    using namespace std::chrono;
    std::int64_t const day_count = floor_div(secs, secs_per_day);
    auto const sod = static_cast<int>(secs - day_count * secs_per_day);
    sys_days const day{days(static_cast<days::rep>(day_count))};
    return {year_month_day(day), weekday(day), sod / 3600, sod / 60 % 60, sod % 60};
}

// Appends v in decimal, left-padded with zeros to at least width digits.
CLEANROOMSML_DECL void append_uint(std::string& out, std::uint64_t v, int width = 1)
{
    char buf[24];
    auto const r = std::to_chars(buf, buf + sizeof buf, v);
    for (auto n = r.ptr - buf; n < width; ++n)
        out.push_back('0');
    out.append(buf, r.ptr);
}

CLEANROOMSML_DECL void append_year(std::string& out, int y)
{
    // Only reachable with a clock wider than libstdc++'s; keep it defined.
    if (y < 0) {
        out.push_back('-');
        y = -y;
    }
    append_uint(out, static_cast<std::uint64_t>(y), 4);
}

CLEANROOMSML_DECL void append_hms(std::string& out, civil_time const& c)
{
    append_uint(out, static_cast<std::uint64_t>(c.hour), 2);
    out.push_back(':');
    append_uint(out, static_cast<std::uint64_t>(c.minute), 2);
    out.push_back(':');
    append_uint(out, static_cast<std::uint64_t>(c.second), 2);
}

constexpr std::string_view day_names[7] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::string_view month_names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

CLEANROOMSML_DECL void format_date_time(std::string& out, timestamp t)
{
    split_time const st = split(t);
    civil_time const c = to_civil(st.secs);
    append_year(out, static_cast<int>(c.date.year()));
    out.push_back('-');
    append_uint(out, static_cast<unsigned>(c.date.month()), 2);
    out.push_back('-');
    append_uint(out, static_cast<unsigned>(c.date.day()), 2);
    out.push_back('T');
    append_hms(out, c);
    if (st.nanos != 0) {
        // Shortest of ms / us / ns that loses nothing.
        int digits = 9;
        std::int32_t frac = st.nanos;
        if (frac % 1'000'000 == 0) {
            digits = 3;
            frac /= 1'000'000;
        } else if (frac % 1'000 == 0) {
            digits = 6;
            frac /= 1'000;
        }
        out.push_back('.');
        append_uint(out, static_cast<std::uint64_t>(frac), digits);
    }
    out.push_back('Z');
}

CLEANROOMSML_DECL void format_epoch_seconds(std::string& out, timestamp t)
{
    using namespace std::chrono;
    using dur = timestamp::duration;
    dur const d = t.time_since_epoch();
    // Truncate toward zero so the fraction keeps the sign: -1.5 s -> "-1.5".
    seconds const s = duration_cast<seconds>(d);
    std::int64_t const rem = duration_cast<nanoseconds>(d - duration_cast<dur>(s)).count();
    bool const neg = d < dur::zero();
    auto const whole = static_cast<std::uint64_t>(s.count());
    if (neg)
        out.push_back('-');
    append_uint(out, neg ? std::uint64_t(0) - whole : whole);
    if (rem != 0) {
        auto frac = static_cast<std::uint64_t>(neg ? -rem : rem);
        int digits = 9;
        while (frac % 10 == 0) {
            frac /= 10;
            --digits;
        }
        out.push_back('.');
        append_uint(out, frac, digits);
    }
}

CLEANROOMSML_DECL void format_http_date(std::string& out, timestamp t)
{
    civil_time const c = to_civil(split(t).secs);
    out.append(day_names[c.wday.c_encoding()]);
    out.append(", ");
    append_uint(out, static_cast<unsigned>(c.date.day()), 2);
    out.push_back(' ');
    out.append(month_names[static_cast<unsigned>(c.date.month()) - 1]);
    out.push_back(' ');
    append_year(out, static_cast<int>(c.date.year()));
    out.push_back(' ');
    append_hms(out, c);
    out.append(" GMT");
}

// Locale-independent, unlike isdigit.
constexpr bool is_digit(char c) noexcept
{
    return c >= '0' && c <= '9';
}

// Reads exactly n digits at s[pos]: no sign or whitespace, unlike from_chars.
CLEANROOMSML_DECL bool read_fixed(std::string_view s, std::size_t pos, std::size_t n, int& v) noexcept
{
    if (pos > s.size() || s.size() - pos < n)
        return false;
    int r = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (!is_digit(s[i]))
            return false;
        r = r * 10 + (s[i] - '0');
    }
    v = r;
    return true;
}

// Validates a civil UTC date-time and turns it into seconds since the epoch.
// A leap second is clamped to the end of second 59 (nanos == 999'999'999).
CLEANROOMSML_DECL bool civil_to_secs(int y, int mo, int d, int h, int mi, int s, std::int32_t& nanos,
                                     std::int64_t& secs) noexcept
{
    using namespace std::chrono;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return false;
    year_month_day const ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!ymd.ok())
        return false;
    if (s == 60) {
        s = 59;
        nanos = nanos_per_sec - 1;
    }
    std::int64_t const day_count = sys_days(ymd).time_since_epoch().count();
    secs = day_count * secs_per_day + h * 3600 + mi * 60 + s;
    return true;
}

} // namespace timestamp_impl

CLEANROOMSML_DECL void format_timestamp(std::string& out, timestamp t, timestamp_format f)
{
    switch (f) {
    case timestamp_format::date_time:
        timestamp_impl::format_date_time(out, t);
        break;
    case timestamp_format::epoch_seconds:
        timestamp_impl::format_epoch_seconds(out, t);
        break;
    case timestamp_format::http_date:
        timestamp_impl::format_http_date(out, t);
        break;
    }
}

CLEANROOMSML_DECL bool parse_date_time(std::string_view s, timestamp& out) noexcept
{
    using namespace timestamp_impl;
    if (s.size() < 20) // "YYYY-MM-DDTHH:MM:SS" plus a zone
        return false;
    int y, mo, d, h, mi, se;
    if (!read_fixed(s, 0, 4, y) || s[4] != '-' || !read_fixed(s, 5, 2, mo) || s[7] != '-' ||
        !read_fixed(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't') || !read_fixed(s, 11, 2, h) ||
        s[13] != ':' || !read_fixed(s, 14, 2, mi) || s[16] != ':' || !read_fixed(s, 17, 2, se))
        return false;

    std::size_t pos = 19;
    std::int32_t nanos = 0;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t const first = ++pos;
        while (pos < s.size() && is_digit(s[pos])) {
            if (pos - first < 9)
                nanos = nanos * 10 + (s[pos] - '0');
            ++pos;
        }
        if (pos == first)
            return false;
        for (std::size_t n = pos - first; n < 9; ++n)
            nanos *= 10;
    }

    if (pos >= s.size())
        return false; // the offset is mandatory
    std::int64_t offset = 0;
    char const zone = s[pos];
    if (zone == 'Z' || zone == 'z') {
        ++pos;
    } else if (zone == '+' || zone == '-') {
        int oh, om;
        if (!read_fixed(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !read_fixed(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return false;
        offset = (zone == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        pos += 6;
    } else {
        return false;
    }
    if (pos != s.size())
        return false;

    std::int64_t secs;
    if (!civil_to_secs(y, mo, d, h, mi, se, nanos, secs))
        return false;
    // Local time = UTC + offset.
    return join(secs - offset, nanos, out);
}

CLEANROOMSML_DECL bool parse_http_date(std::string_view s, timestamp& out) noexcept
{
    using namespace timestamp_impl;
    // "Tue, 29 Apr 2014 18:30:38 GMT" is fixed width.
    if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
        return false;
    unsigned wday = 0;
    while (wday < 7 && day_names[wday] != s.substr(0, 3))
        ++wday;
    int mo = 0;
    while (mo < 12 && month_names[mo] != s.substr(8, 3))
        ++mo;
    int y, d, h, mi, se;
    if (wday == 7 || mo == 12 || !read_fixed(s, 5, 2, d) || !read_fixed(s, 12, 4, y) ||
        !read_fixed(s, 17, 2, h) || !read_fixed(s, 20, 2, mi) || !read_fixed(s, 23, 2, se))
        return false;
    std::int32_t nanos = 0;
    std::int64_t secs;
    if (!civil_to_secs(y, mo + 1, d, h, mi, se, nanos, secs))
        return false;
    // An inconsistent day name means the text was not produced from this date.
    if (to_civil(secs).wday.c_encoding() != wday)
        return false;
    return join(secs, nanos, out);
}

CLEANROOMSML_DECL bool parse_epoch_seconds(std::string_view s, timestamp& out) noexcept
{
    using namespace timestamp_impl;
    {
        // The usual form first, "seconds[.fraction]" with up to 12 integer
        // digits: read as it goes. Anything else takes the general path.
        std::size_t i = 0;
        std::int64_t secs = 0;
        while (i < s.size() && i < 12 && is_digit(s[i])) secs = secs * 10 + (s[i++] - '0');
        if (i != 0 && !(s[0] == '0' && i > 1)) {
            if (i == s.size()) return join(secs, 0, out);
            if (s[i] == '.') {
                std::size_t const first = ++i;
                std::int32_t nanos = 0;
                int digits = 0;
                for (; i < s.size() && is_digit(s[i]); ++i)
                    if (digits < 9) {  // deeper digits are truncated, as below
                        nanos = nanos * 10 + (s[i] - '0');
                        ++digits;
                    }
                if (i == s.size() && i != first) {
                    for (; digits < 9; ++digits) nanos *= 10;
                    return join(secs, nanos, out);
                }
            }
        }
    }
    std::size_t pos = 0;
    bool const neg = pos < s.size() && s[pos] == '-';
    if (neg)
        ++pos;

    // Integer part: "0" or no leading zeros, as JSON requires.
    std::size_t const int_first = pos;
    if (pos >= s.size() || !is_digit(s[pos]))
        return false;
    if (s[pos] == '0')
        ++pos;
    else
        while (pos < s.size() && is_digit(s[pos]))
            ++pos;
    std::string_view const int_digits = s.substr(int_first, pos - int_first);

    std::string_view frac_digits;
    if (pos < s.size() && s[pos] == '.') {
        std::size_t const first = ++pos;
        while (pos < s.size() && is_digit(s[pos]))
            ++pos;
        if (pos == first)
            return false;
        frac_digits = s.substr(first, pos - first);
    }

    std::int64_t exp = 0;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        ++pos;
        bool exp_neg = false;
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-'))
            exp_neg = s[pos++] == '-';
        std::size_t const first = pos;
        while (pos < s.size() && is_digit(s[pos])) {
            // Saturate: anything this large is out of range or rounds to 0 anyway.
            if (exp < 1'000'000'000)
                exp = exp * 10 + (s[pos] - '0');
            ++pos;
        }
        if (pos == first)
            return false;
        if (exp_neg)
            exp = -exp;
    }
    if (pos != s.size())
        return false;

    // The mantissa digits are int_digits followed by frac_digits; the decimal
    // point sits `point` digits after the first significant one.
    std::size_t const count = int_digits.size() + frac_digits.size();
    auto digit_at = [&](std::size_t i) {
        return i < int_digits.size() ? int_digits[i] - '0' : frac_digits[i - int_digits.size()] - '0';
    };
    std::size_t lead = 0;
    while (lead < count && digit_at(lead) == 0)
        ++lead;
    if (lead == count)
        return join(0, 0, out); // zero, whatever the sign or exponent

    std::int64_t const point =
        static_cast<std::int64_t>(int_digits.size()) - static_cast<std::int64_t>(lead) + exp;
    // First digit is non-zero, so 20+ integer digits are at least 1e19 s.
    if (point > 19)
        return false;
    auto sig = [&](std::int64_t k) -> int { // k-th significant digit, 0 outside
        if (k < 0 || static_cast<std::uint64_t>(k) >= count - lead)
            return 0;
        return digit_at(lead + static_cast<std::size_t>(k));
    };

    std::uint64_t whole = 0; // at most 19 digits: cannot wrap
    for (std::int64_t k = 0; k < point; ++k)
        whole = whole * 10 + static_cast<std::uint64_t>(sig(k));
    std::int32_t nanos = 0; // deeper digits are truncated
    for (std::int64_t k = point; k < point + 9; ++k)
        nanos = nanos * 10 + sig(k);

    if (whole > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        return false;
    auto secs = static_cast<std::int64_t>(whole);
    if (neg) {
        // -(w + f) == -(w + 1) + (1 - f), keeping nanos non-negative.
        if (nanos == 0) {
            secs = -secs;
        } else {
            secs = -secs - 1;
            nanos = nanos_per_sec - nanos;
        }
    }
    return join(secs, nanos, out);
}

CLEANROOMSML_DECL bool parse_timestamp(std::string_view s, timestamp_format f, timestamp& out) noexcept
{
    switch (f) {
    case timestamp_format::date_time:
        return parse_date_time(s, out);
    case timestamp_format::epoch_seconds:
        return parse_epoch_seconds(s, out);
    case timestamp_format::http_date:
        return parse_http_date(s, out);
    }
    return false;
}

} // namespace detail
} // namespace cleanroomsml

#endif
