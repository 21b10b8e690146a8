#ifndef CLEANROOMSML_DETAIL_CALL_HPP
#define CLEANROOMSML_DETAIL_CALL_HPP

// The bridge from the typed operations to the one I/O driver. A call's
// request, response and handler live in a call_data<Request>; the driver
// (impl/client.ipp, not a template) sees only its call_base: the
// operation's metadata, the type tables of input and output and untyped
// pointers to both. Per operation, the only instantiated code is this file's
// small templates.

#include <cleanroomsml/call_options.hpp>
#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/operation.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>

#include <memory>
#include <optional>
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

    virtual ~call_base() = default;
    /// The caller's cancellation slot (may be unconnected).
    virtual asio::cancellation_slot cancellation_slot() const noexcept = 0;
    /// Completes the caller's handler through its executor (`fallback` when it has none).
    virtual void complete(error_code ec, asio::any_io_executor const& fallback) = 0;
};

/// Whether `ex` is an io_context's executor that this thread runs, where
/// asio::dispatch would run a handler at once.
CLEANROOMSML_DECL bool runs_in_this_thread(asio::any_completion_executor const& ex) noexcept;

template <class Request>
struct call_data final : call_base {
    using response_type = typename operation_traits<Request>::response;
    using handler_type = asio::any_completion_handler<void(error_code, response_type)>;

    call_data(Request&& r, std::optional<call_options> const& opts, diagnostics* d, handler_type&& h)
        : req(std::move(r)), handler(std::move(h))
    {
        op = &operation_traits<Request>::info;
        input = &type_of<Request>();
        output = &type_of<response_type>();
        request = &req;
        response = &resp;
        if (opts) options = *opts;
        user_diag = d;
    }

    asio::cancellation_slot cancellation_slot() const noexcept override
    {
        return asio::get_associated_cancellation_slot(handler);
    }

    void complete(error_code ec, asio::any_io_executor const& fallback) override
    {
        if (user_diag) *user_diag = diag;
        if (ec) resp = response_type{};
        auto ex = asio::get_associated_executor(handler, fallback);
        if (runs_in_this_thread(ex)) {
            // What dispatch would do, without first moving the handler and
            // the response into a type-erased function object.
            std::move(handler)(ec, std::move(resp));
            return;
        }
        asio::dispatch(ex, asio::append(std::move(handler), ec, std::move(resp)));
    }

    Request req;
    response_type resp{};
    handler_type handler;
};

/// Runs a call: validation, endpoint, signing, the pool, retries, timeouts.
CLEANROOMSML_DECL void start_call(std::shared_ptr<client_impl> const& impl, std::unique_ptr<call_base> call);

template <class Request>
struct call_initiation {
    std::shared_ptr<client_impl> impl;

    template <class Handler>
    void operator()(Handler&& handler, Request request, std::optional<call_options> const& opts, diagnostics* diag)
    {
        start_call(impl, std::make_unique<call_data<Request>>(
                             std::move(request), opts, diag,
                             typename call_data<Request>::handler_type(std::forward<Handler>(handler))));
    }
};

template <class Request, class Token>
auto async_call(std::shared_ptr<client_impl> const& impl, Request&& request, call_options const* opts,
                diagnostics* diag, Token&& token)
{
    using response = typename operation_traits<std::decay_t<Request>>::response;
    return asio::async_initiate<Token, void(error_code, response)>(
        call_initiation<std::decay_t<Request>>{impl}, token, std::forward<Request>(request),
        opts ? std::optional<call_options>(*opts) : std::nullopt, diag);
}

} // namespace cleanroomsml::detail

#endif
