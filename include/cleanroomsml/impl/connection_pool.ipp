#ifndef CLEANROOMSML_IMPL_CONNECTION_POOL_IPP
#define CLEANROOMSML_IMPL_CONNECTION_POOL_IPP

#include <cleanroomsml/detail/connection_pool.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/x509.h>

#include <algorithm>
#include <cerrno>

namespace cleanroomsml::detail {

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
// or an end of stream mean the server closed it (or misbehaves). One used
// a moment ago is not asked (see the header).
CLEANROOMSML_DECL bool connection_pool::alive(connection& c, steady_time now)
{
    auto& s = c.socket;
    if (!s.is_open()) return false;
    if (now - c.idle_since < settings_.probe_after) return true;
    // The socket is non-blocking: one peek that fails when all is well.
    char byte;
    error_code peek;
    (void)s.receive(asio::buffer(&byte, 1), asio::socket_base::message_peek, peek);
    return peek == asio::error::would_block || peek == asio::error::try_again;
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
    if (reusable && !shut_down_ && c->socket.is_open()) {
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
    auto const now = std::chrono::steady_clock::now();
    sweep_idle(now);
    // The most recently used first: the likeliest to be warm and open.
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (alive(*c, now)) {
            publish();
            return c;
        }
        c->close();
        --open_;
    }
    publish();
    return nullptr;
}

CLEANROOMSML_DECL task<error_code> connection_pool::acquire(op_context& io, std::unique_ptr<connection>& out,
                                                            bool& reused, steady_time wait_deadline,
                                                            steady_time connect_deadline, std::string& why)
{
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
        auto [ec] = co_await io(timer.async_wait(asio::deferred));
        (void)ec;
        auto it = std::find(waiters_.begin(), waiters_.end(), &w);
        if (it != waiters_.end()) waiters_.erase(it);
        publish();
        if (w.conn) {
            // A connection handed over may have been closed by the server meanwhile.
            if (alive(*w.conn, std::chrono::steady_clock::now())) {
                out = std::move(w.conn);
                reused = true;
                co_return error_code{};
            }
            w.conn->close();
            w.conn.reset();  // its slot stays ours
        } else if (!w.slot) {
            why = "waited for a free connection (max_connections)";
            co_return io.cancelled() ? error_code(asio::error::operation_aborted) : error_code(asio::error::timed_out);
        }
    }
    publish();
    auto ec = co_await connect(io, out, connect_deadline, why);
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

CLEANROOMSML_DECL task<error_code> connection_pool::resolve(op_context& io, http_url const& where,
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
    std::string const port = std::to_string(where.port);
    auto [ec, results] = co_await io(resolver->async_resolve(where.host, port, asio::deferred));
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

CLEANROOMSML_DECL task<error_code> connection_pool::connect(op_context& io, std::unique_ptr<connection>& out,
                                                            steady_time deadline, std::string& why)
{
    http_url const& first_hop = settings_.proxy ? *settings_.proxy : settings_.target;

    std::vector<asio::ip::tcp::endpoint> endpoints;
    if (auto ec = co_await resolve(io, first_hop, endpoints, deadline)) {
        why = settings_.proxy ? "resolving the proxy's host name" : "resolving the endpoint's host name";
        co_return ec;
    }
    auto c = std::make_unique<connection>(ex_);
    // Reads are sized by the buffer's free capacity: a small buffer would
    // take a response in several reads, each a syscall and a handler.
    c->buffer.reserve(connection::read_capacity);
    socket_deadline const limit(ex_, c->socket, deadline);
    {
        auto [ec, ep] = co_await io(asio::async_connect(c->socket, endpoints, asio::deferred));
        (void)ep;
        if (ec) {
            why = settings_.proxy ? "connecting to the proxy" : "connecting";
            co_return limit.result(ec);
        }
    }
    error_code oec;
    c->socket.set_option(asio::ip::tcp::no_delay(true), oec);
    if (!oec) c->socket.non_blocking(true, oec);  // for connection::send_now and the liveness peek
    if (oec) {
        why = "setting up the socket";
        co_return oec;
    }

    if (settings_.proxy && settings_.target.https) {
        // An HTTP CONNECT tunnel; TLS then runs end to end through it.
        auto const& t = settings_.target;
        std::string const authority = (t.ipv6_literal ? '[' + t.host + ']' : t.host) + ':' + std::to_string(t.port);
        std::string& head = c->head;
        head = "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n";
        if (!settings_.proxy_authorization.empty())
            head += "Proxy-Authorization: " + settings_.proxy_authorization + "\r\n";
        head += "\r\n";
        std::array<asio::const_buffer, 2> bufs;
        (void)c->prepare_request({}, bufs);  // no TLS yet: cannot fail
        response_reader res(c->response);
        res.skip(true);  // a CONNECT answer has no body
        if (auto ec = co_await exchange(io, *c, bufs, res)) {
            why = "talking to the proxy (CONNECT)";
            co_return limit.result(ec);
        }
        if (c->response.status != 200) {
            why = "the proxy refused the tunnel: HTTP " + std::to_string(c->response.status);
            co_return error_code(asio::error::connection_refused);
        }
        c->buffer.consume(c->buffer.size());
    }

    if (settings_.target.https) {
        c->tls = std::make_unique<tls_session>();
        auto& s = *c->tls;
        s.incoming.reserve(connection::read_capacity + 512);  // a whole record and its framing
        if (auto ec = s.start(settings_.tls->native_handle(), settings_.target.host, settings_.verify)) {
            why = "setting up TLS";
            co_return ec;
        }
        for (;;) {
            error_code hec;
            auto const step = s.handshake(hec);
            if (!s.outgoing.empty()) {
                // Sent even after a failure: it is the alert telling the server why.
                auto [wec, wn] = co_await io(asio::async_write(c->socket, asio::buffer(s.outgoing), asio::deferred));
                (void)wn;
                s.outgoing.clear();
                if (wec && !hec) hec = wec;
            }
            if (!hec && step == tls_session::status::ok) break;
            if (!hec && step == tls_session::status::want_read) {
                auto [rec, n] = co_await io(c->socket.async_read_some(c->receive_space(), asio::deferred));
                if (!rec) {
                    c->received(n);
                    continue;
                }
                hec = rec;
            }
            why = "TLS handshake";
            if (hec.category() == asio::error::get_ssl_category()) {
                long const v = s.verify_result();
                if (v != X509_V_OK) {
                    why += ": certificate verification failed: ";
                    why += X509_verify_cert_error_string(v);
                }
            }
            co_return limit.result(hec);
        }
    }
    out = std::move(c);
    co_return error_code{};
}

} // namespace cleanroomsml::detail

#endif
