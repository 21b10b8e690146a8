// A consumer of the installed library (or of the meson subproject): one call
// against the endpoint, region and keys of the environment (scripts/consumers
// points them at a standalone emulator). Prints the library's version and the
// number of training datasets; exits non-zero on any failure.
#include <cleanroomsml.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <exception>

namespace asio = boost::asio;
namespace crml = cleanroomsml;

int main()
{
    asio::io_context ioc;
    crml::client client{ioc.get_executor(), crml::load_config()};
    int rc = 1;
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            crml::list_training_datasets_request req;
            auto out = co_await client.async_list_training_datasets(std::move(req));
            std::printf("cleanroomsml %s: %zu training datasets\n", CLEANROOMSML_VERSION,
                        out.training_datasets.size());
            rc = 0;
        },
        [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& x) {
                std::fprintf(stderr, "call failed: %s\n", x.what());
            }
        });
    ioc.run();
    return rc;
}
