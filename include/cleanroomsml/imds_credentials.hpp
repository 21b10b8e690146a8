#ifndef CLEANROOMSML_IMDS_CREDENTIALS_HPP
#define CLEANROOMSML_IMDS_CREDENTIALS_HPP

// Credentials of the EC2 instance profile, from the instance metadata service
// (IMDSv2 only; there is no IMDSv1 fallback):
//
//   PUT /latest/api/token                         x-aws-ec2-metadata-token-ttl-seconds: 21600
//   GET /latest/meta-data/iam/security-credentials/         -> the role name
//   GET /latest/meta-data/iam/security-credentials/<role>   -> the credentials JSON
//
// the GETs carrying `x-aws-ec2-metadata-token`. The token is cached per
// provider until shortly before its TTL ends (a minute early, or half the TTL
// for TTLs under two minutes) and fetched again when IMDS answers 401.
//
// Outcomes:
//   - disabled, or the token request cannot reach IMDS (connection refused,
//     unreachable, timed out, reset): client_errc::missing_credentials, so a
//     chain goes on to the next source;
//   - the role listing answers 404 or is empty (no instance profile):
//     client_errc::missing_credentials;
//   - any other HTTP error status: a service_errc by status (401 even with
//     a fresh token and 403 access_denied, 404 resource_not_found, 429
//     throttling, 5xx internal_server, else unknown) with
//     diagnostics.http_status set;
//   - a malformed answer (bad JSON, Code other than "Success", missing keys, a
//     bad Expiration): client_errc::unparsable_response naming the problem;
//   - a timeout on a later request: client_errc::connect_timeout or
//     attempt_timeout.
// Each HTTP request is tried `attempts` times in all when it fails on the
// network or with a 5xx status; every try is bounded by `timeout`.

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace cleanroomsml {

struct imds_options {
    enum class endpoint_mode { ipv4, ipv6 };

    /// The IMDS base URL ("http://127.0.0.1:8080"); wins over `mode`.
    /// AWS_EC2_METADATA_SERVICE_ENDPOINT or profile ec2_metadata_service_endpoint.
    std::optional<std::string> endpoint{};
    /// Chooses the default endpoint: http://169.254.169.254 or http://[fd00:ec2::254].
    /// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE or ec2_metadata_service_endpoint_mode ("IPv4", "IPv6").
    endpoint_mode mode = endpoint_mode::ipv4;
    /// Per HTTP request. AWS_METADATA_SERVICE_TIMEOUT or metadata_service_timeout (seconds).
    std::chrono::milliseconds timeout{1000};
    /// Tries per HTTP request, the first included. AWS_METADATA_SERVICE_NUM_ATTEMPTS or metadata_service_num_attempts.
    int attempts = 1;
    /// AWS_EC2_METADATA_DISABLED=true (case-insensitive).
    bool disabled = false;
    /// Asked for in x-aws-ec2-metadata-token-ttl-seconds.
    std::chrono::seconds token_ttl{21600};
    /// Skips the role listing. AWS_EC2_INSTANCE_PROFILE_NAME or ec2_instance_profile_name.
    std::optional<std::string> instance_profile_name{};

    /// The base URL used: `endpoint` without trailing '/', or the mode's default.
    CLEANROOMSML_DECL std::string endpoint_url() const;

    /// Reads the variables above, each winning over the property of
    /// `profile` (when not null). Throws boost::system::system_error with
    /// client_errc::invalid_configuration, naming the variable or property,
    /// for a malformed value (a bad mode, a non-positive number, ...).
    CLEANROOMSML_DECL static imds_options from_environment(profile_section const* profile = nullptr);
};

/// A provider for the instance profile's credentials. The options are
/// resolved when the provider is built (by default from the environment at
/// that moment), not at each fetch. Its name() is "imds".
CLEANROOMSML_DECL credentials_provider imds_credentials(imds_options options = imds_options::from_environment());

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/imds_credentials.ipp>
#endif

#endif
