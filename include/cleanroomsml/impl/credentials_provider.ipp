#ifndef CLEANROOMSML_IMPL_CREDENTIALS_PROVIDER_IPP
#define CLEANROOMSML_IMPL_CREDENTIALS_PROVIDER_IPP

#include <cleanroomsml/credentials_provider.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

namespace cleanroomsml {

namespace detail {

// Keys given in code: always available, never refreshed.
class static_credentials_source final : public credentials_source {
public:
    explicit static_credentials_source(credentials c) : creds_(std::make_shared<credentials const>(std::move(c))) {}

    std::string_view name() const noexcept override { return "static"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        error_code ec;
        if (!usable()) {
            ec = client_errc::missing_credentials;
            if (diag) diag->message = "static credentials need an access key id and a secret access key";
        }
        // Through ex, then on the handler's own executor: never inline.
        asio::post(ex, asio::append(std::move(handler), ec, ec ? credentials{} : *creds_));
    }

    std::shared_ptr<credentials const> current() override { return usable() ? creds_ : nullptr; }

private:
    bool usable() const noexcept { return !creds_->access_key_id.empty() && !creds_->secret_access_key.empty(); }

    std::shared_ptr<credentials const> creds_;
};

} // namespace detail

CLEANROOMSML_DECL credentials_provider::credentials_provider(credentials c)
    : source_(std::make_shared<detail::static_credentials_source>(std::move(c)))
{
}

} // namespace cleanroomsml

#endif
