#ifndef CLEANROOMSML_TESTING_EMULATOR_HPP
#define CLEANROOMSML_TESTING_EMULATOR_HPP

// An in-process Clean Rooms ML service on 127.0.0.1 for examples and tests:
// stateful, all 59 operations, SigV4 checked, statuses that move on with time.
// Custom-model resources live in the memberships of
// emulator_options::collaborations.
//
//   cleanroomsml::testing::emulator emu{ioc.get_executor()};
//   cleanroomsml::client client{ioc.get_executor(), emu.client_config()};
//
// It listens as soon as it is constructed and serves on a strand of the
// given executor, so it works on the caller's io_context next to the client.
// Destroying it (or stop()) closes the listener and every connection.
// The fault and lifecycle hooks may be called from any thread.

#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/model/shapes.hpp>
#include <cleanroomsml/testing/emulator_options.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace cleanroomsml::testing {

namespace detail { struct server_state; }

class emulator {
public:
    /// Binds and listens; throws boost::system::system_error when it cannot,
    /// std::invalid_argument when options.collaborations are not well-formed
    /// (ids not lower-case UUIDs, one declared twice, an account id not 12 digits).
    CLEANROOMSML_DECL explicit emulator(boost::asio::any_io_executor ex, emulator_options options = {});
    CLEANROOMSML_DECL ~emulator();
    emulator(emulator const&) = delete;
    emulator& operator=(emulator const&) = delete;

    /// "http://127.0.0.1:PORT" (https:// with options.tls).
    CLEANROOMSML_DECL std::string endpoint_url() const;
    CLEANROOMSML_DECL std::uint16_t port() const noexcept;
    /// A configuration that reaches this emulator: endpoint, region,
    /// credentials it accepts, and its CA with TLS.
    CLEANROOMSML_DECL cleanroomsml::client_config client_config() const;
    /// The server certificate (self-signed unless given); empty without TLS.
    CLEANROOMSML_DECL std::string const& certificate_pem() const noexcept;
    /// A PEM file holding certificate_pem(), removed with the emulator.
    CLEANROOMSML_DECL std::string const& ca_file() const noexcept;

    /// Stops listening and closes every connection. Idempotent.
    CLEANROOMSML_DECL void stop();

    // Faults for the next requests, consumed one per request in arrival order.
    /// 429 ThrottlingException.
    CLEANROOMSML_DECL void throttle_next(std::size_t count = 1);
    /// 500 InternalServerException, or 503 ServiceUnavailableException.
    CLEANROOMSML_DECL void fail_next(std::size_t count = 1, int status = 500);
    /// Answers normally, after waiting.
    CLEANROOMSML_DECL void delay_next(std::size_t count, std::chrono::milliseconds delay);
    /// Closes the connection without answering.
    CLEANROOMSML_DECL void close_next(std::size_t count = 1);
    /// Drops the faults not consumed yet.
    CLEANROOMSML_DECL void clear_faults();

    /// Makes the resource's current phase end in CREATE_FAILED (DELETE_FAILED
    /// while it is being deleted, CANCEL_FAILED while cancelled) with these
    /// details; for a trained model, its latest version's. Throws
    /// std::invalid_argument for an unknown ARN or a resource without such
    /// statuses (training datasets, configured audience models, algorithms,
    /// associations).
    CLEANROOMSML_DECL void fail_resource(std::string_view arn, status_details details);
    /// The same for one version of a trained model (not its base version,
    /// which has no identifier: use the overload above before versions exist).
    CLEANROOMSML_DECL void fail_resource(std::string_view trained_model_arn, std::string_view version_identifier,
                                         status_details details);

    /// Requests received so far, faulted ones included.
    CLEANROOMSML_DECL std::uint64_t requests() const;
    /// Connections open now, and the most that were open at once so far.
    CLEANROOMSML_DECL std::size_t connections() const noexcept;
    CLEANROOMSML_DECL std::size_t peak_connections() const noexcept;

private:
    std::shared_ptr<detail::server_state> state_;
};

} // namespace cleanroomsml::testing

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/testing/impl/emulator.ipp>
#endif

#endif
