#ifndef CLEANROOMSML_DETAIL_BASE64_HPP
#define CLEANROOMSML_DETAIL_BASE64_HPP

// Base64 (RFC 4648, standard alphabet, padded), for Basic proxy credentials
// and the CLI's resumption tokens.

#include <cleanroomsml/detail/config.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL std::string base64_encode(std::string_view in);

/// Stops at the first '='; nullopt on a character outside the alphabet.
CLEANROOMSML_DECL std::optional<std::string> base64_decode(std::string_view in);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/base64.ipp>
#endif

#endif
