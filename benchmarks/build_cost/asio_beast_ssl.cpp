// Build-cost baseline: Asio + Beast + TLS only, instantiating the same kind
// of I/O templates an HTTPS client does (resolve, connect, handshake, write a
// request, read a response) from a coroutine. The token is the one the
// library uses inside its coroutines, as_tuple(use_awaitable): Beast 1.81's
// initiating functions do not accept asio::deferred.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <iostream>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> fetch(asio::ssl::context& tls)
{
    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    auto [rec, endpoints] = co_await resolver.async_resolve("127.0.0.1", "1", tuple);
    beast::ssl_stream<beast::tcp_stream> stream(ex, tls);
    auto [cec, ep] = co_await beast::get_lowest_layer(stream).async_connect(endpoints, tuple);
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, tuple);

    http::request<http::string_body> req(http::verb::post, "/", 11);
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = "{}";
    req.prepare_payload();
    auto [wec, written] = co_await http::async_write(stream, req, tuple);

    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    auto [ec, read] = co_await http::async_read(stream, buffer, res, tuple);
    // Use every result so nothing is optimised out of the comparison.
    std::cout << rec.message() << cec.message() << ep << hec.message() << wec.message() << written
              << ec.message() << read << res.result_int() << ' ' << res.body().size() << '\n';
}

int main()
{
    asio::io_context ioc;
    asio::ssl::context tls(asio::ssl::context::tls_client);
    asio::co_spawn(ioc, fetch(tls), asio::detached);
    ioc.run();
}
