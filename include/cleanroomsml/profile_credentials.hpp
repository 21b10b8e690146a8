#ifndef CLEANROOMSML_PROFILE_CREDENTIALS_HPP
#define CLEANROOMSML_PROFILE_CREDENTIALS_HPP

// Credentials configured in a profile of the shared `config` and
// `credentials` files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE; see
// config_file.hpp for the syntax).

#include <cleanroomsml/credentials_provider.hpp>

#include <string>

namespace cleanroomsml {

struct profile_options {
    /// The profile; empty: $AWS_PROFILE when set, else "default" (read at
    /// each fetch).
    std::string profile{};
};

/// At each fetch, reads both files (synchronously: they are small local
/// files) and resolves the profile in the AWS SDKs' order (botocore's
/// create_credential_resolver):
///
///  1. `role_arn` (without web_identity_token_file) with
///     - `source_profile`: the role is assumed (assume_role_credentials())
///       with the credentials of the source profile, which may itself be a
///       role with a source (role chaining). A source profile with static
///       keys ends the chain, even when it has a role_arn too, and is resolved
///       by steps 2-7 (without the environment's web identity). A profile
///       naming itself as source_profile assumes the role with its own static
///       keys; any other cycle is an error naming the cycle;
///     - `credential_source` = Environment | Ec2InstanceMetadata |
///       EcsContainer: the role is assumed with those credentials (the IMDS
///       settings may come from the profile);
///     with the profile's `role_session_name`, `external_id`,
///     `duration_seconds` (900..43200) and, for STS, the region of
///     AWS_REGION, else AWS_DEFAULT_REGION, else of the role's profile, else
///     of the selected profile. `mfa_serial` is not supported (no token
///     prompt): an error;
///  2. web identity: AWS_WEB_IDENTITY_TOKEN_FILE (with AWS_ROLE_ARN; also
///     when the profile does not exist), else the profile's
///     `web_identity_token_file` with its `role_arn`;
///  3. IAM Identity Center: `sso_account_id` / `sso_role_name` with
///     `sso_session` or the legacy `sso_start_url` + `sso_region`
///     (sso_credentials());
///  4. `aws_access_key_id` + `aws_secret_access_key` in the credentials file;
///  5. `login_session` (login_credentials());
///  6. `credential_process`: process_credentials() (default process_options);
///  7. `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`,
///     `aws_account_id`) in the config file.
///
/// Outcomes:
///  - the profile does not exist, or has none of the above:
///    client_errc::missing_credentials (a chain tries the next source);
///  - a file cannot be read or parsed: client_errc::invalid_configuration,
///    the diagnostics giving "file:line: problem";
///  - an inconsistent profile (one key of a pair, role_arn without a source,
///    source_profile and credential_source together, a missing source
///    profile, a cycle, a bad duration_seconds or credential_source, SSO
///    settings missing or conflicting with their sso-session):
///    client_errc::invalid_configuration;
///  - otherwise the outcome of the provider the profile resolves to, its
///    diagnostics' message prefixed with "profile 'name': ". Since the
///    profile asked for that source explicitly, its missing_credentials
///    becomes client_errc::invalid_configuration, so that a chain does not
///    silently fall back to other credentials.
/// Secrets never appear in the diagnostics.
CLEANROOMSML_DECL credentials_provider profile_credentials(profile_options opts = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/profile_credentials.ipp>
#endif

#endif
