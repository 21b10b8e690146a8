#ifndef CLEANROOMSML_TESTS_SUPPORT_HTTP_SERVER_HPP
#define CLEANROOMSML_TESTS_SUPPORT_HTTP_SERVER_HPP

// A scripted HTTP/1.1 server for tests, on 127.0.0.1 at an ephemeral port,
// running in the test's own io_context:
//
//   test_support::http_server server(ioc, [](test_support::recorded_request const& r) {
//       if (r.method != "PUT") return test_support::scripted_response{.status = 405};
//       return test_support::scripted_response{.body = "token"};
//   });
//   ... server.url() == "http://127.0.0.1:<port>", server.requests() ...
//
// Each request is recorded (method, target, headers, body) before the handler
// chooses the answer: a status, headers and body, optionally after a delay,
// or closing the connection without an answer, or never answering (the
// connection stays open until the client gives up). Connections are kept
// alive as the client asks. With a TLS context it speaks https.
//
// Everything runs on one io_context thread: no locking. An exception in the
// server (a bug in a handler) propagates out of io_context::run.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

using header_list = std::vector<std::pair<std::string, std::string>>;

inline bool iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

struct recorded_request {
    std::string method;
    std::string target;
    header_list headers;
    std::string body;

    /// The first header of that name (case-insensitive).
    std::optional<std::string> header(std::string_view name) const
    {
        for (auto const& [k, v] : headers)
            if (iequals(k, name)) return v;
        return std::nullopt;
    }
};

struct scripted_response {
    enum class action {
        answer,  ///< send status, headers and body
        close,   ///< close the connection without answering
        hang,    ///< never answer; keep the connection until the client closes it
    };

    int status = 200;
    header_list headers{};
    std::string body{};
    std::chrono::milliseconds delay{0};  ///< wait this long before acting
    action what = action::answer;
};

/// Binds `acceptor` to 127.0.0.1 on an ephemeral port and listens; the port.
inline std::uint16_t listen_on_loopback(asio::ip::tcp::acceptor& acceptor)
{
    asio::ip::tcp::endpoint const ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor.open(ep.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(ep);
    acceptor.listen();
    return acceptor.local_endpoint().port();
}

/// What a test server's stop() does: stop accepting, close every connection.
inline void close_all(asio::ip::tcp::acceptor& acceptor, std::vector<std::weak_ptr<asio::ip::tcp::socket>>& sockets)
{
    boost::system::error_code ignored;
    acceptor.close(ignored);
    for (auto& w : sockets)
        if (auto s = w.lock()) s->close(ignored);
    sockets.clear();
}

class http_server {
public:
    using handler_type = std::function<scripted_response(recorded_request const&)>;

    /// Plain http.
    http_server(asio::io_context& ioc, handler_type handler) : http_server(ioc, std::move(handler), nullptr) {}

    /// https when `tls` is not null; the context must outlive the server's connections.
    http_server(asio::io_context& ioc, handler_type handler, asio::ssl::context* tls)
        : st_(std::make_shared<state>(ioc, std::move(handler), tls))
    {
        port_ = listen_on_loopback(st_->acceptor);
        asio::co_spawn(ioc, accept_loop(st_), rethrow);
    }

    http_server(http_server const&) = delete;
    http_server& operator=(http_server const&) = delete;

    ~http_server() { stop(); }

    std::uint16_t port() const { return port_; }

    /// Request bodies up to this size are read (more than any socket buffer).
    static constexpr std::size_t max_request_body = 64u << 20;

    /// "http://127.0.0.1:<port>" (or https).
    std::string url() const
    {
        return std::string(st_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    }

    std::vector<recorded_request> const& requests() const { return st_->requests; }

    /// Requests with that method (and target, when not empty).
    std::size_t count(std::string_view method, std::string_view target = {}) const
    {
        std::size_t n = 0;
        for (auto const& r : st_->requests)
            if (r.method == method && (target.empty() || r.target == target)) ++n;
        return n;
    }

    std::size_t connections() const { return st_->connections; }

    /// Stops accepting and closes every open connection.
    void stop()
    {
        close_all(st_->acceptor, st_->sockets);
    }

private:
    using tcp = asio::ip::tcp;

    struct state {
        state(asio::io_context& ioc, handler_type h, asio::ssl::context* t)
            : acceptor(ioc), handler(std::move(h)), tls(t)
        {
        }
        tcp::acceptor acceptor;
        handler_type handler;
        asio::ssl::context* tls;
        std::vector<recorded_request> requests;
        std::vector<std::weak_ptr<tcp::socket>> sockets;
        std::size_t connections = 0;
    };

    static constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

    static void rethrow(std::exception_ptr e)
    {
        if (e) std::rethrow_exception(e);
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> st)
    {
        for (;;) {
            auto [ec, socket] = co_await st->acceptor.async_accept(tuple);
            if (ec) co_return;
            ++st->connections;
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            st->sockets.push_back(s);
            auto ex = st->acceptor.get_executor();
            if (st->tls)
                asio::co_spawn(ex, tls_session(st, s), rethrow);
            else
                asio::co_spawn(ex, session(st, s, *s), rethrow);
        }
    }

    static asio::awaitable<void> tls_session(std::shared_ptr<state> st, std::shared_ptr<tcp::socket> s)
    {
        asio::ssl::stream<tcp::socket&> stream(*s, *st->tls);
        auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, tuple);
        if (ec) co_return;  // the client refused our certificate, or spoke plain http
        co_await session(st, s, stream);
    }

    template <class Stream>
    static asio::awaitable<void> session(std::shared_ptr<state> st, std::shared_ptr<tcp::socket> s, Stream& stream)
    {
        beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(max_request_body);
            auto [rec, n] = co_await http::async_read(stream, buffer, parser, tuple);
            (void)n;
            if (rec) co_return;
            auto const& req = parser.get();

            recorded_request r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            for (auto const& f : req) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
            r.body = req.body();
            st->requests.push_back(r);
            scripted_response const answer = st->handler(st->requests.back());

            if (answer.delay.count() > 0) {
                asio::steady_timer timer(s->get_executor());
                timer.expires_after(answer.delay);
                auto [tec] = co_await timer.async_wait(tuple);
                (void)tec;
            }
            boost::system::error_code ignored;
            if (answer.what == scripted_response::action::close) {
                s->shutdown(tcp::socket::shutdown_both, ignored);
                s->close(ignored);
                co_return;
            }
            if (answer.what == scripted_response::action::hang) {
                char sink[256];
                for (;;) {
                    auto buf = asio::buffer(sink);
                    auto [hec, hn] = co_await s->async_read_some(buf, tuple);
                    (void)hn;
                    if (hec) co_return;
                }
            }
            http::response<http::string_body> res(static_cast<http::status>(answer.status), 11);
            bool close_after = false;  // a scripted "Connection: close" closes the connection after answering
            for (auto const& [k, v] : answer.headers) {
                if (iequals(k, "Connection") && iequals(v, "close")) close_after = true;
                res.insert(k, v);
            }
            res.body() = answer.body;
            res.keep_alive(req.keep_alive() && !close_after);
            res.prepare_payload();
            auto [wec, wn] = co_await http::async_write(stream, res, tuple);
            (void)wn;
            if (wec || !res.keep_alive()) {
                s->shutdown(tcp::socket::shutdown_both, ignored);
                s->close(ignored);
                co_return;
            }
        }
    }

    std::shared_ptr<state> st_;
    std::uint16_t port_ = 0;
};

/// A port on 127.0.0.1 where nothing listens (bound, then closed).
inline std::uint16_t closed_port(asio::io_context& ioc)
{
    asio::ip::tcp::acceptor a(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::uint16_t const p = a.local_endpoint().port();
    a.close();
    return p;
}

} // namespace test_support

#endif
