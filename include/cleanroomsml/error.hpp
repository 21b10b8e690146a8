#ifndef CLEANROOMSML_ERROR_HPP
#define CLEANROOMSML_ERROR_HPP

#include <cleanroomsml/detail/config.hpp>

#include <boost/system/error_code.hpp>

#include <string_view>
#include <type_traits>

namespace cleanroomsml {

using boost::system::error_code;

/// Errors the service answered with, by AWS error type.
enum class service_errc {
    validation = 1,         ///< ValidationException (400)
    access_denied,          ///< AccessDeniedException (403)
    resource_not_found,     ///< ResourceNotFoundException (404)
    conflict,               ///< ConflictException (409)
    service_quota_exceeded, ///< ServiceQuotaExceededException (402)
    throttling,             ///< ThrottlingException and the other AWS throttling codes
    internal_server,        ///< InternalServiceException / InternalServerException
    unknown,                ///< any other error type; the diagnostics carry it
};

/// Errors found on this side of the wire.
enum class client_errc {
    invalid_request = 1,   ///< the request breaks the model's constraints
    missing_credentials,
    missing_region,
    invalid_endpoint,
    unparsable_response,   ///< the response body is not what the model says
    response_too_large,
    connect_timeout,
    attempt_timeout,
    operation_timeout,
    retry_quota_exceeded,
    repeated_page_token,
    waiter_failure,
    waiter_timeout,
    invalid_signature,     ///< a SigV4 signature did not verify (emulator side)
    invalid_configuration, ///< a setting in the environment or the shared config files is malformed
    login_required,        ///< a sign-in session (IAM Identity Center, `aws login`) is missing, expired or revoked: sign in again
};

CLEANROOMSML_DECL boost::system::error_category const& service_category() noexcept;
CLEANROOMSML_DECL boost::system::error_category const& client_category() noexcept;

inline error_code make_error_code(service_errc e) noexcept { return {static_cast<int>(e), service_category()}; }
inline error_code make_error_code(client_errc e) noexcept { return {static_cast<int>(e), client_category()}; }

/// Maps an AWS error type (already stripped of namespace and URI) to a code.
CLEANROOMSML_DECL service_errc service_errc_from_type(std::string_view type) noexcept;

/// Whether a service error type is one the AWS SDKs treat as throttling.
CLEANROOMSML_DECL bool is_throttling_error_type(std::string_view type) noexcept;

} // namespace cleanroomsml

namespace boost::system {
template <> struct is_error_code_enum<cleanroomsml::service_errc> : std::true_type {};
template <> struct is_error_code_enum<cleanroomsml::client_errc> : std::true_type {};
} // namespace boost::system

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/error.ipp>
#endif

#endif
