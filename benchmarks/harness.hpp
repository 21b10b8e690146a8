#ifndef CLEANROOMSML_BENCH_HARNESS_HPP
#define CLEANROOMSML_BENCH_HARNESS_HPP

// What the end-to-end programs (throughput.cpp, readme_path.cpp) share: the
// command line benchmarks/compare passes, K workers spending one budget of
// GetAudienceModel calls, a warm-up, and the one key=value result line
// (req_per_s, p50_us, p99_us, cpu_us_per_call from getrusage,
// allocs_per_call from the counting operator new, calls). The programs differ
// only in how they build the io_context and the client and in how a worker
// awaits a call, which is what they measure.

#include "alloc_counter.hpp"
#include "args.hpp"

#include <cleanroomsml/client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

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
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using clock_type = std::chrono::steady_clock;

struct settings {
    std::string endpoint;
    std::string ca_file;
    long calls = 20000;
    int in_flight = 1;
    long warmup = 1000;
};

/// Parses --endpoint --ca-file --calls --in-flight --warmup, and hands any
/// other flag to `extra` (false: unknown). Prints `usage` and returns false
/// on a bad command line.
inline bool parse_args(int argc, char** argv, settings& st, char const* usage,
                       std::function<bool(std::string_view, args&)> const& extra = {})
{
    for (args a(argc, argv); a.next();) {
        auto const f = a.flag();
        if (f == "--endpoint") st.endpoint = a.value();
        else if (f == "--ca-file") st.ca_file = a.value();
        else if (f == "--calls") st.calls = std::atol(a.value());
        else if (f == "--in-flight") st.in_flight = std::atoi(a.value());
        else if (f == "--warmup") st.warmup = std::atol(a.value());
        else if (!extra || !extra(f, a)) return a.unknown();
    }
    if (st.endpoint.empty() || st.calls <= 0 || st.in_flight <= 0 || st.warmup < 0) {
        std::fprintf(stderr, "usage: %s\n", usage);
        return false;
    }
    return true;
}

struct run_state {
    crml::client* client = nullptr;
    std::string arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    long remaining = 0;             // calls not yet started in this phase
    bool record = false;            // whether latencies are kept (the timed phase)
    std::vector<float> latency_us;  // reserved up front: no allocation while timing
    long failures = 0;
    std::string first_failure;

    /// Takes one call from the budget: its request (a named variable in the
    /// worker, never a temporary inside co_await: GCC 12), or none when the
    /// budget is spent.
    std::optional<crml::get_audience_model_request> take()
    {
        if (remaining <= 0) return std::nullopt;
        --remaining;
        crml::get_audience_model_request req;
        req.audience_model_arn = arn;
        return req;
    }
    /// Checks a response (a server that answers something else fails the
    /// run instead of flattering it) and records the call's latency.
    void done(clock_type::time_point t0, crml::get_audience_model_response const& model)
    {
        auto const t1 = clock_type::now();
        if (model.status != crml::audience_model_status::active || model.name.empty())
            return failed("unexpected response (status " + std::string(model.status.value()) + ")");
        if (record) latency_us.push_back(std::chrono::duration<float, std::micro>(t1 - t0).count());
    }
    void failed(std::string why)
    {
        if (failures++ == 0) first_failure = std::move(why);
    }
};

inline double cpu_seconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto secs = [](timeval t) { return double(t.tv_sec) + double(t.tv_usec) / 1e6; };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

/// Runs the warm-up (it opens the connections, fills the credential and
/// signing-key caches and lets every buffer reach its steady size), then the
/// timed calls, K workers at a time; prints the result line. Returns the
/// process's exit status.
template <class Worker>  // asio::awaitable<void>(run_state&)
int measure(asio::io_context& io, crml::client& client, settings const& st, Worker worker)
{
    run_state s;
    s.client = &client;
    auto phase = [&](long calls, bool record) {
        s.remaining = calls;
        s.record = record;
        for (int i = 0; i < st.in_flight; ++i) asio::co_spawn(io, worker(s), asio::detached);
        io.restart();
        io.run();
    };
    phase(std::max(st.warmup, long(st.in_flight)), false);
    if (s.failures) {
        std::fprintf(stderr, "warm-up failed: %ld calls, first: %s\n", s.failures, s.first_failure.c_str());
        return 1;
    }

    s.latency_us.reserve(static_cast<std::size_t>(st.calls));
    CALLGRIND_ZERO_STATS;  // a no-op unless run under valgrind --tool=callgrind
    auto const a0 = allocations.load();
    auto const c0 = cpu_seconds();
    auto const t0 = clock_type::now();
    phase(st.calls, true);
    auto const wall = std::chrono::duration<double>(clock_type::now() - t0).count();
    auto const cpu = cpu_seconds() - c0;
    auto const allocs = allocations.load() - a0;
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

} // namespace bench

#endif
