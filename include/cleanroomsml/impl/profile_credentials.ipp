#ifndef CLEANROOMSML_IMPL_PROFILE_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_PROFILE_CREDENTIALS_IPP

#include <cleanroomsml/assume_role_credentials.hpp>
#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/container_credentials.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/detail/signin_profile.hpp>
#include <cleanroomsml/imds_credentials.hpp>
#include <cleanroomsml/login_credentials.hpp>
#include <cleanroomsml/process_credentials.hpp>
#include <cleanroomsml/profile_credentials.hpp>
#include <cleanroomsml/sso_credentials.hpp>
#include <cleanroomsml/web_identity_credentials.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <charconv>
#include <exception>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace cleanroomsml {

namespace detail::profile_credentials_impl {

// Completes through the handler's associated executor (default: `ex`),
// never inside the initiating call.
inline void complete(asio::any_io_executor const& ex, credentials_source::handler_type handler, error_code ec,
                     credentials c)
{
    asio::post(ex, asio::append(std::move(handler), ec, std::move(c)));
}


inline std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

inline bool present(std::optional<std::string_view> v) noexcept { return v && !v->empty(); }

// Turns one profile into the provider it configures.
class resolver {
public:
    resolver(config_files const& files, std::string root) : files_(files), root_(std::move(root)) {}

    error_code resolve(credentials_provider& out) { return resolve_profile(root_, true, out); }

    std::string& message() noexcept { return message_; }

private:
    error_code fail(error_code ec, std::string message)
    {
        message_ = std::move(message);
        return ec;
    }

    error_code bad(std::string message) { return fail(client_errc::invalid_configuration, std::move(message)); }

    error_code resolve_profile(std::string const& name, bool is_root, credentials_provider& out)
    {
        profile_section const* p = files_.find_profile(name);
        if (p == nullptr) {
            if (is_root) {
                // The environment's web identity needs no profile.
                if (getenv_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE")) {
                    out = web_identity_credentials(web_identity_options::from_environment(nullptr));
                    return {};
                }
                return fail(client_errc::missing_credentials,
                            "profile " + quoted(name) + " is not in the shared config or credentials file");
            }
            return bad("profile " + quoted(path_.back()) + " has source_profile " + quoted(name) +
                       ", which does not exist");
        }
        path_.push_back(name);
        bool const has_static = present(p->get("aws_access_key_id")) || present(p->get("aws_secret_access_key"));
        bool const assumes_role = present(p->get("role_arn")) && !present(p->get("web_identity_token_file"));

        // A source profile with static keys ends a chain of roles: it is
        // resolved like a profile without a role.
        if (!assumes_role || (!is_root && has_static)) return profile_providers(name, *p, is_root, has_static, out);

        auto const source = p->get("source_profile");
        auto const cred_source = p->get("credential_source");
        if (present(source) && present(cred_source))
            return bad("profile " + quoted(name) + " has both source_profile and credential_source");
        if (present(source)) {
            std::string const src(*source);
            credentials_provider base;
            if (src == name) {
                if (!has_static)
                    return bad("profile " + quoted(name) +
                               " is its own source_profile but has no aws_access_key_id / aws_secret_access_key");
                if (auto ec = static_keys(name, *p, base)) return ec;
            } else if (std::find(path_.begin(), path_.end(), src) != path_.end()) {
                std::string cycle;
                for (auto it = std::find(path_.begin(), path_.end(), src); it != path_.end(); ++it)
                    cycle += *it + " -> ";
                return bad("source_profile cycle: " + cycle + src);
            } else if (auto ec = resolve_profile(src, false, base)) {
                return ec;
            }
            return assume_role(name, *p, std::move(base), out);
        }
        if (present(cred_source)) {
            credentials_provider base;
            if (auto ec = credential_source(name, *cred_source, base)) return ec;
            return assume_role(name, *p, std::move(base), out);
        }
        return bad("profile " + quoted(name) +
                   " has role_arn but no source_profile, credential_source or web_identity_token_file");
    }

    // The SDKs' providers for a profile without a role to assume, in their
    // order: web identity (the environment's first, for the selected profile
    // only), IAM Identity Center, the credentials file's keys, an `aws login`
    // session, credential_process, the config file's keys.
    error_code profile_providers(std::string const& name, profile_section const& p, bool is_root, bool has_static,
                                 credentials_provider& out)
    {
        if (is_root && getenv_nonempty("AWS_WEB_IDENTITY_TOKEN_FILE")) {
            out = web_identity_credentials(web_identity_options::from_environment(&p));
            return {};
        }
        if (present(p.get("web_identity_token_file"))) {
            if (!present(p.get("role_arn")))
                return bad("profile " + quoted(name) + " has web_identity_token_file but no role_arn");
            return web_identity(p, out);
        }
        if (is_sso_profile(p)) {
            sso_options o;
            std::string why;
            if (!sso_options_for(files_, p, o, why)) return bad(why);
            out = sso_credentials(std::move(o));
            return {};
        }
        auto const in_credentials_file = files_.credentials_file_profiles.find(name);
        if (in_credentials_file != files_.credentials_file_profiles.end() &&
            (present(in_credentials_file->second.get("aws_access_key_id")) ||
             present(in_credentials_file->second.get("aws_secret_access_key"))))
            return static_keys(name, p, out);
        if (p.get("login_session")) {
            login_options o;
            std::string why;
            if (!login_options_for(files_, p, o, why)) return bad(why);
            out = login_credentials(std::move(o));
            return {};
        }
        if (auto cmd = p.get("credential_process"); present(cmd)) {
            out = process_credentials(std::string(*cmd));
            return {};
        }
        if (has_static) return static_keys(name, p, out);
        if (is_root)
            return fail(client_errc::missing_credentials,
                        "profile " + quoted(name) +
                            " has no credentials (no role_arn, web identity, SSO, login_session, credential_process "
                            "or aws_access_key_id)");
        return bad("source profile " + quoted(name) + " (of profile " + quoted(path_[path_.size() - 2]) +
                   ") has no credentials");
    }

    error_code static_keys(std::string const& name, profile_section const& p, credentials_provider& out)
    {
        auto const id = p.get("aws_access_key_id");
        auto const secret = p.get("aws_secret_access_key");
        if (!present(id)) return bad("profile " + quoted(name) + " has aws_secret_access_key but no aws_access_key_id");
        if (!present(secret)) return bad("profile " + quoted(name) + " has aws_access_key_id but no aws_secret_access_key");
        credentials c;
        c.access_key_id = std::string(*id);
        c.secret_access_key = std::string(*secret);
        if (auto t = p.get("aws_session_token")) c.session_token = std::string(*t);
        if (auto a = p.get("aws_account_id"); present(a)) c.account_id = std::string(*a);
        out = credentials_provider(std::move(c));
        return {};
    }

    error_code credential_source(std::string const& name, std::string_view value, credentials_provider& out)
    {
        if (value == "Environment") {
            out = environment_credentials();
        } else if (value == "Ec2InstanceMetadata") {
            try {
                out = imds_credentials(imds_options::from_environment(files_.find_profile(root_)));
            } catch (boost::system::system_error const& e) {
                return fail(e.code(), "profile " + quoted(name) + ": " + e.what());
            }
        } else if (value == "EcsContainer") {
            out = container_credentials(container_options::from_environment());
        } else {
            return bad("profile " + quoted(name) + " has credential_source " + quoted(value) +
                       ", expected Environment, Ec2InstanceMetadata or EcsContainer");
        }
        return {};
    }

    // The region for STS: AWS_REGION, AWS_DEFAULT_REGION, else the role's
    // profile, else the selected profile.
    std::optional<std::string> region_for(profile_section const& p) const
    {
        if (auto r = getenv_nonempty("AWS_REGION")) return r;
        if (auto r = getenv_nonempty("AWS_DEFAULT_REGION")) return r;
        if (auto r = p.get("region"); present(r)) return std::string(*r);
        if (auto const* root = files_.find_profile(root_))
            if (auto r = root->get("region"); present(r)) return std::string(*r);
        return std::nullopt;
    }

    error_code assume_role(std::string const& name, profile_section const& p, credentials_provider base,
                           credentials_provider& out)
    {
        if (present(p.get("mfa_serial")))
            return fail(boost::system::errc::make_error_code(boost::system::errc::not_supported),
                        "profile " + quoted(name) + " has mfa_serial; MFA token prompts are not supported");
        assume_role_options o;
        o.role_arn = std::string(*p.get("role_arn"));
        if (auto s = p.get("role_session_name"); present(s)) o.session_name = std::string(*s);
        if (auto e = p.get("external_id"); present(e)) o.external_id = std::string(*e);
        if (auto d = p.get("duration_seconds"); present(d)) {
            long long n = 0;
            auto const r = std::from_chars(d->data(), d->data() + d->size(), n);
            if (r.ec != std::errc() || r.ptr != d->data() + d->size() || n < 900 || n > 43200)
                return bad("profile " + quoted(name) + " has duration_seconds " + quoted(*d) +
                           ", expected a whole number from 900 to 43200");
            o.duration = std::chrono::seconds(n);
        }
        if (auto r = region_for(p)) o.region = std::move(*r);
        out = assume_role_credentials(std::move(base), std::move(o));
        return {};
    }

    error_code web_identity(profile_section const& p, credentials_provider& out)
    {
        web_identity_options o;
        o.role_arn = std::string(*p.get("role_arn"));
        o.token_file = std::string(*p.get("web_identity_token_file"));
        if (auto s = p.get("role_session_name"); present(s)) o.session_name = std::string(*s);
        if (auto r = region_for(p)) o.region = std::move(*r);
        out = web_identity_credentials(std::move(o));
        return {};
    }

    config_files const& files_;
    std::string root_;
    std::vector<std::string> path_;
    std::string message_;
};

class profile_source final : public credentials_source {
public:
    explicit profile_source(profile_options opts) : opts_(std::move(opts)) {}

    std::string_view name() const noexcept override { return "profile"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        std::string const profile = selected_profile_name(opts_.profile);
        error_code ec;
        std::string message;
        credentials_provider target;
        {
            config_files files;
            config_file_error err;
            if (!load_config_files(files, err)) {
                ec = client_errc::invalid_configuration;
                message = "shared config files: " + err.to_string();
            } else {
                resolver r(files, profile);
                ec = r.resolve(target);
                message = std::move(r.message());
            }
        }
        if (ec) {
            if (diag) diag->message = std::move(message);
            complete(ex, std::move(handler), ec, credentials{});
            return;
        }
        auto inner = std::make_shared<diagnostics>();
        target.source()->async_fetch(
            ex, inner.get(),
            [h = std::move(handler), ex, inner, diag, profile](error_code ec, credentials c) mutable {
                if (ec) {
                    if (ec == client_errc::missing_credentials) ec = client_errc::invalid_configuration;
                    if (diag) {
                        *diag = *inner;
                        diag->message = "profile " + quoted(profile) + ": " +
                                        (inner->message.empty() ? ec.message() : inner->message);
                    }
                }
                complete(ex, std::move(h), ec, std::move(c));
            });
    }

private:
    profile_options opts_;
};

} // namespace detail::profile_credentials_impl

CLEANROOMSML_DECL credentials_provider profile_credentials(profile_options opts)
{
    return credentials_provider(std::make_shared<detail::profile_credentials_impl::profile_source>(std::move(opts)));
}

} // namespace cleanroomsml

#endif
