// End-to-end throughput of a program written as the README teaches, with
// every default: `asio::io_context ioc;`, `client{ioc.get_executor(),
// load_config()}` (region, endpoint, CA bundle and credentials from the
// environment, the default credential chain), K `asio::awaitable` workers
// each doing a plain `co_await client.async_get_audience_model(req)` with the
// default token (failures throw error_with_diagnostics), built with the
// project's default buildtype. throughput.cpp is the tuned counterpart; the
// command line and the result line are the same (harness.hpp).
//
//   readme_path --endpoint URL [--ca-file PEM] [--calls N] [--in-flight K] [--warmup W]
//
// The flags only set what a deployment would set in the environment:
// AWS_ENDPOINT_URL, AWS_CA_BUNDLE, AWS_REGION and the access keys.

#include "harness.hpp"

#include <cleanroomsml.hpp>

#include <cstdlib>

namespace crml = cleanroomsml;
namespace asio = boost::asio;

namespace {

asio::awaitable<void> worker(bench::run_state& s)
{
    while (auto req = s.take()) {
        auto const t0 = bench::clock_type::now();
        try {
            auto model = co_await s.client->async_get_audience_model(std::move(*req));
            s.done(t0, model);
        } catch (crml::error_with_diagnostics const& e) {
            s.failed(e.what());
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    bench::settings st;
    if (!bench::parse_args(argc, argv, st,
                           "readme_path --endpoint URL [--ca-file PEM] [--calls N>0] [--in-flight K>0] [--warmup W]"))
        return 2;
    // What the service's environment would hold; nothing of this machine's.
    ::setenv("AWS_ENDPOINT_URL", st.endpoint.c_str(), 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", 1);
    ::unsetenv("AWS_SESSION_TOKEN");
    ::unsetenv("AWS_PROFILE");
    ::setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
    if (!st.ca_file.empty()) ::setenv("AWS_CA_BUNDLE", st.ca_file.c_str(), 1);

    asio::io_context ioc;
    crml::client client{ioc.get_executor(), crml::load_config()};
    return bench::measure(ioc, client, st, worker);
}
