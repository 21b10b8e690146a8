#ifndef CLEANROOMSML_IMPL_CONNECTION_IPP
#define CLEANROOMSML_IMPL_CONNECTION_IPP

#include <cleanroomsml/detail/connection.hpp>

#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>

namespace cleanroomsml::detail {

namespace connection_impl {

namespace http = boost::beast::http;

// The free space at the end of `b`, or read_capacity of it when little is
// left: the buffer keeps its size across reads and responses.
inline asio::mutable_buffer room(boost::beast::flat_buffer& b)
{
    auto const free = b.capacity() - b.size();
    return b.prepare(free >= 1024 ? free : connection::read_capacity);
}

// The stream ended: a response that runs to the end is complete now, any
// other one is cut short; no byte at all is an end of stream, which a
// reused connection the server closed while idle reports.
inline error_code end_of_stream(response_reader& p)
{
    if (!p.got_some()) return http::error::end_of_stream;
    error_code ec;
    p.put_eof(ec);
    return ec;
}

} // namespace connection_impl

CLEANROOMSML_DECL void connection::close() noexcept
{
    error_code ignored;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

CLEANROOMSML_DECL error_code connection::prepare_request(std::string_view body,
                                                         std::array<asio::const_buffer, 2>& out)
{
    if (!tls) {
        out = {asio::buffer(head), asio::buffer(body.data(), body.size())};
        return {};
    }
    // A request that fits one TLS record is encrypted as one.
    constexpr std::size_t record = 16 * 1024;
    error_code ec;
    if (head.size() + body.size() <= record) {
        head.append(body);
        ec = tls->write(head);
    } else {
        ec = tls->write(head);
        if (!ec) ec = tls->write(body);
    }
    out = {asio::buffer(tls->outgoing), asio::const_buffer()};
    return ec;
}

CLEANROOMSML_DECL error_code connection::send_now(std::array<asio::const_buffer, 2>& bufs)
{
    error_code ec;
    std::size_t sent = socket.write_some(bufs, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
        ec = {};
        sent = 0;
    }
    if (ec) return ec;
    for (auto& b : bufs) {
        auto const n = std::min(sent, b.size());
        b += n;
        sent -= n;
    }
    return {};
}

CLEANROOMSML_DECL connection::receive_status connection::parse_received(response_reader& p, error_code& ec)
{
    for (;;) {
        if (buffer.size() != 0) {
            std::size_t const n = p.put(buffer.data(), ec);
            buffer.consume(n);
            if (ec && ec != connection_impl::http::error::need_more) return receive_status::failed;
            ec = {};
            if (p.is_done()) return receive_status::done;
        }
        if (!tls) return receive_status::read_more;
        // Nothing received and nothing held back by OpenSSL: asking it
        // would only cost a failing read.
        if (tls->incoming.size() == 0 && !tls->has_pending()) return receive_status::read_more;
        auto const space = connection_impl::room(buffer);
        tls_session::status s;
        std::size_t const n = tls->read(static_cast<char*>(space.data()), space.size(), s, ec);
        if (n != 0) {
            buffer.commit(n);
            continue;
        }
        if (s == tls_session::status::want_read) return receive_status::read_more;
        if (s == tls_session::status::closed) {
            ec = connection_impl::end_of_stream(p);
            return ec ? receive_status::failed : receive_status::done;
        }
        return receive_status::failed;
    }
}

CLEANROOMSML_DECL asio::mutable_buffer connection::receive_space()
{
    return connection_impl::room(tls ? tls->incoming : buffer);
}

CLEANROOMSML_DECL void connection::received(std::size_t n) noexcept { (tls ? tls->incoming : buffer).commit(n); }

CLEANROOMSML_DECL error_code connection::input_ended(response_reader& p, error_code ec)
{
    if (ec != asio::error::eof) return ec;
    // Over TLS only the session's own end (close_notify) ends a response:
    // a bare TCP end could be an attacker cutting it short.
    if (tls) return asio::ssl::error::stream_truncated;
    return connection_impl::end_of_stream(p);
}

CLEANROOMSML_DECL task<error_code> exchange(op_context& io, connection& c, std::array<asio::const_buffer, 2>& bufs,
                                            response_reader& p)
{
    error_code ec = c.send_now(bufs);
    if (!ec && bufs[0].size() + bufs[1].size() != 0) {
        auto [wec, wn] = co_await io(asio::async_write(c.socket, bufs, asio::deferred));
        (void)wn;
        ec = wec;
    }
    if (ec) co_return ec;
    c.sent();
    while (c.parse_received(p, ec) == connection::receive_status::read_more) {
        if (auto* pending = c.pending_output()) {
            auto [wec, wn] = co_await io(asio::async_write(c.socket, asio::buffer(*pending), asio::deferred));
            (void)wn;
            pending->clear();
            if (wec) co_return wec;
        }
        auto [rec, rn] = co_await io(c.socket.async_read_some(c.receive_space(), asio::deferred));
        if (rec) {
            // The end of the stream may complete a response that runs to it.
            ec = c.input_ended(p, rec);
            if (!ec && !p.is_done()) ec = connection_impl::http::error::partial_message;
            co_return ec;
        }
        c.received(rn);
    }
    co_return ec;
}

CLEANROOMSML_DECL socket_deadline::socket_deadline(asio::any_io_executor const& ex, asio::ip::tcp::socket& socket,
                                                   steady_time deadline)
    : s_(std::make_shared<state>(ex, socket))
{
    s_->timer.expires_at(deadline);
    s_->timer.async_wait([s = s_](error_code ec) {
        if (ec || !s->socket) return;  // cancelled: the guarded steps are over
        s->fired = true;
        error_code ignored;
        s->socket->close(ignored);
    });
}

CLEANROOMSML_DECL socket_deadline::~socket_deadline()
{
    s_->socket = nullptr;
    s_->timer.cancel();
}

CLEANROOMSML_DECL error_code socket_deadline::result(error_code ec) const
{
    return s_->fired ? error_code(boost::beast::error::timeout) : ec;
}

} // namespace cleanroomsml::detail

#endif
