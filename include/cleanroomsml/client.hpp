#ifndef CLEANROOMSML_CLIENT_HPP
#define CLEANROOMSML_CLIENT_HPP

// The Clean Rooms ML client: one awaitable operation per API operation.
//
//   cleanroomsml::client client{co_await asio::this_coro::executor, cfg};
//   cleanroomsml::get_audience_model_request req{.audience_model_arn = arn};
//   auto model = co_await client.async_get_audience_model(std::move(req));
//
// Every operation `async_<op>(request[, call_options][, diagnostics&][, token])`
// completes with `void(error_code, <op>_response)`. The default token,
// `with_diagnostics(asio::deferred)`, makes a plain `co_await` throw an
// error_with_diagnostics; `asio::as_tuple(...)`, callbacks, `use_future`
// and `use_awaitable` work as with any Asio operation. The request is taken
// by value. The handler runs through its associated executor (by default the
// client's), never inside the initiating call.
//
// Threading: the client's state lives on a strand of the executor it was
// built with, so one client may be shared by many coroutines, on one thread
// or on a multi-threaded io_context. Given a strand, the client uses it as is;
// with client_config::single_threaded it uses the executor itself, for an
// io_context that one thread runs. Destroying the client closes its idle
// connections; calls still running keep what they need alive and finish.
// Cancellation: terminal and partial cancellation through the handler's
// cancellation slot stop a call at any point (connecting, waiting for a
// response, sleeping before a retry); it completes with
// asio::error::operation_aborted and its connection is closed.

#include <cleanroomsml/call_options.hpp>
#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/detail/call.hpp>
#include <cleanroomsml/detail/waiter.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/model/operations.hpp>
#include <cleanroomsml/paginator.hpp>
#include <cleanroomsml/wait_options.hpp>
#include <cleanroomsml/with_diagnostics.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <memory>
#include <string>
#include <utility>

namespace cleanroomsml {

/// Counters of a client's connection pool, for monitoring and tests.
struct pool_stats {
    std::size_t open = 0;     ///< connections that exist now (idle, busy or opening)
    std::size_t idle = 0;     ///< of which idle
    std::size_t opened = 0;   ///< connections opened so far
    std::size_t waiting = 0;  ///< calls waiting for a free connection
};

class client {
public:
    using executor_type = asio::any_io_executor;

    /// Resolves the endpoint and prepares TLS; a configuration error (no
    /// region, a malformed endpoint URL, an unreadable CA file) does not
    /// throw: every call then fails with it.
    CLEANROOMSML_DECL client(asio::any_io_executor ex, client_config config);
    CLEANROOMSML_DECL ~client();
    client(client&&) noexcept = default;
    client& operator=(client&& other) noexcept
    {
        if (this != &other) {
            shutdown();
            impl_ = std::move(other.impl_);
        }
        return *this;
    }

    CLEANROOMSML_DECL executor_type get_executor() const noexcept;
    CLEANROOMSML_DECL client_config const& config() const noexcept;
    /// The pool's counters as of its last change; callable from any thread
    /// (from another one, each counter is read on its own).
    CLEANROOMSML_DECL pool_stats stats() const;

    /// Closes the idle connections now (the destructor closes them too).
    CLEANROOMSML_DECL void close_idle();

#define CLEANROOMSML_CLIENT_OPERATION(op, Request)                                                                  \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, operation_traits<Request>::response)) Token =         \
                  default_token>                                                                                    \
    auto async_##op(Request request, Token&& token = {})                                                            \
    {                                                                                                               \
        return detail::async_call(impl_, std::move(request), nullptr, nullptr, std::forward<Token>(token));         \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, operation_traits<Request>::response)) Token =         \
                  default_token>                                                                                    \
    auto async_##op(Request request, diagnostics& diag, Token&& token = {})                                         \
    {                                                                                                               \
        return detail::async_call(impl_, std::move(request), nullptr, &diag, std::forward<Token>(token));           \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, operation_traits<Request>::response)) Token =         \
                  default_token>                                                                                    \
    auto async_##op(Request request, call_options const& options, Token&& token = {})                               \
    {                                                                                                               \
        return detail::async_call(impl_, std::move(request), &options, nullptr, std::forward<Token>(token));        \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, operation_traits<Request>::response)) Token =         \
                  default_token>                                                                                    \
    auto async_##op(Request request, call_options const& options, diagnostics& diag, Token&& token = {})            \
    {                                                                                                               \
        return detail::async_call(impl_, std::move(request), &options, &diag, std::forward<Token>(token));          \
    }

    CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_CLIENT_OPERATION)
#undef CLEANROOMSML_CLIENT_OPERATION

    /// The pages of a listing, lazily: no request before the first async_next.
    template <paginated_request Request>
    paginator<Request> paginate(Request request, call_options options = {}) const
    {
        return paginator<Request>(impl_, std::move(request), options);
    }

    /// The items of a listing, page after page.
    template <paginated_request Request>
    item_paginator<Request> paginate_items(Request request, call_options options = {}) const
    {
        return item_paginator<Request>(impl_, std::move(request), options);
    }

    // Waiters: poll until the resource is ACTIVE (completing with its Get
    // response) or deleted (the Get answers ResourceNotFoundException):
    //   async_wait_until_<resource>_active(arn[, wait_options][, diagnostics&][, token])
    //   async_wait_until_<resource>_deleted(arn[, wait_options][, diagnostics&][, token])
    // A failure state (CREATE_FAILED, DELETE_FAILED; a deletion while waiting
    // for ACTIVE) completes with client_errc::waiter_failure, the status and
    // its statusDetails in the diagnostics; no success after max_wait, with
    // client_errc::waiter_timeout; a poll that fails (after the client's own
    // retries), with that poll's error and diagnostics. Unknown statuses keep
    // the waiter polling. Cancellation works during a poll and a sleep.
#define CLEANROOMSML_CLIENT_WAITER(resource, goal, Signature)                                                       \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(Signature) Token = default_token>                                     \
    auto async_wait_until_##resource##_##goal(std::string arn, Token&& token = {})                                  \
    {                                                                                                               \
        return detail::async_wait<get_##resource##_request, detail::wait_goal::goal>(                               \
            impl_, std::move(arn), wait_options{}, nullptr, std::forward<Token>(token));                            \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(Signature) Token = default_token>                                     \
    auto async_wait_until_##resource##_##goal(std::string arn, diagnostics& diag, Token&& token = {})               \
    {                                                                                                               \
        return detail::async_wait<get_##resource##_request, detail::wait_goal::goal>(                               \
            impl_, std::move(arn), wait_options{}, &diag, std::forward<Token>(token));                              \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(Signature) Token = default_token>                                     \
    auto async_wait_until_##resource##_##goal(std::string arn, wait_options const& options, Token&& token = {})     \
    {                                                                                                               \
        return detail::async_wait<get_##resource##_request, detail::wait_goal::goal>(                               \
            impl_, std::move(arn), options, nullptr, std::forward<Token>(token));                                   \
    }                                                                                                               \
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(Signature) Token = default_token>                                     \
    auto async_wait_until_##resource##_##goal(std::string arn, wait_options const& options, diagnostics& diag,      \
                                              Token&& token = {})                                                   \
    {                                                                                                               \
        return detail::async_wait<get_##resource##_request, detail::wait_goal::goal>(                               \
            impl_, std::move(arn), options, &diag, std::forward<Token>(token));                                     \
    }
#define CLEANROOMSML_CLIENT_WAITERS(resource, noun)                                                                 \
    CLEANROOMSML_CLIENT_WAITER(resource, active, void(error_code, get_##resource##_response))                       \
    CLEANROOMSML_CLIENT_WAITER(resource, deleted, void(error_code))

    CLEANROOMSML_FOR_EACH_WAITED_RESOURCE(CLEANROOMSML_CLIENT_WAITERS)
#undef CLEANROOMSML_CLIENT_WAITERS
#undef CLEANROOMSML_CLIENT_WAITER

    /// Polls ListAudienceExportJobs (filtered by the generation job, every
    /// page) until the export job named `export_job_name` is ACTIVE;
    /// completes with its summary. A job not listed yet keeps it polling.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, audience_export_job_summary)) Token = default_token>
    auto async_wait_until_audience_export_job_active(std::string generation_job_arn, std::string export_job_name,
                                                     Token&& token = {})
    {
        return detail::async_wait_export_job(impl_, std::move(generation_job_arn), std::move(export_job_name),
                                             wait_options{}, nullptr, std::forward<Token>(token));
    }
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, audience_export_job_summary)) Token = default_token>
    auto async_wait_until_audience_export_job_active(std::string generation_job_arn, std::string export_job_name,
                                                     diagnostics& diag, Token&& token = {})
    {
        return detail::async_wait_export_job(impl_, std::move(generation_job_arn), std::move(export_job_name),
                                             wait_options{}, &diag, std::forward<Token>(token));
    }
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, audience_export_job_summary)) Token = default_token>
    auto async_wait_until_audience_export_job_active(std::string generation_job_arn, std::string export_job_name,
                                                     wait_options const& options, Token&& token = {})
    {
        return detail::async_wait_export_job(impl_, std::move(generation_job_arn), std::move(export_job_name),
                                             options, nullptr, std::forward<Token>(token));
    }
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, audience_export_job_summary)) Token = default_token>
    auto async_wait_until_audience_export_job_active(std::string generation_job_arn, std::string export_job_name,
                                                     wait_options const& options, diagnostics& diag,
                                                     Token&& token = {})
    {
        return detail::async_wait_export_job(impl_, std::move(generation_job_arn), std::move(export_job_name),
                                             options, &diag, std::forward<Token>(token));
    }

private:
    CLEANROOMSML_DECL void shutdown() noexcept;

    std::shared_ptr<detail::client_impl> impl_;
};

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/client.ipp>
#endif

#endif
