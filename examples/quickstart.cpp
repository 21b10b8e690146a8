// Quickstart: the whole Clean Rooms ML audience workflow in one coroutine.
//
//   quickstart                  against an embedded emulator (no AWS account)
//   quickstart --aws --role-arn ARN --database DB --table T --seed-s3 URI --output-s3 URI
//                               against AWS, configured like any AWS SDK
//                               (environment, ~/.aws/config, ~/.aws/credentials)
//
// Training dataset -> audience model (wait) -> configured audience model and
// its policy -> generation job (wait) -> export -> list exports -> clean up.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;

struct inputs {
    std::string role_arn = "arn:aws:iam::123456789012:role/CleanRoomsML";
    std::string database = "events", table = "purchases";
    std::string seed_s3 = "s3://example-bucket/seed/customers.csv";
    std::string output_s3 = "s3://example-bucket/audiences/";
};

// Polls an audience model and prints each status it passes through; the
// waiters (used further down) do the same silently and with backoff.
asio::awaitable<crml::get_audience_model_response> watch_model(crml::client& client, std::string arn,
                                                               std::chrono::milliseconds every)
{
    std::string last;
    for (;;) {
        crml::get_audience_model_request get{.audience_model_arn = arn};
        auto model = co_await client.async_get_audience_model(std::move(get));
        if (model.status.value() != last) {
            last = model.status.value();
            std::cout << "   audience model is " << last << '\n';
        }
        if (model.status != crml::audience_model_status::create_pending &&
            model.status != crml::audience_model_status::create_in_progress)
            co_return model;
        asio::steady_timer timer(co_await asio::this_coro::executor, every);
        co_await timer.async_wait(asio::use_awaitable);
    }
}

asio::awaitable<void> workflow(crml::client& client, inputs in, std::chrono::milliseconds poll)
{
    std::cout << "1. training dataset\n";
    crml::create_training_dataset_request ds_req{
        .name = "purchases-q1",
        .role_arn = in.role_arn,
        .training_data = {crml::dataset{
            .type = crml::dataset_type::interactions,
            .input_config = {.schema = {{.column_name = "user_id", .column_types = {crml::column_type::user_id}},
                                        {.column_name = "item_id", .column_types = {crml::column_type::item_id}},
                                        {.column_name = "ts", .column_types = {crml::column_type::timestamp}}},
                             .data_source = {.glue_data_source = {.table_name = in.table,
                                                                  .database_name = in.database}}}}},
        .tags = std::map<std::string, std::string>{{"team", "growth"}},
        .description = "Purchases of the last quarter",
    };
    auto ds = co_await client.async_create_training_dataset(std::move(ds_req));
    std::cout << "   " << ds.training_dataset_arn << '\n';

    std::cout << "2. audience model (training)\n";
    crml::create_audience_model_request model_req{.name = "purchasers", .training_dataset_arn = ds.training_dataset_arn};
    auto model_arn = (co_await client.async_create_audience_model(std::move(model_req))).audience_model_arn;
    auto model = co_await watch_model(client, model_arn, poll);
    if (model.status != crml::audience_model_status::active)
        throw std::runtime_error("training ended " + std::string(model.status.value()));

    std::cout << "3. configured audience model and its policy\n";
    crml::create_configured_audience_model_request cam_req{
        .name = "purchasers-lookalikes",
        .audience_model_arn = model_arn,
        .output_config = {.destination = {.s3_destination = {.s3_uri = in.output_s3}}, .role_arn = in.role_arn},
        .shared_audience_metrics = {crml::shared_audience_metrics::all},
        .audience_size_config = crml::audience_size_config{.audience_size_type = crml::audience_size_type::absolute,
                                                           .audience_size_bins = {10000, 50000}},
    };
    auto cam_arn = (co_await client.async_create_configured_audience_model(std::move(cam_req)))
                       .configured_audience_model_arn;
    crml::put_configured_audience_model_policy_request policy_req{
        .configured_audience_model_arn = cam_arn,
        .configured_audience_model_policy = R"({"Version":"2012-10-17","Statement":[]})",
        .policy_existence_condition = crml::policy_existence_condition::policy_must_not_exist,
    };
    auto policy = co_await client.async_put_configured_audience_model_policy(std::move(policy_req));
    std::cout << "   " << cam_arn << "\n   policy hash " << policy.policy_hash.substr(0, 16) << "...\n";

    std::cout << "4. audience generation job\n";
    crml::start_audience_generation_job_request job_req{
        .name = "spring-campaign",
        .configured_audience_model_arn = cam_arn,
        .seed_audience = {.data_source = crml::s3_config_map{.s3_uri = in.seed_s3}, .role_arn = in.role_arn},
    };
    auto job_arn = (co_await client.async_start_audience_generation_job(std::move(job_req))).audience_generation_job_arn;
    crml::wait_options patience{.min_delay = poll, .max_delay = 20 * poll, .max_wait = 2h};
    auto job = co_await client.async_wait_until_audience_generation_job_active(job_arn, patience);
    std::cout << "   job is " << job.status.value() << '\n';
    if (job.metrics)
        for (auto const& m : job.metrics->relevance_metrics)
            std::cout << "   relevance at " << m.audience_size.value << ": " << m.score.value_or(0) << '\n';

    std::cout << "5. export the 10,000 most similar users\n";
    crml::start_audience_export_job_request export_req{
        .name = "top-10k",
        .audience_generation_job_arn = job_arn,
        .audience_size = {.type = crml::audience_size_type::absolute, .value = 10000},
    };
    co_await client.async_start_audience_export_job(std::move(export_req));
    auto exported = co_await client.async_wait_until_audience_export_job_active(job_arn, "top-10k", patience);
    std::cout << "   " << exported.status.value() << " -> " << exported.output_location.value_or("?") << '\n';

    std::cout << "6. exports of this job\n";
    auto exports = client.paginate_items(crml::list_audience_export_jobs_request{.audience_generation_job_arn = job_arn});
    while (auto e = co_await exports.async_next()) std::cout << "   " << e->name << " " << e->status.value() << '\n';

    std::cout << "7. clean up\n";
    crml::delete_audience_generation_job_request del_job{.audience_generation_job_arn = job_arn};
    co_await client.async_delete_audience_generation_job(std::move(del_job));
    co_await client.async_wait_until_audience_generation_job_deleted(job_arn, patience);
    crml::delete_configured_audience_model_request del_cam{.configured_audience_model_arn = cam_arn};
    co_await client.async_delete_configured_audience_model(std::move(del_cam));
    crml::delete_audience_model_request del_model{.audience_model_arn = model_arn};
    co_await client.async_delete_audience_model(std::move(del_model));
    co_await client.async_wait_until_audience_model_deleted(model_arn, patience);
    crml::delete_training_dataset_request del_ds{.training_dataset_arn = ds.training_dataset_arn};
    co_await client.async_delete_training_dataset(std::move(del_ds));
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
        else if (a == "--role-arn") in.role_arn = value();
        else if (a == "--database") in.database = value();
        else if (a == "--table") in.table = value();
        else if (a == "--seed-s3") in.seed_s3 = value();
        else if (a == "--output-s3") in.output_s3 = value();
        else {
            std::cerr << "usage: quickstart [--aws --role-arn ARN --database DB --table T --seed-s3 URI --output-s3 URI]\n";
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
        opts.lifecycle_delay = 100ms;  // slow enough to see the statuses change
        emulator.emplace(ioc.get_executor(), opts);
        cfg = emulator->client_config();
        std::cout << "emulator at " << emulator->endpoint_url() << "\n\n";
    }
    crml::client client(ioc.get_executor(), cfg);

    int status = 0;
    auto const poll = aws ? std::chrono::milliseconds(30s) : std::chrono::milliseconds(20ms);
    asio::co_spawn(ioc, workflow(client, in, poll), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (crml::error_with_diagnostics const& x) {
                std::cerr << "failed: " << x.what() << '\n';
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
