#ifndef CLEANROOMSML_IMPL_HTTP_FETCH_IPP
#define CLEANROOMSML_IMPL_HTTP_FETCH_IPP

#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/connection_pool.hpp>
#include <cleanroomsml/detail/task.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/system/system_error.hpp>

#include <cerrno>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <memory>
#include <new>

namespace cleanroomsml::detail {

namespace http_fetch_impl {

using boost::beast::iequals;

inline bool has_forbidden_header_char(std::string_view s) noexcept
{
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
}

// The request head, checked before any I/O: a header name or value with CR,
// LF or NUL, or an unknown method, is errc::invalid_argument.
inline error_code make_head(http_fetch_request const& r, http_url const& url, std::string& head)
{
    auto const invalid = boost::system::errc::make_error_code(boost::system::errc::invalid_argument);
    if (boost::beast::http::string_to_verb(r.method) == boost::beast::http::verb::unknown) return invalid;
    head = r.method + ' ' + url.target + " HTTP/1.1\r\n";
    bool has_host = false, has_agent = false;
    for (auto const& [name, value] : r.headers) {
        if (name.empty() || has_forbidden_header_char(name) || has_forbidden_header_char(value)) return invalid;
        // Framing is this client's: a caller's would contradict it.
        if (iequals(name, "content-length") || iequals(name, "transfer-encoding") || iequals(name, "connection"))
            return invalid;
        has_host = has_host || iequals(name, "host");
        has_agent = has_agent || iequals(name, "user-agent");
        head.append(name).append(": ").append(value).append("\r\n");
    }
    if (!has_host) head.append("Host: ").append(url.host_header()).append("\r\n");
    if (!has_agent) head.append("User-Agent: cleanroomsml\r\n");
    head.append("Connection: close\r\n");
    if (!r.body.empty() || r.method == "POST" || r.method == "PUT")
        head.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    head.append("\r\n");
    return {};
}

// The TLS context of one exchange: TLS 1.2 or later, the peer verified
// against `ca_file` or the system's trust store.
inline error_code make_tls_context(std::optional<std::string> const& ca_file, std::unique_ptr<asio::ssl::context>& out)
{
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    error_code ec;
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                     ec);
    if (!ec) {
        if (ca_file) ctx->load_verify_file(*ca_file, ec);
        else ctx->set_default_verify_paths(ec);
    }
    if (!ec) ctx->set_verify_mode(asio::ssl::verify_peer, ec);
    if (!ec) out = std::move(ctx);
    return ec;
}

// The exchange on a connection of its own, opened and closed here by the
// client's pool code (resolution, connect, TLS with host verification),
// so that both share one transport.
inline task<error_code> fetch(op_context& io, http_fetch_request& request, http_fetch_response& out)
{
    auto const deadline = std::chrono::steady_clock::now() + request.timeout;
    pool_settings settings;
    std::string why;
    if (!parse_http_url(request.url, settings.target, why)) co_return client_errc::invalid_endpoint;
    std::string head;
    if (auto ec = make_head(request, settings.target, head)) co_return ec;
    std::unique_ptr<asio::ssl::context> tls;
    if (settings.target.https) {
        if (auto ec = make_tls_context(request.ca_file, tls)) co_return ec;
        settings.tls = tls.get();
    }
    settings.max_connections = 1;
    connection_pool pool(io.get_executor(), std::move(settings));

    std::unique_ptr<connection> conn;
    bool reused = false;
    error_code ec = co_await pool.acquire(io, conn, reused, deadline, deadline, why);
    if (ec) co_return ec == boost::beast::error::timeout ? error_code(client_errc::connect_timeout) : ec;

    conn->head = std::move(head);
    std::array<asio::const_buffer, 2> bufs;
    ec = conn->prepare_request(request.body, bufs);
    response_reader parser(conn->response);
    parser.body_limit(request.body_limit);
    parser.header_limit(16 * 1024);
    parser.eager(true);
    if (!ec) {
        socket_deadline const limit(io.get_executor(), conn->socket, deadline);
        ec = limit.result(co_await exchange(io, *conn, bufs, parser));
    }
    if (!ec) {
        auto& r = conn->response;
        out.status = r.status;
        out.headers.assign(r.headers.begin(), r.headers.begin() + static_cast<std::ptrdiff_t>(r.count));
        out.body = std::move(r.body);
    }
    pool.release(std::move(conn), false);  // closes it
    if (ec == boost::beast::error::timeout) co_return client_errc::attempt_timeout;
    if (ec == boost::beast::http::error::body_limit) co_return client_errc::response_too_large;
    co_return ec;
}

// Runs fetch() on `ex` and completes `handler` through its own executor,
// never inside the initiating function.
inline detached_task fetch_root(asio::any_io_executor ex, http_fetch_request request, http_fetch_handler handler)
{
    op_context io(ex);
    io.set_root(co_await current_coroutine());
    io.connect(asio::get_associated_cancellation_slot(handler));
    // The handler's executor has work pending until it runs.
    auto const hex = asio::prefer(asio::get_associated_executor(handler, ex), asio::execution::outstanding_work.tracked);
    error_code ec;
    http_fetch_response response;
    try {
        ec = co_await fetch(io, request, response);
        if (io.cancelled()) ec = asio::error::operation_aborted;
    } catch (...) {
        std::string ignored;  // the fetch's caller has no diagnostics of its own
        ec = error_from_exception(std::current_exception(), ignored);
    }
    if (ec) response = {};
    io.disconnect();
    if (!io.suspended()) co_await io(asio::post(ex, asio::deferred));
    io.set_root({});
    try {
        asio::dispatch(hex, [h = std::move(handler), ec, r = std::move(response)]() mutable {
            std::move(h)(ec, std::move(r));
        });
    } catch (...) {
        // Out of the io_context's run(), as any Asio handler's exception.
        asio::post(ex, [x = std::current_exception()] { std::rethrow_exception(x); });
    }
}

} // namespace http_fetch_impl

CLEANROOMSML_DECL std::optional<std::string_view> http_fetch_response::header(std::string_view name) const
{
    for (auto const& [k, v] : headers)
        if (boost::beast::iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

CLEANROOMSML_DECL std::string http_url::host_header() const
{
    std::string h = ipv6_literal ? "[" + host + "]" : host;
    if (!default_port) {
        h += ':';
        h += std::to_string(port);
    }
    return h;
}

CLEANROOMSML_DECL bool parse_http_url(std::string_view url, http_url& out, std::string& why)
{
    using boost::beast::iequals;
    for (char c : url) {
        auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            why = "the URL contains a space or a control character";
            return false;
        }
    }
    http_url r;
    std::size_t const sep = url.find("://");
    if (sep == std::string_view::npos) {
        why = "the URL has no scheme (expected http:// or https://)";
        return false;
    }
    std::string_view const scheme = url.substr(0, sep);
    if (iequals(scheme, "https"))
        r.https = true;
    else if (!iequals(scheme, "http")) {
        why = "the URL's scheme is neither http nor https";
        return false;
    }
    std::string_view rest = url.substr(sep + 3);
    if (rest.find('#') != std::string_view::npos) {
        why = "the URL has a fragment";
        return false;
    }
    std::size_t const auth_end = rest.find_first_of("/?");
    std::string_view authority = rest.substr(0, auth_end);
    std::string_view target = auth_end == std::string_view::npos ? std::string_view{} : rest.substr(auth_end);
    if (authority.find('@') != std::string_view::npos) {
        why = "the URL has user information";
        return false;
    }
    std::string_view port_text;
    if (!authority.empty() && authority.front() == '[') {
        std::size_t const close = authority.find(']');
        if (close == std::string_view::npos) {
            why = "the URL's IPv6 address has no closing ']'";
            return false;
        }
        r.host = std::string(authority.substr(1, close - 1));
        r.ipv6_literal = true;
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                why = "unexpected text after the URL's IPv6 address";
                return false;
            }
            port_text = after.substr(1);
            if (port_text.empty()) {
                why = "the URL's port is empty";
                return false;
            }
        }
        error_code ec;
        auto addr = asio::ip::make_address_v6(r.host, ec);
        (void)addr;
        if (ec) {
            why = "the URL's bracketed host is not an IPv6 address";
            return false;
        }
    } else {
        std::size_t const colon = authority.find(':');
        r.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            port_text = authority.substr(colon + 1);
            if (port_text.empty()) {
                why = "the URL's port is empty";
                return false;
            }
        }
        for (char c : r.host) {
            bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_';
            if (!ok) {
                why = "the URL's host name has a character that is not allowed";
                return false;
            }
        }
    }
    if (r.host.empty()) {
        why = "the URL has no host";
        return false;
    }
    r.port = r.https ? 443 : 80;
    if (!port_text.empty()) {
        unsigned long p = 0;
        for (char c : port_text) {
            if (c < '0' || c > '9' || p > 65535) {
                why = "the URL's port is not a number from 1 to 65535";
                return false;
            }
            p = p * 10 + static_cast<unsigned long>(c - '0');
        }
        if (p == 0 || p > 65535) {
            why = "the URL's port is not a number from 1 to 65535";
            return false;
        }
        r.port = static_cast<std::uint16_t>(p);
        r.default_port = r.port == (r.https ? 443 : 80);
    }
    if (target.empty())
        r.target = "/";
    else if (target.front() == '?')
        r.target = "/" + std::string(target);
    else
        r.target = std::string(target);
    out = std::move(r);
    return true;
}

CLEANROOMSML_DECL bool is_loopback_host(std::string_view host)
{
    if (boost::beast::iequals(host, "localhost")) return true;
    error_code ec;
    auto const addr = asio::ip::make_address(std::string(host), ec);
    if (ec) return false;
    if (addr.is_v4()) return addr.to_v4().is_loopback();
    auto const v6 = addr.to_v6();
    if (v6.is_loopback()) return true;
    return v6.is_v4_mapped() && asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback();
}

CLEANROOMSML_DECL asio::awaitable<http_fetch_result> http_fetch(http_fetch_request request)
{
    auto ex = co_await asio::this_coro::executor;
    auto [ec, response] = co_await async_http_fetch(ex, std::move(request), as_tuple_awaitable);
    http_fetch_result result;
    result.ec = ec;
    result.response = std::move(response);
    co_return result;
}

CLEANROOMSML_DECL void async_http_fetch_erased(asio::any_io_executor ex, http_fetch_request request,
                                               http_fetch_handler handler)
{
    http_fetch_impl::fetch_root(std::move(ex), std::move(request), std::move(handler));
}

CLEANROOMSML_DECL void spawn_credentials_fetch(asio::any_io_executor ex, diagnostics* diag,
                                               asio::awaitable<credentials_fetch_result> work,
                                               asio::any_completion_handler<void(error_code, credentials)> handler)
{
    auto hex = asio::get_associated_executor(handler, ex);
    asio::co_spawn(ex, std::move(work),
                   asio::bind_executor(hex, [diag, h = std::move(handler)](std::exception_ptr ep,
                                                                          credentials_fetch_result r) mutable {
                       if (ep) {
                           r = {};
                           r.ec = error_from_exception(ep, r.diag.message);
                       }
                       if (r.ec) {
                           if (diag) *diag = std::move(r.diag);
                           std::move(h)(r.ec, credentials{});
                       } else {
                           std::move(h)(r.ec, std::move(r.creds));
                       }
                   }));
}

CLEANROOMSML_DECL bool parse_credentials_json(std::string_view body, bool require_success_code, credentials& out,
                                              std::string& why)
{
    error_code ec;
    boost::json::value const doc = boost::json::parse(body, ec);
    if (ec) {
        why = "the credentials document is not valid JSON";
        return false;
    }
    auto const* obj = doc.if_object();
    if (!obj) {
        why = "the credentials document is not a JSON object";
        return false;
    }
    // A member that must be a string when present.
    auto get = [&](std::string_view key, bool required, std::string& value) {
        auto const* v = obj->if_contains(key);
        if (!v || v->is_null()) {
            if (required) why = "the credentials document has no " + std::string(key);
            return !required;
        }
        auto const* s = v->if_string();
        if (!s) {
            why = "the credentials document's " + std::string(key) + " is not a string";
            return false;
        }
        value.assign(s->data(), s->size());
        return true;
    };
    credentials c;
    if (require_success_code) {
        std::string code;
        if (!get("Code", true, code)) return false;
        if (code != "Success") {
            // The code is a status word ("Success", "AssumeRoleUnauthorizedAccess"), never a secret.
            if (code.size() > 64) code.resize(64);
            why = "the credentials document's Code is \"" + code + "\", not \"Success\"";
            return false;
        }
    }
    std::string expiration, account;
    if (!get("AccessKeyId", true, c.access_key_id) || !get("SecretAccessKey", true, c.secret_access_key) ||
        !get("Token", require_success_code, c.session_token) || !get("Expiration", require_success_code, expiration) ||
        !get("AccountId", false, account))
        return false;
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
        why = "the credentials document has an empty AccessKeyId or SecretAccessKey";
        return false;
    }
    if (!expiration.empty()) {
        timestamp t;
        if (!parse_date_time(expiration, t)) {
            why = "the credentials document's Expiration is not an RFC 3339 date-time";
            return false;
        }
        c.expiration = t;
    }
    if (!account.empty()) c.account_id = std::move(account);
    out = std::move(c);
    return true;
}

CLEANROOMSML_DECL std::string url_origin(std::string_view url)
{
    http_url u;
    std::string ignored;
    if (!parse_http_url(url, u, ignored)) return "the endpoint";
    return std::string(u.https ? "https://" : "http://") + u.host_header();
}

CLEANROOMSML_DECL std::string url_with_path(std::string base, std::string_view path)
{
    while (!base.empty() && base.back() == '/') base.pop_back();
    base += path;
    return base;
}

CLEANROOMSML_DECL void set_timeout_field(diagnostics& diag, error_code ec)
{
    if (ec == client_errc::connect_timeout) diag.timeout = "connect";
    if (ec == client_errc::attempt_timeout) diag.timeout = "attempt";
}

CLEANROOMSML_DECL std::optional<std::string> credentials_env(char const* name)
{
    char const* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

CLEANROOMSML_DECL std::optional<std::string> credentials_setting(char const* env, profile_section const* profile,
                                                                 std::string_view property, std::string& origin)
{
    if (env) {
        if (auto v = credentials_env(env)) {
            origin = env;
            return v;
        }
    }
    if (profile && !property.empty()) {
        if (auto p = profile->get(property); p && !p->empty()) {
            origin = "profile " + profile->name + ": " + std::string(property);
            return std::string(*p);
        }
    }
    return std::nullopt;
}

CLEANROOMSML_DECL error_code credentials_http_error(int status)
{
    if (status == 401 || status == 403) return service_errc::access_denied;
    if (status == 404) return service_errc::resource_not_found;
    if (status == 429) return service_errc::throttling;
    if (status >= 500 && status <= 599) return service_errc::internal_server;
    return service_errc::unknown;
}

CLEANROOMSML_DECL void redact(std::string& text, std::string_view secret)
{
    if (secret.empty()) return;
    constexpr std::string_view mark = "<redacted>";
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + mark.size()))
        text.replace(at, secret.size(), mark);
}

CLEANROOMSML_DECL bool read_token_file(std::string const& path, std::size_t limit, std::string& out, error_code& ec,
                                       std::string& why)
{
    errno = 0;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        int const e = errno != 0 ? errno : ENOENT;
        ec = error_code(e, boost::system::generic_category());
        why = "cannot open " + path + ": " + ec.message();
        return false;
    }
    std::string data;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        data.append(buf, static_cast<std::size_t>(in.gcount()));
        if (data.size() > limit) {
            ec = client_errc::response_too_large;
            why = path + " is larger than " + std::to_string(limit) + " bytes";
            return false;
        }
    }
    if (in.bad()) {
        ec = boost::system::errc::make_error_code(boost::system::errc::io_error);
        why = "cannot read " + path;
        return false;
    }
    out = std::move(data);
    return true;
}

} // namespace cleanroomsml::detail

#endif
