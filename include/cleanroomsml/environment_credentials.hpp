#ifndef CLEANROOMSML_ENVIRONMENT_CREDENTIALS_HPP
#define CLEANROOMSML_ENVIRONMENT_CREDENTIALS_HPP

// Credentials from the process environment, as every AWS SDK reads them.

#include <cleanroomsml/credentials_provider.hpp>

#include <optional>
#include <string>

namespace cleanroomsml {

/// Reads, each time credentials are fetched (not when the provider is made):
///
///  - AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (both needed);
///  - AWS_SESSION_TOKEN (optional);
///  - AWS_CREDENTIAL_EXPIRATION (optional, RFC 3339, e.g. "2030-01-01T00:00:00Z");
///  - AWS_ACCOUNT_ID (optional).
///
/// A variable set to the empty string counts as unset. Neither key set:
/// client_errc::missing_credentials (a chain tries its next source). Only one
/// of the two set, or an expiration that is not an RFC 3339 date-time:
/// client_errc::invalid_configuration (a chain stops), the diagnostics
/// naming the variable, never its value.
CLEANROOMSML_DECL credentials_provider environment_credentials();

namespace detail {

/// The variable's value, or nothing when it is unset or empty.
CLEANROOMSML_DECL std::optional<std::string> getenv_nonempty(char const* name);

} // namespace detail

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/environment_credentials.ipp>
#endif

#endif
