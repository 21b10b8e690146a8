#ifndef CLEANROOMSML_TESTING_EMULATOR_OPTIONS_HPP
#define CLEANROOMSML_TESTING_EMULATOR_OPTIONS_HPP

#include <cleanroomsml/credentials.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroomsml::testing {

/// One served request, for logs (the standalone emulator prints these).
struct request_log {
    std::string method;
    std::string target;
    std::string operation;   ///< empty when no operation matched
    int status = 0;
    std::string error_type;  ///< empty on success
    std::string request_id;
};

/// A membership of a collaboration: who creates the custom-model resources
/// (ML input channels, trained models, inference jobs, ...) and through
/// which the collaboration-wide views show them.
struct emulated_membership {
    std::string id;            ///< the membership identifier (a UUID)
    std::string account_id{};  ///< the member's account; empty: emulator_options::account_id
};

/// A collaboration and its memberships. Resources created in one membership
/// are seen by the GetCollaboration* / ListCollaboration* operations of
/// their collaboration, and by no other.
struct emulated_collaboration {
    std::string id;  ///< the collaboration identifier (a UUID)
    std::vector<emulated_membership> memberships;
};

/// The collaboration and membership an emulator has unless told otherwise,
/// so that examples need no set-up.
inline constexpr std::string_view default_collaboration_id = "c0110000-0000-4000-8000-000000000001";
inline constexpr std::string_view default_membership_id = "3e3b0000-0000-4000-8000-000000000001";

struct emulator_options {
    bool tls = false;
    std::string region = "us-east-1";
    std::string account_id = "123456789012";
    /// Set: every request's signature is checked against these. Unset: any
    /// well-formed SigV4 request scoped to this region and service passes.
    std::optional<cleanroomsml::credentials> credentials{};
    /// Time per status step (CREATE_PENDING -> CREATE_IN_PROGRESS -> ACTIVE).
    std::chrono::milliseconds lifecycle_delay{200};
    /// The collaborations the caller is a member of (all memberships are the
    /// caller's); a request naming another membership or collaboration gets
    /// AccessDeniedException.
    std::vector<emulated_collaboration> collaborations{
        {std::string(default_collaboration_id), {{std::string(default_membership_id)}}}};

    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0: an ephemeral port
    /// TLS identity; when empty a self-signed certificate for 127.0.0.1 and
    /// localhost is made at start-up (see emulator::ca_file()).
    std::string certificate_pem{};
    std::string private_key_pem{};

    /// The emulator's clock runs this far ahead of the system's (negative:
    /// behind), to exercise clock-skew handling.
    std::chrono::milliseconds clock_offset{0};
    /// Resources of one kind that may exist at once; beyond it creation fails
    /// with ServiceQuotaExceededException. 0: no limit.
    std::size_t resource_quota = 0;
    /// Largest request body accepted.
    std::size_t max_request_bytes = 8 * 1024 * 1024;
    /// Called after each request, on the thread that served it.
    std::function<void(request_log const&)> on_request{};
};

} // namespace cleanroomsml::testing

#endif
