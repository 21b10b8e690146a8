#ifndef CLEANROOMSML_IMPL_ERROR_IPP
#define CLEANROOMSML_IMPL_ERROR_IPP

#include <cleanroomsml/error.hpp>

#include <string>

namespace cleanroomsml {

namespace detail {

class service_category_impl final : public boost::system::error_category {
public:
    char const* name() const noexcept override { return "cleanroomsml.service"; }
    std::string message(int ev) const override
    {
        switch (static_cast<service_errc>(ev)) {
        case service_errc::validation: return "the service rejected the request as invalid";
        case service_errc::access_denied: return "access denied";
        case service_errc::resource_not_found: return "resource not found";
        case service_errc::conflict: return "conflict with the resource's current state";
        case service_errc::service_quota_exceeded: return "service quota exceeded";
        case service_errc::throttling: return "request throttled";
        case service_errc::internal_server: return "internal service error";
        case service_errc::unknown: return "service error";
        }
        return "unknown service error code " + std::to_string(ev);
    }
};

class client_category_impl final : public boost::system::error_category {
public:
    char const* name() const noexcept override { return "cleanroomsml.client"; }
    std::string message(int ev) const override
    {
        switch (static_cast<client_errc>(ev)) {
        case client_errc::invalid_request: return "the request breaks the service model's constraints";
        case client_errc::missing_credentials: return "no credentials could be found";
        case client_errc::missing_region: return "no region is configured";
        case client_errc::invalid_endpoint: return "the endpoint is invalid";
        case client_errc::unparsable_response: return "the response could not be parsed";
        case client_errc::response_too_large: return "the response body exceeds the configured limit";
        case client_errc::connect_timeout: return "connecting timed out";
        case client_errc::attempt_timeout: return "the attempt timed out";
        case client_errc::operation_timeout: return "the operation timed out";
        case client_errc::retry_quota_exceeded: return "the retry quota is exhausted";
        case client_errc::repeated_page_token: return "the service repeated a pagination token";
        case client_errc::waiter_failure: return "the resource reached a failure state";
        case client_errc::waiter_timeout: return "the resource did not reach the state in time";
        case client_errc::invalid_signature: return "the request signature does not verify";
        case client_errc::invalid_configuration: return "a configuration setting is malformed";
        case client_errc::login_required: return "the sign-in session is missing or has expired; sign in again";
        }
        return "unknown client error code " + std::to_string(ev);
    }
};

} // namespace detail

CLEANROOMSML_DECL boost::system::error_category const& service_category() noexcept
{
    static detail::service_category_impl const c;
    return c;
}

CLEANROOMSML_DECL boost::system::error_category const& client_category() noexcept
{
    static detail::client_category_impl const c;
    return c;
}

CLEANROOMSML_DECL bool is_throttling_error_type(std::string_view t) noexcept
{
    // The list the AWS SDKs' standard retry mode shares.
    constexpr std::string_view codes[] = {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException",
        "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "EC2ThrottledException",
    };
    for (auto c : codes)
        if (c == t) return true;
    return false;
}

CLEANROOMSML_DECL service_errc service_errc_from_type(std::string_view t) noexcept
{
    if (t == "ValidationException") return service_errc::validation;
    if (t == "AccessDeniedException") return service_errc::access_denied;
    if (t == "ResourceNotFoundException") return service_errc::resource_not_found;
    if (t == "ConflictException") return service_errc::conflict;
    if (t == "ServiceQuotaExceededException") return service_errc::service_quota_exceeded;
    if (t == "InternalServiceException" || t == "InternalServerException" || t == "InternalFailure")
        return service_errc::internal_server;
    if (is_throttling_error_type(t)) return service_errc::throttling;
    return service_errc::unknown;
}

} // namespace cleanroomsml

#endif
