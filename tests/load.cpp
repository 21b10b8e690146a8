// The load driver (support/load.hpp), short: thousands of mutations with
// injected faults through one client, on one thread and on several. Also
// built alone as concurrency_tests, which CI runs under ThreadSanitizer.

#include "support/load.hpp"

#include <boost/test/unit_test.hpp>

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

} // namespace

BOOST_AUTO_TEST_SUITE(load)

BOOST_AUTO_TEST_CASE(faults_one_thread)
{
    test_support::load_options opt;
    opt.calls = 3000;
    opt.in_flight = 64;
    opt.pool = 16;  // fewer connections than calls in flight: the pool limit is exercised
    check(opt);
}

BOOST_AUTO_TEST_CASE(faults_four_threads)
{
    test_support::load_options opt;
    opt.calls = 3000;
    opt.in_flight = 64;
    opt.pool = 16;
    opt.threads = 4;
    check(opt);
}

BOOST_AUTO_TEST_CASE(faults_four_threads_tls)
{
    test_support::load_options opt;
    opt.calls = 1000;
    opt.in_flight = 32;
    opt.pool = 8;
    opt.threads = 4;
    opt.tls = true;
    opt.seed = 2;
    check(opt);
}

// The client takes the caller's strand as its own (no second strand inside):
// four threads, TLS, and ThreadSanitizer in CI watching for a race.
BOOST_AUTO_TEST_CASE(caller_strand_four_threads_tls)
{
    test_support::load_options opt;
    opt.calls = 1000;
    opt.in_flight = 32;
    opt.pool = 8;
    opt.threads = 4;
    opt.tls = true;
    opt.caller_strand = true;
    opt.seed = 3;
    check(opt);
}

// client_config::single_threaded: no strand at all, the io_context run by one thread.
BOOST_AUTO_TEST_CASE(single_threaded_client)
{
    test_support::load_options opt;
    opt.calls = 3000;
    opt.in_flight = 64;
    opt.pool = 16;
    opt.single_threaded = true;
    opt.seed = 4;
    check(opt);
}

BOOST_AUTO_TEST_SUITE_END()
