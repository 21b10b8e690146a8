#ifndef CLEANROOMSML_DETAIL_CONFIGURED_ENDPOINT_HPP
#define CLEANROOMSML_DETAIL_CONFIGURED_ENDPOINT_HPP

// Endpoint URLs from the environment and the shared config files, looked up
// as the AWS SDKs do for any service: the client's own (cleanroomsml) and
// those of the sign-in services the credential providers call (sso,
// sso-oidc, signin).

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/detail/config.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

/// A service's names for configuration: `env` in AWS_ENDPOINT_URL_<env>
/// ("CLEANROOMSML", "SSO_OIDC") and `key` in a [services] section ("sso_oidc").
struct service_config_names {
    std::string_view env;
    std::string_view key;
};

/// In this order: AWS_ENDPOINT_URL_<env>, AWS_ENDPOINT_URL, the `key`
/// sub-section's endpoint_url in the profile's [services] section, the
/// profile's endpoint_url; nothing when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
/// (or the profile's ignore_configured_endpoint_urls) is true. False, with the
/// reason in `why`, for a services section that does not exist or an ignore
/// flag that is neither true nor false.
CLEANROOMSML_DECL bool configured_endpoint_url(config_files const& files, profile_section const* profile,
                                               service_config_names names, std::optional<std::string>& out,
                                               std::string& why);

/// The regional endpoints of the sign-in services when nothing is configured:
/// https://portal.sso.<region>.<dns suffix>, https://oidc.<region>.<dns suffix>,
/// and the sign-in service's host of the region's partition.
CLEANROOMSML_DECL std::string default_sso_portal_url(std::string_view region);
CLEANROOMSML_DECL std::string default_sso_oidc_url(std::string_view region);
CLEANROOMSML_DECL std::string default_signin_url(std::string_view region);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/configured_endpoint.ipp>
#endif

#endif
