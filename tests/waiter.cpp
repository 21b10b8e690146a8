// The waiters against a scripted local server: status sequences, failure
// states with their statusDetails, timeouts, deletion, the export job
// lookup across pages, cancellation and the completion token styles. The
// backoff itself is checked as a function, without timers.

#include <cleanroomsml.hpp>

#include "support/client_fixture.hpp"
#include "support/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace crm = cleanroomsml;
namespace asio = boost::asio;
namespace detail = cleanroomsml::detail;
using namespace std::chrono_literals;
using test_support::http_server;
using test_support::recorded_request;
using test_support::scripted_response;
using clock_type = std::chrono::steady_clock;

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
constexpr char dataset_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/td1";
constexpr char model_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/am1";
constexpr char configured_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/cam1";
constexpr char generation_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/agj1";

scripted_response ok_json(std::string body)
{
    return scripted_response{.status = 200,
                             .headers = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "req-ok"}},
                             .body = std::move(body)};
}

scripted_response aws_error(int status, std::string type, std::string message)
{
    return scripted_response{.status = status,
                             .headers = {{"x-amzn-ErrorType", type}, {"x-amzn-RequestId", "req-err"},
                                         {"Content-Type", "application/json"}},
                             .body = "{\"message\":\"" + message + "\"}"};
}

scripted_response not_found() { return aws_error(404, "ResourceNotFoundException", "no such resource"); }

// A Get response of type R in `status`, with statusDetails where R has them.
template <class R>
std::string get_json(std::string_view status, std::optional<crm::status_details> details = std::nullopt)
{
    R r{};
    r.name = "thing";
    r.status = decltype(r.status){status};
    if constexpr (requires { r.status_details; }) r.status_details = details;
    return crm::to_json(r);
}

crm::audience_export_job_summary export_job(std::string name, std::string_view status)
{
    crm::audience_export_job_summary j;
    j.name = std::move(name);
    j.audience_generation_job_arn = generation_arn;
    j.status = crm::audience_export_job_status{status};
    j.audience_size = crm::audience_size{crm::audience_size_type::absolute, 1000};
    j.output_location = "s3://bucket/out/";
    return j;
}

bool starts_with(std::string const& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Answers the n-th request (from 0) with the n-th status, the last one thereafter.
template <class R>
auto status_sequence(std::vector<std::string> statuses, std::vector<clock_type::time_point>* times = nullptr,
                     std::optional<crm::status_details> details = std::nullopt)
{
    return [statuses = std::move(statuses), times, details, n = std::size_t(0)](recorded_request const&) mutable {
        if (times) times->push_back(clock_type::now());
        auto const& s = statuses[std::min(n++, statuses.size() - 1)];
        if (s == "404") return not_found();
        return ok_json(get_json<R>(s, details));
    };
}

crm::wait_options fast(std::chrono::milliseconds min, std::chrono::milliseconds max, std::chrono::milliseconds wait)
{
    crm::wait_options o;
    o.min_delay = min;
    o.max_delay = max;
    o.max_wait = wait;
    return o;
}

bool contains(std::string const& s, std::string_view part) { return s.find(part) != std::string::npos; }

} // namespace

BOOST_AUTO_TEST_SUITE(waiter)

BOOST_AUTO_TEST_CASE(backoff_doubles_within_the_bounds)
{
    auto const o = fast(100ms, 1000ms, 1h);
    // The ceiling: min_delay * 2^(polls-1), capped at max_delay.
    BOOST_TEST(detail::waiter_delay(o, 1, 1.0).count() == 100);
    BOOST_TEST(detail::waiter_delay(o, 2, 1.0).count() == 200);
    BOOST_TEST(detail::waiter_delay(o, 3, 1.0).count() == 400);
    BOOST_TEST(detail::waiter_delay(o, 4, 1.0).count() == 800);
    BOOST_TEST(detail::waiter_delay(o, 5, 1.0).count() == 1000);
    BOOST_TEST(detail::waiter_delay(o, 1000, 1.0).count() == 1000);
    // The jitter: uniform between min_delay and the ceiling.
    for (int polls : {1, 2, 5, 40}) BOOST_TEST(detail::waiter_delay(o, polls, 0.0).count() == 100);
    BOOST_TEST(detail::waiter_delay(o, 3, 0.5).count() == 250);
    // max_delay below min_delay counts as min_delay; huge values do not overflow.
    BOOST_TEST(detail::waiter_delay(fast(500ms, 10ms, 1h), 7, 1.0).count() == 500);
    auto const huge = fast(1ms, std::chrono::milliseconds::max(), 1h);
    BOOST_TEST((detail::waiter_delay(huge, 100000, 1.0) == std::chrono::milliseconds::max()));
    BOOST_TEST(detail::waiter_delay(huge, 100000, 0.0).count() == 1);
    // A zero min_delay still backs off from 1 ms.
    BOOST_TEST(detail::waiter_delay(fast(0ms, 50ms, 1h), 4, 1.0).count() == 8);
    // The defaults are the AWS SDK waiters'.
    crm::wait_options const d;
    BOOST_TEST(d.min_delay.count() == 2000);
    BOOST_TEST(d.max_delay.count() == 120000);
}

BOOST_AUTO_TEST_CASE(statuses_are_judged_per_goal)
{
    using detail::judge_status;
    using detail::poll_verdict;
    using detail::rules_of;
    using detail::wait_goal;
    auto const model_active = rules_of<crm::get_audience_model_request, wait_goal::active>();
    auto const model_deleted = rules_of<crm::get_audience_model_request, wait_goal::deleted>();
    BOOST_TEST((judge_status(model_active, "ACTIVE") == poll_verdict::success));
    BOOST_TEST((judge_status(model_active, "CREATE_PENDING") == poll_verdict::pending));
    BOOST_TEST((judge_status(model_active, "CREATE_IN_PROGRESS") == poll_verdict::pending));
    BOOST_TEST((judge_status(model_active, "CREATE_FAILED") == poll_verdict::failure));
    BOOST_TEST((judge_status(model_active, "DELETE_PENDING") == poll_verdict::failure));
    BOOST_TEST((judge_status(model_active, "SOMETHING_NEW") == poll_verdict::pending));
    BOOST_TEST((judge_status(model_active, "SOMETHING_NEW_FAILED") == poll_verdict::failure));
    BOOST_TEST((judge_status(model_deleted, "ACTIVE") == poll_verdict::pending));
    BOOST_TEST((judge_status(model_deleted, "DELETE_IN_PROGRESS") == poll_verdict::pending));
    BOOST_TEST((judge_status(model_deleted, "DELETE_FAILED") == poll_verdict::failure));
    BOOST_TEST((judge_status(model_deleted, "CREATE_FAILED") == poll_verdict::failure));

    // Trained models: a cancellation or an INACTIVE model never becomes
    // ACTIVE; deleting the output ends in INACTIVE, which ends a deletion wait.
    auto const tm_active = rules_of<crm::get_trained_model_request, wait_goal::active>();
    auto const tm_deleted = rules_of<crm::get_trained_model_request, wait_goal::deleted>();
    for (auto s : {"CANCEL_PENDING", "CANCEL_IN_PROGRESS", "CANCEL_FAILED", "INACTIVE", "DELETE_IN_PROGRESS"})
        BOOST_TEST((judge_status(tm_active, s) == poll_verdict::failure), s);
    BOOST_TEST((judge_status(tm_deleted, "INACTIVE") == poll_verdict::success));
    BOOST_TEST((judge_status(tm_deleted, "DELETE_PENDING") == poll_verdict::pending));
    BOOST_TEST((judge_status(tm_deleted, "CANCEL_FAILED") == poll_verdict::failure));
    // Inference jobs: INACTIVE and the CANCEL_* states end a wait for ACTIVE.
    auto const job_active = rules_of<crm::get_trained_model_inference_job_request, wait_goal::active>();
    BOOST_TEST((judge_status(job_active, "ACTIVE") == poll_verdict::success));
    BOOST_TEST((judge_status(job_active, "INACTIVE") == poll_verdict::failure));
    BOOST_TEST((judge_status(job_active, "CANCEL_IN_PROGRESS") == poll_verdict::failure));
    BOOST_TEST((judge_status(job_active, "CREATE_IN_PROGRESS") == poll_verdict::pending));
    // ML input channels: INACTIVE once their data is deleted.
    auto const channel_deleted = rules_of<crm::get_ml_input_channel_request, wait_goal::deleted>();
    BOOST_TEST((judge_status(channel_deleted, "INACTIVE") == poll_verdict::success));
    BOOST_TEST((judge_status(channel_deleted, "ACTIVE") == poll_verdict::pending));
    // Audience models have no INACTIVE: an unknown status keeps polling.
    BOOST_TEST((judge_status(model_deleted, "INACTIVE") == poll_verdict::pending));
}

BOOST_AUTO_TEST_CASE(active_after_three_polls)
{
    asio::io_context ioc;
    std::vector<clock_type::time_point> times;
    http_server server(ioc, status_sequence<crm::get_audience_model_response>(
                                {"CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"}, &times));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const opts = fast(30ms, 80ms, 20s);
        auto model = co_await client.async_wait_until_audience_model_active(model_arn, opts);
        BOOST_TEST((model.status == crm::audience_model_status::active));
        BOOST_TEST(model.name == "thing");
    });
    BOOST_TEST_REQUIRE(times.size() == 3u);
    for (auto const& r : server.requests()) BOOST_TEST(starts_with(r.target, "/audience-model/arn%3Aaws"));
    for (std::size_t i = 1; i < times.size(); ++i) {
        auto const gap = std::chrono::duration_cast<std::chrono::milliseconds>(times[i] - times[i - 1]);
        BOOST_TEST(gap.count() >= 30, "gap " << gap.count() << " ms");
        BOOST_TEST(gap.count() <= 80 + 1000, "gap " << gap.count() << " ms");  // the poll's own time on a loaded machine
    }
}

BOOST_AUTO_TEST_CASE(create_failed_reports_status_details)
{
    asio::io_context ioc;
    crm::status_details details{.status_code = "INVALID_TRAINING_DATA", .message = "the training data has no rows"};
    http_server server(ioc, status_sequence<crm::get_audience_model_response>({"CREATE_PENDING", "CREATE_FAILED"},
                                                                              nullptr, details));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto const opts = fast(5ms, 10ms, 20s);
        auto [ec, model] =
            co_await client.async_wait_until_audience_model_active(model_arn, opts, diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::waiter_failure), ec.message());
        BOOST_TEST(model.name.empty());
        BOOST_TEST(contains(diag.message, "audience model"), diag.message);
        BOOST_TEST(contains(diag.message, model_arn), diag.message);
        BOOST_TEST(contains(diag.message, "CREATE_FAILED"), diag.message);
        BOOST_TEST(contains(diag.message, "INVALID_TRAINING_DATA"), diag.message);
        BOOST_TEST(contains(diag.message, "the training data has no rows"), diag.message);
        BOOST_TEST(diag.attempts == 2);
        BOOST_TEST(diag.request_id == "req-ok");
    });
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(plain_co_await_throws_with_the_diagnostics)
{
    asio::io_context ioc;
    crm::status_details details{.status_code = "INTERNAL_FAILURE", .message = "out of capacity"};
    http_server server(ioc, status_sequence<crm::get_audience_generation_job_response>({"CREATE_FAILED"}, nullptr,
                                                                                       details));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        try {
            co_await client.async_wait_until_audience_generation_job_active(generation_arn);
            BOOST_TEST(false, "no exception");
        } catch (crm::error_with_diagnostics const& e) {
            BOOST_TEST((e.code() == crm::client_errc::waiter_failure));
            std::string const what = e.what();
            BOOST_TEST(contains(what, "audience generation job"), what);
            BOOST_TEST(contains(what, "CREATE_FAILED"), what);
            BOOST_TEST(contains(what, "INTERNAL_FAILURE"), what);
            BOOST_TEST(contains(what, "out of capacity"), what);
            BOOST_TEST(contains(e.diagnostics().message, "out of capacity"));
        }
    });
}

BOOST_AUTO_TEST_CASE(a_status_that_never_changes_times_out)
{
    asio::io_context ioc;
    std::vector<clock_type::time_point> times;
    http_server server(ioc, status_sequence<crm::get_audience_model_response>({"CREATE_IN_PROGRESS"}, &times));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto start = clock_type::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto const opts = fast(10ms, 40ms, 300ms);
        start = clock_type::now();
        auto [ec, model] = co_await client.async_wait_until_audience_model_active(model_arn, opts, diag, tuple);
        BOOST_TEST((ec == crm::client_errc::waiter_timeout), ec.message());
        BOOST_TEST(contains(diag.message, "did not become ACTIVE within 300 ms"), diag.message);
        BOOST_TEST(contains(diag.message, "last status: CREATE_IN_PROGRESS"), diag.message);
        BOOST_TEST(contains(diag.message, model_arn), diag.message);
        BOOST_TEST(diag.attempts == static_cast<int>(times.size()));
    });
    auto const elapsed = clock_type::now() - start;
    BOOST_TEST((elapsed >= 300ms));
    BOOST_TEST((elapsed < 5s));
    BOOST_TEST_REQUIRE(times.size() >= 4u);
    // The last poll is the one nearest the deadline: at it (the sleep before it
    // is cut short to meet the deadline), or, when the poll before the deadline
    // answers after it, that poll, at most one max_delay (40 ms) earlier. Never
    // one sleep past the deadline.
    auto const last = times.back() - start;
    BOOST_TEST((last >= 300ms - 40ms), std::chrono::duration_cast<std::chrono::milliseconds>(last).count() << " ms");
    BOOST_TEST((last < 300ms + 40ms), std::chrono::duration_cast<std::chrono::milliseconds>(last).count() << " ms");
}

BOOST_AUTO_TEST_CASE(unknown_statuses_keep_polling)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_training_dataset_response>({"SOMETHING_NEW", "ACTIVE"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const opts = fast(5ms, 10ms, 20s);
        auto ds = co_await client.async_wait_until_training_dataset_active(dataset_arn, opts);
        BOOST_TEST((ds.status == crm::training_dataset_status::active));
    });
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(deleted_on_resource_not_found)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_audience_generation_job_response>(
                                {"ACTIVE", "DELETE_PENDING", "DELETE_IN_PROGRESS", "404"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const opts = fast(5ms, 10ms, 20s);
        crm::diagnostics diag;
        diag.message = "stale";
        co_await client.async_wait_until_audience_generation_job_deleted(generation_arn, opts, diag);
        BOOST_TEST(diag.message.empty());  // cleared on success
    });
    BOOST_TEST(server.requests().size() == 4u);
}

BOOST_AUTO_TEST_CASE(delete_failed_ends_the_deleted_waiter)
{
    asio::io_context ioc;
    crm::status_details details{.status_code = std::nullopt, .message = "still in use"};
    http_server server(ioc, status_sequence<crm::get_audience_model_response>({"DELETE_IN_PROGRESS", "DELETE_FAILED"},
                                                                              nullptr, details));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto const opts = fast(5ms, 10ms, 20s);
        auto [ec] = co_await client.async_wait_until_audience_model_deleted(model_arn, opts, diag, tuple);
        BOOST_TEST((ec == crm::client_errc::waiter_failure), ec.message());
        BOOST_TEST(contains(diag.message, "DELETE_FAILED while waiting for it to be deleted"), diag.message);
        BOOST_TEST(contains(diag.message, "message: still in use"), diag.message);
        BOOST_TEST(!contains(diag.message, "statusCode"), diag.message);
    });
}

BOOST_AUTO_TEST_CASE(a_failing_poll_ends_the_wait_with_its_error)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const& r) {
        if (starts_with(r.target, "/configured-audience-model/")) return not_found();
        return aws_error(403, "AccessDeniedException", "not yours");
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto const opts = fast(5ms, 10ms, 20s);
        auto [ec, ds] = co_await client.async_wait_until_training_dataset_active(dataset_arn, opts, diag, tuple);
        BOOST_TEST((ec == crm::service_errc::access_denied), ec.message());
        BOOST_TEST(diag.error_type == "AccessDeniedException");
        BOOST_TEST(diag.message == "not yours");
        BOOST_TEST(diag.http_status == 403);
        // Not found ends an active waiter too (it is success only when waiting for deletion).
        auto [ec2, cam] = co_await client.async_wait_until_configured_audience_model_active(configured_arn, diag, tuple);
        BOOST_TEST((ec2 == crm::service_errc::resource_not_found), ec2.message());
        BOOST_TEST(diag.error_type == "ResourceNotFoundException");
        // An invalid ARN never reaches the server.
        auto [ec3, m] = co_await client.async_wait_until_audience_model_active("not-an-arn", diag, tuple);
        BOOST_TEST((ec3 == crm::client_errc::invalid_request), ec3.message());
    });
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(export_job_found_by_name_across_pages)
{
    asio::io_context ioc;
    int polls = 0;
    // Page 1 holds another job; page 2 holds ours: not listed at the first
    // poll, in progress at the second, active at the third.
    http_server server(ioc, [&](recorded_request const& r) {
        crm::list_audience_export_jobs_response page;
        if (!contains(r.target, "nextToken=")) {
            ++polls;
            page.audience_export_jobs.push_back(export_job("someone-else", "CREATE_IN_PROGRESS"));
            page.next_token = "p2";
        } else if (polls == 2) {
            page.audience_export_jobs.push_back(export_job("spring-export", "CREATE_IN_PROGRESS"));
        } else if (polls >= 3) {
            page.audience_export_jobs.push_back(export_job("spring-export", "ACTIVE"));
        }
        return ok_json(crm::to_json(page));
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const opts = fast(5ms, 10ms, 20s);
        auto job = co_await client.async_wait_until_audience_export_job_active(generation_arn, "spring-export", opts);
        BOOST_TEST(job.name == "spring-export");
        BOOST_TEST((job.status == crm::audience_export_job_status::active));
        BOOST_TEST(job.output_location.value_or("") == "s3://bucket/out/");
    });
    BOOST_TEST(polls == 3);
    BOOST_TEST_REQUIRE(server.requests().size() == 6u);
    for (auto const& r : server.requests()) {
        BOOST_TEST(starts_with(r.target, "/audience-export-job?"), r.target);
        BOOST_TEST(contains(r.target, "audienceGenerationJobArn=arn%3Aaws%3Acleanrooms-ml"), r.target);
    }
    BOOST_TEST(contains(server.requests()[1].target, "nextToken=p2"));
}

BOOST_AUTO_TEST_CASE(export_job_failure_and_timeout)
{
    asio::io_context ioc;
    bool fail = true;
    http_server server(ioc, [&](recorded_request const&) {
        crm::list_audience_export_jobs_response page;
        auto job = export_job("spring-export", fail ? "CREATE_FAILED" : "CREATE_IN_PROGRESS");
        job.status_details = crm::status_details{.status_code = "ACCESS_DENIED", .message = "bucket not writable"};
        page.audience_export_jobs.push_back(job);
        return ok_json(crm::to_json(page));
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto const opts = fast(5ms, 10ms, 100ms);
        auto [ec, job] = co_await client.async_wait_until_audience_export_job_active(generation_arn, "spring-export",
                                                                                     opts, diag, tuple);
        BOOST_TEST((ec == crm::client_errc::waiter_failure), ec.message());
        BOOST_TEST(contains(diag.message, "audience export job 'spring-export' of " + std::string(generation_arn)),
                   diag.message);
        BOOST_TEST(contains(diag.message, "bucket not writable"), diag.message);
        fail = false;
        auto [ec2, job2] = co_await client.async_wait_until_audience_export_job_active(generation_arn, "absent",
                                                                                       opts, diag, tuple);
        BOOST_TEST((ec2 == crm::client_errc::waiter_timeout), ec2.message());
        BOOST_TEST(contains(diag.message, "not listed"), diag.message);
    });
}

BOOST_AUTO_TEST_CASE(cancellation_mid_sleep)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_audience_model_response>({"CREATE_IN_PROGRESS"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto const start = clock_type::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const opts = fast(10s, 20s, 1h);
        asio::cancellation_signal signal;
        asio::steady_timer timer(ioc, 200ms);
        timer.async_wait([&](crm::error_code) { signal.emit(asio::cancellation_type::terminal); });
        crm::diagnostics diag;
        auto [ec, model] = co_await client.async_wait_until_audience_model_active(
            model_arn, opts, diag, asio::bind_cancellation_slot(signal.slot(), tuple));
        BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
        BOOST_TEST(contains(diag.message, "cancelled"), diag.message);
        // The signal is free again: emitting now reaches nothing.
        signal.emit(asio::cancellation_type::terminal);

        // The same through an awaitable operator.
        using namespace asio::experimental::awaitable_operators;
        asio::steady_timer other(ioc, 200ms);
        auto result = co_await (client.async_wait_until_audience_model_deleted(model_arn, opts, tuple) ||
                                other.async_wait(asio::use_awaitable));
        BOOST_TEST(result.index() == 1u);
    });
    BOOST_TEST((clock_type::now() - start < 5s));
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(cancellation_mid_poll)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto const start = clock_type::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        asio::cancellation_signal signal;
        asio::steady_timer timer(ioc, 150ms);
        timer.async_wait([&](crm::error_code) { signal.emit(asio::cancellation_type::terminal); });
        auto [ec, ds] = co_await client.async_wait_until_training_dataset_active(
            dataset_arn, asio::bind_cancellation_slot(signal.slot(), tuple));
        BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
    });
    BOOST_TEST((clock_type::now() - start < 3s));
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(callback_token_runs_on_its_executor_never_inline)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_training_dataset_response>({"ACTIVE"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto strand = asio::make_strand(ioc);
    bool initiated = false;
    bool called = false;
    bool inline_call = false;
    bool on_strand = false;
    crm::get_training_dataset_response got;
    client.async_wait_until_training_dataset_active(
        dataset_arn, fast(5ms, 10ms, 20s),
        asio::bind_executor(strand, [&](crm::error_code ec, crm::get_training_dataset_response r) {
            BOOST_TEST(!ec, ec.message());
            inline_call = !initiated;
            on_strand = strand.running_in_this_thread();
            called = true;
            got = std::move(r);
            server.stop();
        }));
    initiated = true;
    ioc.run_for(30s);
    BOOST_TEST(called);
    BOOST_TEST(!inline_call);
    BOOST_TEST(on_strand);
    BOOST_TEST((got.status == crm::training_dataset_status::active));
}

BOOST_AUTO_TEST_CASE(every_waiter)
{
    asio::io_context ioc;
    bool gone = false;
    http_server server(ioc, [&](recorded_request const& r) {
        if (starts_with(r.target, "/audience-export-job")) {
            crm::list_audience_export_jobs_response page;
            page.audience_export_jobs.push_back(export_job("e1", "ACTIVE"));
            return ok_json(crm::to_json(page));
        }
        if (gone) return not_found();
        if (starts_with(r.target, "/training-dataset/")) return ok_json(get_json<crm::get_training_dataset_response>("ACTIVE"));
        if (starts_with(r.target, "/audience-model/")) return ok_json(get_json<crm::get_audience_model_response>("ACTIVE"));
        if (starts_with(r.target, "/configured-audience-model/"))
            return ok_json(get_json<crm::get_configured_audience_model_response>("ACTIVE"));
        if (starts_with(r.target, "/audience-generation-job/"))
            return ok_json(get_json<crm::get_audience_generation_job_response>("ACTIVE"));
        return aws_error(400, "ValidationException", "unexpected " + r.target);
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto ds = co_await client.async_wait_until_training_dataset_active(dataset_arn);
        BOOST_TEST((ds.status == crm::training_dataset_status::active));
        auto am = co_await client.async_wait_until_audience_model_active(model_arn);
        BOOST_TEST((am.status == crm::audience_model_status::active));
        auto cam = co_await client.async_wait_until_configured_audience_model_active(configured_arn);
        BOOST_TEST((cam.status == crm::configured_audience_model_status::active));
        auto gj = co_await client.async_wait_until_audience_generation_job_active(generation_arn);
        BOOST_TEST((gj.status == crm::audience_generation_job_status::active));
        auto ej = co_await client.async_wait_until_audience_export_job_active(generation_arn, "e1");
        BOOST_TEST(ej.name == "e1");
        gone = true;
        co_await client.async_wait_until_training_dataset_deleted(dataset_arn);
        co_await client.async_wait_until_audience_model_deleted(model_arn);
        co_await client.async_wait_until_configured_audience_model_deleted(configured_arn);
        co_await client.async_wait_until_audience_generation_job_deleted(generation_arn);
    });
    BOOST_TEST(server.requests().size() == 9u);
}

// The custom-model resources: their waiters take the Get request itself.
constexpr char membership[] = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
constexpr char version[] = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e";
constexpr char trained_arn[] =
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/trained-model/tm1";
constexpr char trained_enc[] = "arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Amembership%2F"
                               "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9%2Ftrained-model%2Ftm1";
constexpr char channel_arn[] =
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/ml-input-channel/c1";
constexpr char job_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/"
                           "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/trained-model-inference-job/j1";

BOOST_AUTO_TEST_CASE(trained_model_version_becomes_active)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_trained_model_response>(
                                {"CREATE_PENDING", "CREATE_IN_PROGRESS", "ACTIVE"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::get_trained_model_request req{
            .trained_model_arn = trained_arn, .membership_identifier = membership, .version_identifier = version};
        auto model = co_await client.async_wait_until_trained_model_active(std::move(req), fast(5ms, 10ms, 20s));
        BOOST_TEST((model.status == crm::trained_model_status::active));
    });
    BOOST_TEST_REQUIRE(server.requests().size() == 3u);
    for (auto const& r : server.requests()) {
        BOOST_TEST(r.method == "GET");
        // Every poll asks for the version the request names.
        BOOST_TEST(r.target == std::string("/memberships/") + membership + "/trained-models/" + trained_enc +
                                   "?versionIdentifier=" + version);
    }
}

BOOST_AUTO_TEST_CASE(trained_model_cancelled_while_waiting)
{
    asio::io_context ioc;
    crm::status_details const why{.status_code = "CANCELLED", .message = "stopped by its owner"};
    http_server server(ioc, status_sequence<crm::get_trained_model_response>(
                                {"CREATE_IN_PROGRESS", "CANCEL_PENDING"}, nullptr, why));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::get_trained_model_request req{
            .trained_model_arn = trained_arn, .membership_identifier = membership, .version_identifier = version};
        crm::diagnostics diag;
        auto [ec, model] = co_await client.async_wait_until_trained_model_active(std::move(req), fast(5ms, 10ms, 20s),
                                                                                 diag, tuple);
        BOOST_TEST((ec == crm::client_errc::waiter_failure), ec.message());
        BOOST_TEST(contains(diag.message, std::string("trained model ") + trained_arn + " (version " + version + ") reached "
                                          "CANCEL_PENDING while waiting for it to become ACTIVE"), diag.message);
        BOOST_TEST(contains(diag.message, "stopped by its owner"), diag.message);
        BOOST_TEST(diag.attempts == 2);
        BOOST_TEST(model.name.empty());  // a failed wait completes with an empty response
    });
}

BOOST_AUTO_TEST_CASE(deleted_means_gone_or_inactive)
{
    asio::io_context ioc;
    int calls = 0;
    // The channel's data is deleted: DELETE_* then INACTIVE; the trained
    // model's output: gone at once (ResourceNotFoundException).
    http_server server(ioc, [&](recorded_request const& r) {
        ++calls;
        if (contains(r.target, "/ml-input-channels/")) {
            char const* s = calls == 1 ? "DELETE_PENDING" : calls == 2 ? "DELETE_IN_PROGRESS" : "INACTIVE";
            return ok_json(get_json<crm::get_ml_input_channel_response>(s));
        }
        return not_found();
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::get_ml_input_channel_request channel{.ml_input_channel_arn = channel_arn,
                                                  .membership_identifier = membership};
        co_await client.async_wait_until_ml_input_channel_deleted(std::move(channel), fast(5ms, 10ms, 20s));
        BOOST_TEST(calls == 3);
        crm::get_trained_model_request model{.trained_model_arn = trained_arn, .membership_identifier = membership};
        co_await client.async_wait_until_trained_model_deleted(std::move(model));
        BOOST_TEST(calls == 4);
    });
}

BOOST_AUTO_TEST_CASE(inference_job_that_ends_inactive_fails_the_wait)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_trained_model_inference_job_response>(
                                {"CREATE_IN_PROGRESS", "INACTIVE"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::get_trained_model_inference_job_request req{.membership_identifier = membership,
                                                         .trained_model_inference_job_arn = job_arn};
        crm::diagnostics diag;
        auto [ec, job] = co_await client.async_wait_until_trained_model_inference_job_active(
            std::move(req), fast(5ms, 10ms, 20s), diag, tuple);
        BOOST_TEST((ec == crm::client_errc::waiter_failure), ec.message());
        BOOST_TEST(contains(diag.message, "trained model inference job " + std::string(job_arn) + " reached INACTIVE"),
                   diag.message);
    });
    BOOST_TEST_REQUIRE(server.requests().size() == 2u);
    BOOST_TEST(starts_with(server.requests()[0].target, std::string("/memberships/") + membership +
                                                            "/trained-model-inference-jobs/arn%3Aaws"));
}

BOOST_AUTO_TEST_CASE(trained_model_export_job_found_in_its_collaboration)
{
    asio::io_context ioc;
    std::string const collaboration = "9e8d7c6b-5a49-4837-9261-504f3e2d1c0b";
    int polls = 0;
    http_server server(ioc, [&](recorded_request const& r) {
        crm::list_collaboration_trained_model_export_jobs_response page;
        if (!contains(r.target, "nextToken=")) {
            ++polls;
            page.next_token = "p2";
            return ok_json(crm::to_json(page));
        }
        crm::collaboration_trained_model_export_job_summary job{};
        job.name = "to-partner";
        job.status = crm::trained_model_export_job_status{polls < 2 ? "CREATE_IN_PROGRESS" : "ACTIVE"};
        job.trained_model_arn = trained_arn;
        page.collaboration_trained_model_export_jobs.push_back(job);
        return ok_json(crm::to_json(page));
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::list_collaboration_trained_model_export_jobs_request listing{
            .collaboration_identifier = collaboration, .trained_model_arn = trained_arn,
            .trained_model_version_identifier = version};
        auto job = co_await client.async_wait_until_trained_model_export_job_active(std::move(listing), "to-partner",
                                                                                    fast(5ms, 10ms, 20s));
        BOOST_TEST(job.name == "to-partner");
        BOOST_TEST((job.status == crm::trained_model_export_job_status::active));
    });
    BOOST_TEST(polls == 2);
    BOOST_TEST_REQUIRE(server.requests().size() == 4u);
    for (auto const& r : server.requests()) {
        BOOST_TEST(starts_with(r.target, "/collaborations/" + collaboration + "/trained-models/" + trained_enc +
                                             "/export-jobs?"),
                   r.target);
        BOOST_TEST(contains(r.target, std::string("trainedModelVersionIdentifier=") + version), r.target);
    }
}

BOOST_AUTO_TEST_CASE(the_older_waiters_take_the_get_request_too)
{
    asio::io_context ioc;
    http_server server(ioc, status_sequence<crm::get_audience_model_response>({"CREATE_IN_PROGRESS", "ACTIVE"}));
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::get_audience_model_request req{.audience_model_arn = model_arn};
        auto model = co_await client.async_wait_until_audience_model_active(std::move(req), fast(5ms, 10ms, 20s));
        BOOST_TEST((model.status == crm::audience_model_status::active));
    });
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
