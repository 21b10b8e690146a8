// End-to-end throughput: N GetAudienceModel calls, K in flight, through one
// cleanroomsml::client on one thread, against a given endpoint (normally the
// nginx that benchmarks/compare starts with a canned response). The client is
// told it runs on one thread (client_config::single_threaded); --strand keeps
// the default, a strand of its own, to measure what that costs.
//
//   throughput --endpoint URL [--ca-file PEM] [--calls N] [--in-flight K] [--warmup W] [--no-validate] [--strand]
//
// Prints one line of key=value pairs: req_per_s, p50_us, p99_us,
// cpu_us_per_call (user+sys of this process over the timed calls, from
// getrusage), allocs_per_call (global operator new over the timed calls) and
// calls. Every response is checked, so a server that answers something else
// fails the run instead of flattering it. Under valgrind --tool=callgrind
// the counters are zeroed after the warm-up, so a profile shows the timed
// calls only.

#include "alloc_counter.hpp"
#include "args.hpp"

#include <cleanroomsml.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/resource.h>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>  // under callgrind, counts start after the warm-up
#else
#define CALLGRIND_ZERO_STATS
#endif

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

namespace {

struct settings {
    std::string endpoint;
    std::string ca_file;
    long calls = 20000;
    int in_flight = 1;
    long warmup = 1000;
    bool validate = true;  // --no-validate: what the model checks cost, for profiles
    bool single_threaded = true;  // --strand: false
};

struct run_state {
    crml::client* client = nullptr;
    std::string arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    long remaining = 0;         // calls not yet started in this phase
    std::vector<float> latency_us;  // reserved up front: no allocation while timing
    long failures = 0;
    std::string first_failure;
};

double cpu_seconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto secs = [](timeval t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

// One of K workers: takes calls from the shared budget until it is spent.
asio::awaitable<void> worker(run_state& s, bool record)
{
    while (s.remaining > 0) {
        --s.remaining;
        crml::get_audience_model_request req;
        req.audience_model_arn = s.arn;
        auto const t0 = clock_type::now();
        auto [ec, model] = co_await s.client->async_get_audience_model(std::move(req),
                                                                      asio::as_tuple(asio::use_awaitable));
        auto const t1 = clock_type::now();
        if (ec || model.status != crml::audience_model_status::active || model.name.empty()) {
            if (s.failures++ == 0)
                s.first_failure = ec ? ec.message() : "unexpected response (status " + std::string(model.status.value()) + ")";
            continue;
        }
        if (record) s.latency_us.push_back(std::chrono::duration<float, std::micro>(t1 - t0).count());
    }
}

void run_phase(asio::io_context& io, run_state& s, long calls, int in_flight, bool record)
{
    s.remaining = calls;
    for (int i = 0; i < in_flight; ++i) asio::co_spawn(io, worker(s, record), asio::detached);
    io.restart();
    io.run();
}

bool parse_args(int argc, char** argv, settings& st)
{
    for (bench::args a(argc, argv); a.next();) {
        auto const f = a.flag();
        if (f == "--endpoint") st.endpoint = a.value();
        else if (f == "--ca-file") st.ca_file = a.value();
        else if (f == "--calls") st.calls = std::atol(a.value());
        else if (f == "--in-flight") st.in_flight = std::atoi(a.value());
        else if (f == "--warmup") st.warmup = std::atol(a.value());
        else if (f == "--no-validate") st.validate = false;
        else if (f == "--strand") st.single_threaded = false;
        else return a.unknown();
    }
    if (st.endpoint.empty() || st.calls <= 0 || st.in_flight <= 0 || st.warmup < 0) {
        std::fprintf(stderr, "usage: throughput --endpoint URL [--ca-file PEM] [--calls N>0] [--in-flight K>0] [--warmup W] [--no-validate] [--strand]\n");
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    settings st;
    if (!parse_args(argc, argv, st)) return 2;

    asio::io_context io(1);
    crml::client_config cfg;
    cfg.region = "us-east-1";
    cfg.endpoint_url = st.endpoint;
    cfg.credentials = crml::credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    if (!st.ca_file.empty()) cfg.tls.ca_file = st.ca_file;
    cfg.max_connections = static_cast<std::size_t>(st.in_flight);
    cfg.validate_requests = st.validate;
    cfg.single_threaded = st.single_threaded;  // io runs on this thread only
    crml::client client(io.get_executor(), cfg);

    run_state s;
    s.client = &client;
    // The warm-up opens the connections, fills the credential and signing-key
    // caches and lets every buffer reach its steady size.
    run_phase(io, s, std::max(st.warmup, long(st.in_flight)), st.in_flight, false);
    if (s.failures) {
        std::fprintf(stderr, "warm-up failed: %ld calls, first: %s\n", s.failures, s.first_failure.c_str());
        return 1;
    }

    s.latency_us.reserve(static_cast<std::size_t>(st.calls));
    CALLGRIND_ZERO_STATS;  // a no-op unless run under valgrind --tool=callgrind
    auto const a0 = bench::allocations.load();
    auto const c0 = cpu_seconds();
    auto const t0 = clock_type::now();
    run_phase(io, s, st.calls, st.in_flight, true);
    auto const wall = std::chrono::duration<double>(clock_type::now() - t0).count();
    auto const cpu = cpu_seconds() - c0;
    auto const allocs = bench::allocations.load() - a0;
    if (s.failures) {
        std::fprintf(stderr, "%ld of %ld calls failed, first: %s\n", s.failures, st.calls, s.first_failure.c_str());
        return 1;
    }

    auto& l = s.latency_us;
    std::sort(l.begin(), l.end());
    auto pct = [&](double p) { return double(l[std::min(l.size() - 1, std::size_t(p * double(l.size())))]); };
    double const n = double(st.calls);
    std::printf("req_per_s=%.0f p50_us=%.1f p99_us=%.1f cpu_us_per_call=%.2f allocs_per_call=%.2f calls=%ld\n",
                n / wall, pct(0.50), pct(0.99), cpu / n * 1e6, double(allocs) / n, st.calls);
    return 0;
}
