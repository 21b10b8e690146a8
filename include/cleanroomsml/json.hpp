#ifndef CLEANROOMSML_JSON_HPP
#define CLEANROOMSML_JSON_HPP

// JSON for any described shape, the way the service writes and reads it:
// wire member names, absent optionals omitted, unknown members ignored.

#include <cleanroomsml/detail/json_read.hpp>
#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/diagnostics.hpp>

#include <string>
#include <string_view>

namespace cleanroomsml {

/// The JSON document of v's body members.
template <described_shape T>
std::string to_json(T const& v)
{
    std::string out;
    detail::write_json_body(out, detail::type_of<T>(), &v);
    return out;
}

/// Parses `json` into `out`, which starts over from a default value. On
/// failure returns client_errc::unparsable_response; `diag`, when given,
/// then names the JSON path and the problem.
template <described_shape T>
error_code from_json(std::string_view json, T& out, diagnostics* diag = nullptr)
{
    out = T();
    detail::read_error err;
    auto ec = detail::read_json_body(json, detail::type_of<T>(), &out, err);
    if (ec && diag) {
        diag->path = std::move(err.path);
        diag->message = std::move(err.message);
    }
    return ec;
}

} // namespace cleanroomsml

#endif
