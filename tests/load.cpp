// The load driver (support/load.hpp), short: thousands of mutations with
// injected faults through one client, on one thread and on several. Also
// built alone as concurrency_tests, which CI runs under ThreadSanitizer.

#include "support/load.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

void check(test_support::load_options const& opt)
{
    auto const rep = test_support::run_load(opt);
    char* text = nullptr;
    std::size_t size = 0;
    if (std::FILE* out = open_memstream(&text, &size)) {
        rep.print(out);
        std::fclose(out);
        BOOST_TEST_MESSAGE(text);
        std::free(text);
    }
    for (auto const& p : rep.problems()) BOOST_ERROR(p);
    BOOST_TEST(rep.faults_injected() > 0u);
    // Most calls succeed: the faults are rare and the client retries them.
    BOOST_TEST(rep.successes * 100 >= rep.calls * 95);
}

test_support::load_options options(std::size_t calls, std::size_t in_flight, std::size_t pool, unsigned threads = 1,
                                   std::uint64_t seed = 1)
{
    test_support::load_options opt;
    opt.calls = calls;
    opt.in_flight = in_flight;
    opt.pool = pool;
    opt.threads = threads;
    opt.seed = seed;
    return opt;
}

} // namespace

BOOST_AUTO_TEST_SUITE(load)

// Fewer connections than calls in flight throughout: the pool limit is exercised.
BOOST_AUTO_TEST_CASE(faults_one_thread) { check(options(3000, 64, 16)); }

BOOST_AUTO_TEST_CASE(faults_four_threads) { check(options(3000, 64, 16, 4)); }

BOOST_AUTO_TEST_CASE(faults_four_threads_tls)
{
    auto opt = options(1000, 32, 8, 4, 2);
    opt.tls = true;
    check(opt);
}

// The client takes the caller's strand as its own (no second strand inside):
// four threads, TLS, and ThreadSanitizer in CI watching for a race.
BOOST_AUTO_TEST_CASE(caller_strand_four_threads_tls)
{
    auto opt = options(1000, 32, 8, 4, 3);
    opt.tls = true;
    opt.caller_strand = true;
    check(opt);
}

// client_config::single_threaded: no strand at all, the io_context run by one thread.
BOOST_AUTO_TEST_CASE(single_threaded_client)
{
    auto opt = options(3000, 64, 16, 1, 4);
    opt.single_threaded = true;
    check(opt);
}

BOOST_AUTO_TEST_SUITE_END()
