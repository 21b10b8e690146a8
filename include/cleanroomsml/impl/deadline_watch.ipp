#ifndef CLEANROOMSML_IMPL_DEADLINE_WATCH_IPP
#define CLEANROOMSML_IMPL_DEADLINE_WATCH_IPP

#include <cleanroomsml/detail/deadline_watch.hpp>

#include <algorithm>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL deadline_watch::deadline_watch(asio::any_io_executor ex)
    : s_(std::make_shared<state>(std::move(ex)))
{
}

CLEANROOMSML_DECL deadline_watch::~deadline_watch()
{
    s_->closed = true;
    s_->active.clear();
    s_->timer.cancel();
}

CLEANROOMSML_DECL void deadline_watch::add(entry& e)
{
    e.expired = false;
    s_->active.push_back(&e);
    if (e.deadline < s_->armed) arm(s_, e.deadline);
}

CLEANROOMSML_DECL void deadline_watch::remove(entry& e) noexcept
{
    auto& a = s_->active;
    auto it = std::find(a.begin(), a.end(), &e);
    if (it == a.end()) return;
    *it = a.back();
    a.pop_back();
    // The timer stays armed for the earliest deadline even if it was this
    // one's: firing with nothing due is cheaper than re-arming.
}

CLEANROOMSML_DECL void deadline_watch::idle() noexcept
{
    if (s_->active.empty() && s_->armed != time_point::max()) arm(s_, time_point::max());
}

CLEANROOMSML_DECL void deadline_watch::arm(std::shared_ptr<state> const& s, time_point t)
{
    s->armed = t;
    if (t == time_point::max()) {
        s->timer.cancel();  // nothing left to watch
        return;
    }
    s->timer.expires_at(t);  // cancels the wait for a later deadline, if any
    s->timer.async_wait([s](error_code ec) {
        if (ec || s->closed) return;  // re-armed for an earlier deadline, or the watch is gone
        fire(s);
    });
}

CLEANROOMSML_DECL void deadline_watch::fire(std::shared_ptr<state> const& s)
{
    auto const now = std::chrono::steady_clock::now();
    auto next = time_point::max();
    for (entry* e : s->active) {
        if (e->expired) continue;
        if (e->deadline <= now) {
            e->expired = true;
            error_code ignored;
            e->conn->socket.cancel(ignored);
        } else {
            next = std::min(next, e->deadline);
        }
    }
    arm(s, next);
}

} // namespace cleanroomsml::detail

#endif
