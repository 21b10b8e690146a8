#ifndef CLEANROOMSML_DETAIL_CALL_HPP
#define CLEANROOMSML_DETAIL_CALL_HPP

// The bridge from the typed operations to the one I/O driver. A call's
// request, response and completion handler live in one call_data<Request,
// Handler>, allocated with the handler's allocator; the driver
// (impl/client.ipp, not a template) sees only its call_base: the
// operation's metadata, the type tables of input and output and untyped
// pointers to both. Per operation and handler type, the only instantiated
// code is this file's small templates. Keeping the handler's own type (not
// an any_completion_handler) saves a type-erased copy of it per call and
// lets the completion find its executor without building a type-erased one.

#include <cleanroomsml/call_options.hpp>
#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/operation.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_allocator.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace cleanroomsml::detail {

namespace asio = boost::asio;

class client_impl;

struct call_base {
    operation_info const* op = nullptr;
    type_info const* input = nullptr;
    type_info const* output = nullptr;
    void const* request = nullptr;
    void* response = nullptr;
    call_options options{};
    diagnostics diag{};
    diagnostics* user_diag = nullptr;

    error_code result{};                 ///< what complete() hands to invoke()
    asio::io_context* inline_ctx = nullptr;  ///< see inline_context()

    /// The caller's cancellation slot (may be unconnected).
    virtual asio::cancellation_slot cancellation_slot() const noexcept = 0;
    /// Completes the caller's handler through its executor (`fallback` when
    /// it has none) and frees the call: `this` is gone afterwards.
    CLEANROOMSML_DECL void complete(error_code ec, asio::any_io_executor const& fallback);
    /// Runs the handler with the stored result (an empty response after a
    /// failure), then frees the call.
    virtual void invoke() = 0;
    /// Hands the call to its handler's executor, which invokes it.
    virtual void dispatch(asio::any_io_executor const& fallback) = 0;
    /// Frees the call without completing it (its handler is destroyed).
    virtual void destroy() noexcept = 0;

protected:
    ~call_base() = default;  // destroy() frees a call, with its handler's allocator
};

struct call_deleter {
    void operator()(call_base* c) const noexcept { c->destroy(); }
};
using call_ptr = std::unique_ptr<call_base, call_deleter>;

// What goes to the handler's executor when the handler cannot run at once.
// One type for every operation: Asio's dispatch machinery (a type-erased
// function, its allocator, a work guard) is instantiated per executor type,
// not once per operation and handler.
struct call_completion {
    call_ptr call;
    void operator()() { call.release()->invoke(); }
};

/// The io_context whose own thread may run the handler at once, as
/// asio::dispatch would: the one behind the handler's associated executor
/// when that is the io_context's executor, null otherwise (a strand, a
/// thread pool, ...: those go through asio::dispatch).
template <class Executor>
asio::io_context* inline_context(Executor const& ex) noexcept
{
    if constexpr (std::is_same_v<Executor, asio::io_context::executor_type>) {
        return &ex.context();
    } else if constexpr (std::is_same_v<Executor, asio::any_io_executor>) {
        auto const* io = ex.template target<asio::io_context::executor_type>();
        return io ? &io->context() : nullptr;
    } else {
        return nullptr;
    }
}

// What a call holds of its operation: the request, the response, and the
// metadata the driver reads. Its functions are defined out of the class so
// that, with CLEANROOMSML_SEPARATE_COMPILATION, they are compiled once per
// operation in src.hpp (model/client_operations.hpp declares them extern):
// moving and destroying a request or a response is most of a call's code.
template <class Request>
struct call_payload : call_base {
    using response_type = typename operation_traits<Request>::response;

    call_payload(Request&& r, std::optional<call_options> const& opts, diagnostics* d);
    ~call_payload();
    call_payload(call_payload const&) = delete;
    call_payload& operator=(call_payload const&) = delete;

    /// The response to complete with: an empty one after a failure.
    response_type take_response();

    Request req;
    response_type resp{};
};

template <class Request>
call_payload<Request>::call_payload(Request&& r, std::optional<call_options> const& opts, diagnostics* d)
    : req(std::move(r))
{
    op = &operation_traits<Request>::info;
    input = &type_of<Request>();
    output = &type_of<response_type>();
    request = &req;
    response = &resp;
    if (opts) options = *opts;
    user_diag = d;
}

template <class Request>
call_payload<Request>::~call_payload() = default;

template <class Request>
typename call_payload<Request>::response_type call_payload<Request>::take_response()
{
    if (result) return response_type{};
    return std::move(resp);
}

template <class Request, class Handler>
struct call_data final : call_payload<Request> {
    using allocator_type = typename std::allocator_traits<
        asio::associated_allocator_t<Handler>>::template rebind_alloc<call_data>;

    call_data(Request&& r, std::optional<call_options> const& opts, diagnostics* d, Handler&& h,
              asio::any_io_executor const& fallback)
        : call_payload<Request>(std::move(r), opts, d), handler(std::move(h))
    {
        this->inline_ctx = detail::inline_context(asio::get_associated_executor(handler, fallback));
    }

    static call_ptr make(Request&& r, std::optional<call_options> const& opts, diagnostics* d, Handler&& h,
                         asio::any_io_executor const& fallback)
    {
        allocator_type alloc(asio::get_associated_allocator(h));
        call_data* p = std::allocator_traits<allocator_type>::allocate(alloc, 1);
        try {
            ::new (static_cast<void*>(p)) call_data(std::move(r), opts, d, std::move(h), fallback);
        } catch (...) {
            std::allocator_traits<allocator_type>::deallocate(alloc, p, 1);
            throw;
        }
        return call_ptr(p);
    }

    asio::cancellation_slot cancellation_slot() const noexcept override
    {
        return asio::get_associated_cancellation_slot(handler);
    }

    void invoke() override
    {
        call_ptr const self(this);  // freed after the handler, even if it throws
        if constexpr (requires { Handler::borrows_diagnostics; })
            std::move(handler).complete_with(this->diag, this->result, this->take_response());
        else
            std::move(handler)(this->result, this->take_response());
    }

    void dispatch(asio::any_io_executor const& fallback) override
    {
        asio::dispatch(asio::get_associated_executor(handler, fallback), call_completion{call_ptr(this)});
    }

    void destroy() noexcept override
    {
        allocator_type alloc(asio::get_associated_allocator(handler));
        this->~call_data();
        std::allocator_traits<allocator_type>::deallocate(alloc, this, 1);
    }

    Handler handler;
};

/// Runs a call: validation, endpoint, signing, the pool, retries, timeouts.
CLEANROOMSML_DECL void start_call(std::shared_ptr<client_impl> const& impl, call_ptr call);

CLEANROOMSML_DECL asio::any_io_executor client_executor(client_impl const& impl) noexcept;

template <class Request>
struct call_initiation {
    std::shared_ptr<client_impl> impl;

    /// A with_diagnostics handler gets the call's own diagnostics when it
    /// runs (call_data::invoke), instead of allocating its own per call.
    static constexpr bool lends_diagnostics = true;

    // The request by reference: the token's machinery holds it until now,
    // and it is moved once, into the call.
    template <class Handler>
    void operator()(Handler&& handler, diagnostics* diag, Request&& request,
                    std::optional<call_options> const& opts)
    {
        using data = call_data<Request, std::decay_t<Handler>>;
        std::decay_t<Handler> h(std::forward<Handler>(handler));
        start_call(impl, data::make(std::move(request), opts, diag, std::move(h), client_executor(*impl)));
    }
};

template <class Request, class Token>
auto async_call(std::shared_ptr<client_impl> const& impl, Request&& request, call_options const* opts,
                diagnostics* diag, Token&& token)
{
    using response = typename operation_traits<std::decay_t<Request>>::response;
    return asio::async_initiate<Token, void(error_code, response)>(
        call_initiation<std::decay_t<Request>>{impl}, token, diag,
        std::forward<Request>(request),
        opts ? std::optional<call_options>(*opts) : std::nullopt);
}

} // namespace cleanroomsml::detail

#endif
