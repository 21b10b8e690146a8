#ifndef CLEANROOMSML_TOOLS_CLI_JMESPATH_HPP
#define CLEANROOMSML_TOOLS_CLI_JMESPATH_HPP

// JMESPath (https://jmespath.org/specification.html) over Boost.JSON values,
// for the CLI's --query. A lexer, a Pratt (top-down operator precedence)
// parser building a small tree, and a tree-walking evaluator.
//
// Where the specification leaves room, this follows jmespath.py 1.0.1, which
// the AWS CLI uses: strings can be ordered with < <= > >=, error messages
// have its wording, and to_string() writes JSON as Python's json.dumps does.
// Integers stay integers (length() gives 2, not 2.0).

#include "python.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli::jmespath {

namespace json = boost::json;

/// A JMESPath error; `what_kind` is the compliance suite's error class.
struct error : std::runtime_error {
    enum class kind { syntax, invalid_type, invalid_value, invalid_arity, unknown_function };
    kind what_kind;
    error(kind k, std::string const& message) : std::runtime_error(message), what_kind(k) {}
};

/// The suite's spelling of a kind: "syntax", "invalid-type", ...
inline char const* kind_name(error::kind k) noexcept
{
    switch (k) {
    case error::kind::syntax: return "syntax";
    case error::kind::invalid_type: return "invalid-type";
    case error::kind::invalid_value: return "invalid-value";
    case error::kind::invalid_arity: return "invalid-arity";
    case error::kind::unknown_function: return "unknown-function";
    }
    return "unknown";
}

namespace detail {

// Bounds on recursion: nesting in the text (parser recursion) and depth of
// the tree (evaluation recursion), so hostile input fails cleanly.
inline constexpr int max_nesting = 256;
inline constexpr int max_depth = 512;
// Nesting accepted inside a `...` JSON literal.
inline constexpr std::size_t max_literal_depth = 256;

// ---- UTF-8 -----------------------------------------------------------------

inline bool decode_utf8(std::string_view s, std::u32string& out, std::size_t& bad_at)
{
    out.clear();
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        char32_t cp = 0;
        std::size_t n = 0;
        if (c < 0x80) { cp = c; n = 1; }
        else if (c >= 0xC2 && c <= 0xDF) { cp = c & 0x1Fu; n = 2; }
        else if (c >= 0xE0 && c <= 0xEF) { cp = c & 0x0Fu; n = 3; }
        else if (c >= 0xF0 && c <= 0xF4) { cp = c & 0x07u; n = 4; }
        else { bad_at = out.size(); return false; }
        if (i + n > s.size()) { bad_at = out.size(); return false; }
        for (std::size_t k = 1; k < n; ++k) {
            auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) { bad_at = out.size(); return false; }
            cp = (cp << 6) | (d & 0x3Fu);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            bad_at = out.size();
            return false;
        }
        out.push_back(cp);
        i += n;
    }
    return true;
}

inline void append_utf8(std::string& out, char32_t c)
{
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Strings in values are valid UTF-8 (Boost.JSON checks), so code points are
// the bytes that do not continue a sequence.
inline std::size_t count_code_points(std::string_view s) noexcept
{
    std::size_t n = 0;
    for (char ch : s)
        if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) ++n;
    return n;
}

inline std::string_view view(json::string const& s) noexcept { return {s.data(), s.size()}; }

// Code points of a (valid UTF-8) value string, for escaping and reversing.
inline std::u32string code_points(std::string_view s)
{
    std::u32string out;
    std::size_t bad = 0;
    if (!decode_utf8(s, out, bad)) {  // cannot happen for parsed JSON; keep bytes
        out.clear();
        for (char ch : s) out.push_back(static_cast<unsigned char>(ch));
    }
    return out;
}

// ---- numbers -----------------------------------------------------------------

inline bool is_number(json::value const& v) noexcept { return v.is_int64() || v.is_uint64() || v.is_double(); }

inline double as_double(json::value const& v) noexcept
{
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return v.get_double();
}

// -1, 0, 1; exact between integers, as doubles when either is one.
inline int compare_numbers(json::value const& a, json::value const& b) noexcept
{
    if (a.is_double() || b.is_double()) {
        double x = as_double(a), y = as_double(b);
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    if (a.is_int64() && b.is_int64()) {
        auto x = a.get_int64(), y = b.get_int64();
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    if (a.is_uint64() && b.is_uint64()) {
        auto x = a.get_uint64(), y = b.get_uint64();
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    if (a.is_int64()) {  // b is a uint64 above INT64_MAX or any uint64
        if (a.get_int64() < 0) return -1;
        auto x = static_cast<std::uint64_t>(a.get_int64()), y = b.get_uint64();
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    if (b.get_int64() < 0) return 1;
    auto x = a.get_uint64(), y = static_cast<std::uint64_t>(b.get_int64());
    return x < y ? -1 : (y < x ? 1 : 0);
}

// Deep equality of the specification: numbers by value, objects unordered,
// booleans never equal to numbers.
inline bool equal(json::value const& a, json::value const& b)
{
    if (is_number(a) && is_number(b)) return compare_numbers(a, b) == 0;
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case json::kind::null: return true;
    case json::kind::bool_: return a.get_bool() == b.get_bool();
    case json::kind::string: return a.get_string() == b.get_string();
    case json::kind::array: {
        auto const& x = a.get_array();
        auto const& y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!equal(x[i], y[i])) return false;
        return true;
    }
    case json::kind::object: {
        auto const& x = a.get_object();
        auto const& y = b.get_object();
        if (x.size() != y.size()) return false;
        for (auto const& kv : x) {
            auto const* other = y.if_contains(kv.key());
            if (!other || !equal(kv.value(), *other)) return false;
        }
        return true;
    }
    default: return false;
    }
}

// JMESPath truthiness: false, null, "", [] and {} are false; numbers are true.
inline bool truthy(json::value const& v) noexcept
{
    switch (v.kind()) {
    case json::kind::null: return false;
    case json::kind::bool_: return v.get_bool();
    case json::kind::string: return !v.get_string().empty();
    case json::kind::array: return !v.get_array().empty();
    case json::kind::object: return !v.get_object().empty();
    default: return true;
    }
}

// Python's spellings (json.dumps for to_string(), repr() and str() in the
// messages) are python.hpp's.

// json.dumps(v, separators=(',', ':')).
inline constexpr py::dumps_style compact_json{-1, true, ",", ":"};

// ---- tokens ----------------------------------------------------------------

enum class tok : unsigned char {
    eof, unquoted_identifier, quoted_identifier, literal, rbracket, rparen, comma, rbrace,
    number, current, expref, colon, pipe, or_, and_, eq, gt, lt, gte, lte, ne, flatten,
    star, filter, dot, not_, lbrace, lbracket, lparen
};

// The token types' names in jmespath.py's messages.
inline char const* tok_name(tok t) noexcept
{
    switch (t) {
    case tok::eof: return "eof";
    case tok::unquoted_identifier: return "unquoted_identifier";
    case tok::quoted_identifier: return "quoted_identifier";
    case tok::literal: return "literal";
    case tok::rbracket: return "rbracket";
    case tok::rparen: return "rparen";
    case tok::comma: return "comma";
    case tok::rbrace: return "rbrace";
    case tok::number: return "number";
    case tok::current: return "current";
    case tok::expref: return "expref";
    case tok::colon: return "colon";
    case tok::pipe: return "pipe";
    case tok::or_: return "or";
    case tok::and_: return "and";
    case tok::eq: return "eq";
    case tok::gt: return "gt";
    case tok::lt: return "lt";
    case tok::gte: return "gte";
    case tok::lte: return "lte";
    case tok::ne: return "ne";
    case tok::flatten: return "flatten";
    case tok::star: return "star";
    case tok::filter: return "filter";
    case tok::dot: return "dot";
    case tok::not_: return "not";
    case tok::lbrace: return "lbrace";
    case tok::lbracket: return "lbracket";
    case tok::lparen: return "lparen";
    }
    return "unknown";
}

inline int binding_power(tok t) noexcept
{
    switch (t) {
    case tok::pipe: return 1;
    case tok::or_: return 2;
    case tok::and_: return 3;
    case tok::eq: case tok::gt: case tok::lt: case tok::gte: case tok::lte: case tok::ne: return 5;
    case tok::flatten: return 9;
    case tok::star: return 20;
    case tok::filter: return 21;
    case tok::dot: return 40;
    case tok::not_: return 45;
    case tok::lbrace: return 50;
    case tok::lbracket: return 55;
    case tok::lparen: return 60;
    default: return 0;
    }
}

// Tokens below this binding power end a projection's right-hand side.
inline constexpr int projection_stop = 10;

struct token {
    tok type = tok::eof;
    std::size_t start = 0;      // column, in code points
    std::string value;          // the token's value as jmespath.py prints it
    json::value literal;        // literal tokens
    std::string name;           // identifiers, decoded
    std::int64_t number = 0;    // number tokens (saturated)
};

inline std::string upper(std::string_view s)
{
    std::string u(s);
    for (auto& c : u)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return u;
}

// ---- lexer -------------------------------------------------------------------

class lexer {
public:
    explicit lexer(std::string_view text) : text_(text) {}

    std::vector<token> run()
    {
        std::size_t bad = 0;
        if (!decode_utf8(text_, cps_, bad)) fail(bad, "Invalid UTF-8 in the expression");
        std::vector<token> out;
        while (pos_ < cps_.size()) {
            char32_t c = cps_[pos_];
            auto simple = simple_token(c);
            if (simple) {
                out.push_back(make(*simple, pos_, std::string(1, static_cast<char>(c))));
                ++pos_;
            } else if (is_start(c)) {
                std::size_t start = pos_;
                std::string name;
                while (pos_ < cps_.size() && is_identifier(cps_[pos_])) name += static_cast<char>(cps_[pos_++]);
                token t = make(tok::unquoted_identifier, start, name);
                t.name = std::move(name);
                out.push_back(std::move(t));
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                ++pos_;
            } else if (c == '[') {
                std::size_t start = pos_++;
                if (peek() == ']') { ++pos_; out.push_back(make(tok::flatten, start, "[]")); }
                else if (peek() == '?') { ++pos_; out.push_back(make(tok::filter, start, "[?")); }
                else out.push_back(make(tok::lbracket, start, "["));
            } else if (c == '\'') {
                out.push_back(raw_string());
            } else if (c == '|') {
                out.push_back(one_or_two('|', tok::or_, tok::pipe));
            } else if (c == '&') {
                out.push_back(one_or_two('&', tok::and_, tok::expref));
            } else if (c == '`') {
                out.push_back(literal());
            } else if ((c >= '0' && c <= '9') || c == '-') {
                out.push_back(number());
            } else if (c == '"') {
                out.push_back(quoted_identifier());
            } else if (c == '<') {
                out.push_back(one_or_two('=', tok::lte, tok::lt));
            } else if (c == '>') {
                out.push_back(one_or_two('=', tok::gte, tok::gt));
            } else if (c == '!') {
                out.push_back(one_or_two('=', tok::ne, tok::not_));
            } else if (c == '=') {
                if (pos_ + 1 < cps_.size() && cps_[pos_ + 1] == '=') {
                    out.push_back(make(tok::eq, pos_, "=="));
                    pos_ += 2;
                } else {
                    fail(pos_, "Unknown token '='");
                }
            } else {
                std::string s;
                append_utf8(s, c);
                fail(pos_, "Unknown token " + s);
            }
        }
        out.push_back(make(tok::eof, cps_.size(), ""));
        return out;
    }

    std::size_t length() const noexcept { return cps_.size(); }

private:
    [[noreturn]] void fail(std::size_t at, std::string const& message) const
    {
        throw error(error::kind::syntax, "Bad jmespath expression: " + message + ":\n" + std::string(text_) +
                                             "\n" + std::string(at, ' ') + "^");
    }

    static token make(tok type, std::size_t start, std::string value)
    {
        token t;
        t.type = type;
        t.start = start;
        t.value = std::move(value);
        return t;
    }

    static std::optional<tok> simple_token(char32_t c) noexcept
    {
        switch (c) {
        case '.': return tok::dot;
        case '*': return tok::star;
        case ']': return tok::rbracket;
        case ',': return tok::comma;
        case ':': return tok::colon;
        case '@': return tok::current;
        case '(': return tok::lparen;
        case ')': return tok::rparen;
        case '{': return tok::lbrace;
        case '}': return tok::rbrace;
        default: return std::nullopt;
        }
    }

    static bool is_start(char32_t c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
    static bool is_identifier(char32_t c) noexcept { return is_start(c) || (c >= '0' && c <= '9'); }

    char32_t peek() const noexcept { return pos_ < cps_.size() ? cps_[pos_] : 0; }

    std::string slice(std::size_t from, std::size_t to) const
    {
        std::string s;
        for (std::size_t i = from; i < to && i < cps_.size(); ++i) append_utf8(s, cps_[i]);
        return s;
    }

    token one_or_two(char32_t second, tok both, tok alone)
    {
        std::size_t start = pos_;
        std::string value(1, static_cast<char>(cps_[pos_]));
        ++pos_;
        if (peek() == second) {
            ++pos_;
            value += static_cast<char>(second);
            return make(both, start, value);
        }
        return make(alone, start, value);
    }

    token number()
    {
        std::size_t start = pos_;
        bool negative = cps_[pos_] == '-';
        if (negative) ++pos_;
        std::size_t digits = pos_;
        while (pos_ < cps_.size() && cps_[pos_] >= '0' && cps_[pos_] <= '9') ++pos_;
        if (pos_ == digits) fail(start, "Unknown token '-'");
        // Saturate: an index or slice bound past int64 means the same as the limit.
        std::int64_t v = 0;
        constexpr auto big = std::numeric_limits<std::int64_t>::max();
        for (std::size_t i = digits; i < pos_; ++i) {
            int d = static_cast<int>(cps_[i] - '0');
            v = v > (big - d) / 10 ? big : v * 10 + d;
        }
        if (negative) v = -v;
        token t = make(tok::number, start, std::to_string(v));
        t.number = v;
        return t;
    }

    // Text up to an unescaped `delim`; a backslash keeps itself and the next
    // character (callers then undo only the escapes they define).
    std::string until(char32_t delim)
    {
        std::size_t start = pos_;
        std::string buf;
        ++pos_;
        while (true) {
            if (pos_ >= cps_.size()) {
                std::string d;
                append_utf8(d, delim);
                fail(start, "Unclosed " + d + " delimiter");
            }
            char32_t c = cps_[pos_];
            if (c == delim) break;
            if (c == '\\') {
                buf += '\\';
                ++pos_;
                if (pos_ >= cps_.size()) continue;  // reported as unclosed above
                c = cps_[pos_];
            }
            append_utf8(buf, c);
            ++pos_;
        }
        ++pos_;
        return buf;
    }

    static std::string replace_all(std::string s, std::string_view from, std::string_view to)
    {
        std::size_t at = 0;
        while ((at = s.find(from, at)) != std::string::npos) {
            s.replace(at, from.size(), to);
            at += to.size();
        }
        return s;
    }

    token raw_string()
    {
        std::size_t start = pos_;
        std::string s = replace_all(until('\''), "\\'", "'");
        token t = make(tok::literal, start, s);
        t.literal = json::string(s);
        return t;
    }

    static std::optional<json::value> parse_json(std::string_view s, bool& too_deep)
    {
        json::parse_options opt;
        opt.max_depth = max_literal_depth;
        boost::system::error_code ec;
        json::value v = json::parse(s, ec, json::storage_ptr(), opt);
        if (ec) {
            too_deep = ec == json::error::too_deep;
            return std::nullopt;
        }
        return v;
    }

    token literal()
    {
        std::size_t start = pos_;
        std::string text = replace_all(until('`'), "\\`", "`");
        bool too_deep = false;
        auto v = parse_json(text, too_deep);
        if (!v && too_deep) fail(start, "Literal nested more than " + std::to_string(max_literal_depth) + " levels");
        if (!v) {
            // The deprecated form `foo`: text that is not JSON is a string.
            auto first = text.find_first_not_of(" \t\n\r\f\v");
            std::string quoted = "\"" + (first == std::string::npos ? std::string() : text.substr(first)) + "\"";
            auto s = parse_json(quoted, too_deep);
            if (!s || !s->is_string()) fail(start, "Bad token " + text);
            v = std::move(s);
        }
        token t = make(tok::literal, start, py::str(*v));
        t.literal = std::move(*v);
        return t;
    }

    static int hex_value(char c) noexcept
    {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    // A JSON string's content, with JSON's escapes; messages as Python's json.
    token quoted_identifier()
    {
        std::size_t start = pos_;
        std::string raw = until('"');
        std::string name;
        auto read_hex4 = [&](std::size_t at, unsigned& out) {
            if (at + 4 > raw.size()) return false;
            out = 0;
            for (std::size_t k = 0; k < 4; ++k) {
                int h = hex_value(raw[at + k]);
                if (h < 0) return false;
                out = out * 16 + static_cast<unsigned>(h);
            }
            return true;
        };
        for (std::size_t i = 0; i < raw.size();) {
            auto c = static_cast<unsigned char>(raw[i]);
            if (c < 0x20) fail(start, "Invalid control character at");
            if (c != '\\') {
                name += raw[i++];
                continue;
            }
            char e = raw[i + 1];  // until() never ends on a lone backslash
            i += 2;
            switch (e) {
            case '"': name += '"'; break;
            case '\\': name += '\\'; break;
            case '/': name += '/'; break;
            case 'b': name += '\b'; break;
            case 'f': name += '\f'; break;
            case 'n': name += '\n'; break;
            case 'r': name += '\r'; break;
            case 't': name += '\t'; break;
            case 'u': {
                unsigned u = 0;
                if (!read_hex4(i, u)) fail(start, "Invalid \\uXXXX escape");
                i += 4;
                char32_t cp = u;
                unsigned low = 0;
                if (u >= 0xD800 && u <= 0xDBFF && i + 6 <= raw.size() && raw[i] == '\\' && raw[i + 1] == 'u' &&
                    read_hex4(i + 2, low) && low >= 0xDC00 && low <= 0xDFFF) {
                    cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                    i += 6;
                } else if (u >= 0xD800 && u <= 0xDFFF) {
                    cp = 0xFFFD;  // a lone surrogate cannot be UTF-8
                }
                append_utf8(name, cp);
                break;
            }
            default: fail(start, "Invalid \\escape");
            }
        }
        token t = make(tok::quoted_identifier, start, name);
        t.name = std::move(name);
        return t;
    }

    std::string_view text_;
    std::u32string cps_;
    std::size_t pos_ = 0;
};

// ---- tree ------------------------------------------------------------------

enum class nk : unsigned char {
    current, field, chain, index, slice, projection, value_projection, filter_projection, flatten,
    literal, multi_list, multi_hash, comparator, or_, and_, not_, function, expref
};

enum class cmp : unsigned char { eq, ne, lt, lte, gt, gte };

enum class fn : unsigned char {
    abs, avg, ceil, contains, ends_with, floor, join, keys, length, map, max, max_by, merge, min,
    min_by, not_null, reverse, sort, sort_by, starts_with, sum, to_array, to_string, to_number, type, values
};

struct function_def;

struct node {
    nk kind = nk::current;
    cmp op = cmp::eq;
    bool path = false;        // only walks into the input: evaluated without copies
    int depth = 1;
    std::string name;         // field, function
    json::value value;        // literal
    std::int64_t index = 0;
    std::optional<std::int64_t> start, stop, step;
    std::vector<node> children;
    std::vector<std::string> keys;  // multi_hash, one per child
    function_def const* def = nullptr;  // function
};

// ---- functions ---------------------------------------------------------------

enum class arg_type : unsigned char { number, string, boolean, array, object, null, expref, array_number, array_string };

inline char const* arg_type_name(arg_type t) noexcept
{
    switch (t) {
    case arg_type::number: return "number";
    case arg_type::string: return "string";
    case arg_type::boolean: return "boolean";
    case arg_type::array: return "array";
    case arg_type::object: return "object";
    case arg_type::null: return "null";
    case arg_type::expref: return "expref";
    case arg_type::array_number: return "array-number";
    case arg_type::array_string: return "array-string";
    }
    return "unknown";
}

struct function_def {
    std::string_view name;
    fn id;
    std::vector<std::vector<arg_type>> params;  // an empty list: any value
    bool variadic;
};

inline function_def const* find_function(std::string_view name)
{
    using t = arg_type;
    static std::vector<function_def> const table = {
        {"abs", fn::abs, {{t::number}}, false},
        {"avg", fn::avg, {{t::array_number}}, false},
        {"ceil", fn::ceil, {{t::number}}, false},
        {"contains", fn::contains, {{t::array, t::string}, {}}, false},
        {"ends_with", fn::ends_with, {{t::string}, {t::string}}, false},
        {"floor", fn::floor, {{t::number}}, false},
        {"join", fn::join, {{t::string}, {t::array_string}}, false},
        {"keys", fn::keys, {{t::object}}, false},
        {"length", fn::length, {{t::string, t::array, t::object}}, false},
        {"map", fn::map, {{t::expref}, {t::array}}, false},
        {"max", fn::max, {{t::array_number, t::array_string}}, false},
        {"max_by", fn::max_by, {{t::array}, {t::expref}}, false},
        {"merge", fn::merge, {{t::object}}, true},
        {"min", fn::min, {{t::array_number, t::array_string}}, false},
        {"min_by", fn::min_by, {{t::array}, {t::expref}}, false},
        {"not_null", fn::not_null, {{}}, true},
        {"reverse", fn::reverse, {{t::array, t::string}}, false},
        {"sort", fn::sort, {{t::array_string, t::array_number}}, false},
        {"sort_by", fn::sort_by, {{t::array}, {t::expref}}, false},
        {"starts_with", fn::starts_with, {{t::string}, {t::string}}, false},
        {"sum", fn::sum, {{t::array_number}}, false},
        {"to_array", fn::to_array, {{}}, false},
        {"to_string", fn::to_string, {{}}, false},
        {"to_number", fn::to_number, {{}}, false},
        {"type", fn::type, {{}}, false},
        {"values", fn::values, {{t::object}}, false},
    };
    for (auto const& f : table)
        if (f.name == name) return &f;
    return nullptr;
}

// ---- parser ------------------------------------------------------------------

class parser {
public:
    explicit parser(std::string_view text) : text_(text) {}

    node run()
    {
        if (text_.empty()) throw error(error::kind::syntax, "Invalid JMESPath expression: cannot be empty.");
        lexer lex(text_);
        toks_ = lex.run();
        length_ = lex.length();
        node root = expression(0);
        if (current() != tok::eof) {
            auto const& t = toks_[i_];
            fail_at(t, "Unexpected token: " + t.value);
        }
        if (function_error_) throw *function_error_;
        return root;
    }

private:
    // ---- errors, with jmespath.py's wording
    [[noreturn]] void fail_at(token const& t, std::string const& reason) const
    {
        throw error(error::kind::syntax, reason + ": Parse error at column " + std::to_string(t.start) + ", token \"" +
                                             t.value + "\" (" + upper(tok_name(t.type)) + "), for expression:\n\"" +
                                             std::string(text_) + "\"\n" + std::string(t.start + 1, ' ') + "^");
    }

    [[noreturn]] void incomplete() const
    {
        throw error(error::kind::syntax, "Invalid jmespath expression: Incomplete expression:\n\"" + std::string(text_) +
                                             "\"\n" + std::string(length_ + 1, ' ') + "^");
    }

    [[noreturn]] void expected(std::string const& what) const
    {
        auto const& t = toks_[i_];
        if (t.type == tok::eof) incomplete();
        fail_at(t, "Expecting: " + what + ", got: " + tok_name(t.type));
    }

    tok current() const noexcept { return toks_[i_].type; }
    tok lookahead(std::size_t n) const noexcept { return toks_[std::min(i_ + n, toks_.size() - 1)].type; }

    void match(tok type)
    {
        if (current() != type) expected(tok_name(type));
        ++i_;
    }

    static std::string const& identifier_list()
    {
        static std::string const s = "['quoted_identifier', 'unquoted_identifier']";
        return s;
    }

    // ---- building nodes, with their depth bounded
    node make(nk kind, std::vector<node> children = {}) const
    {
        node n;
        n.kind = kind;
        n.children = std::move(children);
        for (auto const& c : n.children) n.depth = std::max(n.depth, c.depth + 1);
        check_depth(n);
        n.path = kind == nk::current || kind == nk::field || kind == nk::index || kind == nk::literal ||
                 (kind == nk::chain && all_paths(n));
        return n;
    }

    static bool all_paths(node const& n)
    {
        return std::all_of(n.children.begin(), n.children.end(), [](node const& c) { return c.path; });
    }

    void check_depth(node const& n) const
    {
        if (n.depth > max_depth)
            fail_at(toks_[i_], "Expression nested more than " + std::to_string(max_depth) + " levels");
    }

    // A chain evaluates its children one after the other (a.b, a[0], a | b);
    // long chains stay flat instead of nesting.
    node chain(node left, node right) const
    {
        if (left.kind != nk::chain) {
            std::vector<node> c;
            c.push_back(std::move(left));
            left = make(nk::chain, std::move(c));
        }
        left.depth = std::max(left.depth, right.depth + 1);
        check_depth(left);
        left.path = left.path && right.path;
        left.children.push_back(std::move(right));
        return left;
    }

    node binary(nk kind, node left, node right) const
    {
        std::vector<node> c;
        c.push_back(std::move(left));
        c.push_back(std::move(right));
        return make(kind, std::move(c));
    }

    node unary(nk kind, node child) const
    {
        std::vector<node> c;
        c.push_back(std::move(child));
        return make(kind, std::move(c));
    }

    node identity() const { return make(nk::current); }

    // ---- the Pratt loop
    node expression(int bp)
    {
        struct guard {
            int& n;
            explicit guard(int& x) : n(x) { ++n; }
            ~guard() { --n; }
            guard(guard const&) = delete;
            guard& operator=(guard const&) = delete;
        } g(nesting_);
        if (nesting_ > max_nesting)
            fail_at(toks_[i_], "Expression nested more than " + std::to_string(max_nesting) + " levels");
        std::size_t at = i_++;
        node left = nud(at);
        while (bp < binding_power(current())) {
            tok t = current();
            ++i_;
            left = led(t, std::move(left));
        }
        return left;
    }

    node nud(std::size_t at)
    {
        token const& t = toks_[at];
        switch (t.type) {
        case tok::literal: {
            node n = make(nk::literal);
            n.value = t.literal;
            return n;
        }
        case tok::unquoted_identifier: return field(t.name);
        case tok::quoted_identifier:
            if (current() == tok::lparen)
                fail_at(token{tok::lparen, 0, "(", {}, {}, 0}, "Quoted identifier not allowed for function names.");
            return field(t.name);
        case tok::star: {
            node right = current() == tok::rbracket ? identity() : projection_rhs(binding_power(tok::star));
            return binary(nk::value_projection, identity(), std::move(right));
        }
        case tok::filter: return filter(identity());
        case tok::lbrace: return multi_select_hash();
        case tok::lparen: {
            node e = expression(0);
            match(tok::rparen);
            return e;
        }
        case tok::flatten: {
            node left = unary(nk::flatten, identity());
            return binary(nk::projection, std::move(left), projection_rhs(binding_power(tok::flatten)));
        }
        case tok::not_: return unary(nk::not_, expression(binding_power(tok::not_)));
        case tok::lbracket:
            if (current() == tok::number || current() == tok::colon) {
                node right = index_or_slice();
                if (right.kind == nk::slice) return project_slice(std::move(right));
                return right;
            }
            if (current() == tok::star && lookahead(1) == tok::rbracket) {
                i_ += 2;
                return binary(nk::projection, identity(), projection_rhs(binding_power(tok::star)));
            }
            return multi_select_list();
        case tok::current: return identity();
        case tok::expref: return unary(nk::expref, expression(0));
        case tok::eof: incomplete();
        default: fail_at(t, "invalid token");
        }
    }

    node led(tok type, node left)
    {
        switch (type) {
        case tok::dot:
            if (current() != tok::star) return chain(std::move(left), dot_rhs(binding_power(tok::dot)));
            ++i_;
            return binary(nk::value_projection, std::move(left), projection_rhs(binding_power(tok::dot)));
        case tok::pipe: return chain(std::move(left), expression(binding_power(tok::pipe)));
        case tok::or_: return binary(nk::or_, std::move(left), expression(binding_power(tok::or_)));
        case tok::and_: return binary(nk::and_, std::move(left), expression(binding_power(tok::and_)));
        case tok::lparen: return function(std::move(left));
        case tok::filter: return filter(std::move(left));
        case tok::eq: return comparator(cmp::eq, std::move(left));
        case tok::ne: return comparator(cmp::ne, std::move(left));
        case tok::gt: return comparator(cmp::gt, std::move(left));
        case tok::gte: return comparator(cmp::gte, std::move(left));
        case tok::lt: return comparator(cmp::lt, std::move(left));
        case tok::lte: return comparator(cmp::lte, std::move(left));
        case tok::flatten: {
            node flat = unary(nk::flatten, std::move(left));
            return binary(nk::projection, std::move(flat), projection_rhs(binding_power(tok::flatten)));
        }
        case tok::lbracket:
            if (current() == tok::number || current() == tok::colon) {
                node right = index_or_slice();
                if (right.kind == nk::slice) return project_slice(chain(std::move(left), std::move(right)));
                return chain(std::move(left), std::move(right));
            }
            match(tok::star);
            match(tok::rbracket);
            return binary(nk::projection, std::move(left), projection_rhs(binding_power(tok::star)));
        default: fail_at(toks_[i_ - 1], "invalid token");  // tokens that bind but cannot follow
        }
    }

    node field(std::string const& name) const
    {
        node n = make(nk::field);
        n.name = name;
        return n;
    }

    node comparator(cmp op, node left)
    {
        node n = binary(nk::comparator, std::move(left), expression(binding_power(tok::eq)));
        n.op = op;
        return n;
    }

    node filter(node left)
    {
        node condition = expression(0);
        match(tok::rbracket);
        node right = current() == tok::flatten ? identity() : projection_rhs(binding_power(tok::filter));
        std::vector<node> c;
        c.push_back(std::move(left));
        c.push_back(std::move(right));
        c.push_back(std::move(condition));
        return make(nk::filter_projection, std::move(c));
    }

    // After `[`: a number or a slice.
    node index_or_slice()
    {
        if (current() == tok::colon || lookahead(1) == tok::colon) return slice();
        node n = make(nk::index);
        n.index = toks_[i_].number;
        ++i_;
        match(tok::rbracket);
        return n;
    }

    node slice()
    {
        std::optional<std::int64_t> parts[3];
        std::size_t part = 0;
        while (current() != tok::rbracket) {
            if (current() == tok::colon) {
                if (++part == 3) fail_at(toks_[i_], "syntax error");
            } else if (current() == tok::number && !parts[part]) {
                parts[part] = toks_[i_].number;
            } else {
                fail_at(toks_[i_], "syntax error");
            }
            ++i_;
        }
        match(tok::rbracket);
        node n = make(nk::slice);
        n.start = parts[0];
        n.stop = parts[1];
        n.step = parts[2];
        return n;
    }

    node project_slice(node left)
    {
        return binary(nk::projection, std::move(left), projection_rhs(binding_power(tok::star)));
    }

    node projection_rhs(int bp)
    {
        if (binding_power(current()) < projection_stop) return identity();
        if (current() == tok::lbracket || current() == tok::filter) return expression(bp);
        if (current() == tok::dot) {
            ++i_;
            return dot_rhs(bp);
        }
        fail_at(toks_[i_], "syntax error");
    }

    node dot_rhs(int bp)
    {
        switch (current()) {
        case tok::quoted_identifier:
        case tok::unquoted_identifier:
        case tok::star: return expression(bp);
        case tok::lbracket: ++i_; return multi_select_list();
        case tok::lbrace: ++i_; return multi_select_hash();
        default:
            fail_at(toks_[i_], std::string("Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', "
                                           "'lbrace'], got: ") + tok_name(current()));
        }
    }

    node multi_select_list()
    {
        std::vector<node> items;
        while (true) {
            items.push_back(expression(0));
            if (current() == tok::rbracket) break;
            match(tok::comma);
        }
        match(tok::rbracket);
        return make(nk::multi_list, std::move(items));
    }

    node multi_select_hash()
    {
        std::vector<node> values;
        std::vector<std::string> keys;
        while (true) {
            if (current() != tok::quoted_identifier && current() != tok::unquoted_identifier)
                expected(identifier_list());
            keys.push_back(toks_[i_].name);
            ++i_;
            match(tok::colon);
            values.push_back(expression(0));
            if (current() == tok::comma) {
                ++i_;
            } else if (current() == tok::rbrace) {
                ++i_;
                break;
            } else if (current() == tok::quoted_identifier || current() == tok::unquoted_identifier) {
                expected("comma");
            } else {
                expected(identifier_list());
            }
        }
        node n = make(nk::multi_hash, std::move(values));
        n.keys = std::move(keys);
        return n;
    }

    // name(args): `name` was parsed as a field; `(` is consumed.
    node function(node left)
    {
        if (left.kind != nk::field) {
            auto const& prev = toks_[i_ - 2];
            fail_at(prev, "Invalid function name '" + prev.value + "'");
        }
        std::vector<node> args;
        if (current() != tok::rparen) {
            while (true) {
                args.push_back(expression(0));
                if (current() != tok::comma) break;
                ++i_;
            }
        }
        match(tok::rparen);
        // Unknown functions and wrong arity are reported once the whole text
        // parses: a syntax error anywhere comes first, as in jmespath.py.
        auto const* def = find_function(left.name);
        if (!def && !function_error_)
            function_error_.emplace(error::kind::unknown_function, "Unknown function: " + left.name + "()");
        std::size_t want = def ? def->params.size() : 0;
        if (def && (def->variadic ? args.size() < want : args.size() != want) && !function_error_) {
            function_error_.emplace(error::kind::invalid_arity,
                                    std::string("Expected ") + (def->variadic ? "at least " : "") +
                                        std::to_string(want) + (want == 1 ? " argument" : " arguments") +
                                        " for function " + left.name + "(), received " + std::to_string(args.size()));
        }
        node n = make(nk::function, std::move(args));
        n.name = left.name;
        n.def = def;
        return n;
    }

    std::string_view text_;
    std::vector<token> toks_;
    std::size_t length_ = 0;
    std::size_t i_ = 0;
    int nesting_ = 0;
    std::optional<error> function_error_;
};

// ---- evaluation ------------------------------------------------------------

inline json::value const& null_value()
{
    static json::value const v;
    return v;
}

// Python's slice.indices() and iteration.
inline json::value slice_array(json::array const& a, node const& n)
{
    std::int64_t step = n.step.value_or(1);
    if (step == 0) throw error(error::kind::invalid_value, "slice step cannot be zero");
    auto len = static_cast<std::int64_t>(a.size());
    std::int64_t lower = step < 0 ? -1 : 0;
    std::int64_t upper = step < 0 ? len - 1 : len;
    auto bound = [&](std::optional<std::int64_t> v, std::int64_t dflt) {
        if (!v) return dflt;
        std::int64_t x = *v;
        if (x < 0) {
            x = x < -len ? lower : x + len;  // no overflow for saturated bounds
            return std::max(x, lower);
        }
        return std::min(x, upper);
    };
    std::int64_t start = bound(n.start, step < 0 ? upper : lower);
    std::int64_t stop = bound(n.stop, step < 0 ? lower : upper);
    json::array out;
    // Stepping checks the distance first: a huge step must not overflow.
    if (step > 0) {
        for (std::int64_t i = start; i < stop; i += step) {
            out.push_back(a[static_cast<std::size_t>(i)]);
            if (stop - i <= step) break;
        }
    } else {
        for (std::int64_t i = start; i > stop; i += step) {
            out.push_back(a[static_cast<std::size_t>(i)]);
            if (i - stop <= -step) break;
        }
    }
    return out;
}

inline json::value const* index_array(json::array const& a, std::int64_t i)
{
    auto len = static_cast<std::int64_t>(a.size());
    if (i < 0) {
        if (i < -len) return nullptr;
        i += len;
    }
    if (i >= len) return nullptr;
    return &a[static_cast<std::size_t>(i)];
}

// Nodes marked `path` without copying: a pointer into `cur` or the tree, or
// nullptr for null.
inline json::value const* walk(node const& n, json::value const& cur)
{
    switch (n.kind) {
    case nk::current: return &cur;
    case nk::literal: return &n.value;
    case nk::field:
        if (auto const* o = cur.if_object()) return o->if_contains(n.name);
        return nullptr;
    case nk::index:
        if (auto const* a = cur.if_array()) return index_array(*a, n.index);
        return nullptr;
    case nk::chain: {
        json::value const* p = &cur;
        for (auto const& c : n.children) {
            p = walk(c, *p);
            if (!p) return nullptr;  // every path node maps null to null
        }
        return p;
    }
    default: return nullptr;
    }
}

inline json::value eval(node const& n, json::value const& cur);

// The value of `n`, borrowed when possible, else computed into `storage`.
inline json::value const& eval_ref(node const& n, json::value const& cur, json::value& storage)
{
    if (n.path) {
        auto const* p = walk(n, cur);
        return p ? *p : null_value();
    }
    storage = eval(n, cur);
    return storage;
}

inline std::string expected_list(function_def const& def, std::size_t param)
{
    auto const& types = def.params[std::min(param, def.params.size() - 1)];
    std::string s = "[";
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (i) s += ", ";
        s += '\'';
        s += arg_type_name(types[i]);
        s += '\'';
    }
    return s + "]";
}

inline char const* type_name(json::value const& v) noexcept
{
    switch (v.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "boolean";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    default: return "number";
    }
}

// Python's type names, which jmespath.py shows for array elements.
[[noreturn]] inline void type_error(std::string_view function, std::string const& value, std::string const& expected,
                                    std::string_view received)
{
    throw error(error::kind::invalid_type, "In function " + std::string(function) +
                                               "(), invalid type for value: " + value + ", expected one of: " +
                                               expected + ", received: \"" + std::string(received) + "\"");
}

struct argument {
    json::value storage;
    json::value const* v = nullptr;  // a value argument
    node const* ref = nullptr;       // an expression reference (&expr)
};

inline bool has_type(json::value const& v, arg_type t) noexcept
{
    switch (t) {
    case arg_type::number: return is_number(v);
    case arg_type::string: return v.is_string();
    case arg_type::boolean: return v.is_bool();
    case arg_type::array:
    case arg_type::array_number:
    case arg_type::array_string: return v.is_array();
    case arg_type::object: return v.is_object();
    case arg_type::null: return v.is_null();
    case arg_type::expref: return false;
    }
    return false;
}

inline bool element_has_type(json::value const& v, arg_type t) noexcept
{
    return t == arg_type::array_number ? is_number(v) : v.is_string();
}

// jmespath.py's checks: the top-level type, then for array-number /
// array-string every element (with several element types, all like the first).
inline void check_argument(function_def const& def, std::size_t param, argument const& a)
{
    auto const& types = def.params[std::min(param, def.params.size() - 1)];
    bool wants_ref = std::find(types.begin(), types.end(), arg_type::expref) != types.end();
    if (a.ref) {
        if (!wants_ref) type_error(def.name, "<expression>", types.empty() ? "['any']" : expected_list(def, param), "expref");
        return;
    }
    if (types.empty()) return;
    json::value const& v = *a.v;
    if (std::none_of(types.begin(), types.end(), [&](arg_type t) { return has_type(v, t); }))
        type_error(def.name, py::str(v), expected_list(def, param), type_name(v));
    std::vector<arg_type> element_types;
    for (auto t : types)
        if (t == arg_type::array_number || t == arg_type::array_string) element_types.push_back(t);
    if (element_types.empty() || !v.is_array()) return;
    auto const& arr = v.get_array();
    if (arr.empty()) return;
    arg_type want = element_types.front();
    if (element_types.size() > 1) {
        auto it = std::find_if(element_types.begin(), element_types.end(),
                               [&](arg_type t) { return element_has_type(arr[0], t); });
        if (it == element_types.end())
            type_error(def.name, py::str(arr[0]), expected_list(def, param), py::bare_type_name(arr[0]));
        want = *it;
    }
    for (auto const& x : arr)
        if (!element_has_type(x, want)) type_error(def.name, py::str(x), expected_list(def, param), py::bare_type_name(x));
}

// Sums as Python does: integers exactly while they fit, else doubles.
inline json::value add(json::value const& a, json::value const& b)
{
    if (a.is_int64() && b.is_int64()) {
        std::int64_t r = 0;
        if (!__builtin_add_overflow(a.get_int64(), b.get_int64(), &r)) return r;
    }
    return as_double(a) + as_double(b);
}

inline json::value rounded(double d)
{
    // Python's ceil/floor give integers; past int64 the double is integral anyway.
    if (d >= -9.2e18 && d <= 9.2e18) return static_cast<std::int64_t>(d);
    return d;
}

// Python's int() then float() of a string; null when neither applies.
inline json::value string_to_number(std::string_view s)
{
    auto ws = " \t\n\r\f\v";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return nullptr;
    s = s.substr(b, s.find_last_not_of(ws) - b + 1);
    // Python accepts single underscores between digits.
    std::string t;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '_') {
            bool ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                      std::isdigit(static_cast<unsigned char>(s[i + 1]));
            if (!ok) return nullptr;
            continue;
        }
        t += s[i];
    }
    std::string_view u = t;
    bool negative = false;
    if (!u.empty() && (u[0] == '+' || u[0] == '-')) {
        negative = u[0] == '-';
        u.remove_prefix(1);
    }
    if (u.empty()) return nullptr;
    bool all_digits = std::all_of(u.begin(), u.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (all_digits) {
        std::uint64_t m = 0;
        auto r = std::from_chars(u.data(), u.data() + u.size(), m);
        if (r.ec == std::errc()) {
            if (!negative && m <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                return static_cast<std::int64_t>(m);
            if (!negative) return m;
            if (m <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1)
                return static_cast<std::int64_t>(0 - m);
        }
    }
    // A decimal float: digits with an optional point and exponent.
    std::size_t i = 0, mantissa = 0;
    while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i, ++mantissa;
    if (i < u.size() && u[i] == '.') {
        ++i;
        while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i, ++mantissa;
    }
    if (mantissa == 0) return nullptr;
    if (i < u.size() && (u[i] == 'e' || u[i] == 'E')) {
        ++i;
        if (i < u.size() && (u[i] == '+' || u[i] == '-')) ++i;
        std::size_t digits = i;
        while (i < u.size() && u[i] >= '0' && u[i] <= '9') ++i;
        if (i == digits) return nullptr;
    }
    if (i != u.size()) return nullptr;
    double d = 0;
    auto r = std::from_chars(u.data(), u.data() + u.size(), d);
    if (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) return nullptr;
    if (!std::isfinite(d)) return nullptr;  // Python gives inf, which JSON cannot carry
    return negative ? -d : d;
}

// A key of sort_by/min_by/max_by: a number or a string, of the type `want`
// of the first key (jmespath.py's messages: sort_by names the first key's
// type, min_by/max_by both).
inline json::value sort_key(function_def const& def, node const& ref, json::value const& element, char const* want)
{
    json::value k = eval(ref, element);
    char const* got = type_name(k);
    if (std::string_view(got) == want) return k;
    bool sortable = k.is_string() || is_number(k);
    type_error(def.name, py::str(k),
               def.id == fn::sort_by || sortable ? std::string("['") + want + "']" : "['number', 'string']", got);
}

inline int compare_keys(json::value const& a, json::value const& b)
{
    if (a.is_string()) {
        auto x = view(a.get_string()), y = view(b.get_string());  // UTF-8 byte order is code point order
        return x < y ? -1 : (y < x ? 1 : 0);
    }
    return compare_numbers(a, b);
}

// `a` ordered by `keys` (one per element), stable as Python's sorted().
// Indices tie-break in std::sort: std::stable_sort trips clang's deprecation
// warnings inside libstdc++ 12.
inline json::array sorted(json::array const& a, std::vector<json::value const*> const& keys)
{
    std::vector<std::size_t> order(a.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        int c = compare_keys(*keys[x], *keys[y]);
        return c != 0 ? c < 0 : x < y;
    });
    json::array out;
    out.reserve(a.size());
    for (auto i : order) out.push_back(a[i]);
    return out;
}

inline json::value call(node const& n, json::value const& cur)
{
    auto const& def = *n.def;
    std::vector<argument> args(n.children.size());
    for (std::size_t i = 0; i < n.children.size(); ++i) {
        auto const& c = n.children[i];
        if (c.kind == nk::expref) args[i].ref = &c.children[0];
        else args[i].v = &eval_ref(c, cur, args[i].storage);
    }
    for (std::size_t i = 0; i < args.size(); ++i) check_argument(def, i, args[i]);
    auto value = [&](std::size_t i) -> json::value const& { return *args[i].v; };

    switch (def.id) {
    case fn::abs: {
        auto const& v = value(0);
        if (v.is_int64()) {
            auto x = v.get_int64();
            if (x == std::numeric_limits<std::int64_t>::min()) return -static_cast<double>(x);
            return x < 0 ? -x : x;
        }
        if (v.is_uint64()) return v;
        return std::fabs(v.get_double());
    }
    case fn::avg: {
        auto const& a = value(0).get_array();
        if (a.empty()) return nullptr;
        json::value sum = std::int64_t(0);
        for (auto const& x : a) sum = add(sum, x);
        return as_double(sum) / static_cast<double>(a.size());
    }
    case fn::ceil:
    case fn::floor: {
        auto const& v = value(0);
        if (!v.is_double()) return v;
        return rounded(def.id == fn::ceil ? std::ceil(v.get_double()) : std::floor(v.get_double()));
    }
    case fn::contains: {
        auto const& subject = value(0);
        auto const& search = value(1);
        if (subject.is_string()) {
            if (!search.is_string()) return false;
            return view(subject.get_string()).find(view(search.get_string())) != std::string_view::npos;
        }
        auto const& a = subject.get_array();
        return std::any_of(a.begin(), a.end(), [&](json::value const& x) { return equal(x, search); });
    }
    case fn::ends_with:
    case fn::starts_with: {
        auto s = view(value(0).get_string());
        auto affix = view(value(1).get_string());
        if (affix.size() > s.size()) return false;
        return def.id == fn::ends_with ? s.substr(s.size() - affix.size()) == affix : s.substr(0, affix.size()) == affix;
    }
    case fn::join: {
        auto glue = view(value(0).get_string());
        std::string out;
        bool first = true;
        for (auto const& x : value(1).get_array()) {
            if (!first) out += glue;
            first = false;
            out += view(x.get_string());
        }
        return json::string(out);
    }
    case fn::keys:
    case fn::values: {
        json::array out;
        for (auto const& kv : value(0).get_object()) {
            if (def.id == fn::keys) out.push_back(json::string(kv.key()));
            else out.push_back(kv.value());
        }
        return out;
    }
    case fn::length: {
        auto const& v = value(0);
        if (v.is_string()) return static_cast<std::int64_t>(count_code_points(view(v.get_string())));
        if (v.is_array()) return static_cast<std::int64_t>(v.get_array().size());
        return static_cast<std::int64_t>(v.get_object().size());
    }
    case fn::map: {
        json::array out;
        for (auto const& x : value(1).get_array()) out.push_back(eval(*args[0].ref, x));
        return out;
    }
    case fn::max:
    case fn::min: {
        auto const& a = value(0).get_array();
        if (a.empty()) return nullptr;
        std::size_t best = 0;
        for (std::size_t i = 1; i < a.size(); ++i) {
            int c = compare_keys(a[i], a[best]);
            if (def.id == fn::max ? c > 0 : c < 0) best = i;
        }
        return a[best];
    }
    case fn::max_by:
    case fn::min_by: {
        auto const& a = value(0).get_array();
        if (a.empty()) return nullptr;
        json::value best_key = eval(*args[1].ref, a[0]);
        char const* want = type_name(best_key);
        if (!best_key.is_string() && !is_number(best_key))
            type_error(def.name, py::str(best_key), "['number', 'string']", want);
        std::size_t best = 0;
        for (std::size_t i = 1; i < a.size(); ++i) {
            json::value k = sort_key(def, *args[1].ref, a[i], want);
            int c = compare_keys(k, best_key);
            if (def.id == fn::max_by ? c > 0 : c < 0) {
                best = i;
                best_key = std::move(k);
            }
        }
        return a[best];
    }
    case fn::merge: {
        json::object out;
        for (auto const& a : args)
            for (auto const& kv : a.v->get_object()) out[kv.key()] = kv.value();
        return out;
    }
    case fn::not_null:
        for (auto const& a : args)
            if (!a.v->is_null()) return *a.v;
        return nullptr;
    case fn::reverse: {
        auto const& v = value(0);
        if (v.is_string()) {
            auto cps = code_points(view(v.get_string()));
            std::string out;
            for (auto it = cps.rbegin(); it != cps.rend(); ++it) append_utf8(out, *it);
            return json::string(out);
        }
        auto const& a = v.get_array();
        return json::array(a.rbegin(), a.rend());
    }
    case fn::sort: {
        auto const& a = value(0).get_array();
        std::vector<json::value const*> keys;
        keys.reserve(a.size());
        for (auto const& x : a) keys.push_back(&x);
        return sorted(a, keys);
    }
    case fn::sort_by: {
        auto const& a = value(0).get_array();
        if (a.empty()) return a;
        json::value first = eval(*args[1].ref, a[0]);
        char const* want = type_name(first);
        if (!first.is_string() && !is_number(first))
            type_error(def.name, py::str(a[0]), "['string', 'number']", want);
        std::vector<json::value> computed;
        computed.reserve(a.size());
        computed.push_back(std::move(first));
        for (std::size_t i = 1; i < a.size(); ++i) computed.push_back(sort_key(def, *args[1].ref, a[i], want));
        std::vector<json::value const*> keys;
        keys.reserve(a.size());
        for (auto const& k : computed) keys.push_back(&k);
        return sorted(a, keys);
    }
    case fn::sum: {
        json::value sum = std::int64_t(0);
        for (auto const& x : value(0).get_array()) sum = add(sum, x);
        return sum;
    }
    case fn::to_array: {
        auto const& v = value(0);
        if (v.is_array()) return v;
        json::array out;
        out.push_back(v);
        return out;
    }
    case fn::to_string: {
        auto const& v = value(0);
        if (v.is_string()) return v;
        std::string out;
        py::dumps(out, v, compact_json);
        return json::string(out);
    }
    case fn::to_number: {
        auto const& v = value(0);
        if (is_number(v)) return v;
        if (v.is_string()) return string_to_number(view(v.get_string()));
        return nullptr;
    }
    case fn::type: return json::string(type_name(value(0)));
    }
    return nullptr;
}

inline json::value eval(node const& n, json::value const& cur)
{
    switch (n.kind) {
    case nk::current:
    case nk::literal:
    case nk::field:
    case nk::index: {
        auto const* p = walk(n, cur);
        return p ? *p : json::value();
    }
    case nk::chain: {
        if (n.path) {
            auto const* p = walk(n, cur);
            return p ? *p : json::value();
        }
        json::value storage;
        json::value const* p = &cur;
        for (auto const& c : n.children) {
            json::value next;
            p = &eval_ref(c, *p, next);
            if (p == &next) {
                storage = std::move(next);
                p = &storage;
            }
        }
        if (p == &storage) return storage;
        return *p;
    }
    case nk::slice:
        if (!n.step.value_or(1)) throw error(error::kind::invalid_value, "slice step cannot be zero");
        if (auto const* a = cur.if_array()) return slice_array(*a, n);
        return nullptr;
    case nk::projection:
    case nk::filter_projection: {
        json::value storage;
        auto const& base = eval_ref(n.children[0], cur, storage);
        auto const* a = base.if_array();
        if (!a) return nullptr;
        json::array out;
        for (auto const& x : *a) {
            if (n.kind == nk::filter_projection) {
                json::value cs;
                if (!truthy(eval_ref(n.children[2], x, cs))) continue;
            }
            json::value r = eval(n.children[1], x);
            if (!r.is_null()) out.push_back(std::move(r));
        }
        return out;
    }
    case nk::value_projection: {
        json::value storage;
        auto const& base = eval_ref(n.children[0], cur, storage);
        auto const* o = base.if_object();
        if (!o) return nullptr;
        json::array out;
        for (auto const& kv : *o) {
            json::value r = eval(n.children[1], kv.value());
            if (!r.is_null()) out.push_back(std::move(r));
        }
        return out;
    }
    case nk::flatten: {
        json::value storage;
        auto const& base = eval_ref(n.children[0], cur, storage);
        auto const* a = base.if_array();
        if (!a) return nullptr;
        json::array out;
        for (auto const& x : *a) {
            if (auto const* inner = x.if_array()) out.insert(out.end(), inner->begin(), inner->end());
            else out.push_back(x);
        }
        return out;
    }
    case nk::multi_list: {
        if (cur.is_null()) return nullptr;
        json::array out;
        out.reserve(n.children.size());
        for (auto const& c : n.children) out.push_back(eval(c, cur));
        return out;
    }
    case nk::multi_hash: {
        if (cur.is_null()) return nullptr;
        json::object out;
        for (std::size_t i = 0; i < n.children.size(); ++i) out[n.keys[i]] = eval(n.children[i], cur);
        return out;
    }
    case nk::comparator: {
        json::value ls, rs;
        auto const& l = eval_ref(n.children[0], cur, ls);
        auto const& r = eval_ref(n.children[1], cur, rs);
        if (n.op == cmp::eq) return equal(l, r);
        if (n.op == cmp::ne) return !equal(l, r);
        // Ordering: numbers, and (as jmespath.py allows) strings with strings.
        int c = 0;
        if (is_number(l) && is_number(r)) c = compare_numbers(l, r);
        else if (l.is_string() && r.is_string()) c = compare_keys(l, r);
        else return nullptr;
        switch (n.op) {
        case cmp::lt: return c < 0;
        case cmp::lte: return c <= 0;
        case cmp::gt: return c > 0;
        default: return c >= 0;
        }
    }
    case nk::or_: {
        json::value l = eval(n.children[0], cur);
        return truthy(l) ? l : eval(n.children[1], cur);
    }
    case nk::and_: {
        json::value l = eval(n.children[0], cur);
        return truthy(l) ? eval(n.children[1], cur) : l;
    }
    case nk::not_: {
        json::value s;
        return !truthy(eval_ref(n.children[0], cur, s));
    }
    case nk::function: return call(n, cur);
    case nk::expref:
        throw error(error::kind::invalid_type, "An expression reference (&...) can only be a function argument");
    }
    return nullptr;
}

}  // namespace detail

/// A compiled JMESPath expression; cheap to copy, safe to share between threads.
class expression {
public:
    /// Parses `text`. Throws error: syntax, or unknown_function and
    /// invalid_arity (both known from the text alone).
    static expression compile(std::string_view text)
    {
        detail::parser p(text);
        expression e;
        e.root_ = std::make_shared<detail::node const>(p.run());
        e.text_ = std::string(text);
        return e;
    }

    /// The expression applied to `data`. Throws error: invalid_type,
    /// invalid_value (a slice step of 0).
    json::value search(json::value const& data) const { return detail::eval(*root_, data); }

    /// The text it was compiled from.
    std::string const& text() const noexcept { return text_; }

private:
    expression() = default;
    std::shared_ptr<detail::node const> root_;
    std::string text_;
};

/// expression::compile(text).search(data).
inline json::value search(std::string_view text, json::value const& data)
{
    return expression::compile(text).search(data);
}

}  // namespace cli::jmespath

#endif
