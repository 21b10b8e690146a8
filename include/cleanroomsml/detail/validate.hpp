#ifndef CLEANROOMSML_DETAIL_VALIDATE_HPP
#define CLEANROOMSML_DETAIL_VALIDATE_HPP

#include <cleanroomsml/detail/json_read.hpp>
#include <cleanroomsml/detail/type_info.hpp>

namespace cleanroomsml::detail {

/// Checks a shape against the model's constraints: lengths, ranges, sizes,
/// patterns, reserved tag prefixes, empty enums and labels. Stops at the
/// first problem, naming its member path; returns client_errc::invalid_request.
CLEANROOMSML_DECL error_code validate_shape(type_info const& ti, void const* obj, read_error& err);

/// Number of code points in s, or -1 when s is not valid UTF-8.
CLEANROOMSML_DECL std::int64_t utf8_length(std::string_view s) noexcept;

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/validate.ipp>
#endif

#endif
