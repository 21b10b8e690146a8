// Build-cost probe: one TU that includes the umbrella header and calls every
// operation, so all 59 request/response codecs and the call machinery are
// instantiated (only GetAudienceModel with BUILD_COST_ONE_OPERATION, as
// one_operation.cpp does). Only compiled and linked by benchmarks/build-cost, never run
// (the endpoint is a closed port).
#include <cleanroomsml.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <utility>

namespace asio = boost::asio;
namespace crml = cleanroomsml;

asio::awaitable<void> call_all(crml::client& client)
{
    // Named request variables, not temporaries in the co_await (GCC 12 bug).
#define CALL(op, Request)                                 \
    {                                                     \
        Request r;                                        \
        auto x = co_await client.async_##op(std::move(r)); \
        (void)x;                                          \
    }
#ifdef BUILD_COST_ONE_OPERATION
    CALL(get_audience_model, crml::get_audience_model_request)
#else
    CLEANROOMSML_FOR_EACH_OPERATION(CALL)
#endif
#undef CALL
}

int main()
{
    asio::io_context ioc;
    crml::client_config cfg;
    cfg.region = "us-east-1";
    cfg.endpoint_url = "http://127.0.0.1:1";
    crml::client client(ioc.get_executor(), cfg);
    asio::co_spawn(ioc, call_all(client), asio::detached);
    ioc.run();
}
