#ifndef CLEANROOMSML_IMPL_LOGIN_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_LOGIN_CREDENTIALS_IPP

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/impl/config_file.ipp>  // config_file_impl::expand_home, as the shared files use it
#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/detail/dpop.hpp>
#include <cleanroomsml/detail/json_exchange.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/signin_profile.hpp>
#include <cleanroomsml/detail/token_cache.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/login_credentials.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/system/system_error.hpp>

#include <memory>

namespace cleanroomsml {

namespace detail::login_impl {

using clock_type = std::chrono::system_clock;

// Cached credentials valid for longer than this are used as they are (botocore's threshold).
inline constexpr std::chrono::minutes refresh_threshold{5};

class login_source final : public credentials_source, public std::enable_shared_from_this<login_source> {
public:
    explicit login_source(login_options o) : o_(std::move(o))
    {
        if (!o_.clock) o_.clock = [] { return clock_type::now(); };
    }

    std::string_view name() const noexcept override { return "login"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    static credentials_fetch_result failure(error_code ec, std::string message)
    {
        credentials_fetch_result r;
        r.ec = ec;
        r.diag.message = "login: " + std::move(message);
        return r;
    }

    std::string sign_in_again() const
    {
        return "run 'aws login" + (o_.profile.empty() ? std::string() : " --profile " + o_.profile) + "'";
    }

    std::string directory() const
    {
        if (!o_.cache_directory.empty()) return config_file_impl::expand_home(o_.cache_directory);
        if (auto d = getenv_nonempty("AWS_LOGIN_CACHE_DIRECTORY")) return config_file_impl::expand_home(*d);
        return config_file_impl::expand_home("~/.aws/login/cache");
    }

    static credentials to_credentials(login_cached_session const& session)
    {
        credentials c;
        c.access_key_id = session.access_key_id;
        c.secret_access_key = session.secret_access_key;
        c.session_token = session.session_token;
        c.expiration = session.expires_at;
        c.account_id = session.account_id;
        return c;
    }

    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<login_source> self)
    {
        auto const& o = self->o_;
        std::string const dir = self->directory();
        std::string const file = sha256_hex(o.session) + ".json";
        std::string const path = dir + "/" + file;
        boost::json::object token;
        {
            error_code ec;
            std::string why;
            if (!read_json_object_file(path, token, ec, why)) {
                if (ec == boost::system::errc::no_such_file_or_directory)
                    co_return failure(client_errc::login_required, "no cached login session '" + o.session + "' (" +
                                                                       path + "): " + self->sign_in_again());
                co_return failure(ec, "the session cache " + why);
            }
        }
        login_cached_session session;
        std::string why;
        if (!parse_login_session(token, session, why))
            co_return failure(client_errc::invalid_configuration, "the session cache " + path + " " + why);
        if (session.expires_at - o.clock() > refresh_threshold) {
            credentials_fetch_result out;
            out.creds = to_credentials(session);
            co_return out;
        }
        co_return co_await self->refresh(std::move(token), std::move(session), dir, file);
    }

    asio::awaitable<credentials_fetch_result> refresh(boost::json::object token, login_cached_session session,
                                                      std::string const& dir, std::string const& file) const
    {
        std::string why;
        dpop_key key;
        if (!key.load_pem(session.dpop_key, why))
            co_return failure(client_errc::invalid_configuration,
                              "the session cache " + dir + "/" + file + ": dpopKey: " + why);
        if (!o_.signin_endpoint && o_.region.empty())
            co_return failure(client_errc::missing_region,
                              "refreshing the session needs a region for the sign-in endpoint (AWS_REGION or the "
                              "profile's region)");
        http_fetch_request req;
        req.method = "POST";
        req.url = url_with_path(o_.signin_endpoint ? *o_.signin_endpoint : default_signin_url(o_.region), "/v1/token");
        auto const now = o_.clock();
        std::string proof = key.proof(req.url, std::chrono::duration_cast<std::chrono::seconds>(
                                                   now.time_since_epoch()).count(),
                                      default_idempotency_token(), why);  // a fresh UUIDv4 as the proof's jti
        if (proof.empty()) co_return failure(client_errc::invalid_configuration, "the DPoP proof: " + why);
        req.headers = {{"Content-Type", "application/json"}, {"DPoP", std::move(proof)}};
        boost::json::object body;
        body["clientId"] = session.client_id;
        body["refreshToken"] = session.refresh_token;
        body["grantType"] = "refresh_token";
        req.body = boost::json::serialize(body);
        req.timeout = o_.timeout;
        req.ca_file = o_.ca_file;
        // Named, not built inside the co_await (GCC 12 coroutine bugs).
        std::vector<std::string> secrets{session.refresh_token};
        std::string what = "sign-in CreateOAuth2Token";
        auto r = co_await json_exchange(std::move(req), std::move(what), std::move(secrets));
        credentials_fetch_result out;
        if (r.ec) {
            out.ec = r.ec;
            out.diag = std::move(r.diag);
            auto const code = string_member(r.body, "error");
            if (code && (*code == "TOKEN_EXPIRED" || *code == "USER_CREDENTIALS_CHANGED")) {
                out.ec = client_errc::login_required;
                out.diag.message += "; the login session can no longer be refreshed: " + sign_in_again();
            }
            out.diag.message = "login: " + out.diag.message;
            co_return out;
        }
        // The response body is the token output itself (its tokenOutput member is the payload).
        auto const* at = r.body.if_contains("accessToken");
        auto const* a = at ? at->if_object() : nullptr;
        auto const* expires_in = r.body.if_contains("expiresIn");
        auto const next_refresh = string_member(r.body, "refreshToken");
        boost::system::error_code nec;
        std::int64_t const seconds = expires_in && expires_in->is_number() ? expires_in->to_number<std::int64_t>(nec) : 0;
        auto const id = a ? string_member(*a, "accessKeyId") : std::nullopt;
        auto const secret = a ? string_member(*a, "secretAccessKey") : std::nullopt;
        auto const session_token = a ? string_member(*a, "sessionToken") : std::nullopt;
        if (!id || !secret || !session_token || !expires_in || !expires_in->is_number() || nec || !next_refresh) {
            out.ec = client_errc::unparsable_response;
            out.diag = std::move(r.diag);
            out.diag.message = "login: sign-in CreateOAuth2Token: the response lacks accessToken's keys, expiresIn "
                               "or refreshToken";
            co_return out;
        }
        // Rewritten as botocore rewrites it: the two members replaced in place, the rest kept.
        boost::json::object fresh;
        fresh["accessKeyId"] = *id;
        fresh["secretAccessKey"] = *secret;
        fresh["sessionToken"] = *session_token;
        auto const* old = token["accessToken"].if_object();
        fresh["accountId"] = old && old->contains("accountId") ? old->at("accountId") : boost::json::value(nullptr);
        fresh["expiresAt"] = format_cache_time(now + std::chrono::seconds(seconds));
        token["accessToken"] = std::move(fresh);
        token["refreshToken"] = *next_refresh;
        error_code ec;
        if (!write_file_atomically(dir, file, python_json_dumps(token), ec, why))
            co_return failure(ec, "the refreshed session could not be cached: " + why);
        if (!parse_login_session(token, session, why))
            co_return failure(client_errc::unparsable_response, "sign-in CreateOAuth2Token: the new session " + why);
        out.creds = to_credentials(session);
        co_return out;
    }

    login_options o_;
};

} // namespace detail::login_impl

CLEANROOMSML_DECL login_options login_options::from_profile(std::string profile)
{
    config_files files;
    config_file_error err;
    if (!load_config_files(files, err))
        throw boost::system::system_error(client_errc::invalid_configuration, "shared config files: " + err.to_string());
    std::string const name = selected_profile_name(profile);
    auto const* p = files.find_profile(name);
    if (p == nullptr)
        throw boost::system::system_error(client_errc::invalid_configuration,
                                          "the profile \"" + name + "\" is not in the shared config or credentials file");
    login_options o;
    std::string why;
    if (!detail::login_options_for(files, *p, o, why))
        throw boost::system::system_error(client_errc::invalid_configuration, why);
    return o;
}

CLEANROOMSML_DECL credentials_provider login_credentials(login_options options)
{
    return credentials_provider(std::make_shared<detail::login_impl::login_source>(std::move(options)));
}

} // namespace cleanroomsml

#endif
