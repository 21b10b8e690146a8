#ifndef CLEANROOMSML_DETAIL_JSON_WRITE_HPP
#define CLEANROOMSML_DETAIL_JSON_WRITE_HPP

#include <cleanroomsml/detail/type_info.hpp>

#include <string>
#include <string_view>

namespace cleanroomsml::detail {

/// Appends s as a JSON string literal (quotes included).
CLEANROOMSML_DECL void write_json_string(std::string& out, std::string_view s);

/// Appends a finite double in shortest round-trip form; NaN and the
/// infinities become the strings the AWS protocols use ("NaN", "Infinity").
CLEANROOMSML_DECL void write_json_double(std::string& out, double v, bool single_precision);

/// Appends the value at `p` described by `ti`. Structures emit only their
/// body-bound members; absent optionals are omitted.
CLEANROOMSML_DECL void write_json_value(std::string& out, type_info const& ti, void const* p,
                                        timestamp_format format);

/// Appends the JSON document of a shape's body members ("{}" when none is set).
CLEANROOMSML_DECL void write_json_body(std::string& out, type_info const& ti, void const* p);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/json_write.ipp>
#endif

#endif
