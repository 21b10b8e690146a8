#ifndef CLEANROOMSML_CREDENTIALS_CHAIN_HPP
#define CLEANROOMSML_CREDENTIALS_CHAIN_HPP

// Providers tried in order, and the AWS SDKs' default chain.

#include <cleanroomsml/credentials_provider.hpp>

#include <string>
#include <vector>

namespace cleanroomsml {

/// Tries the providers in order, one at a time. A provider that completes
/// with client_errc::missing_credentials (not configured) passes the turn to
/// the next; the first success ends the chain; any other error ends it too
/// (a source that is configured but fails is not skipped, as in the AWS
/// SDKs), its diagnostics kept and their message prefixed with the
/// provider's name. When every provider is missing (or the list is empty),
/// the chain completes with client_errc::missing_credentials and a message
/// listing each provider tried and why it had nothing. Empty handles in the
/// list are skipped.
CLEANROOMSML_DECL credentials_provider credentials_chain(std::vector<credentials_provider> providers);

/// The AWS SDKs' default chain, cached:
///
///   cached_credentials(credentials_chain({
///       environment_credentials(),                 // AWS_ACCESS_KEY_ID, ...
///       profile_credentials({profile}),            // in the SDKs' order: role_arn + source_profile /
///                                                  //   credential_source, web identity (AWS_WEB_IDENTITY_TOKEN_FILE,
///                                                  //   then web_identity_token_file), IAM Identity Center,
///                                                  //   the credentials file's keys, login_session,
///                                                  //   credential_process, the config file's keys
///       container_credentials(),                   // ECS / EKS Pod Identity
///       imds_credentials(),                        // EC2 instance metadata (IMDSv2)
///   }))
///
/// with the default cache_options (refresh 5 minutes before expiry, up to
/// 1 minute of jitter). `profile` empty: $AWS_PROFILE, else "default".
///
/// When the settings are read: the environment and profile sources read
/// theirs at each fetch. The container and IMDS sources take
/// their options from the environment when the chain is built (IMDS also
/// from the selected profile's ec2_metadata_* / metadata_service_*
/// properties, the shared files being read here for that). Building never
/// throws for a malformed setting: that source then fails its fetches with
/// the error (client_errc::invalid_configuration), which stops the chain
/// only if the sources before it found nothing.
CLEANROOMSML_DECL credentials_provider default_credentials_chain(std::string profile = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/credentials_chain.ipp>
#endif

#endif
