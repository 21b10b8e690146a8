#ifndef CLEANROOMSML_TOOLS_CLI_JSON_IO_HPP
#define CLEANROOMSML_TOOLS_CLI_JSON_IO_HPP

// The CLI's JSON: values of any described shape as a Boost.JSON DOM (walking
// the library's type tables, so nothing here is per shape), the AWS CLI's
// pretty printing, and the input skeleton of --generate-cli-skeleton.

#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/timestamp.hpp>

#include "python.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
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

/// JSON with 4-space indentation, members in their order: json.dump(indent=4)
/// as --generate-cli-skeleton writes it.
inline void write_pretty(std::string& out, json::value const& v)
{
    py::dumps(out, v, py::dumps_style{4, true, ",", ": "});
}

// ---- --generate-cli-skeleton, as botocore's ArgumentGenerator fills it ----

/// The known values of the enumeration `ti` is the table of, in the model's
/// order; empty for a plain string.
inline std::span<std::string_view const> enum_values(crd::type_info const& ti)
{
    return {ti.enum_values, ti.enum_value_count};
}

namespace detail_skeleton {

// botocore's generator: an enumeration's first value, 0, 0.0, true, the
// epoch (a datetime, printed as isoformat()), one list element, one map
// entry "KeyName"; a structure already being filled further up is {}.
// With `names`, strings are the member's name instead (the output form).
inline json::value fill(crd::type_info const& ti, std::vector<std::string_view>& open, bool names, std::string_view name)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::string: {
        if (names) return json::string(name);
        auto values = enum_values(ti);
        return values.empty() ? json::string() : json::string(values.front());
    }
    case value_kind::boolean: return true;
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64: return 0;
    case value_kind::float32: case value_kind::float64: return 0.0;
    case value_kind::timestamp: return "1970-01-01T00:00:00";
    case value_kind::structure: {
        json::object o;
        if (std::find(open.begin(), open.end(), ti.name) != open.end()) return o;
        open.push_back(ti.name);
        for (std::size_t i = 0; i < ti.member_count; ++i)
            o[ti.members[i].name] = fill(ti.members[i].type(), open, names, ti.members[i].name);
        open.pop_back();
        return o;
    }
    // The output form names a list's strings after the element's shape,
    // which the tables do not have: the list member's name stands in.
    case value_kind::list: return json::array{fill(ti.element(), open, names, name)};
    case value_kind::map: return json::object{{"KeyName", fill(ti.element(), open, names, "")}};
    }
    return nullptr;
}

} // namespace detail_skeleton

/// What `aws <service> <command> --generate-cli-skeleton [input]` prints
/// for a request of type `ti` (print it with write_pretty; an empty
/// request prints "{}"). Enumerations show their first value.
inline json::value skeleton(crd::type_info const& ti)
{
    std::vector<std::string_view> open;
    return detail_skeleton::fill(ti, open, false, {});
}

/// The fake response of `--generate-cli-skeleton output` for a response of
/// type `ti`: strings hold their member's name. The AWS CLI validates it
/// as a response before printing it (param_errors() in options.hpp gives
/// the errors it reports, exit 252), then prints it as any response.
inline json::value skeleton_output(crd::type_info const& ti)
{
    std::vector<std::string_view> open;
    return detail_skeleton::fill(ti, open, true, {});
}

} // namespace cli

#endif
