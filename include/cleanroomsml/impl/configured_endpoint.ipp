#ifndef CLEANROOMSML_IMPL_CONFIGURED_ENDPOINT_IPP
#define CLEANROOMSML_IMPL_CONFIGURED_ENDPOINT_IPP

#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/endpoint.hpp>  // before the rules: endpoint.ipp includes them too
#include <cleanroomsml/model/endpoint_rules.hpp>

#include <cstdlib>

namespace cleanroomsml::detail {

namespace configured_endpoint_impl {

inline std::optional<std::string> env(std::string const& name)
{
    char const* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

inline bool iequals(std::string_view a, std::string_view b) noexcept
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

} // namespace configured_endpoint_impl

CLEANROOMSML_DECL bool configured_endpoint_url(config_files const& files, profile_section const* profile,
                                               service_config_names names, std::optional<std::string>& out,
                                               std::string& why)
{
    namespace impl = configured_endpoint_impl;
    out.reset();
    std::string origin = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    std::optional<std::string> ignore = impl::env(origin);
    if (!ignore && profile)
        if (auto p = profile->get("ignore_configured_endpoint_urls"); p && !p->empty()) {
            ignore = std::string(*p);
            origin = "profile " + profile->name + ": ignore_configured_endpoint_urls";
        }
    if (ignore) {
        if (impl::iequals(*ignore, "true")) return true;
        if (!impl::iequals(*ignore, "false")) {
            why = origin + ": expected true or false, got \"" + *ignore + "\"";
            return false;
        }
    }
    if (auto v = impl::env("AWS_ENDPOINT_URL_" + std::string(names.env))) {
        out = std::move(v);
        return true;
    }
    if (auto v = impl::env("AWS_ENDPOINT_URL")) {
        out = std::move(v);
        return true;
    }
    if (profile == nullptr) return true;
    if (auto services = profile->get("services"); services && !services->empty()) {
        auto it = files.services.find(*services);
        if (it == files.services.end()) {
            why = "profile " + profile->name + ": services section \"" + std::string(*services) + "\" does not exist";
            return false;
        }
        if (auto url = it->second.get(names.key, "endpoint_url"); url && !url->empty()) {
            out = std::string(*url);
            return true;
        }
    }
    if (auto url = profile->get("endpoint_url"); url && !url->empty()) out = std::string(*url);
    return true;
}

CLEANROOMSML_DECL std::string default_sso_portal_url(std::string_view region)
{
    auto const* p = endpoint_rules::aws_partition(region);
    return "https://portal.sso." + std::string(region) + "." + std::string(p->dns_suffix);
}

CLEANROOMSML_DECL std::string default_sso_oidc_url(std::string_view region)
{
    auto const* p = endpoint_rules::aws_partition(region);
    return "https://oidc." + std::string(region) + "." + std::string(p->dns_suffix);
}

CLEANROOMSML_DECL std::string default_signin_url(std::string_view region)
{
    // The sign-in service keeps the console's host names in the three
    // oldest partitions.
    auto const* p = endpoint_rules::aws_partition(region);
    std::string const r(region);
    if (p->name == "aws") return "https://" + r + ".signin.aws.amazon.com";
    if (p->name == "aws-cn") return "https://" + r + ".signin.amazonaws.cn";
    if (p->name == "aws-us-gov") return "https://" + r + ".signin.amazonaws-us-gov.com";
    return "https://signin." + r + "." + std::string(p->dns_suffix);
}

} // namespace cleanroomsml::detail

#endif
