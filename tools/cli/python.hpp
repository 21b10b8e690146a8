#ifndef CLEANROOMSML_TOOLS_CLI_PYTHON_HPP
#define CLEANROOMSML_TOOLS_CLI_PYTHON_HPP

// The Python behaviours that show through the AWS CLI (and jmespath.py) in
// what scripts see: repr() and str() of values, float repr, type names,
// str.upper(), and json.dumps. One copy, used by the output formats, the
// option parsers, --query and the CLI's messages.
//
// Strings are walked as code points, as Python walks its str; bytes that are
// not UTF-8 stand for themselves (U+DC80..U+DCFF, Python's surrogateescape,
// as it decodes argv). JSON values hold valid UTF-8 (Boost.JSON checks).

#include "unicode_data.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

namespace cli::py {

namespace json = boost::json;

using text = std::u32string;

/// UTF-8 to code points; a byte that starts no valid sequence becomes
/// U+DC80..U+DCFF (surrogateescape).
inline text decode(std::string_view s)
{
    text out;
    out.reserve(s.size());
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto cont = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0) == 0x80; };
    for (std::size_t i = 0; i < s.size();) {
        unsigned char b = byte(i);
        char32_t c = 0;
        std::size_t n = 0;
        if (b < 0x80) { c = b; n = 1; }
        else if (b >= 0xC2 && b < 0xE0 && cont(i + 1)) { c = ((b & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu); n = 2; }
        else if (b >= 0xE0 && b < 0xF0 && cont(i + 1) && cont(i + 2)) {
            c = ((b & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
            if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) n = 3;
        } else if (b >= 0xF0 && b < 0xF5 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
            c = ((b & 0x07u) << 18) | ((byte(i + 1) & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) | (byte(i + 3) & 0x3Fu);
            if (c >= 0x10000 && c <= 0x10FFFF) n = 4;
        }
        if (n == 0) { c = 0xDC00 + b; n = 1; }
        out.push_back(c);
        i += n;
    }
    return out;
}

/// A code point back to UTF-8; U+DC80..U+DCFF become the bytes they stand for.
inline void encode_to(std::string& out, char32_t c)
{
    if (c >= 0xDC80 && c <= 0xDCFF) out.push_back(static_cast<char>(c - 0xDC00));
    else if (c < 0x80) out.push_back(static_cast<char>(c));
    else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

inline std::string encode(std::u32string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char32_t c : s) encode_to(out, c);
    return out;
}

/// str.isprintable() of one character.
inline bool is_printable(char32_t c)
{
    if (c < 0x20 || c == 0x7F) return false;
    return c < 0x7F || !unicode_data::in_ranges(unicode_data::unprintable_chars, c);
}

/// str.upper().
inline std::string upper(std::string_view s)
{
    namespace ud = unicode_data;
    std::string out;
    for (char32_t c : decode(s)) {
        if (c < 0x80) {
            out += static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
            continue;
        }
        auto sp = std::lower_bound(std::begin(ud::upper_specials), std::end(ud::upper_specials), c,
                                   [](ud::upper_special const& u, char32_t x) { return u.c < x; });
        if (sp != std::end(ud::upper_specials) && sp->c == c) { out += sp->upper; continue; }
        auto run = std::upper_bound(std::begin(ud::upper_runs), std::end(ud::upper_runs), c,
                                    [](char32_t x, ud::upper_run const& r) { return x < r.first; });
        if (run != std::begin(ud::upper_runs)) {
            auto const& r = *std::prev(run);
            if (c <= r.last && (c - r.first) % static_cast<char32_t>(r.stride) == 0) {
                encode_to(out, static_cast<char32_t>(static_cast<std::int64_t>(c) + r.delta));
                continue;
            }
        }
        encode_to(out, c);
    }
    return out;
}

namespace detail {

inline void hex_escape(std::string& out, char prefix, std::uint32_t v, int digits)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '\\';
    out += prefix;
    for (int i = digits - 1; i >= 0; --i) out += hex[(v >> (4 * i)) & 0xF];
}

} // namespace detail

/// repr(str): quoted and escaped as CPython's unicode_repr.
inline std::string repr(std::u32string_view s)
{
    bool has_single = s.find(U'\'') != std::u32string_view::npos;
    bool has_double = s.find(U'"') != std::u32string_view::npos;
    char32_t quote = has_single && !has_double ? U'"' : U'\'';
    std::string out(1, static_cast<char>(quote));
    for (char32_t c : s) {
        if (c == quote || c == U'\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c == U'\t') out += "\\t";
        else if (c == U'\n') out += "\\n";
        else if (c == U'\r') out += "\\r";
        else if (is_printable(c)) encode_to(out, c);
        else if (c < 0x100) detail::hex_escape(out, 'x', c, 2);
        else if (c < 0x10000) detail::hex_escape(out, 'u', c, 4);
        else detail::hex_escape(out, 'U', c, 8);
    }
    out += static_cast<char>(quote);
    return out;
}

inline std::string repr(std::string_view utf8) { return repr(decode(utf8)); }

/// repr(bytes): b'...'.
inline std::string repr_bytes(std::string_view s)
{
    bool has_single = s.find('\'') != std::string_view::npos;
    bool has_double = s.find('"') != std::string_view::npos;
    char quote = has_single && !has_double ? '"' : '\'';
    std::string out = "b";
    out += quote;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (ch == quote || ch == '\\') { out += '\\'; out += ch; }
        else if (ch == '\t') out += "\\t";
        else if (ch == '\n') out += "\\n";
        else if (ch == '\r') out += "\\r";
        else if (c < 0x20 || c >= 0x7F) detail::hex_escape(out, 'x', c, 2);
        else out += ch;
    }
    out += quote;
    return out;
}

/// repr(float): the shortest digits that read back, in Python's layout
/// (1.0, 0.0001, 1e-05, 1e+16, inf, nan).
inline std::string float_repr(double v)
{
    if (std::isnan(v)) return "nan";
    if (std::isinf(v)) return v < 0 ? "-inf" : "inf";
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));  // "-1.2345e+16"
    std::string out;
    if (sci.front() == '-') { out += '-'; sci.remove_prefix(1); }
    auto e = sci.find('e');
    std::string digits(1, sci[0]);
    if (e > 1) digits += sci.substr(2, e - 2);
    int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    int point = exp + 1;  // digits are 0.d1d2... * 10^point
    if (point <= -4 || point > 16) {
        out += digits[0];
        if (digits.size() > 1) { out += '.'; out += digits.substr(1); }
        std::string e = std::to_string(exp < 0 ? -exp : exp);
        if (e.size() < 2) e.insert(0, "0");  // at least two digits: 1e-05
        return out + (exp < 0 ? "e-" : "e+") + e;
    }
    if (point <= 0) return out + "0." + std::string(static_cast<std::size_t>(-point), '0') + digits;
    if (static_cast<std::size_t>(point) >= digits.size())
        return out + digits + std::string(static_cast<std::size_t>(point) - digits.size(), '0') + ".0";
    return out + digits.substr(0, static_cast<std::size_t>(point)) + "." + digits.substr(static_cast<std::size_t>(point));
}

/// type(v) as Python prints it: "<class 'str'>".
inline std::string type_name(json::value const& v)
{
    switch (v.kind()) {
    case json::kind::string: return "<class 'str'>";
    case json::kind::int64: case json::kind::uint64: return "<class 'int'>";
    case json::kind::double_: return "<class 'float'>";
    case json::kind::bool_: return "<class 'bool'>";
    case json::kind::null: return "<class 'NoneType'>";
    case json::kind::array: return "<class 'list'>";
    case json::kind::object: return "<class 'dict'>";
    }
    return "<class 'object'>";
}

/// The bare name of that type, as TypeError messages give it: "str".
inline std::string bare_type_name(json::value const& v)
{
    auto t = type_name(v);
    return t.substr(8, t.size() - 10);
}

inline std::string repr(json::value const& v);

/// str(v): what "%s" and print() write (a string as it is, containers with
/// repr() inside).
inline std::string str(json::value const& v)
{
    if (v.is_string()) return std::string(v.get_string());
    return repr(v);
}

inline std::string repr(json::value const& v)
{
    switch (v.kind()) {
    case json::kind::string: return repr(std::string_view(v.get_string()));
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: return float_repr(v.get_double());
    case json::kind::bool_: return v.get_bool() ? "True" : "False";
    case json::kind::null: return "None";
    case json::kind::array: {
        std::string out = "[";
        bool first = true;
        for (auto const& x : v.get_array()) {
            if (!first) out += ", ";
            first = false;
            out += repr(x);
        }
        return out + "]";
    }
    case json::kind::object: {
        std::string out = "{";
        bool first = true;
        for (auto const& kv : v.get_object()) {
            if (!first) out += ", ";
            first = false;
            out += repr(std::string_view(kv.key())) + ": " + repr(kv.value());
        }
        return out + "}";
    }
    }
    return {};
}

/// Python's truth value: None, False, 0, 0.0, "", [], {} are false.
inline bool truthy(json::value const& v)
{
    switch (v.kind()) {
    case json::kind::null: return false;
    case json::kind::bool_: return v.get_bool();
    case json::kind::int64: return v.get_int64() != 0;
    case json::kind::uint64: return v.get_uint64() != 0;
    case json::kind::double_: return v.get_double() != 0.0;
    case json::kind::string: return !v.get_string().empty();
    case json::kind::array: return !v.get_array().empty();
    case json::kind::object: return !v.get_object().empty();
    }
    return true;
}

// ---- json.dumps --------------------------------------------------------------

/// json.dumps' arguments that the AWS CLI and jmespath.py vary.
struct dumps_style {
    int indent = -1;                          ///< indent=N; -1 is None: all on one line
    bool ensure_ascii = true;                 ///< non-ASCII (and DEL) as \uXXXX
    std::string_view item_separator = ", ";   ///< separators=(item, key)
    std::string_view key_separator = ": ";
};

/// A string as json.dumps writes it.
inline void json_string(std::string& out, std::string_view s, bool ensure_ascii)
{
    auto put = [&](char32_t c) {
        switch (c) {
        case '"': out += "\\\""; return;
        case '\\': out += "\\\\"; return;
        case '\n': out += "\\n"; return;
        case '\r': out += "\\r"; return;
        case '\t': out += "\\t"; return;
        case '\b': out += "\\b"; return;
        case '\f': out += "\\f"; return;
        }
        if (c >= 0x20 && c < 0x7F) {
            out += static_cast<char>(c);
        } else if (c < 0x10000) {
            detail::hex_escape(out, 'u', c, 4);
        } else {  // a UTF-16 surrogate pair
            detail::hex_escape(out, 'u', 0xD800 + ((c - 0x10000) >> 10), 4);
            detail::hex_escape(out, 'u', 0xDC00 + ((c - 0x10000) & 0x3FF), 4);
        }
    };
    out += '"';
    if (ensure_ascii) {
        for (char32_t c : decode(s)) put(c);
    } else {
        for (char ch : s) {
            auto b = static_cast<unsigned char>(ch);
            if (b >= 0x7F) out += ch;  // DEL and non-ASCII as they are
            else put(b);
        }
    }
    out += '"';
}

/// A float as json.dumps writes it: repr(), or NaN, Infinity, -Infinity.
inline std::string json_float(double d)
{
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
    return float_repr(d);
}

/// json.dumps(v, ...) appended to out; `depth` is the indentation level.
inline void dumps(std::string& out, json::value const& v, dumps_style const& style = {}, int depth = 0)
{
    auto next = [&](bool first, int d) {
        if (!first) out += style.item_separator;
        if (style.indent >= 0) {
            out += '\n';
            out.append(static_cast<std::size_t>(style.indent * d), ' ');
        }
    };
    switch (v.kind()) {
    case json::kind::string: json_string(out, v.get_string(), style.ensure_ascii); return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::null: out += "null"; return;
    case json::kind::double_: out += json_float(v.get_double()); return;
    case json::kind::int64: out += std::to_string(v.get_int64()); return;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); return;
    case json::kind::array: {
        auto const& a = v.get_array();
        if (a.empty()) { out += "[]"; return; }
        out += '[';
        bool first = true;
        for (auto const& x : a) {
            next(first, depth + 1);
            first = false;
            dumps(out, x, style, depth + 1);
        }
        next(true, depth);
        out += ']';
        return;
    }
    case json::kind::object: {
        auto const& o = v.get_object();
        if (o.empty()) { out += "{}"; return; }
        out += '{';
        bool first = true;
        for (auto const& kv : o) {
            next(first, depth + 1);
            first = false;
            json_string(out, kv.key(), style.ensure_ascii);
            out += style.key_separator;
            dumps(out, kv.value(), style, depth + 1);
        }
        next(true, depth);
        out += '}';
        return;
    }
    }
}

} // namespace cli::py

#endif
