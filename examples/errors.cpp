// Error handling without exceptions: asio::as_tuple gives (error_code, result),
// a diagnostics object gives the details. Service errors compare against
// cleanroomsml::service_errc, client-side ones against client_errc, and
// transport failures keep their Asio codes.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace crml = cleanroomsml;
namespace asio = boost::asio;

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

asio::awaitable<int> run(crml::client& client, crml::testing::emulator& emulator)
{
    int problems = 0;
    crml::diagnostics diag;

    // 1. A resource that does not exist: a modelled service error.
    std::string const missing = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/does-not-exist";
    crml::get_audience_model_request get{.audience_model_arn = missing};
    auto [ec, model] = co_await client.async_get_audience_model(std::move(get), diag, no_throw);
    if (ec == crml::service_errc::resource_not_found)
        std::cout << "not found: HTTP " << diag.http_status << ", " << diag.error_type << ", request id "
                  << diag.request_id << "\n  " << diag.message << '\n';
    else
        ++problems;

    // 2. A request the model forbids never leaves the process.
    crml::tag_resource_request tag{.resource_arn = missing, .tags = {{"aws:reserved", "x"}}};
    auto [ec2, ignored] = co_await client.async_tag_resource(std::move(tag), diag, no_throw);
    if (ec2 == crml::client_errc::invalid_request && diag.path.starts_with("tags"))
        std::cout << "refused before sending: " << diag.path << ": " << diag.message << '\n';
    else
        ++problems;

    // 3. Throttling is retried by the client; diagnostics count the attempts.
    emulator.throttle_next(2);
    crml::list_training_datasets_request list;
    auto [ec3, page] = co_await client.async_list_training_datasets(std::move(list), diag, no_throw);
    if (!ec3)
        std::cout << "succeeded after " << diag.attempts << " attempts despite throttling\n";
    else
        ++problems;

    // 4. Faults that outlast the retries surface with the last answer.
    emulator.fail_next(3, 503);
    crml::list_training_datasets_request list2;
    auto [ec4, page2] = co_await client.async_list_training_datasets(std::move(list2), diag, no_throw);
    if (ec4 == crml::service_errc::internal_server || ec4 == crml::service_errc::unknown)
        std::cout << "gave up: " << ec4.message() << " (" << diag.to_string() << ")\n";
    else
        ++problems;
    co_return problems;
}

int main()
{
    asio::io_context ioc;
    crml::testing::emulator emulator(ioc.get_executor());
    crml::client client(ioc.get_executor(), emulator.client_config());
    int problems = -1;
    asio::co_spawn(ioc, run(client, emulator), [&](std::exception_ptr e, int n) {
        problems = e ? -1 : n;
        emulator.stop();
    });
    ioc.run();
    if (problems != 0) std::cerr << "unexpected outcome\n";
    return problems == 0 ? 0 : 1;
}
