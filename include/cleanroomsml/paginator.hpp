#ifndef CLEANROOMSML_PAGINATOR_HPP
#define CLEANROOMSML_PAGINATOR_HPP

// Async generators over the paginated listings, made by client::paginate
// and client::paginate_items:
//
//   auto pages = client.paginate(cleanroomsml::list_audience_models_request{.max_results = 50});
//   while (auto page = co_await pages.async_next()) ...
//
// async_next completes with `void(error_code, std::optional<page or item>)`;
// an empty optional (and no error) means the listing is over. Lazy: one
// page in flight, none before the first async_next. A page without a
// nextToken (or with an empty one) is the last; a nextToken seen before
// ends the listing with client_errc::repeated_page_token. After any other
// error the same page can be asked for again. One async_next at a time per
// generator (a second one completes with asio::error::in_progress).
// Generators share their client's state and may outlive the client object.

#include <cleanroomsml/detail/call.hpp>
#include <cleanroomsml/with_diagnostics.hpp>

#include <boost/asio/associator.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

namespace cleanroomsml {

namespace detail {

CLEANROOMSML_DECL asio::any_io_executor client_executor(client_impl const& impl) noexcept;

/// Completes `handler` with (ec, values...) outside the caller. Posted to
/// the client's executor, from where Asio hands it to the handler's own
/// associated executor; posting to that one directly would not compile for
/// a type-erased any_completion_executor in Boost 1.81.
template <class Handler, class... T>
void post_completion(client_impl const& impl, Handler&& handler, error_code ec, T&&... values)
{
    asio::post(client_executor(impl), asio::append(std::forward<Handler>(handler), ec, std::forward<T>(values)...));
}

// A handler wrapping another; the inner handler's executor, allocator and
// cancellation slot are its own.
template <class Handler, class State>
struct chained_handler {
    Handler inner;
    std::shared_ptr<State> state;

    template <class... Args>
    void operator()(Args&&... args)
    {
        state->on_complete(std::move(inner), std::forward<Args>(args)...);
    }
};

} // namespace detail

template <paginated_request Request>
class paginator {
public:
    using traits = paginator_traits<Request>;
    using response_type = typename traits::response;
    using signature = void(error_code, std::optional<response_type>);

    paginator(std::shared_ptr<detail::client_impl> impl, Request request, call_options options)
        : impl_(std::move(impl)), st_(std::make_shared<state>(std::move(request), options))
    {
    }

    /// The next page; an empty optional at the end.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next(Token&& token = {})
    {
        return async_next_with(nullptr, std::forward<Token>(token));
    }

    /// As above, filling `diag` when it fails.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next(diagnostics& diag, Token&& token = {})
    {
        return async_next_with(&diag, std::forward<Token>(token));
    }

    /// As above; `diag` may be null.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next_with(diagnostics* diag, Token&& token = {})
    {
        return asio::async_initiate<Token, signature>(initiation{impl_, st_}, token, diag);
    }

    /// Whether the last page has been delivered.
    bool done() const noexcept { return st_->done; }

    /// Pages delivered so far.
    std::size_t pages() const noexcept { return st_->pages; }

private:
    struct state {
        state(Request r, call_options o) : request(std::move(r)), options(o) {}
        Request request;
        call_options options;
        std::unordered_set<std::string> seen;
        std::size_t pages = 0;
        bool done = false;
        bool busy = false;
        diagnostics* diag = nullptr;

        template <class Handler>
        void on_complete(Handler&& h, error_code ec, response_type r)
        {
            busy = false;
            if (ec) {
                std::move(h)(ec, std::optional<response_type>());
                return;
            }
            auto const& token = r.*traits::output_token;
            if (!token || token->empty()) {
                done = true;
            } else if (!seen.insert(*token).second) {
                done = true;
                if (diag) {
                    diag->clear();
                    diag->message = "the service returned a nextToken it had returned before";
                    diag->path = "nextToken";
                }
                std::move(h)(error_code(client_errc::repeated_page_token), std::optional<response_type>());
                return;
            } else {
                request.*traits::input_token = *token;
            }
            ++pages;
            std::move(h)(ec, std::optional<response_type>(std::move(r)));
        }
    };

    struct initiation {
        std::shared_ptr<detail::client_impl> impl;
        std::shared_ptr<state> st;

        template <class Handler>
        void operator()(Handler&& handler, diagnostics* diag)
        {
            if (st->done) {
                detail::post_completion(*impl, std::forward<Handler>(handler), error_code(),
                                        std::optional<response_type>());
                return;
            }
            if (st->busy) {
                detail::post_completion(*impl, std::forward<Handler>(handler),
                                        error_code(asio::error::in_progress), std::optional<response_type>());
                return;
            }
            st->busy = true;
            st->diag = diag;
            Request copy = st->request;
            detail::async_call(impl, std::move(copy), &st->options, diag,
                               detail::chained_handler<std::decay_t<Handler>, state>{std::forward<Handler>(handler),
                                                                                     st});
        }
    };

    std::shared_ptr<detail::client_impl> impl_;
    std::shared_ptr<state> st_;
};

template <paginated_request Request>
class item_paginator {
public:
    using traits = paginator_traits<Request>;
    using item_type = typename traits::item;
    using page_type = typename traits::response;
    using signature = void(error_code, std::optional<item_type>);

    item_paginator(std::shared_ptr<detail::client_impl> impl, Request request, call_options options)
        : impl_(impl), st_(std::make_shared<state>(paginator<Request>(std::move(impl), std::move(request), options)))
    {
    }

    /// The next item; an empty optional at the end.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next(Token&& token = {})
    {
        return async_next_with(nullptr, std::forward<Token>(token));
    }

    /// As above, filling `diag` when it fails.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next(diagnostics& diag, Token&& token = {})
    {
        return async_next_with(&diag, std::forward<Token>(token));
    }

    /// As above; `diag` may be null.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(signature) Token = default_token>
    auto async_next_with(diagnostics* diag, Token&& token = {})
    {
        return asio::async_initiate<Token, signature>(initiation{impl_, st_}, token, diag);
    }

    std::size_t pages() const noexcept { return st_->pages.pages(); }

private:
    struct state {
        explicit state(paginator<Request> p) : pages(std::move(p)) {}
        paginator<Request> pages;
        std::deque<item_type> items;
        std::shared_ptr<state> self_ref;  // set while a page is being fetched
        diagnostics* diag = nullptr;

        template <class Handler>
        void fetch(Handler&& h)
        {
            pages.async_next_with(diag, detail::chained_handler<std::decay_t<Handler>, state>{std::forward<Handler>(h),
                                                                                            self_ref});
        }

        template <class Handler>
        void on_complete(Handler&& h, error_code ec, std::optional<page_type> page)
        {
            if (ec || !page) {
                self_ref.reset();
                std::move(h)(ec, std::optional<item_type>());
                return;
            }
            for (auto& i : (*page).*traits::items) items.push_back(std::move(i));
            if (items.empty()) {
                fetch(std::move(h));  // an empty page that is not the last: go on
                return;
            }
            self_ref.reset();
            auto first = std::move(items.front());
            items.pop_front();
            std::move(h)(error_code(), std::optional<item_type>(std::move(first)));
        }
    };

    struct initiation {
        std::shared_ptr<detail::client_impl> impl;
        std::shared_ptr<state> st;

        template <class Handler>
        void operator()(Handler&& handler, diagnostics* diag)
        {
            if (!st->items.empty()) {
                auto first = std::move(st->items.front());
                st->items.pop_front();
                detail::post_completion(*impl, std::forward<Handler>(handler), error_code(),
                                        std::optional<item_type>(std::move(first)));
                return;
            }
            st->diag = diag;
            st->self_ref = st;
            st->fetch(std::forward<Handler>(handler));
        }
    };

    std::shared_ptr<detail::client_impl> impl_;
    std::shared_ptr<state> st_;
};

} // namespace cleanroomsml

namespace boost::asio {

template <template <class, class> class Associator, class Handler, class State, class DefaultCandidate>
struct associator<Associator, cleanroomsml::detail::chained_handler<Handler, State>, DefaultCandidate>
    : Associator<Handler, DefaultCandidate> {
    static typename Associator<Handler, DefaultCandidate>::type
    get(cleanroomsml::detail::chained_handler<Handler, State> const& h) noexcept
    {
        return Associator<Handler, DefaultCandidate>::get(h.inner);
    }
    static auto get(cleanroomsml::detail::chained_handler<Handler, State> const& h,
                    DefaultCandidate const& c) noexcept -> decltype(Associator<Handler, DefaultCandidate>::get(h.inner, c))
    {
        return Associator<Handler, DefaultCandidate>::get(h.inner, c);
    }
};

} // namespace boost::asio

#endif
