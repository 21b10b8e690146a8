#ifndef CLEANROOMSML_IMPL_WEB_IDENTITY_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_WEB_IDENTITY_CREDENTIALS_IPP

#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/sts.hpp>
#include <cleanroomsml/web_identity_credentials.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>

namespace cleanroomsml {

namespace detail::web_identity_impl {

class web_identity_source final : public credentials_source,
                                  public std::enable_shared_from_this<web_identity_source> {
public:
    explicit web_identity_source(web_identity_options options) : options_(std::move(options)) {}

    std::string_view name() const noexcept override { return "web-identity"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<web_identity_source> self);

    web_identity_options const options_;
};

inline asio::awaitable<credentials_fetch_result> web_identity_source::fetch(std::shared_ptr<web_identity_source> self)
{
    auto const& o = self->options_;
    if (o.role_arn.empty() || o.token_file.empty()) {
        credentials_fetch_result out;
        out.ec = client_errc::missing_credentials;
        out.diag.message = o.role_arn.empty() && o.token_file.empty()
                               ? "web-identity: neither a role ARN nor a token file is configured"
                               : (o.role_arn.empty() ? "web-identity: a token file but no role ARN is configured"
                                                     : "web-identity: a role ARN but no token file is configured");
        co_return out;
    }
    sts_web_identity_params params;
    {
        std::string why;
        error_code ec;
        if (!read_token_file(o.token_file, 64 * 1024, params.web_identity_token, ec, why)) {
            credentials_fetch_result out;
            out.ec = ec;
            out.diag.message = "web-identity: the token file: " + why;
            co_return out;
        }
    }
    std::string& token = params.web_identity_token;
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ' || token.back() == '\t'))
        token.pop_back();
    if (token.empty()) {
        credentials_fetch_result out;
        out.ec = client_errc::invalid_configuration;
        out.diag.message = "web-identity: the token file " + o.token_file + " is empty";
        co_return out;
    }
    params.role_arn = o.role_arn;
    params.session_name = o.session_name.empty() ? generated_session_name() : o.session_name;
    params.duration = o.duration;
    sts_call_options call;
    call.region = o.region;
    call.endpoint = o.sts_endpoint;
    call.timeout = o.timeout;
    call.ca_file = o.ca_file;
    auto out = co_await sts_assume_role_with_web_identity(std::move(call), std::move(params));
    if (out.ec) out.diag.message = "web-identity: " + out.diag.message;
    co_return out;
}

} // namespace detail::web_identity_impl

CLEANROOMSML_DECL web_identity_options web_identity_options::from_environment(profile_section const* profile)
{
    web_identity_options o;
    if (auto file = detail::credentials_env("AWS_WEB_IDENTITY_TOKEN_FILE")) {
        o.token_file = std::move(*file);
        o.role_arn = detail::credentials_env("AWS_ROLE_ARN").value_or("");
    } else if (profile) {
        if (auto f = profile->get("web_identity_token_file"); f && !f->empty()) {
            o.token_file = std::string(*f);
            if (auto r = profile->get("role_arn")) o.role_arn = std::string(*r);
        }
    }
    std::string origin;
    if (auto v = detail::credentials_setting("AWS_ROLE_SESSION_NAME", profile, "role_session_name", origin))
        o.session_name = std::move(*v);
    if (auto v = detail::credentials_setting("AWS_REGION", nullptr, {}, origin))
        o.region = std::move(*v);
    else if (auto d = detail::credentials_setting("AWS_DEFAULT_REGION", profile, "region", origin))
        o.region = std::move(*d);
    return o;
}

CLEANROOMSML_DECL credentials_provider web_identity_credentials(web_identity_options options)
{
    return credentials_provider(
        std::make_shared<detail::web_identity_impl::web_identity_source>(std::move(options)));
}

} // namespace cleanroomsml

#endif
