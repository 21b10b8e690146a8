#ifndef CLEANROOMSML_TESTS_SUPPORT_LOAD_HPP
#define CLEANROOMSML_TESTS_SUPPORT_LOAD_HPP

// A load run: many CreateTrainingDataset calls (unique names) through one
// client against the embedded emulator, with faults injected, counted on
// both sides. tests/load.cpp runs it short, benchmarks/load.cpp long.
//
// Calls complete through plain callbacks, so a completion delivered twice is
// counted rather than resuming a coroutine twice. Every fault is injected
// before a call starts and taken by whichever request reaches the emulator
// next, a retry of another call as often as not. After the calls, every
// dataset is listed and matched to the call that created it: nothing lost,
// nothing applied twice.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include "samples.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace test_support {

struct load_options {
    std::size_t calls = 3000;
    std::size_t in_flight = 64;
    double fault_rate = 0.02;      ///< chance that a call injects one fault (close, 503 or throttle)
    unsigned threads = 1;          ///< threads running the io_context the client and emulator share
    bool tls = false;
    bool caller_strand = false;    ///< build the client on a strand of the io_context, not on its executor
    bool single_threaded = false;  ///< client_config::single_threaded; needs threads == 1
    std::size_t pool = 0;          ///< client_config::max_connections; 0: its default
    bool verify_listing = true;    ///< list every dataset afterwards and match it with the calls
    std::uint64_t seed = 1;
    std::chrono::seconds deadline{120};  ///< calls still running then count as missing
    /// Live allocations, sampled for the report once the client is idle. Optional.
    std::function<std::int64_t()> live_allocations{};
};

struct load_report {
    std::size_t calls = 0, in_flight = 0, pool_size = 0;
    unsigned threads = 1;
    bool tls = false;
    std::size_t injected_closes = 0, injected_503 = 0, injected_throttles = 0;
    std::uint64_t server_requests = 0;  ///< attempts seen by the emulator, faulted ones included
    std::uint64_t server_closes = 0, server_503 = 0, server_429 = 0;  ///< faults served
    std::uint64_t server_other = 0;     ///< answers that are neither a created dataset nor a fault
    std::uint64_t server_successes = 0; ///< 2xx CreateTrainingDataset answers
    std::uint64_t client_attempts = 0;  ///< sum of diagnostics::attempts
    std::size_t successes = 0;
    std::map<std::string, std::size_t> errors;  ///< by "category:value message"
    std::string first_error;                    ///< its diagnostics
    std::size_t missing = 0;      ///< calls that never completed
    std::size_t duplicates = 0;   ///< completions beyond the first
    std::size_t undiagnosed = 0;  ///< errors without attempts or a message
    std::size_t listed = 0, listing_mismatches = 0;
    std::string listing_error;
    std::size_t max_open_connections = 0;  ///< at the emulator, at any moment
    std::size_t client_max_open = 0;       ///< client::stats().open, sampled from another thread
    std::size_t connections_opened = 0;    ///< by the client's pool
    std::size_t open_at_end = 0;           ///< at the emulator, once client and emulator stopped
    cleanroomsml::pool_stats idle_pool{};  ///< the client's, once every call completed
    double wall_seconds = 0, listing_seconds = 0;
    std::optional<std::int64_t> live_idle;  ///< with every dataset still held by the emulator

    std::size_t faults_injected() const { return injected_closes + injected_503 + injected_throttles; }
    std::size_t error_count() const
    {
        std::size_t n = 0;
        for (auto const& [code, count] : errors) n += count;
        return n;
    }

    /// The invariants a run must keep, as sentences; empty when all hold.
    std::vector<std::string> problems() const
    {
        std::vector<std::string> p;
        auto check = [&](bool ok, std::string what) {
            if (!ok) p.push_back(std::move(what));
        };
        auto n = [](auto v) { return std::to_string(v); };
        check(missing == 0, n(missing) + " calls never completed");
        check(duplicates == 0, n(duplicates) + " completions beyond the first");
        check(successes + error_count() + missing == calls, "completions do not add up to the calls");
        check(undiagnosed == 0, n(undiagnosed) + " errors without diagnostics");
        check(server_successes == successes, "the emulator created " + n(server_successes) +
                                                 " datasets, the client saw " + n(successes) + " succeed");
        check(server_other == 0, n(server_other) + " unexpected answers");
        check(server_closes <= injected_closes && server_503 <= injected_503 && server_429 <= injected_throttles,
              "more faults served than injected");
        check(max_open_connections <= pool_size,
              n(max_open_connections) + " connections open at once, pool size " + n(pool_size));
        check(client_max_open <= pool_size,
              "the client reported " + n(client_max_open) + " open connections, pool size " + n(pool_size));
        check(idle_pool.waiting == 0 && idle_pool.open == idle_pool.idle && idle_pool.open <= pool_size,
              "the pool is not idle after the calls");
        check(open_at_end == 0, n(open_at_end) + " connections left open");
        if (listed || !listing_error.empty() || listing_mismatches) {
            check(listing_error.empty(), "listing failed: " + listing_error);
            check(listing_mismatches == 0 && listed == successes,
                  n(listed) + " datasets listed for " + n(successes) + " successes, " + n(listing_mismatches) +
                      " mismatches");
        }
        return p;
    }

    void print(std::FILE* out) const
    {
        std::fprintf(out, "calls=%zu in_flight=%zu threads=%u tls=%s pool=%zu\n", calls, in_flight, threads,
                     tls ? "yes" : "no", pool_size);
        std::fprintf(out, "faults injected=%zu (close %zu, 503 %zu, throttle %zu) served: close %llu, 503 %llu, "
                          "throttle %llu\n",
                     faults_injected(), injected_closes, injected_503, injected_throttles,
                     static_cast<unsigned long long>(server_closes), static_cast<unsigned long long>(server_503),
                     static_cast<unsigned long long>(server_429));
        std::fprintf(out, "attempts client=%llu server=%llu\n", static_cast<unsigned long long>(client_attempts),
                     static_cast<unsigned long long>(server_requests));
        std::fprintf(out, "successes client=%zu server=%llu listed=%zu listing_mismatches=%zu\n", successes,
                     static_cast<unsigned long long>(server_successes), listed, listing_mismatches);
        std::fprintf(out, "errors=%zu", error_count());
        for (auto const& [code, count] : errors) std::fprintf(out, " [%s]=%zu", code.c_str(), count);
        std::fprintf(out, "\n");
        if (!first_error.empty()) std::fprintf(out, "first error: %s\n", first_error.c_str());
        std::fprintf(out, "completions missing=%zu duplicate=%zu undiagnosed=%zu\n", missing, duplicates, undiagnosed);
        std::fprintf(out, "connections max_open=%zu (client's view %zu, pool %zu) opened=%zu open_at_end=%zu idle_pool=%zu\n",
                     max_open_connections, client_max_open, pool_size, connections_opened, open_at_end, idle_pool.idle);
        std::fprintf(out, "wall=%.3fs calls/s=%.0f attempts/s=%.0f listing=%.3fs\n", wall_seconds,
                     double(calls) / wall_seconds, double(server_requests) / wall_seconds, listing_seconds);
        if (live_idle) std::fprintf(out, "live allocations idle=%lld\n", static_cast<long long>(*live_idle));
    }
};

namespace load_detail {

namespace asio = boost::asio;
namespace crml = cleanroomsml;

// What the emulator saw; written on its strand, read after the threads joined.
struct server_counts {
    std::atomic<std::uint64_t> answered{0}, created{0}, listed{0}, unavailable{0}, throttled{0}, other{0};
};

// A fixed pseudo-random number per call, so no generator is shared between threads.
inline std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

inline std::string dataset_name(std::size_t id) { return "load-" + std::to_string(id); }

inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

class run {
public:
    run(load_options const& opt, crml::client& client, crml::testing::emulator& emu, asio::io_context& ioc)
        : opt_(opt), client_(client), emu_(emu), ioc_(ioc), completions_(new std::atomic<unsigned>[opt.calls]{}),
          arns_(opt.calls)
    {
    }

    // One chain of calls per slot in flight, each starting the next from its completion.
    void start()
    {
        lanes_.resize(opt_.in_flight);
        for (auto& l : lanes_) next(l);
    }

    void next(crml::diagnostics& diag)
    {
        std::size_t const id = next_id_++;
        if (id >= opt_.calls) return;
        inject(id);
        auto req = training_dataset_request(dataset_name(id));
        client_.async_create_training_dataset(
            std::move(req), diag,
            [this, &diag, id](crml::error_code ec, crml::create_training_dataset_response out) {
                complete(id, ec, out, diag);
                next(diag);
            });
    }

    void complete(std::size_t id, crml::error_code ec, crml::create_training_dataset_response const& out,
                  crml::diagnostics const& diag)
    {
        if (completions_[id]++ != 0) {
            ++duplicates_;
            return;
        }
        attempts_ += static_cast<std::uint64_t>(diag.attempts);
        if (!ec && !out.training_dataset_arn.empty()) {
            arns_[id] = out.training_dataset_arn;
            ++successes_;
        } else {
            if (!ec) ec = make_error_code(boost::system::errc::bad_message);  // 2xx without an ARN
            std::string key = std::string(ec.category().name()) + ":" + std::to_string(ec.value()) + " " + ec.message();
            std::lock_guard lock(mutex_);
            ++errors_[key];
            if (diag.attempts < 1 || diag.message.empty()) ++undiagnosed_;
            if (first_error_.empty()) first_error_ = key + ": " + diag.to_string();
        }
        if (++done_ == opt_.calls) ioc_.stop();
    }

    // Lists every dataset and matches it with the call of its name.
    asio::awaitable<void> verify_listing()
    {
        std::vector<bool> seen(opt_.calls);
        crml::list_training_datasets_request req;
        req.max_results = 100;
        auto pages = client_.paginate(std::move(req));
        for (;;) {
            auto [ec, page] = co_await pages.async_next(use_tuple);
            if (ec) {
                listing_error_ = ec.message();
                break;
            }
            if (!page) break;
            for (auto const& s : page->training_datasets) {
                ++listed_;
                std::size_t id = opt_.calls;
                if (s.name.starts_with("load-")) id = std::strtoull(s.name.c_str() + 5, nullptr, 10);
                if (id >= opt_.calls || seen[id] || arns_[id] != s.training_dataset_arn) ++mismatches_;
                else seen[id] = true;
            }
        }
        for (std::size_t id = 0; id < opt_.calls; ++id)
            if (!arns_[id].empty() && !seen[id]) ++mismatches_;
    }

    void fill(load_report& r) const
    {
        r.injected_closes = closes_;
        r.injected_503 = unavailable_;
        r.injected_throttles = throttles_;
        r.client_attempts = attempts_;
        r.successes = successes_;
        r.duplicates = duplicates_;
        r.errors = errors_;
        r.first_error = first_error_;
        r.undiagnosed = undiagnosed_;
        r.missing = 0;
        for (std::size_t id = 0; id < opt_.calls; ++id)
            if (completions_[id] == 0) ++r.missing;
        r.listed = listed_;
        r.listing_mismatches = mismatches_;
        r.listing_error = listing_error_;
    }

private:
    void inject(std::size_t id)
    {
        auto const h = mix(opt_.seed * 0x100000001b3ull ^ id);
        if (double(h >> 11) * 0x1p-53 >= opt_.fault_rate) return;
        switch (h % 3) {
        case 0: emu_.close_next(); ++closes_; break;
        case 1: emu_.fail_next(1, 503); ++unavailable_; break;
        default: emu_.throttle_next(); ++throttles_; break;
        }
    }

    load_options const& opt_;
    crml::client& client_;
    crml::testing::emulator& emu_;
    asio::io_context& ioc_;
    std::vector<crml::diagnostics> lanes_;  // each lane's, reused call after call
    std::atomic<std::size_t> next_id_{0}, done_{0};
    std::unique_ptr<std::atomic<unsigned>[]> completions_;
    std::vector<std::string> arns_;  // per call, written by its first completion only
    std::atomic<std::size_t> successes_{0}, duplicates_{0}, closes_{0}, unavailable_{0}, throttles_{0};
    std::atomic<std::uint64_t> attempts_{0};
    std::mutex mutex_;  // for the three below
    std::map<std::string, std::size_t> errors_;
    std::string first_error_;
    std::size_t undiagnosed_ = 0;
    std::size_t listed_ = 0, mismatches_ = 0;  // the listing runs alone
    std::string listing_error_;
};

// Runs `ioc` on `threads` threads (this one included) until it stops or runs out of work.
inline void run_threads(asio::io_context& ioc, unsigned threads)
{
    ioc.restart();
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
}

} // namespace load_detail

/// Runs the load described by `opt` and reports what both sides counted.
inline load_report run_load(load_options const& opt)
{
    namespace asio = boost::asio;
    namespace crml = cleanroomsml;
    using clock = std::chrono::steady_clock;
    load_report rep;
    rep.calls = opt.calls;
    rep.in_flight = opt.in_flight;
    rep.threads = opt.threads < 1 ? 1 : opt.threads;
    rep.tls = opt.tls;
    {
        asio::io_context ioc(static_cast<int>(rep.threads));
        load_detail::server_counts srv;  // outlives the emulator, which reports to it
        crml::testing::emulator_options eo;
        eo.tls = opt.tls;
        eo.on_request = [&srv](crml::testing::request_log const& r) {
            ++srv.answered;
            bool const ok = r.status >= 200 && r.status < 300;
            if (ok && r.operation == "CreateTrainingDataset") ++srv.created;
            else if (ok && r.operation == "ListTrainingDatasets") ++srv.listed;
            else if (r.status == 503 && r.operation.empty()) ++srv.unavailable;
            else if (r.status == 429 && r.operation.empty()) ++srv.throttled;
            else ++srv.other;
        };
        crml::testing::emulator emu(ioc.get_executor(), std::move(eo));
        auto cfg = emu.client_config();
        if (opt.pool) cfg.max_connections = opt.pool;
        if (opt.single_threaded && rep.threads != 1)
            throw std::invalid_argument("load_options: single_threaded needs threads == 1");
        cfg.single_threaded = opt.single_threaded;
        rep.pool_size = cfg.max_connections;
        auto const client_ex = opt.caller_strand ? asio::any_io_executor(asio::make_strand(ioc))
                                                 : asio::any_io_executor(ioc.get_executor());
        std::optional<crml::client> client(std::in_place, client_ex, cfg);
        load_detail::run r(opt, *client, emu, ioc);

        // The calls; the last completion stops the io_context, or the deadline does.
        asio::steady_timer deadline(ioc, opt.deadline);
        deadline.async_wait([&ioc](crml::error_code ec) {
            if (!ec) ioc.stop();
        });
        // Meanwhile a thread of its own watches the pool, as a monitoring thread would.
        std::atomic<bool> watching{true};
        std::thread watcher([&] {
            while (watching.load(std::memory_order_relaxed)) {
                rep.client_max_open = std::max(rep.client_max_open, client->stats().open);
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
        });
        auto const t0 = clock::now();
        r.start();
        load_detail::run_threads(ioc, rep.threads);
        rep.wall_seconds = std::chrono::duration<double>(clock::now() - t0).count();
        watching.store(false, std::memory_order_relaxed);
        watcher.join();
        deadline.cancel();
        emu.clear_faults();
        // Every thread has joined: the counters are final.
        rep.idle_pool = client->stats();
        rep.connections_opened = rep.idle_pool.opened;
        rep.max_open_connections = emu.peak_connections();
        rep.server_requests = emu.requests();
        rep.server_closes = rep.server_requests - srv.answered;
        rep.server_503 = srv.unavailable;
        rep.server_429 = srv.throttled;
        rep.server_other = srv.other;
        rep.server_successes = srv.created;
        if (opt.live_allocations) rep.live_idle = opt.live_allocations();

        r.fill(rep);
        if (opt.verify_listing && rep.missing == 0) {
            std::exception_ptr failure;
            auto const l0 = clock::now();
            asio::co_spawn(ioc, r.verify_listing(), [&](std::exception_ptr e) {
                failure = e;
                ioc.stop();
            });
            load_detail::run_threads(ioc, rep.threads);
            rep.listing_seconds = std::chrono::duration<double>(clock::now() - l0).count();
            if (failure) std::rethrow_exception(failure);
            r.fill(rep);
        }

        // Both sides stop; nothing may be left running or open.
        client.reset();
        emu.stop();
        load_detail::run_threads(ioc, rep.threads);
        rep.open_at_end = emu.connections();
    }
    return rep;
}

} // namespace test_support

#endif
