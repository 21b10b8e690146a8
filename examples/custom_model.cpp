// A custom model trained and run in a collaboration, in one coroutine.
//
//   custom_model                against an embedded emulator (no AWS account)
//   custom_model --aws --membership ID --collaboration ID --role-arn ARN
//                --image URI --output-s3 URI --query SQL --receiver ACCOUNT
//                               against AWS, configured like any AWS SDK
//
// ML configuration -> configured model algorithm -> its association with the
// membership -> ML input channel from a protected query (wait) -> trained
// model (wait) -> a second version trained incrementally (wait) -> inference
// job (wait) -> export of the model to a member (wait) -> the
// collaboration's view -> clean up. Exits 1 when a step does not end as
// expected, so `meson test` checks it like the quickstart.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct inputs {
    std::string membership{crml::testing::default_membership_id};
    std::string collaboration{crml::testing::default_collaboration_id};
    std::string role_arn = "arn:aws:iam::123456789012:role/CleanRoomsML";
    std::string image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/churn-model:1.4";
    std::string output_s3 = "s3://example-bucket/models/";
    std::string query = "SELECT user_id, tenure, churned FROM customers";
    std::string receiver = "123456789012";
};

void expect(bool ok, std::string_view what)
{
    if (!ok) throw std::runtime_error("unexpected: " + std::string(what));
}

asio::awaitable<void> workflow(crml::client& client, inputs in, crml::wait_options patience)
{
    std::cout << "1. ML configuration of the membership\n";
    crml::put_ml_configuration_request config{
        .membership_identifier = in.membership,
        .default_output_location = {.destination = crml::destination{.s3_destination = {.s3_uri = in.output_s3}},
                                    .role_arn = in.role_arn},
    };
    co_await client.async_put_ml_configuration(std::move(config));

    std::cout << "2. configured model algorithm and its association\n";
    crml::create_configured_model_algorithm_request algorithm_req{
        .name = "churn-xgboost",
        .role_arn = in.role_arn,
        .training_container_config =
            crml::container_config{.image_uri = in.image,
                                   .metric_definitions = std::vector<crml::metric_definition>{
                                       {.name = "validation:auc", .regex = "auc=([0-9.]+)"}}},
        .inference_container_config = crml::inference_container_config{.image_uri = in.image},
    };
    auto algorithm = (co_await client.async_create_configured_model_algorithm(std::move(algorithm_req)))
                         .configured_model_algorithm_arn;
    crml::create_configured_model_algorithm_association_request association_req{
        .membership_identifier = in.membership,
        .configured_model_algorithm_arn = algorithm,
        .name = "churn-in-collaboration",
    };
    auto association = (co_await client.async_create_configured_model_algorithm_association(std::move(association_req)))
                           .configured_model_algorithm_association_arn;
    std::cout << "   " << association << '\n';

    std::cout << "3. ML input channel from a protected query\n";
    crml::create_ml_input_channel_request channel_req{
        .membership_identifier = in.membership,
        .configured_model_algorithm_associations = {association},
        .name = "customers",
        .retention_in_days = 7,
    };
    channel_req.input_channel.role_arn = in.role_arn;
    // A union: exactly one way to say where the data comes from.
    channel_req.input_channel.data_source.protected_query_input_parameters.emplace().sql_parameters.query_string =
        in.query;
    auto channel = (co_await client.async_create_ml_input_channel(std::move(channel_req))).ml_input_channel_arn;
    crml::get_ml_input_channel_request channel_get{.ml_input_channel_arn = channel,
                                                   .membership_identifier = in.membership};
    auto ready = co_await client.async_wait_until_ml_input_channel_active(std::move(channel_get), patience);
    std::cout << "   " << ready.status.value() << ", " << ready.number_of_records.value_or(0) << " records\n";
    expect(ready.status == crml::ml_input_channel_status::active, "the ML input channel is not ACTIVE");

    std::cout << "4. trained model\n";
    crml::create_trained_model_request train_req{
        .membership_identifier = in.membership,
        .name = "churn",
        .configured_model_algorithm_association_arn = association,
        .hyperparameters = std::map<std::string, std::string>{{"max_depth", "6"}, {"eta", "0.2"}},
        .resource_config = {.instance_type = crml::instance_type::ml_m5_xlarge, .volume_size_in_gb = 50},
        .data_channels = {{.ml_input_channel_arn = channel, .channel_name = "train"}},
    };
    auto trained = co_await client.async_create_trained_model(std::move(train_req));
    crml::get_trained_model_request model_get{.trained_model_arn = trained.trained_model_arn,
                                              .membership_identifier = in.membership};
    auto first_get = model_get;  // the request is taken by value; model_get is used again below
    auto model = co_await client.async_wait_until_trained_model_active(std::move(first_get), patience);
    expect(model.status == crml::trained_model_status::active, "the trained model is not ACTIVE");

    std::cout << "5. a second version, trained on top of the first\n";
    crml::create_trained_model_request again{
        .membership_identifier = in.membership,
        .name = "churn",  // the base model's name: a new version of it
        .configured_model_algorithm_association_arn = association,
        .resource_config = {.instance_type = crml::instance_type::ml_m5_xlarge, .volume_size_in_gb = 50},
        .incremental_training_data_channels = std::vector<crml::incremental_training_data_channel>{
            {.trained_model_arn = trained.trained_model_arn, .channel_name = "base"}},
        .data_channels = {{.ml_input_channel_arn = channel, .channel_name = "train"}},
    };
    auto second = co_await client.async_create_trained_model(std::move(again));
    expect(second.trained_model_arn == trained.trained_model_arn && second.version_identifier.has_value(),
           "incremental training did not make a version of the same model");
    auto version_get = model_get;
    version_get.version_identifier = second.version_identifier;
    co_await client.async_wait_until_trained_model_active(std::move(version_get), patience);
    crml::list_trained_model_versions_request versions_req{.membership_identifier = in.membership,
                                                           .trained_model_arn = trained.trained_model_arn};
    auto versions = client.paginate_items(std::move(versions_req));
    int count = 0;
    while (auto v = co_await versions.async_next()) {
        std::cout << "   version " << v->version_identifier.value_or("(base)") << " " << v->status.value() << '\n';
        ++count;
    }
    expect(count == 2, "ListTrainedModelVersions does not list two versions");

    std::cout << "6. inference job with the new version\n";
    crml::start_trained_model_inference_job_request infer_req{
        .membership_identifier = in.membership,
        .name = "churn-scores",
        .trained_model_arn = trained.trained_model_arn,
        .trained_model_version_identifier = second.version_identifier,
        .resource_config = {.instance_type = crml::inference_instance_type::ml_m5_xlarge},
        .output_configuration = {.members = {{.account_id = in.receiver}}},
        .data_source = {.ml_input_channel_arn = channel},
    };
    auto job_arn = (co_await client.async_start_trained_model_inference_job(std::move(infer_req)))
                       .trained_model_inference_job_arn;
    crml::get_trained_model_inference_job_request job_get{.membership_identifier = in.membership,
                                                          .trained_model_inference_job_arn = job_arn};
    auto job = co_await client.async_wait_until_trained_model_inference_job_active(std::move(job_get), patience);
    std::cout << "   " << job.status.value() << '\n';

    std::cout << "7. export of the model to a member\n";
    crml::start_trained_model_export_job_request export_req{
        .name = "to-partner",
        .trained_model_arn = trained.trained_model_arn,
        .trained_model_version_identifier = second.version_identifier,
        .membership_identifier = in.membership,
        .output_configuration = {.members = {{.account_id = in.receiver}}},
    };
    co_await client.async_start_trained_model_export_job(std::move(export_req));
    crml::list_collaboration_trained_model_export_jobs_request exports{
        .collaboration_identifier = in.collaboration,
        .trained_model_arn = trained.trained_model_arn,
        .trained_model_version_identifier = second.version_identifier,
    };
    auto exported = co_await client.async_wait_until_trained_model_export_job_active(std::move(exports), "to-partner",
                                                                                    patience);
    std::cout << "   " << exported.status.value() << '\n';

    std::cout << "8. what the collaboration sees\n";
    auto seen = client.paginate_items(
        crml::list_collaboration_trained_models_request{.collaboration_identifier = in.collaboration});
    bool listed = false;
    while (auto m = co_await seen.async_next()) {
        std::cout << "   " << m->name << " by " << m->creator_account_id << ": " << m->status.value() << '\n';
        listed = listed || m->trained_model_arn == trained.trained_model_arn;
    }
    expect(listed, "the collaboration does not list the trained model");

    std::cout << "9. clean up\n";
    crml::delete_trained_model_output_request drop_second{.trained_model_arn = trained.trained_model_arn,
                                                          .membership_identifier = in.membership,
                                                          .version_identifier = second.version_identifier};
    co_await client.async_delete_trained_model_output(std::move(drop_second));
    crml::delete_trained_model_output_request drop_base{.trained_model_arn = trained.trained_model_arn,
                                                        .membership_identifier = in.membership};
    co_await client.async_delete_trained_model_output(std::move(drop_base));
    co_await client.async_wait_until_trained_model_deleted(std::move(model_get), patience);
    crml::delete_ml_input_channel_data_request drop_data{.ml_input_channel_arn = channel,
                                                         .membership_identifier = in.membership};
    co_await client.async_delete_ml_input_channel_data(std::move(drop_data));
    crml::get_ml_input_channel_request channel_again{.ml_input_channel_arn = channel,
                                                     .membership_identifier = in.membership};
    co_await client.async_wait_until_ml_input_channel_deleted(std::move(channel_again), patience);
    crml::delete_ml_configuration_request drop_config{.membership_identifier = in.membership};
    co_await client.async_delete_ml_configuration(std::move(drop_config));
    std::cout << "done\n";
}

int main(int argc, char** argv)
{
    bool aws = false;
    inputs in;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(a) + " needs a value");
            return argv[++i];
        };
        if (a == "--aws") aws = true;
        else if (a == "--membership") in.membership = value();
        else if (a == "--collaboration") in.collaboration = value();
        else if (a == "--role-arn") in.role_arn = value();
        else if (a == "--image") in.image = value();
        else if (a == "--output-s3") in.output_s3 = value();
        else if (a == "--query") in.query = value();
        else if (a == "--receiver") in.receiver = value();
        else {
            std::cerr << "usage: custom_model [--aws --membership ID --collaboration ID --role-arn ARN --image URI\n"
                         "                     --output-s3 URI --query SQL --receiver ACCOUNT]\n";
            return 2;
        }
    }

    asio::io_context ioc;
    std::optional<crml::testing::emulator> emulator;
    crml::client_config cfg;
    if (aws) {
        cfg = crml::load_config();
    } else {
        crml::testing::emulator_options opts;
        opts.lifecycle_delay = 20ms;
        emulator.emplace(ioc.get_executor(), opts);
        cfg = emulator->client_config();
        std::cout << "emulator at " << emulator->endpoint_url() << "\n\n";
    }
    crml::client client(ioc.get_executor(), cfg);

    int status = 0;
    crml::wait_options patience{.min_delay = aws ? 30s : 10ms, .max_delay = aws ? 120s : 100ms, .max_wait = 6h};
    asio::co_spawn(ioc, workflow(client, in, patience), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& x) {
                std::cerr << "failed: " << x.what() << '\n';
            }
            status = 1;
        }
        if (emulator) emulator->stop();
    });
    ioc.run();
    return status;
}
