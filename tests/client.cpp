// The client end to end against scripted local servers (plain and TLS):
// the wire form of every operation, signatures checked server-side, errors,
// retries, timeouts, cancellation, the pool, pagination and every
// completion token style.

#include <cleanroomsml.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include "support/client_fixture.hpp"
#include "support/http_server.hpp"
#include "support/proxy_server.hpp"
#include "support/samples.hpp"
#include "support/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <array>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

namespace crm = cleanroomsml;
namespace asio = boost::asio;
namespace detail = cleanroomsml::detail;
using namespace std::chrono_literals;
using test_support::http_server;
using test_support::recorded_request;
using test_support::scripted_response;

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
constexpr char model_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/a1b2c3";

std::string model_json() { return test_support::audience_model_json(model_arn, "spring"); }

scripted_response ok_json(std::string body)
{
    return scripted_response{.status = 200,
                             .headers = {{"Content-Type", "application/json"}, {"x-amzn-RequestId", "req-ok"}},
                             .body = std::move(body)};
}

scripted_response aws_error(int status, std::string type, std::string message, std::string request_id = "req-err")
{
    return scripted_response{.status = status,
                             .headers = {{"x-amzn-ErrorType", type}, {"x-amzn-RequestId", request_id},
                                         {"Content-Type", "application/json"}},
                             .body = "{\"message\":\"" + message + "\"}"};
}

crm::get_audience_model_request get_req()
{
    crm::get_audience_model_request r;
    r.audience_model_arn = model_arn;
    return r;
}

// Sets every label member of a request to a valid-looking ARN, so that any
// operation's request encodes.
template <class Request>
Request labelled_request()
{
    Request r{};
    auto const& ti = detail::type_of<Request>();
    for (std::size_t i = 0; i < ti.member_count; ++i) {
        auto const& m = ti.members[i];
        if (m.location == crm::http_location::label && m.type().kind == detail::value_kind::string)
            m.type().string_ref(m.emplace(&r)) = "arn:aws:cleanrooms-ml:us-east-1:123456789012:thing/" +
                                                 std::string(m.name);
    }
    return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(client)

BOOST_AUTO_TEST_CASE(get_audience_model_end_to_end)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const& r) {
        auto why = test_support::verify_signature(r, test_support::test_credentials());
        if (!why.empty()) return aws_error(403, "InvalidSignatureException", why);
        return ok_json(model_json());
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto req = get_req();
        auto out = co_await client.async_get_audience_model(std::move(req));
        BOOST_TEST(out.name == "spring");
        BOOST_TEST(out.audience_model_arn == model_arn);
        BOOST_TEST((out.status == crm::audience_model_status::active));
    });
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    auto const& r = server.requests()[0];
    BOOST_TEST(r.method == "GET");
    BOOST_TEST(r.target == "/audience-model/arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aaudience-model%2Fa1b2c3");
    BOOST_TEST(!r.header("Content-Type"));
    BOOST_TEST(r.body.empty());
    BOOST_TEST(r.header("Host").value() == "127.0.0.1:" + std::to_string(server.port()));
    auto ua = r.header("User-Agent").value();
    BOOST_TEST(ua.find("ua/2.1") != std::string::npos);
    BOOST_TEST(ua.find("api/cleanroomsml") != std::string::npos);
    BOOST_TEST(ua.find("lang/cpp") != std::string::npos);
    BOOST_TEST(ua.find("os/") != std::string::npos);
    BOOST_TEST(r.header("x-amz-user-agent").value() == ua);
    BOOST_TEST(r.header("amz-sdk-request").value() == "attempt=1; max=3");
    auto id = r.header("amz-sdk-invocation-id").value();
    BOOST_TEST(id.size() == 36u);
    BOOST_TEST(id[14] == '4');
    BOOST_TEST(test_support::verify_signature(r, test_support::test_credentials()) == "");
}

BOOST_AUTO_TEST_CASE(every_operation_goes_over_the_wire)
{
    asio::io_context ioc;
    // The server answers each operation with the JSON of a default response.
    std::string next_body = "{}";
    http_server server(ioc, [&](recorded_request const& r) {
        auto why = test_support::verify_signature(r, test_support::test_credentials());
        if (!why.empty()) return aws_error(403, "InvalidSignatureException", why);
        return ok_json(next_body);
    });
    auto cfg = test_support::client_config_for(server.url());
    cfg.validate_requests = false;  // the requests are not filled in beyond their labels
    crm::client client(ioc.get_executor(), cfg);
    int done = 0;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
#define CHECK_OPERATION(op, Request)                                                                        \
    {                                                                                                       \
        using response = crm::operation_traits<Request>::response;                                          \
        response expected{};                                                                                \
        next_body = crm::to_json(expected);                                                                 \
        auto req = labelled_request<Request>();                                                             \
        detail::encoded_request enc;                                                                        \
        detail::read_error err;                                                                             \
        BOOST_TEST_REQUIRE(!detail::encode_request(crm::operation_traits<Request>::info,                    \
                                                   detail::type_of<Request>(), &req, enc, err,              \
                                                   {.idempotency_token = [] { return std::string("tok"); }})); \
        std::size_t const before = server.requests().size();                                                \
        auto [ec, out] = co_await client.async_##op(req, asio::as_tuple(asio::deferred));                   \
        BOOST_TEST(!ec, #op << ": " << ec.message());                                                       \
        BOOST_TEST((out == expected), #op);                                                                 \
        BOOST_TEST_REQUIRE(server.requests().size() == before + 1);                                         \
        auto const& seen = server.requests().back();                                                        \
        BOOST_TEST(seen.method == std::string(enc.method), #op);                                            \
        std::string target = enc.path + (enc.query.empty() ? "" : "?" + enc.query);                         \
        BOOST_TEST(seen.target == target, #op);                                                             \
        BOOST_TEST(seen.header("Content-Type").has_value() == enc.has_body, #op);                           \
        if (enc.has_body) {                                                                                 \
            auto sent = boost::json::parse(seen.body);                                                      \
            auto want = boost::json::parse(enc.body);                                                       \
            /* idempotency tokens differ: drop them from both sides */                                      \
            if (sent.is_object()) sent.as_object().erase("clientToken");                                    \
            if (want.is_object()) want.as_object().erase("clientToken");                                    \
            BOOST_TEST(sent == want, #op);                                                                  \
        }                                                                                                   \
        ++done;                                                                                             \
    }
        CLEANROOMSML_FOR_EACH_OPERATION(CHECK_OPERATION)
#undef CHECK_OPERATION
    });
    BOOST_TEST(done == 59);
    BOOST_TEST(server.connections() == 1u);  // one keep-alive connection for all of them
}

BOOST_AUTO_TEST_CASE(modelled_and_unknown_errors)
{
    struct expectation {
        int status;
        char const* type;
        crm::service_errc code;
    };
    expectation const cases[] = {
        {400, "ValidationException", crm::service_errc::validation},
        {403, "AccessDeniedException", crm::service_errc::access_denied},
        {404, "ResourceNotFoundException", crm::service_errc::resource_not_found},
        {409, "ConflictException", crm::service_errc::conflict},
        {402, "ServiceQuotaExceededException", crm::service_errc::service_quota_exceeded},
        {429, "ThrottlingException", crm::service_errc::throttling},
        {500, "InternalServiceException", crm::service_errc::internal_server},
        {418, "SomethingNewException", crm::service_errc::unknown},
    };
    for (auto const& c : cases) {
        asio::io_context ioc;
        http_server server(ioc, [&](recorded_request const&) { return aws_error(c.status, c.type, "it went wrong", "rid-7"); });
        auto cfg = test_support::client_config_for(server.url());
        cfg.retry.max_attempts = 1;
        crm::client client(ioc.get_executor(), cfg);
        test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
            // Non-throwing form, with diagnostics.
            crm::diagnostics diag;
            auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST((ec == c.code), c.type);
            BOOST_TEST(diag.error_type == c.type);
            BOOST_TEST(diag.message == "it went wrong");
            BOOST_TEST(diag.http_status == c.status);
            BOOST_TEST(diag.request_id == "rid-7");
            BOOST_TEST(diag.attempts == 1);
            // Throwing form: the exception carries the same.
            try {
                co_await client.async_get_audience_model(get_req());
                BOOST_TEST(false, "no exception");
            } catch (crm::error_with_diagnostics const& e) {
                BOOST_TEST((e.code() == c.code));
                std::string what = e.what();
                BOOST_TEST(what.find(c.type) != std::string::npos, what);
                BOOST_TEST(what.find("it went wrong") != std::string::npos, what);
                BOOST_TEST(what.find("HTTP " + std::to_string(c.status)) != std::string::npos, what);
                BOOST_TEST(what.find("rid-7") != std::string::npos, what);
            }
            // Throwing form with the caller's diagnostics: both get them.
            crm::diagnostics mine;
            try {
                co_await client.async_get_audience_model(get_req(), mine);
                BOOST_TEST(false, "no exception");
            } catch (crm::error_with_diagnostics const& e) {
                BOOST_TEST(std::string(e.what()).find("rid-7") != std::string::npos, e.what());
                BOOST_TEST(e.diagnostics().request_id == "rid-7");
            }
            BOOST_TEST(mine.request_id == "rid-7");
            BOOST_TEST(mine.error_type == c.type);
        });
    }
}

BOOST_AUTO_TEST_CASE(error_type_from_the_body)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) {
        return scripted_response{.status = 404,
                                 .body = R"({"__type":"com.amazonaws.cleanroomsml#ResourceNotFoundException","Message":"gone"})"};
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::service_errc::resource_not_found));
        BOOST_TEST(diag.error_type == "ResourceNotFoundException");
        BOOST_TEST(diag.message == "gone");
    });
}

BOOST_AUTO_TEST_CASE(unparsable_success_response)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) { return ok_json(R"({"name": 5})"); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::unparsable_response));
        BOOST_TEST(diag.path == "name");
        BOOST_TEST(diag.attempts == 1);  // not retried
    });
}

BOOST_AUTO_TEST_CASE(invalid_request_is_reported_without_io_and_not_inline)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) { return ok_json("{}"); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    crm::create_audience_model_request req;
    req.name = "bad name with spaces";
    req.training_dataset_arn = "not an arn";
    bool called = false;
    crm::diagnostics diag;
    client.async_create_audience_model(std::move(req), diag, [&](crm::error_code ec, crm::create_audience_model_response) {
        called = true;
        BOOST_TEST((ec == crm::client_errc::invalid_request));
    });
    BOOST_TEST(!called);  // never from inside the initiating function
    ioc.poll();
    BOOST_TEST(called);
    BOOST_TEST(!diag.path.empty());
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(missing_region_and_credentials)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) { return ok_json(model_json()); });
    auto cfg = test_support::client_config_for(server.url());
    cfg.region.clear();
    crm::client no_region(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto [ec, out] = co_await no_region.async_get_audience_model(get_req(), asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::missing_region));
    });
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(unsigned_requests_need_no_credentials)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const&) { return ok_json(model_json()); });
    auto cfg = test_support::client_config_for(server.url());
    cfg.credentials = crm::credentials{};  // unusable: a signed call fails with missing_credentials
    crm::client signing(ioc.get_executor(), cfg);
    cfg.sign_requests = false;
    crm::client unsigned_client(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto r1 = get_req();
        auto [ec1, out1] = co_await signing.async_get_audience_model(std::move(r1), asio::as_tuple(asio::deferred));
        BOOST_TEST((ec1 == crm::client_errc::missing_credentials));
        auto r2 = get_req();
        auto [ec2, out2] = co_await unsigned_client.async_get_audience_model(std::move(r2), asio::as_tuple(asio::deferred));
        BOOST_TEST(!ec2, ec2.message());
        BOOST_TEST(out2.name == "spring");
    });
    // Only the unsigned call reached the server, with none of SigV4's headers.
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    auto const& r = server.requests()[0];
    for (char const* h : {"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"})
        BOOST_TEST(!r.header(h), h);
    BOOST_TEST(r.header("amz-sdk-request").value() == "attempt=1; max=3");
    BOOST_TEST(r.header("Host").value() == "127.0.0.1:" + std::to_string(server.port()));
}

// --- retries ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(retries_503_then_succeeds)
{
    asio::io_context ioc;
    int n = 0;
    http_server server(ioc, [&](recorded_request const&) {
        return ++n < 3 ? aws_error(503, "ServiceUnavailable", "busy") : ok_json(model_json());
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto out = co_await client.async_get_audience_model(get_req(), diag);
        BOOST_TEST(out.name == "spring");
        BOOST_TEST(diag.attempts == 3);
    });
    BOOST_TEST_REQUIRE(server.requests().size() == 3u);
    BOOST_TEST(server.requests()[0].header("amz-sdk-request").value() == "attempt=1; max=3");
    BOOST_TEST(server.requests()[2].header("amz-sdk-request").value() == "attempt=3; max=3");
    // One invocation id for all attempts.
    BOOST_TEST((server.requests()[0].header("amz-sdk-invocation-id") == server.requests()[2].header("amz-sdk-invocation-id")));
    BOOST_TEST(test_support::verify_signature(server.requests()[2], test_support::test_credentials()) == "");
}

BOOST_AUTO_TEST_CASE(gives_up_after_max_attempts)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return aws_error(500, "InternalServiceException", "down"); });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.max_attempts = 4;
    crm::client client(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::service_errc::internal_server));
        BOOST_TEST(diag.attempts == 4);
    });
    BOOST_TEST(server.requests().size() == 4u);
}

BOOST_AUTO_TEST_CASE(non_retryable_errors_are_not_retried)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return aws_error(400, "ValidationException", "no"); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::service_errc::validation));
    });
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(throttling_honours_retry_after)
{
    asio::io_context ioc;
    int n = 0;
    http_server server(ioc, [&](recorded_request const&) {
        if (++n == 1) {
            auto r = aws_error(429, "ThrottlingException", "slow down");
            r.headers.emplace_back("x-amz-retry-after", "300");
            return r;
        }
        return ok_json(model_json());
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto const start = std::chrono::steady_clock::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto out = co_await client.async_get_audience_model(get_req());
        BOOST_TEST(out.name == "spring");
    });
    auto const took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((took >= 300ms));
    BOOST_TEST((took < 5s));
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(connection_closed_before_the_response_is_retried)
{
    asio::io_context ioc;
    int n = 0;
    http_server server(ioc, [&](recorded_request const&) {
        if (++n == 1) return scripted_response{.what = scripted_response::action::close};
        return ok_json(model_json());
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto out = co_await client.async_get_audience_model(get_req(), diag);
        BOOST_TEST(out.name == "spring");
        BOOST_TEST(diag.attempts == 2);
    });
    BOOST_TEST(server.connections() == 2u);
}

BOOST_AUTO_TEST_CASE(server_closing_an_idle_connection_is_survived)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) {
        auto r = ok_json(model_json());
        r.headers.emplace_back("Connection", "close");  // the server drops every connection after answering
        return r;
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) {
            crm::diagnostics diag;
            auto out = co_await client.async_get_audience_model(get_req(), diag);
            BOOST_TEST(out.name == "spring");
            BOOST_TEST(diag.attempts == 1);
        }
    });
    BOOST_TEST(server.requests().size() == 3u);
    BOOST_TEST(server.connections() == 3u);
}

BOOST_AUTO_TEST_CASE(retry_quota_runs_dry)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return aws_error(500, "InternalServiceException", "down"); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        // 500 tokens at 14 per transient retry: 35 retries for all calls of
        // the client together. 17 calls make their 2 retries each, the 18th
        // one retry, then the bucket is dry and calls fail fast.
        for (int call = 1; call <= 20; ++call) {
            crm::diagnostics diag;
            auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
            if (call <= 17) {
                BOOST_TEST((ec == crm::service_errc::internal_server), call);
                BOOST_TEST(diag.attempts == 3);
            } else {
                BOOST_TEST((ec == crm::client_errc::retry_quota_exceeded), call);
                BOOST_TEST(diag.attempts == (call == 18 ? 2 : 1));
                BOOST_TEST(diag.message.find("down") != std::string::npos, diag.message);
            }
        }
    });
    BOOST_TEST(server.requests().size() == 17u * 3 + 2 + 2);
}

BOOST_AUTO_TEST_CASE(clock_skew_is_corrected)
{
    asio::io_context ioc;
    auto const server_now = std::chrono::system_clock::now() + std::chrono::hours(2);
    http_server server(ioc, [&](recorded_request const& r) {
        // Accept only signatures within 5 minutes of the server's clock.
        crm::timestamp t;
        auto d = r.header("X-Amz-Date").value_or("");
        std::string iso = d.substr(0, 4) + "-" + d.substr(4, 2) + "-" + d.substr(6, 2) + "T" + d.substr(9, 2) + ":" +
                          d.substr(11, 2) + ":" + d.substr(13, 2) + "Z";
        detail::parse_date_time(iso, t);
        if (std::chrono::abs(t - server_now) > std::chrono::minutes(5)) {
            auto e = aws_error(403, "InvalidSignatureException", "Signature expired");
            std::string date;
            detail::format_timestamp(date, server_now, crm::timestamp_format::http_date);
            e.headers.emplace_back("Date", date);
            return e;
        }
        return ok_json(model_json());
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto out = co_await client.async_get_audience_model(get_req(), diag);
        BOOST_TEST(diag.attempts == 2);
        // The offset is kept: the next call is right the first time.
        co_await client.async_get_audience_model(get_req(), diag);
        BOOST_TEST(diag.attempts == 1);
    });
    BOOST_TEST(server.requests().size() == 3u);
}

// --- timeouts and cancellation -----------------------------------------------------

BOOST_AUTO_TEST_CASE(attempt_timeout)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.max_attempts = 2;
    cfg.timeouts.attempt = 200ms;
    crm::client client(ioc.get_executor(), cfg);
    auto const start = std::chrono::steady_clock::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::attempt_timeout));
        BOOST_TEST(diag.timeout == "attempt");
        BOOST_TEST(diag.attempts == 2);
    });
    auto const took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((took >= 400ms));
    BOOST_TEST((took < 3s));
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(attempt_deadlines_of_concurrent_calls)
{
    // One timer per client watches every exchange in flight: a call started
    // later with an earlier deadline must not wait for the first one's, and
    // the first must still time out at its own.
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.max_attempts = 1;
    crm::client client(ioc.get_executor(), cfg);
    using clock = std::chrono::steady_clock;
    auto const start = clock::now();
    std::optional<clock::duration> slow_took;
    crm::error_code slow_ec;
    crm::call_options const slow{.attempt_timeout = 1500ms};
    crm::call_options const fast{.attempt_timeout = 200ms};
    auto first = get_req();
    client.async_get_audience_model(std::move(first), slow, [&](crm::error_code ec, auto) {
        slow_ec = ec;
        slow_took = clock::now() - start;
    });
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), fast, asio::as_tuple(asio::deferred));
        auto const fast_took = clock::now() - start;
        BOOST_TEST((ec == crm::client_errc::attempt_timeout), ec.message());
        BOOST_TEST((fast_took >= 200ms));
        BOOST_TEST((fast_took < 1000ms));
        BOOST_TEST(!slow_took.has_value());
        asio::steady_timer timer(ioc);
        for (int i = 0; i < 100 && !slow_took; ++i) {
            timer.expires_after(50ms);
            co_await timer.async_wait(asio::use_awaitable);
        }
    });
    BOOST_REQUIRE(slow_took.has_value());
    BOOST_TEST((slow_ec == crm::client_errc::attempt_timeout), slow_ec.message());
    BOOST_TEST((*slow_took >= 1500ms));
    BOOST_TEST((*slow_took < 4s));
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(operation_timeout_covers_retries)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.max_attempts = 10;
    crm::client client(ioc.get_executor(), cfg);
    auto const start = std::chrono::steady_clock::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::call_options opts{.attempt_timeout = 150ms, .operation_timeout = 500ms};
        crm::diagnostics diag;
        auto [ec, out] =
            co_await client.async_get_audience_model(get_req(), opts, diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::operation_timeout));
        BOOST_TEST(diag.timeout == "operation");
    });
    auto const took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((took < 1500ms));
    BOOST_TEST((took >= 300ms));
}

BOOST_AUTO_TEST_CASE(connect_timeout)
{
    // A listening socket with a full backlog never completes the handshake
    // quickly enough on every kernel; an unroutable address is off-machine.
    // Instead: a TLS endpoint whose server never answers the handshake.
    asio::io_context ioc;
    asio::ip::tcp::acceptor silent(ioc, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    auto const port = silent.local_endpoint().port();
    http_server unused(ioc, [](recorded_request const&) { return scripted_response{}; });
    auto cfg = test_support::client_config_for("https://127.0.0.1:" + std::to_string(port));
    cfg.retry.max_attempts = 1;
    cfg.timeouts.connect = 200ms;
    crm::client client(ioc.get_executor(), cfg);
    test_support::run(ioc, unused, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec == crm::client_errc::connect_timeout), ec.message());
        BOOST_TEST(diag.timeout == "connect");
    });
}

BOOST_AUTO_TEST_CASE(cancellation_mid_request)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto const start = std::chrono::steady_clock::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        asio::cancellation_signal signal;
        asio::steady_timer timer(ioc, 100ms);
        timer.async_wait([&](crm::error_code) { signal.emit(asio::cancellation_type::terminal); });
        auto [ec, out] = co_await client.async_get_audience_model(
            get_req(), asio::bind_cancellation_slot(signal.slot(), asio::as_tuple(asio::use_awaitable)));
        BOOST_TEST((ec == asio::error::operation_aborted), ec.message());
        // The client is still usable afterwards.
    });
    BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(cancellation_mid_sleep)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) {
        auto r = aws_error(503, "ServiceUnavailable", "busy");
        r.headers.emplace_back("x-amz-retry-after", "4000");
        return r;
    });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    auto const start = std::chrono::steady_clock::now();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        using namespace asio::experimental::awaitable_operators;
        asio::steady_timer timer(ioc, 300ms);
        auto result = co_await (client.async_get_audience_model(get_req(), asio::as_tuple(asio::use_awaitable)) ||
                                timer.async_wait(asio::use_awaitable));
        BOOST_TEST(result.index() == 1u);  // the timer won; the call was cancelled while sleeping
    });
    BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
    BOOST_TEST(server.requests().size() == 1u);
}

// A call still waiting when its io_context is destroyed goes with it: the
// handler is destroyed without being called, and nothing is left behind
// (LeakSanitizer watches this in the sanitizer builds).
BOOST_AUTO_TEST_CASE(a_call_abandoned_with_its_io_context_is_destroyed)
{
    auto const sentinel = std::make_shared<int>(0);
    bool called = false;
    {
        asio::io_context ioc;
        http_server server(ioc, [&](recorded_request const&) { return scripted_response{.what = scripted_response::action::hang}; });
        crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
        client.async_get_audience_model(get_req(), [&called, keep = sentinel](crm::error_code, crm::get_audience_model_response) {
            called = true;
        });
        ioc.run_for(200ms);  // connected, the request sent, the answer awaited
        BOOST_TEST(server.requests().size() == 1u);
        BOOST_TEST(sentinel.use_count() == 2);
    }
    BOOST_TEST(!called);
    BOOST_TEST(sentinel.use_count() == 1);
}

// An exception thrown by a completion handler leaves the io_context's run(),
// as with any Asio handler; the client goes on serving calls.
BOOST_AUTO_TEST_CASE(an_exception_from_a_handler_leaves_run)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    client.async_get_audience_model(get_req(), [](crm::error_code ec, crm::get_audience_model_response) {
        BOOST_TEST(!ec);
        throw std::runtime_error("thrown by the handler");
    });
    std::string caught;
    try {
        ioc.run_for(5s);
    } catch (std::runtime_error const& e) {
        caught = e.what();
    }
    BOOST_TEST(caught == "thrown by the handler");
    ioc.restart();
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto out = co_await client.async_get_audience_model(get_req());
        BOOST_TEST(out.name == "spring");
        BOOST_TEST(client.stats().idle == 1u);
    });
}

// --- the pool ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sequential_calls_share_one_connection)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 10; ++i) co_await client.async_get_audience_model(get_req());
        BOOST_TEST(client.stats().opened == 1u);
        BOOST_TEST(client.stats().idle == 1u);
    });
    BOOST_TEST(server.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(run_returns_once_the_last_call_completes)
{
    // The deadline timer is left armed from one call to the next (each
    // handler starts the next call), and let go after the last: run() must
    // not wait for the 30 s attempt deadline it was armed for.
    asio::io_context server_ioc;
    http_server server(server_ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    std::thread server_thread([&] { server_ioc.run(); });

    asio::io_context ioc;
    auto cfg = test_support::client_config_for(server.url());
    cfg.timeouts.attempt = 30s;
    int done = 0;
    crm::error_code last;
    {
        crm::client client(ioc.get_executor(), cfg);
        std::function<void(crm::error_code, crm::get_audience_model_response)> next;
        next = [&](crm::error_code ec, crm::get_audience_model_response) {
            last = ec;
            if (++done < 5 && !ec) client.async_get_audience_model(get_req(), next);
        };
        client.async_get_audience_model(get_req(), next);
        auto const start = std::chrono::steady_clock::now();
        ioc.run_for(20s);
        auto const took = std::chrono::steady_clock::now() - start;
        BOOST_TEST(done == 5);
        BOOST_TEST(!last, last.message());
        BOOST_TEST((took < 5s));
        BOOST_TEST(client.stats().idle == 1u);
    }
    asio::post(server_ioc, [&] { server.stop(); });
    server_thread.join();
}

BOOST_AUTO_TEST_CASE(a_request_larger_than_the_socket_takes_at_once)
{
    // Plain connections first try to send a request without waiting; the
    // part the socket does not take then goes out asynchronously. Nothing
    // may be lost or sent twice. 12 MB is past what Linux lets a socket
    // queue (tcp_wmem's 4 MiB at most), so the first write stops part way.
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const& r) {
        auto const body = boost::json::parse(r.body).as_object();
        auto const n = body.at("description").as_string().size();
        return ok_json("{\"audienceModelArn\":\"" + std::string(model_arn) + "/" + std::to_string(n) + "\"}");
    });
    auto cfg = test_support::client_config_for(server.url());
    cfg.validate_requests = false;  // far past the model's length limit
    crm::client client(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        std::array<std::size_t, 3> const sizes{12'000'000, 10, 600'000};
        for (std::size_t size : sizes) {
            crm::create_audience_model_request req;
            req.name = "big";
            req.training_dataset_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/t";
            req.description = std::string(size, 'd');
            crm::diagnostics diag;
            auto [ec, out] = co_await client.async_create_audience_model(std::move(req), diag, tuple);
            BOOST_TEST(!ec, ec.message() << " " << diag.message);
            BOOST_TEST(out.audience_model_arn == std::string(model_arn) + "/" + std::to_string(size));
        }
    });
    BOOST_TEST(server.requests().size() == 3u);
    BOOST_TEST(server.connections() == 1u);
}

// A connection keeps its response buffers from one response to the next:
// each call must still see only its own status, headers and body.
BOOST_AUTO_TEST_CASE(a_reused_connection_reports_each_responses_own_headers)
{
    asio::io_context ioc;
    int n = 0;
    http_server server(ioc, [&](recorded_request const&) {
        switch (n++ % 3) {
        case 0: {
            auto r = ok_json(model_json());
            r.headers.emplace_back("x-amz-retry-after", "1");
            for (int i = 0; i < 20; ++i) r.headers.emplace_back("x-filler-" + std::to_string(i), std::string(100, 'f'));
            r.body.insert(r.body.size() - 1, ", \"unknownPadding\": \"" + std::string(300000, 'p') + "\"");
            return r;
        }
        case 1: {
            scripted_response r{.status = 404, .headers = {{"Content-Type", "application/json"}},
                                .body = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"gone\"}"};
            return r;
        }
        default: return ok_json(test_support::audience_model_json(model_arn, "autumn"));
        }
    });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.max_attempts = 1;
    crm::client client(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        for (int round = 0; round < 2; ++round) {
            crm::diagnostics d1;
            auto [ec1, out1] = co_await client.async_get_audience_model(get_req(), d1, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec1, ec1.message() << ": " << d1.message);
            BOOST_TEST(out1.name == "spring");
            BOOST_TEST(d1.request_id == "req-ok");

            crm::diagnostics d2;
            auto [ec2, out2] = co_await client.async_get_audience_model(get_req(), d2, asio::as_tuple(asio::deferred));
            BOOST_TEST((ec2 == crm::service_errc::resource_not_found), ec2.message());
            BOOST_TEST(d2.http_status == 404);
            BOOST_TEST(d2.request_id == "");  // not the previous response's
            BOOST_TEST(d2.message == "gone");

            crm::diagnostics d3;
            auto [ec3, out3] = co_await client.async_get_audience_model(get_req(), d3, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec3, ec3.message() << ": " << d3.message);
            BOOST_TEST(out3.name == "autumn");
            BOOST_TEST(d3.http_status == 200);
        }
        BOOST_TEST(client.stats().opened == 1u);
    });
    BOOST_TEST(server.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(concurrent_calls_stay_within_the_pool)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) {
        auto r = ok_json(model_json());
        r.delay = 20ms;
        return r;
    });
    auto cfg = test_support::client_config_for(server.url());
    cfg.max_connections = 4;
    crm::client client(ioc.get_executor(), cfg);
    int ok = 0;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        int pending = 20;
        asio::steady_timer all_done(ioc, std::chrono::steady_clock::time_point::max());
        for (int i = 0; i < 20; ++i)
            client.async_get_audience_model(get_req(), [&](crm::error_code ec, crm::get_audience_model_response r) {
                if (!ec && r.name == "spring") ++ok;
                if (--pending == 0) all_done.cancel();
            });
        BOOST_TEST(client.stats().open <= 4u);
        co_await all_done.async_wait(tuple);
        BOOST_TEST(client.stats().open <= 4u);
    });
    BOOST_TEST(ok == 20);
    BOOST_TEST(server.connections() <= 4u);
    BOOST_TEST(server.connections() >= 2u);
}

BOOST_AUTO_TEST_CASE(a_thousand_concurrent_calls)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    auto cfg = test_support::client_config_for(server.url());
    cfg.max_connections = 32;
    crm::client client(ioc.get_executor(), cfg);
    int ok = 0, failed = 0;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        int pending = 1000;
        asio::steady_timer all_done(ioc, std::chrono::steady_clock::time_point::max());
        for (int i = 0; i < 1000; ++i)
            client.async_get_audience_model(get_req(), [&](crm::error_code ec, crm::get_audience_model_response) {
                ec ? ++failed : ++ok;
                if (--pending == 0) all_done.cancel();
            });
        co_await all_done.async_wait(tuple);
    });
    BOOST_TEST(ok == 1000);
    BOOST_TEST(failed == 0);
    BOOST_TEST(server.connections() <= 32u);
}

// --- TLS -------------------------------------------------------------------------------

using test_support::write_temp;

BOOST_AUTO_TEST_CASE(tls_with_the_test_ca)
{
    auto const cert = test_support::make_certificate("IP:127.0.0.1");
    auto tls = test_support::server_tls(cert);
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); }, tls.get());
    auto cfg = test_support::client_config_for(server.url());
    cfg.tls.ca_file = write_temp("crml-ca-", cert.cert_pem);
    crm::client client(ioc.get_executor(), cfg);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 3; ++i) {
            auto out = co_await client.async_get_audience_model(get_req());
            BOOST_TEST(out.name == "spring");
        }
    });
    BOOST_TEST(server.connections() == 1u);
    std::filesystem::remove(*cfg.tls.ca_file);
}

BOOST_AUTO_TEST_CASE(tls_untrusted_and_wrong_host)
{
    auto const good = test_support::make_certificate("IP:127.0.0.1");
    auto const other_host = test_support::make_certificate("DNS:example.com");
    for (int variant = 0; variant < 2; ++variant) {
        auto const& served = variant == 0 ? good : other_host;
        auto tls = test_support::server_tls(served);
        asio::io_context ioc;
        http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); }, tls.get());
        auto cfg = test_support::client_config_for(server.url());
        // variant 0: trust store without the server's CA; 1: trusted, but for another name.
        cfg.tls.ca_file = write_temp("crml-ca2-", variant == 0 ? other_host.cert_pem : served.cert_pem);
        crm::client client(ioc.get_executor(), cfg);
        test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
            crm::diagnostics diag;
            auto [ec, out] = co_await client.async_get_audience_model(get_req(), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(ec.failed());
            BOOST_TEST((ec.category() == asio::error::get_ssl_category()), ec.message());
            BOOST_TEST(diag.message.find("certificate verification failed") != std::string::npos, diag.message);
            BOOST_TEST(diag.attempts == 1);  // not retried
        });
        BOOST_TEST(server.requests().empty());
        std::filesystem::remove(*cfg.tls.ca_file);
    }
}

// --- pagination --------------------------------------------------------------------------

namespace {
// Three pages of two models each, tokens "t1", "t2"; `loop` makes page 3 hand out "t1" again.
scripted_response pages_handler(recorded_request const& r, bool loop)
{
    auto tok = r.target.find("nextToken=");
    std::string token = tok == std::string::npos ? "" : r.target.substr(tok + 10, 2);
    int page = token.empty() ? 1 : token == "t1" ? 2 : 3;
    crm::list_audience_models_response res;
    for (int i = 0; i < 2; ++i) {
        crm::audience_model_summary s;
        s.name = "m" + std::to_string(page) + std::to_string(i);
        s.audience_model_arn = model_arn;
        s.training_dataset_arn = model_arn;
        s.status = crm::audience_model_status::active;
        res.audience_models.push_back(s);
    }
    if (page < 3) res.next_token = "t" + std::to_string(page);
    else if (loop) res.next_token = "t1";
    return ok_json(crm::to_json(res));
}
} // namespace

BOOST_AUTO_TEST_CASE(paginate_pages_and_items)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const& r) { return pages_handler(r, false); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    std::vector<std::string> names;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        crm::list_audience_models_request req;
        req.max_results = 2;
        auto pages = client.paginate(req);
        BOOST_TEST(server.requests().empty());  // lazy
        int n = 0;
        while (auto page = co_await pages.async_next()) {
            ++n;
            BOOST_TEST(page->audience_models.size() == 2u);
        }
        BOOST_TEST(n == 3);
        BOOST_TEST(pages.done());
        auto again = co_await pages.async_next();
        BOOST_TEST(!again.has_value());

        auto items = client.paginate_items(crm::list_audience_models_request{});
        while (auto m = co_await items.async_next()) names.push_back(m->name);
    });
    BOOST_TEST(server.requests().size() == 6u);
    BOOST_TEST(server.requests()[0].target.find("maxResults=2") != std::string::npos);
    BOOST_TEST(server.requests()[1].target.find("nextToken=t1") != std::string::npos);
    BOOST_TEST(server.requests()[1].target.find("maxResults=2") != std::string::npos);
    BOOST_TEST(names == (std::vector<std::string>{"m10", "m11", "m20", "m21", "m30", "m31"}));
}

BOOST_AUTO_TEST_CASE(repeated_page_token_is_an_error)
{
    asio::io_context ioc;
    http_server server(ioc, [](recorded_request const& r) { return pages_handler(r, true); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto pages = client.paginate(crm::list_audience_models_request{});
        int n = 0;
        try {
            while (auto page = co_await pages.async_next()) ++n;
            BOOST_TEST(false, "no error");
        } catch (crm::error_with_diagnostics const& e) {
            BOOST_TEST((e.code() == crm::client_errc::repeated_page_token));
        }
        BOOST_TEST(n == 2);
    });
}

// --- completion tokens -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(every_token_style)
{
    asio::io_context ioc;
    http_server server(ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    crm::client client(ioc.get_executor(), test_support::client_config_for(server.url()));

    // Callback.
    std::string via_callback;
    client.async_get_audience_model(get_req(), [&](crm::error_code ec, crm::get_audience_model_response r) {
        BOOST_TEST(!ec);
        via_callback = r.name;
    });
    // use_future, resolved by the io_context run below.
    auto fut = client.async_get_audience_model(get_req(), asio::use_future);
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto a = co_await client.async_get_audience_model(get_req(), asio::use_awaitable);
        BOOST_TEST(a.name == "spring");
        auto [ec, b] = co_await client.async_get_audience_model(get_req(), asio::as_tuple(asio::use_awaitable));
        BOOST_TEST(!ec);
        BOOST_TEST(b.name == "spring");
        auto op = client.async_get_audience_model(get_req(), asio::deferred);
        auto c = co_await std::move(op);
        BOOST_TEST(c.name == "spring");
        // Wait for the callback and the future's call to finish too.
        asio::steady_timer t(ioc);
        for (int i = 0; i < 100 && via_callback.empty(); ++i) {
            t.expires_after(10ms);
            co_await t.async_wait(tuple);
        }
    });
    BOOST_TEST(via_callback == "spring");
    BOOST_TEST_REQUIRE((fut.wait_for(0s) == std::future_status::ready));
    BOOST_TEST(fut.get().name == "spring");
}

BOOST_AUTO_TEST_CASE(multi_threaded_io_context)
{
    asio::io_context server_ioc;
    http_server server(server_ioc, [&](recorded_request const&) { return ok_json(model_json()); });
    std::thread server_thread([&] { server_ioc.run(); });

    asio::io_context ioc(2);
    auto cfg = test_support::client_config_for(server.url());
    cfg.max_connections = 8;
    std::atomic<int> ok{0};
    {
        crm::client client(ioc.get_executor(), cfg);
        for (int i = 0; i < 200; ++i)
            client.async_get_audience_model(get_req(), [&](crm::error_code ec, crm::get_audience_model_response) {
                if (!ec) ++ok;
            });
        std::thread t1([&] { ioc.run(); });
        ioc.run();
        t1.join();
    }
    asio::post(server_ioc, [&] { server.stop(); });
    server_thread.join();
    BOOST_TEST(ok.load() == 200);
}

// --- proxies -----------------------------------------------------------------------------

namespace {
using test_support::proxy_server;

// run() stops the origin only; the proxy's listener and tunnels would keep
// the io_context busy until its 60 s limit.
void run_with_proxy(asio::io_context& ioc, http_server& origin, proxy_server& proxy,
                    std::function<asio::awaitable<void>()> body)
{
    test_support::run(ioc, origin, [&proxy, body = std::move(body)]() -> asio::awaitable<void> {
        std::exception_ptr failure;
        try {
            co_await body();
        } catch (...) {
            failure = std::current_exception();
        }
        proxy.stop();
        if (failure) std::rethrow_exception(failure);
    });
}

scripted_response signed_or_403(recorded_request const& r, std::string body)
{
    auto why = test_support::verify_signature(r, test_support::test_credentials());
    if (!why.empty()) return aws_error(403, "InvalidSignatureException", why);
    return ok_json(std::move(body));
}

std::string const model_target =
    "/audience-model/arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aaudience-model%2Fa1b2c3";

// A name that only the proxy can resolve: a client that tried itself would fail.
constexpr char origin_name[] = "origin.test";
} // namespace

BOOST_AUTO_TEST_CASE(https_through_a_connect_tunnel)
{
    auto const cert = test_support::make_certificate("DNS:origin.test");
    auto tls = test_support::server_tls(cert);
    asio::io_context ioc;
    http_server origin(ioc, [](recorded_request const& r) { return signed_or_403(r, model_json()); }, tls.get());
    proxy_server proxy(ioc);
    proxy.map_host(origin_name, "127.0.0.1");
    std::string const authority = std::string(origin_name) + ":" + std::to_string(origin.port());
    auto cfg = test_support::client_config_for("https://" + authority);
    cfg.tls.ca_file = write_temp("crml-proxy-ca-", cert.cert_pem);
    cfg.proxy.https = proxy.url();
    // Only for http:// endpoints; nothing listens there.
    cfg.proxy.http = "http://127.0.0.1:" + std::to_string(test_support::closed_port(ioc));
    crm::client client(ioc.get_executor(), cfg);
    run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 2; ++i) {
            crm::diagnostics diag;
            auto req = get_req();
            auto [ec, out] = co_await client.async_get_audience_model(std::move(req), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec, ec.message() << ": " << diag.message);
            BOOST_TEST(out.name == "spring");
            BOOST_TEST(diag.attempts == 1);
        }
    });
    // One tunnel, kept alive for both calls.
    BOOST_TEST(proxy.connects() == 1u);
    BOOST_TEST(proxy.connections() == 1u);
    BOOST_TEST_REQUIRE(proxy.requests().size() == 1u);
    auto const& c = proxy.requests()[0];
    BOOST_TEST(c.method == "CONNECT");
    BOOST_TEST(c.target == authority);
    BOOST_TEST(c.header("Host").value_or("") == authority);
    BOOST_TEST(!c.header("Proxy-Authorization"));
    // Through the tunnel the origin sees ordinary origin-form requests, signed for its name.
    BOOST_TEST(origin.connections() == 1u);
    BOOST_TEST_REQUIRE(origin.requests().size() == 2u);
    for (auto const& r : origin.requests()) {
        BOOST_TEST(r.method == "GET");
        BOOST_TEST(r.target == model_target);
        BOOST_TEST(r.header("Host").value_or("") == authority);
        BOOST_TEST(!r.header("Proxy-Authorization"));
        BOOST_TEST(test_support::verify_signature(r, test_support::test_credentials()) == "");
    }
    std::filesystem::remove(*cfg.tls.ca_file);
}

BOOST_AUTO_TEST_CASE(tls_through_a_tunnel_verifies_the_target_name)
{
    // Valid for the address the proxy and the origin listen on, but not for
    // the endpoint's name: the tunnel must not make the proxy's host count.
    auto const cert = test_support::make_certificate("IP:127.0.0.1");
    auto tls = test_support::server_tls(cert);
    asio::io_context ioc;
    http_server origin(ioc, [](recorded_request const& r) { return signed_or_403(r, model_json()); }, tls.get());
    proxy_server proxy(ioc);
    proxy.map_host(origin_name, "127.0.0.1");
    auto cfg = test_support::client_config_for("https://" + std::string(origin_name) + ":" +
                                               std::to_string(origin.port()));
    cfg.tls.ca_file = write_temp("crml-proxy-ca2-", cert.cert_pem);
    cfg.proxy.https = proxy.url();
    crm::client client(ioc.get_executor(), cfg);
    run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        auto req = get_req();
        auto [ec, out] = co_await client.async_get_audience_model(std::move(req), diag, asio::as_tuple(asio::deferred));
        BOOST_TEST((ec.category() == asio::error::get_ssl_category()), ec.message());
        BOOST_TEST(diag.message.find("certificate verification failed") != std::string::npos, diag.message);
        BOOST_TEST(diag.attempts == 1);
    });
    BOOST_TEST(proxy.connects() == 1u);  // the tunnel was up; TLS over it failed
    BOOST_TEST(origin.requests().empty());
    std::filesystem::remove(*cfg.tls.ca_file);
}

BOOST_AUTO_TEST_CASE(http_through_a_proxy_in_absolute_form)
{
    crm::list_audience_models_request list;
    list.max_results = 5;
    list.next_token = "page 2/+";  // needs percent-encoding in the query
    detail::encoded_request enc;
    detail::read_error err;
    BOOST_TEST_REQUIRE(!detail::encode_request(crm::operation_traits<crm::list_audience_models_request>::info,
                                               detail::type_of<crm::list_audience_models_request>(), &list, enc, err));
    BOOST_TEST_REQUIRE(!enc.query.empty());
    std::string const origin_target = enc.path + "?" + enc.query;

    // The proxy keeps the client's connection alive, or closes it after every answer.
    for (bool keep_alive : {true, false}) {
        asio::io_context ioc;
        http_server origin(ioc, [](recorded_request const& r) {
            return signed_or_403(r, crm::to_json(crm::list_audience_models_response{}));
        });
        proxy_server proxy(ioc);
        proxy.keep_alive(keep_alive);
        auto cfg = test_support::client_config_for(origin.url());
        cfg.proxy.http = proxy.url();
        cfg.proxy.https = "http://127.0.0.1:" + std::to_string(test_support::closed_port(ioc));  // https only
        crm::client client(ioc.get_executor(), cfg);
        run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 2; ++i) {
                crm::diagnostics diag;
                auto req = list;
                auto [ec, out] =
                    co_await client.async_list_audience_models(std::move(req), diag, asio::as_tuple(asio::deferred));
                BOOST_TEST(!ec, ec.message() << ": " << diag.message);
                BOOST_TEST(diag.attempts == 1);
            }
        });
        std::string const host = "127.0.0.1:" + std::to_string(origin.port());
        BOOST_TEST(proxy.connects() == 0u);
        BOOST_TEST(proxy.connections() == (keep_alive ? 1u : 2u));
        BOOST_TEST_REQUIRE(proxy.requests().size() == 2u);
        for (auto const& r : proxy.requests()) {
            BOOST_TEST(r.method == "GET");
            BOOST_TEST(r.target == "http://" + host + origin_target);
            BOOST_TEST(r.header("Host").value_or("") == host);
        }
        // The proxy forwarded them in origin form; the signature still holds.
        BOOST_TEST_REQUIRE(origin.requests().size() == 2u);
        for (auto const& r : origin.requests()) {
            BOOST_TEST(r.target == origin_target);
            BOOST_TEST(test_support::verify_signature(r, test_support::test_credentials()) == "");
        }
    }
}

BOOST_AUTO_TEST_CASE(no_proxy_goes_direct)
{
    for (int variant = 0; variant < 3; ++variant) {
        asio::io_context ioc;
        http_server origin(ioc, [](recorded_request const& r) { return signed_or_403(r, model_json()); });
        proxy_server proxy(ioc);
        auto cfg = test_support::client_config_for(origin.url());
        cfg.proxy.http = proxy.url();
        cfg.proxy.https = proxy.url();
        std::string const port = std::to_string(origin.port());
        // 0: the host among others; 1: host and port; 2: the host on another port only (not exempt).
        cfg.proxy.no_proxy = variant == 0   ? "example.com, 127.0.0.1"
                             : variant == 1 ? ".example.com,127.0.0.1:" + port
                                            : "127.0.0.1:1";
        bool const direct = variant != 2;
        crm::client client(ioc.get_executor(), cfg);
        run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
            crm::diagnostics diag;
            auto req = get_req();
            auto [ec, out] = co_await client.async_get_audience_model(std::move(req), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec, cfg.proxy.no_proxy << ": " << ec.message() << ": " << diag.message);
        });
        BOOST_TEST(proxy.connections() == (direct ? 0u : 1u), cfg.proxy.no_proxy);
        BOOST_TEST(proxy.requests().size() == (direct ? 0u : 1u), cfg.proxy.no_proxy);
        BOOST_TEST_REQUIRE(origin.requests().size() == 1u);
        BOOST_TEST(origin.requests()[0].target == model_target);
    }
}

BOOST_AUTO_TEST_CASE(proxy_credentials_from_the_proxy_url)
{
    // "user:pass" in Basic form, on CONNECT (https) and on every absolute-form
    // request (http); never passed on to the origin.
    for (bool https : {true, false}) {
        auto const cert = test_support::make_certificate("DNS:origin.test");
        auto tls = test_support::server_tls(cert);
        asio::io_context ioc;
        http_server origin(ioc, [](recorded_request const& r) { return signed_or_403(r, model_json()); },
                           https ? tls.get() : nullptr);
        proxy_server proxy(ioc);
        proxy.map_host(origin_name, "127.0.0.1");
        auto cfg = test_support::client_config_for(std::string(https ? "https://" : "http://") + origin_name + ":" +
                                                   std::to_string(origin.port()));
        if (https) cfg.tls.ca_file = write_temp("crml-proxy-ca3-", cert.cert_pem);
        std::string const proxy_url = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
        (https ? cfg.proxy.https : cfg.proxy.http) = proxy_url;
        crm::client client(ioc.get_executor(), cfg);
        run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
            crm::diagnostics diag;
            auto req = get_req();
            auto [ec, out] = co_await client.async_get_audience_model(std::move(req), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec, ec.message() << ": " << diag.message);
        });
        BOOST_TEST_REQUIRE(proxy.requests().size() == 1u, (https ? "https" : "http"));
        auto const& p = proxy.requests()[0];
        BOOST_TEST(p.method == (https ? "CONNECT" : "GET"));
        BOOST_TEST(p.header("Proxy-Authorization").value_or("") == "Basic dXNlcjpwYXNz");
        BOOST_TEST_REQUIRE(origin.requests().size() == 1u);
        BOOST_TEST(!origin.requests()[0].header("Proxy-Authorization"));
        BOOST_TEST(test_support::verify_signature(origin.requests()[0], test_support::test_credentials()) == "");
        if (https) std::filesystem::remove(*cfg.tls.ca_file);
    }
}

BOOST_AUTO_TEST_CASE(proxy_refusing_the_tunnel)
{
    for (int status : {407, 403}) {
        auto const cert = test_support::make_certificate("IP:127.0.0.1");
        auto tls = test_support::server_tls(cert);
        asio::io_context ioc;
        http_server origin(ioc, [](recorded_request const&) { return ok_json(model_json()); }, tls.get());
        proxy_server proxy(ioc);
        proxy.refuse_connect(status);
        auto cfg = test_support::client_config_for(origin.url());
        cfg.tls.ca_file = write_temp("crml-proxy-ca4-", cert.cert_pem);
        cfg.proxy.https = proxy.url();
        cfg.retry.max_attempts = 1;
        crm::client client(ioc.get_executor(), cfg);
        run_with_proxy(ioc, origin, proxy, [&]() -> asio::awaitable<void> {
            crm::diagnostics diag;
            auto req = get_req();
            auto [ec, out] = co_await client.async_get_audience_model(std::move(req), diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(ec.failed());
            BOOST_TEST(diag.message.find("the proxy refused the tunnel") != std::string::npos, diag.message);
            BOOST_TEST(diag.message.find("HTTP " + std::to_string(status)) != std::string::npos, diag.message);
            BOOST_TEST(diag.http_status == 0);  // not the service's answer
        });
        BOOST_TEST(proxy.connects() == 1u);
        BOOST_TEST(origin.connections() == 0u);
        std::filesystem::remove(*cfg.tls.ca_file);
    }
}

// --- adaptive retry mode ---------------------------------------------------------------

BOOST_AUTO_TEST_CASE(adaptive_mode_slows_down_after_throttling_and_recovers)
{
    using clock = std::chrono::steady_clock;
    std::string const throttled_arn[2] = {"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/throttled-0",
                                          "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/throttled-1"};
    asio::io_context ioc;
    int phase = 0;                             // 0 unthrottled, 1 right after throttling, 2 after a pause
    std::vector<clock::time_point> sent[3];    // arrival times of the plain calls, by phase
    bool throttled[2] = {false, false};
    http_server server(ioc, [&](recorded_request const& r) {
        if (auto p = r.target.find("throttled-"); p != std::string::npos) {
            int const i = r.target[p + 10] - '0';
            if (throttled[i]) return ok_json(model_json());
            throttled[i] = true;  // each throttled once, in both wire forms
            return i == 0 ? aws_error(400, "ThrottlingException", "slow down") : aws_error(429, "ThrottlingException", "slow down");
        }
        sent[phase].push_back(clock::now());
        return ok_json(model_json());
    });
    auto cfg = test_support::client_config_for(server.url());
    cfg.retry.mode = crm::retry_mode::adaptive;
    crm::client client(ioc.get_executor(), cfg);
    auto const created_by = clock::now();  // the limiter's time starts with the client

    crm::diagnostics diag[2];
    crm::error_code result[2];
    int finished = 0;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        asio::steady_timer timer(ioc);
        // 19 calls at full speed, inside the limiter's first half-second
        // bucket: nothing waits, and the rate measured at the next bucket is
        // at most 0.8 * 20 / 0.5 = 32 per second.
        for (int i = 0; i < 19; ++i) {
            auto req = get_req();
            co_await client.async_get_audience_model(std::move(req));
        }
        timer.expires_at(created_by + 550ms);
        co_await timer.async_wait(tuple);
        // Two calls throttled concurrently: the limiter turns on with an
        // (almost) empty bucket and a rate cut to 0.7 * 0.7 of that measure.
        for (int i = 0; i < 2; ++i) {
            crm::get_audience_model_request req;
            req.audience_model_arn = throttled_arn[i];
            client.async_get_audience_model(std::move(req), diag[i], [&, i](crm::error_code ec, crm::get_audience_model_response) {
                result[i] = ec;
                ++finished;
            });
        }
        while (!throttled[0] || !throttled[1]) {
            timer.expires_after(1ms);
            co_await timer.async_wait(tuple);
        }
        timer.expires_after(20ms);  // the client reads both answers
        co_await timer.async_wait(tuple);
        phase = 1;
        for (int i = 0; i < 12; ++i) {
            auto req = get_req();
            co_await client.async_get_audience_model(std::move(req));
        }
        while (finished < 2) {
            timer.expires_after(5ms);
            co_await timer.async_wait(tuple);
        }
        // Idle for a while, the bucket fills up again.
        timer.expires_after(500ms);
        co_await timer.async_wait(tuple);
        phase = 2;
        for (int i = 0; i < 3; ++i) {
            auto req = get_req();
            co_await client.async_get_audience_model(std::move(req));
        }
    });
    auto const took = clock::now() - created_by;
    // The throttled calls succeeded on their retry.
    for (int i = 0; i < 2; ++i) {
        BOOST_TEST(!result[i], result[i].message() << ": " << diag[i].message);
        BOOST_TEST(diag[i].attempts == 2);
    }
    BOOST_TEST_REQUIRE(sent[0].size() == 19u);
    BOOST_TEST_REQUIRE(sent[1].size() == 12u);
    BOOST_TEST_REQUIRE(sent[2].size() == 3u);
    auto const gap = [](std::vector<clock::time_point> const& v) {
        return std::chrono::duration<double, std::milli>(v.back() - v.front()).count() / double(v.size() - 1);
    };
    auto const burst = std::chrono::duration<double, std::milli>(sent[1].back() - sent[1].front()).count();
    BOOST_TEST_MESSAGE("adaptive: mean gap unthrottled " << gap(sent[0]) << " ms, after throttling " << gap(sent[1])
                                                         << " ms, after a pause " << gap(sent[2]) << " ms; "
                                                         << std::chrono::duration<double>(took).count() << " s in all");
    // Tokens come at no more than 32 per second with at most ~1.7 in the
    // bucket: the 12 calls need >= 10 refills, >= ~320 ms.
    BOOST_TEST(burst >= 250.0);
    BOOST_TEST(gap(sent[1]) >= 4 * gap(sent[0]));
    // Recovered: after the pause a few calls go out back to back again.
    BOOST_TEST(gap(sent[2]) * 3 < gap(sent[1]));
    BOOST_TEST((took < 5s));
}

BOOST_AUTO_TEST_SUITE_END()
