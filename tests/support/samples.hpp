#ifndef CLEANROOMSML_TESTS_SUPPORT_SAMPLES_HPP
#define CLEANROOMSML_TESTS_SUPPORT_SAMPLES_HPP

// Valid requests and responses that several suites send or serve, written
// once so that a model change is mended in one place.

#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model/shapes.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <chrono>
#include <string>

namespace test_support {

/// An ACTIVE audience model, as GetAudienceModel's JSON body.
inline std::string audience_model_json(std::string const& arn, std::string const& name)
{
    cleanroomsml::get_audience_model_response r;
    r.create_time = cleanroomsml::timestamp(std::chrono::seconds(1700000000));
    r.update_time = r.create_time;
    r.name = name;
    r.audience_model_arn = arn;
    r.training_dataset_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/t1";
    r.status = cleanroomsml::audience_model_status::active;
    return cleanroomsml::to_json(r);
}

/// A CreateTrainingDataset request that passes validation: one Glue table
/// with user, item and timestamp columns.
inline cleanroomsml::create_training_dataset_request training_dataset_request(std::string name)
{
    namespace crm = cleanroomsml;
    crm::create_training_dataset_request r;
    r.name = std::move(name);
    r.role_arn = "arn:aws:iam::123456789012:role/ml";
    crm::dataset d;
    d.type = crm::dataset_type::interactions;
    d.input_config.data_source.glue_data_source.database_name = "db";
    d.input_config.data_source.glue_data_source.table_name = "events";
    d.input_config.schema.push_back({.column_name = "user", .column_types = {crm::column_type::user_id}});
    d.input_config.schema.push_back({.column_name = "item", .column_types = {crm::column_type::item_id}});
    d.input_config.schema.push_back({.column_name = "ts", .column_types = {crm::column_type::timestamp}});
    r.training_data.push_back(std::move(d));
    return r;
}

} // namespace test_support

#endif
