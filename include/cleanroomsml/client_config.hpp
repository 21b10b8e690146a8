#ifndef CLEANROOMSML_CLIENT_CONFIG_HPP
#define CLEANROOMSML_CLIENT_CONFIG_HPP

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace cleanroomsml {

/// How failed attempts are retried (the AWS SDKs' retry modes).
enum class retry_mode {
    standard,  ///< jittered exponential backoff and a retry quota
    adaptive,  ///< standard, plus client-side rate limiting that adapts to throttling
};

struct retry_config {
    retry_mode mode = retry_mode::standard;
    int max_attempts = 3;  ///< attempts in all, the first included; 1 = no retries
};

struct timeout_config {
    std::chrono::milliseconds connect{3100};   ///< TCP connect plus TLS handshake
    std::chrono::milliseconds attempt{30000};  ///< one attempt: first byte sent to last byte received
    std::chrono::milliseconds operation{60000};///< the whole call, retries and backoff included
};

struct tls_config {
    std::optional<std::string> ca_file{};  ///< PEM bundle; default: the system's trust store
    bool verify = true;                    ///< peer certificate and host name verification
};

/// An HTTP proxy, as curl and the AWS CLI take it from HTTPS_PROXY,
/// HTTP_PROXY and NO_PROXY (load_config() reads those; a config built in
/// code has none unless set). https endpoints are reached through an HTTP
/// CONNECT tunnel, http endpoints with absolute-form requests.
struct proxy_config {
    std::optional<std::string> http{};   ///< "http://proxy:3128" for http:// endpoints
    std::optional<std::string> https{};  ///< "http://proxy:3128" for https:// endpoints
    /// Hosts that bypass the proxy: comma-separated names (a name matches
    /// itself and its subdomains, a leading '.' is ignored), IP addresses,
    /// optionally with ":port"; "*" bypasses it for every host.
    std::string no_proxy{};
};

/// Everything a client needs. An aggregate with the AWS SDKs' defaults;
/// load_config() fills it from the environment and the shared files.
struct client_config {
    std::string region{};                        ///< required: calls fail with client_errc::missing_region without it
    std::optional<std::string> endpoint_url{};   ///< overrides the endpoint rules; http:// and https:// both work
    credentials_provider credentials{};          ///< empty: default_credentials_chain()
    retry_config retry{};
    timeout_config timeouts{};
    tls_config tls{};
    bool use_fips = false;
    bool use_dual_stack = false;
    proxy_config proxy{};
    std::size_t max_connections = 64;            ///< pool size per endpoint
    std::chrono::milliseconds idle_timeout{20000};  ///< idle pooled connections are closed after this
    std::optional<std::string> app_id{};         ///< added to the user agent as app/<id>
    std::size_t max_response_bytes = 16 * 1024 * 1024;
    bool validate_requests = true;               ///< check requests against the model before sending
    /// false: requests go out without a signature and no credentials are
    /// looked up (the AWS CLI's --no-sign-request), e.g. for an emulator or
    /// a proxy that signs on its own.
    bool sign_requests = true;
    /// A promise that the executor never runs two of the client's handlers at
    /// once (an io_context run by one thread). The client then works on the
    /// executor directly instead of on a strand of its own, which saves a trip
    /// through the strand's queue for every I/O completion. Not needed when the
    /// executor is a strand already: the client uses that strand as it is.
    bool single_threaded = false;
    std::string profile{};                       ///< the shared-config profile the values came from
};

/// Options for load_config().
struct load_config_options {
    std::string profile{};  ///< empty: AWS_PROFILE, else "default"
};

/// Builds a client_config from the environment and the shared config and
/// credentials files, in the AWS SDKs' order of precedence (see README).
/// Throws boost::system::system_error naming the file and line, or the
/// variable, when a setting is malformed; a missing file is not an error.
CLEANROOMSML_DECL client_config load_config(load_config_options const& options = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/client_config.ipp>
#endif

#endif
