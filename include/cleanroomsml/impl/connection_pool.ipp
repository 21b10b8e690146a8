#ifndef CLEANROOMSML_IMPL_CONNECTION_POOL_IPP
#define CLEANROOMSML_IMPL_CONNECTION_POOL_IPP

#include <cleanroomsml/detail/connection_pool.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cerrno>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL void connection::close() noexcept
{
    error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    tcp().socket().close(ignored);
}

CLEANROOMSML_DECL connection_pool::connection_pool(asio::any_io_executor ex, pool_settings settings)
    : ex_(std::move(ex)), settings_(std::move(settings))
{
    if (settings_.max_connections == 0) settings_.max_connections = 1;
}

CLEANROOMSML_DECL connection_pool::~connection_pool() { shutdown(); }

CLEANROOMSML_DECL void connection_pool::shutdown()
{
    shut_down_ = true;
    close_idle();
}

CLEANROOMSML_DECL void connection_pool::close_idle()
{
    for (auto& c : idle_) c->close();
    open_ -= idle_.size();
    idle_.clear();
    hand_over();
    publish();
}

// A connection idle in the pool must have nothing to read: readable bytes
// or an end of stream mean the server closed it (or misbehaves).
CLEANROOMSML_DECL bool connection_pool::alive(connection& c)
{
    auto& s = c.tcp().socket();
    if (!s.is_open()) return false;
    char byte;
#if defined(MSG_DONTWAIT) && defined(MSG_PEEK)
    // One syscall: toggling the socket's blocking mode around the peek
    // would cost three (two here, one when Asio restores its own mode).
    auto const n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
#else
    error_code ec;
    s.non_blocking(true, ec);
    if (ec) return false;
    error_code peek;
    (void)s.receive(asio::buffer(&byte, 1), asio::socket_base::message_peek, peek);
    s.non_blocking(false, ec);
    return !ec && (peek == asio::error::would_block || peek == asio::error::try_again);
#endif
}

CLEANROOMSML_DECL void connection_pool::sweep_idle(steady_time now)
{
    // By age only: the syscall of the liveness check is spent on the one
    // connection taken (acquire), not on every idle one at every call.
    auto const dead = [&](std::unique_ptr<connection>& c) {
        if (now - c->idle_since < settings_.idle_timeout) return false;
        c->close();
        return true;
    };
    auto const end = std::remove_if(idle_.begin(), idle_.end(), dead);
    open_ -= static_cast<std::size_t>(idle_.end() - end);
    idle_.erase(end, idle_.end());
}

CLEANROOMSML_DECL void connection_pool::hand_over()
{
    // Slots freed by closed connections go to the waiters in order.
    while (!waiters_.empty() && (open_ < settings_.max_connections || !idle_.empty())) {
        waiter* w = waiters_.front();
        waiters_.pop_front();
        if (!idle_.empty()) {
            w->conn = std::move(idle_.back());
            idle_.pop_back();
        } else {
            w->slot = true;
            ++open_;
        }
        w->timer->cancel();
    }
}

CLEANROOMSML_DECL void connection_pool::release(std::unique_ptr<connection> c, bool reusable)
{
    if (!c) return;
    if (reusable && !shut_down_ && c->tcp().socket().is_open()) {
        c->idle_since = std::chrono::steady_clock::now();
        ++c->requests;
        if (!waiters_.empty()) {
            waiter* w = waiters_.front();
            waiters_.pop_front();
            w->conn = std::move(c);
            w->timer->cancel();
        } else {
            idle_.push_back(std::move(c));
        }
        publish();
        return;
    }
    c->close();
    --open_;
    hand_over();
    publish();
}

CLEANROOMSML_DECL std::unique_ptr<connection> connection_pool::take_idle()
{
    sweep_idle(std::chrono::steady_clock::now());
    // The most recently used first: the likeliest to be warm and open.
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (alive(*c)) {
            publish();
            return c;
        }
        c->close();
        --open_;
    }
    publish();
    return nullptr;
}

CLEANROOMSML_DECL asio::awaitable<error_code> connection_pool::acquire(std::unique_ptr<connection>& out, bool& reused,
                                                                       steady_time wait_deadline,
                                                                       steady_time connect_deadline, std::string& why)
{
    constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
    reused = false;
    if ((out = take_idle())) {
        reused = true;
        co_return error_code{};
    }
    // From here on a slot is ours: counted in open_, given back on failure.
    if (open_ < settings_.max_connections) {
        ++open_;
    } else {
        asio::steady_timer timer(ex_);
        waiter w{&timer, nullptr, false};
        waiters_.push_back(&w);
        publish();
        timer.expires_at(wait_deadline);
        auto [ec] = co_await timer.async_wait(tuple);
        (void)ec;
        auto it = std::find(waiters_.begin(), waiters_.end(), &w);
        if (it != waiters_.end()) waiters_.erase(it);
        publish();
        if (w.conn) {
            // A connection handed over may have been closed by the server meanwhile.
            if (alive(*w.conn)) {
                out = std::move(w.conn);
                reused = true;
                co_return error_code{};
            }
            w.conn->close();
            w.conn.reset();  // its slot stays ours
        } else if (!w.slot) {
            auto cs = co_await asio::this_coro::cancellation_state;
            why = "waited for a free connection (max_connections)";
            co_return cs.cancelled() != asio::cancellation_type::none ? error_code(asio::error::operation_aborted)
                                                                       : error_code(asio::error::timed_out);
        }
    }
    publish();
    auto ec = co_await connect(out, connect_deadline, why);
    if (ec) {
        out.reset();
        --open_;
        hand_over();
    } else {
        ++opened_;
    }
    publish();
    co_return ec;
}

CLEANROOMSML_DECL asio::awaitable<error_code> connection_pool::resolve(http_url const& where,
                                                                       std::vector<asio::ip::tcp::endpoint>& out,
                                                                       steady_time deadline)
{
    using tcp = asio::ip::tcp;
    error_code aec;
    auto const addr = asio::ip::make_address(where.host, aec);
    if (!aec) {
        out.assign(1, tcp::endpoint(addr, where.port));
        co_return error_code{};
    }
    std::string key = where.host + ':' + std::to_string(where.port);
    auto const now = std::chrono::steady_clock::now();
    for (auto it = dns_.begin(); it != dns_.end();) {
        if (it->expires <= now) {
            it = dns_.erase(it);
            continue;
        }
        if (it->key == key) {
            out = it->endpoints;
            co_return error_code{};
        }
        ++it;
    }
    // The resolver has no deadline of its own: a timer cancels it.
    auto resolver = std::make_shared<tcp::resolver>(ex_);
    asio::steady_timer timer(ex_);
    timer.expires_at(deadline);
    std::weak_ptr<tcp::resolver> weak = resolver;
    timer.async_wait([weak](error_code e) {
        if (e) return;
        if (auto r = weak.lock()) r->cancel();
    });
    auto [ec, results] = co_await resolver->async_resolve(where.host, std::to_string(where.port),
                                                          asio::as_tuple(asio::use_awaitable));
    timer.cancel();
    if (ec) {
        if (ec == asio::error::operation_aborted && std::chrono::steady_clock::now() >= deadline)
            ec = boost::beast::error::timeout;
        co_return ec;
    }
    out.clear();
    for (auto const& r : results) out.push_back(r.endpoint());
    dns_.push_back(dns_entry{std::move(key), out, now + settings_.dns_ttl});
    co_return error_code{};
}

CLEANROOMSML_DECL asio::awaitable<error_code> connection_pool::connect(std::unique_ptr<connection>& out,
                                                                       steady_time deadline, std::string& why)
{
    namespace http = boost::beast::http;
    constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
    http_url const& first_hop = settings_.proxy ? *settings_.proxy : settings_.target;

    std::vector<asio::ip::tcp::endpoint> endpoints;
    if (auto ec = co_await resolve(first_hop, endpoints, deadline)) {
        why = settings_.proxy ? "resolving the proxy's host name" : "resolving the endpoint's host name";
        co_return ec;
    }
    auto c = std::make_unique<connection>(ex_);
    // Reads are sized by the buffer's free capacity: a small buffer would
    // take a response in several reads, each a syscall and a handler.
    c->buffer.reserve(connection::read_capacity);
    if (settings_.target.https) {
        c->tls = std::make_unique<asio::ssl::stream<boost::beast::tcp_stream>>(ex_, *settings_.tls);
        c->plain.close();
    }
    auto& tcp = c->tcp();
    tcp.expires_at(deadline);
    {
        auto [ec, ep] = co_await tcp.async_connect(endpoints, tuple);
        (void)ep;
        if (ec) {
            why = settings_.proxy ? "connecting to the proxy" : "connecting";
            co_return ec;
        }
    }
    tcp.socket().set_option(asio::ip::tcp::no_delay(true));

    if (settings_.proxy && settings_.target.https) {
        // An HTTP CONNECT tunnel; TLS then runs end to end through it.
        auto const& t = settings_.target;
        std::string const authority = (t.ipv6_literal ? '[' + t.host + ']' : t.host) + ':' + std::to_string(t.port);
        http::request<http::empty_body> req(http::verb::connect, authority, 11);
        req.set(http::field::host, authority);
        if (!settings_.proxy_authorization.empty())
            req.set(http::field::proxy_authorization, settings_.proxy_authorization);
        auto [wec, wn] = co_await http::async_write(tcp, req, tuple);
        (void)wn;
        if (wec) {
            why = "sending CONNECT to the proxy";
            co_return wec;
        }
        http::response_parser<http::empty_body> res;
        res.skip(true);  // a CONNECT answer has no body
        auto [rec, rn] = co_await http::async_read_header(tcp, c->buffer, res, tuple);
        (void)rn;
        if (rec) {
            why = "reading the proxy's CONNECT answer";
            co_return rec;
        }
        if (res.get().result_int() != 200) {
            why = "the proxy refused the tunnel: HTTP " + std::to_string(res.get().result_int());
            co_return error_code(asio::error::connection_refused);
        }
        c->buffer.consume(c->buffer.size());
    }

    if (c->tls) {
        auto& s = *c->tls;
        error_code ec;
        bool const ip = [&] {
            error_code aec;
            (void)asio::ip::make_address(settings_.target.host, aec);
            return !aec;
        }();
        // SNI for names only (RFC 6066 forbids IP literals there).
        if (!ip && !SSL_set_tlsext_host_name(s.native_handle(), settings_.target.host.c_str())) {
            why = "setting the TLS server name";
            co_return error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
        }
        if (settings_.verify) {
            s.set_verify_callback(asio::ssl::host_name_verification(settings_.target.host), ec);
            if (ec) co_return ec;
        }
        auto [hec] = co_await s.async_handshake(asio::ssl::stream_base::client, tuple);
        if (hec) {
            why = "TLS handshake";
            if (hec.category() == asio::error::get_ssl_category()) {
                long const v = SSL_get_verify_result(s.native_handle());
                if (v != X509_V_OK) {
                    why += ": certificate verification failed: ";
                    why += X509_verify_cert_error_string(v);
                }
            }
            co_return hec;
        }
    }
    tcp.expires_never();
    out = std::move(c);
    co_return error_code{};
}

} // namespace cleanroomsml::detail

#endif
