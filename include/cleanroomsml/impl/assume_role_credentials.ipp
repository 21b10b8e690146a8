#ifndef CLEANROOMSML_IMPL_ASSUME_ROLE_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_ASSUME_ROLE_CREDENTIALS_IPP

#include <cleanroomsml/assume_role_credentials.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/sts.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/this_coro.hpp>

#include <memory>

namespace cleanroomsml {

namespace detail::assume_role_impl {

class assume_role_source final : public credentials_source, public std::enable_shared_from_this<assume_role_source> {
public:
    assume_role_source(credentials_provider source, assume_role_options options)
        : source_(std::move(source)), options_(std::move(options))
    {
    }

    std::string_view name() const noexcept override { return "assume-role"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<assume_role_source> self);

    credentials_provider const source_;
    assume_role_options const options_;
};

inline asio::awaitable<credentials_fetch_result> assume_role_source::fetch(std::shared_ptr<assume_role_source> self)
{
    auto const& o = self->options_;
    if (o.role_arn.empty() || !self->source_) {
        credentials_fetch_result out;
        out.ec = client_errc::missing_credentials;
        out.diag.message = o.role_arn.empty() ? "assume-role: no role ARN is configured"
                                              : "assume-role: no source credentials provider is configured";
        co_return out;
    }
    auto ex = co_await asio::this_coro::executor;
    diagnostics source_diag;
    auto [sec, source_creds] = co_await self->source_.async_get_credentials(ex, source_diag, as_tuple_awaitable);
    if (sec) {
        credentials_fetch_result out;
        out.ec = sec;
        out.diag = std::move(source_diag);
        out.diag.message = "assume-role " + o.role_arn + ": the source credentials (" +
                           std::string(self->source_.name()) + ") failed: " + out.diag.message;
        co_return out;
    }
    sts_assume_role_params params;
    params.role_arn = o.role_arn;
    params.session_name = o.session_name.empty() ? generated_session_name() : o.session_name;
    params.external_id = o.external_id;
    params.duration = o.duration;
    sts_call_options call;
    call.region = o.region;
    call.endpoint = o.sts_endpoint;
    call.timeout = o.timeout;
    call.ca_file = o.ca_file;
    auto out = co_await sts_assume_role(std::move(call), std::move(params), std::move(source_creds));
    if (out.ec) out.diag.message = "assume-role " + o.role_arn + ": " + out.diag.message;
    co_return out;
}

} // namespace detail::assume_role_impl

CLEANROOMSML_DECL credentials_provider assume_role_credentials(credentials_provider source, assume_role_options options)
{
    return credentials_provider(
        std::make_shared<detail::assume_role_impl::assume_role_source>(std::move(source), std::move(options)));
}

} // namespace cleanroomsml

#endif
