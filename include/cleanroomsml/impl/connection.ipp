#ifndef CLEANROOMSML_IMPL_CONNECTION_IPP
#define CLEANROOMSML_IMPL_CONNECTION_IPP

#include <cleanroomsml/detail/connection.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
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

} // namespace cleanroomsml::detail

#endif
