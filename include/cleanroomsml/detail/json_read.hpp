#ifndef CLEANROOMSML_DETAIL_JSON_READ_HPP
#define CLEANROOMSML_DETAIL_JSON_READ_HPP

#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/error.hpp>

#include <string>
#include <string_view>

namespace cleanroomsml::detail {

/// Where and why a document did not fit its shape.
struct read_error {
    std::string path;     ///< "audienceModels[3].createTime"; empty for the document itself
    std::string message;
};

/// Nesting allowed in a response document; deeper input is rejected
/// before it can exhaust the stack.
inline constexpr std::size_t max_json_depth = 64;

/// Parses a JSON object straight into the shape `ti` at `out` (no DOM).
/// Unknown members are skipped, null means absent, an empty body counts as {}.
/// On failure returns client_errc::unparsable_response and fills `err`.
CLEANROOMSML_DECL error_code read_json_body(std::string_view body, type_info const& ti, void* out, read_error& err);

/// As read_json_body, but the top-level members bound to the URI, the query
/// or headers are read as well: a whole request written as one JSON object,
/// as the CLI's --cli-input-json takes it.
CLEANROOMSML_DECL error_code read_json_members(std::string_view doc, type_info const& ti, void* out, read_error& err);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/json_read.ipp>
#endif

#endif
