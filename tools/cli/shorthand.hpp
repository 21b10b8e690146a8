#ifndef CLEANROOMSML_TOOLS_CLI_SHORTHAND_HPP
#define CLEANROOMSML_TOOLS_CLI_SHORTHAND_HPP

// Option values as the AWS CLI v2 reads them: its shorthand syntax
// (`--tags team=ads,env=prod`, `--x a={b=c,d=[e,f]},g=[h,i]`), JSON, which
// of the two a value is taken as for each kind of member, and the conversion
// of shorthand scalars by the member's type. Where a Python behaviour shows
// through in the AWS CLI's messages (json.loads' errors, int(), float(),
// repr()), it is reproduced here, so that scripts see the same text.
//
// Values are walked as code points, as Python walks its str: positions in
// messages (the caret line, "char N") count code points, and bytes that are
// not UTF-8 stand for themselves (Python's surrogateescape).

#include "json_io.hpp"
#include "python.hpp"

#include <cleanroomsml/detail/type_info.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace cli {

/// A usage or parameter error: the CLI prints it and exits with 252.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// What the AWS CLI reports as an uncaught Python exception (a ValueError
/// from int(), a TypeError...): the message alone, and exit status 255.
struct python_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

namespace py {
/// A ValueError or TypeError: the ones the AWS CLI catches around the
/// elements of a list option.
struct value_error : python_error {
    using python_error::python_error;
};
} // namespace py

namespace py {

/// str.isspace().
inline bool is_space(char32_t c)
{
    return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

/// str.strip() / lstrip() / rstrip().
inline std::u32string_view lstrip(std::u32string_view s)
{
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    return s.substr(i);
}

inline std::u32string_view rstrip(std::u32string_view s)
{
    std::size_t n = s.size();
    while (n > 0 && is_space(s[n - 1])) --n;
    return s.substr(0, n);
}

inline std::u32string_view strip(std::u32string_view s) { return rstrip(lstrip(s)); }

/// A whole number as JSON: int64 when it fits, else uint64, else the
/// nearest double (Python's ints have no bound; the request will not take
/// such a number anyway).
inline json::value whole_number(bool negative, std::string const& digits)
{
    std::uint64_t u = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), u);
    if (ec == std::errc{} && p == digits.data() + digits.size()) {
        if (!negative) {
            if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return static_cast<std::int64_t>(u);
            return u;
        }
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
            return static_cast<std::int64_t>(0 - u);
    }
    double d = std::strtod(digits.c_str(), nullptr);
    return negative ? -d : d;
}

/// Digits with single underscores between them, as int() and float() take
/// them; the underscores removed. False when malformed.
inline bool take_digits(std::u32string_view& s, std::string& out)
{
    std::size_t i = 0;
    bool any = false;
    while (i < s.size()) {
        if (s[i] >= U'0' && s[i] <= U'9') {
            out += static_cast<char>(s[i]);
            any = true;
            ++i;
        } else if (s[i] == U'_' && any && i + 1 < s.size() && s[i + 1] >= U'0' && s[i + 1] <= U'9') {
            ++i;
        } else {
            break;
        }
    }
    s.remove_prefix(i);
    return any;
}

/// int(s) for a str (or, with `bytes`, a bytes object): nullopt where
/// Python raises ValueError.
inline std::optional<json::value> parse_int(std::string_view s, bool bytes = false)
{
    text t = decode(s);
    std::u32string_view v = t;
    if (bytes) {  // ASCII whitespace only
        auto ws = [](char32_t c) { return c == U' ' || (c >= U'\t' && c <= U'\r'); };
        while (!v.empty() && ws(v.front())) v.remove_prefix(1);
        while (!v.empty() && ws(v.back())) v.remove_suffix(1);
    } else {
        v = strip(v);
    }
    bool negative = false;
    if (!v.empty() && (v.front() == U'+' || v.front() == U'-')) {
        negative = v.front() == U'-';
        v.remove_prefix(1);
    }
    std::string digits;
    if (!take_digits(v, digits) || !v.empty()) return std::nullopt;
    return whole_number(negative, digits);
}

/// float(s): nullopt where Python raises ValueError.
inline std::optional<double> parse_float(std::string_view s)
{
    text t = decode(s);
    std::u32string_view v = strip(t);
    std::string clean;
    if (!v.empty() && (v.front() == U'+' || v.front() == U'-')) {
        clean += static_cast<char>(v.front());
        v.remove_prefix(1);
    }
    auto lower = [](std::u32string_view w) {
        std::string out;
        for (char32_t c : w) out += c < 0x80 ? static_cast<char>(c >= U'A' && c <= U'Z' ? c + 32 : c) : '?';
        return out;
    };
    std::string word = lower(v);
    double sign = !clean.empty() && clean[0] == '-' ? -1.0 : 1.0;
    if (word == "inf" || word == "infinity") return sign * std::numeric_limits<double>::infinity();
    if (word == "nan") return std::numeric_limits<double>::quiet_NaN();
    bool whole = take_digits(v, clean);
    bool fraction = false;
    if (!v.empty() && v.front() == U'.') {
        v.remove_prefix(1);
        clean += '.';
        fraction = take_digits(v, clean);
    }
    if (!whole && !fraction) return std::nullopt;
    if (!v.empty() && (v.front() == U'e' || v.front() == U'E')) {
        v.remove_prefix(1);
        clean += 'e';
        if (!v.empty() && (v.front() == U'+' || v.front() == U'-')) {
            clean += static_cast<char>(v.front());
            v.remove_prefix(1);
        }
        if (!take_digits(v, clean)) return std::nullopt;
    }
    if (!v.empty()) return std::nullopt;
    return std::strtod(clean.c_str(), nullptr);
}

/// What json.loads raises: its message ("Expecting value: line 1 column 6 (char 5)").
struct json_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// json.loads(s), as Python's decoder (its C scanner) reads it: the same
/// documents accepted (NaN, Infinity, any number size, lone surrogate
/// escapes), the same messages and positions for the others. A repeated
/// key keeps its first place and its last value.
class json_loader {
public:
    explicit json_loader(std::string_view s) : s_(decode(s)) {}

    json::value load()
    {
        if (!s_.empty() && s_[0] == 0xFEFF) fail("Unexpected UTF-8 BOM (decode using utf-8-sig)", 0);
        std::size_t i = skip(0);
        std::size_t end = 0;
        json::value v = value(i, end, 0);
        end = skip(end);
        if (end != s_.size()) fail("Extra data", end);
        return v;
    }

private:
    text s_;

    // Nested documents deeper than this fail as Python's recursion limit
    // makes them fail (an uncaught RecursionError); it keeps our stack safe.
    static constexpr int max_depth = 900;

    [[noreturn]] void fail(std::string const& msg, std::size_t pos) const
    {
        std::size_t line = 1, last_newline = std::string::npos;
        for (std::size_t i = 0; i < pos && i < s_.size(); ++i)
            if (s_[i] == U'\n') { ++line; last_newline = i; }
        std::size_t column = last_newline == std::string::npos ? pos + 1 : pos - last_newline;
        throw json_error(msg + ": line " + std::to_string(line) + " column " + std::to_string(column) + " (char " +
                         std::to_string(pos) + ")");
    }

    [[noreturn]] void expecting_value(std::size_t pos) const { fail("Expecting value", pos); }

    static bool ws(char32_t c) { return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r'; }
    std::size_t skip(std::size_t i) const
    {
        while (i < s_.size() && ws(s_[i])) ++i;
        return i;
    }
    bool at(std::size_t i, std::u32string_view word) const
    {
        return s_.size() > i + word.size() - 1 && std::u32string_view(s_).substr(i, word.size()) == word;
    }
    static bool digit(char32_t c) { return c >= U'0' && c <= U'9'; }

    json::value value(std::size_t i, std::size_t& end, int depth)
    {
        if (i >= s_.size()) expecting_value(i);
        switch (s_[i]) {
        case U'"': return json::string(string(i + 1, end));
        case U'{': return object(i + 1, end, depth + 1);
        case U'[': return array(i + 1, end, depth + 1);
        case U'n': if (at(i, U"null")) { end = i + 4; return nullptr; } break;
        case U't': if (at(i, U"true")) { end = i + 4; return true; } break;
        case U'f': if (at(i, U"false")) { end = i + 5; return false; } break;
        case U'N': if (at(i, U"NaN")) { end = i + 3; return std::numeric_limits<double>::quiet_NaN(); } break;
        case U'I': if (at(i, U"Infinity")) { end = i + 8; return std::numeric_limits<double>::infinity(); } break;
        case U'-': if (at(i, U"-Infinity")) { end = i + 9; return -std::numeric_limits<double>::infinity(); } break;
        default: break;
        }
        return number(i, end);
    }

    json::value number(std::size_t start, std::size_t& end) const
    {
        std::size_t i = start, n = s_.size();
        if (s_[i] == U'-') {
            ++i;
            if (i >= n) expecting_value(start);
        }
        if (s_[i] >= U'1' && s_[i] <= U'9') {
            ++i;
            while (i < n && digit(s_[i])) ++i;
        } else if (s_[i] == U'0') {
            ++i;
        } else {
            expecting_value(start);
        }
        bool is_float = false;
        if (i + 1 < n && s_[i] == U'.' && digit(s_[i + 1])) {
            is_float = true;
            i += 2;
            while (i < n && digit(s_[i])) ++i;
        }
        if (i + 1 < n && (s_[i] == U'e' || s_[i] == U'E')) {
            std::size_t e = i++;
            if (i + 1 < n && (s_[i] == U'-' || s_[i] == U'+')) ++i;
            while (i < n && digit(s_[i])) ++i;
            if (digit(s_[i - 1])) is_float = true;
            else i = e;
        }
        end = i;
        std::string t;
        for (std::size_t k = start; k < i; ++k) t += static_cast<char>(s_[k]);
        if (is_float) return std::strtod(t.c_str(), nullptr);
        bool negative = t[0] == '-';
        return whole_number(negative, negative ? t.substr(1) : t);
    }

    // After the opening quote at begin - 1.
    std::string string(std::size_t begin, std::size_t& end) const
    {
        std::size_t const quote = begin - 1, n = s_.size();
        std::string out;
        std::size_t i = begin;
        for (;;) {
            while (i < n && s_[i] != U'"' && s_[i] != U'\\') {
                if (s_[i] <= 0x1F) fail("Invalid control character at", i);
                encode_to(out, s_[i]);
                ++i;
            }
            if (i >= n) fail("Unterminated string starting at", quote);
            if (s_[i] == U'"') { end = i + 1; return out; }
            ++i;  // past the backslash
            if (i == n) fail("Unterminated string starting at", quote);
            char32_t c = s_[i];
            if (c != U'u') {
                switch (c) {
                case U'"': case U'\\': case U'/': out += static_cast<char>(c); break;
                case U'b': out += '\b'; break;
                case U'f': out += '\f'; break;
                case U'n': out += '\n'; break;
                case U'r': out += '\r'; break;
                case U't': out += '\t'; break;
                default: fail("Invalid \\escape", i - 1);
                }
                ++i;
                continue;
            }
            std::size_t u = i;  // the 'u'
            // Four digits and something after them (the closing quote at least).
            if (u + 5 >= n) fail("Invalid \\uXXXX escape", u);
            char32_t cp = 0;
            if (!hex4(u + 1, cp)) fail("Invalid \\uXXXX escape", u);
            i = u + 5;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < n && s_[i] == U'\\' && s_[i + 1] == U'u') {
                char32_t low = 0;
                if (!hex4(i + 2, low)) fail("Invalid \\uXXXX escape", i + 1);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                }
            }
            encode_wtf8(out, cp);
        }
    }

    bool hex4(std::size_t i, char32_t& cp) const
    {
        for (std::size_t k = i; k < i + 4; ++k) {
            char32_t d = s_[k];
            cp <<= 4;
            if (d >= U'0' && d <= U'9') cp |= d - U'0';
            else if (d >= U'a' && d <= U'f') cp |= d - U'a' + 10;
            else if (d >= U'A' && d <= U'F') cp |= d - U'A' + 10;
            else return false;
        }
        return true;
    }

    // A lone surrogate from a \u escape has no UTF-8 form; it is written as
    // its three-byte pattern, which the request's reader then refuses.
    static void encode_wtf8(std::string& out, char32_t c)
    {
        if (c >= 0xD800 && c <= 0xDFFF) {
            out.push_back(static_cast<char>(0xE0 | (c >> 12)));
            out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
        } else {
            encode_to(out, c);
        }
    }

    void check_depth(int depth, char const* what) const
    {
        if (depth > max_depth)
            throw python_error(std::string("maximum recursion depth exceeded while decoding a JSON ") + what +
                               " from a unicode string");
    }

    json::value object(std::size_t i, std::size_t& end, int depth)
    {
        check_depth(depth, "object");
        json::object o;
        std::size_t n = s_.size();
        i = skip(i);
        if (i >= n || s_[i] != U'}') {
            for (;;) {
                if (i >= n || s_[i] != U'"') fail("Expecting property name enclosed in double quotes", i);
                std::size_t next = 0;
                std::string key = string(i + 1, next);
                i = skip(next);
                if (i >= n || s_[i] != U':') fail("Expecting ':' delimiter", i);
                i = skip(i + 1);
                json::value v = value(i, next, depth);
                o[key] = std::move(v);
                i = skip(next);
                if (i < n && s_[i] == U'}') break;
                if (i >= n || s_[i] != U',') fail("Expecting ',' delimiter", i);
                i = skip(i + 1);
            }
        }
        end = i + 1;
        return o;
    }

    json::value array(std::size_t i, std::size_t& end, int depth)
    {
        check_depth(depth, "array");
        json::array a;
        std::size_t n = s_.size();
        i = skip(i);
        if (i >= n || s_[i] != U']') {
            for (;;) {
                std::size_t next = 0;
                a.push_back(value(i, next, depth));
                i = skip(next);
                if (i < n && s_[i] == U']') break;
                if (i >= n || s_[i] != U',') fail("Expecting ',' delimiter", i);
                i = skip(i + 1);
            }
        }
        end = i + 1;
        return a;
    }
};

/// json.loads(s); throws json_error with Python's message, or python_error
/// for a document nested too deep.
inline json::value json_loads(std::string_view s)
{
    return json_loader(s).load();
}

} // namespace py

namespace shorthand {

/// A malformed shorthand value: the AWS CLI's message, without the
/// "Error parsing parameter '--x': " that names the option.
struct syntax_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The AWS CLI's shorthand grammar, on its own (no model): the value as
/// objects, arrays and strings.
///   a=b,c=d          {"a":"b","c":"d"}
///   a=b,c            {"a":["b","c"]}
///   a=[b,c],d={e=f}  {"a":["b","c"],"d":{"e":"f"}}
///   a='x,y',b="q\"r" quoted values; a=x\,y escapes a comma
class parser {
public:
    explicit parser(std::string_view input) : s_(py::decode(input)) {}

    json::value parse()
    {
        i_ = 0;
        return parameter();
    }

private:
    py::text s_;
    std::ptrdiff_t i_ = 0;
    std::vector<std::ptrdiff_t> quoted_end_[2];  // see quoted_end()

    std::size_t pos() const { return static_cast<std::size_t>(i_); }
    bool eof() const { return pos() >= s_.size(); }
    // The current code point, or 0 at the end (0 is nothing the grammar looks for).
    char32_t current() const { return eof() ? 0 : s_[pos()]; }

    // Where the error is: the input, then a caret under position `index`;
    // on an input of several lines, the caret follows the line it is on.
    std::string location(std::size_t index) const
    {
        std::u32string_view all(s_);
        std::u32string_view consumed = all, remaining;
        std::size_t spaces = index;
        auto before = all.substr(0, index);
        if (auto nl = before.rfind(U'\n'); nl != std::u32string_view::npos) spaces = index - nl - 1;
        if (index < all.size())
            if (auto nl = all.find(U'\n', index); nl != std::u32string_view::npos) {
                consumed = all.substr(0, nl);
                remaining = all.substr(nl);
            }
        return py::encode(consumed) + "\n" + std::string(spaces, ' ') + "^" + py::encode(remaining);
    }

    [[noreturn]] void syntax(std::string const& expected, std::string const& actual, std::size_t index) const
    {
        throw syntax_error("Expected: '" + expected + "', received: '" + actual + "' for input:\n" + location(index));
    }

    static bool in_key(char32_t c)
    {
        return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || (c >= U'0' && c <= U'9') || c == U'-' ||
               c == U'_' || c == U'.' || c == U'#' || c == U'/' || c == U':';
    }
    // Python's \s in its character classes (the ASCII part is what matters:
    // every code point from U+007E up is in both classes anyway).
    static bool re_space(char32_t c) { return py::is_space(c); }
    static bool start_word(char32_t c)
    {
        return c == U'!' || (c >= U'#' && c <= U'&') || (c >= U'(' && c <= U'+') || (c >= U'-' && c <= U'<') ||
               (c >= U'>' && c <= U'Z') || (c >= U'\\' && c <= U'z') || (c >= U'|' && c <= 0xFFFF);
    }
    static bool first_follow(char32_t c)
    {
        return re_space(c) || c == U'!' || (c >= U'#' && c <= U'&') || (c >= U'(' && c <= U'+') ||
               (c >= U'-' && c <= U'\\') || (c >= U'^' && c <= U'|') || (c >= U'~' && c <= 0xFFFF);
    }
    static bool second_follow(char32_t c)
    {
        return re_space(c) || c == U'!' || (c >= U'#' && c <= U'&') || (c >= U'(' && c <= U'+') ||
               (c >= U'-' && c <= U'<') || (c >= U'>' && c <= 0xFFFF);
    }

    void consume_whitespace()
    {
        while (!eof() && (current() == U' ' || (current() >= U'\t' && current() <= U'\r'))) ++i_;
    }

    void expect(char32_t c, bool whitespace = false)
    {
        if (whitespace) consume_whitespace();
        if (eof()) syntax(py::encode(std::u32string(1, c)), "EOF", pos());
        if (current() != c) syntax(py::encode(std::u32string(1, c)), py::encode(std::u32string(1, current())), pos());
        ++i_;
        if (whitespace) consume_whitespace();
    }

    // A word: an escaped comma or a character of the first class, then
    // escaped commas or characters of the follow class. Empty if none.
    std::u32string_view word(bool (*first)(char32_t), bool (*follow)(char32_t))
    {
        std::size_t start = pos(), i = start, n = s_.size();
        auto step = [&](bool (*cls)(char32_t)) {
            if (i + 1 < n && s_[i] == U'\\' && s_[i + 1] == U',') { i += 2; return true; }
            if (i < n && cls(s_[i])) { ++i; return true; }
            return false;
        };
        if (step(first))
            while (step(follow)) {}
        i_ = static_cast<std::ptrdiff_t>(i);
        return std::u32string_view(s_).substr(start, i - start);
    }

    static json::value cleaned(std::u32string_view w)
    {
        std::u32string out;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (w[i] == U'\\' && i + 1 < w.size() && w[i + 1] == U',') {
                out += U',';
                ++i;
            } else {
                out += w[i];
            }
        }
        return json::string(py::encode(py::rstrip(out)));
    }

    // Where the quoted value starting at the quote at `start` ends (one
    // past its closing quote), or -1: the value of the regular expression
    //   q(?:\\\\|\\q|[^q])*q
    // as Python's backtracking matcher finds it. Its result after a
    // position depends on that position only, so it is computed once, from
    // the end, for every position.
    std::ptrdiff_t quoted_end(std::size_t start, char32_t q)
    {
        auto& f = quoted_end_[q == U'"' ? 1 : 0];
        std::size_t n = s_.size();
        if (f.empty()) {
            f.assign(n + 2, -1);
            for (std::size_t j = n; j-- > 0;) {
                std::ptrdiff_t r = -1;
                if (j + 1 < n && s_[j] == U'\\' && s_[j + 1] == U'\\') r = f[j + 2];
                if (r < 0 && j + 1 < n && s_[j] == U'\\' && s_[j + 1] == q) r = f[j + 2];
                if (r < 0 && s_[j] != q) r = f[j + 1];
                if (r < 0 && s_[j] == q) r = static_cast<std::ptrdiff_t>(j + 1);
                f[j] = r;
            }
        }
        return f[start + 1];
    }

    json::value quoted()
    {
        char32_t q = current();
        auto end = quoted_end(pos(), q);
        if (end < 0) syntax(q == U'"' ? "<double quoted>" : "<singled quoted>", "<none>", pos());
        std::u32string inner(s_.substr(pos() + 1, static_cast<std::size_t>(end) - pos() - 2));
        i_ = end;
        auto replace = [](std::u32string& s, std::u32string_view from, std::u32string_view to) {
            std::u32string out;
            for (std::size_t i = 0; i < s.size();) {
                if (s.compare(i, from.size(), from) == 0) { out += to; i += from.size(); }
                else out += s[i++];
            }
            s = std::move(out);
        };
        std::u32string escaped_quote{U'\\', q};
        replace(inner, escaped_quote, std::u32string(1, q));
        replace(inner, U"\\\\", U"\\");
        return json::string(py::encode(inner));
    }

    json::value parameter()
    {
        json::object params;
        auto [key, val] = keyval();
        params[key] = std::move(val);
        std::ptrdiff_t last = i_;
        while (!eof()) {
            expect(U',', true);
            auto [k, v] = keyval();
            if (params.contains(k))
                throw syntax_error("Second instance of key \"" + k + "\" encountered for input:\n" +
                                   location(static_cast<std::size_t>(last + 1)) +
                                   "\nThis is often because there is a preceding \",\" instead of a space.");
            params[k] = std::move(v);
            last = i_;
        }
        return params;
    }

    std::pair<std::string, json::value> keyval()
    {
        std::string k = key();
        expect(U'=', true);
        return {std::move(k), values()};
    }

    std::string key()
    {
        std::size_t start = pos();
        while (!eof() && in_key(current())) ++i_;
        return py::encode(std::u32string_view(s_).substr(start, pos() - start));
    }

    json::value values()
    {
        if (eof()) return json::string();
        if (current() == U'[') return explicit_list();
        if (current() == U'{') return hash_literal();
        return csv_value();
    }

    // foo=bar -> "bar"; foo=bar,baz -> ["bar","baz"]; in a=b,c=d the ",c"
    // is the next key: the second word fails on its '=' and the parser
    // steps back to the comma.
    json::value csv_value()
    {
        json::value first = first_value();
        consume_whitespace();
        if (eof() || current() != U',') return first;
        expect(U',', true);
        json::array list{first};
        for (;;) {
            try {
                json::value v = second_value();
                consume_whitespace();
                if (eof()) {
                    list.push_back(std::move(v));
                    break;
                }
                expect(U',', true);
                list.push_back(std::move(v));
            } catch (syntax_error const&) {
                if (eof()) throw;
                while (i_ >= 0 && s_[pos()] != U',') --i_;
                break;
            }
        }
        if (list.size() == 1) return first;
        return list;
    }

    json::value first_value()
    {
        if (current() == U'\'' || current() == U'"') return quoted();
        return cleaned(word(start_word, first_follow));
    }

    json::value second_value()
    {
        if (current() == U'\'' || current() == U'"') return quoted();
        std::size_t at = pos();
        auto w = word(start_word, second_follow);
        if (w.empty()) syntax("<second>", "<none>", at);
        return cleaned(w);
    }

    json::value explicit_values()
    {
        if (current() == U'[') return explicit_list();
        if (current() == U'{') return hash_literal();
        return first_value();
    }

    json::value explicit_list()
    {
        expect(U'[', true);
        json::array values;
        while (eof() || current() != U']') {
            values.push_back(explicit_values());
            consume_whitespace();
            if (eof() || current() != U']') {
                expect(U',');
                consume_whitespace();
            }
        }
        expect(U']');
        return values;
    }

    json::value hash_literal()
    {
        expect(U'{', true);
        json::object keyvals;
        while (eof() || current() != U'}') {
            std::string k = key();
            expect(U'=', true);
            json::value v = explicit_values();
            consume_whitespace();
            if (eof() || current() != U'}') {
                expect(U',');
                consume_whitespace();
            }
            keyvals[k] = std::move(v);
        }
        expect(U'}');
        return keyvals;
    }
};

/// The shorthand grammar alone; throws syntax_error.
inline json::value parse(std::string_view input)
{
    return parser(input).parse();
}

/// int(v) as the AWS CLI applies it to a shorthand value.
inline json::value to_int(json::value const& v)
{
    if (!v.is_string())
        throw py::value_error("int() argument must be a string, a bytes-like object or a real number, not '" +
                           py::bare_type_name(v) + "'");
    std::string_view s = v.get_string();
    if (auto r = py::parse_int(s)) return *r;
    throw py::value_error("invalid literal for int() with base 10: " + py::repr(s));
}

/// float(v).
inline json::value to_float(json::value const& v)
{
    if (!v.is_string())
        throw py::value_error("float() argument must be a string or a real number, not '" + py::bare_type_name(v) + "'");
    std::string_view s = v.get_string();
    if (auto r = py::parse_float(s)) return *r;
    throw py::value_error("could not convert string to float: " + py::repr(s));
}

inline std::string ascii_lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// The AWS CLI's conversion of parsed shorthand by the member's type (its
/// BackCompatVisitor): integers and doubles converted (int()/float(), whose
/// errors it does not catch), "true"/"false" as booleans (anything else
/// left as it is), a single value where a list belongs made a list of
/// that value (not converted: `bins=1000` stays ["1000"], which the
/// request's validation then refuses, as the AWS CLI's does). Members the
/// type lacks are left for validation to report.
inline void convert(crd::type_info const& ti, json::value& v)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::structure:
        if (!v.is_object()) return;
        for (std::size_t i = 0; i < ti.member_count; ++i) {
            auto const& m = ti.members[i];
            if (auto* x = v.get_object().if_contains(m.name)) convert(m.type(), *x);
        }
        return;
    case value_kind::list:
        if (!v.is_array()) {
            json::array wrapped{std::move(v)};
            v = std::move(wrapped);
            return;
        }
        for (auto& x : v.get_array()) convert(ti.element(), x);
        return;
    case value_kind::map:
        if (!v.is_object()) return;
        for (auto& kv : v.get_object()) convert(ti.element(), kv.value());
        return;
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
        v = to_int(v);
        return;
    case value_kind::float32: case value_kind::float64:
        v = to_float(v);
        return;
    case value_kind::boolean:
        if (!v.is_string())
            throw python_error("'" + py::bare_type_name(v) + "' object has no attribute 'lower'");
        if (auto l = ascii_lower(v.get_string()); l == "true") v = true;
        else if (l == "false") v = false;
        return;
    case value_kind::string: case value_kind::timestamp:
        return;
    }
}

/// Whether the AWS CLI takes shorthand for a member of this type at all:
/// structures, maps, and lists of structures, lists or maps.
inline bool supported(crd::type_info const& ti)
{
    using crd::value_kind;
    if (ti.kind == value_kind::structure || ti.kind == value_kind::map) return true;
    if (ti.kind != value_kind::list) return false;
    auto k = ti.element().kind;
    return k == value_kind::structure || k == value_kind::list || k == value_kind::map;
}

} // namespace shorthand

/// One option's value as the AWS CLI hands it to its parsers: the text of
/// the option (or of the file:// it named), the bytes of a fileb://, or the
/// several words of a list option.
struct option_value {
    enum class form { text, bytes, words };
    form kind = form::text;
    std::string value;               // text and bytes
    std::vector<std::string> words;  // words

    static option_value of_text(std::string s) { return {form::text, std::move(s), {}}; }
    static option_value of_bytes(std::string s) { return {form::bytes, std::move(s), {}}; }
    static option_value of_words(std::vector<std::string> w) { return {form::words, {}, std::move(w)}; }
};

namespace detail_unpack {

inline std::u32string_view head(py::text const& t) { return py::lstrip(t); }

inline bool looks_like_json(std::string_view s)
{
    auto t = py::decode(s);
    auto h = py::strip(t);
    return !h.empty() && (h.front() == U'[' || h.front() == U'{');
}

inline usage_error param_error(std::string const& option, std::string const& message)
{
    return usage_error("Error parsing parameter '" + option + "': " + message);
}

inline json::value load_json(std::string_view text, std::string const& option)
{
    try {
        return py::json_loads(text);
    } catch (py::json_error const& e) {
        throw param_error(option, "Invalid JSON: " + std::string(e.what()) + "\nJSON received: " + std::string(text));
    }
}

// One element of a list given as words, a file's characters or bytes: a
// string, or (from fileb://) a byte's value.
using element = json::value;

inline json::value unpack_element(crd::type_info const& ti, element const& e, std::string const& option);

// The AWS CLI's reading of a value that is no shorthand: JSON for
// structures and maps (which must then start with '{'), JSON or elements
// for lists, and scalars by their type.
inline json::value unpack_list(crd::type_info const& ti, std::vector<element> const& elements, std::string const& option)
{
    json::array out;
    try {
        for (auto const& e : elements) out.push_back(unpack_element(ti.element(), e, option));
    } catch (py::value_error const&) {
        // int() and float() errors of the elements: the AWS CLI names the first element instead.
        auto const& first = elements.front();
        throw param_error(option, first.is_string() ? std::string(first.get_string()) : py::repr(first));
    }
    return out;
}

inline std::vector<element> characters(std::string_view s)
{
    std::vector<element> out;
    for (char32_t c : py::decode(s)) out.emplace_back(json::string(py::encode(std::u32string(1, c))));
    return out;
}

inline json::value unpack_element(crd::type_info const& ti, element const& e, std::string const& option)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
        if (e.is_string()) {
            if (auto r = py::parse_int(e.get_string())) return *r;
            throw py::value_error("invalid literal for int() with base 10: " + py::repr(std::string_view(e.get_string())));
        }
        return e;
    case value_kind::float32: case value_kind::float64:
        if (e.is_string()) {
            if (auto r = py::parse_float(e.get_string())) return *r;
            throw py::value_error("could not convert string to float: " + py::repr(std::string_view(e.get_string())));
        }
        return e.is_int64() ? json::value(static_cast<double>(e.get_int64())) : e;
    case value_kind::boolean:
        // bool(value), except that "false" (any case) is False.
        if (e.is_string()) return !(e.get_string().empty() || shorthand::ascii_lower(e.get_string()) == "false");
        return e.is_int64() ? json::value(e.get_int64() != 0) : e;
    case value_kind::string: case value_kind::timestamp:
        return e;
    case value_kind::structure: case value_kind::map: {
        if (!e.is_string()) throw python_error("'int' object has no attribute 'lstrip'");
        auto t = py::decode(e.get_string());
        auto h = head(t);
        if (h.empty()) throw python_error("string index out of range");
        if (h.front() == U'{') return load_json(e.get_string(), option);
        throw param_error(option, "Invalid JSON:\n" + std::string(e.get_string()));
    }
    case value_kind::list: {
        if (!e.is_string()) throw py::value_error("'int' object is not iterable");
        auto t = py::decode(e.get_string());
        auto h = head(t);
        if (h.empty()) throw python_error("string index out of range");
        if (h.front() == U'[') return load_json(e.get_string(), option);
        return unpack_list(ti, characters(e.get_string()), option);
    }
    }
    return e;
}

} // namespace detail_unpack

/// Shorthand for a member of type `target` (a structure, a map, or a list
/// of structures, lists or maps), converted as the AWS CLI converts it;
/// throws usage_error("Error parsing parameter '<option>': ...") for
/// malformed input, python_error for a conversion the AWS CLI fails on
/// with a Python exception.
inline json::value parse_shorthand(std::string_view text, crd::type_info const& target, std::string const& option)
{
    json::value v;
    try {
        v = shorthand::parse(text);
    } catch (shorthand::syntax_error const& e) {
        throw detail_unpack::param_error(option, e.what());
    }
    // A single structure where a list belongs stays as it is (the AWS CLI
    // wraps it in a list it then drops); validation refuses it.
    if (target.kind != crd::value_kind::list || v.is_array()) shorthand::convert(target, v);
    return v;
}

/// The value of one option for a member of type `ti`, read as the AWS CLI
/// reads it once argparse and the file:// step are done: shorthand when
/// the type takes it and the value does not start with '[' or '{', else
/// JSON, several words for a list, or a scalar by its type. Throws
/// usage_error (exit 252) or python_error (exit 255) with the AWS CLI's
/// message. Scalars of the request's own top level are the caller's
/// (options.hpp): their errors and file forms differ.
inline json::value unpack_option(crd::type_info const& ti, option_value const& v, std::string const& option)
{
    using crd::value_kind;
    using form = option_value::form;
    namespace du = detail_unpack;

    // Shorthand, unless the (first) value looks like JSON.
    bool json_like = false;
    if (v.kind == form::text) json_like = du::looks_like_json(v.value);
    else if (v.kind == form::words && !v.words.empty()) json_like = du::looks_like_json(v.words.front());
    if (!json_like && shorthand::supported(ti)) {
        if (v.kind == form::bytes)  // Python's parser indexes the bytes and fails on the ints it gets
            throw python_error(v.value.empty() ? "a bytes-like object is required, not 'str'"
                                               : "'in <string>' requires string as left operand, not int");
        // A structure of a single string member "Value" takes the bare value.
        if (ti.kind == value_kind::structure && ti.member_count == 1 && ti.members[0].name == "Value" &&
            ti.members[0].type().kind == value_kind::string) {
            bool has_eq = v.kind == form::text ? v.value.find('=') != std::string::npos
                                               : std::find(v.words.begin(), v.words.end(), "=") != v.words.end();
            if (!has_eq) {
                json::object o;
                if (v.kind == form::text) o["Value"] = v.value;
                else {
                    json::array a;
                    for (auto const& w : v.words) a.emplace_back(w);
                    o["Value"] = std::move(a);
                }
                return o;
            }
        }
        if (v.kind == form::words) {
            json::array items;
            for (auto const& w : v.words) {
                try {
                    items.push_back(shorthand::parse(w));
                } catch (shorthand::syntax_error const& e) {
                    throw du::param_error(option, e.what());
                }
            }
            json::value all = std::move(items);
            shorthand::convert(ti, all);
            return all;
        }
        return parse_shorthand(v.value, ti, option);
    }

    switch (ti.kind) {
    case value_kind::structure: case value_kind::map: {
        // Here the value starts with '[' or '{'; only '{' is JSON for these.
        auto t = py::decode(v.value);
        auto h = du::head(t);
        if (v.kind == form::text && !h.empty() && h.front() == U'{') return du::load_json(v.value, option);
        throw du::param_error(option, "Invalid JSON:\n" + v.value);
    }
    case value_kind::list: {
        std::vector<du::element> elements;
        if (v.kind == form::text) {
            auto t = py::decode(v.value);
            auto h = du::head(t);
            if (h.empty()) throw python_error("string index out of range");
            if (h.front() == U'[') return du::load_json(v.value, option);
            elements = du::characters(v.value);  // a file's text, one character at a time
        } else if (v.kind == form::bytes) {
            for (char c : v.value) elements.emplace_back(static_cast<std::int64_t>(static_cast<unsigned char>(c)));
        } else {
            if (v.words.size() == 1) {
                auto t = py::decode(v.words[0]);
                auto s = py::strip(t);
                if (!s.empty() && s.front() == U'[') return du::load_json(v.words[0], option);
            }
            for (auto const& w : v.words) elements.emplace_back(json::string(w));
        }
        if (elements.empty()) return json::array();
        return du::unpack_list(ti, elements, option);
    }
    default:
        return du::unpack_element(ti, json::string(v.value), option);
    }
}

} // namespace cli

#endif
