#ifndef CLEANROOMSML_WEB_IDENTITY_CREDENTIALS_HPP
#define CLEANROOMSML_WEB_IDENTITY_CREDENTIALS_HPP

// Credentials from STS AssumeRoleWithWebIdentity with an OIDC token read from
// a file (EKS IRSA, GitHub Actions, ...). The call is not signed.
//
//  - The token file is read again at each fetch, so rotated tokens are used;
//    trailing whitespace is dropped. A relative path is relative to the
//    working directory.
//  - Without a role ARN or a token file the source is not configured:
//    client_errc::missing_credentials. Once configured, an unreadable or empty
//    token file and every STS failure are errors (see detail/sts.hpp for the
//    STS error mapping; the diagnostics carry STS's Code and Message).
//  - The STS endpoint is https://sts.<region>.amazonaws.com, or the global
//    endpoint without a region, unless sts_endpoint overrides it.
//  - There is one try per fetch; a caching layer above decides when to try again.

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cleanroomsml {

struct web_identity_options {
    std::string role_arn{};                      ///< AWS_ROLE_ARN or profile role_arn
    std::string token_file{};                    ///< AWS_WEB_IDENTITY_TOKEN_FILE or profile web_identity_token_file
    std::string session_name{};                  ///< AWS_ROLE_SESSION_NAME or role_session_name; empty: generated
    std::string region{};                        ///< for the STS endpoint: AWS_REGION, AWS_DEFAULT_REGION, profile region
    std::optional<std::string> sts_endpoint{};   ///< overrides the STS URL ("http://127.0.0.1:8080")
    std::optional<std::chrono::seconds> duration{};  ///< DurationSeconds; none: STS's default (one hour)
    std::chrono::milliseconds timeout{10000};    ///< the STS request
    std::optional<std::string> ca_file{};        ///< PEM bundle for https; default: the system's trust store

    /// The environment's AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN when
    /// that file variable is set, else the profile's web_identity_token_file
    /// with its role_arn (when `profile` is not null). The session name and
    /// the region come from the environment first, then the profile.
    CLEANROOMSML_DECL static web_identity_options from_environment(profile_section const* profile = nullptr);
};

/// A provider for web identity credentials. The options are resolved when the
/// provider is built (by default from the environment at that moment); pass
/// explicit options, e.g. `web_identity_options{}` for "nothing configured",
/// to be independent of it. Its name() is "web-identity".
CLEANROOMSML_DECL credentials_provider
web_identity_credentials(web_identity_options options = web_identity_options::from_environment());

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/web_identity_credentials.ipp>
#endif

#endif
