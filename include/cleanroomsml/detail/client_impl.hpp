#ifndef CLEANROOMSML_DETAIL_CLIENT_IMPL_HPP
#define CLEANROOMSML_DETAIL_CLIENT_IMPL_HPP

// A client's shared state: resolved endpoint, TLS context, connection pool,
// signer, retry quota, rate limiter and clock offset. Everything but the
// clock offset is touched on `serial` only.

#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/detail/call.hpp>
#include <cleanroomsml/detail/connection_pool.hpp>
#include <cleanroomsml/detail/deadline_watch.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/retry.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/endpoint.hpp>

#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>

namespace cleanroomsml::detail {

class client_impl {
public:
    CLEANROOMSML_DECL client_impl(asio::any_io_executor ex, client_config cfg);

    asio::any_io_executor executor;
    // Where the client's state is touched and its I/O completes: a strand of
    // `executor`, or `executor` itself when that is a strand already or the
    // config says it runs on one thread. Over an io_context's own executor the
    // strand is of that concrete type: small enough to sit inside the
    // any_io_executor, so spawning a call's coroutine allocates nothing for it.
    asio::any_io_executor serial;
    client_config config;

    // A configuration problem found at construction fails every call.
    error_code config_error;
    std::string config_message;

    endpoint ep;
    http_url url;             // the endpoint, split
    std::string base_path;    // the endpoint URL's path, without a trailing '/'
    std::string host_header;
    std::string absolute_prefix;  // "http://host:port" for absolute-form requests through a proxy
    std::string target_prefix;    // absolute_prefix + base_path: what each request target starts with

    std::unique_ptr<asio::ssl::context> tls;
    std::unique_ptr<connection_pool> pool;
    deadline_watch watch{serial};  // attempt deadlines of the exchanges in flight
    credentials_provider credentials;
    signer sig;
    retry_quota quota;
    adaptive_rate_limiter limiter;
    std::atomic<std::int64_t> clock_offset_ms{0};  // server time - local time, shared by all calls
    std::string user_agent;  // sent as User-Agent and x-amz-user-agent
    std::mt19937_64 rng;
    std::chrono::steady_clock::time_point created = std::chrono::steady_clock::now();
};

/// The AWS user agent (2.1 grammar) of this library with an optional app id.
CLEANROOMSML_DECL std::string make_user_agent(std::optional<std::string> const& app_id);

/// Whether `host` (and `port`) bypass the proxy under a NO_PROXY list.
CLEANROOMSML_DECL bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::uint16_t port);

/// Takes "user:pass@" out of a proxy URL and returns the Proxy-Authorization
/// value it stands for ("Basic <base64>"), as curl does; empty without user
/// information. Percent-escapes in it are decoded first.
CLEANROOMSML_DECL std::string take_proxy_credentials(std::string& proxy_url);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/client.ipp>
#endif

#endif
