#ifndef CLEANROOMSML_IMPL_CONFIGURED_ENDPOINT_IPP
#define CLEANROOMSML_IMPL_CONFIGURED_ENDPOINT_IPP

#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/endpoint.hpp>  // before the rules: endpoint.ipp includes them too
#include <cleanroomsml/model/endpoint_rules.hpp>
#include <cleanroomsml/environment_credentials.hpp>

#include <boost/beast/core/string.hpp>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL bool configured_endpoint_url(config_files const& files, profile_section const* profile,
                                               service_config_names names, std::optional<std::string>& out,
                                               std::string& why)
{
    out.reset();
    std::string origin = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
    std::optional<std::string> ignore = getenv_nonempty(origin.c_str());
    if (!ignore && profile)
        if (auto p = profile->get("ignore_configured_endpoint_urls"); p && !p->empty()) {
            ignore = std::string(*p);
            origin = "profile " + profile->name + ": ignore_configured_endpoint_urls";
        }
    if (ignore) {
        if (boost::beast::iequals(*ignore, "true")) return true;
        if (!boost::beast::iequals(*ignore, "false")) {
            why = origin + ": expected true or false, got \"" + *ignore + "\"";
            return false;
        }
    }
    if (auto v = getenv_nonempty(("AWS_ENDPOINT_URL_" + std::string(names.env)).c_str())) {
        out = std::move(v);
        return true;
    }
    if (auto v = getenv_nonempty("AWS_ENDPOINT_URL")) {
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
