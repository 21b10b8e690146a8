#ifndef CLEANROOMSML_CONTAINER_CREDENTIALS_HPP
#define CLEANROOMSML_CONTAINER_CREDENTIALS_HPP

// Credentials from the ECS / EKS Pod Identity container credentials endpoint.
//
//  - relative_uri (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) is appended to
//    relative_uri_host, http://169.254.170.2; it wins over full_uri.
//  - full_uri (AWS_CONTAINER_CREDENTIALS_FULL_URI) must be https (any host),
//    or http to a loopback host (127.0.0.0/8, [::1], localhost) or to an
//    ECS/EKS host (169.254.170.2, 169.254.170.23, [fd00:ec2::23]); anything
//    else fails with client_errc::invalid_configuration.
//  - The Authorization header comes from authorization_token_file
//    (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read at each fetch, so rotated
//    tokens are picked up), else from authorization_token
//    (AWS_CONTAINER_AUTHORIZATION_TOKEN). The token is used exactly as
//    given (a file's trailing newline is not stripped); one with a CR or LF
//    fails with client_errc::invalid_configuration.
//  - The answer: {"AccessKeyId", "SecretAccessKey", "Token", "Expiration",
//    "AccountId"}, the last three optional.
//
// Outcomes: neither URI set: client_errc::missing_credentials. Otherwise the
// source counts as configured and every failure is an error: an HTTP error
// status gives a service_errc by status (see imds_credentials.hpp) with the
// endpoint's "code"/"message" in the diagnostics; a malformed answer
// client_errc::unparsable_response; a timeout client_errc::connect_timeout or
// attempt_timeout. The token never appears in diagnostics.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cleanroomsml {

struct container_options {
    std::optional<std::string> relative_uri{};              ///< "/v2/credentials/..."
    std::optional<std::string> full_uri{};
    std::optional<std::string> authorization_token{};
    std::optional<std::string> authorization_token_file{};  ///< relative paths are relative to the working directory
    /// Where relative_uri points; tests point it at "http://127.0.0.1:<port>".
    std::string relative_uri_host = "http://169.254.170.2";
    std::chrono::milliseconds timeout{2000};  ///< per HTTP request
    int attempts = 3;                          ///< tries in all on network errors and 5xx
    std::optional<std::string> ca_file{};      ///< for an https full_uri; default: the system's trust store

    /// The four AWS_CONTAINER_* variables above; the rest keeps its defaults.
    CLEANROOMSML_DECL static container_options from_environment();
};

/// A provider for the container endpoint's credentials. The options are
/// resolved when the provider is built (by default from the environment at
/// that moment); only the token file is read at each fetch. Pass explicit
/// options, e.g. `container_options{}` for "nothing configured", to be
/// independent of the environment. Its name() is "container".
CLEANROOMSML_DECL credentials_provider
container_credentials(container_options options = container_options::from_environment());

namespace detail {

/// The URL to fetch, checked as described above. Returns
/// client_errc::missing_credentials when neither URI is set and
/// client_errc::invalid_configuration, with `why`, when it is not allowed.
CLEANROOMSML_DECL error_code container_credentials_url(container_options const& options, std::string& url,
                                                       std::string& why);

} // namespace detail

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/container_credentials.ipp>
#endif

#endif
