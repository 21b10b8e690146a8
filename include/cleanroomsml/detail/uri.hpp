#ifndef CLEANROOMSML_DETAIL_URI_HPP
#define CLEANROOMSML_DETAIL_URI_HPP

#include <cleanroomsml/detail/config.hpp>

#include <string>
#include <string_view>

namespace cleanroomsml::detail {

/// RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~".
constexpr bool is_unreserved(unsigned char c) noexcept
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/// Appends s with every byte outside the unreserved set as %XX (upper-case
/// hex); with keep_slash, '/' stays as it is (greedy labels).
CLEANROOMSML_DECL void percent_encode(std::string& out, std::string_view s, bool keep_slash = false);

/// Decodes %XX escapes; returns false on a malformed escape. '+' stays '+'.
CLEANROOMSML_DECL bool percent_decode(std::string& out, std::string_view s);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/uri.ipp>
#endif

#endif
