#ifndef CLEANROOMSML_CREDENTIALS_PROVIDER_HPP
#define CLEANROOMSML_CREDENTIALS_PROVIDER_HPP

// Where credentials come from. A credentials_provider is a cheap, copyable
// handle on a credentials_source; every source fetches asynchronously on
// the caller's executor, so no thread blocks on files, processes or HTTP.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/append.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/post.hpp>

#include <memory>
#include <string_view>
#include <utility>

namespace cleanroomsml {

namespace asio = boost::asio;

/// One way of obtaining credentials. Implementations complete their
/// handler through the executor (never from inside async_fetch) with
/// client_errc::missing_credentials when they are simply not configured
/// (a chain then tries the next source) and with another code when they are
/// configured but fail (a chain then stops, as the AWS SDKs do). On failure
/// they describe the problem in `diag` when it is not null; they never put
/// a secret into it.
class credentials_source {
public:
    using handler_type = asio::any_completion_handler<void(error_code, credentials)>;

    virtual ~credentials_source() = default;

    /// Short name for diagnostics: "environment", "profile dev", "imds".
    virtual std::string_view name() const noexcept = 0;

    virtual void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) = 0;

    /// The credentials, when they are at hand and fresh without any I/O;
    /// null otherwise (then async_fetch). A client's hot path: no handler,
    /// no post, no copy of the keys.
    virtual std::shared_ptr<credentials const> current() { return nullptr; }
};

/// A handle on a credentials_source; converts implicitly from static keys.
class credentials_provider {
public:
    /// No source: the client then uses default_credentials_chain().
    credentials_provider() = default;

    /// Static keys.
    CLEANROOMSML_DECL credentials_provider(credentials c);

    explicit credentials_provider(std::shared_ptr<credentials_source> source) noexcept : source_(std::move(source)) {}

    explicit operator bool() const noexcept { return source_ != nullptr; }

    std::string_view name() const noexcept { return source_ ? source_->name() : std::string_view{"none"}; }

    /// See credentials_source::current().
    std::shared_ptr<credentials const> current() const { return source_ ? source_->current() : nullptr; }

    std::shared_ptr<credentials_source> const& source() const noexcept { return source_; }

    /// Completes with `void(error_code, credentials)`.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, credentials)) Token = asio::deferred_t>
    auto async_get_credentials(asio::any_io_executor ex, Token&& token = {}) const
    {
        return async_get_credentials_impl(std::move(ex), nullptr, std::forward<Token>(token));
    }

    /// As above; on failure `diag` says which source failed and why.
    template <BOOST_ASIO_COMPLETION_TOKEN_FOR(void(error_code, credentials)) Token = asio::deferred_t>
    auto async_get_credentials(asio::any_io_executor ex, diagnostics& diag, Token&& token = {}) const
    {
        return async_get_credentials_impl(std::move(ex), &diag, std::forward<Token>(token));
    }

private:
    template <class Token>
    auto async_get_credentials_impl(asio::any_io_executor ex, diagnostics* diag, Token&& token) const
    {
        return asio::async_initiate<Token, void(error_code, credentials)>(
            [](auto handler, diagnostics* diag, std::shared_ptr<credentials_source> src, asio::any_io_executor ex) {
                if (!src) {
                    if (diag) diag->message = "no credentials provider is configured";
                    asio::post(ex, asio::append(std::move(handler), error_code(client_errc::missing_credentials),
                                                credentials{}));
                    return;
                }
                src->async_fetch(std::move(ex), diag, std::move(handler));
            },
            token, diag, source_, std::move(ex));
    }

    std::shared_ptr<credentials_source> source_;
};

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/credentials_provider.ipp>
#endif

#endif
