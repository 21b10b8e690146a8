// End-to-end throughput, tuned: N GetAudienceModel calls, K in flight, through
// one cleanroomsml::client on one thread, against a given endpoint (normally
// the nginx that benchmarks/compare starts with a canned response). The
// io_context is told it has one thread, the client that it runs on one thread
// (client_config::single_threaded; --strand keeps the default, a strand of its
// own, to measure what that costs), and calls complete with
// as_tuple(use_awaitable), no exception on failure. readme_path.cpp is the
// same measurement of a program written as the README teaches.
//
//   throughput --endpoint URL [--ca-file PEM] [--calls N] [--in-flight K] [--warmup W] [--no-validate] [--strand]
//
// Prints the result line of harness.hpp. Under valgrind --tool=callgrind the
// counters are zeroed after the warm-up, so a profile shows the timed calls
// only.

#include "harness.hpp"

#include <cleanroomsml.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace crml = cleanroomsml;
namespace asio = boost::asio;

namespace {

asio::awaitable<void> worker(bench::run_state& s)
{
    while (auto req = s.take()) {
        auto const t0 = bench::clock_type::now();
        auto [ec, model] = co_await s.client->async_get_audience_model(std::move(*req),
                                                                      asio::as_tuple(asio::use_awaitable));
        if (ec) s.failed(ec.message());
        else s.done(t0, model);
    }
}

} // namespace

int main(int argc, char** argv)
{
    bench::settings st;
    bool validate = true;         // --no-validate: what the model checks cost, for profiles
    bool single_threaded = true;  // --strand: false
    if (!bench::parse_args(argc, argv, st,
                           "throughput --endpoint URL [--ca-file PEM] [--calls N>0] [--in-flight K>0] [--warmup W] "
                           "[--no-validate] [--strand]",
                           [&](std::string_view f, bench::args&) {
                               if (f == "--no-validate") validate = false;
                               else if (f == "--strand") single_threaded = false;
                               else return false;
                               return true;
                           }))
        return 2;

    asio::io_context io(1);
    crml::client_config cfg;
    cfg.region = "us-east-1";
    cfg.endpoint_url = st.endpoint;
    cfg.credentials = crml::credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    if (!st.ca_file.empty()) cfg.tls.ca_file = st.ca_file;
    cfg.max_connections = static_cast<std::size_t>(st.in_flight);
    cfg.validate_requests = validate;
    cfg.single_threaded = single_threaded;  // io runs on this thread only
    crml::client client(io.get_executor(), cfg);
    return bench::measure(io, client, st, worker);
}
