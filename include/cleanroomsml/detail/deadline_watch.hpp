#ifndef CLEANROOMSML_DETAIL_DEADLINE_WATCH_HPP
#define CLEANROOMSML_DETAIL_DEADLINE_WATCH_HPP

// Attempt deadlines of the exchanges in flight, kept by one timer per client.
// A per-operation timer (Beast's stream expiry) re-arms the kernel's timer on
// every read and write: three syscalls per call. Deadlines almost never
// fire and a new one is almost always later than the one already armed, so
// one timer armed at the earliest deadline is re-armed only when that
// changes. When it fires, the connections past their deadline are cancelled
// and their exchanges report a timeout. Nor is it cancelled when the last
// exchange ends, which would cost a syscall and a handler per call one at a
// time: the client lets it go (idle()) after each completion handler if no
// exchange is watched by then, so that a pending wait does not keep the
// caller's io_context::run() from returning.
// Used on the client's serial executor only.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/connection_pool.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

namespace cleanroomsml::detail {

class deadline_watch {
public:
    using time_point = std::chrono::steady_clock::time_point;

    /// One exchange being watched; it lives on the exchange's frame.
    struct entry {
        time_point deadline;
        connection* conn = nullptr;
        bool expired = false;  ///< set when the deadline passed and the connection was cancelled
    };

    /// Keeps `e` registered for its scope.
    class scope {
    public:
        scope(deadline_watch& w, entry& e) : w_(w), e_(e) { w_.add(e_); }
        ~scope() { w_.remove(e_); }
        scope(scope const&) = delete;
        scope& operator=(scope const&) = delete;

    private:
        deadline_watch& w_;
        entry& e_;
    };

    CLEANROOMSML_DECL explicit deadline_watch(asio::any_io_executor ex);
    CLEANROOMSML_DECL ~deadline_watch();
    deadline_watch(deadline_watch const&) = delete;
    deadline_watch& operator=(deadline_watch const&) = delete;

    CLEANROOMSML_DECL void add(entry& e);
    CLEANROOMSML_DECL void remove(entry& e) noexcept;
    /// Cancels the timer if nothing is watched.
    CLEANROOMSML_DECL void idle() noexcept;

private:
    // Shared with the timer's handler, which may run after the watch is gone.
    struct state {
        explicit state(asio::any_io_executor ex) : timer(std::move(ex)) {}
        asio::steady_timer timer;
        time_point armed = time_point::max();
        std::vector<entry*> active;
        bool closed = false;
    };
    CLEANROOMSML_DECL static void arm(std::shared_ptr<state> const& s, time_point t);
    CLEANROOMSML_DECL static void fire(std::shared_ptr<state> const& s);

    std::shared_ptr<state> s_;
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/deadline_watch.ipp>
#endif

#endif
