#ifndef CLEANROOMSML_DETAIL_HTTP_FETCH_HPP
#define CLEANROOMSML_DETAIL_HTTP_FETCH_HPP

// A small one-shot HTTP/1.1 client for the credential endpoints (IMDS, the
// container credentials endpoint, STS): one connection per request, closed
// afterwards. It runs on the client's transport code (connection_pool's
// opening, connection's exchange), not on a second HTTP stack.
//
//  - The whole exchange (resolve, connect, TLS handshake, write, read) is
//    bounded by request.timeout. It fails with client_errc::connect_timeout
//    when the deadline passes before the connection is up (TLS included) and
//    with client_errc::attempt_timeout when it passes later.
//  - The response body is limited (64 KiB by default): client_errc::response_too_large.
//  - https:// verifies the peer's certificate chain (the system's trust store,
//    or ca_file) and its host name (or IP address); SNI is sent for names.
//    The connection is closed without a TLS close_notify once the response,
//    which is always length-delimited or chunked for these endpoints, is read.
//  - Hosts may be IPv6 literals: "http://[fd00:ec2::254]/latest/api/token".
//  - A malformed URL gives client_errc::invalid_endpoint; a header name or
//    value with CR, LF or NUL, a framing header (Content-Length,
//    Transfer-Encoding, Connection: this client sets them) or an unknown
//    method, errc::invalid_argument.
//    Network, TLS and HTTP parse errors are passed on unchanged. An HTTP error
//    status is not an error here: the caller looks at response.status.
//
// The completion handler runs through its associated executor (by default
// `ex`), never inside async_http_fetch itself.

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

namespace asio = boost::asio;

using http_header_list = std::vector<std::pair<std::string, std::string>>;

struct http_fetch_request {
    std::string method = "GET";
    std::string url;                               ///< http:// or https://, e.g. "http://[fd00:ec2::254]/latest/api/token"
    http_header_list headers{};                    ///< a Host header here replaces the one derived from the URL
    std::string body{};
    std::chrono::milliseconds timeout{1000};       ///< the whole exchange
    std::optional<std::string> ca_file{};          ///< PEM bundle for https; default: the system's trust store
    std::size_t body_limit = 64 * 1024;
};

struct http_fetch_response {
    int status = 0;
    http_header_list headers;
    std::string body;

    /// The first header of that name (case-insensitive), if any.
    CLEANROOMSML_DECL std::optional<std::string_view> header(std::string_view name) const;
};

/// A URL split for connecting.
struct http_url {
    bool https = false;
    std::string host;           ///< without brackets: "fd00:ec2::254", "127.0.0.1", "sts.us-east-1.amazonaws.com"
    bool ipv6_literal = false;
    std::uint16_t port = 0;     ///< explicit or the scheme's default
    bool default_port = true;
    std::string target;         ///< path and query, at least "/"

    /// The Host header: "[fd00:ec2::254]", "127.0.0.1:8080".
    CLEANROOMSML_DECL std::string host_header() const;
};

/// Parses "http(s)://host[:port][/path][?query]"; the scheme is
/// case-insensitive, user info, fragments, spaces and control characters are
/// rejected. On failure returns false and says why in `why` (the URL itself is
/// never repeated there: it may carry secrets in its query).
CLEANROOMSML_DECL bool parse_http_url(std::string_view url, http_url& out, std::string& why);

/// "https://host:port" of a URL, for messages (its path and query may hold
/// secrets); "the endpoint" when it does not parse.
CLEANROOMSML_DECL std::string url_origin(std::string_view url);

/// An endpoint URL with `path` appended, whatever trailing slashes the
/// configured URL had: ("https://h/", "/token") -> "https://h/token".
CLEANROOMSML_DECL std::string url_with_path(std::string base, std::string_view path);

/// Whether `host` (as in http_url::host) is a loopback address or "localhost":
/// 127.0.0.0/8, ::1, ::ffff:127.x.y.z.
CLEANROOMSML_DECL bool is_loopback_host(std::string_view host);

struct http_fetch_result {
    error_code ec;
    http_fetch_response response;
};

/// The exchange as an awaitable, for the credential providers' own coroutines.
CLEANROOMSML_DECL asio::awaitable<http_fetch_result> http_fetch(http_fetch_request request);

using http_fetch_handler = asio::any_completion_handler<void(error_code, http_fetch_response)>;

/// Type-erased initiation behind async_http_fetch.
CLEANROOMSML_DECL void async_http_fetch_erased(asio::any_io_executor ex, http_fetch_request request,
                                               http_fetch_handler handler);

/// Completes with `void(error_code, http_fetch_response)`.
template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, http_fetch_response)) Token>
auto async_http_fetch(asio::any_io_executor ex, http_fetch_request request, Token&& token)
{
    return asio::async_initiate<Token, void(error_code, http_fetch_response)>(
        [](auto handler, asio::any_io_executor ex, http_fetch_request request) {
            async_http_fetch_erased(std::move(ex), std::move(request), http_fetch_handler(std::move(handler)));
        },
        token, std::move(ex), std::move(request));
}

// ---------------------------------------------------------------------------
// Shared by the credential providers built on this client.

/// What a provider's coroutine produces; `diag` is copied to the caller's
/// diagnostics on failure only.
struct credentials_fetch_result {
    error_code ec;
    credentials creds;
    diagnostics diag;
};

/// Runs `work` on `ex` and completes `handler` with its outcome through the
/// handler's executor, never inline. An exception escaping `work` is not lost:
/// a system_error completes with its code, std::bad_alloc with
/// errc::not_enough_memory and any other exception with errc::io_error, its
/// what() going to the diagnostics.
CLEANROOMSML_DECL void spawn_credentials_fetch(asio::any_io_executor ex, diagnostics* diag,
                                               asio::awaitable<credentials_fetch_result> work,
                                               asio::any_completion_handler<void(error_code, credentials)> handler);

/// Parses the JSON document of IMDS and the container endpoint:
/// AccessKeyId, SecretAccessKey, Token (session token), Expiration (RFC 3339),
/// AccountId (optional); with `require_success_code`, "Code" must be "Success".
/// On failure returns false and names the problem (never a value) in `why`.
CLEANROOMSML_DECL bool parse_credentials_json(std::string_view body, bool require_success_code, credentials& out,
                                              std::string& why);

/// The value of an environment variable, nullopt when unset or empty.
CLEANROOMSML_DECL std::optional<std::string> credentials_env(char const* name);

/// A setting: the environment variable `env` (when not null) wins over the
/// property of `profile` (when not null); empty values count as unset.
/// `origin` receives "AWS_X" or "profile dev: x", for error messages.
CLEANROOMSML_DECL std::optional<std::string> credentials_setting(char const* env, profile_section const* profile,
                                                                 std::string_view property, std::string& origin);

/// Names in `diag.timeout` which deadline a fetch error is ("connect",
/// "attempt"); other errors leave it as it is.
CLEANROOMSML_DECL void set_timeout_field(diagnostics& diag, error_code ec);

/// The error for an HTTP error status of a credential endpoint: 401 and 403
/// access_denied, 404 resource_not_found, 429 throttling, 5xx
/// internal_server, anything else unknown (all service_errc).
CLEANROOMSML_DECL error_code credentials_http_error(int status);

/// Replaces every occurrence of `secret` in `text` (a message quoted from an
/// endpoint that may echo what it was sent) with "<redacted>".
CLEANROOMSML_DECL void redact(std::string& text, std::string_view secret);

/// Reads a whole small file (tokens): false with a reason naming the path
/// and the system error on failure, or when it is larger than `limit`.
CLEANROOMSML_DECL bool read_token_file(std::string const& path, std::size_t limit, std::string& out, error_code& ec,
                                       std::string& why);

/// Completion token for the providers' coroutines: `auto [ec, x] = co_await op(..., as_tuple_awaitable);`.
inline constexpr auto as_tuple_awaitable = asio::as_tuple(asio::use_awaitable);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/http_fetch.ipp>
#endif

#endif
