// The fault matrix: a call against a server that fails at every I/O step
// (connect, TLS handshake, after the request, in the status line, the
// headers, the body, its framing, its size, its JSON), slowly or at once.
// For each fault: the call's outcome (retried to success, or a specific error
// with diagnostics), the requests the server saw, a bounded duration, and a
// pool that still serves the next call.

#include <cleanroomsml.hpp>

#include "support/client_fixture.hpp"
#include "support/fault_server.hpp"
#include "support/samples.hpp"
#include "support/tls.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

namespace {

namespace crm = cleanroomsml;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using test_support::fault_script;
using test_support::fault_server;
using test_support::fault_step;
using test_support::raw_response;
using test_support::write_temp;
using ending = fault_script::ending;
using clock_type = std::chrono::steady_clock;

constexpr char model_arn[] = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/f1";

std::string model_json() { return test_support::audience_model_json(model_arn, "steady"); }

test_support::header_list json_headers(std::string request_id = "req-good")
{
    return {{"Content-Type", "application/json"}, {"x-amzn-RequestId", std::move(request_id)}};
}

std::string good_response() { return raw_response(200, json_headers(), model_json()); }

std::string head_only(std::size_t content_length)
{
    return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
           std::to_string(content_length) + "\r\n\r\n";
}

std::string unframed_head() { return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"; }

std::string chunked_head() { return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"; }

fault_script answer(std::string bytes, ending end = ending::keep_alive) { return {{{0ms, std::move(bytes)}}, end}; }

fault_script aws_error(int status, std::string type, std::string request_id, test_support::header_list extra = {})
{
    auto headers = json_headers(std::move(request_id));
    headers.emplace_back("x-amzn-ErrorType", std::move(type));
    for (auto& h : extra) headers.push_back(std::move(h));
    return answer(raw_response(status, headers, "{\"message\":\"injected\"}"));
}

std::string nesting_bomb(std::size_t depth)
{
    return "{\"name\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

crm::get_audience_model_request get_req()
{
    crm::get_audience_model_request r;
    r.audience_model_arn = model_arn;
    return r;
}

struct fault_case {
    char const* name;
    std::vector<fault_script> scripts;  ///< for the first requests; later ones are answered well
    crm::error_code expected{};         ///< what the call ends with; {}: success after retries
    std::size_t requests = 0;           ///< requests the server saw for that call
    char const* diag_says = "";         ///< part of the diagnostics (message, path), for failures
    std::function<void(crm::client_config&)> tweak{};
    std::size_t tls_requests = 0;       ///< requests over TLS when they differ (0: the same)
};

crm::client_config config_for(std::string url)
{
    auto cfg = test_support::client_config_for(std::move(url));
    cfg.timeouts.connect = 500ms;
    cfg.timeouts.attempt = 400ms;
    cfg.timeouts.operation = 8s;
    cfg.max_connections = 4;
    return cfg;
}

// The pool after a fault: nothing busy, nobody waiting, within its size.
void check_pool(crm::client const& client)
{
    auto const s = client.stats();
    BOOST_TEST(s.waiting == 0u);
    BOOST_TEST(s.open == s.idle);
    BOOST_TEST(s.open <= client.config().max_connections);
}

struct outcome {
    crm::error_code ec;
    crm::diagnostics diag;
    clock_type::duration took{};
    crm::error_code next_ec;  ///< the call after the faulty one, on the same client
};

// One call on a fresh client against `server`, then one more.
template <class Server>
outcome run_case(asio::io_context& ioc, Server& server, crm::client_config cfg)
{
    crm::client client(ioc.get_executor(), std::move(cfg));
    outcome o;
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const start = clock_type::now();
        auto const req = get_req();
        auto [ec, out] = co_await client.async_get_audience_model(req, o.diag, asio::as_tuple(asio::deferred));
        o.took = clock_type::now() - start;
        o.ec = ec;
        if (!ec) BOOST_TEST(out.name == "steady");
        crm::diagnostics next_diag;
        auto [next_ec, next] = co_await client.async_get_audience_model(req, next_diag, asio::as_tuple(asio::deferred));
        o.next_ec = next_ec;
        if (!next_ec) BOOST_TEST(next.name == "steady");
        check_pool(client);
    });
    return o;
}

} // namespace

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(every_step_of_a_response)
{
    auto const body = model_json();
    auto const half = body.substr(0, body.size() / 2);
    auto const slow_head = test_support::trickle(head_only(body.size()), 25ms);
    std::vector<fault_step> slow_body{{0ms, head_only(body.size())}};
    for (auto& s : test_support::trickle(body, 25ms)) slow_body.push_back(s);
    auto const big = std::string(2000, ' ') + body;
    auto const small_limit = [](crm::client_config& c) { c.max_response_bytes = 1024; };
    auto const error_503 = aws_error(503, "ServiceUnavailableException", "burst");
    auto const throttled =
        aws_error(400, "ThrottlingException", "storm", {{"x-amz-retry-after", "20"}});

    std::vector<fault_case> const cases = {
        // The connection fails before any response byte: retried on a new connection.
        {"reset after the request is sent", {answer("", ending::reset)}, {}, 2},
        {"closed before the status line", {answer("", ending::close)}, {}, 2},
        {"not HTTP at all", {answer("SSH-2.0-OpenSSH_9.2\r\n", ending::close)}, {}, 2},
        // Cut short after some of the response: retried.
        {"closed after the headers", {answer(head_only(body.size()), ending::close)}, {}, 2},
        {"closed mid-body", {answer(head_only(body.size()) + half, ending::close)}, {}, 2},
        {"reset mid-body", {answer(head_only(body.size()) + half, ending::reset)}, {}, 2},
        {"Content-Length longer than the body, then silence",
         {answer(head_only(body.size() + 100) + body, ending::hang)}, {}, 2},
        {"a chunk size that is not hex", {answer(chunked_head() + "zz\r\n" + body + "\r\n0\r\n\r\n")}, {}, 2},
        {"chunked body without its last chunk",
         {answer(chunked_head() + "10\r\n" + body.substr(0, 16) + "\r\n", ending::close)}, {}, 2},
        {"chunk longer than announced",
         {answer(chunked_head() + "2\r\n" + body + "\r\n0\r\n\r\n", ending::close)}, {}, 2},
        // A body without framing runs to the end of the stream. Over TLS only
        // the session's end (close_notify) ends it; a bare FIN there may be
        // an attacker cutting it short, and the attempt is retried.
        {"a body that runs to the end of the stream", {answer(unframed_head() + body, ending::close_notify)}, {}, 1},
        {"a body that runs to a bare FIN", {answer(unframed_head() + body, ending::close)}, {}, 1, "", {}, 2},
        // Slow servers: each attempt is bounded by the attempt timeout.
        {"status line and headers at a crawl", {{slow_head, ending::close}}, {}, 2},
        {"body at a crawl", {{slow_body, ending::close}}, {}, 2},
        {"headers at a crawl on every attempt",
         {{slow_head, ending::close}, {slow_head, ending::close}, {slow_head, ending::close}},
         crm::client_errc::attempt_timeout, 3, "no complete response before the deadline"},
        // Complete responses that are wrong: final, not retried, and the
        // connection is not reused when bytes are left over.
        {"Content-Length shorter than the body", {answer(head_only(10) + body)},
         crm::client_errc::unparsable_response, 1, "does not match the model"},
        {"body over max_response_bytes", {answer(raw_response(200, json_headers(), big))},
         crm::client_errc::response_too_large, 1, "max_response_bytes", small_limit},
        {"chunked body over max_response_bytes",
         {answer(chunked_head() + "7d0\r\n" + big.substr(0, 2000) + "\r\n0\r\n\r\n")},
         crm::client_errc::response_too_large, 1, "max_response_bytes", small_limit},
        {"invalid JSON", {answer(raw_response(200, json_headers(), "{\"name\": \"st"))},
         crm::client_errc::unparsable_response, 1, "does not match the model"},
        {"invalid UTF-8 in a string", {answer(raw_response(200, json_headers(), "{\"name\":\"\xff\xfe\"}"))},
         crm::client_errc::unparsable_response, 1, "does not match the model"},
        {"JSON nesting bomb", {answer(raw_response(200, json_headers(), nesting_bomb(100000)))},
         crm::client_errc::unparsable_response, 1, "does not match the model"},
        {"JSON nesting bomb in an error", {answer(raw_response(400, {{"x-amzn-ErrorType", "ValidationException"}},
                                                               nesting_bomb(100000)))},
         crm::service_errc::validation, 1},
        {"a wrong type for a member", {answer(raw_response(200, json_headers(), "{\"name\":42}"))},
         crm::client_errc::unparsable_response, 1, "at name"},
        // Server errors and throttling: retried with backoff up to max_attempts.
        {"503 burst", {error_503, error_503}, {}, 3},
        {"500 on every attempt",
         {aws_error(500, "InternalServerException", "r1"), aws_error(500, "InternalServerException", "r2"),
          aws_error(500, "InternalServerException", "r3")},
         crm::service_errc::internal_server, 3, "injected"},
        {"throttling with x-amz-retry-after", {throttled, throttled}, {}, 3},
        {"a throttling storm", {throttled, throttled, throttled}, crm::service_errc::throttling, 3, "injected"},
    };

    // Every case over plain HTTP and over TLS, whose records the client
    // decrypts as they arrive (a step's bytes may span or split records).
    auto const cert = test_support::make_certificate("IP:127.0.0.1");
    auto const ca_file = write_temp("crml-faults-ca-", cert.cert_pem);
    auto tls_context = test_support::server_tls(cert);
    for (bool const tls : {false, true}) {
        for (auto const& c : cases) {
            BOOST_TEST_CONTEXT(c.name << (tls ? " (TLS)" : ""))
            {
                asio::io_context ioc;
                fault_server server(ioc, c.scripts, good_response(), tls ? tls_context.get() : nullptr);
                auto cfg = config_for(server.url());
                if (tls) cfg.tls.ca_file = ca_file;
                std::size_t const requests = tls && c.tls_requests ? c.tls_requests : c.requests;
                if (c.tweak) c.tweak(cfg);
                auto const o = run_case(ioc, server, cfg);
                BOOST_TEST((o.ec == c.expected), o.ec.message() << "; " << o.diag.to_string());
                BOOST_TEST(o.diag.attempts == static_cast<int>(requests));
                // The follow-up call made exactly one more request.
                BOOST_TEST(server.requests() == requests + 1);
                BOOST_TEST(!o.next_ec, o.next_ec.message());
                if (c.expected) {
                    BOOST_TEST(o.diag.to_string().find(c.diag_says) != std::string::npos, o.diag.to_string());
                    BOOST_TEST((!o.diag.message.empty() || !o.diag.error_type.empty()));
                }
                // Bounded: three attempts of 400 ms plus backoff (throttling's up to 3 s).
                BOOST_TEST((o.took < 5s), std::chrono::duration_cast<std::chrono::milliseconds>(o.took).count());
            }
        }
    }
    std::filesystem::remove(ca_file);
}

BOOST_AUTO_TEST_CASE(leftover_bytes_retire_the_connection)
{
    auto const body = model_json();
    asio::io_context ioc;
    fault_server server(ioc, {answer(head_only(10) + body)}, good_response());
    auto const o = run_case(ioc, server, config_for(server.url()));
    BOOST_TEST((o.ec == crm::client_errc::unparsable_response));
    BOOST_TEST(!o.next_ec);
    BOOST_TEST(server.connections() == 2u);  // the follow-up did not read the stale bytes
}

// A connection is checked before reuse once it has been idle a while
// (client idle for over a second here): a server that said goodbye with an
// unsolicited 408 and closed it is noticed, and the call goes out on a new
// connection instead of reading that 408 as its answer. Used at once, the
// connection is taken unchecked; the server closed it after answering, so
// the request fails before any response byte and is sent again on a new
// connection, without counting as an attempt.
BOOST_AUTO_TEST_CASE(a_connection_closed_by_the_server_is_replaced)
{
    auto const goodbye = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n";
    asio::io_context ioc;
    fault_server server(ioc,
                        {{{{0ms, good_response()}, {50ms, goodbye}}, ending::close},
                         answer(good_response(), ending::close)},
                        good_response());
    crm::client client(ioc.get_executor(), config_for(server.url()));
    test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
        auto const req = get_req();
        for (int i = 0; i < 3; ++i) {
            if (i == 1) {
                asio::steady_timer idle(ioc, 1200ms);  // past the pool's probe_after
                co_await idle.async_wait(asio::deferred);
            }
            crm::diagnostics diag;
            auto [ec, out] = co_await client.async_get_audience_model(req, diag, asio::as_tuple(asio::deferred));
            BOOST_TEST(!ec, i << ": " << ec.message() << "; " << diag.to_string());
            BOOST_TEST(out.name == "steady");
            BOOST_TEST(diag.attempts == 1);
        }
        check_pool(client);
    });
    BOOST_TEST(server.requests() == 3u);
    BOOST_TEST(server.connections() == 3u);
}

BOOST_AUTO_TEST_CASE(connection_refused_on_every_attempt)
{
    asio::io_context ioc;
    auto cfg = config_for("http://127.0.0.1:" + std::to_string(test_support::closed_port(ioc)));
    crm::client client(ioc.get_executor(), cfg);
    crm::diagnostics diag;
    crm::error_code ec;
    auto const start = clock_type::now();
    client.async_get_audience_model(get_req(), diag, [&](crm::error_code e, crm::get_audience_model_response) {
        ec = e;
    });
    ioc.run_for(10s);
    BOOST_TEST((ec == asio::error::connection_refused), ec.message());
    BOOST_TEST(diag.attempts == 3);
    BOOST_TEST(diag.http_status == 0);
    BOOST_TEST((clock_type::now() - start < 5s));
    check_pool(client);
    BOOST_TEST(client.stats().open == 0u);
}

BOOST_AUTO_TEST_CASE(reset_during_the_tls_handshake_is_retried)
{
    auto const cert = test_support::make_certificate("IP:127.0.0.1");
    auto tls = test_support::server_tls(cert);
    asio::io_context ioc;
    fault_server server(ioc, {}, good_response(), tls.get(), 1);
    auto cfg = config_for(server.url());
    cfg.tls.ca_file = write_temp("crml-fault-ca-", cert.cert_pem);
    auto const o = run_case(ioc, server, cfg);
    BOOST_TEST(!o.ec, o.ec.message() << "; " << o.diag.to_string());
    BOOST_TEST(o.diag.attempts == 2);
    BOOST_TEST(server.connections() == 2u);  // the reset one, then one for both calls
    BOOST_TEST(server.requests() == 2u);
    BOOST_TEST(!o.next_ec);
    std::filesystem::remove(*cfg.tls.ca_file);
}

BOOST_AUTO_TEST_CASE(expired_certificate_is_refused_once)
{
    auto const expired = test_support::make_certificate("IP:127.0.0.1", -2 * 24 * 3600, -24 * 3600);
    auto tls = test_support::server_tls(expired);
    asio::io_context ioc;
    fault_server server(ioc, {}, good_response(), tls.get());
    auto cfg = config_for(server.url());
    cfg.tls.ca_file = write_temp("crml-expired-ca-", expired.cert_pem);
    auto const o = run_case(ioc, server, cfg);
    BOOST_TEST((o.ec.category() == asio::error::get_ssl_category()), o.ec.message());
    BOOST_TEST(o.diag.message.find("certificate verification failed") != std::string::npos, o.diag.message);
    BOOST_TEST(o.diag.message.find("expired") != std::string::npos, o.diag.message);
    BOOST_TEST(o.diag.attempts == 1);  // not retried
    BOOST_TEST(server.requests() == 0u);
    BOOST_TEST((o.next_ec.category() == asio::error::get_ssl_category()));  // and not cached as fine
    std::filesystem::remove(*cfg.tls.ca_file);
}

// Whatever fails, the secret key, the session token and the request's
// signature stay out of the diagnostics and the exception's text.
BOOST_AUTO_TEST_CASE(secrets_stay_out_of_diagnostics_and_exceptions)
{
    std::vector<std::vector<fault_script>> const failures = {
        {aws_error(403, "AccessDeniedException", "denied")},
        {aws_error(400, "UnrecognizedClientException", "who")},
        {answer(raw_response(200, json_headers(), "{\"name\":"))},
        {answer("", ending::reset), answer("", ending::reset), answer("", ending::reset)},
        {{test_support::trickle(head_only(10), 200ms), ending::close}},
    };
    for (std::size_t i = 0; i < failures.size(); ++i) {
        BOOST_TEST_CONTEXT("failure " << i)
        {
            asio::io_context ioc;
            fault_server server(ioc, failures[i], good_response());
            auto cfg = config_for(server.url());
            cfg.credentials = crm::credentials{"AKIDLEAKCHECK", "leak/secret+key0", "leak-session-token0"};
            cfg.retry.max_attempts = failures[i].size() > 1 ? 3 : 1;
            crm::client client(ioc.get_executor(), cfg);
            std::string texts;
            bool threw = false;
            test_support::run(ioc, server, [&]() -> asio::awaitable<void> {
                auto const req = get_req();
                crm::diagnostics diag;
                auto [ec, out] = co_await client.async_get_audience_model(req, diag, asio::as_tuple(asio::deferred));
                BOOST_TEST(ec.failed());
                texts += diag.to_string() + "|" + diag.message + "|" + ec.message() + "|";
                server.stop();
            });
            asio::io_context ioc2;
            fault_server again(ioc2, failures[i], good_response());
            cfg.endpoint_url = again.url();
            crm::client client2(ioc2.get_executor(), cfg);
            test_support::run(ioc2, again, [&]() -> asio::awaitable<void> {
                try {
                    auto const req = get_req();
                    co_await client2.async_get_audience_model(req);
                } catch (crm::error_with_diagnostics const& e) {
                    threw = true;
                    texts += std::string(e.what()) + "|" + e.diagnostics().to_string();
                }
            });
            BOOST_TEST(threw);
            BOOST_TEST_REQUIRE(!server.authorizations().empty());
            auto const& auth = server.authorizations().front();
            auto const sig = auth.find("Signature=");
            BOOST_TEST_REQUIRE(sig != std::string::npos, auth);
            for (std::string_view secret : {std::string_view("leak/secret+key0"), std::string_view("leak-session-token0"),
                                            std::string_view(auth).substr(sig + 10)})
                BOOST_TEST(texts.find(secret) == std::string::npos, "leaked " << secret << " in " << texts);
        }
    }
}

BOOST_AUTO_TEST_CASE(tls_verification_has_no_silent_fallback)
{
    // A CA file that cannot be read fails every call: no fallback to the
    // system store, and no connection without verification.
    asio::io_context ioc;
    auto const cert = test_support::make_certificate("IP:127.0.0.1");
    auto tls = test_support::server_tls(cert);
    fault_server server(ioc, {}, good_response(), tls.get());
    for (std::string const bad : {"/nonexistent/ca.pem", ""}) {
        BOOST_TEST_CONTEXT("ca_file '" << bad << "'")
        {
            auto cfg = config_for(server.url());
            cfg.tls.ca_file = bad;
            crm::client client(ioc.get_executor(), cfg);
            crm::diagnostics diag;
            crm::error_code ec;
            client.async_get_audience_model(get_req(), diag,
                                            [&](crm::error_code e, crm::get_audience_model_response) { ec = e; });
            ioc.run_for(5s);
            ioc.restart();
            BOOST_TEST(ec.failed());
            BOOST_TEST(diag.message.find("CA file") != std::string::npos, diag.message);
        }
    }
    BOOST_TEST(server.requests() == 0u);
    BOOST_TEST(server.connections() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
