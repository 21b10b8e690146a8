#ifndef CLEANROOMSML_TESTS_SUPPORT_FAULT_SERVER_HPP
#define CLEANROOMSML_TESTS_SUPPORT_FAULT_SERVER_HPP

// A server on 127.0.0.1 that misbehaves on cue, for the fault matrix. The
// n-th request it reads (in arrival order, over all connections) is answered
// by script n: raw bytes written in pieces, each after a delay, then the
// connection is kept, closed, reset or left hanging. Once the scripts run out
// it answers every request with `good`. With a TLS context it speaks https,
// and the first `handshake_resets` connections are reset in the middle of the
// TLS handshake (after the ClientHello arrived).
//
// Unlike http_server it writes bytes, not messages: it can send what no HTTP
// library would (a short Content-Length, a broken chunk, a status line at one
// byte per tick). Everything runs on the test's io_context thread.

#include "http_server.hpp"

#include <boost/asio/write.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace test_support {

struct fault_step {
    std::chrono::milliseconds delay{0};  ///< wait this long, then write
    std::string bytes;
};

struct fault_script {
    enum class ending {
        keep_alive,  ///< read the next request on this connection
        close,       ///< FIN (over TLS without close_notify: a truncation)
        close_notify,///< over TLS close_notify first, then FIN; plain: as close
        reset,       ///< RST (SO_LINGER 0)
        hang,        ///< keep the connection open, reading, until the client leaves
    };
    std::vector<fault_step> writes{};
    ending end = ending::keep_alive;
};

/// The raw bytes of an HTTP/1.1 response; a Content-Length matching `body`
/// is added unless `headers` already carry framing.
inline std::string raw_response(int status, header_list const& headers, std::string_view body)
{
    std::string out = "HTTP/1.1 " + std::to_string(status) + " X\r\n";
    bool framed = false;
    for (auto const& [k, v] : headers) {
        framed = framed || iequals(k, "Content-Length") || iequals(k, "Transfer-Encoding");
        out += k + ": " + v + "\r\n";
    }
    if (!framed) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "\r\n";
    out += body;
    return out;
}

/// `bytes` one byte at a time, `tick` apart: a slowloris server.
inline std::vector<fault_step> trickle(std::string_view bytes, std::chrono::milliseconds tick)
{
    std::vector<fault_step> steps;
    for (char c : bytes) steps.push_back({tick, std::string(1, c)});
    return steps;
}

class fault_server {
public:
    fault_server(asio::io_context& ioc, std::vector<fault_script> scripts, std::string good,
                 asio::ssl::context* tls = nullptr, std::size_t handshake_resets = 0)
        : st_(std::make_shared<state>(ioc, std::move(scripts), std::move(good), tls, handshake_resets))
    {
        port_ = listen_on_loopback(st_->acceptor);
        asio::co_spawn(ioc, accept_loop(st_), rethrow);
    }
    fault_server(fault_server const&) = delete;
    fault_server& operator=(fault_server const&) = delete;
    ~fault_server() { stop(); }

    std::string url() const
    {
        return std::string(st_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
    }
    std::size_t requests() const { return st_->requests; }
    std::size_t connections() const { return st_->connections; }
    /// The Authorization header of each request, in arrival order.
    std::vector<std::string> const& authorizations() const { return st_->authorizations; }

    void stop()
    {
        close_all(st_->acceptor, st_->sockets);
    }

private:
    using tcp = asio::ip::tcp;

    struct state {
        state(asio::io_context& ioc, std::vector<fault_script> s, std::string g, asio::ssl::context* t,
              std::size_t resets)
            : acceptor(ioc), scripts(std::move(s)), tls(t), handshake_resets(resets)
        {
            good.writes.push_back({std::chrono::milliseconds(0), std::move(g)});
        }
        tcp::acceptor acceptor;
        std::vector<fault_script> scripts;
        fault_script good;  // keep-alive, the `good` bytes
        asio::ssl::context* tls;
        std::size_t handshake_resets;
        std::size_t requests = 0;
        std::size_t connections = 0;
        std::vector<std::string> authorizations;
        std::vector<std::weak_ptr<tcp::socket>> sockets;
    };

    static constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

    static void rethrow(std::exception_ptr e)
    {
        if (e) std::rethrow_exception(e);
    }

    static void reset(tcp::socket& s)
    {
        boost::system::error_code ignored;
        s.set_option(asio::socket_base::linger(true, 0), ignored);
        s.close(ignored);
    }

    static asio::awaitable<void> accept_loop(std::shared_ptr<state> st)
    {
        for (;;) {
            auto [ec, socket] = co_await st->acceptor.async_accept(tuple);
            if (ec) co_return;
            auto s = std::make_shared<tcp::socket>(std::move(socket));
            st->sockets.push_back(s);
            asio::co_spawn(st->acceptor.get_executor(), connection(st, s, st->connections++), rethrow);
        }
    }

    static asio::awaitable<void> connection(std::shared_ptr<state> st, std::shared_ptr<tcp::socket> s,
                                            std::size_t index)
    {
        if (!st->tls) {
            co_await session(st, *s, *s);
            co_return;
        }
        if (index < st->handshake_resets) {
            char hello[512];
            auto buf = asio::buffer(hello);
            auto [ec, n] = co_await s->async_read_some(buf, tuple);
            (void)ec;
            (void)n;
            reset(*s);
            co_return;
        }
        asio::ssl::stream<tcp::socket&> stream(*s, *st->tls);
        auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, tuple);
        if (ec) co_return;  // the client refused our certificate
        co_await session(st, *s, stream);
    }

    template <class Stream>
    static asio::awaitable<void> session(std::shared_ptr<state> st, tcp::socket& s, Stream& stream)
    {
        beast::flat_buffer buffer;
        boost::system::error_code ignored;
        for (;;) {
            http::request<http::string_body> req;
            auto [rec, rn] = co_await http::async_read(stream, buffer, req, tuple);
            (void)rn;
            if (rec) co_return;
            std::size_t const n = st->requests++;
            st->authorizations.emplace_back(req[http::field::authorization]);
            fault_script const& script = n < st->scripts.size() ? st->scripts[n] : st->good;
            for (auto const& step : script.writes) {
                if (step.delay.count() > 0) {
                    asio::steady_timer timer(s.get_executor(), step.delay);
                    auto [tec] = co_await timer.async_wait(tuple);
                    (void)tec;
                }
                auto [wec, wn] = co_await asio::async_write(stream, asio::buffer(step.bytes), tuple);
                (void)wn;
                if (wec) co_return;  // the client gave up
            }
            switch (script.end) {
            case fault_script::ending::keep_alive: continue;
            case fault_script::ending::close_notify:
                if constexpr (!std::is_same_v<Stream, tcp::socket>) {
                    // Sends close_notify, then waits for the client's, or for it to leave.
                    auto [sec] = co_await stream.async_shutdown(tuple);
                    (void)sec;
                }
                [[fallthrough]];
            case fault_script::ending::close:
                s.shutdown(tcp::socket::shutdown_both, ignored);
                s.close(ignored);
                co_return;
            case fault_script::ending::reset: reset(s); co_return;
            case fault_script::ending::hang:
                for (;;) {
                    char sink[256];
                    auto buf = asio::buffer(sink);
                    auto [hec, hn] = co_await s.async_read_some(buf, tuple);
                    (void)hn;
                    if (hec) co_return;
                }
            }
        }
    }

    std::shared_ptr<state> st_;
    std::uint16_t port_ = 0;
};

} // namespace test_support

#endif
