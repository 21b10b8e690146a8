// Using the emulator in your own Boost.Test tests: a fixture starts it on the
// test's io_context, the code under test gets emulator.client_config(), and
// each test runs its coroutine to completion. No AWS account, no network.

#define BOOST_TEST_MODULE emulator_example
#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/included/unit_test.hpp>

#include <functional>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;

// The code under test: counts the audience models that are ACTIVE.
asio::awaitable<int> count_active_models(crml::client& client)
{
    int n = 0;
    auto models = client.paginate_items(crml::list_audience_models_request{});
    while (auto m = co_await models.async_next())
        if (m->status == crml::audience_model_status::active) ++n;
    co_return n;
}

struct emulated_service {
    asio::io_context ioc;
    crml::testing::emulator emulator{ioc.get_executor(), options()};
    crml::client client{ioc.get_executor(), emulator.client_config()};

    static crml::testing::emulator_options options()
    {
        crml::testing::emulator_options o;
        o.lifecycle_delay = 10ms;
        return o;
    }

    // Runs one coroutine to the end; rethrows what it threw.
    void run(std::function<asio::awaitable<void>()> body)
    {
        std::exception_ptr failure;
        asio::co_spawn(ioc, body(), [&](std::exception_ptr e) {
            failure = e;
            client.close_idle();
            emulator.stop();
        });
        ioc.run();
        if (failure) std::rethrow_exception(failure);
    }

    asio::awaitable<std::string> make_model(std::string name)
    {
        crml::create_training_dataset_request ds{
            .name = name + "-data",
            .role_arn = "arn:aws:iam::123456789012:role/ml",
            .training_data = {crml::dataset{
                .type = crml::dataset_type::interactions,
                .input_config = {.schema = {{.column_name = "u", .column_types = {crml::column_type::user_id}},
                                            {.column_name = "i", .column_types = {crml::column_type::item_id}},
                                            {.column_name = "t", .column_types = {crml::column_type::timestamp}}},
                                 .data_source = {.glue_data_source = {.table_name = "t", .database_name = "db"}}}}}};
        auto data = co_await client.async_create_training_dataset(std::move(ds));
        crml::create_audience_model_request m{.name = name, .training_dataset_arn = data.training_dataset_arn};
        co_return (co_await client.async_create_audience_model(std::move(m))).audience_model_arn;
    }
};

BOOST_FIXTURE_TEST_CASE(counts_only_active_models, emulated_service)
{
    run([&]() -> asio::awaitable<void> {
        auto first = co_await make_model("first");
        co_await client.async_wait_until_audience_model_active(first, crml::wait_options{.min_delay = 5ms});
        co_await make_model("second");  // still training
        BOOST_TEST(co_await count_active_models(client) == 1);
    });
}

BOOST_FIXTURE_TEST_CASE(a_failed_training_is_reported, emulated_service)
{
    run([&]() -> asio::awaitable<void> {
        auto arn = co_await make_model("doomed");
        emulator.fail_resource(arn, {.status_code = "DATA_TOO_SMALL", .message = "not enough interactions"});
        crml::diagnostics diag;
        auto [ec, model] = co_await client.async_wait_until_audience_model_active(
            arn, crml::wait_options{.min_delay = 5ms}, diag, asio::as_tuple(asio::use_awaitable));
        BOOST_TEST((ec == crml::client_errc::waiter_failure));
        BOOST_TEST(diag.message.find("DATA_TOO_SMALL") != std::string::npos);
    });
}

BOOST_FIXTURE_TEST_CASE(survives_throttling, emulated_service)
{
    run([&]() -> asio::awaitable<void> {
        emulator.throttle_next(2);
        BOOST_TEST(co_await count_active_models(client) == 0);
        BOOST_TEST(emulator.requests() == 3u);
    });
}
