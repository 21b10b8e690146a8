#ifndef CLEANROOMSML_TOOLS_CLI_OUTPUT_HPP
#define CLEANROOMSML_TOOLS_CLI_OUTPUT_HPP

// --output json | text | table | yaml | yaml-stream, laid out byte for byte as
// the AWS CLI v2 (2.9.19) lays them out. Learned from running its formatters
// (awscli/formatter.py, table.py, text.py; ruamel.yaml 0.17.21 over the libyaml
// 0.1.7 emitter of ruamel.yaml.clib 0.2.7) and checked against their captured
// output in tests/data/cli_output/.
//
// How the integrator drives it (what the AWS CLI does):
//
//  * Not paginated: apply --query to the response, then
//        std::cout << format_output(result, format, options);
//    An empty string means the AWS CLI prints nothing (json/yaml/yaml-stream
//    of {}, a table of a falsy value, text of nothing scalar).
//
//  * Paginated, json / table / yaml (prints_pages(f) == false): merge the
//    pages first, as botocore's build_full_result: each result key's lists
//    concatenated (keys in the order first seen), then "NextToken" (the resume
//    token, when --max-items stopped early; the pages' own nextToken is not
//    kept); apply --query to the merged object; format_output once.
//
//  * Paginated, text: page by page. For each page, the value printed is
//    text_page(page, result_keys): an object holding only the result keys
//    (the missing ones as null; nextToken and the rest are dropped), then
//    --query is applied to THAT object, per page (so `--query 'items[].name'`
//    prints one tab-separated line per page), then output_stream::page.
//    After the last page, if --max-items left a resume token:
//    text_resume_token(token), --query applied to it too (so with a --query it
//    usually prints "None"), then page() again.
//
//  * Paginated, yaml-stream: page by page. Each raw page (nextToken included)
//    with --query applied, then output_stream::page. Each page is its own
//    one-item list document: no "---" between pages.
//
//  * A failure (output_error): the AWS CLI has printed printed() on stdout;
//    it then writes "\n" + what() + "\n" on stderr and exits with 255.
//    Only text (a list mixing objects with other values) and table (lists it
//    cannot lay out) fail.
//
//  * --color: "on" sets options.color; "off" clears it; "auto" (the default)
//    sets it only when stdout is a terminal (isatty(1)). Only table is
//    coloured: cells bright blue, the nesting bars dim yellow, and "\x1b[0m"
//    after every write (colorama's autoreset on the wrapped stdout). That is
//    the AWS CLI writing to stdout itself; on a terminal with a pager
//    configured (AWS_PAGER, less -R by default) it writes to the pager's pipe
//    instead, which colorama does not wrap, so those trailing resets go.
//
//  * options.width: the terminal's columns (TIOCGWINSZ on stdout) when it is
//    a terminal; 0 (= 80, what the AWS CLI assumes when stdout is not a
//    terminal) otherwise. Only table uses it: a table wider than this turns
//    its single-row sections vertical; the rest stays as wide as it is.
//
// Not reproduced: the YAML anchors (&id001 / *id001) ruamel writes when a
// --query result holds the very same Python object twice (identity that a
// JSON value does not have); the order of the two types in the TypeError of a
// table of objects mixed with lists of integers ("'<' not supported between
// instances of 'int' and 'str'": it depends on Python's hash order).

#include "python.hpp"
#include "unicode_data.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace cli {

enum class output_format { json, text, table, yaml, yaml_stream };

/// "json", "text", "table", "yaml", "yaml-stream"; nullopt for anything else.
inline std::optional<output_format> parse_output_format(std::string_view name)
{
    if (name == "json") return output_format::json;
    if (name == "text") return output_format::text;
    if (name == "table") return output_format::table;
    if (name == "yaml") return output_format::yaml;
    if (name == "yaml-stream") return output_format::yaml_stream;
    return std::nullopt;
}

struct output_options {
    std::string_view title;  ///< the operation name, e.g. "ListAudienceModels" (table heading)
    bool color = false;      ///< --color on (table colours, as the AWS CLI)
    std::size_t width = 0;   ///< terminal width; 0 = 80, what the AWS CLI uses when not a TTY
};

/// A value the AWS CLI's formatter fails on. what() is the message it
/// prints; printed() what it had already written to stdout.
class output_error : public std::runtime_error {
public:
    output_error(std::string const& message, std::string printed)
        : std::runtime_error(message), printed_(std::move(printed)) {}
    std::string const& printed() const noexcept { return printed_; }

private:
    std::string printed_;
};

namespace output_detail {

namespace json = boost::json;

// ---------------------------------------------------------------- Unicode --
// The tables and Python's own behaviours (repr, str, str.upper, json.dumps)
// are in unicode_data.hpp and python.hpp.

/// The code point at s[i], advancing i; a malformed byte stands for U+FFFD.
inline char32_t next_code_point(std::string_view s, std::size_t& i)
{
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = b(i);
    std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 1) { ++i; return c; }
    if (n == 0 || i + n > s.size()) { ++i; return 0xFFFD; }
    char32_t v = c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) { ++i; return 0xFFFD; }
        v = (v << 6) | (b(i + k) & 0x3F);
    }
    i += n;
    return v;
}

/// Columns a table gives the text (Python: 2 per East Asian W/F/A character).
inline std::size_t text_length(std::string_view s)
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < s.size();)
        n += unicode_data::in_ranges(unicode_data::wide_chars, next_code_point(s, i)) ? 2 : 1;
    return n;
}

inline bool is_container(json::value const& v) { return v.is_object() || v.is_array(); }

/// An object's keys in Python's sorted() order (code points = UTF-8 bytes).
inline std::vector<std::string_view> sorted_keys(json::object const& o)
{
    std::vector<std::string_view> keys;
    for (auto const& kv : o) keys.push_back(kv.key());
    std::sort(keys.begin(), keys.end());
    return keys;
}

// ------------------------------------------------------------------ json --
// json.dump(indent=4, ensure_ascii=False): non-ASCII as it is, control
// characters escaped (\u00XX in lower case), floats as repr().

inline constexpr py::dumps_style json_style{4, false, ",", ": "};

inline std::string format_json(json::value const& v)
{
    if (v.is_object() && v.get_object().empty()) return {};
    std::string out;
    py::dumps(out, v, json_style);
    out += '\n';
    return out;
}

// ------------------------------------------------------------------ text --
// Objects: their scalars on one tab-separated line (keys sorted), after the
// upper-cased key they were found under; then each nested value under its
// own key. A list of objects lines its objects up on the union of their
// scalar keys (a value that is a list or object there prints as Python's
// repr); other lists: their scalars on one line (or one "KEY\tvalue" line
// each under a key), then their nested lists.

class text_writer {
public:
    void value(json::value const& v, std::optional<std::string_view> id,
               std::vector<std::string_view> const* scalar_keys = nullptr)
    {
        if (v.is_object()) return object(v.get_object(), id, scalar_keys);
        if (v.is_array()) return list(v.get_array(), id);
        out += py::str(v);
        out += '\n';
    }

    std::string out;

private:
    void list(json::array const& a, std::optional<std::string_view> id)
    {
        if (a.empty()) return;
        if (std::any_of(a.begin(), a.end(), [](auto const& x) { return x.is_object(); })) {
            std::vector<std::string_view> keys;
            for (auto const& x : a) {
                if (!x.is_object())
                    throw output_error(std::string("'") + py::bare_type_name(x) + "' object has no attribute 'items'", out);
                for (auto const& [k, y] : x.get_object())
                    if (!is_container(y)) keys.push_back(k);
            }
            std::sort(keys.begin(), keys.end());
            keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
            for (auto const& x : a) value(x, id, &keys);
            return;
        }
        std::vector<json::value const*> scalars;
        for (auto const& x : a)
            if (!is_container(x)) scalars.push_back(&x);
        if (!scalars.empty()) {
            if (id) {
                auto upper = py::upper(*id);
                for (auto const* x : scalars) line({upper, py::str(*x)});
            } else {
                std::vector<std::string> fields;
                for (auto const* x : scalars) fields.push_back(py::str(*x));
                line(fields);
            }
        }
        for (auto const& x : a)
            if (is_container(x)) value(x, id);
    }

    void object(json::object const& o, std::optional<std::string_view> id,
                std::vector<std::string_view> const* scalar_keys)
    {
        std::vector<std::string> fields;
        std::vector<std::string_view> nested;
        if (!scalar_keys) {
            for (auto k : sorted_keys(o)) {
                auto const& x = o.at(k);
                if (is_container(x)) nested.push_back(k);
                else fields.push_back(py::str(x));
            }
        } else {
            for (auto k : *scalar_keys) {
                auto const* x = o.if_contains(k);
                fields.push_back(x ? py::str(*x) : std::string());
            }
            for (auto k : sorted_keys(o))
                if (!std::binary_search(scalar_keys->begin(), scalar_keys->end(), k)) nested.push_back(k);
        }
        if (!fields.empty()) {
            if (id) fields.insert(fields.begin(), py::upper(*id));
            line(fields);
        }
        for (auto k : nested) value(o.at(k), k);
    }

    void line(std::vector<std::string> const& fields)
    {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i) out += '\t';
            out += fields[i];
        }
        out += '\n';
    }
};

inline std::string format_text(json::value const& v)
{
    text_writer w;
    w.value(v, std::nullopt);
    return std::move(w.out);
}

// ----------------------------------------------------------------- table --
// Sections, each a title (the operation, then the key it is found under),
// column headers (an object's sorted scalar keys, the union over a list of
// objects) and rows; nested values get their own sections one level deeper,
// framed by one more '|' on each side. Columns are the cells' widths plus 4,
// scaled to the widest section; a table wider than the terminal turns its
// one-row sections into key/value pairs.

struct table_section {
    std::optional<std::string> title;  // nullopt: Python's None (counts 4 wide)
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;
    std::size_t indent_level = 0;
    std::optional<std::size_t> num_cols;
    std::vector<std::size_t> max_widths;

    void update_max_widths(std::vector<std::string> const& row)
    {
        if (max_widths.empty()) {
            for (auto const& s : row) max_widths.push_back(text_length(s));
            return;
        }
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i >= max_widths.size()) throw output_error("list index out of range", {});
            max_widths[i] = std::max(max_widths[i], text_length(row[i]));
        }
    }

    void add_header(std::vector<std::string> h)
    {
        update_max_widths(h);
        if (!num_cols) num_cols = h.size();
        headers = std::move(h);
    }

    void add_row(std::vector<std::string> row)
    {
        if (!num_cols) num_cols = row.size();
        if (row.size() != *num_cols)
            throw output_error("Row should have " + std::to_string(*num_cols) + " elements, instead it has " +
                                   std::to_string(row.size()), {});
        update_max_widths(row);
        rows.push_back(std::move(row));
    }

    std::vector<std::size_t> column_widths(std::size_t padding, std::optional<std::size_t> max_width = {}) const
    {
        std::vector<std::size_t> w;
        for (auto x : max_widths) w.push_back(x + padding);
        if (!max_width || w.empty()) return w;
        std::size_t sum = 0;
        for (auto x : w) sum += x;
        double scale = static_cast<double>(*max_width) / static_cast<double>(sum);
        std::vector<long long> scaled;
        for (auto x : w) {
            double v = scale * static_cast<double>(x);
            double f = std::floor(v);  // Python's round(): halves to even
            double d = v - f;
            if (d > 0.5 || (d == 0.5 && std::fmod(f, 2.0) != 0.0)) f += 1;
            scaled.push_back(static_cast<long long>(f));
        }
        long long off_by = -static_cast<long long>(*max_width);
        for (auto x : scaled) off_by += x;
        while (off_by != 0) {
            auto n = scaled.size();
            for (std::size_t k = 0; k < n; ++k) {
                auto i = off_by < 0 ? n - 1 - k : k;
                if (off_by > 0) { --scaled[i]; --off_by; }
                else { ++scaled[i]; ++off_by; }
                if (off_by == 0) break;
            }
        }
        w.clear();
        for (auto x : scaled) w.push_back(static_cast<std::size_t>(std::max(0LL, x)));
        return w;
    }

    std::size_t total_width() const
    {
        std::size_t total = 2 + 2 * indent_level;
        for (auto x : max_widths) total += x + 4;
        std::size_t title_len = title ? text_length(*title) : 4;
        return std::max(title_len + 2 + 2 * indent_level, total);
    }
};

class table_builder {
public:
    std::vector<table_section> sections;

    bool build(std::optional<std::string_view> title, json::value const& current, std::size_t indent = 0)
    {
        if (!py::truthy(current)) return false;
        if (title) new_section(std::string(*title), indent);
        if (current.is_array()) {
            auto const& a = current.get_array();
            if (a.front().is_object()) {
                sub_table_from_list(a, indent, title);
            } else {
                for (auto const& item : a) {
                    if (!is_container(item)) {
                        section().add_row({py::str(item)});
                    } else if (item.is_object()) {
                        std::vector<std::string> keys;  // iterating a dict gives its keys
                        for (auto const& kv : item.get_object()) keys.emplace_back(kv.key());
                        section().add_row(std::move(keys));
                    } else if (std::none_of(item.get_array().begin(), item.get_array().end(),
                                            [](auto const& x) { return is_container(x); })) {
                        std::vector<std::string> row;
                        for (auto const& x : item.get_array()) row.push_back(py::str(x));
                        section().add_row(std::move(row));
                    } else {
                        build(std::nullopt, item);
                    }
                }
            }
        }
        if (current.is_object()) sub_table_from_dict(current.get_object(), indent);
        return true;
    }

private:
    table_section& section()
    {
        // Only reachable without a section for a title-less start, which the
        // formatter never does.
        if (sections.empty()) throw output_error("'NoneType' object has no attribute 'add_row'", {});
        return sections.back();
    }

    void new_section(std::optional<std::string> title, std::size_t indent)
    {
        sections.emplace_back();
        sections.back().title = std::move(title);
        sections.back().indent_level = indent;
    }

    static void group_scalar_keys(json::object const& o, std::vector<std::string>& headers,
                                  std::vector<std::string>& more)
    {
        for (auto k : sorted_keys(o)) (is_container(o.at(k)) ? more : headers).emplace_back(k);
    }

    void sub_table_from_dict(json::object const& o, std::size_t indent)
    {
        std::vector<std::string> headers, more;
        group_scalar_keys(o, headers, more);
        if (headers.size() == 1) {
            section().add_row({headers[0], py::str(o.at(headers[0]))});
        } else if (!headers.empty()) {
            section().add_header(headers);
            std::vector<std::string> row;
            for (auto const& k : headers) row.push_back(py::str(o.at(k)));
            section().add_row(std::move(row));
        }
        for (auto const& k : more) build(std::string_view(k), o.at(k), indent + 1);
    }

    void sub_table_from_list(json::array const& a, std::size_t indent, std::optional<std::string_view> title)
    {
        // The union of the elements' scalar / nested keys. Python groups a
        // non-object element by indexing it with its own items; these are
        // the errors that gives.
        std::vector<std::string> headers, more;
        std::string index_header;  // the type of a list index among the keys ("" for none)
        std::string index_more;
        for (auto const& x : a) {
            if (x.is_object()) {
                group_scalar_keys(x.get_object(), headers, more);
            } else if (x.is_string()) {
                if (!x.get_string().empty()) throw output_error("string indices must be integers, not 'str'", {});
            } else if (x.is_array()) {
                auto const& l = x.get_array();
                for (auto const& e : l) {
                    if (e.is_int64() || e.is_uint64() || e.is_bool()) {
                        long long i = e.is_bool() ? e.get_bool() : e.is_int64() ? e.get_int64() : -1;
                        auto n = static_cast<long long>(l.size());
                        if (e.is_uint64() || i >= n || i < -n) throw output_error("list index out of range", {});
                        auto const& item = l[static_cast<std::size_t>(i < 0 ? i + n : i)];
                        (is_container(item) ? index_more : index_header) = py::bare_type_name(e);
                    } else {
                        throw output_error(std::string("list indices must be integers or slices, not ") + py::bare_type_name(e),
                                           {});
                    }
                }
            } else {
                throw output_error(std::string("'") + py::bare_type_name(x) + "' object is not iterable", {});
            }
        }
        // Python cannot sort indexes among key names; which side of the '<'
        // each lands on depends on its set order, so this message may differ.
        for (auto [index, keys] : {std::pair{index_header, &headers}, std::pair{index_more, &more}})
            if (!index.empty() && !keys->empty())
                throw output_error(std::string("'<' not supported between instances of '") + index + "' and 'str'", {});
        std::sort(headers.begin(), headers.end());
        headers.erase(std::unique(headers.begin(), headers.end()), headers.end());
        std::sort(more.begin(), more.end());
        more.erase(std::unique(more.begin(), more.end()), more.end());
        section().add_header(headers);
        bool first = true;
        for (auto const& x : a) {
            if (!first && !more.empty()) {
                new_section(title ? std::optional<std::string>(std::string(*title)) : std::nullopt, indent);
                section().add_header(headers);
            }
            first = false;
            if (!x.is_object()) {
                // Only "" and lists of in-range indexes get here: a row of
                // .get() calls (none without headers), then `key in x`.
                if (!headers.empty() || !index_header.empty())
                    throw output_error(std::string("'") + py::bare_type_name(x) + "' object has no attribute 'get'", {});
                section().add_row({});
                for (auto const& k : more)
                    if (x.is_string() && x.get_string().subview().find(k) != std::string_view::npos)
                        throw output_error("string indices must be integers, not 'str'", {});
                continue;
            }
            auto const& o = x.get_object();
            std::vector<std::string> row;
            for (auto const& h : headers) {
                auto const* v = o.if_contains(h);
                row.push_back(v ? py::str(*v) : std::string());
            }
            section().add_row(std::move(row));
            for (auto const& k : more)
                if (auto const* v = o.if_contains(k)) build(std::string_view(k), *v, indent + 1);
        }
    }
};

inline std::string format_table(json::value const& v, output_options const& o)
{
    table_builder b;
    if (!b.build(o.title, v)) return {};
    auto& sections = b.sections;
    std::size_t const terminal_width = o.width ? o.width : 80;
    auto max_width = [&] {
        std::size_t m = 0;
        for (auto const& s : sections) m = std::max(m, s.total_width());
        return m;
    };
    std::size_t width = max_width();
    if (width > terminal_width) {
        for (auto& s : sections) {
            if (s.rows.size() != 1 || s.headers.empty()) continue;
            table_section v;
            v.title = s.title;
            v.indent_level = s.indent_level;
            for (std::size_t i = 0; i < std::min(s.headers.size(), s.rows[0].size()); ++i)
                v.add_row({s.headers[i], s.rows[0][i]});
            s = std::move(v);
        }
        width = max_width();
    }

    // Each write of the Python code is kept apart: with colour on, colorama
    // ends every one of them with a reset.
    std::vector<std::string> writes;
    std::string const bar = o.color ? "\x1b[2m\x1b[33m|\x1b[0m" : "|";
    auto spaces = [](long long n) { return std::string(n > 0 ? static_cast<std::size_t>(n) : 0, ' '); };
    auto center = [&](std::string const& text, std::size_t length, std::string_view left, std::size_t text_len) {
        auto len = static_cast<long long>(length), tl = static_cast<long long>(text_len);
        long long start = len / 2 - tl / 2 - 1;
        std::string s(left);
        s += spaces(start);
        s += text;
        long long so_far = static_cast<long long>(left.size()) + start + tl;
        s += spaces(len - 1 - so_far);
        s += '|';
        return s;
    };
    writes.push_back(std::string(width, '-') + "\n");
    for (auto const& s : sections) {
        std::string indent;
        for (std::size_t i = 0; i < s.indent_level; ++i) indent += bar;
        auto write = [&](std::string text) {  // IndentedStream.write(text + "\n")
            writes.push_back(indent);
            writes.push_back(std::move(text));
            writes.push_back(indent);
            writes.push_back("\n");
        };
        std::size_t const w = width - 2 * s.indent_level;
        auto line_break = [&](std::vector<std::size_t> const& widths) {
            std::string l;
            for (std::size_t i = 0; i < widths.size(); ++i) {
                auto n = static_cast<long long>(widths[i]) - (i ? 1 : 2);
                l += i ? "" : "+";
                l += std::string(n > 0 ? static_cast<std::size_t>(n) : 0, '-');
                l += '+';
            }
            write(std::move(l));
        };
        if (s.title && !s.title->empty()) {
            write(center(*s.title, w, "|", text_length(*s.title)));
            if (s.headers.empty() && s.rows.empty())
                write("+" + std::string(w >= 2 ? w - 2 : 0, '-') + "+");
        }
        if (!s.headers.empty()) {
            auto widths = s.column_widths(4, w);
            std::string l;
            for (std::size_t i = 0; i < std::min(widths.size(), s.headers.size()); ++i)
                l += center(s.headers[i], widths[i], i ? "" : "|", text_length(s.headers[i]));
            line_break(widths);
            write(std::move(l));
        }
        if (!s.rows.empty()) {
            auto widths = s.column_widths(4, w);
            if (widths.empty()) continue;
            line_break(widths);
            for (auto const& row : s.rows) {
                std::string l;
                for (std::size_t i = 0; i < std::min(widths.size(), row.size()); ++i) {
                    auto tl = static_cast<long long>(text_length(row[i]));
                    auto len = static_cast<long long>(widths[i]);
                    std::string_view left = i ? "" : "|";
                    long long pad = len - (tl + 2 + static_cast<long long>(left.size()) + 1) >= 0 ? 2 : 0;
                    l += left;
                    l += spaces(pad);
                    l += o.color ? "\x1b[1m\x1b[34m" + row[i] + "\x1b[0m" : row[i];
                    l += spaces(len - (static_cast<long long>(left.size()) + pad + tl) - 1);
                    l += '|';
                }
                write(std::move(l));
            }
            line_break(widths);
        }
    }
    std::string out;
    for (auto const& x : writes) {
        out += x;
        if (o.color) out += "\x1b[0m";
    }
    return out;
}

// ------------------------------------------------------------------ yaml --
// ruamel.yaml's safe dumper: block style, keys sorted, empty collections as
// {} and [], strings plain unless YAML 1.2 would read them as something else
// or libyaml's analysis forbids it, then 'single' and then "double" quoted
// (with escapes), long lines folded after column 80. The emitter below
// follows libyaml 0.1.7's, for the events a JSON value gives.

/// Whether the YAML 1.2 implicit resolvers read a plain scalar as anything
/// but a string (bool, int, float, null, timestamp, merge, value, yaml).
inline bool yaml_resolves_non_str(std::string_view v)
{
    if (v.empty()) return true;  // null
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto all = [](std::string_view s, auto pred) {
        return !s.empty() && std::all_of(s.begin(), s.end(), pred);
    };
    auto is_int = [&](std::string_view s) {
        if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
        if (all(s, [&](char c) { return digit(c) || c == '_'; })) return true;
        if (s.size() > 2 && s[0] == '0') {
            auto r = s.substr(2);
            if (s[1] == 'b') return all(r, [](char c) { return c == '0' || c == '1' || c == '_'; });
            if (s[1] == 'o') return all(r, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
            if (s[1] == 'x')
                return all(r, [&](char c) {
                    return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
                });
        }
        return false;
    };
    auto is_float = [&](std::string_view s) {
        if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
        if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
        if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
        std::size_t i = 0, n = s.size();
        auto run = [&](auto pred) { std::size_t b = i; while (i < n && pred(s[i])) ++i; return i - b; };
        auto digit_ = [&](char c) { return digit(c) || c == '_'; };
        auto exponent = [&](bool sign_required) {
            if (i >= n || (s[i] != 'e' && s[i] != 'E')) return false;
            ++i;
            if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
            else if (sign_required) return false;
            return run(digit) > 0;
        };
        if (i < n && s[i] == '.') {
            ++i;
            if (run(digit_) == 0) return false;
            return i == n || (exponent(true) && i == n);
        }
        if (i >= n || !digit(s[i])) return false;
        run(digit_);
        if (i < n && s[i] == '.') {
            ++i;
            run(digit_);
            return i == n || (exponent(false) && i == n);
        }
        return exponent(false) && i == n;
    };
    auto is_timestamp = [&](std::string_view s) {
        std::size_t i = 0, n = s.size();
        auto digits = [&](std::size_t lo, std::size_t hi) {
            std::size_t k = 0;
            while (k < hi && i < n && digit(s[i])) { ++i; ++k; }
            return k >= lo;
        };
        auto ch = [&](char c) { if (i < n && s[i] == c) { ++i; return true; } return false; };
        if (n == 10 && digits(4, 4) && ch('-') && digits(2, 2) && ch('-') && digits(2, 2) && i == n) return true;
        i = 0;
        if (!(digits(4, 4) && ch('-') && digits(1, 2) && ch('-') && digits(1, 2))) return false;
        if (!ch('T') && !ch('t')) {
            if (i >= n || (s[i] != ' ' && s[i] != '\t')) return false;
            while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
        }
        if (!(digits(1, 2) && ch(':') && digits(2, 2) && ch(':') && digits(2, 2))) return false;
        if (ch('.')) digits(0, std::string_view::npos);
        if (i == n) return true;
        while (i < n && (s[i] == ' ' || s[i] == '\t')) ++i;
        if (ch('Z')) return i == n;
        if (!ch('-') && !ch('+')) return false;
        if (!digits(1, 2)) return false;
        if (ch(':') && !digits(2, 2)) return false;
        return i == n;
    };
    auto matches = [&](std::string_view s) {
        char c = v[0];  // the resolvers are picked by the first character
        if (std::string_view("tTfF").find(c) != std::string_view::npos &&
            (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE"))
            return true;
        if ((digit(c) || c == '-' || c == '+' || c == '.') && is_float(s)) return true;
        if ((digit(c) || c == '-' || c == '+') && is_int(s)) return true;
        if (c == '<' && s == "<<") return true;
        if ((c == '~' || c == 'n' || c == 'N') && (s == "~" || s == "null" || s == "Null" || s == "NULL")) return true;
        if (digit(c) && is_timestamp(s)) return true;
        if (c == '=' && s == "=") return true;
        if ((c == '!' || c == '&' || c == '*') && s.size() == 1) return true;
        return false;
    };
    // Python's `$` also matches before a final newline.
    return matches(v) || (v.size() > 1 && v.back() == '\n' && matches(v.substr(0, v.size() - 1)));
}

class yaml_emitter {
public:
    explicit yaml_emitter(std::string& out) : out_(out) {}

    void document(json::value const& v)
    {
        node(v, true, false, false, false);
        write_indent();  // the implicit document end
    }

private:
    static constexpr int best_indent = 2;
    static constexpr int best_width = 80;

    struct scalar {
        std::string value;
        bool plain_implicit;   // read back as its own type when plain
        bool quoted_implicit;  // read back as its own type when quoted (strings)
    };
    struct analysis {
        bool multiline = false;
        bool flow_plain_allowed = true;
        bool block_plain_allowed = true;
        bool single_quoted_allowed = true;
    };
    enum class style { plain, single_quoted, double_quoted };

    std::string& out_;
    int column_ = 0;
    bool whitespace_ = true;
    bool indention_ = true;
    int indent_ = -1;
    std::vector<int> indents_;
    int flow_level_ = 0;
    bool mapping_context_ = false;
    bool simple_key_context_ = false;

    // Bytes of a UTF-8 string as libyaml's macros see them; past the end is NUL.
    struct cursor {
        std::string_view s;
        std::size_t p = 0;
        unsigned char at(std::size_t k = 0) const
        {
            return p + k < s.size() ? static_cast<unsigned char>(s[p + k]) : 0;
        }
        std::size_t width(std::size_t k = 0) const
        {
            auto c = at(k);
            std::size_t w = (c & 0x80) == 0 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                                                 : (c & 0xF8) == 0xF0 ? 4 : 1;
            return std::min(w, s.size() > p + k ? s.size() - p - k : 1);
        }
        bool is(char c, std::size_t k = 0) const { return at(k) == static_cast<unsigned char>(c); }
        bool space(std::size_t k = 0) const { return is(' ', k); }
        bool brk(std::size_t k = 0) const
        {
            return is('\r', k) || is('\n', k) || (at(k) == 0xC2 && at(k + 1) == 0x85) ||
                   (at(k) == 0xE2 && at(k + 1) == 0x80 && (at(k + 2) == 0xA8 || at(k + 2) == 0xA9));
        }
        bool blankz(std::size_t k = 0) const { return space(k) || is('\t', k) || brk(k) || at(k) == 0; }
        bool printable() const
        {
            auto b0 = at(), b1 = at(1), b2 = at(2);
            return b0 == 0x0A || (b0 >= 0x20 && b0 <= 0x7E) || (b0 == 0xC2 && b1 >= 0xA0) ||
                   (b0 > 0xC2 && b0 < 0xED) || (b0 == 0xED && b1 < 0xA0) || b0 == 0xEE ||
                   (b0 == 0xEF && !(b1 == 0xBB && b2 == 0xBF) && !(b1 == 0xBF && (b2 == 0xBE || b2 == 0xBF)));
        }
        bool bom() const { return at() == 0xEF && at(1) == 0xBB && at(2) == 0xBF; }
        bool end() const { return p >= s.size(); }
        bool first() const { return p == 0; }
        bool last() const { return p + width() >= s.size(); }
        void move() { p += width(); }
    };

    static scalar make_scalar(json::value const& v)
    {
        switch (v.kind()) {
        case json::kind::string: {
            std::string s(v.get_string());
            bool plain = !yaml_resolves_non_str(s);
            return {std::move(s), plain, true};
        }
        case json::kind::null: return {"null", true, false};
        case json::kind::bool_: return {v.get_bool() ? "true" : "false", true, false};
        case json::kind::double_: {
            double d = v.get_double();
            if (std::isnan(d)) return {".nan", true, false};
            if (std::isinf(d)) return {d > 0 ? ".inf" : "-.inf", true, false};
            return {py::float_repr(d), true, false};
        }
        default: return {py::str(v), true, false};
        }
    }

    static analysis analyze(std::string_view value)
    {
        analysis a;
        if (value.empty()) {
            a.flow_plain_allowed = false;
            return a;
        }
        bool block_indicators = false, flow_indicators = false, line_breaks = false, special = false;
        bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
        bool break_space = false, space_break = false, previous_space = false, previous_break = false;
        if (value.substr(0, 3) == "---" || value.substr(0, 3) == "...") block_indicators = flow_indicators = true;
        cursor c{value};
        bool preceded_by_whitespace = true;
        bool followed_by_whitespace = c.blankz(c.width());
        while (!c.end()) {
            if (c.first()) {
                if (std::string_view("#,[]{}&*!|>'\"%@`").find(static_cast<char>(c.at())) != std::string_view::npos &&
                    c.at() != 0)
                    flow_indicators = block_indicators = true;
                if (c.is('?') || c.is(':')) {
                    flow_indicators = true;
                    if (followed_by_whitespace) block_indicators = true;
                }
                if (c.is('-') && followed_by_whitespace) flow_indicators = block_indicators = true;
            } else {
                if (c.is(',') || c.is('?') || c.is('[') || c.is(']') || c.is('{') || c.is('}')) flow_indicators = true;
                if (c.is(':')) {
                    flow_indicators = true;
                    if (followed_by_whitespace) block_indicators = true;
                }
                if (c.is('#') && preceded_by_whitespace) flow_indicators = block_indicators = true;
            }
            if (!c.printable()) special = true;  // non-ASCII is allowed (allow_unicode)
            if (c.brk()) line_breaks = true;
            if (c.space()) {
                if (c.first()) leading_space = true;
                if (c.last()) trailing_space = true;
                if (previous_break) break_space = true;
                previous_space = true;
                previous_break = false;
            } else if (c.brk()) {
                if (c.first()) leading_break = true;
                if (c.last()) trailing_break = true;
                if (previous_space) space_break = true;
                previous_space = false;
                previous_break = true;
            } else {
                previous_space = previous_break = false;
            }
            preceded_by_whitespace = c.blankz();
            c.move();
            if (!c.end()) followed_by_whitespace = c.blankz(c.width());
        }
        a.multiline = line_breaks;
        if (leading_space || leading_break || trailing_space || trailing_break)
            a.flow_plain_allowed = a.block_plain_allowed = false;
        if (break_space || space_break || special)
            a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = false;
        if (line_breaks) a.flow_plain_allowed = a.block_plain_allowed = false;
        if (flow_indicators) a.flow_plain_allowed = false;
        if (block_indicators) a.block_plain_allowed = false;
        return a;
    }

    void put(char c)
    {
        out_ += c;
        ++column_;
    }
    void put_break()
    {
        out_ += '\n';
        column_ = 0;
    }
    void write(cursor& c)  // one character
    {
        out_.append(c.s.substr(c.p, c.width()));
        ++column_;
        c.move();
    }
    void write_break(cursor& c)
    {
        if (c.is('\n')) {
            put_break();
            c.move();
        } else {
            out_.append(c.s.substr(c.p, c.width()));
            column_ = 0;
            c.move();
        }
    }
    void write_indent()
    {
        int indent = indent_ >= 0 ? indent_ : 0;
        if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
        while (column_ < indent) put(' ');
        whitespace_ = indention_ = true;
    }
    void write_indicator(std::string_view indicator, bool need_whitespace, bool is_whitespace, bool is_indention)
    {
        if (need_whitespace && !whitespace_) put(' ');
        for (char ch : indicator) put(ch);
        whitespace_ = is_whitespace;
        indention_ = indention_ && is_indention;
    }
    void increase_indent(bool flow, bool indentless)
    {
        indents_.push_back(indent_);
        if (indent_ < 0) indent_ = flow ? best_indent : 0;
        else if (!indentless) indent_ += best_indent;
    }
    void pop_indent()
    {
        indent_ = indents_.back();
        indents_.pop_back();
    }

    void node(json::value const& v, bool /*root*/, bool /*sequence*/, bool mapping, bool simple_key)
    {
        mapping_context_ = mapping;
        simple_key_context_ = simple_key;
        if (v.is_object()) {
            auto const& o = v.get_object();
            if (o.empty()) return empty_flow("{", "}");
            return block_mapping(o);
        }
        if (v.is_array()) {
            auto const& a = v.get_array();
            if (a.empty()) return empty_flow("[", "]");
            return block_sequence(a);
        }
        emit_scalar(make_scalar(v));
    }

    void empty_flow(std::string_view open, std::string_view close)
    {
        write_indicator(open, true, true, false);
        increase_indent(true, false);
        ++flow_level_;
        --flow_level_;
        pop_indent();
        write_indicator(close, false, false, false);
    }

    void block_sequence(json::array const& a)
    {
        increase_indent(false, mapping_context_ && !indention_);
        for (auto const& item : a) {
            write_indent();
            write_indicator("-", true, false, true);
            node(item, false, true, false, false);
        }
        pop_indent();
    }

    void block_mapping(json::object const& o)
    {
        increase_indent(false, false);
        for (auto k : sorted_keys(o)) {
            write_indent();
            scalar key{std::string(k), !yaml_resolves_non_str(k), true};
            auto a = analyze(key.value);
            if (!a.multiline && key.value.size() <= 128) {  // a simple key
                mapping_context_ = true;
                simple_key_context_ = true;
                emit_scalar(key, &a);
                write_indicator(":", false, false, false);
            } else {
                write_indicator("?", true, false, true);
                mapping_context_ = true;
                simple_key_context_ = false;
                emit_scalar(key, &a);
                write_indent();
                write_indicator(":", true, false, true);
            }
            node(o.at(k), false, false, true, false);
        }
        pop_indent();
    }

    void emit_scalar(scalar const& s, analysis const* known = nullptr)
    {
        auto a = known ? *known : analyze(s.value);
        auto st = style::plain;
        if (simple_key_context_ && a.multiline) st = style::double_quoted;
        if (st == style::plain) {
            if ((flow_level_ && !a.flow_plain_allowed) || (!flow_level_ && !a.block_plain_allowed))
                st = style::single_quoted;
            if (s.value.empty() && (flow_level_ || simple_key_context_)) st = style::single_quoted;
            if (!s.plain_implicit) st = style::single_quoted;
        }
        if (st == style::single_quoted && !a.single_quoted_allowed) st = style::double_quoted;
        // (A non-string scalar is always plain here, so no "!" tag is needed.)
        increase_indent(true, false);
        bool allow_breaks = !simple_key_context_;
        switch (st) {
        case style::plain: write_plain(s.value, allow_breaks); break;
        case style::single_quoted: write_single_quoted(s.value, allow_breaks); break;
        case style::double_quoted: write_double_quoted(s.value, allow_breaks); break;
        }
        pop_indent();
    }

    void write_plain(std::string_view value, bool allow_breaks)
    {
        cursor c{value};
        bool spaces = false, breaks = false;
        if (!whitespace_) put(' ');
        while (!c.end()) {
            if (c.space()) {
                if (allow_breaks && !spaces && column_ > best_width && !c.space(1)) {
                    write_indent();
                    c.move();
                } else {
                    write(c);
                }
                spaces = true;
            } else if (c.brk()) {
                if (!breaks && c.is('\n')) put_break();
                write_break(c);
                indention_ = true;
                breaks = true;
            } else {
                if (breaks) write_indent();
                write(c);
                indention_ = false;
                spaces = breaks = false;
            }
        }
        whitespace_ = indention_ = false;
    }

    void write_single_quoted(std::string_view value, bool allow_breaks)
    {
        cursor c{value};
        bool spaces = false, breaks = false;
        write_indicator("'", true, false, false);
        while (!c.end()) {
            if (c.space()) {
                if (allow_breaks && !spaces && column_ > best_width && !c.first() && c.p != value.size() - 1 &&
                    !c.space(1)) {
                    write_indent();
                    c.move();
                } else {
                    write(c);
                }
                spaces = true;
            } else if (c.brk()) {
                if (!breaks && c.is('\n')) put_break();
                write_break(c);
                indention_ = true;
                breaks = true;
            } else {
                if (breaks) write_indent();
                if (c.is('\'')) put('\'');
                write(c);
                indention_ = false;
                spaces = breaks = false;
            }
        }
        if (breaks) write_indent();
        write_indicator("'", false, false, false);
        whitespace_ = indention_ = false;
    }

    void write_double_quoted(std::string_view value, bool allow_breaks)
    {
        static constexpr char hex[] = "0123456789ABCDEF";
        cursor c{value};
        bool spaces = false;
        write_indicator("\"", true, false, false);
        while (!c.end()) {
            if (!c.printable() || c.bom() || c.brk() || c.is('"') || c.is('\\')) {
                std::size_t i = c.p;
                char32_t v = next_code_point(value, i);
                c.p = i;
                put('\\');
                switch (v) {
                case 0x00: put('0'); break;
                case 0x07: put('a'); break;
                case 0x08: put('b'); break;
                case 0x09: put('t'); break;
                case 0x0A: put('n'); break;
                case 0x0B: put('v'); break;
                case 0x0C: put('f'); break;
                case 0x0D: put('r'); break;
                case 0x1B: put('e'); break;
                case 0x22: put('"'); break;
                case 0x5C: put('\\'); break;
                case 0x85: put('N'); break;
                case 0xA0: put('_'); break;
                case 0x2028: put('L'); break;
                case 0x2029: put('P'); break;
                default: {
                    int digits = v <= 0xFF ? 2 : v <= 0xFFFF ? 4 : 8;
                    put(digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
                    for (int k = (digits - 1) * 4; k >= 0; k -= 4) put(hex[(v >> k) & 0x0F]);
                }
                }
                spaces = false;
            } else if (c.space()) {
                if (allow_breaks && !spaces && column_ > best_width && !c.first() && c.p != value.size() - 1) {
                    write_indent();
                    if (c.space(1)) put('\\');
                    c.move();
                } else {
                    write(c);
                }
                spaces = true;
            } else {
                write(c);
                spaces = false;
            }
        }
        write_indicator("\"", false, false, false);
        whitespace_ = indention_ = false;
    }
};

inline std::string yaml_dump(json::value const& v)
{
    std::string out;
    if (!is_container(v)) {  // the AWS CLI prints a lone scalar as JSON
        py::dumps(out, v, json_style);
        out += '\n';
        return out;
    }
    yaml_emitter(out).document(v);
    return out;
}

inline std::string yaml_stream_document(json::value const& v)
{
    json::array a;
    a.push_back(v);
    return yaml_dump(a);
}

inline bool is_empty_object(json::value const& v) { return v.is_object() && v.get_object().empty(); }

} // namespace output_detail

/// The whole document the AWS CLI prints for `v` (a response, a merged
/// paginated response, or a --query result), newlines included; empty where
/// it prints nothing. Throws output_error where the AWS CLI fails.
inline std::string format_output(boost::json::value const& v, output_format f, output_options const& o)
{
    namespace d = output_detail;
    switch (f) {
    case output_format::json: return d::format_json(v);
    case output_format::text: return d::format_text(v);
    case output_format::table: return d::format_table(v, o);
    case output_format::yaml: return d::is_empty_object(v) ? std::string() : d::yaml_dump(v);
    case output_format::yaml_stream: return d::is_empty_object(v) ? std::string() : d::yaml_stream_document(v);
    }
    return {};
}

/// Whether the AWS CLI prints a paginated response page by page in this
/// format (text, yaml-stream) instead of merging the pages first.
inline bool prints_pages(output_format f)
{
    return f == output_format::text || f == output_format::yaml_stream;
}

/// Page-by-page printing for the formats where prints_pages() is true; see
/// the top of this file for what each page's value must be.
class output_stream {
public:
    /// Throws std::invalid_argument for a format that merges pages first.
    /// (Neither text nor yaml-stream uses the options; they are taken for
    /// symmetry with format_output.)
    explicit output_stream(output_format f, output_options const& = {}) : format_(f)
    {
        if (!prints_pages(f)) throw std::invalid_argument("output_stream: this format prints merged pages");
    }

    /// What the AWS CLI prints for one page, as soon as it has it.
    std::string page(boost::json::value const& v) const
    {
        if (format_ == output_format::text) return output_detail::format_text(v);
        return output_detail::yaml_stream_document(v);  // even for {}
    }

    /// What is printed after the last page (nothing, for both formats).
    std::string finish() const { return {}; }

private:
    output_format format_;
};

/// The value text prints for one page: only the result keys (dotted paths
/// are nested objects), null where the page has none.
inline boost::json::value text_page(boost::json::value const& page, std::span<std::string const> result_keys)
{
    boost::json::object current;
    for (auto const& key : result_keys) {
        boost::json::value const* found = &page;
        boost::json::object* target = &current;
        std::string_view rest = key;
        while (true) {
            auto dot = rest.find('.');
            auto part = rest.substr(0, dot);
            found = found && found->is_object() ? found->get_object().if_contains(part) : nullptr;
            if (dot == std::string_view::npos) {
                (*target)[part] = found ? *found : boost::json::value();
                break;
            }
            auto& next = (*target)[part];
            if (!next.is_object()) next = boost::json::object();
            target = &next.get_object();
            rest.remove_prefix(dot + 1);
        }
    }
    return current;
}

inline boost::json::value text_page(boost::json::value const& page, std::string const& result_key)
{
    return text_page(page, std::span<std::string const>(&result_key, 1));
}

/// What text prints after the pages when --max-items stopped early:
/// {"NextToken": {"NextToken": token}} (then --query applies to it).
inline boost::json::value text_resume_token(std::string_view token)
{
    boost::json::object inner;
    inner["NextToken"] = token;
    boost::json::object outer;
    outer["NextToken"] = std::move(inner);
    return outer;
}

} // namespace cli

#endif
