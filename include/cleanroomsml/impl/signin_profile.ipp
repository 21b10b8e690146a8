#ifndef CLEANROOMSML_IMPL_SIGNIN_PROFILE_IPP
#define CLEANROOMSML_IMPL_SIGNIN_PROFILE_IPP

#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/detail/signin_profile.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/login_credentials.hpp>
#include <cleanroomsml/sso_credentials.hpp>

#include <utility>
#include <vector>

namespace cleanroomsml::detail {

namespace signin_profile_impl {

// AWS_CA_BUNDLE, else the profile's ca_bundle: the SDKs use it for their
// internal clients too.
inline std::optional<std::string> ca_bundle(profile_section const& p)
{
    if (auto v = getenv_nonempty("AWS_CA_BUNDLE")) return v;
    if (auto v = p.get("ca_bundle"); v && !v->empty()) return std::string(*v);
    return std::nullopt;
}

} // namespace signin_profile_impl

CLEANROOMSML_DECL bool is_sso_profile(profile_section const& p)
{
    return p.get("sso_account_id").has_value() || p.get("sso_role_name").has_value();
}

CLEANROOMSML_DECL bool sso_options_for(config_files const& files, profile_section const& p, sso_options& out,
                                       std::string& why)
{
    why.clear();
    if (!is_sso_profile(p)) return false;
    // The profile's settings, completed (and checked) by its sso-session's.
    std::map<std::string, std::string, std::less<>> settings(p.properties.begin(), p.properties.end());
    bool const with_session = settings.count("sso_session") != 0;
    if (with_session) {
        std::string const& session = settings["sso_session"];
        auto it = files.sso_sessions.find(session);
        if (it == files.sso_sessions.end()) {
            why = "The specified sso-session does not exist: \"" + session + "\"";
            return false;
        }
        for (auto const& [key, value] : it->second.properties) {
            auto mine = settings.find(key);
            if (mine != settings.end() && mine->second != value) {
                why = "The value for " + key + " is inconsistent between profile (" + mine->second +
                      ") and sso-session (" + value + ").";
                return false;
            }
            settings[key] = value;
        }
    }
    std::vector<char const*> required = {"sso_role_name", "sso_account_id", "sso_start_url", "sso_region"};
    if (with_session) required.push_back("sso_session");
    std::string missing;
    for (char const* key : required)
        if (settings.count(key) == 0) missing += (missing.empty() ? "" : ", ") + std::string(key);
    if (!missing.empty()) {
        why = "The profile \"" + p.name + "\" is configured to use SSO but is missing required configuration: " +
              missing;
        return false;
    }
    sso_options o;
    o.profile = p.name;
    if (with_session) o.session_name = settings["sso_session"];
    o.start_url = settings["sso_start_url"];
    o.sso_region = settings["sso_region"];
    o.account_id = settings["sso_account_id"];
    o.role_name = settings["sso_role_name"];
    if (!configured_endpoint_url(files, &p, {"SSO", "sso"}, o.portal_endpoint, why)) return false;
    if (!configured_endpoint_url(files, &p, {"SSO_OIDC", "sso_oidc"}, o.oidc_endpoint, why)) return false;
    o.ca_file = signin_profile_impl::ca_bundle(p);
    out = std::move(o);
    return true;
}

CLEANROOMSML_DECL bool login_options_for(config_files const& files, profile_section const& p, login_options& out,
                                         std::string& why)
{
    why.clear();
    auto const session = p.get("login_session");
    if (!session) {
        why = "the profile \"" + p.name + "\" has no login_session";
        return false;
    }
    login_options o;
    o.profile = p.name;
    o.session = std::string(*session);
    if (auto r = getenv_nonempty("AWS_REGION")) o.region = std::move(*r);
    else if (auto d = getenv_nonempty("AWS_DEFAULT_REGION")) o.region = std::move(*d);
    else if (auto pr = p.get("region"); pr && !pr->empty()) o.region = std::string(*pr);
    if (!configured_endpoint_url(files, &p, {"SIGNIN", "signin"}, o.signin_endpoint, why)) return false;
    o.ca_file = signin_profile_impl::ca_bundle(p);
    out = std::move(o);
    return true;
}

} // namespace cleanroomsml::detail

#endif
