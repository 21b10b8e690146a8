#ifndef CLEANROOMSML_TESTING_DETAIL_RECORDS_HPP
#define CLEANROOMSML_TESTING_DETAIL_RECORDS_HPP

// What the emulated service stores: one record per resource, with where it
// is in its life. Requests and responses are the model's shapes; records
// keep only what later reads need.

#include <cleanroomsml/model/shapes.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroomsml::testing::detail {

/// The phase a resource is in; each runs PENDING -> IN_PROGRESS -> its end.
enum class phase : std::uint8_t {
    create,  ///< ends ACTIVE (or CREATE_FAILED)
    cancel,  ///< ends INACTIVE (or CANCEL_FAILED)
    remove,  ///< ends gone, or INACTIVE when the record is kept (or DELETE_FAILED)
};

// Where a resource is in its life. Statuses are derived from the clock when
// read, so no timer runs in the emulator.
struct lifecycle {
    timestamp phase_start{};  ///< when the current phase began
    bool stepped = true;      ///< false: ACTIVE as soon as created, and no other status
    phase current = phase::create;
    bool kept = false;        ///< a finished deletion leaves the record INACTIVE instead of removing it
    std::optional<status_details> failure{};  ///< the current phase ends in *_FAILED
};

/// A resource as a read sees it now.
struct observed {
    std::string_view status;  ///< a literal
    timestamp update_time{};
    std::optional<status_details> details{};  ///< set when the status is *_FAILED
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

/// Where a custom-model resource was created: the membership its requests
/// name, that membership's collaboration, and the member's account.
struct membership_scope {
    std::string membership_id;
    std::string collaboration_id;
    std::string creator_account_id;
};

// ---- audiences ----

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
    std::optional<std::string> protected_query_id;  ///< a seed from a SQL query runs one
};

struct audience_export_job_record : resource {  // no ARN: known by generation job and name
    std::string audience_generation_job_arn;
    cleanroomsml::audience_size audience_size;
    std::string output_location;
};

// ---- custom models ----

/// Per membership; no status.
struct ml_configuration_record {
    cleanroomsml::ml_output_configuration default_output_location;
    timestamp create_time{};
    timestamp update_time{};
};

struct configured_model_algorithm_record : resource {  // account-level; no status
    std::string role_arn;
    std::optional<cleanroomsml::container_config> training_container_config;
    std::optional<cleanroomsml::inference_container_config> inference_container_config;
    std::optional<std::string> kms_key_arn;
};

struct algorithm_association_record : resource, membership_scope {  // no status
    std::string configured_model_algorithm_arn;
    std::optional<cleanroomsml::privacy_configuration> privacy_configuration;
};

struct ml_input_channel_record : resource, membership_scope {
    std::vector<std::string> associations;
    cleanroomsml::input_channel input_channel;
    std::int32_t retention_in_days = 0;
    std::optional<std::string> kms_key_arn;
    std::optional<cleanroomsml::payer_configuration> payer_configuration;
    std::string protected_query_id;  ///< the query that fills the channel, made at creation
};

/// One training of a trained model. Its arn is the model's, and its tags
/// are kept on the model.
struct trained_model_version : resource {
    std::optional<std::string> version_id;  ///< none for the base version
    std::string association_arn;
    std::optional<std::map<std::string, std::string>> hyperparameters;
    std::optional<std::map<std::string, std::string>> environment;
    cleanroomsml::resource_config resource_config;
    std::optional<cleanroomsml::stopping_condition> stopping_condition;
    std::optional<std::vector<cleanroomsml::incremental_training_data_channel_output>> incremental_channels;
    std::vector<cleanroomsml::model_training_data_channel> data_channels;
    std::optional<cleanroomsml::training_input_mode> training_input_mode;
    std::optional<std::string> kms_key_arn;
    std::optional<std::string> payer_account_id;
    std::optional<std::string> image_digest;  ///< of the algorithm's training image
};

struct trained_model_record : membership_scope {
    std::string arn;
    std::map<std::string, std::string> tags;
    std::uint64_t seq = 0;
    std::vector<trained_model_version> versions;  ///< the base version first, then in creation order

    trained_model_version& latest() { return versions.back(); }
    trained_model_version const& latest() const { return versions.back(); }
};

struct trained_model_export_job_record : resource, membership_scope {  // no ARN: known by model version and name
    std::string trained_model_arn;
    std::optional<std::string> version_id;
    cleanroomsml::trained_model_export_output_configuration output_configuration;
};

struct inference_job_record : resource, membership_scope {
    std::string trained_model_arn;
    std::optional<std::string> version_id;
    std::string association_arn;
    cleanroomsml::inference_resource_config resource_config;
    cleanroomsml::inference_output_configuration output_configuration;
    cleanroomsml::model_inference_data_source data_source;
    std::optional<cleanroomsml::inference_container_execution_parameters> container_execution_parameters;
    std::optional<std::map<std::string, std::string>> environment;
    std::optional<std::string> kms_key_arn;
    std::optional<std::string> payer_account_id;
    std::optional<std::string> image_digest;  ///< of the algorithm's inference image
};

} // namespace cleanroomsml::testing::detail

#endif
