#ifndef CLEANROOMSML_TESTING_DETAIL_SERVICE_HPP
#define CLEANROOMSML_TESTING_DETAIL_SERVICE_HPP

// The emulated Clean Rooms ML service without its transport: an HTTP
// request goes in as views, the reply comes out as data. The emulator's
// server and the standalone executable put sockets around it; tests can call
// it directly.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/model/operations.hpp>
#include <cleanroomsml/testing/detail/records.hpp>
#include <cleanroomsml/testing/emulator_options.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::testing::detail {

struct incoming {
    std::string_view method;
    std::string_view target;  ///< path and query as received
    std::span<std::pair<std::string_view, std::string_view> const> headers;
    std::string_view body;
};

struct reply {
    enum class action { respond, close };
    action what = action::respond;
    std::chrono::milliseconds delay{0};  ///< injected: wait this long before answering
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string operation;   ///< "GetAudienceModel"; empty when no operation matched
    std::string error_type;  ///< empty on success
    std::string request_id;
};

/// One injected fault, consumed by the next request that arrives.
struct fault {
    enum class kind { throttle, error, delay, close };
    kind what;
    int status = 0;
    std::chrono::milliseconds delay{0};
};

/// An error answer: the AWS error type and its message.
struct api_error {
    std::string type;
    std::string message;
};
using result = std::optional<api_error>;

/// A declared membership, as requests find it.
struct membership_info {
    std::string collaboration_id;
    std::string account_id;  ///< the member's, or the emulator's
};

class service {
public:
    /// Throws std::invalid_argument when options.collaborations are not
    /// well-formed (ids not lower-case UUIDs, a membership declared twice,
    /// an account id not 12 digits).
    CLEANROOMSML_DECL explicit service(emulator_options options);

    /// Serves one request. Thread-safe.
    CLEANROOMSML_DECL reply handle(incoming const& in);

    CLEANROOMSML_DECL void inject(fault f, std::size_t count);
    CLEANROOMSML_DECL void clear_faults();
    /// See emulator::fail_resource.
    CLEANROOMSML_DECL void fail_resource(std::string_view arn, status_details details);
    CLEANROOMSML_DECL void fail_resource(std::string_view arn, std::string_view version_identifier,
                                         status_details details);
    CLEANROOMSML_DECL std::uint64_t requests() const;
    /// The emulator's clock: the system's plus options.clock_offset.
    CLEANROOMSML_DECL timestamp now() const;
    emulator_options const& options() const noexcept { return options_; }

    // The operations, one overload per request type. The lock is held, and
    // the request's membership or collaboration label is a declared one.
#define CLEANROOMSML_EMULATOR_OPERATION(op, Request) \
    result serve(Request const& in, operation_traits<Request>::response& out);
    CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_EMULATOR_OPERATION)
#undef CLEANROOMSML_EMULATOR_OPERATION

    // What the dispatch code needs, public for its templates.
    CLEANROOMSML_DECL reply error_reply(reply r, api_error const& e, int status) const;
    CLEANROOMSML_DECL result check_membership(std::string_view id) const;
    CLEANROOMSML_DECL result check_collaboration(std::string_view id) const;

private:
    template <class Record>
    using table = std::map<std::string, Record, std::less<>>;
    struct located {
        std::map<std::string, std::string>* tags = nullptr;
        lifecycle* life = nullptr;  // null: the resource has no status that could fail
    };

    // ARNs: "<kind>/<uuid>" in the emulator's account, or for a membership's
    // resource "membership/<id>/<kind>/<uuid>" in the member's account.
    std::string make_arn(std::string_view kind, membership_scope const* in = nullptr) const;
    membership_scope scope_of(std::string_view membership_id) const;

    // Lifecycles.
    std::string_view status_of(lifecycle const& life) const;  // a literal: no allocation
    timestamp updated_at(resource const& r) const;
    observed observe(resource const& r) const;
    // Starts cancelling (only while creating) or deleting (only from a
    // settled status); ConflictException naming `what` otherwise.
    result begin(lifecycle& life, phase next, std::string_view what);
    void purge();

    located locate(std::string_view arn);
    result check_tags(std::map<std::string, std::string> const& tags, std::size_t existing = 0) const;
    result check_quota(std::size_t in_use, std::string_view what) const;
    template <class Record>
    void init(Record& r, std::string arn, std::string name, std::optional<std::string> description,
              std::optional<std::map<std::string, std::string>> const& tags, bool stepped);
    std::string page_token(std::string_view listing, std::uint64_t seq) const;
    result read_page_token(std::optional<std::string> const& token, std::string_view listing,
                           std::uint64_t& seq) const;
    // One page of a table or of a vector of records, in creation order.
    template <class Records, class Filter, class Emit>
    result list(Records const& records, std::string_view listing, std::optional<std::int32_t> max_results,
                std::optional<std::string> const& next_token, std::optional<std::string>& out_token,
                Filter&& keep, Emit&& emit) const;

    emulator_options options_;
    std::string token_key_;  // signs page tokens, so forged ones are refused
    cleanroomsml::detail::signer verifier_;  // reused: building one fetches the digests again
    std::map<std::string, membership_info, std::less<>> memberships_;
    std::set<std::string, std::less<>> collaborations_;
    mutable std::mutex mutex_;
    std::deque<fault> faults_;
    std::uint64_t requests_ = 0;
    std::uint64_t next_seq_ = 1;
    timestamp now_{};  // the request being served: one clock reading for all its checks

    table<training_dataset_record> training_datasets_;
    table<audience_model_record> audience_models_;
    table<configured_audience_model_record> configured_models_;
    table<audience_generation_job_record> generation_jobs_;
    std::vector<audience_export_job_record> export_jobs_;

    table<ml_configuration_record> ml_configurations_;  // by membership
    table<configured_model_algorithm_record> algorithms_;
    table<algorithm_association_record> associations_;
    table<ml_input_channel_record> input_channels_;
    table<trained_model_record> trained_models_;
    std::vector<trained_model_export_job_record> model_export_jobs_;
    table<inference_job_record> inference_jobs_;
};

} // namespace cleanroomsml::testing::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/testing/impl/service.ipp>
#endif

#endif
