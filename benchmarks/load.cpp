// Load with faults: N CreateTrainingDataset calls, K in flight, through one
// cleanroomsml::client against the embedded emulator, which drops, fails
// (503) or throttles a share of the requests. tests/support/load.hpp runs it
// and checks what both sides counted; this program adds the memory figures.
//
//   load [--calls N] [--in-flight K] [--fault-rate R] [--threads T] [--pool P] [--tls] [--no-listing]
//
// Exits 1 when an invariant fails: a call completed twice or never, the
// emulator and the client disagree on what was created, more connections
// than the pool allows, or live allocations not back to where they were.

#define CLEANROOMSML_BENCH_COUNT_LIVE  // the run checks that memory comes back
#include "alloc_counter.hpp"
#include "args.hpp"

#include "support/load.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string_view>
#include <unistd.h>

namespace {

long rss_kib()
{
    long pages = 0, resident = 0;
    std::ifstream("/proc/self/statm") >> pages >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

bool parse_args(int argc, char** argv, test_support::load_options& o)
{
    for (bench::args a(argc, argv); a.next();) {
        auto const f = a.flag();
        if (f == "--calls") o.calls = std::strtoull(a.value(), nullptr, 10);
        else if (f == "--in-flight") o.in_flight = std::strtoull(a.value(), nullptr, 10);
        else if (f == "--fault-rate") o.fault_rate = std::atof(a.value());
        else if (f == "--threads") o.threads = static_cast<unsigned>(std::atoi(a.value()));
        else if (f == "--pool") o.pool = std::strtoull(a.value(), nullptr, 10);
        else if (f == "--tls") o.tls = true;
        else if (f == "--no-listing") o.verify_listing = false;
        else return a.unknown();
    }
    if (o.calls == 0 || o.in_flight == 0 || o.threads == 0 || o.fault_rate < 0 || o.fault_rate > 1) {
        std::fprintf(stderr, "usage: load [--calls N>0] [--in-flight K>0] [--fault-rate 0..1] [--threads T>0] "
                             "[--pool P] [--tls] [--no-listing]\n");
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    test_support::load_options opt;
    opt.calls = 100000;
    opt.in_flight = 256;
    opt.deadline = std::chrono::seconds(600);
    if (!parse_args(argc, argv, opt)) return 2;

    // A short run first: one-time state (the signer's digests, per-thread
    // scratch of this thread, OpenSSL's tables) exists before the baseline.
    auto warm = opt;
    warm.calls = std::min<std::size_t>(opt.calls, 2000);
    warm.verify_listing = false;
    if (!test_support::run_load(warm).problems().empty()) {
        std::fprintf(stderr, "warm-up failed\n");
        return 1;
    }

    opt.live_allocations = [] { return static_cast<std::int64_t>(bench::live.load()); };
    auto const live_before = bench::live.load();
    auto const rss_before = rss_kib();
    bool ok = true;
    {
        auto const rep = test_support::run_load(opt);
        rep.print(stdout);
        for (auto const& p : rep.problems()) {
            std::printf("FAILED: %s\n", p.c_str());
            ok = false;
        }
    }
    auto const live_after = bench::live.load();
    std::printf("live allocations before=%lld after=%lld; rss before=%ld KiB after=%ld KiB\n", live_before,
                live_after, rss_before, rss_kib());
    if (live_after != live_before) {
        std::printf("FAILED: %lld allocations not freed\n", live_after - live_before);
        ok = false;
    }
    return ok ? 0 : 1;
}
