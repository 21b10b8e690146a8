// Timeouts and cancellation.
//   * per-call timeouts through call_options (connect, attempt, operation);
//   * cancelling a call from outside through an Asio cancellation slot;
//   * racing a call against a timer with awaitable operators.
// Each completes with a distinct error and leaves the client usable.

#include <cleanroomsml.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>

namespace crml = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

constexpr auto no_throw = asio::as_tuple(asio::use_awaitable);

asio::awaitable<int> run(crml::client& client, crml::testing::emulator& emulator)
{
    int problems = 0;
    crml::diagnostics diag;

    // 1. The server takes 2 s; this call allows 100 ms per attempt, 1 attempt.
    emulator.delay_next(1, 2s);
    crml::call_options quick{.attempt_timeout = 100ms, .max_attempts = 1};
    crml::list_audience_models_request r1;
    auto [ec1, out1] = co_await client.async_list_audience_models(std::move(r1), quick, diag, no_throw);
    std::cout << "attempt timeout: " << ec1.message() << " (which: " << diag.timeout << ")\n";
    if (ec1 != crml::client_errc::attempt_timeout) ++problems;

    // 2. A whole-operation budget covers the retries and their sleeps.
    emulator.fail_next(10, 503);
    crml::call_options budget{.operation_timeout = 300ms, .max_attempts = 10};
    crml::list_audience_models_request r2;
    auto [ec2, out2] = co_await client.async_list_audience_models(std::move(r2), budget, diag, no_throw);
    std::cout << "operation timeout after " << diag.attempts << " attempts: " << ec2.message() << '\n';
    if (ec2 != crml::client_errc::operation_timeout) ++problems;
    emulator.clear_faults();

    // 3. Cancel from outside: a signal emitted by a timer 50 ms later.
    emulator.delay_next(1, 2s);
    asio::cancellation_signal stop;
    asio::steady_timer later(co_await asio::this_coro::executor, 50ms);
    later.async_wait([&](boost::system::error_code) { stop.emit(asio::cancellation_type::terminal); });
    crml::list_audience_models_request r3;
    auto [ec3, out3] = co_await client.async_list_audience_models(
        std::move(r3), asio::bind_cancellation_slot(stop.slot(), no_throw));
    std::cout << "cancelled: " << ec3.message() << '\n';
    if (ec3 != asio::error::operation_aborted) ++problems;

    // 4. Race against a timer: whichever finishes first wins, the other is
    // cancelled.
    emulator.delay_next(1, 2s);
    asio::steady_timer deadline(co_await asio::this_coro::executor, 50ms);
    crml::list_audience_models_request r4;
    auto winner = co_await (client.async_list_audience_models(std::move(r4), asio::use_awaitable) ||
                            deadline.async_wait(asio::use_awaitable));
    std::cout << "race won by " << (winner.index() == 0 ? "the call" : "the timer") << '\n';
    if (winner.index() != 1) ++problems;

    // The client is still fine afterwards.
    crml::list_audience_models_request r5;
    auto ok = co_await client.async_list_audience_models(std::move(r5));
    std::cout << "and then a normal call: " << ok.audience_models.size() << " models\n";
    co_return problems;
}

int main()
{
    asio::io_context ioc;
    crml::testing::emulator emulator(ioc.get_executor());
    crml::client client(ioc.get_executor(), emulator.client_config());
    int problems = -1;
    asio::co_spawn(ioc, run(client, emulator), [&](std::exception_ptr e, int n) {
        if (e) {
            try { std::rethrow_exception(e); } catch (std::exception const& x) { std::cerr << x.what() << '\n'; }
        }
        problems = e ? -1 : n;
        emulator.stop();
    });
    ioc.run();
    return problems == 0 ? 0 : 1;
}
