#ifndef CLEANROOMSML_IMPL_CLIENT_CONFIG_IPP
#define CLEANROOMSML_IMPL_CLIENT_CONFIG_IPP

#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/credentials_chain.hpp>
#include <cleanroomsml/detail/configured_endpoint.hpp>

#include <boost/system/system_error.hpp>

#include <charconv>
#include <cstdlib>

namespace cleanroomsml {

namespace detail {

// One setting: the environment variable wins over the profile's property.
struct setting_source {
    profile_section const* profile;

    struct value {
        std::string text;
        std::string origin;  // "AWS_MAX_ATTEMPTS" or "profile dev: max_attempts", for error messages
    };

    std::optional<value> get(char const* env, std::string_view property) const
    {
        if (env) {
            char const* v = std::getenv(env);
            if (v && *v) return value{v, env};
        }
        if (profile && !property.empty())
            if (auto p = profile->get(property); p && !p->empty())
                return value{std::string(*p), "profile " + profile->name + ": " + std::string(property)};
        return std::nullopt;
    }
};

[[noreturn]] inline void config_error(std::string const& what)
{
    throw boost::system::system_error(client_errc::invalid_configuration, what);
}

inline bool equals_ignore_case(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

inline std::optional<bool> parse_config_bool(std::optional<setting_source::value> const& v)
{
    if (!v) return std::nullopt;
    if (equals_ignore_case(v->text, "true")) return true;
    if (equals_ignore_case(v->text, "false")) return false;
    config_error(v->origin + ": expected true or false, got \"" + v->text + "\"");
}

} // namespace detail

CLEANROOMSML_DECL client_config load_config(load_config_options const& options)
{
    client_config cfg;
    config_files files;
    config_file_error err;
    if (!load_config_files(files, err)) detail::config_error(err.to_string());

    cfg.profile = selected_profile_name(options.profile);
    profile_section const* profile = files.find_profile(cfg.profile);
    if (!profile && cfg.profile != "default")
        detail::config_error("the profile \"" + cfg.profile + "\" is not in the shared config or credentials file");
    detail::setting_source src{profile};

    // Region: AWS_REGION, AWS_DEFAULT_REGION, then the profile. No default.
    if (auto v = src.get("AWS_REGION", "")) cfg.region = v->text;
    else if (auto v2 = src.get("AWS_DEFAULT_REGION", "region")) cfg.region = v2->text;

    // Endpoint URL: service variable, global variable, [services] section,
    // profile; all skipped when configured endpoints are to be ignored.
    {
        std::string why;
        if (!detail::configured_endpoint_url(files, profile, {"CLEANROOMSML", "cleanroomsml"}, cfg.endpoint_url, why))
            detail::config_error(why);
    }

    cfg.use_fips = detail::parse_config_bool(src.get("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint")).value_or(false);
    cfg.use_dual_stack =
        detail::parse_config_bool(src.get("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint")).value_or(false);

    if (auto v = src.get("AWS_MAX_ATTEMPTS", "max_attempts")) {
        int n = 0;
        auto r = std::from_chars(v->text.data(), v->text.data() + v->text.size(), n);
        if (r.ec != std::errc{} || r.ptr != v->text.data() + v->text.size() || n < 1)
            detail::config_error(v->origin + ": expected a whole number of at least 1, got \"" + v->text + "\"");
        cfg.retry.max_attempts = n;
    }
    if (auto v = src.get("AWS_RETRY_MODE", "retry_mode")) {
        // "legacy" differs per SDK; this client's legacy behaviour is standard mode.
        if (detail::equals_ignore_case(v->text, "standard") || detail::equals_ignore_case(v->text, "legacy"))
            cfg.retry.mode = retry_mode::standard;
        else if (detail::equals_ignore_case(v->text, "adaptive"))
            cfg.retry.mode = retry_mode::adaptive;
        else
            detail::config_error(v->origin + ": expected standard, adaptive or legacy, got \"" + v->text + "\"");
    }
    if (auto v = src.get("AWS_SDK_UA_APP_ID", "sdk_ua_app_id")) cfg.app_id = v->text;
    if (auto v = src.get("AWS_CA_BUNDLE", "ca_bundle")) cfg.tls.ca_file = v->text;
    // Proxies: the upper-case variable first, then the lower-case one, as curl does.
    auto proxy_env = [](char const* upper, char const* lower) -> std::optional<std::string> {
        for (char const* name : {upper, lower})
            if (char const* v = std::getenv(name); v && *v) return std::string(v);
        return std::nullopt;
    };
    cfg.proxy.https = proxy_env("HTTPS_PROXY", "https_proxy");
    cfg.proxy.http = proxy_env("HTTP_PROXY", "http_proxy");
    cfg.proxy.no_proxy = proxy_env("NO_PROXY", "no_proxy").value_or("");

    cfg.credentials = default_credentials_chain(cfg.profile);
    return cfg;
}

} // namespace cleanroomsml

#endif
