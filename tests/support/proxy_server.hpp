#ifndef CLEANROOMSML_TESTS_SUPPORT_PROXY_SERVER_HPP
#define CLEANROOMSML_TESTS_SUPPORT_PROXY_SERVER_HPP

// A forwarding HTTP proxy for tests, on 127.0.0.1 at an ephemeral port,
// running in the test's own io_context:
//
//   test_support::proxy_server proxy(ioc);
//   proxy.map_host("origin.test", "127.0.0.1");  // a name only the proxy knows
//   cfg.proxy.https = proxy.url();
//   ... proxy.requests(), proxy.connects(), proxy.connections() ...
//
//  - `CONNECT host:port`: answers `200 Connection established` and relays
//    bytes both ways to host:port (a real tunnel: TLS runs end to end), or,
//    after refuse_connect(407 or 403), answers that status and closes.
//  - `GET http://host:port/path?query` (absolute form): forwards the request
//    in origin form over a new upstream connection, without the proxy's own
//    headers, and relays the answer. The client's connection is kept alive
//    as it asks, unless keep_alive(false) makes the proxy close it after
//    every answer.
//  - Anything else gets 400; an upstream that cannot be reached, 502.
//
// Every request is recorded (method, target, headers) before it is acted
// on. Hosts must be IP literals or names given to map_host(): the proxy
// never uses DNS, so a test reaches nothing it did not name.
//
// Everything runs on one io_context thread: no locking. stop() (also run by
// the destructor) closes the listener, the client connections and the
// upstream ones, so that io_context::run can return.

#include "http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace test_support {

class proxy_server {
public:
    explicit proxy_server(asio::io_context& ioc) : st_(std::make_shared<state>(ioc))
    {
        port_ = listen_on_loopback(st_->acceptor);
        asio::co_spawn(ioc, accept_loop(st_), rethrow);
    }

    proxy_server(proxy_server const&) = delete;
    proxy_server& operator=(proxy_server const&) = delete;

    ~proxy_server() { stop(); }

    std::uint16_t port() const { return port_; }

    /// "http://127.0.0.1:<port>".
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    /// Requests for `name` go to `address` (an IP literal).
    void map_host(std::string name, std::string address) { st_->hosts[std::move(name)] = std::move(address); }

    /// Answers CONNECT with `status` (407 or 403) instead of tunnelling; 0 tunnels again.
    void refuse_connect(int status) { st_->refuse_status = status; }

    /// false: close the client's connection after every forwarded answer.
    void keep_alive(bool on) { st_->keep_alive = on; }

    /// Every request received, CONNECTs included, in order.
    std::vector<recorded_request> const& requests() const { return st_->requests; }

    /// CONNECT requests received.
    std::size_t connects() const { return st_->connects; }

    /// Client connections accepted.
    std::size_t connections() const { return st_->connections; }

    /// Stops accepting and closes every open connection, both sides.
    void stop()
    {
        close_all(st_->acceptor, st_->sockets);
    }

private:
    using tcp = asio::ip::tcp;
    using socket_ptr = std::shared_ptr<tcp::socket>;

    struct state {
        explicit state(asio::io_context& ioc) : acceptor(ioc) {}
        tcp::acceptor acceptor;
        std::map<std::string, std::string, std::less<>> hosts;
        int refuse_status = 0;
        bool keep_alive = true;
        std::vector<recorded_request> requests;
        std::vector<std::weak_ptr<tcp::socket>> sockets;
        std::size_t connects = 0;
        std::size_t connections = 0;
    };

    static constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

    static void rethrow(std::exception_ptr e)
    {
        if (e) std::rethrow_exception(e);
    }

    static void close(tcp::socket& s)
    {
        boost::system::error_code ignored;
        s.shutdown(tcp::socket::shutdown_both, ignored);
        s.close(ignored);
    }

    // "host:port" or "[v6]:port" to an endpoint; names only through the map.
    static std::optional<tcp::endpoint> upstream(state const& st, std::string_view authority)
    {
        std::string_view host, port;
        if (!authority.empty() && authority.front() == '[') {
            auto const end = authority.find(']');
            if (end == std::string_view::npos || authority.substr(end + 1, 1) != ":") return std::nullopt;
            host = authority.substr(1, end - 1);
            port = authority.substr(end + 2);
        } else {
            auto const colon = authority.rfind(':');
            if (colon == std::string_view::npos) return std::nullopt;
            host = authority.substr(0, colon);
            port = authority.substr(colon + 1);
        }
        std::uint16_t p = 0;
        auto const r = std::from_chars(port.data(), port.data() + port.size(), p);
        if (port.empty() || r.ec != std::errc() || r.ptr != port.data() + port.size()) return std::nullopt;
        std::string address(host);
        if (auto it = st.hosts.find(host); it != st.hosts.end()) address = it->second;
        boost::system::error_code ec;
        auto const a = asio::ip::make_address(address, ec);
        if (ec) return std::nullopt;
        return tcp::endpoint(a, p);
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> st)
    {
        for (;;) {
            auto [ec, socket] = co_await st->acceptor.async_accept(tuple);
            if (ec) co_return;
            ++st->connections;
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            st->sockets.push_back(s);
            asio::co_spawn(st->acceptor.get_executor(), session(st, s), rethrow);
        }
    }

    static asio::awaitable<bool> answer(tcp::socket& s, int status, bool keep, std::string_view body)
    {
        http::response<http::string_body> res(static_cast<http::status>(status), 11);
        if (status == 407) res.set(http::field::proxy_authenticate, "Basic realm=\"test proxy\"");
        res.body() = std::string(body);
        res.keep_alive(keep);
        res.prepare_payload();
        auto [ec, n] = co_await http::async_write(s, res, tuple);
        (void)n;
        co_return !ec && keep;
    }

    static asio::awaitable<void> session(std::shared_ptr<state> st, socket_ptr s)
    {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [rec, rn] = co_await http::async_read(*s, buffer, req, tuple);
            (void)rn;
            if (rec) co_return;

            recorded_request r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            for (auto const& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
            r.body = req.body();
            st->requests.push_back(std::move(r));

            if (req.method() == http::verb::connect) {
                // The connection becomes the tunnel (or is refused): no more requests on it.
                co_await tunnel(st, s, std::string(req.target()), buffer);
                co_return;
            }
            bool const keep = co_await forward(st, *s, req);
            if (!keep) {
                close(*s);
                co_return;
            }
        }
    }

    static asio::awaitable<void> tunnel(std::shared_ptr<state> st, socket_ptr s, std::string target,
                                        beast::flat_buffer& buffer)
    {
        ++st->connects;
        if (st->refuse_status != 0) {
            co_await answer(*s, st->refuse_status, false, "tunnel refused\n");
            close(*s);
            co_return;
        }
        auto const ep = upstream(*st, target);
        if (!ep) {
            co_await answer(*s, 400, false, "bad CONNECT target\n");
            close(*s);
            co_return;
        }
        auto up = std::make_shared<tcp::socket>(s->get_executor());
        st->sockets.push_back(up);
        auto [cec] = co_await up->async_connect(*ep, tuple);
        if (cec) {
            co_await answer(*s, 502, false, "upstream unreachable\n");
            close(*s);
            co_return;
        }
        static constexpr std::string_view established = "HTTP/1.1 200 Connection established\r\n\r\n";
        auto const head = asio::buffer(established);
        auto [wec, wn] = co_await asio::async_write(*s, head, tuple);
        (void)wn;
        if (wec) {
            close(*s);
            close(*up);
            co_return;
        }
        // Bytes the client sent right behind its CONNECT are the tunnel's first.
        if (buffer.size() > 0) {
            auto const early = buffer.data();
            auto [eec, en] = co_await asio::async_write(*up, early, tuple);
            (void)en;
            if (eec) {
                close(*s);
                close(*up);
                co_return;
            }
            buffer.consume(buffer.size());
        }
        auto ex = s->get_executor();
        asio::co_spawn(ex, relay(s, up), rethrow);
        asio::co_spawn(ex, relay(up, s), rethrow);
    }

    // One direction of a tunnel; an end of stream is passed on as a half close.
    static asio::awaitable<void> relay(socket_ptr from, socket_ptr to)
    {
        std::array<char, 16384> data;
        for (;;) {
            auto const in = asio::buffer(data);
            auto [rec, n] = co_await from->async_read_some(in, tuple);
            if (n > 0) {
                auto const out = asio::buffer(data.data(), n);
                auto [wec, wn] = co_await asio::async_write(*to, out, tuple);
                (void)wn;
                if (wec) break;
            }
            if (rec) break;
        }
        boost::system::error_code ignored;
        to->shutdown(tcp::socket::shutdown_send, ignored);
    }

    // An absolute-form request, sent on in origin form; returns whether the
    // client's connection stays open.
    static asio::awaitable<bool> forward(std::shared_ptr<state> st, tcp::socket& s,
                                         http::request<http::string_body>& req)
    {
        bool const keep = st->keep_alive && req.keep_alive();
        std::string_view const target = req.target();
        constexpr std::string_view scheme = "http://";
        if (target.substr(0, scheme.size()) != scheme) co_return co_await answer(s, 400, false, "not absolute form\n");
        std::string_view const rest = target.substr(scheme.size());
        auto const slash = rest.find_first_of("/?");
        std::string path(slash == std::string_view::npos ? std::string_view("/") : rest.substr(slash));
        if (path.front() == '?') path.insert(0, "/");
        auto const ep = upstream(*st, rest.substr(0, slash));
        if (!ep) co_return co_await answer(s, 400, false, "bad target host\n");

        auto up = std::make_shared<tcp::socket>(s.get_executor());
        st->sockets.push_back(up);
        auto [cec] = co_await up->async_connect(*ep, tuple);
        if (cec) co_return co_await answer(s, 502, keep, "upstream unreachable\n");

        http::request<http::string_body> out = req;
        out.target(path);
        out.erase(http::field::proxy_authorization);
        out.erase("Proxy-Connection");
        out.keep_alive(false);  // one upstream connection per request
        auto [wec, wn] = co_await http::async_write(*up, out, tuple);
        (void)wn;
        http::response<http::string_body> res;
        beast::flat_buffer ubuf;
        boost::system::error_code rec = wec;
        if (!rec) {
            auto [ec, n] = co_await http::async_read(*up, ubuf, res, tuple);
            (void)n;
            rec = ec;
        }
        close(*up);
        if (rec) co_return co_await answer(s, 502, keep, "upstream failed\n");
        res.keep_alive(keep);
        auto [fec, fn] = co_await http::async_write(s, res, tuple);
        (void)fn;
        co_return !fec && keep;
    }

    std::shared_ptr<state> st_;
    std::uint16_t port_ = 0;
};

} // namespace test_support

#endif
