#ifndef CLEANROOMSML_DETAIL_CONNECTION_POOL_HPP
#define CLEANROOMSML_DETAIL_CONNECTION_POOL_HPP

// Keep-alive HTTP/1.1 connections to one endpoint, plain or TLS, directly
// or through an HTTP proxy (CONNECT tunnel for https). Used from the client's
// serial executor only: no locking.
//
//  - At most `max_connections` exist at once (idle, busy or being opened);
//    callers beyond that wait in FIFO order, bounded by their deadline, and
//    a released connection (or its slot) is handed straight to the first.
//  - Idle connections are checked before reuse: one idle longer than
//    `idle_timeout` is closed, and one idle for `probe_after` or longer is
//    probed (a failing non-blocking peek, one syscall): closed by the server
//    or with unexpected bytes pending, it is closed and another one taken.
//    One used a moment ago is taken as it is, as HTTP clients do (Apache
//    HttpClient's validate-after-inactivity): should the server have closed
//    it meanwhile, the request fails before any response byte, and the
//    driver resends it on a new connection. Ages are checked whenever the
//    pool is used, the socket only of the connection taken, so idle sockets
//    are closed at a later call or at shutdown(); no timer keeps the
//    caller's io_context busy.
//  - Name resolution results are kept for `dns_ttl`.
//  - A TLS session is never reused after a failure or a close: each
//    connection gets a fresh one.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/connection.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/task.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cleanroomsml::detail {

struct pool_settings {
    http_url target;                          ///< where requests go
    std::optional<http_url> proxy;            ///< an http:// proxy to go through
    std::string proxy_authorization;          ///< Proxy-Authorization value, from the proxy URL's user info
    asio::ssl::context* tls = nullptr;        ///< for https targets
    bool verify = true;                       ///< check the certificate's host name
    std::size_t max_connections = 64;
    std::chrono::milliseconds idle_timeout{20000};
    std::chrono::milliseconds probe_after{1000};  ///< idle this long or longer: probed before reuse
    std::chrono::seconds dns_ttl{30};
};

/// Which deadline an acquire ran into.
enum class pool_wait_result { ok, deadline, cancelled };

class connection_pool {
public:
    CLEANROOMSML_DECL connection_pool(asio::any_io_executor ex, pool_settings settings);
    CLEANROOMSML_DECL ~connection_pool();

    connection_pool(connection_pool const&) = delete;
    connection_pool& operator=(connection_pool const&) = delete;

    /// Takes an idle connection, or opens one (resolve, connect, proxy
    /// tunnel, TLS handshake), waiting for a free slot if needed.
    /// `wait_deadline` bounds the wait for a slot, `connect_deadline` the
    /// opening. On failure the slot is given back. Timeouts complete with
    /// beast::error::timeout (opening) or asio::error::timed_out (waiting);
    /// the caller maps them to the deadline that was reached.
    CLEANROOMSML_DECL task<error_code> acquire(op_context& io, std::unique_ptr<connection>& out, bool& reused,
                                               steady_time wait_deadline, steady_time connect_deadline,
                                               std::string& why);

    /// An idle connection that is still open, or null: acquire's path
    /// without suspending (and without a coroutine frame).
    CLEANROOMSML_DECL std::unique_ptr<connection> take_idle();

    /// Gives a connection back: kept for reuse when `reusable`, closed otherwise.
    CLEANROOMSML_DECL void release(std::unique_ptr<connection> c, bool reusable);

    /// Closes the idle connections; later releases close theirs.
    CLEANROOMSML_DECL void shutdown();

    /// Closes the idle connections only.
    CLEANROOMSML_DECL void close_idle();

    /// Whether requests go through a proxy in absolute form (http:// through an HTTP proxy).
    bool absolute_form() const noexcept { return settings_.proxy && !settings_.target.https; }

    pool_settings const& settings() const noexcept { return settings_; }

    // The counters as of the last change, safe to read from any thread
    // (the pool itself lives on the client's serial executor).
    /// Connections that exist now (idle, busy or opening).
    std::size_t open() const noexcept { return seen_.open.load(std::memory_order_relaxed); }
    std::size_t idle() const noexcept { return seen_.idle.load(std::memory_order_relaxed); }
    /// Connections opened so far.
    std::size_t opened() const noexcept { return seen_.opened.load(std::memory_order_relaxed); }
    std::size_t waiting() const noexcept { return seen_.waiting.load(std::memory_order_relaxed); }

private:
    struct waiter {
        asio::steady_timer* timer;
        std::unique_ptr<connection> conn;  // handed over
        bool slot = false;                 // a slot handed over (open_ already counts it)
    };

    void sweep_idle(steady_time now);
    bool alive(connection& c, steady_time now);
    void hand_over();
    task<error_code> connect(op_context& io, std::unique_ptr<connection>& out, steady_time deadline,
                             std::string& why);
    task<error_code> resolve(op_context& io, http_url const& where, std::vector<asio::ip::tcp::endpoint>& out,
                             steady_time deadline);

    struct dns_entry {
        std::string key;
        std::vector<asio::ip::tcp::endpoint> endpoints;
        steady_time expires;
    };

    asio::any_io_executor ex_;
    pool_settings settings_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::deque<waiter*> waiters_;
    std::vector<dns_entry> dns_;
    std::size_t open_ = 0;
    std::size_t opened_ = 0;
    bool shut_down_ = false;

    // Published by every entry point before it returns or suspends.
    struct published {
        std::atomic<std::size_t> open{0}, idle{0}, opened{0}, waiting{0};
    } seen_;
    void publish() noexcept
    {
        seen_.open.store(open_, std::memory_order_relaxed);
        seen_.idle.store(idle_.size(), std::memory_order_relaxed);
        seen_.opened.store(opened_, std::memory_order_relaxed);
        seen_.waiting.store(waiters_.size(), std::memory_order_relaxed);
    }
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/connection_pool.ipp>
#endif

#endif
