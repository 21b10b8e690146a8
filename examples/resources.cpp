// Resources: create, get, list (paginated) and delete training datasets from
// one coroutine, against an embedded emulator (or --endpoint-url URL).

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace crml = cleanroomsml;
namespace asio = boost::asio;

crml::create_training_dataset_request dataset(std::string name)
{
    crml::create_training_dataset_request r;
    r.name = std::move(name);
    r.role_arn = "arn:aws:iam::123456789012:role/CleanRoomsML";
    r.training_data.push_back(crml::dataset{
        .type = crml::dataset_type::interactions,
        .input_config = {.schema = {{.column_name = "user", .column_types = {crml::column_type::user_id}},
                                    {.column_name = "item", .column_types = {crml::column_type::item_id}},
                                    {.column_name = "at", .column_types = {crml::column_type::timestamp}}},
                         .data_source = {.glue_data_source = {.table_name = "clicks", .database_name = "events"}}}});
    return r;
}

asio::awaitable<void> run(crml::client& client)
{
    // Create: requests are named variables, moved into the call.
    std::vector<std::string> arns;
    for (char const* name : {"clicks-jan", "clicks-feb", "clicks-mar", "clicks-apr", "clicks-may"}) {
        auto req = dataset(name);
        auto out = co_await client.async_create_training_dataset(std::move(req));
        arns.push_back(out.training_dataset_arn);
        std::cout << "created " << name << '\n';
    }

    // Get.
    crml::get_training_dataset_request get{.training_dataset_arn = arns.front()};
    auto first = co_await client.async_get_training_dataset(std::move(get));
    std::cout << "got " << first.name << ": " << first.status.value() << ", "
              << first.training_data.front().input_config.schema.size() << " columns\n";

    // List, two per page: the generator fetches one page at a time.
    crml::list_training_datasets_request list{.max_results = 2};
    auto pages = client.paginate(std::move(list));
    int page_no = 0;
    while (auto page = co_await pages.async_next()) {
        std::cout << "page " << ++page_no << ':';
        for (auto const& d : page->training_datasets) std::cout << ' ' << d.name;
        std::cout << '\n';
    }

    // Delete them all, then check the listing is empty.
    for (auto const& arn : arns) {
        crml::delete_training_dataset_request del{.training_dataset_arn = arn};
        co_await client.async_delete_training_dataset(std::move(del));
    }
    auto left = client.paginate_items(crml::list_training_datasets_request{});
    int remaining = 0;
    while (co_await left.async_next()) ++remaining;
    std::cout << "deleted " << arns.size() << ", " << remaining << " left\n";
    if (remaining != 0) throw std::runtime_error("datasets left behind");
}

int main(int argc, char** argv)
{
    asio::io_context ioc;
    std::optional<crml::testing::emulator> emulator;
    crml::client_config cfg;
    if (argc == 3 && std::string_view(argv[1]) == "--endpoint-url") {
        cfg = crml::load_config();
        cfg.endpoint_url = argv[2];
    } else {
        emulator.emplace(ioc.get_executor());
        cfg = emulator->client_config();
    }
    crml::client client(ioc.get_executor(), cfg);
    int status = 0;
    asio::co_spawn(ioc, run(client), [&](std::exception_ptr e) {
        if (e) {
            try { std::rethrow_exception(e); } catch (std::exception const& x) { std::cerr << x.what() << '\n'; }
            status = 1;
        }
        if (emulator) emulator->stop();
    });
    ioc.run();
    return status;
}
