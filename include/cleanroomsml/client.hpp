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
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/model/client_operations.hpp>
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

/// The operations `async_<op>(...)` and the waiters are generated from the
/// model into detail::client_operations (model/client_operations.hpp):
///
///   async_wait_until_<resource>_active(get request or ARN[, wait_options][, diagnostics&][, token])
///   async_wait_until_<resource>_deleted(...)            // where the resource can be deleted
///   async_wait_until_<export job>_active(listing, name[, ...])
///
/// A waiter polls until the resource is ACTIVE (completing with its Get
/// response, or the export job's listed summary) or deleted (the Get answers
/// ResourceNotFoundException, or INACTIVE for ML input channels and trained
/// models, whose records stay without their data). A failure state
/// (*_FAILED; a deletion, cancellation or INACTIVE while waiting for ACTIVE)
/// completes with client_errc::waiter_failure, the status and its
/// statusDetails in the diagnostics; no success after max_wait, with
/// client_errc::waiter_timeout; a poll that fails (after the client's own
/// retries), with that poll's error and diagnostics. Statuses this version
/// does not know keep the waiter polling, unless they end in _FAILED.
/// Cancellation works during a poll and a sleep.
class client : public detail::client_operations {
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

private:
    CLEANROOMSML_DECL void shutdown() noexcept;
};

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/client.ipp>
#endif

#endif
