// Without coroutines: the same operations with a completion callback, and
// with std::future from a plain thread. Both are ordinary Asio completion
// tokens; the callback runs on the client's executor, never inside the call.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <iostream>
#include <future>
#include <thread>

namespace crml = cleanroomsml;
namespace asio = boost::asio;

int main()
{
    asio::io_context ioc;
    crml::testing::emulator emulator(ioc.get_executor());
    crml::client client(ioc.get_executor(), emulator.client_config());
    // The io_context runs on its own thread; this thread only starts calls
    // and waits for their results.
    auto work = asio::make_work_guard(ioc);
    std::thread io([&] { ioc.run(); });
    int status = 0;

    // 1. Callbacks, chained: create, then get what was created. The last one
    // hands its result back through a promise.
    std::promise<std::string> got_name;
    crml::create_training_dataset_request create{
        .name = "from-a-callback",
        .role_arn = "arn:aws:iam::123456789012:role/ml",
        .training_data = {crml::dataset{
            .type = crml::dataset_type::interactions,
            .input_config = {.schema = {{.column_name = "u", .column_types = {crml::column_type::user_id}},
                                        {.column_name = "i", .column_types = {crml::column_type::item_id}},
                                        {.column_name = "t", .column_types = {crml::column_type::timestamp}}},
                             .data_source = {.glue_data_source = {.table_name = "t", .database_name = "db"}}}}}};
    client.async_create_training_dataset(
        std::move(create), [&](crml::error_code ec, crml::create_training_dataset_response created) {
            if (ec) {
                got_name.set_value("create failed: " + ec.message());
                return;
            }
            crml::get_training_dataset_request get{.training_dataset_arn = created.training_dataset_arn};
            client.async_get_training_dataset(
                std::move(get), [&](crml::error_code ec2, crml::get_training_dataset_response got) {
                    got_name.set_value(ec2 ? "get failed: " + ec2.message() : got.name);
                });
        });
    auto name = got_name.get_future().get();
    std::cout << "callbacks: " << name << '\n';
    if (name != "from-a-callback") status = 1;

    // 2. Futures: the call returns a std::future; a failed call rethrows
    // from get().
    crml::list_training_datasets_request list;
    std::future<crml::list_training_datasets_response> page =
        client.async_list_training_datasets(std::move(list), asio::use_future);
    try {
        std::cout << "future: " << page.get().training_datasets.size() << " dataset(s)\n";
        crml::get_audience_model_request missing{
            .audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/missing"};
        client.async_get_audience_model(std::move(missing), asio::use_future).get();
        status = 1;  // should have thrown
    } catch (boost::system::system_error const& e) {
        std::cout << "future rethrew: " << e.code().message() << '\n';
    }

    client.close_idle();
    emulator.stop();
    work.reset();
    io.join();
    return status;
}
