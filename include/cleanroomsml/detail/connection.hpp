#ifndef CLEANROOMSML_DETAIL_CONNECTION_HPP
#define CLEANROOMSML_DETAIL_CONNECTION_HPP

// One keep-alive connection of the client's pool, and the steps of an
// exchange on it that need no waiting: putting the request on the wire as
// far as the socket takes it, and parsing (over TLS: decrypting, then
// parsing) whatever has been received. The I/O driver awaits the socket
// only when a step says so, which for a small request and response is
// once per call. Everything is kept per connection and reused, so a call
// in steady state allocates nothing here.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/http_response.hpp>
#include <cleanroomsml/detail/task.hpp>
#include <cleanroomsml/detail/tls_session.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

namespace asio = boost::asio;

using steady_time = std::chrono::steady_clock::time_point;

struct connection {
    explicit connection(asio::any_io_executor ex) : socket(std::move(ex)) {}

    /// Bytes asked of the socket per read: a TLS record's worth, so that a
    /// response usually comes in one read.
    static constexpr std::size_t read_capacity = 16 * 1024;

    asio::ip::tcp::socket socket;
    std::unique_ptr<tls_session> tls;  ///< for https
    boost::beast::flat_buffer buffer;  ///< plaintext received and not yet parsed
    std::string head;                  ///< request head scratch, kept across requests
    response_store response;           ///< the last response, its buffers kept across responses
    steady_time idle_since{};
    std::size_t requests = 0;          ///< answered on this connection

    CLEANROOMSML_DECL void close() noexcept;

    /// Makes `head` followed by `body` ready to send and returns the bytes
    /// in `out`: the two as they are, or over TLS their encryption.
    CLEANROOMSML_DECL error_code prepare_request(std::string_view body, std::array<asio::const_buffer, 2>& out);

    /// Writes what the socket takes now, without blocking (the socket is
    /// non-blocking), and leaves the rest in `bufs`. A request almost
    /// always fits whole: then it needs no completion handler at all.
    CLEANROOMSML_DECL error_code send_now(std::array<asio::const_buffer, 2>& bufs);

    /// The request has been sent whole.
    void sent() noexcept
    {
        if (tls) tls->outgoing.clear();
    }

    enum class receive_status {
        done,       ///< the response is complete
        read_more,  ///< receive into receive_space(), report with received()
        failed,     ///< see the error code
    };

    /// Parses what has been received so far into `p`.
    CLEANROOMSML_DECL receive_status parse_received(response_reader& p, error_code& ec);

    /// Where the socket's next bytes go: over TLS the ciphertext buffer.
    CLEANROOMSML_DECL asio::mutable_buffer receive_space();
    CLEANROOMSML_DECL void received(std::size_t n) noexcept;

    /// The socket's read failed with `ec`: what that means for the
    /// response (an end of stream may complete one that runs to it).
    CLEANROOMSML_DECL error_code input_ended(response_reader& p, error_code ec);

    /// Bytes the TLS session produced while reading (a key update), to be
    /// sent before the next read.
    std::string* pending_output() noexcept { return tls && !tls->outgoing.empty() ? &tls->outgoing : nullptr; }
};

/// One request and its response on an open connection: sends `bufs` (from
/// prepare_request) and reads until `p` has a whole response. The steps
/// that need no waiting are done in place; the socket is awaited only for
/// what it did not take or has not received, which for a small exchange is
/// once. Deadlines are the caller's (they close or cancel the socket).
CLEANROOMSML_DECL task<error_code> exchange(op_context& io, connection& c, std::array<asio::const_buffer, 2>& bufs,
                                            response_reader& p);

/// Closes `socket` at `deadline` unless destroyed before: whatever is under
/// way on it then fails, and result() tells that failure from others.
/// For steps with no deadline of their own (connect, handshakes, the
/// credential endpoints' one-shot exchanges).
class socket_deadline {
public:
    CLEANROOMSML_DECL socket_deadline(asio::any_io_executor const& ex, asio::ip::tcp::socket& socket,
                                      steady_time deadline);
    CLEANROOMSML_DECL ~socket_deadline();
    socket_deadline(socket_deadline const&) = delete;
    socket_deadline& operator=(socket_deadline const&) = delete;

    /// `ec`, or beast::error::timeout when the deadline closed the socket.
    CLEANROOMSML_DECL error_code result(error_code ec) const;

private:
    // Shared with the timer's handler, which may run after the owner is gone.
    struct state {
        state(asio::any_io_executor const& ex, asio::ip::tcp::socket& s) : timer(ex), socket(&s) {}
        asio::steady_timer timer;
        asio::ip::tcp::socket* socket;
        bool fired = false;
    };
    std::shared_ptr<state> s_;
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/connection.ipp>
#endif

#endif
