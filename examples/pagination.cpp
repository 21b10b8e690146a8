// Pagination: three ways through a listing of audience models.
//   1. pages:  client.paginate(request)        -> one response per page
//   2. items:  client.paginate_items(request)  -> one summary at a time
//   3. by hand: nextToken in, nextToken out
// Each fetches lazily: nothing is sent before the first async_next.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <iostream>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<void> seed(crml::client& client, int models)
{
    crml::create_training_dataset_request ds{
        .name = "events",
        .role_arn = "arn:aws:iam::123456789012:role/ml",
        .training_data = {crml::dataset{
            .type = crml::dataset_type::interactions,
            .input_config = {.schema = {{.column_name = "u", .column_types = {crml::column_type::user_id}},
                                        {.column_name = "i", .column_types = {crml::column_type::item_id}},
                                        {.column_name = "t", .column_types = {crml::column_type::timestamp}}},
                             .data_source = {.glue_data_source = {.table_name = "events", .database_name = "db"}}}}}};
    auto arn = (co_await client.async_create_training_dataset(std::move(ds))).training_dataset_arn;
    for (int i = 0; i < models; ++i) {
        crml::create_audience_model_request m{.name = "model-" + std::to_string(i), .training_dataset_arn = arn};
        co_await client.async_create_audience_model(std::move(m));
    }
}

asio::awaitable<void> run(crml::client& client)
{
    co_await seed(client, 7);

    auto pages = client.paginate(crml::list_audience_models_request{.max_results = 3});
    int n = 0;
    while (auto page = co_await pages.async_next())
        std::cout << "page " << ++n << ": " << page->audience_models.size() << " models"
                  << (page->next_token ? ", more to come" : ", last") << '\n';

    auto items = client.paginate_items(crml::list_audience_models_request{.max_results = 3});
    int count = 0;
    while (auto model = co_await items.async_next()) {
        ++count;
        if (count == 1) std::cout << "first item: " << model->name << '\n';
    }
    std::cout << count << " items\n";

    // By hand, for callers that keep the token between requests (an API of
    // their own, a resumable job).
    std::optional<std::string> token;
    int by_hand = 0;
    do {
        crml::list_audience_models_request req{.next_token = token, .max_results = 5};
        auto page = co_await client.async_list_audience_models(std::move(req));
        by_hand += static_cast<int>(page.audience_models.size());
        token = page.next_token;
    } while (token);
    std::cout << by_hand << " by hand\n";
    if (count != 7 || by_hand != 7 || n != 3) throw std::runtime_error("unexpected listing");
}

int main()
{
    asio::io_context ioc;
    crml::testing::emulator emulator(ioc.get_executor());
    crml::client client(ioc.get_executor(), emulator.client_config());
    int status = 0;
    asio::co_spawn(ioc, run(client), [&](std::exception_ptr e) {
        if (e) {
            try { std::rethrow_exception(e); } catch (std::exception const& x) { std::cerr << x.what() << '\n'; }
            status = 1;
        }
        emulator.stop();
    });
    ioc.run();
    return status;
}
