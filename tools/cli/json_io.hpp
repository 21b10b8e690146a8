#ifndef CLEANROOMSML_TOOLS_CLI_JSON_IO_HPP
#define CLEANROOMSML_TOOLS_CLI_JSON_IO_HPP

// The CLI's JSON: values of any described shape as a Boost.JSON DOM (walking
// the library's type tables, so nothing here is per shape), the AWS CLI's
// pretty printing, and the input skeleton of --generate-cli-skeleton.

#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace cli {

namespace json = boost::json;
namespace crd = cleanroomsml::detail;

/// A response as a JSON DOM, written by the library's own JSON writer.
template <class Shape>
json::value to_json_value(Shape const& v)
{
    return json::parse(cleanroomsml::to_json(v));
}

/// What a request looks like on the wire, for --debug:
/// "GET /training-dataset?maxResults=2 {body}".
template <class Request>
std::string wire_form(Request const& req)
{
    crd::encoded_request enc;
    crd::read_error err;
    if (crd::encode_request(cleanroomsml::operation_traits<Request>::info, crd::type_of<Request>(), &req, enc, err))
        return "(cannot encode: " + err.path + ": " + err.message + ")";
    std::string out = std::string(enc.method) + " " + enc.path;
    if (!enc.query.empty()) out += "?" + enc.query;
    if (enc.has_body) out += " " + enc.body;
    return out;
}

// Doubles as Python prints them (the AWS CLI's output): 1.0, not 1.
inline void write_number(std::string& out, double v)
{
    auto start = out.size();
    crd::write_json_double(out, v, false);
    if (!std::isfinite(v)) return;
    if (out.find_first_of(".eE", start) == std::string::npos) out += ".0";
}

/// JSON with 4-space indentation, members in their order, as the AWS CLI prints.
inline void write_pretty(std::string& out, json::value const& v, int depth = 0)
{
    auto indent = [&](int d) { out.append(static_cast<std::size_t>(d) * 4, ' '); };
    switch (v.kind()) {
    case json::kind::object: {
        auto const& o = v.get_object();
        if (o.empty()) { out += "{}"; return; }
        out += "{\n";
        std::size_t i = 0;
        for (auto const& [k, x] : o) {
            indent(depth + 1);
            crd::write_json_string(out, k);
            out += ": ";
            write_pretty(out, x, depth + 1);
            out += ++i < o.size() ? ",\n" : "\n";
        }
        indent(depth);
        out += '}';
        return;
    }
    case json::kind::array: {
        auto const& a = v.get_array();
        if (a.empty()) { out += "[]"; return; }
        out += "[\n";
        for (std::size_t i = 0; i < a.size(); ++i) {
            indent(depth + 1);
            write_pretty(out, a[i], depth + 1);
            out += i + 1 < a.size() ? ",\n" : "\n";
        }
        indent(depth);
        out += ']';
        return;
    }
    case json::kind::string: crd::write_json_string(out, v.get_string()); return;
    case json::kind::double_: write_number(out, v.get_double()); return;
    default: out += json::serialize(v); return;
    }
}

// --output text, the AWS CLI's layout: a structure's scalars on one
// tab-separated line (keys sorted; in a list of structures, the union of
// their scalar keys, so the columns line up), prefixed by the upper-cased
// key it was found under; then its nested values, each under its own key.
// Lists of scalars go on one line, or one line each under a key.
inline std::string text_scalar(json::value const& v)
{
    switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::bool_: return v.get_bool() ? "True" : "False";  // as Python prints them
    case json::kind::null: return "None";
    case json::kind::double_: { std::string s; write_number(s, v.get_double()); return s; }
    default: return json::serialize(v);
    }
}

inline bool is_container(json::value const& v) { return v.is_object() || v.is_array(); }

inline std::string upper(std::string_view s)
{
    std::string u(s);
    for (auto& c : u) if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return u;
}

inline void write_text(std::string& out, json::value const& v, std::string const* id,
                       std::vector<std::string> const* columns = nullptr);

inline void write_text_line(std::string& out, std::vector<std::string> const& fields)
{
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += '\t';
        out += fields[i];
    }
    out += '\n';
}

inline void write_text_object(std::string& out, json::object const& o, std::string const* id,
                              std::vector<std::string> const* columns)
{
    std::vector<std::string> keys;
    for (auto const& kv : o) keys.emplace_back(kv.key());
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> fields;
    std::vector<std::string> nested;
    if (columns) {
        for (auto const& k : *columns) {
            auto const* x = o.if_contains(k);
            fields.push_back(x ? text_scalar(*x) : "");
        }
        for (auto const& k : keys)
            if (std::find(columns->begin(), columns->end(), k) == columns->end()) nested.push_back(k);
    } else {
        for (auto const& k : keys) {
            if (is_container(o.at(k))) nested.push_back(k);
            else fields.push_back(text_scalar(o.at(k)));
        }
    }
    if (!fields.empty()) {
        if (id) fields.insert(fields.begin(), upper(*id));
        write_text_line(out, fields);
    }
    for (auto const& k : nested) write_text(out, o.at(k), &k);
}

inline void write_text(std::string& out, json::value const& v, std::string const* id,
                       std::vector<std::string> const* columns)
{
    if (v.is_object()) return write_text_object(out, v.get_object(), id, columns);
    if (!v.is_array()) {
        out += text_scalar(v);
        out += '\n';
        return;
    }
    auto const& a = v.get_array();
    bool has_objects = std::any_of(a.begin(), a.end(), [](auto const& x) { return x.is_object(); });
    if (has_objects) {
        std::vector<std::string> cols;
        for (auto const& x : a)
            if (x.is_object())
                for (auto const& kv : x.get_object())
                    if (!is_container(kv.value()) && std::find(cols.begin(), cols.end(), kv.key()) == cols.end())
                        cols.emplace_back(kv.key());
        std::sort(cols.begin(), cols.end());
        for (auto const& x : a) write_text(out, x, id, x.is_object() ? &cols : nullptr);
        return;
    }
    std::vector<std::string> scalars;
    for (auto const& x : a)
        if (!is_container(x)) scalars.push_back(text_scalar(x));
    if (!scalars.empty()) {
        if (id)
            for (auto const& x : scalars) write_text_line(out, {upper(*id), x});
        else
            write_text_line(out, scalars);
    }
    for (auto const& x : a)
        if (is_container(x)) write_text(out, x, id);
}

/// A placeholder value of type `ti`, for --generate-cli-skeleton.
inline json::value skeleton(crd::type_info const& ti, int depth = 0)
{
    using crd::value_kind;
    if (depth > 16) return nullptr;  // recursive shapes stop here
    switch (ti.kind) {
    case value_kind::string: return "";
    case value_kind::boolean: return true;
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64: return 0;
    case value_kind::float32: case value_kind::float64: return 0.0;
    case value_kind::timestamp: return "1970-01-01T00:00:00Z";
    case value_kind::structure: {
        json::object o;
        for (std::size_t i = 0; i < ti.member_count; ++i)
            o[ti.members[i].name] = skeleton(ti.members[i].type(), depth + 1);
        return o;
    }
    case value_kind::list: return json::array{skeleton(ti.element(), depth + 1)};
    case value_kind::map: return json::object{{"KeyName", skeleton(ti.element(), depth + 1)}};
    }
    return nullptr;
}

} // namespace cli

#endif
