#ifndef CLEANROOMSML_DETAIL_WAITER_HPP
#define CLEANROOMSML_DETAIL_WAITER_HPP

// The waiters' machinery. One driver, waiter_base (impl/waiter.ipp, not a
// template), starts the polls, judges the status each one saw, sleeps with
// backoff and jitter, times out and handles cancellation. What differs per
// resource is only how a poll is made and read: get_waiter<Request, Goal>
// for the resources with a Get operation (a small table below names them),
// export_job_waiter for export jobs, which have no Get and are looked up
// by name in ListAudienceExportJobs, page after page. The caller's handler is type-erased,
// so a waiter's code exists once per resource, not once per token.
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
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

/// The resources with a Get operation that waiters poll, and how messages name them.
#define CLEANROOMSML_FOR_EACH_WAITED_RESOURCE(X)                                                                    \
    X(training_dataset, "training dataset")                                                                         \
    X(audience_model, "audience model")                                                                             \
    X(configured_audience_model, "configured audience model")                                                       \
    X(audience_generation_job, "audience generation job")

enum class wait_goal { active, deleted };
enum class poll_verdict { success, failure, pending };

/// What one poll saw of the resource.
struct poll_seen {
    bool listed = true;  ///< false: the listing does not have it (yet)
    std::string status;
    std::optional<status_details> details;
};

/// Whether `status` ends a wait for `goal`; unknown statuses are pending.
CLEANROOMSML_DECL poll_verdict judge_status(wait_goal goal, std::string_view status) noexcept;

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
                                  std::string_view noun, std::string id, diagnostics* diag);
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
    /// What is waited for: the ARN, or the export job's name and generation job.
    std::string const& id() const noexcept { return id_; }

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

/// Per Get request: how messages name the resource, which member holds its ARN.
template <class Request>
struct waited_resource;

#define CLEANROOMSML_WAITED_RESOURCE(resource, noun)                                                                \
    template <>                                                                                                     \
    struct waited_resource<get_##resource##_request> {                                                              \
        static constexpr std::string_view name = noun;                                                              \
        static constexpr auto arn = &get_##resource##_request::resource##_arn;                                      \
    };
CLEANROOMSML_FOR_EACH_WAITED_RESOURCE(CLEANROOMSML_WAITED_RESOURCE)
#undef CLEANROOMSML_WAITED_RESOURCE

template <class Request, wait_goal Goal>
using get_waiter_base = std::conditional_t<Goal == wait_goal::active,
                                           waiter_with_handler<typename operation_traits<Request>::response>,
                                           waiter_with_handler<>>;

// Polls a Get operation. Active waiters complete with its last response.
template <class Request, wait_goal Goal>
class get_waiter final : public get_waiter_base<Request, Goal> {
    using base = get_waiter_base<Request, Goal>;

public:
    using response = typename operation_traits<Request>::response;
    using typename base::handler_type;

    get_waiter(handler_type handler, std::shared_ptr<client_impl> impl, wait_options const& options, std::string arn,
               diagnostics* diag)
        : base(std::move(handler), std::move(impl), options, Goal, waited_resource<Request>::name, std::move(arn),
               diag)
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
        Request req{};
        req.*waited_resource<Request>::arn = this->id();
        this->pending = true;
        async_call(this->impl, std::move(req), &this->options.call, &this->poll_diag,
                   waiter_step<get_waiter, &get_waiter::on_response>{
                       std::static_pointer_cast<get_waiter>(this->shared_from_this())});
    }
};

// Looks an export job up by name among its generation job's export jobs, all pages.
class export_job_waiter final : public waiter_with_handler<audience_export_job_summary> {
public:
    CLEANROOMSML_DECL export_job_waiter(handler_type handler, std::shared_ptr<client_impl> impl,
                                        wait_options const& options, std::string generation_job_arn,
                                        std::string name, diagnostics* diag);

    CLEANROOMSML_DECL void on_page(error_code ec, std::optional<list_audience_export_jobs_response> page);

private:
    CLEANROOMSML_DECL void poll() override;
    CLEANROOMSML_DECL void next_page();

    std::string name_;
    list_audience_export_jobs_request request_;
    // This poll's walk through the listing (it also refuses repeated tokens).
    std::optional<paginator<list_audience_export_jobs_request>> pages_;
};

template <class Request, wait_goal Goal>
struct get_wait_initiation {
    std::shared_ptr<client_impl> impl;

    template <class Handler>
    void operator()(Handler&& handler, std::string arn, wait_options const& options, diagnostics* diag) const
    {
        using waiter = get_waiter<Request, Goal>;
        auto w = std::make_shared<waiter>(typename waiter::handler_type(std::forward<Handler>(handler)), impl,
                                          options, std::move(arn), diag);
        w->begin();
    }
};

struct export_job_wait_initiation {
    std::shared_ptr<client_impl> impl;

    template <class Handler>
    void operator()(Handler&& handler, std::string generation_job_arn, std::string name, wait_options const& options,
                    diagnostics* diag) const
    {
        auto w = std::make_shared<export_job_waiter>(export_job_waiter::handler_type(std::forward<Handler>(handler)),
                                                     impl, options, std::move(generation_job_arn), std::move(name),
                                                     diag);
        w->begin();
    }
};

// The initiating functions; `diag` last, as with_diagnostics expects.
template <class Request, wait_goal Goal, class Token>
auto async_wait(std::shared_ptr<client_impl> const& impl, std::string arn, wait_options const& options,
                diagnostics* diag, Token&& token)
{
    return asio::async_initiate<Token, typename get_waiter<Request, Goal>::signature>(
        get_wait_initiation<Request, Goal>{impl}, token, std::move(arn), options, diag);
}

template <class Token>
auto async_wait_export_job(std::shared_ptr<client_impl> const& impl, std::string generation_job_arn,
                           std::string name, wait_options const& options, diagnostics* diag, Token&& token)
{
    return asio::async_initiate<Token, export_job_waiter::signature>(export_job_wait_initiation{impl}, token,
                                                                     std::move(generation_job_arn), std::move(name),
                                                                     options, diag);
}

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/waiter.ipp>
#endif

#endif
