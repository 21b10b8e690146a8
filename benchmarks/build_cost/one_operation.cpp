// Build-cost probe: like all_operations.cpp but a single operation, to show
// what a program that uses one call pays in binary size.
#include <cleanroomsml.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <utility>

namespace asio = boost::asio;
namespace crml = cleanroomsml;

asio::awaitable<void> call_one(crml::client& client)
{
    crml::get_audience_model_request r;  // named, not a temporary (GCC 12 bug)
    auto x = co_await client.async_get_audience_model(std::move(r));
    (void)x;
}

int main()
{
    asio::io_context ioc;
    crml::client_config cfg;
    cfg.region = "us-east-1";
    cfg.endpoint_url = "http://127.0.0.1:1";
    crml::client client(ioc.get_executor(), cfg);
    asio::co_spawn(ioc, call_one(client), asio::detached);
    ioc.run();
}
