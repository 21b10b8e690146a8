#ifndef CLEANROOMSML_IMPL_SSO_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_SSO_CREDENTIALS_IPP

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/impl/config_file.ipp>  // config_file_impl::expand_home, as the shared files use it
#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/detail/json_exchange.hpp>
#include <cleanroomsml/detail/signin_profile.hpp>
#include <cleanroomsml/detail/token_cache.hpp>
#include <cleanroomsml/detail/uri.hpp>
#include <cleanroomsml/sso_credentials.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/system/system_error.hpp>

#include <memory>

namespace cleanroomsml {

namespace detail::sso_impl {

using clock_type = std::chrono::system_clock;

// botocore's SSO token provider refreshes this long before expiry.
inline constexpr std::chrono::minutes refresh_window{15};

class sso_source final : public credentials_source, public std::enable_shared_from_this<sso_source> {
public:
    explicit sso_source(sso_options o) : o_(std::move(o))
    {
        if (!o_.clock) o_.clock = [] { return clock_type::now(); };
        if (o_.cache_directory.empty()) o_.cache_directory = "~/.aws/sso/cache";
    }

    std::string_view name() const noexcept override { return "sso"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    static credentials_fetch_result failure(error_code ec, std::string message)
    {
        credentials_fetch_result r;
        r.ec = ec;
        r.diag.message = std::move(message);
        return r;
    }

    std::string sign_in_again() const
    {
        return "run 'aws sso login" + (o_.profile.empty() ? std::string() : " --profile " + o_.profile) + "'";
    }

    std::string subject() const
    {
        return o_.session_name.empty() ? "the SSO sign-in for " + o_.start_url
                                       : "the SSO session '" + o_.session_name + "'";
    }

    // SSO-OIDC CreateToken with the refresh token; the new cache contents, as
    // botocore composes them, or why not.
    asio::awaitable<bool> refresh(boost::json::object const& token, boost::json::object& fresh, std::string& why) const
    {
        for (char const* key : {"refreshToken", "clientId", "clientSecret", "registrationExpiresAt"})
            if (!token.contains(key)) {
                why = std::string("the cached token has no ") + key;
                co_return false;
            }
        auto const reg = string_member(token, "registrationExpiresAt");
        auto const reg_at = reg ? parse_cache_time(*reg) : std::nullopt;
        if (!reg_at) {
            why = "the cached registrationExpiresAt is not a time";
            co_return false;
        }
        auto const now = o_.clock();
        if (*reg_at <= now) {
            why = "the client registration expired at " + std::string(*reg);
            co_return false;
        }
        auto const client_id = string_member(token, "clientId");
        auto const secret = string_member(token, "clientSecret");
        auto const refresh_token = string_member(token, "refreshToken");
        if (!client_id || !secret || !refresh_token) {
            why = "the cached clientId, clientSecret or refreshToken is not a string";
            co_return false;
        }
        http_fetch_request req;
        req.method = "POST";
        req.url = url_with_path(o_.oidc_endpoint ? *o_.oidc_endpoint : default_sso_oidc_url(o_.sso_region), "/token");
        req.headers = {{"Content-Type", "application/json"}};
        boost::json::object body;
        body["clientId"] = *client_id;
        body["clientSecret"] = *secret;
        body["grantType"] = "refresh_token";
        body["refreshToken"] = *refresh_token;
        req.body = boost::json::serialize(body);
        req.timeout = o_.timeout;
        req.ca_file = o_.ca_file;
        // Named, not built inside the co_await (GCC 12 coroutine bugs).
        std::vector<std::string> secrets{std::string(*secret), std::string(*refresh_token)};
        std::string what = "SSO-OIDC CreateToken";
        auto r = co_await json_exchange(std::move(req), std::move(what), std::move(secrets));
        if (r.ec) {
            why = r.diag.message;
            co_return false;
        }
        auto const access = string_member(r.body, "accessToken");
        auto const* expires_in = r.body.if_contains("expiresIn");
        if (!access || !expires_in || !expires_in->is_number()) {
            why = "SSO-OIDC CreateToken: the response has no accessToken or expiresIn";
            co_return false;
        }
        boost::system::error_code nec;
        auto const seconds = expires_in->to_number<std::int64_t>(nec);
        if (nec) {
            why = "SSO-OIDC CreateToken: expiresIn is not a whole number";
            co_return false;
        }
        // The same members, in the same order, as botocore writes.
        fresh = {};
        fresh["startUrl"] = o_.start_url;
        fresh["region"] = o_.sso_region;
        fresh["accessToken"] = *access;
        fresh["expiresAt"] = format_cache_time(now + std::chrono::seconds(seconds));
        fresh["clientId"] = *client_id;
        fresh["clientSecret"] = *secret;
        fresh["registrationExpiresAt"] = token.at("registrationExpiresAt");
        if (auto const* rt = r.body.if_contains("refreshToken")) fresh["refreshToken"] = *rt;
        co_return true;
    }

    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<sso_source> self)
    {
        auto const& o = self->o_;
        std::string const dir = config_file_impl::expand_home(o.cache_directory);
        std::string const file = sha1_hex(o.session_name.empty() ? o.start_url : o.session_name) + ".json";
        boost::json::object token;
        {
            error_code ec;
            std::string why;
            if (!read_json_object_file(dir + "/" + file, token, ec, why)) {
                if (ec == boost::system::errc::no_such_file_or_directory)
                    co_return failure(client_errc::login_required,
                                      "sso: no cached token for " + self->subject() + " (" + dir + "/" + file +
                                          "): " + self->sign_in_again());
                co_return failure(ec, "sso: the token cache " + why);
            }
        }
        sso_cached_token cached;
        {
            std::string why;
            if (!parse_sso_token(token, cached, why))
                co_return failure(client_errc::invalid_configuration, "sso: the cached token for " + self->subject() +
                                                                          " (" + dir + "/" + file + ") has " + why);
        }
        std::string token_text = std::move(cached.access_token);
        auto valid_until = cached.expires_at;
        std::string refresh_failure;
        if (!o.session_name.empty() && valid_until - o.clock() < refresh_window) {
            boost::json::object fresh;
            if (co_await self->refresh(token, fresh, refresh_failure)) {
                error_code ec;
                std::string why;
                if (!write_file_atomically(dir, file, python_json_dumps(fresh), ec, why))
                    co_return failure(ec, "sso: the refreshed token could not be cached: " + why);
                token_text = std::string(fresh["accessToken"].get_string());
                valid_until = *parse_cache_time(fresh["expiresAt"].get_string());
            }
        }
        if (valid_until <= o.clock())
            co_return failure(client_errc::login_required,
                              "sso: " + self->subject() + " has expired" +
                                  (refresh_failure.empty() ? std::string() : " and could not be refreshed (" +
                                                                                 refresh_failure + ")") +
                                  ": " + self->sign_in_again());
        co_return co_await self->role_credentials(token_text);
    }

    asio::awaitable<credentials_fetch_result> role_credentials(std::string const& token) const
    {
        http_fetch_request req;
        req.url = url_with_path(o_.portal_endpoint ? *o_.portal_endpoint : default_sso_portal_url(o_.sso_region),
                                "/federation/credentials?role_name=");
        percent_encode(req.url, o_.role_name);
        req.url += "&account_id=";
        percent_encode(req.url, o_.account_id);
        req.headers = {{"x-amz-sso_bearer_token", token}};
        req.timeout = o_.timeout;
        req.ca_file = o_.ca_file;
        std::vector<std::string> secrets{token};
        std::string what = "SSO GetRoleCredentials";
        auto r = co_await json_exchange(std::move(req), std::move(what), std::move(secrets));
        credentials_fetch_result out;
        if (r.ec) {
            out.ec = r.status == 401 ? error_code(client_errc::login_required) : r.ec;
            out.diag = std::move(r.diag);
            out.diag.message = "sso: " + out.diag.message;
            if (r.status == 401) out.diag.message += "; the SSO sign-in is no longer valid: " + sign_in_again();
            co_return out;
        }
        auto const* rc = r.body.if_contains("roleCredentials");
        auto const* obj = rc ? rc->if_object() : nullptr;
        auto const* exp = obj ? obj->if_contains("expiration") : nullptr;
        auto const id = obj ? string_member(*obj, "accessKeyId") : std::nullopt;
        auto const secret = obj ? string_member(*obj, "secretAccessKey") : std::nullopt;
        auto const session = obj ? string_member(*obj, "sessionToken") : std::nullopt;
        boost::system::error_code nec;
        std::int64_t ms = exp && exp->is_number() ? exp->to_number<std::int64_t>(nec) : 0;
        if (!id || !secret || !session || id->empty() || secret->empty() || !exp || !exp->is_number() || nec) {
            out.ec = client_errc::unparsable_response;
            out.diag = std::move(r.diag);
            out.diag.message = "sso: SSO GetRoleCredentials: the response lacks roleCredentials' accessKeyId, "
                               "secretAccessKey, sessionToken or expiration (milliseconds)";
            co_return out;
        }
        out.creds.access_key_id = std::string(*id);
        out.creds.secret_access_key = std::string(*secret);
        out.creds.session_token = std::string(*session);
        out.creds.expiration = clock_type::time_point(std::chrono::milliseconds(ms));
        out.creds.account_id = o_.account_id;
        co_return out;
    }

    sso_options o_;
};

} // namespace detail::sso_impl

CLEANROOMSML_DECL sso_options sso_options::from_profile(std::string profile)
{
    config_files files;
    config_file_error err;
    if (!load_config_files(files, err))
        throw boost::system::system_error(client_errc::invalid_configuration, "shared config files: " + err.to_string());
    std::string const name = selected_profile_name(profile);
    sso_options o;
    std::string why;
    auto const* p = files.find_profile(name);
    if (p == nullptr)
        throw boost::system::system_error(client_errc::invalid_configuration,
                                          "the profile \"" + name + "\" is not in the shared config or credentials file");
    if (!detail::sso_options_for(files, *p, o, why))
        throw boost::system::system_error(client_errc::invalid_configuration,
                                          why.empty() ? "the profile \"" + name + "\" is not an SSO profile" : why);
    return o;
}

CLEANROOMSML_DECL credentials_provider sso_credentials(sso_options options)
{
    return credentials_provider(std::make_shared<detail::sso_impl::sso_source>(std::move(options)));
}

} // namespace cleanroomsml

#endif
