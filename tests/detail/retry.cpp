// The retry policy on its own: classification, backoff, quota, adaptive
// rate limiting, NO_PROXY matching and the user agent.

#include <cleanroomsml/detail/client_impl.hpp>
#include <cleanroomsml/detail/retry.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>

namespace {
namespace crm = cleanroomsml;
namespace detail = cleanroomsml::detail;
using detail::failure_kind;
using namespace std::chrono_literals;
} // namespace

BOOST_AUTO_TEST_SUITE(retry)

BOOST_AUTO_TEST_CASE(classification)
{
    auto svc = [](std::string_view type) { return crm::make_error_code(crm::service_errc_from_type(type)); };
    BOOST_TEST((detail::classify_failure(svc("ThrottlingException"), 400, "ThrottlingException") == failure_kind::throttling));
    BOOST_TEST((detail::classify_failure(svc("TooManyRequestsException"), 400, "TooManyRequestsException") ==
                failure_kind::throttling));
    BOOST_TEST((detail::classify_failure(svc("X"), 429, "X") == failure_kind::throttling));
    BOOST_TEST((detail::classify_failure(svc("RequestTimeout"), 400, "RequestTimeout") == failure_kind::transient));
    for (int status : {500, 502, 503, 504})
        BOOST_TEST((detail::classify_failure(svc(""), status, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(svc("ValidationException"), 400, "ValidationException") == failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(svc("ConflictException"), 409, "ConflictException") == failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(svc("AccessDeniedException"), 403, "AccessDeniedException") ==
                failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(svc("InvalidSignatureException"), 403, "InvalidSignatureException") ==
                failure_kind::clock_skew));
    BOOST_TEST((detail::classify_failure(crm::client_errc::attempt_timeout, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(crm::client_errc::connect_timeout, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(crm::client_errc::operation_timeout, 0, "") == failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(crm::client_errc::unparsable_response, 200, "") == failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(boost::asio::error::connection_reset, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(boost::asio::error::connection_refused, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(boost::beast::http::error::end_of_stream, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(boost::asio::ssl::error::stream_truncated, 0, "") == failure_kind::transient));
    BOOST_TEST((detail::classify_failure(boost::asio::error::operation_aborted, 0, "") == failure_kind::fatal));
    crm::error_code tls_verify(0x0A000086, boost::asio::error::get_ssl_category());  // certificate verify failed
    BOOST_TEST((detail::classify_failure(tls_verify, 0, "") == failure_kind::fatal));
    BOOST_TEST((detail::classify_failure(crm::error_code(), 200, "") == failure_kind::fatal));
}

BOOST_AUTO_TEST_CASE(backoff)
{
    using ms = std::chrono::milliseconds;
    // rand * min(base * 2^(n-1), 20 s): transient base 50 ms, throttling 1 s.
    BOOST_TEST(detail::backoff_delay(failure_kind::transient, 1, 1.0, std::nullopt).count() == 50);
    BOOST_TEST(detail::backoff_delay(failure_kind::transient, 3, 1.0, std::nullopt).count() == 200);
    BOOST_TEST(detail::backoff_delay(failure_kind::transient, 3, 0.5, std::nullopt).count() == 100);
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 1, 1.0, std::nullopt).count() == 1000);
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 4, 1.0, std::nullopt).count() == 8000);
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 10, 1.0, std::nullopt).count() == 20000);
    BOOST_TEST(detail::backoff_delay(failure_kind::transient, 40, 1.0, std::nullopt).count() == 20000);
    BOOST_TEST(detail::backoff_delay(failure_kind::transient, 2, 0.0, std::nullopt).count() == 0);
    // x-amz-retry-after within [t, t + 5 s].
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 1, 0.5, ms(1200)).count() == 1200);
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 1, 0.5, ms(100)).count() == 500);
    BOOST_TEST(detail::backoff_delay(failure_kind::throttling, 1, 0.5, ms(60000)).count() == 5500);

    BOOST_TEST(detail::parse_retry_after("1500").value().count() == 1500);
    BOOST_TEST(detail::parse_retry_after(" 0 ").value().count() == 0);
    BOOST_TEST(!detail::parse_retry_after("-5"));
    BOOST_TEST(!detail::parse_retry_after("1.5"));
    BOOST_TEST(!detail::parse_retry_after(""));
    BOOST_TEST(!detail::parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
}

BOOST_AUTO_TEST_CASE(quota)
{
    detail::retry_quota q;
    int cost = 0;
    BOOST_TEST(q.try_acquire(failure_kind::transient, cost));
    BOOST_TEST(cost == 14);
    BOOST_TEST(q.available() == 486);
    BOOST_TEST(q.try_acquire(failure_kind::throttling, cost));
    BOOST_TEST(cost == 5);
    BOOST_TEST(q.available() == 481);
    q.on_success(5);  // refunds the last retry's cost
    BOOST_TEST(q.available() == 486);
    q.on_success(0);  // a success without retries gives one back
    BOOST_TEST(q.available() == 487);
    for (int i = 0; i < 100; ++i) q.on_success(14);
    BOOST_TEST(q.available() == 500);  // never above capacity
    int taken = 0;
    while (q.try_acquire(failure_kind::transient, cost)) ++taken;
    BOOST_TEST(taken == 35);
    BOOST_TEST(q.available() == 10);
    BOOST_TEST(q.try_acquire(failure_kind::throttling, cost));  // cheaper ones still fit
    BOOST_TEST(q.try_acquire(failure_kind::throttling, cost));
    BOOST_TEST(!q.try_acquire(failure_kind::throttling, cost));
    BOOST_TEST(q.available() == 0);
}

BOOST_AUTO_TEST_CASE(adaptive_rate_limiter)
{
    detail::adaptive_rate_limiter l;
    // Off until the first throttling response: no waiting at all.
    double t = 0;
    for (int i = 0; i < 100; ++i, t += 0.01) {
        BOOST_TEST(l.acquire(t).count() == 0.0);
        l.on_response(t, false);
    }
    BOOST_TEST(!l.enabled());
    BOOST_TEST(l.measured_rate() > 10.0);  // ~100 requests per second measured
    l.on_response(t, true);
    BOOST_TEST(l.enabled());
    // The rate is cut to 0.7 of what was measured.
    BOOST_TEST(l.fill_rate() <= l.measured_rate() * 0.7 + 1e-9);
    BOOST_TEST(l.fill_rate() >= 0.5);
    // A burst must now wait: tokens are handed out at the fill rate.
    double waited = 0;
    for (int i = 0; i < 50; ++i) waited = l.acquire(t).count();
    BOOST_TEST(waited > 0.0);
    BOOST_TEST(waited >= (49.0 - std::max(1.0, l.fill_rate())) / l.fill_rate());
    // Successes grow the rate back over time (CUBIC).
    double const cut = l.fill_rate();
    for (int i = 0; i < 200; ++i) {
        t += 0.01;
        l.on_response(t, false);
    }
    BOOST_TEST(l.fill_rate() > cut);
}

BOOST_AUTO_TEST_CASE(no_proxy)
{
    BOOST_TEST(detail::no_proxy_matches("*", "anything.example", 443));
    BOOST_TEST(detail::no_proxy_matches("example.com", "example.com", 443));
    BOOST_TEST(detail::no_proxy_matches("example.com", "api.example.com", 443));
    BOOST_TEST(detail::no_proxy_matches(".example.com", "api.example.com", 443));
    BOOST_TEST(!detail::no_proxy_matches("example.com", "badexample.com", 443));
    BOOST_TEST(detail::no_proxy_matches("localhost, 127.0.0.1", "127.0.0.1", 8080));
    BOOST_TEST(detail::no_proxy_matches("127.0.0.1:8080", "127.0.0.1", 8080));
    BOOST_TEST(!detail::no_proxy_matches("127.0.0.1:8080", "127.0.0.1", 9090));
    BOOST_TEST(detail::no_proxy_matches("[::1]", "::1", 443));
    BOOST_TEST(detail::no_proxy_matches("EXAMPLE.com", "api.Example.COM", 443));
    BOOST_TEST(!detail::no_proxy_matches("", "example.com", 443));
    BOOST_TEST(!detail::no_proxy_matches(" , ", "example.com", 443));
}

BOOST_AUTO_TEST_CASE(user_agent)
{
    auto ua = detail::make_user_agent(std::string("my service/1"));
    BOOST_TEST(ua.find("cleanroomsml-cpp/") == 0u);
    BOOST_TEST(ua.find(" ua/2.1 ") != std::string::npos);
    BOOST_TEST(ua.find(" lang/cpp#20") != std::string::npos);
    BOOST_TEST(ua.find(" api/cleanroomsml#") != std::string::npos);
    BOOST_TEST(ua.find(" app/my_service_1") != std::string::npos, ua);
    auto const long_id = detail::make_user_agent(std::string(80, 'x'));
    BOOST_TEST(long_id.find(" app/" + std::string(50, 'x')) != std::string::npos);
    BOOST_TEST(long_id.find(std::string(51, 'x')) == std::string::npos);
    BOOST_TEST(detail::make_user_agent(std::nullopt).find("app/") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
