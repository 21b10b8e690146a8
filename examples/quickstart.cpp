// Quickstart, part 1: the typed model. Build a request, let the library check
// it against the service model, and read a response the way the client will.
// (The client, the emulator and the rest of the quickstart come with the
// transport; see the README.)

#include <cleanroomsml.hpp>

#include <iostream>

namespace crml = cleanroomsml;

int main()
{
    // Requests are aggregates: designated initializers, in a named variable.
    crml::create_training_dataset_request request{
        .description = "Last quarter's purchase events",
        .name = "purchases-q1",
        .role_arn = "arn:aws:iam::123456789012:role/CleanRoomsMLReader",
        .tags = std::map<std::string, std::string>{{"team", "growth"}},
        .training_data = {crml::dataset{
            .input_config = {.data_source = {.glue_data_source = {.database_name = "events", .table_name = "purchases"}},
                             .schema = {{.column_name = "user_id", .column_types = {crml::column_type::user_id}},
                                        {.column_name = "item_id", .column_types = {crml::column_type::item_id}},
                                        {.column_name = "ts", .column_types = {crml::column_type::timestamp}}}},
            .type = crml::dataset_type::interactions}},
    };

    crml::diagnostics diag;
    if (auto ec = crml::validate(request, &diag)) {
        std::cerr << "invalid request: " << diag.to_string() << '\n';
        return 1;
    }
    std::cout << "request body: " << crml::to_json(request) << "\n\n";

    // A constraint violation names the member path and the rule.
    auto bad = request;
    bad.tags->emplace("aws:owner", "me");
    if (auto ec = crml::validate(bad, &diag))
        std::cout << "rejected before sending: " << diag.to_string() << "\n\n";

    // Responses decode straight into the output shape.
    crml::get_training_dataset_response response;
    auto ec = crml::from_json(R"({
        "trainingDatasetArn": "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/8f0c",
        "name": "purchases-q1", "roleArn": "arn:aws:iam::123456789012:role/CleanRoomsMLReader",
        "status": "ACTIVE", "trainingData": [],
        "createTime": "2024-04-01T10:00:00.250Z", "updateTime": 1711965600.5})",
        response, &diag);
    if (ec) {
        std::cerr << "bad response: " << diag.to_string() << '\n';
        return 1;
    }
    std::cout << response.name << " is " << response.status.value() << ", created "
              << std::chrono::duration_cast<std::chrono::milliseconds>(response.create_time.time_since_epoch()).count()
              << " ms after the epoch\n";
    return 0;
}
