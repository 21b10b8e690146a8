#ifndef CLEANROOMSML_SSO_CREDENTIALS_HPP
#define CLEANROOMSML_SSO_CREDENTIALS_HPP

// Credentials of an IAM Identity Center (SSO) sign-in: the access token that
// `aws sso login` cached, exchanged on the access portal for a role's
// temporary credentials (GetRoleCredentials).
//
//  - Profiles with `sso_session = NAME` and a `[sso-session NAME]` section
//    (sso_start_url, sso_region), and legacy profiles with sso_start_url and
//    sso_region of their own; both name sso_account_id and sso_role_name.
//  - The token is read from <cache_directory>/<SHA-1 hex of the session name,
//    or of the start URL for legacy profiles>.json at each fetch.
//  - With a session, a token that expires within 15 minutes is refreshed
//    through SSO-OIDC CreateToken (refresh-token grant, with the client
//    registration cached beside it, while that has not expired), and the file
//    is replaced atomically with what botocore writes. A failed refresh is
//    not an error while the old token is still valid.
//  - A token that has expired and cannot be refreshed (legacy profiles never
//    are), a missing token file, and a portal that refuses the token (401)
//    fail with client_errc::login_required and a message naming the command
//    to run (`aws sso login --profile NAME`); nothing is sent to the portal
//    with an expired token.
//  - One try per fetch, no caching: default_credentials_chain() caches, and
//    concurrent fetches through it share one refresh.
// Tokens, client secrets and keys never appear in diagnostics.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace cleanroomsml {

struct sso_options {
    std::string profile{};        ///< for messages: the profile to sign in with again
    std::string session_name{};   ///< sso_session; empty for a legacy profile
    std::string start_url{};      ///< sso_start_url
    std::string sso_region{};     ///< sso_region: where the portal and SSO-OIDC are
    std::string account_id{};     ///< sso_account_id
    std::string role_name{};      ///< sso_role_name
    /// Where `aws sso login` caches tokens; empty: ~/.aws/sso/cache.
    std::string cache_directory{};
    std::optional<std::string> portal_endpoint{};  ///< default https://portal.sso.<sso_region>.amazonaws.com
    std::optional<std::string> oidc_endpoint{};    ///< default https://oidc.<sso_region>.amazonaws.com
    std::chrono::milliseconds timeout{10000};      ///< each HTTP exchange
    std::optional<std::string> ca_file{};          ///< PEM bundle for https; default: the system's trust store
    /// The wall clock compared with expiries; empty: system_clock::now.
    std::function<std::chrono::system_clock::time_point()> clock{};

    /// The options of profile `profile` (empty: $AWS_PROFILE, else "default")
    /// in the shared config files, endpoints included (AWS_ENDPOINT_URL_SSO,
    /// AWS_ENDPOINT_URL_SSO_OIDC, AWS_ENDPOINT_URL, the profile's services
    /// section, endpoint_url), and AWS_CA_BUNDLE / ca_bundle. Throws
    /// boost::system::system_error (client_errc::invalid_configuration) when
    /// the profile is not an SSO profile or its settings are incomplete or
    /// conflicting, with the message the AWS SDKs give.
    CLEANROOMSML_DECL static sso_options from_profile(std::string profile = {});
};

/// A provider for IAM Identity Center credentials. Its name() is "sso".
CLEANROOMSML_DECL credentials_provider sso_credentials(sso_options options);

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sso_credentials.ipp>
#endif

#endif
