#ifndef CLEANROOMSML_DETAIL_ENDPOINT_LIB_HPP
#define CLEANROOMSML_DETAIL_ENDPOINT_LIB_HPP

// The standard library of the Smithy endpoint rules engine, for the rules that
// codegen/endpoints.py translates into C++ (include/cleanroomsml/model/
// endpoint_rules.hpp): parseURL, isValidHostLabel, uriEncode, substring,
// stringEquals, template concatenation, and the result of a rule set.
// `aws.partition` is generated with the partition table it searches.

#include <cleanroomsml/detail/config.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail::endpoint_lib {

/// What parseURL returns. The first five members are the rules' attributes
/// (getAttr names scheme, authority, path, normalizedPath, isIp).
struct url_parts {
    std::string scheme;           ///< "http" or "https", lower case
    std::string authority;        ///< host[:port] as written ("[::1]:8080" keeps the brackets)
    std::string path;             ///< as written, "" when the URL has none
    std::string normalized_path;  ///< path with a leading and a trailing '/' ("/" when empty)
    bool is_ip = false;           ///< the host is an IPv4 or a bracketed IPv6 address
    std::string host;             ///< the host without IPv6 brackets
    std::uint16_t port = 0;       ///< the port given, else 80 (http) or 443 (https)
};

/// parseURL: an absolute http or https URL with a host, an optional port and
/// an optional path. No query, no fragment, no user info, nothing outside
/// printable ASCII: std::nullopt for anything else.
CLEANROOMSML_DECL std::optional<url_parts> parse_url(std::string_view url);

/// isValidHostLabel: an RFC 1123 label (1 to 63 letters, digits and '-', not
/// starting or ending with '-'); with allow_sub_domains, labels joined by '.'.
CLEANROOMSML_DECL bool is_valid_host_label(std::string_view value, bool allow_sub_domains) noexcept;

/// uriEncode: every byte outside RFC 3986 unreserved as %XX.
CLEANROOMSML_DECL std::string uri_encode(std::string_view value);

/// substring: [start, stop) counted from the front, or with reverse from the
/// back; unset for non-ASCII input or when the range does not fit.
CLEANROOMSML_DECL std::optional<std::string> substring(std::string_view value, int start, int stop, bool reverse);

/// The inside of a JSON string for value (for templated endpoint properties).
CLEANROOMSML_DECL std::string json_escape(std::string_view value);

/// A template's pieces, joined.
CLEANROOMSML_DECL std::string concat(std::initializer_list<std::string_view> parts);

inline bool string_equals(std::string_view a, std::string_view b) noexcept { return a == b; }

/// What a rule set yields: an endpoint, or the message of an error rule.
struct rule_result {
    bool error = false;
    std::string message;  ///< the error rule's message
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string properties = "{}";  ///< the endpoint's properties as JSON text
    std::string auth_scheme;        ///< from properties.authSchemes, when the rules give one
    std::string signing_name;
    std::string signing_region;

    static rule_result failure(std::string_view text)
    {
        rule_result r;
        r.error = true;
        r.message = text;
        return r;
    }
};

} // namespace cleanroomsml::detail::endpoint_lib

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/endpoint.ipp>
#endif

#endif
