#ifndef CLEANROOMSML_DETAIL_WAITER_HPP
#define CLEANROOMSML_DETAIL_WAITER_HPP

// The waiters' machinery. One driver, waiter_base (impl/waiter.ipp, not a
// template), starts the polls, judges the status each one saw, sleeps with
// backoff and jitter, times out and handles cancellation. What differs per
// resource is data and how a poll is made and read: get_waiter<Request, Goal>
// polls the resources with a Get operation (waited_resource<Request> names
// them and the statuses that end a wait, generated from codegen/waiters.py),
// listed_waiter<ListRequest> finds export jobs, which have no Get, by name in
// their listing, page after page. The caller's handler is type-erased, so a
// waiter's code exists once per resource, not once per token.
//
// Inner operations (polls, sleeps) complete on the caller's handler's
// executor, where the caller also emits cancellation; the caller's handler
// itself is posted there at the end, never run inside the initiating call.

#include <cleanroomsml/detail/call.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/model/operations.hpp>
#include <cleanroomsml/paginator.hpp>
#include <cleanroomsml/wait_options.hpp>

#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

enum class wait_goal { active, deleted };
enum class poll_verdict { success, failure, pending };

/// What one poll saw of the resource.
struct poll_seen {
    bool listed = true;  ///< false: the listing does not have it (yet)
    std::string status;
    std::optional<status_details> details;
};

/// The statuses that end a wait for one goal (generated: codegen/waiters.py).
struct status_rules {
    std::span<std::string_view const> success;
    std::span<std::string_view const> failure;
};

/// Whether `status` ends a wait: listed as a success or a failure, or a
/// failure because it ends in _FAILED (also one this version does not know).
/// Any other status is pending.
CLEANROOMSML_DECL poll_verdict judge_status(status_rules const& rules, std::string_view status) noexcept;

/// Specialized per Get request of a waited resource (model/client_operations.hpp):
///   static constexpr std::string_view name;       // how messages name it
///   static constexpr auto arn;                    // the request's member naming it
///   static constexpr std::array active_success, active_failure[, deleted_success, deleted_failure];
template <class Request>
struct waited_resource;

/// Specialized per List request of a resource found by name in a listing:
///   static constexpr std::string_view name;
///   static constexpr auto scope;                  // the request's member messages name
///   static constexpr std::array active_success, active_failure;
template <class ListRequest>
struct listed_resource;

/// The sleep after poll number `polls` (1 for the first): `u` in [0, 1]
/// picks it within [min_delay, min(max_delay, min_delay * 2^(polls-1))].
CLEANROOMSML_DECL std::chrono::milliseconds waiter_delay(wait_options const& options, int polls, double u) noexcept;

// The handler of a waiter's inner operation: calls `Fn` on the waiter,
// on the caller's executor; the waiter's own signal cancels the operation.
template <class Self, auto Fn>
struct waiter_step {
    std::shared_ptr<Self> self;

    using executor_type = asio::any_completion_executor;
    executor_type get_executor() const noexcept { return self->executor; }

    using cancellation_slot_type = asio::cancellation_slot;
    cancellation_slot_type get_cancellation_slot() const noexcept { return self->inner.slot(); }

    template <class... Args>
    void operator()(Args&&... args)
    {
        self->pending = false;
        ((*self).*Fn)(std::forward<Args>(args)...);
    }
};

class waiter_base : public std::enable_shared_from_this<waiter_base> {
public:
    using clock = std::chrono::steady_clock;

    CLEANROOMSML_DECL waiter_base(std::shared_ptr<client_impl> impl, wait_options const& options, wait_goal goal,
                                  status_rules rules, std::string_view noun, std::string id, diagnostics* diag);
    virtual ~waiter_base() = default;
    waiter_base(waiter_base const&) = delete;
    waiter_base& operator=(waiter_base const&) = delete;

    /// Arms the deadline, hooks the caller's cancellation slot and polls.
    CLEANROOMSML_DECL void start(asio::cancellation_slot caller_slot, asio::any_completion_executor ex);

    /// A poll's outcome, from the derived class.
    CLEANROOMSML_DECL void on_poll(error_code ec, poll_seen const& seen);
    CLEANROOMSML_DECL void on_sleep(error_code ec);
    CLEANROOMSML_DECL void on_cancel(asio::cancellation_type_t type);

    std::shared_ptr<client_impl> impl;
    wait_options options;
    diagnostics poll_diag;                   // the last poll's
    asio::any_completion_executor executor;  // the caller's handler's
    asio::cancellation_signal inner;         // cancels the poll or sleep in progress
    bool pending = false;                    // an inner operation is in progress

protected:

    /// One poll (possibly several requests), ending in on_poll.
    virtual void poll() = 0;
    /// Posts the caller's handler with `ec` and the result.
    virtual void finish(error_code ec) = 0;

    bool cancelled_ = false;  // by the caller, at any time

private:
    CLEANROOMSML_DECL void next_poll();
    CLEANROOMSML_DECL void complete(error_code ec, diagnostics diag);
    CLEANROOMSML_DECL std::string what_it_waits_for() const;

    wait_goal goal_;
    status_rules rules_;
    std::string_view noun_;
    std::string id_;
    diagnostics* user_diag_;
    asio::steady_timer timer_;
    asio::cancellation_slot caller_slot_;
    int polls_ = 0;
    std::string last_status_;
    clock::time_point started_{};
    clock::time_point deadline_{};
    std::minstd_rand rng_;
};

// The typed end of a waiter: the caller's handler and what it completes with.
template <class... Values>
class waiter_with_handler : public waiter_base {
public:
    using signature = void(error_code, Values...);
    using handler_type = asio::any_completion_handler<signature>;

    template <class... Args>
    explicit waiter_with_handler(handler_type handler, Args&&... args)
        : waiter_base(std::forward<Args>(args)...), handler_(std::move(handler))
    {
    }

    void begin()
    {
        auto slot = asio::get_associated_cancellation_slot(handler_);
        auto ex = asio::get_associated_executor(handler_, client_executor(*impl));
        start(slot, std::move(ex));
    }

protected:
    std::tuple<Values...> result_{};

    void finish(error_code ec) override
    {
        if (ec) result_ = {};
        std::apply([&](auto&... v) { post_completion(*impl, std::move(handler_), ec, std::move(v)...); }, result_);
    }

private:
    handler_type handler_;
};

template <class Request, wait_goal Goal>
constexpr status_rules rules_of() noexcept
{
    using r = waited_resource<Request>;
    if constexpr (Goal == wait_goal::active)
        return {r::active_success, r::active_failure};
    else
        return {r::deleted_success, r::deleted_failure};
}

/// How messages name what a Get request asks for: its ARN, and the version
/// when the request names one.
template <class Request>
std::string describe_request(Request const& r)
{
    std::string id = r.*waited_resource<Request>::arn;
    if constexpr (requires { r.version_identifier; })
        if (r.version_identifier) id += " (version " + *r.version_identifier + ")";
    return id;
}

/// The Get request for the resource with this ARN (it needs nothing else).
template <class Request>
Request request_for(std::string arn)
{
    Request r{};
    r.*waited_resource<Request>::arn = std::move(arn);
    return r;
}

template <class Request, wait_goal Goal>
using get_waiter_base = std::conditional_t<Goal == wait_goal::active,
                                           waiter_with_handler<typename operation_traits<Request>::response>,
                                           waiter_with_handler<>>;

// Polls a Get operation with the caller's request. Active waiters complete
// with its last response.
template <class Request, wait_goal Goal>
class get_waiter final : public get_waiter_base<Request, Goal> {
    using base = get_waiter_base<Request, Goal>;

public:
    using response = typename operation_traits<Request>::response;
    using typename base::handler_type;

    get_waiter(handler_type handler, std::shared_ptr<client_impl> impl, wait_options const& options, Request request,
               diagnostics* diag)
        : base(std::move(handler), std::move(impl), options, Goal, rules_of<Request, Goal>(),
               waited_resource<Request>::name, describe_request(request), diag),
          request_(std::move(request))
    {
    }

    void on_response(error_code ec, response r)
    {
        poll_seen seen;
        if (!ec) {
            seen.status = std::string(r.status.value());
            if constexpr (requires { r.status_details; }) seen.details = r.status_details;
            if constexpr (Goal == wait_goal::active) std::get<0>(this->result_) = std::move(r);
        }
        this->on_poll(ec, seen);
    }

private:
    void poll() override
    {
        this->pending = true;
        Request copy = request_;
        async_call(this->impl, std::move(copy), &this->options.call, &this->poll_diag,
                   waiter_step<get_waiter, &get_waiter::on_response>{
                       std::static_pointer_cast<get_waiter>(this->shared_from_this())});
    }

    Request request_;
};

// Looks a resource up by name in a listing (all pages of the caller's List
// request), for resources that have no Get: export jobs.
template <class ListRequest>
class listed_waiter final : public waiter_with_handler<typename paginator_traits<ListRequest>::item> {
    using base = waiter_with_handler<typename paginator_traits<ListRequest>::item>;
    using traits = paginator_traits<ListRequest>;
    using resource = listed_resource<ListRequest>;

public:
    using typename base::handler_type;

    listed_waiter(handler_type handler, std::shared_ptr<client_impl> impl, wait_options const& options,
                  ListRequest listing, std::string name, diagnostics* diag)
        : base(std::move(handler), std::move(impl), options, wait_goal::active,
               status_rules{resource::active_success, resource::active_failure}, resource::name,
               describe(listing, name), diag),
          listing_(std::move(listing)), name_(std::move(name))
    {
    }

    void on_page(error_code ec, std::optional<typename traits::response> page)
    {
        poll_seen seen;
        if (this->cancelled_) ec = asio::error::operation_aborted;
        if (ec) {
            this->on_poll(ec, seen);
            return;
        }
        if (!page) {  // past the last page
            seen.listed = false;
            this->on_poll(ec, seen);
            return;
        }
        for (auto& item : (*page).*traits::items) {
            if (item.name != name_) continue;
            seen.status = std::string(item.status.value());
            seen.details = item.status_details;
            std::get<0>(this->result_) = std::move(item);
            this->on_poll(ec, seen);
            return;
        }
        next_page();
    }

private:
    // "'top' of arn:...": the name and what the listing is scoped to.
    static std::string describe(ListRequest const& listing, std::string const& name)
    {
        std::string id = "'" + name + "'";
        auto const& scope = listing.*resource::scope;
        if constexpr (is_optional<std::remove_cvref_t<decltype(scope)>>::value) {
            if (scope) id += " of " + *scope;
        } else {
            id += " of " + scope;
        }
        return id;
    }

    void poll() override
    {
        pages_.emplace(this->impl, listing_, this->options.call);
        next_page();
    }

    void next_page()
    {
        this->pending = true;
        pages_->async_next_with(&this->poll_diag, waiter_step<listed_waiter, &listed_waiter::on_page>{
                                                      std::static_pointer_cast<listed_waiter>(this->shared_from_this())});
    }

    ListRequest listing_;
    std::string name_;
    // This poll's walk through the listing (it also refuses repeated tokens).
    std::optional<paginator<ListRequest>> pages_;
};

template <class Waiter>
struct wait_initiation {
    std::shared_ptr<client_impl> impl;

    template <class Handler, class... Args>
    void operator()(Handler&& handler, diagnostics* diag, Args&&... args) const
    {
        auto w = std::make_shared<Waiter>(typename Waiter::handler_type(std::forward<Handler>(handler)), impl,
                                          std::forward<Args>(args)..., diag);
        w->begin();
    }
};

// The initiating functions; `diag` first, as with_diagnostics expects.
template <class Request, wait_goal Goal, class Token>
auto async_wait(std::shared_ptr<client_impl> const& impl, Request request, wait_options const* options,
                diagnostics* diag, Token&& token)
{
    using waiter = get_waiter<Request, Goal>;
    return asio::async_initiate<Token, typename waiter::signature>(
        wait_initiation<waiter>{impl}, token, diag, options ? *options : wait_options{}, std::move(request));
}

template <class ListRequest, class Token>
auto async_wait_listed(std::shared_ptr<client_impl> const& impl, ListRequest listing, std::string name,
                       wait_options const* options, diagnostics* diag, Token&& token)
{
    using waiter = listed_waiter<ListRequest>;
    return asio::async_initiate<Token, typename waiter::signature>(wait_initiation<waiter>{impl}, token, diag,
                                                                   options ? *options : wait_options{},
                                                                   std::move(listing), std::move(name));
}

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/waiter.ipp>
#endif

#endif
