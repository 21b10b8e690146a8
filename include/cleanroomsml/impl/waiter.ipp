#ifndef CLEANROOMSML_IMPL_WAITER_IPP
#define CLEANROOMSML_IMPL_WAITER_IPP

#include <cleanroomsml/detail/waiter.hpp>

#include <boost/asio/error.hpp>

#include <algorithm>

namespace cleanroomsml::detail {

namespace waiter_detail {

using ms = std::chrono::milliseconds;

// Installed in the caller's cancellation slot for the waiter's lifetime.
struct caller_cancel {
    waiter_base* waiter;
    void operator()(asio::cancellation_type_t type) const { waiter->on_cancel(type); }
};

inline std::string format_duration(ms d)
{
    if (d < std::chrono::seconds(1)) return std::to_string(d.count()) + " ms";
    auto const tenths = d.count() / 100;
    return std::to_string(tenths / 10) + '.' + std::to_string(tenths % 10) + " s";
}

} // namespace waiter_detail

CLEANROOMSML_DECL poll_verdict judge_status(status_rules const& rules, std::string_view status) noexcept
{
    for (auto s : rules.success)
        if (s == status) return poll_verdict::success;
    for (auto s : rules.failure)
        if (s == status) return poll_verdict::failure;
    // Nothing moves on from a *_FAILED state by itself, known or not.
    if (status.ends_with("_FAILED")) return poll_verdict::failure;
    return poll_verdict::pending;
}

CLEANROOMSML_DECL std::chrono::milliseconds waiter_delay(wait_options const& o, int polls, double u) noexcept
{
    using waiter_detail::ms;
    ms const lo = std::max(o.min_delay, ms(0));
    ms const hi = std::max(o.max_delay, lo);
    // Doubling from at least 1 ms, so that a zero min_delay still backs off.
    ms ceiling = std::max(lo, ms(1));
    for (int i = 1; i < polls && ceiling < hi; ++i) ceiling = ceiling > hi / 2 ? hi : ceiling * 2;
    ceiling = std::min(ceiling, hi);
    u = std::clamp(u, 0.0, 1.0);
    auto const span = static_cast<double>((ceiling - lo).count());
    double const offset = u * span;
    // A span near the type's limit rounds up as a double: the cast would overflow.
    if (offset >= span) return ceiling;
    return lo + ms(static_cast<ms::rep>(offset));
}

CLEANROOMSML_DECL waiter_base::waiter_base(std::shared_ptr<client_impl> i, wait_options const& o, wait_goal goal,
                                           status_rules rules, std::string_view noun, std::string id,
                                           diagnostics* diag)
    : impl(std::move(i)), options(o), goal_(goal), rules_(rules), noun_(noun), id_(std::move(id)), user_diag_(diag),
      timer_(client_executor(*impl)), rng_(std::random_device{}())
{
}

CLEANROOMSML_DECL void waiter_base::start(asio::cancellation_slot caller_slot, asio::any_completion_executor ex)
{
    using waiter_detail::ms;
    executor = std::move(ex);
    started_ = clock::now();
    // In milliseconds: a huge max_wait must not overflow the clock's nanoseconds.
    auto const room = std::chrono::duration_cast<ms>(clock::time_point::max() - started_);
    if (options.max_wait.count() <= 0)
        deadline_ = started_;
    else if (options.max_wait >= room)
        deadline_ = clock::time_point::max();
    else
        deadline_ = started_ + options.max_wait;
    caller_slot_ = caller_slot;
    if (caller_slot_.is_connected()) caller_slot_.emplace<waiter_detail::caller_cancel>(this);
    next_poll();
}

CLEANROOMSML_DECL void waiter_base::next_poll()
{
    ++polls_;
    pending = true;
    poll();
}

CLEANROOMSML_DECL void waiter_base::on_cancel(asio::cancellation_type_t type)
{
    cancelled_ = true;
    // Only into a running operation: a finished one's slot handler may be stale.
    if (pending) inner.emit(type);
}

CLEANROOMSML_DECL std::string waiter_base::what_it_waits_for() const
{
    return goal_ == wait_goal::active ? "become ACTIVE" : "be deleted";
}

CLEANROOMSML_DECL void waiter_base::on_poll(error_code ec, poll_seen const& seen)
{
    pending = false;
    if (cancelled_ || ec == asio::error::operation_aborted) {
        diagnostics d;
        d.message = "waiting for " + std::string(noun_) + " " + id_ + " was cancelled";
        complete(asio::error::operation_aborted, std::move(d));
        return;
    }
    if (ec) {
        if (goal_ == wait_goal::deleted && ec == service_errc::resource_not_found) {
            complete(error_code(), diagnostics());
            return;
        }
        // The client already retried what is transient: this ends the wait.
        complete(ec, poll_diag);
        return;
    }
    last_status_ = seen.listed ? seen.status : "(not listed yet)";
    switch (seen.listed ? judge_status(rules_, seen.status) : poll_verdict::pending) {
    case poll_verdict::success:
        complete(error_code(), diagnostics());
        return;
    case poll_verdict::failure: {
        diagnostics d;
        d.request_id = poll_diag.request_id;
        d.attempts = polls_;
        d.message = std::string(noun_) + " " + id_ + " reached " + seen.status + " while waiting for it to " +
                    what_it_waits_for();
        if (seen.details) {
            if (seen.details->status_code) d.message += "; statusCode: " + *seen.details->status_code;
            if (seen.details->message) d.message += "; message: " + *seen.details->message;
        }
        complete(client_errc::waiter_failure, std::move(d));
        return;
    }
    case poll_verdict::pending:
        break;
    }

    auto const now = clock::now();
    if (now >= deadline_) {
        diagnostics d;
        d.attempts = polls_;
        d.message = std::string(noun_) + " " + id_ + " did not " + what_it_waits_for() + " within " +
                    waiter_detail::format_duration(options.max_wait) + " (waited " +
                    waiter_detail::format_duration(std::chrono::duration_cast<waiter_detail::ms>(now - started_)) +
                    ", " + std::to_string(polls_) + " polls); last status: " + last_status_;
        complete(client_errc::waiter_timeout, std::move(d));
        return;
    }
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    auto const delay = waiter_delay(options, polls_, jitter(rng_));
    // The last poll happens at the deadline, not after it. Compared in
    // milliseconds: a huge delay must not overflow the clock's nanoseconds.
    auto const left = std::chrono::duration_cast<waiter_detail::ms>(deadline_ - now);
    timer_.expires_at(left > delay ? now + delay : deadline_);
    pending = true;
    timer_.async_wait(waiter_step<waiter_base, &waiter_base::on_sleep>{shared_from_this()});
}

CLEANROOMSML_DECL void waiter_base::on_sleep(error_code ec)
{
    pending = false;
    if (cancelled_ || ec == asio::error::operation_aborted) {
        on_poll(asio::error::operation_aborted, poll_seen());
        return;
    }
    if (ec) {
        diagnostics d;
        d.message = "the waiter's timer failed";
        complete(ec, std::move(d));
        return;
    }
    next_poll();
}

CLEANROOMSML_DECL void waiter_base::complete(error_code ec, diagnostics diag)
{
    if (caller_slot_.is_connected()) caller_slot_.clear();
    if (user_diag_) *user_diag_ = std::move(diag);
    finish(ec);
}

} // namespace cleanroomsml::detail

#endif
