#ifndef CLEANROOMSML_IMPL_CACHED_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_CACHED_CREDENTIALS_IPP

#include <cleanroomsml/cached_credentials.hpp>

#include <boost/asio/any_completion_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace cleanroomsml {

namespace detail::cached_credentials_impl {

using clock_type = std::chrono::system_clock;

class cached_credentials_source final : public credentials_source,
                                        public std::enable_shared_from_this<cached_credentials_source> {
public:
    cached_credentials_source(credentials_provider inner, cache_options opts)
        : inner_(std::move(inner)), opts_(std::move(opts)), name_("cached " + std::string(inner_.name()))
    {
        if (!opts_.clock) opts_.clock = [] { return clock_type::now(); };
        if (opts_.jitter.count() < 0) opts_.jitter = std::chrono::seconds(0);
        std::random_device rd;
        rng_.seed(rd());
    }

    std::string_view name() const noexcept override { return name_; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        bool start = false;
        {
            std::unique_lock lock(mutex_);
            auto const now = opts_.clock();
            if (fresh(now) || (cached_ && cached_->expiration && now < *cached_->expiration &&
                               now < retry_not_before_)) {
                credentials c = *cached_;
                lock.unlock();
                asio::post(ex, asio::append(std::move(handler), error_code(), std::move(c)));
                return;
            }
            // While queued, keep both the fetch's executor and the handler's
            // busy, so that their io_contexts do not run out of work.
            auto handler_work = asio::prefer(asio::get_associated_executor(handler, ex),
                                             asio::execution::outstanding_work.tracked);
            waiters_.push_back(waiter{asio::prefer(ex, asio::execution::outstanding_work.tracked),
                                      std::move(handler_work), diag, std::move(handler)});
            if (!fetching_) fetching_ = start = true;
        }
        if (start) refresh(std::move(ex));
    }

    std::shared_ptr<credentials const> current() override
    {
        std::lock_guard lock(mutex_);
        return fresh(opts_.clock()) ? cached_ : nullptr;  // otherwise async_fetch refreshes
    }

private:
    struct waiter {
        asio::any_io_executor ex;                 // tracks outstanding work while queued
        asio::any_completion_executor handler_ex;  // likewise
        diagnostics* diag;
        handler_type handler;
    };

    void refresh(asio::any_io_executor ex)
    {
        if (!inner_) {
            diagnostics d;
            d.message = "no credentials provider to cache";
            complete(client_errc::missing_credentials, credentials{}, d);
            return;
        }
        auto d = std::make_shared<diagnostics>();
        inner_.source()->async_fetch(std::move(ex), d.get(),
                                     [self = shared_from_this(), d](error_code ec, credentials c) mutable {
                                         self->complete(ec, std::move(c), *d);
                                     });
    }

    void complete(error_code ec, credentials c, diagnostics const& d)
    {
        std::vector<waiter> waiters;
        credentials result;
        {
            std::lock_guard lock(mutex_);
            auto const now = opts_.clock();
            if (!ec) {
                result = c;
                if (c.expiration) {
                    auto const exp = *c.expiration;
                    auto at = exp - opts_.refresh_before - draw_jitter();
                    if (at <= now && exp > now) at = now + (exp - now) / 2;
                    refresh_at_ = at;
                }
                cached_ = std::make_shared<credentials const>(std::move(c));
                retry_not_before_ = clock_type::time_point::min();
            } else if (cached_ && cached_->expiration && now < *cached_->expiration) {
                // Still valid: serve them, try again later.
                result = *cached_;
                ec = {};
                retry_not_before_ = now + opts_.retry_after_failure;
            } else {
                cached_.reset();
            }
            fetching_ = false;
            waiters.swap(waiters_);
        }
        for (auto& w : waiters) {
            if (ec && w.diag) *w.diag = d;
            asio::post(w.ex, asio::append(std::move(w.handler), ec, ec ? credentials{} : result));
        }
    }

    // Called with the mutex held: cached and not yet due for a refresh.
    bool fresh(clock_type::time_point now) const
    {
        return cached_ && (!cached_->expiration || now < refresh_at_);
    }

    // Called with the mutex held.
    clock_type::duration draw_jitter()
    {
        auto const max_ms = std::chrono::duration_cast<std::chrono::milliseconds>(opts_.jitter).count();
        if (max_ms <= 0) return clock_type::duration::zero();
        std::uniform_int_distribution<long long> dist(0, max_ms);
        return std::chrono::milliseconds(dist(rng_));
    }

    credentials_provider inner_;
    cache_options opts_;
    std::string name_;

    std::mutex mutex_;
    std::shared_ptr<credentials const> cached_;  // shared with current()'s callers
    clock_type::time_point refresh_at_{};
    clock_type::time_point retry_not_before_ = clock_type::time_point::min();
    bool fetching_ = false;
    std::vector<waiter> waiters_;
    std::mt19937_64 rng_;
};

} // namespace detail::cached_credentials_impl

CLEANROOMSML_DECL credentials_provider cached_credentials(credentials_provider inner, cache_options opts)
{
    return credentials_provider(std::make_shared<detail::cached_credentials_impl::cached_credentials_source>(
        std::move(inner), std::move(opts)));
}

} // namespace cleanroomsml

#endif
