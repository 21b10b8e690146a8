#ifndef CLEANROOMSML_WITH_DIAGNOSTICS_HPP
#define CLEANROOMSML_WITH_DIAGNOSTICS_HPP

// A completion token adapter that turns the `void(error_code, T)` of this
// library's operations into `void(std::exception_ptr, T)`, the exception
// being an error_with_diagnostics. Asio builds exceptions from the code
// alone; this one also carries the service's message, HTTP status and
// request id. The operations' default token is
// `with_diagnostics(asio::deferred)`, so `co_await client.async_x(req)` throws it.
//
// It works with the operations of this library only: they take a
// `diagnostics*` as their initiation's first argument. When the caller passed
// none, a client call lends the handler its own diagnostics at completion;
// paginators and waiters get the adapter's own, allocated per operation.

#include <cleanroomsml/detail/asio_fixes.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error_with_diagnostics.hpp>

#include <boost/asio/associator.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>

#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

namespace cleanroomsml {

namespace asio = boost::asio;

template <class Token>
struct with_diagnostics_t {
    Token token;
};

/// Wraps a completion token; see the top of this header.
template <class Token>
constexpr with_diagnostics_t<std::decay_t<Token>> with_diagnostics(Token&& token)
{
    return {std::forward<Token>(token)};
}

/// The operations' default completion token.
using default_token = with_diagnostics_t<asio::deferred_t>;

namespace detail {

template <class Handler>
struct diagnostics_handler {
    Handler handler;
    std::unique_ptr<diagnostics> owned;  // when the caller gave none and the operation lends none
    diagnostics* diag;                   // the caller's or owned; null when the operation lends its own

    /// Tells an operation that lends its diagnostics (see complete_with) to
    /// complete through complete_with.
    static constexpr bool borrows_diagnostics = true;

    template <class... T>
    void operator()(error_code ec, T&&... values)
    {
        complete(diag, ec, std::forward<T>(values)...);
    }

    /// Completion by an operation that kept the call's diagnostics: when the
    /// caller gave none, the exception is built from `lent` (no copy).
    template <class... T>
    void complete_with(diagnostics& lent, error_code ec, T&&... values)
    {
        complete(diag ? diag : &lent, ec, std::forward<T>(values)...);
    }

private:
    template <class... T>
    void complete(diagnostics* d, error_code ec, T&&... values)
    {
        std::exception_ptr ex;
        if (ec) ex = d ? make_error_with_diagnostics(ec, *d) : make_error_with_diagnostics(ec, diagnostics{});
        owned.reset();
        std::move(handler)(std::move(ex), std::forward<T>(values)...);
    }
};

template <class Initiation>
struct diagnostics_initiation {
    Initiation init;

    template <class Handler, class... Args>
    void operator()(Handler&& handler, diagnostics* given, Args&&... args)
    {
        using wrapped = diagnostics_handler<std::decay_t<Handler>>;
        std::unique_ptr<diagnostics> owned;
        // The client's operations keep a call's diagnostics until its handler
        // has run and lend them to complete_with(): nothing to allocate. Other
        // initiations (paginators, waiters) write into the adapter's own.
        if constexpr (!requires { Initiation::lends_diagnostics; }) {
            if (!given) {
                owned = std::make_unique<diagnostics>();
                given = owned.get();
            }
        }
        std::move(init)(wrapped{std::forward<Handler>(handler), std::move(owned), given}, given,
                        std::forward<Args>(args)...);
    }
};

} // namespace detail
} // namespace cleanroomsml

namespace boost::asio {

template <class Token, class... T>
struct async_result<cleanroomsml::with_diagnostics_t<Token>, void(cleanroomsml::error_code, T...)> {
    template <class Initiation, class RawToken, class... Args>
    static auto initiate(Initiation&& init, RawToken&& token, Args&&... args)
    {
        return async_initiate<Token, void(std::exception_ptr, T...)>(
            cleanroomsml::detail::diagnostics_initiation<std::decay_t<Initiation>>{std::forward<Initiation>(init)},
            token.token, std::forward<Args>(args)...);
    }
};

template <template <class, class> class Associator, class Handler, class DefaultCandidate>
struct associator<Associator, cleanroomsml::detail::diagnostics_handler<Handler>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type
    get(cleanroomsml::detail::diagnostics_handler<Handler> const& h) noexcept
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler);
    }
    static auto get(cleanroomsml::detail::diagnostics_handler<Handler> const& h, DefaultCandidate const& c) noexcept
        -> decltype(Associator<Handler, DefaultCandidate>::get(h.handler, c))
    {
        return Associator<Handler, DefaultCandidate>::get(h.handler, c);
    }
};

} // namespace boost::asio

#endif
