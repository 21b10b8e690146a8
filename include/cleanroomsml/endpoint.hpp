#ifndef CLEANROOMSML_ENDPOINT_HPP
#define CLEANROOMSML_ENDPOINT_HPP

// Endpoint resolution: the service's endpoint rule set (Smithy rules engine,
// codegen/model/endpoint-rule-set.json, translated into C++ by
// codegen/endpoints.py) applied to a region, the FIPS and dual-stack switches
// and an optional custom endpoint.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cleanroomsml {

/// The inputs of the endpoint rules (their builtIns).
struct endpoint_params {
    std::string region{};                 ///< AWS::Region; empty: not set
    bool use_fips = false;                ///< AWS::UseFIPS
    bool use_dual_stack = false;          ///< AWS::UseDualStack
    std::optional<std::string> endpoint{};  ///< SDK::Endpoint, a custom URL (http or https)
};

/// Where and how to send requests.
struct endpoint {
    std::string url;  ///< "https://cleanrooms-ml.us-east-1.amazonaws.com", or the custom URL as given
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers the rules ask for
    std::string properties = "{}";  ///< the rules' endpoint properties, as JSON text
    std::string auth_scheme = "sigv4";
    std::string signing_name;    ///< SigV4 service name: the rules' or the model's ("cleanrooms-ml")
    std::string signing_region;  ///< SigV4 region: the rules' or the region parameter

    bool operator==(endpoint const&) const = default;
};

/// Applies the endpoint rules. Errors are client_errc::invalid_endpoint: a rule
/// of the rule set that ends in an error ("Invalid Configuration: Missing
/// Region", "FIPS is enabled but this partition does not support FIPS", ...),
/// a region that is not a valid host label, or a resulting URL that is not an
/// absolute http(s) URL. The overload with diagnostics names the reason in
/// diag.message (the rule's own text for a rule error).
CLEANROOMSML_DECL boost::system::result<endpoint> resolve_endpoint(endpoint_params const& params);
CLEANROOMSML_DECL boost::system::result<endpoint> resolve_endpoint(endpoint_params const& params,
                                                                   diagnostics& diag);

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/endpoint.ipp>
#endif

#endif
