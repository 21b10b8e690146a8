#ifndef CLEANROOMSML_ASSUME_ROLE_CREDENTIALS_HPP
#define CLEANROOMSML_ASSUME_ROLE_CREDENTIALS_HPP

// Credentials from STS AssumeRole, signed (SigV4) with the credentials of a
// source provider: what a profile with `role_arn` and `source_profile` (or
// `credential_source`) does.
//
//  - At each fetch the source is asked for credentials, then STS is called.
//    A failing source fails the fetch with the source's own code (so a
//    missing source gives client_errc::missing_credentials; the profile
//    provider that builds this one decides whether that is an error) and
//    the diagnostics name the source.
//  - Without a role ARN or a source: client_errc::missing_credentials.
//  - STS errors map as described in detail/sts.hpp.
//  - One try per fetch; a caching layer above decides when to try again.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cleanroomsml {

struct assume_role_options {
    std::string role_arn{};
    std::string session_name{};                  ///< role_session_name; empty: generated per fetch
    std::optional<std::string> external_id{};    ///< external_id
    std::chrono::seconds duration{3600};         ///< duration_seconds
    std::string region{};                        ///< for the STS endpoint; empty: the global endpoint
    std::optional<std::string> sts_endpoint{};   ///< overrides the STS URL ("http://127.0.0.1:8080")
    std::chrono::milliseconds timeout{10000};    ///< the STS request
    std::optional<std::string> ca_file{};        ///< PEM bundle for https; default: the system's trust store
};

/// Its name() is "assume-role".
CLEANROOMSML_DECL credentials_provider assume_role_credentials(credentials_provider source,
                                                               assume_role_options options);

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/assume_role_credentials.ipp>
#endif

#endif
