#ifndef CLEANROOMSML_TESTING_DETAIL_SERVICE_HPP
#define CLEANROOMSML_TESTING_DETAIL_SERVICE_HPP

// The emulated Clean Rooms ML service without its transport: an HTTP
// request goes in as views, the reply comes out as data. The emulator's
// server and the standalone executable put sockets around it; tests can call
// it directly.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/model/operations.hpp>
#include <cleanroomsml/testing/emulator_options.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
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

// Where a resource is in its life. Statuses are derived from the clock when
// read, so no timer runs in the emulator.
struct lifecycle {
    timestamp phase_start{};  ///< when creation or deletion began
    bool stepped = true;      ///< false: ACTIVE as soon as created
    bool deleting = false;
    std::optional<status_details> failure{};  ///< the current phase ends in *_FAILED
};

struct resource {
    std::string arn;
    std::string name;
    std::optional<std::string> description;
    std::map<std::string, std::string> tags;
    timestamp create_time{};
    timestamp update_time{};  ///< of changes other than status steps
    std::uint64_t seq = 0;    ///< creation order, for listings and page tokens
    lifecycle life;
};

struct training_dataset_record : resource {
    std::string role_arn;
    std::vector<cleanroomsml::dataset> training_data;
};

struct audience_model_record : resource {
    std::optional<std::string> kms_key_arn;
    std::string training_dataset_arn;
    std::optional<timestamp> training_data_start_time, training_data_end_time;
};

struct configured_audience_model_record : resource {
    std::string audience_model_arn;
    cleanroomsml::configured_audience_model_output_config output_config;
    std::vector<cleanroomsml::shared_audience_metrics> shared_audience_metrics;
    std::optional<std::int32_t> min_matching_seed_size;
    std::optional<cleanroomsml::audience_size_config> audience_size_config;
    std::optional<cleanroomsml::tag_on_create_policy> child_resource_tag_on_create_policy;
    std::optional<std::string> policy;
};

struct audience_generation_job_record : resource {
    std::string configured_audience_model_arn;
    std::optional<std::string> collaboration_id;
    cleanroomsml::audience_generation_job_data_source seed_audience;
    std::optional<bool> include_seed_in_output;
    std::string started_by;
};

struct audience_export_job_record : resource {
    std::string audience_generation_job_arn;
    cleanroomsml::audience_size audience_size;
    std::string output_location;
};

/// An error answer: the AWS error type and its message.
struct api_error {
    std::string type;
    std::string message;
};
using result = std::optional<api_error>;

class service {
public:
    CLEANROOMSML_DECL explicit service(emulator_options options);

    /// Serves one request. Thread-safe.
    CLEANROOMSML_DECL reply handle(incoming const& in);

    CLEANROOMSML_DECL void inject(fault f, std::size_t count);
    CLEANROOMSML_DECL void clear_faults();
    CLEANROOMSML_DECL void fail_resource(std::string_view arn, status_details details);
    CLEANROOMSML_DECL std::uint64_t requests() const;
    /// The emulator's clock: the system's plus options.clock_offset.
    CLEANROOMSML_DECL timestamp now() const;
    emulator_options const& options() const noexcept { return options_; }

    // The operations, one overload per request type. The lock is held.
#define CLEANROOMSML_EMULATOR_OPERATION(op, Request) \
    result serve(Request const& in, operation_traits<Request>::response& out);
    CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_EMULATOR_OPERATION)
#undef CLEANROOMSML_EMULATOR_OPERATION

    // What the dispatch code needs, public for its templates.
    CLEANROOMSML_DECL reply error_reply(reply r, api_error const& e, int status) const;

private:
    template <class Record>
    using table = std::map<std::string, Record, std::less<>>;

    std::string make_arn(std::string_view kind) const;
    std::string_view status_of(resource const& r, timestamp now) const;  // a literal: no allocation
    timestamp updated_at(resource const& r, timestamp now) const;
    void purge(timestamp now);
    resource* find_any(std::string_view arn);
    result check_tags(std::map<std::string, std::string> const& tags, std::size_t existing = 0) const;
    result check_quota(std::size_t in_use, std::string_view what) const;
    template <class Record>
    void init(Record& r, std::string_view kind, std::string name, std::optional<std::string> description,
              std::optional<std::map<std::string, std::string>> const& tags, bool stepped);
    std::string page_token(std::string_view listing, std::uint64_t seq) const;
    result read_page_token(std::optional<std::string> const& token, std::string_view listing,
                           std::uint64_t& seq) const;
    // One page of a table or of the export jobs, in creation order.
    template <class Records, class Filter, class Emit>
    result list(Records const& records, std::string_view listing, std::optional<std::int32_t> max_results,
                std::optional<std::string> const& next_token, std::optional<std::string>& out_token,
                Filter&& keep, Emit&& emit) const;

    emulator_options options_;
    std::string token_key_;  // signs page tokens, so forged ones are refused
    cleanroomsml::detail::signer verifier_;  // reused: building one fetches the digests again
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
};

} // namespace cleanroomsml::testing::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/testing/impl/service.ipp>
#endif

#endif
