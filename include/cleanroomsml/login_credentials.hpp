#ifndef CLEANROOMSML_LOGIN_CREDENTIALS_HPP
#define CLEANROOMSML_LOGIN_CREDENTIALS_HPP

// Credentials of an `aws login` session (console credentials): profiles with
// `login_session = <the session's identity ARN>`.
//
//  - The session is read at each fetch from <cache_directory>/<SHA-256 hex of
//    the login_session value>.json, which must hold accessToken (the
//    credentials and their expiresAt), refreshToken, clientId and dpopKey.
//  - Credentials that are valid for more than 5 minutes are used as they
//    are. Otherwise they are refreshed through the sign-in service's token
//    endpoint (POST /v1/token, refresh-token grant, a DPoP proof signed with
//    the session's P-256 key through OpenSSL) and the file is rewritten
//    atomically as botocore rewrites it.
//  - A missing session file, or a refresh the service refuses because the
//    session expired or the user's credentials changed, fails with
//    client_errc::login_required and a message naming `aws login --profile
//    NAME`; a malformed file with client_errc::invalid_configuration.
//  - One try per fetch, no caching: default_credentials_chain() caches.
// Tokens, keys and the DPoP key never appear in diagnostics.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace cleanroomsml {

struct login_options {
    std::string profile{};        ///< for messages: the profile to sign in with again
    std::string session{};        ///< login_session
    std::string region{};         ///< for the sign-in endpoint: AWS_REGION, AWS_DEFAULT_REGION, the profile's region
    /// Where `aws login` caches sessions; empty: $AWS_LOGIN_CACHE_DIRECTORY,
    /// else ~/.aws/login/cache.
    std::string cache_directory{};
    std::optional<std::string> signin_endpoint{};  ///< default: the region's sign-in host (https://<region>.signin.aws.amazon.com)
    std::chrono::milliseconds timeout{10000};      ///< the refresh exchange
    std::optional<std::string> ca_file{};          ///< PEM bundle for https; default: the system's trust store
    /// The wall clock compared with expiries; empty: system_clock::now.
    std::function<std::chrono::system_clock::time_point()> clock{};

    /// The options of profile `profile` (empty: $AWS_PROFILE, else
    /// "default"), endpoint included (AWS_ENDPOINT_URL_SIGNIN, AWS_ENDPOINT_URL,
    /// the profile's services section, endpoint_url). Throws
    /// boost::system::system_error (client_errc::invalid_configuration) when
    /// the profile has no login_session.
    CLEANROOMSML_DECL static login_options from_profile(std::string profile = {});
};

/// A provider for `aws login` sessions. Its name() is "login".
CLEANROOMSML_DECL credentials_provider login_credentials(login_options options);

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/login_credentials.ipp>
#endif

#endif
