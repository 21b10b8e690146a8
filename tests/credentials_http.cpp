// The credential providers that talk HTTP (IMDS, container endpoint, STS web
// identity and AssumeRole) and the plumbing under them, against real Beast
// servers on 127.0.0.1 started by each test. No test contacts anything but
// loopback: every endpoint is overridden.

#include <cleanroomsml/assume_role_credentials.hpp>
#include <cleanroomsml/cached_credentials.hpp>
#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/container_credentials.hpp>
#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/configured_endpoint.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/detail/sts.hpp>
#include <cleanroomsml/detail/token_cache.hpp>
#include <cleanroomsml/imds_credentials.hpp>
#include <cleanroomsml/login_credentials.hpp>
#include <cleanroomsml/profile_credentials.hpp>
#include <cleanroomsml/sso_credentials.hpp>
#include <cleanroomsml/timestamp.hpp>
#include <cleanroomsml/web_identity_credentials.hpp>

#include "support/environment.hpp"
#include "support/http_server.hpp"
#include "support/tls.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <unistd.h>

namespace {

namespace crm = cleanroomsml;
namespace detail = cleanroomsml::detail;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using crm::error_code;
using test_support::recorded_request;
using test_support::scripted_response;

// --- helpers ----------------------------------------------------------------

struct outcome {
    bool done = false;
    bool completed_inline = false;
    error_code ec;
    crm::credentials creds;
    crm::diagnostics diag;
    std::chrono::steady_clock::duration elapsed{};
};

// Fetches once, running the io_context (and so the test's servers) until the
// handler runs, 5 s at most.
outcome fetch(asio::io_context& ioc, crm::credentials_provider const& provider)
{
    auto o = std::make_shared<outcome>();
    bool initiating = true;
    auto const start = std::chrono::steady_clock::now();
    provider.async_get_credentials(ioc.get_executor(), o->diag,
                                   [o, &initiating, &ioc, start](error_code ec, crm::credentials c) {
                                       o->done = true;
                                       o->completed_inline = initiating;
                                       o->ec = ec;
                                       o->creds = std::move(c);
                                       o->elapsed = std::chrono::steady_clock::now() - start;
                                       ioc.stop();
                                   });
    initiating = false;
    ioc.restart();
    ioc.run_for(5s);
    BOOST_TEST_REQUIRE(o->done);
    BOOST_TEST(!o->completed_inline);
    return *o;
}

struct fetched {
    bool done = false;
    bool completed_inline = false;
    error_code ec;
    detail::http_fetch_response response;
    std::chrono::steady_clock::duration elapsed{};
};

// Fetches once (cancellable through `slot`), running the io_context until
// the handler runs, 5 s at most.
fetched http_get(asio::io_context& ioc, detail::http_fetch_request req, asio::cancellation_slot slot = {})
{
    auto o = std::make_shared<fetched>();
    bool initiating = true;
    auto const start = std::chrono::steady_clock::now();
    auto const done = [o, &ioc, &initiating, start](error_code ec, detail::http_fetch_response r) {
        o->done = true;
        o->completed_inline = initiating;
        o->ec = ec;
        o->response = std::move(r);
        o->elapsed = std::chrono::steady_clock::now() - start;
        ioc.stop();
    };
    detail::async_http_fetch(ioc.get_executor(), std::move(req), asio::bind_cancellation_slot(slot, done));
    initiating = false;
    ioc.restart();
    ioc.run_for(5s);
    BOOST_TEST_REQUIRE(o->done);
    BOOST_TEST(!o->completed_inline);
    return *o;
}

long long ms(std::chrono::steady_clock::duration d)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// A fetch of `url` with a 200 ms deadline must fail with `want` at about that time.
void expect_timeout_at_the_deadline(asio::io_context& ioc, std::string url, error_code want)
{
    detail::http_fetch_request req;
    req.url = std::move(url);
    req.timeout = 200ms;
    auto const r = http_get(ioc, req);
    BOOST_TEST(r.ec == want, r.ec.message());
    BOOST_TEST(ms(r.elapsed) >= 150);
    BOOST_TEST(ms(r.elapsed) < 600);
}

// Whether any of the secrets shows up in the diagnostics.
bool leaks(crm::diagnostics const& d, std::initializer_list<std::string_view> secrets)
{
    std::string const all = d.to_string() + "|" + d.message + "|" + d.error_type + "|" + d.path;
    for (auto s : secrets)
        if (!s.empty() && all.find(s) != std::string::npos) return true;
    return false;
}

// A file in the temp directory, removed at the end of the test.
class temp_file {
public:
    explicit temp_file(std::string_view content)
    {
        static std::atomic<int> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("cleanroomsml-credentials-http-" + std::to_string(::getpid()) + "-" + std::to_string(counter++)))
                    .string();
        write(content);
    }
    temp_file(temp_file const&) = delete;
    temp_file& operator=(temp_file const&) = delete;
    ~temp_file()
    {
        std::error_code ignored;
        std::filesystem::remove(path_, ignored);
    }
    void write(std::string_view content)
    {
        std::ofstream out(path_, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    std::string const& path() const { return path_; }

private:
    std::string path_;
};

// Sets environment variables for one test and restores them afterwards.
class scoped_env {
public:
    scoped_env(std::initializer_list<std::pair<char const*, char const*>> vars)
    {
        for (auto const& [name, value] : vars) {
            char const* old = std::getenv(name);
            saved_.emplace_back(name, old ? std::optional<std::string>(old) : std::nullopt);
            if (value)
                ::setenv(name, value, 1);
            else
                ::unsetenv(name);
        }
    }
    scoped_env(scoped_env const&) = delete;
    scoped_env& operator=(scoped_env const&) = delete;
    ~scoped_env()
    {
        for (auto const& [name, old] : saved_) {
            if (old)
                ::setenv(name.c_str(), old->c_str(), 1);
            else
                ::unsetenv(name.c_str());
        }
    }

private:
    std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

std::string percent_decode(std::string_view s)
{
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size()) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else if (s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::string> parse_form(std::string_view body)
{
    std::map<std::string, std::string> m;
    while (!body.empty()) {
        std::size_t const amp = body.find('&');
        std::string_view pair = body.substr(0, amp);
        std::size_t const eq = pair.find('=');
        m[percent_decode(pair.substr(0, eq))] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        body.remove_prefix(amp + 1);
    }
    return m;
}

scripted_response answer(int status, std::string body = {}, test_support::header_list headers = {})
{
    scripted_response r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    return r;
}

scripted_response hang()
{
    scripted_response r;
    r.what = scripted_response::action::hang;
    return r;
}

// --- a fake IMDS --------------------------------------------------------------

constexpr std::string_view imds_creds_prefix = "/latest/meta-data/iam/security-credentials/";

struct fake_imds {
    std::string token = "imds-session-token-1";
    std::string role = "cleanrooms-role";
    int credentials_status = 200;
    std::string credentials_body = R"({
        "Code": "Success",
        "LastUpdated": "2024-05-01T10:00:00Z",
        "Type": "AWS-HMAC",
        "AccessKeyId": "ASIAIMDSEXAMPLE",
        "SecretAccessKey": "imds-secret-key",
        "Token": "imds-credentials-session-token",
        "Expiration": "2030-05-01T16:00:00Z",
        "AccountId": "123456789012"
    })";
    int token_status = 200;
    bool hang_on_token = false;

    scripted_response operator()(recorded_request const& r) const
    {
        if (r.target == "/latest/api/token") {
            if (r.method != "PUT") return answer(405);
            if (hang_on_token) return hang();
            if (r.header("x-aws-ec2-metadata-token-ttl-seconds") != "21600") return answer(400);
            if (token_status != 200) return answer(token_status);
            return answer(200, token, {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}});
        }
        // IMDSv2: every other request needs the current token.
        if (r.header("x-aws-ec2-metadata-token") != token) return answer(401);
        if (r.method != "GET") return answer(405);
        if (r.target == imds_creds_prefix) return role.empty() ? answer(404) : answer(200, role + "\n");
        if (r.target == std::string(imds_creds_prefix) + role) return answer(credentials_status, credentials_body);
        return answer(404);
    }
};

struct imds_fixture {
    asio::io_context ioc;
    std::shared_ptr<fake_imds> imds = std::make_shared<fake_imds>();
    test_support::http_server server{ioc, [imds = imds](recorded_request const& r) { return (*imds)(r); }};

    crm::imds_options options(std::chrono::milliseconds timeout = 1000ms) const
    {
        crm::imds_options o;
        o.endpoint = server.url();
        o.timeout = timeout;
        return o;
    }
};

// --- a fake STS ---------------------------------------------------------------

std::string sts_success(std::string_view action, std::string_view key_id, std::string_view secret_xml,
                        std::string_view token_xml)
{
    std::string a(action);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<" + a + "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
           "  <" + a + "Result>\n"
           "    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>\n"
           "    <AssumedRoleUser>\n"
           "      <AssumedRoleId>AROAEXAMPLE:session</AssumedRoleId>\n"
           "      <Arn>arn:aws:sts::210987654321:assumed-role/demo/session</Arn>\n"
           "    </AssumedRoleUser>\n"
           "    <Credentials>\n"
           "      <AccessKeyId>" + std::string(key_id) + "</AccessKeyId>\n"
           "      <SecretAccessKey>" + std::string(secret_xml) + "</SecretAccessKey>\n"
           "      <SessionToken>" + std::string(token_xml) + "</SessionToken>\n"
           "      <Expiration>2030-01-02T03:04:05Z</Expiration>\n"
           "    </Credentials>\n"
           "  </" + a + "Result>\n"
           "  <ResponseMetadata><RequestId>11111111-2222-3333-4444-555555555555</RequestId></ResponseMetadata>\n"
           "</" + a + "Response>\n";
}

constexpr std::string_view sts_error_access_denied =
    "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
    "  <Error>\n"
    "    <Type>Sender</Type>\n"
    "    <Code>AccessDenied</Code>\n"
    "    <Message>User is not authorized to perform: sts:AssumeRole on resource &lt;demo&gt;</Message>\n"
    "  </Error>\n"
    "  <RequestId>aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee</RequestId>\n"
    "</ErrorResponse>\n";

using test_support::make_certificate;
using test_support::server_tls;
using test_support::test_certificate;

} // namespace

BOOST_AUTO_TEST_SUITE(credentials_http)

// === http_fetch ===================================================================

BOOST_AUTO_TEST_CASE(url_parsing)
{
    detail::http_url u;
    std::string why;
    BOOST_TEST_REQUIRE(detail::parse_http_url("http://[fd00:ec2::254]/latest/api/token", u, why));
    BOOST_TEST(!u.https);
    BOOST_TEST(u.host == "fd00:ec2::254");
    BOOST_TEST(u.ipv6_literal);
    BOOST_TEST(u.port == 80);
    BOOST_TEST(u.target == "/latest/api/token");
    BOOST_TEST(u.host_header() == "[fd00:ec2::254]");

    BOOST_TEST_REQUIRE(detail::parse_http_url("HTTPS://sts.us-east-1.amazonaws.com", u, why));
    BOOST_TEST(u.https);
    BOOST_TEST(u.port == 443);
    BOOST_TEST(u.target == "/");
    BOOST_TEST(u.host_header() == "sts.us-east-1.amazonaws.com");

    BOOST_TEST_REQUIRE(detail::parse_http_url("http://127.0.0.1:8080?a=b", u, why));
    BOOST_TEST(u.port == 8080);
    BOOST_TEST(u.target == "/?a=b");
    BOOST_TEST(u.host_header() == "127.0.0.1:8080");

    BOOST_TEST_REQUIRE(detail::parse_http_url("http://[::1]:9/x", u, why));
    BOOST_TEST(u.host_header() == "[::1]:9");

    for (char const* bad : {"169.254.169.254/latest", "ftp://host/", "http://", "http://user:pw@host/",
                            "http://host/#frag", "http://host:0/", "http://host:65536/", "http://host:/",
                            "http://host:8a/", "http://[fd00::1/", "http://[not-ipv6]/", "http://ho st/",
                            "http://host/\r\nX: y", "http://h%41st/"}) {
        BOOST_TEST_INFO("url: " << bad);
        BOOST_TEST(!detail::parse_http_url(bad, u, why));
        BOOST_TEST(!why.empty());
    }
}

BOOST_AUTO_TEST_CASE(loopback_hosts)
{
    for (char const* h : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LocalHost", "::ffff:127.0.0.1"})
        BOOST_TEST(detail::is_loopback_host(h), h);
    for (char const* h : {"128.0.0.1", "169.254.170.2", "fd00:ec2::23", "example.com", "localhost.example.com", "::"})
        BOOST_TEST(!detail::is_loopback_host(h), h);
}

BOOST_AUTO_TEST_CASE(fetch_round_trip)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) {
        return answer(201, "created", {{"X-Answer", "42"}});
    });
    detail::http_fetch_request req;
    req.method = "POST";
    req.url = server.url() + "/path?q=1";
    req.headers = {{"X-Custom", "v"}};
    req.body = "payload";
    auto const r = http_get(ioc, req);
    BOOST_TEST(!r.ec);
    BOOST_TEST(r.response.status == 201);
    BOOST_TEST(r.response.body == "created");
    BOOST_TEST(r.response.header("x-answer").value_or("") == "42");
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    auto const& seen = server.requests()[0];
    BOOST_TEST(seen.method == "POST");
    BOOST_TEST(seen.target == "/path?q=1");
    BOOST_TEST(seen.body == "payload");
    BOOST_TEST(seen.header("x-custom").value_or("") == "v");
    BOOST_TEST(seen.header("host").value_or("") == "127.0.0.1:" + std::to_string(server.port()));
    BOOST_TEST(seen.header("content-length").value_or("") == "7");
}

BOOST_AUTO_TEST_CASE(fetch_times_out_within_bound)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) { return hang(); });
    expect_timeout_at_the_deadline(ioc, server.url() + "/", crm::client_errc::attempt_timeout);
}

BOOST_AUTO_TEST_CASE(fetch_times_out_in_the_tls_handshake_as_a_connect_timeout)
{
    // A listener that accepts (the kernel does) and never answers the ClientHello.
    asio::io_context ioc;
    asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    expect_timeout_at_the_deadline(ioc, "https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/",
                                   crm::client_errc::connect_timeout);
}

BOOST_AUTO_TEST_CASE(fetch_is_cancelled_through_the_handlers_slot)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) { return hang(); });
    detail::http_fetch_request req;
    req.url = server.url() + "/";
    req.timeout = 3000ms;
    asio::cancellation_signal cancel;
    asio::steady_timer later(ioc, 100ms);
    later.async_wait([&cancel](error_code) { cancel.emit(asio::cancellation_type::terminal); });
    auto const o = http_get(ioc, std::move(req), cancel.slot());
    BOOST_TEST(o.ec == error_code(asio::error::operation_aborted), o.ec.message());
    BOOST_TEST(ms(o.elapsed) < 1000);
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(fetch_completes_on_the_handlers_executor_which_it_keeps_busy)
{
    asio::io_context ioc, other;
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200, "ok"); });
    detail::http_fetch_request req;
    req.url = server.url() + "/";
    std::atomic<bool> done{false};
    std::thread::id ran_on;
    detail::async_http_fetch(ioc.get_executor(), std::move(req),
                             asio::bind_executor(other, [&](error_code ec, detail::http_fetch_response r) {
                                 BOOST_TEST(!ec, ec.message());
                                 BOOST_TEST(r.body == "ok");
                                 ran_on = std::this_thread::get_id();
                                 done = true;
                                 ioc.stop();
                             }));
    // Returns at once unless the pending fetch counts as work of `other`.
    std::thread t([&] { other.run(); });
    auto const other_id = t.get_id();
    ioc.run_for(5s);
    t.join();
    BOOST_TEST_REQUIRE(done.load());
    BOOST_TEST((ran_on == other_id));
}

BOOST_AUTO_TEST_CASE(fetch_limits_the_body)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200, std::string(70000, 'x')); });
    detail::http_fetch_request req;
    req.url = server.url() + "/big";
    auto r = http_get(ioc, req);
    BOOST_TEST(r.ec == error_code(crm::client_errc::response_too_large), r.ec.message());

    req.body_limit = 80000;
    r = http_get(ioc, req);
    BOOST_TEST(!r.ec);
    BOOST_TEST(r.response.body.size() == 70000u);
}

BOOST_AUTO_TEST_CASE(fetch_connection_refused_and_closed)
{
    asio::io_context ioc;
    detail::http_fetch_request req;
    req.url = "http://127.0.0.1:" + std::to_string(test_support::closed_port(ioc)) + "/";
    auto r = http_get(ioc, req);
    BOOST_TEST(r.ec == error_code(asio::error::connection_refused), r.ec.message());
    BOOST_TEST(ms(r.elapsed) < 1000);

    test_support::http_server server(ioc, [](recorded_request const&) {
        scripted_response s;
        s.what = scripted_response::action::close;
        return s;
    });
    req.url = server.url() + "/";
    r = http_get(ioc, req);
    BOOST_TEST(r.ec);  // end of stream before a response
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_CASE(fetch_rejects_bad_requests_before_connecting)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200); });
    detail::http_fetch_request req;
    req.url = server.url() + "/";
    req.headers = {{"X-Injected", "a\r\nEvil: 1"}};
    auto r = http_get(ioc, req);
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::invalid_argument));

    // Framing is the fetcher's own: a caller's Content-Length could smuggle a second request.
    for (char const* framing : {"Content-Length", "transfer-encoding", "Connection"}) {
        req.headers = {{framing, "0"}};
        r = http_get(ioc, req);
        BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::invalid_argument), framing);
    }

    req.headers.clear();
    req.method = "BREW";
    r = http_get(ioc, req);
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::invalid_argument));

    req.method = "GET";
    req.url = "gopher://127.0.0.1/";
    r = http_get(ioc, req);
    BOOST_TEST(r.ec == error_code(crm::client_errc::invalid_endpoint));
    BOOST_TEST(server.connections() == 0u);
}

BOOST_AUTO_TEST_CASE(https_verifies_certificate_and_host)
{
    asio::io_context ioc;
    auto const cert = make_certificate("DNS:localhost,IP:127.0.0.1");
    auto const tls = server_tls(cert);
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200, "secure"); }, tls.get());
    temp_file ca(cert.cert_pem);

    detail::http_fetch_request req;
    req.timeout = 2000ms;
    req.ca_file = ca.path();
    // An IP address, checked against the certificate's IP SAN.
    req.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/x";
    auto r = http_get(ioc, req);
    BOOST_TEST(!r.ec, r.ec.message());
    BOOST_TEST(r.response.body == "secure");

    // A name (resolved, sent as SNI), checked against the DNS SAN.
    req.url = "https://localhost:" + std::to_string(server.port()) + "/x";
    r = http_get(ioc, req);
    BOOST_TEST(!r.ec, r.ec.message());
    BOOST_TEST(r.response.body == "secure");

    // The system trust store does not know this certificate.
    req.ca_file.reset();
    r = http_get(ioc, req);
    BOOST_TEST(r.ec);
    BOOST_TEST((r.ec.category() == asio::error::get_ssl_category()), r.ec.message());
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(https_rejects_a_certificate_for_another_host)
{
    asio::io_context ioc;
    auto const cert = make_certificate("DNS:sts.example.com");
    auto const tls = server_tls(cert);
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200, "secure"); }, tls.get());
    temp_file ca(cert.cert_pem);
    detail::http_fetch_request req;
    req.ca_file = ca.path();
    req.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
    auto const r = http_get(ioc, req);
    BOOST_TEST((r.ec.category() == asio::error::get_ssl_category()), r.ec.message());
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(https_to_a_plain_server_fails_quickly)
{
    asio::io_context ioc;
    test_support::http_server server(ioc, [](recorded_request const&) { return answer(200); });
    detail::http_fetch_request req;
    req.url = "https://127.0.0.1:" + std::to_string(server.port()) + "/";
    req.timeout = 2000ms;
    auto const r = http_get(ioc, req);
    BOOST_TEST(r.ec);
    BOOST_TEST(ms(r.elapsed) < 2000);
}

// === IMDS =========================================================================

BOOST_FIXTURE_TEST_CASE(imds_token_then_role_then_credentials, imds_fixture)
{
    auto const out = fetch(ioc, crm::imds_credentials(options()));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(out.creds.access_key_id == "ASIAIMDSEXAMPLE");
    BOOST_TEST(out.creds.secret_access_key == "imds-secret-key");
    BOOST_TEST(out.creds.session_token == "imds-credentials-session-token");
    BOOST_TEST(out.creds.account_id.value_or("") == "123456789012");
    BOOST_TEST_REQUIRE(out.creds.expiration.has_value());
    crm::timestamp want;
    BOOST_TEST_REQUIRE(detail::parse_date_time("2030-05-01T16:00:00Z", want));
    BOOST_TEST((*out.creds.expiration == want));

    auto const& reqs = server.requests();
    BOOST_TEST_REQUIRE(reqs.size() == 3u);
    BOOST_TEST(reqs[0].method == "PUT");
    BOOST_TEST(reqs[0].target == "/latest/api/token");
    BOOST_TEST(reqs[0].header("x-aws-ec2-metadata-token-ttl-seconds").value_or("") == "21600");
    BOOST_TEST(reqs[1].method == "GET");
    BOOST_TEST(reqs[1].target == std::string(imds_creds_prefix));
    BOOST_TEST(reqs[2].target == std::string(imds_creds_prefix) + "cleanrooms-role");
    for (std::size_t i = 1; i < reqs.size(); ++i)
        BOOST_TEST(reqs[i].header("x-aws-ec2-metadata-token").value_or("") == "imds-session-token-1");
}

BOOST_FIXTURE_TEST_CASE(imds_fake_requires_the_token, imds_fixture)
{
    // The fake behaves like IMDSv2: a GET without the token is refused.
    detail::http_fetch_request req;
    req.url = server.url() + std::string(imds_creds_prefix);
    auto const r = http_get(ioc, req);
    BOOST_TEST(!r.ec);
    BOOST_TEST(r.response.status == 401);
}

BOOST_FIXTURE_TEST_CASE(imds_reuses_the_token, imds_fixture)
{
    auto const provider = crm::imds_credentials(options());
    auto const first = fetch(ioc, provider);
    auto const second = fetch(ioc, provider);
    BOOST_TEST(!first.ec);
    BOOST_TEST(!second.ec);
    BOOST_TEST(server.count("PUT") == 1u);
    BOOST_TEST(server.count("GET") == 4u);

    // Another provider has its own cache.
    auto const third = fetch(ioc, crm::imds_credentials(options()));
    BOOST_TEST(!third.ec);
    BOOST_TEST(server.count("PUT") == 2u);
}

BOOST_FIXTURE_TEST_CASE(imds_fetches_a_new_token_after_401, imds_fixture)
{
    auto const provider = crm::imds_credentials(options());
    BOOST_TEST(!fetch(ioc, provider).ec);
    imds->token = "imds-session-token-2";  // the old one is now refused with 401
    auto const out = fetch(ioc, provider);
    BOOST_TEST(!out.ec, out.diag.to_string());
    BOOST_TEST(server.count("PUT") == 2u);
    BOOST_TEST(server.requests().back().header("x-aws-ec2-metadata-token").value_or("") == "imds-session-token-2");
}

BOOST_FIXTURE_TEST_CASE(imds_short_token_ttl_is_refreshed, imds_fixture)
{
    // A TTL under two minutes is used for half of it; 1 s -> 500 ms.
    auto o = options();
    o.token_ttl = 1s;
    test_support::http_server ttl_server(ioc, [imds = imds](recorded_request const& r) {
        if (r.target == "/latest/api/token") return answer(200, imds->token);
        return (*imds)(r);
    });
    o.endpoint = ttl_server.url();
    auto const provider = crm::imds_credentials(o);
    BOOST_TEST(!fetch(ioc, provider).ec);
    BOOST_TEST(!fetch(ioc, provider).ec);
    BOOST_TEST(ttl_server.count("PUT") == 1u);
    std::this_thread::sleep_for(600ms);
    BOOST_TEST(!fetch(ioc, provider).ec);
    BOOST_TEST(ttl_server.count("PUT") == 2u);
    BOOST_TEST(ttl_server.requests()[0].header("x-aws-ec2-metadata-token-ttl-seconds").value_or("") == "1");
}

BOOST_AUTO_TEST_CASE(imds_endpoint_modes)
{
    crm::imds_options o;
    BOOST_TEST(o.endpoint_url() == "http://169.254.169.254");
    o.mode = crm::imds_options::endpoint_mode::ipv6;
    BOOST_TEST(o.endpoint_url() == "http://[fd00:ec2::254]");
    detail::http_url u;
    std::string why;
    BOOST_TEST_REQUIRE(detail::parse_http_url(o.endpoint_url() + "/latest/api/token", u, why));
    BOOST_TEST(u.ipv6_literal);
    BOOST_TEST(u.host == "fd00:ec2::254");
    BOOST_TEST(u.host_header() == "[fd00:ec2::254]");
    o.endpoint = "http://[fd00:ec2::254]:8080/";
    BOOST_TEST(o.endpoint_url() == "http://[fd00:ec2::254]:8080");
}

BOOST_AUTO_TEST_CASE(imds_options_from_environment)
{
    {
        scoped_env env({{"AWS_EC2_METADATA_DISABLED", "TRUE"},
                        {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1234/"},
                        {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ipv6"},
                        {"AWS_METADATA_SERVICE_TIMEOUT", "2.5"},
                        {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "3"},
                        {"AWS_EC2_INSTANCE_PROFILE_NAME", nullptr}});
        auto const o = crm::imds_options::from_environment();
        BOOST_TEST(o.disabled);
        BOOST_TEST(o.endpoint_url() == "http://127.0.0.1:1234");
        BOOST_TEST((o.mode == crm::imds_options::endpoint_mode::ipv6));
        BOOST_TEST(o.timeout.count() == 2500);
        BOOST_TEST(o.attempts == 3);
    }
    {
        // Profile properties apply when the variables are unset.
        scoped_env env({{"AWS_EC2_METADATA_DISABLED", nullptr},
                        {"AWS_EC2_METADATA_SERVICE_ENDPOINT", nullptr},
                        {"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", nullptr},
                        {"AWS_METADATA_SERVICE_TIMEOUT", nullptr},
                        {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", nullptr},
                        {"AWS_EC2_INSTANCE_PROFILE_NAME", nullptr}});
        crm::profile_section p;
        p.name = "dev";
        p.properties = {{"ec2_metadata_service_endpoint_mode", "IPv6"}, {"metadata_service_num_attempts", "2"}};
        auto const o = crm::imds_options::from_environment(&p);
        BOOST_TEST(!o.disabled);
        BOOST_TEST(o.endpoint_url() == "http://[fd00:ec2::254]");
        BOOST_TEST(o.attempts == 2);
        BOOST_TEST(o.timeout.count() == 1000);
    }
    for (auto [var, value] : {std::pair{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "0"},
                              std::pair{"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "two"},
                              std::pair{"AWS_METADATA_SERVICE_TIMEOUT", "-1"},
                              std::pair{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"},
                              std::pair{"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}}) {
        scoped_env env({{var, value}});
        BOOST_TEST_INFO(var << "=" << value);
        try {
            (void)crm::imds_options::from_environment();
            BOOST_TEST(false, "no exception");
        } catch (boost::system::system_error const& e) {
            BOOST_TEST(e.code() == error_code(crm::client_errc::invalid_configuration));
            BOOST_TEST(std::string(e.what()).find(var) != std::string::npos, e.what());
        }
    }
}

BOOST_FIXTURE_TEST_CASE(imds_disabled_is_not_configured, imds_fixture)
{
    auto o = options();
    o.disabled = true;
    auto const out = fetch(ioc, crm::imds_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
    BOOST_TEST(server.requests().empty());
}

BOOST_AUTO_TEST_CASE(imds_unreachable_is_not_configured)
{
    asio::io_context ioc;
    crm::imds_options o;
    o.endpoint = "http://127.0.0.1:" + std::to_string(test_support::closed_port(ioc));
    auto const out = fetch(ioc, crm::imds_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
    BOOST_TEST(ms(out.elapsed) < 1000);
    BOOST_TEST(out.diag.message.find("no instance metadata service") != std::string::npos, out.diag.message);
}

BOOST_FIXTURE_TEST_CASE(imds_silent_endpoint_times_out_within_bound, imds_fixture)
{
    imds->hang_on_token = true;
    auto const out = fetch(ioc, crm::imds_credentials(options(300ms)));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
    BOOST_TEST(out.diag.timeout == "attempt");
    BOOST_TEST(ms(out.elapsed) >= 250);
    BOOST_TEST(ms(out.elapsed) < 900);
}

BOOST_FIXTURE_TEST_CASE(imds_silent_credentials_request_is_an_error, imds_fixture)
{
    auto o = options(300ms);
    test_support::http_server slow(ioc, [imds = imds](recorded_request const& r) {
        if (r.target.starts_with(std::string(imds_creds_prefix)) && r.target.size() > imds_creds_prefix.size())
            return hang();
        return (*imds)(r);
    });
    o.endpoint = slow.url();
    auto const out = fetch(ioc, crm::imds_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::attempt_timeout), out.ec.message());
    BOOST_TEST(ms(out.elapsed) < 900 + 100);
}

BOOST_FIXTURE_TEST_CASE(imds_http_500_is_an_error_after_the_attempts, imds_fixture)
{
    imds->credentials_status = 500;
    imds->credentials_body = "oops";
    auto o = options();
    o.attempts = 2;
    auto const out = fetch(ioc, crm::imds_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::service_errc::internal_server), out.ec.message());
    BOOST_TEST(out.diag.http_status == 500);
    BOOST_TEST(out.diag.attempts == 2);
    BOOST_TEST(server.count("GET", std::string(imds_creds_prefix) + "cleanrooms-role") == 2u);
    BOOST_TEST(!leaks(out.diag, {"imds-session-token-1"}));
}

BOOST_FIXTURE_TEST_CASE(imds_token_refused_is_an_error, imds_fixture)
{
    imds->token_status = 403;
    auto const out = fetch(ioc, crm::imds_credentials(options()));
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied));
    BOOST_TEST(out.diag.http_status == 403);
}

BOOST_FIXTURE_TEST_CASE(imds_no_instance_profile_is_not_configured, imds_fixture)
{
    imds->role.clear();
    auto const out = fetch(ioc, crm::imds_credentials(options()));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
    BOOST_TEST(out.diag.http_status == 404);
}

BOOST_FIXTURE_TEST_CASE(imds_malformed_answers, imds_fixture)
{
    struct bad_case {
        char const* body;
        char const* mentions;
    };
    for (auto const& c : {bad_case{"{not json", "not valid JSON"},
                          bad_case{"[1, 2]", "not a JSON object"},
                          bad_case{R"({"Code": "Failure", "AccessKeyId": "A", "SecretAccessKey": "S"})", "Failure"},
                          bad_case{R"({"Code": "Success", "SecretAccessKey": "hidden-secret", "Token": "T",
                                      "Expiration": "2030-01-01T00:00:00Z"})",
                                   "AccessKeyId"},
                          bad_case{R"({"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": "hidden-secret",
                                      "Token": "T", "Expiration": "tomorrow"})",
                                   "Expiration"},
                          bad_case{R"({"Code": "Success", "AccessKeyId": "A", "SecretAccessKey": 7, "Token": "T",
                                      "Expiration": "2030-01-01T00:00:00Z"})",
                                   "SecretAccessKey"}}) {
        BOOST_TEST_INFO("body: " << c.body);
        imds->credentials_body = c.body;
        auto const out = fetch(ioc, crm::imds_credentials(options()));
        BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));
        BOOST_TEST(out.diag.message.find(c.mentions) != std::string::npos, out.diag.message);
        BOOST_TEST(!leaks(out.diag, {"hidden-secret", "imds-session-token-1"}));
    }
}

BOOST_FIXTURE_TEST_CASE(imds_instance_profile_name_skips_the_listing, imds_fixture)
{
    auto o = options();
    o.instance_profile_name = "cleanrooms-role";
    auto const out = fetch(ioc, crm::imds_credentials(o));
    BOOST_TEST(!out.ec);
    BOOST_TEST(server.count("GET", std::string(imds_creds_prefix)) == 0u);
}

// === container ========================================================================

BOOST_AUTO_TEST_CASE(container_url_rules)
{
    std::string url, why;
    crm::container_options o;
    BOOST_TEST(detail::container_credentials_url(o, url, why) == error_code(crm::client_errc::missing_credentials));

    o.relative_uri = "/v2/credentials/abc";
    o.full_uri = "http://127.0.0.1:9/ignored";
    BOOST_TEST(!detail::container_credentials_url(o, url, why));
    BOOST_TEST(url == "http://169.254.170.2/v2/credentials/abc");  // built, never contacted
    o.relative_uri = "v2/no-slash";
    BOOST_TEST(detail::container_credentials_url(o, url, why) == error_code(crm::client_errc::invalid_configuration));

    o.relative_uri.reset();
    for (char const* ok : {"http://127.0.0.1:80/creds", "http://127.5.6.7/creds", "http://localhost:8080/creds",
                           "http://[::1]:8080/creds", "http://169.254.170.2/v1/credentials",
                           "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
                           "https://creds.example.com/x", "https://192.0.2.1/x"}) {
        o.full_uri = ok;
        BOOST_TEST(!detail::container_credentials_url(o, url, why), ok);
        BOOST_TEST(url == ok);
    }
    for (char const* bad : {"http://192.0.2.1/creds", "http://creds.example.com/x", "http://169.254.170.3/x",
                            "http://[fd00:ec2::24]/x", "http://169.254.170.2.example.com/x", "http://localhost.example.com/",
                            "ftp://127.0.0.1/", "127.0.0.1/creds"}) {
        o.full_uri = bad;
        BOOST_TEST(detail::container_credentials_url(o, url, why) == error_code(crm::client_errc::invalid_configuration), bad);
        BOOST_TEST(!why.empty());
    }
}

struct container_fixture {
    asio::io_context ioc;
    std::string expected_authorization;
    test_support::http_server server{ioc, [this](recorded_request const& r) {
                                         if (r.method != "GET") return answer(405);
                                         if (!expected_authorization.empty() &&
                                             r.header("authorization") != expected_authorization)
                                             return answer(403, R"({"code": "AccessDenied", "message": "bad token"})");
                                         return answer(200, R"({
                                             "AccessKeyId": "ASIACONTAINER",
                                             "SecretAccessKey": "container-secret",
                                             "Token": "container-session-token",
                                             "Expiration": "2030-06-01T00:00:00Z",
                                             "AccountId": "111122223333",
                                             "RoleArn": "arn:aws:iam::111122223333:role/task"
                                         })");
                                     }};

    crm::container_options options() const
    {
        crm::container_options o;
        o.timeout = 1000ms;
        o.attempts = 1;
        return o;
    }
};

BOOST_FIXTURE_TEST_CASE(container_relative_uri, container_fixture)
{
    auto o = options();
    o.relative_uri = "/v2/credentials/task-guid";
    o.relative_uri_host = server.url();
    o.full_uri = "http://127.0.0.1:1/never-used";
    auto const out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(out.creds.access_key_id == "ASIACONTAINER");
    BOOST_TEST(out.creds.secret_access_key == "container-secret");
    BOOST_TEST(out.creds.session_token == "container-session-token");
    BOOST_TEST(out.creds.account_id.value_or("") == "111122223333");
    BOOST_TEST(out.creds.expiration.has_value());
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    BOOST_TEST(server.requests()[0].target == "/v2/credentials/task-guid");
    BOOST_TEST(!server.requests()[0].header("authorization"));
}

BOOST_FIXTURE_TEST_CASE(container_full_uri_with_token_variable, container_fixture)
{
    expected_authorization = "Basic variable-token";
    auto o = options();
    o.full_uri = server.url() + "/creds?x=1";
    o.authorization_token = "Basic variable-token";
    auto out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(server.requests().back().target == "/creds?x=1");

    // The server refuses another token: a clear error without the token in it.
    o.authorization_token = "Basic wrong-token";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied));
    BOOST_TEST(out.diag.http_status == 403);
    BOOST_TEST(out.diag.message.find("AccessDenied: bad token") != std::string::npos, out.diag.message);
    BOOST_TEST(!leaks(out.diag, {"wrong-token", "variable-token"}));
}

BOOST_FIXTURE_TEST_CASE(container_token_file_wins_and_is_reread, container_fixture)
{
    temp_file token("file-token-1");
    expected_authorization = "file-token-1";
    auto o = options();
    o.full_uri = "http://localhost:" + std::to_string(server.port()) + "/creds";
    o.authorization_token = "variable-token";
    o.authorization_token_file = token.path();
    auto const provider = crm::container_credentials(o);
    auto out = fetch(ioc, provider);
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(server.requests().back().header("authorization").value_or("") == "file-token-1");

    token.write("file-token-2");
    expected_authorization = "file-token-2";
    out = fetch(ioc, provider);
    BOOST_TEST(!out.ec, out.diag.to_string());
    BOOST_TEST(server.requests().back().header("authorization").value_or("") == "file-token-2");
}

BOOST_FIXTURE_TEST_CASE(container_rejects_tokens_with_line_breaks, container_fixture)
{
    auto o = options();
    o.full_uri = server.url() + "/creds";
    o.authorization_token = "token\r\nX-Injected: 1";
    auto out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(!leaks(out.diag, {"X-Injected"}));

    temp_file token("file-token\n");
    o.authorization_token.reset();
    o.authorization_token_file = token.path();
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(!leaks(out.diag, {"file-token"}));
    BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(container_missing_token_file_is_an_error, container_fixture)
{
    auto o = options();
    o.full_uri = server.url() + "/creds";
    o.authorization_token_file = "/nonexistent/cleanroomsml/token";
    auto const out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == boost::system::errc::make_error_code(boost::system::errc::no_such_file_or_directory), out.ec.message());
    BOOST_TEST(out.diag.message.find("/nonexistent/cleanroomsml/token") != std::string::npos);
    BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(container_non_loopback_http_is_rejected_without_contact, container_fixture)
{
    auto o = options();
    o.full_uri = "http://192.0.2.10/creds";  // TEST-NET-1: refused before any I/O
    auto const out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(out.diag.message.find("192.0.2.10") != std::string::npos, out.diag.message);
    BOOST_TEST(ms(out.elapsed) < 500);
}

BOOST_FIXTURE_TEST_CASE(container_not_configured, container_fixture)
{
    auto const out = fetch(ioc, crm::container_credentials(crm::container_options{}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
}

BOOST_AUTO_TEST_CASE(container_options_from_environment)
{
    scoped_env env({{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x"},
                    {"AWS_CONTAINER_CREDENTIALS_FULL_URI", nullptr},
                    {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok"},
                    {"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", ""}});
    auto const o = crm::container_options::from_environment();
    BOOST_TEST(o.relative_uri.value_or("") == "/v2/credentials/x");
    BOOST_TEST(!o.full_uri);
    BOOST_TEST(o.authorization_token.value_or("") == "tok");
    BOOST_TEST(!o.authorization_token_file);  // empty counts as unset
}

BOOST_AUTO_TEST_CASE(container_errors_and_timeouts)
{
    asio::io_context ioc;
    int calls = 0;
    test_support::http_server server(ioc, [&calls](recorded_request const& r) {
        ++calls;
        if (r.target == "/500") return answer(500, "{}");
        if (r.target == "/bad-json") return answer(200, R"({"AccessKeyId": "A")");
        if (r.target == "/no-secret") return answer(200, R"({"AccessKeyId": "A"})");
        if (r.target == "/cut-secret") return answer(200, R"({"AccessKeyId": "A", "SecretAccessKey": "leaky-secret-9)");
        if (r.target == "/denied") return answer(403, R"({"message": "token container-token-77 is not valid"})");
        return hang();
    });
    crm::container_options o;
    o.timeout = 300ms;
    o.attempts = 2;
    o.full_uri = server.url() + "/500";
    auto out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::service_errc::internal_server));
    BOOST_TEST(calls == 2);
    BOOST_TEST(out.diag.attempts == 2);

    o.attempts = 1;
    o.full_uri = server.url() + "/bad-json";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));
    o.full_uri = server.url() + "/no-secret";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));
    BOOST_TEST(out.diag.message.find("SecretAccessKey") != std::string::npos, out.diag.message);

    // Neither the authorization token nor a secret from a cut-off body shows
    // in the diagnostics; an error body echoing the token is not quoted either.
    o.authorization_token = "container-token-77";
    o.full_uri = server.url() + "/cut-secret";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));
    BOOST_TEST(!leaks(out.diag, {"container-token-77", "leaky-secret"}), out.diag.to_string());
    o.full_uri = server.url() + "/denied";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec.failed());
    BOOST_TEST(!leaks(out.diag, {"container-token-77"}), out.diag.to_string());
    o.authorization_token.reset();

    o.full_uri = server.url() + "/v2/credentials/secret-guid";
    out = fetch(ioc, crm::container_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::attempt_timeout), out.ec.message());
    BOOST_TEST(out.diag.timeout == "attempt");
    BOOST_TEST(ms(out.elapsed) < 900);
    BOOST_TEST(!leaks(out.diag, {"secret-guid"}));
}

// === XML and STS ======================================================================

BOOST_AUTO_TEST_CASE(xml_parser_accepts_what_sts_sends)
{
    detail::xml_element root;
    std::string why;
    std::string const doc =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- comment -->\n"
        "<a:Root xmlns:a='urn:x' other=\"1 &amp; 2\">\n"
        "  <Text>x &amp; y &lt;z&gt; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#xe9;&#x1F600;</Text>\n"
        "  <Empty/><Empty2 attr='v' />\n"
        "  <Data><![CDATA[<not> &markup;]]></Data>\n"
        "  <?pi ignored?>\n"
        "  <Nested><Inner>deep</Inner></Nested >\n"
        "</a:Root>\n<!-- trailing -->\n";
    BOOST_TEST_REQUIRE(detail::parse_xml(doc, root, why), why);
    BOOST_TEST(root.name == "a:Root");
    BOOST_TEST(root.local_name() == "Root");
    BOOST_TEST_REQUIRE(root.child("Text"));
    BOOST_TEST(root.child("Text")->text == "x & y <z> \"q\" 's' AB\xC3\xA9\xF0\x9F\x98\x80");
    BOOST_TEST_REQUIRE(root.child("Empty"));
    BOOST_TEST(root.child("Empty")->text.empty());
    BOOST_TEST(root.child("Data")->text == "<not> &markup;");
    BOOST_TEST_REQUIRE(root.find({"Nested", "Inner"}));
    BOOST_TEST(root.find({"Nested", "Inner"})->text == "deep");
    BOOST_TEST(!root.find({"Nested", "Missing"}));
}

BOOST_AUTO_TEST_CASE(xml_parser_is_strict)
{
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "<a>";
    for (int i = 0; i < 40; ++i) deep += "</a>";
    struct bad_case {
        std::string doc;
        char const* mentions;
    };
    for (auto const& c : {bad_case{"", "expected the root element"},
                          bad_case{"just text", "expected the root element"},
                          bad_case{"<a>", "end of document"},
                          bad_case{"<a></b>", "does not match"},
                          bad_case{"<a><b></a></b>", "does not match"},
                          bad_case{"<a></a><b></b>", "after the root element"},
                          bad_case{"<a></a>text", "after the root element"},
                          bad_case{"<!DOCTYPE a [<!ENTITY x \"boom\">]><a>&x;</a>", "DOCTYPE"},
                          bad_case{"<a><!ENTITY x \"y\"></a>", "markup declaration"},
                          bad_case{"<a>&x;</a>", "unknown entity"},
                          bad_case{"<a>&amp</a>", "unterminated entity"},
                          bad_case{"<a>a & b</a>", "entity"},
                          bad_case{"<a>&#0;</a>", "does not allow"},
                          bad_case{"<a>&#xD800;</a>", "does not allow"},
                          bad_case{"<a>&#x110000;</a>", "out of range"},
                          bad_case{"<a>&#xZZ;</a>", "malformed character reference"},
                          bad_case{"<a>\x01</a>", "control character"},
                          bad_case{"<a x=1></a>", "quoted attribute"},
                          bad_case{"<a x='<'></a>", "'<' in an attribute"},
                          bad_case{"<a x='1'y='2'></a>", "whitespace"},
                          bad_case{"<a><!-- open</a>", "unterminated comment"},
                          bad_case{"<a><![CDATA[x</a>", "unterminated CDATA"},
                          bad_case{"<1a></1a>", "element name"},
                          bad_case{deep, "deeper than 32"}}) {
        detail::xml_element root;
        std::string why;
        BOOST_TEST_INFO("document: " << c.doc);
        BOOST_TEST(!detail::parse_xml(c.doc, root, why));
        BOOST_TEST(why.find(c.mentions) != std::string::npos, why);
        BOOST_TEST(why.find("at byte") != std::string::npos, why);
    }
}

BOOST_AUTO_TEST_CASE(sts_request_building)
{
    BOOST_TEST(detail::form_encode("arn:aws:iam::1:role/x y+z~._-") == "arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fx%20y%2Bz~._-");
    detail::sts_web_identity_params w;
    w.role_arn = "arn:aws:iam::123456789012:role/demo";
    w.session_name = "s1";
    w.web_identity_token = "a.b/c=";
    w.duration = 900s;
    BOOST_TEST(detail::sts_web_identity_body(w) ==
               "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo"
               "&RoleSessionName=s1&WebIdentityToken=a.b%2Fc%3D&DurationSeconds=900");

    detail::sts_call_options c;
    std::string url, region, why;
    BOOST_TEST(detail::sts_endpoint(c, url, region, why));
    BOOST_TEST(url == "https://sts.amazonaws.com");
    BOOST_TEST(region == "us-east-1");
    c.region = "eu-west-3";
    BOOST_TEST(detail::sts_endpoint(c, url, region, why));
    BOOST_TEST(url == "https://sts.eu-west-3.amazonaws.com");
    BOOST_TEST(region == "eu-west-3");
    c.region = "cn-north-1";
    BOOST_TEST(detail::sts_endpoint(c, url, region, why));
    BOOST_TEST(url == "https://sts.cn-north-1.amazonaws.com.cn");
    c.region = "us-east-1.evil.com/";
    BOOST_TEST(!detail::sts_endpoint(c, url, region, why));
    c.region = "us-west-2";
    c.endpoint = "http://127.0.0.1:9";
    BOOST_TEST(detail::sts_endpoint(c, url, region, why));
    BOOST_TEST(url == "http://127.0.0.1:9");
    BOOST_TEST(region == "us-west-2");

    auto const name = detail::generated_session_name();
    BOOST_TEST(name.starts_with("cleanroomsml-"));
    BOOST_TEST(name.size() <= 64u);
}

BOOST_AUTO_TEST_CASE(sts_response_parsing)
{
    crm::credentials c;
    crm::diagnostics d;
    auto const ok = sts_success("AssumeRole", "ASIAX", "se&amp;cr&#x65;t&lt;&gt;", "to&quot;ken");
    BOOST_TEST_REQUIRE(!detail::parse_sts_response("AssumeRole", 200, ok, c, d), d.message);
    BOOST_TEST(c.access_key_id == "ASIAX");
    BOOST_TEST(c.secret_access_key == "se&cret<>");
    BOOST_TEST(c.session_token == "to\"ken");
    BOOST_TEST(c.account_id.value_or("") == "210987654321");

    // The answer to another action does not count.
    d = {};
    BOOST_TEST(detail::parse_sts_response("AssumeRoleWithWebIdentity", 200, ok, c, d) ==
               error_code(crm::client_errc::unparsable_response));

    d = {};
    auto const no_token = sts_success("AssumeRole", "ASIAX", "s", "");
    BOOST_TEST(detail::parse_sts_response("AssumeRole", 200, no_token, c, d) == error_code(crm::client_errc::unparsable_response));
    BOOST_TEST(d.message.find("SessionToken") != std::string::npos, d.message);

    d = {};
    std::string const throttled = "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                                  "</ErrorResponse>";
    BOOST_TEST(detail::parse_sts_response("AssumeRole", 400, throttled, c, d) == error_code(crm::service_errc::throttling));
    BOOST_TEST(d.error_type == "Throttling");

    d = {};
    BOOST_TEST(detail::parse_sts_response("AssumeRole", 503, "<html>busy", c, d) == error_code(crm::service_errc::internal_server));
    BOOST_TEST(d.message.find("HTTP 503") != std::string::npos, d.message);
}

struct sts_fixture {
    asio::io_context ioc;
    std::function<scripted_response(recorded_request const&)> behaviour;
    test_support::http_server server{ioc, [this](recorded_request const& r) { return behaviour(r); }};
};

BOOST_FIXTURE_TEST_CASE(web_identity_against_local_sts, sts_fixture)
{
    temp_file token("header.payload.signature-1\n");
    behaviour = [](recorded_request const& r) {
        auto form = parse_form(r.body);
        bool const ok = r.method == "POST" && r.target == "/" &&
                        r.header("content-type").value_or("").starts_with("application/x-www-form-urlencoded") &&
                        form["Action"] == "AssumeRoleWithWebIdentity" && form["Version"] == "2011-06-15" &&
                        form["RoleArn"] == "arn:aws:iam::210987654321:role/demo" &&
                        form["RoleSessionName"] == "ci-session" && !form["WebIdentityToken"].empty() &&
                        form["DurationSeconds"] == "1800" && !r.header("authorization");
        if (!ok) return answer(400, "<ErrorResponse><Error><Code>BadRequest</Code></Error></ErrorResponse>");
        return answer(200, sts_success("AssumeRoleWithWebIdentity", "ASIAWEB", "web-secret", "web-session-token"),
                      {{"Content-Type", "text/xml"}});
    };
    crm::web_identity_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/demo";
    o.token_file = token.path();
    o.session_name = "ci-session";
    o.region = "us-west-2";
    o.sts_endpoint = server.url();
    o.duration = 1800s;
    o.timeout = 1000ms;
    auto const provider = crm::web_identity_credentials(o);
    auto out = fetch(ioc, provider);
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(out.creds.access_key_id == "ASIAWEB");
    BOOST_TEST(out.creds.secret_access_key == "web-secret");
    BOOST_TEST(out.creds.session_token == "web-session-token");
    BOOST_TEST(out.creds.account_id.value_or("") == "210987654321");
    BOOST_TEST(out.creds.expiration.has_value());
    BOOST_TEST(parse_form(server.requests().back().body)["WebIdentityToken"] == "header.payload.signature-1");

    // The token file is read again at each fetch.
    token.write("header.payload.signature-2");
    out = fetch(ioc, provider);
    BOOST_TEST(!out.ec);
    BOOST_TEST(parse_form(server.requests().back().body)["WebIdentityToken"] == "header.payload.signature-2");
}

BOOST_FIXTURE_TEST_CASE(web_identity_generates_a_session_name, sts_fixture)
{
    temp_file token("jwt");
    behaviour = [](recorded_request const&) {
        return answer(200, sts_success("AssumeRoleWithWebIdentity", "ASIAWEB", "s", "t"));
    };
    crm::web_identity_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/demo";
    o.token_file = token.path();
    o.sts_endpoint = server.url();
    auto const out = fetch(ioc, crm::web_identity_credentials(o));
    BOOST_TEST(!out.ec, out.diag.to_string());
    auto form = parse_form(server.requests().back().body);
    BOOST_TEST(form["RoleSessionName"].starts_with("cleanroomsml-"));
    BOOST_TEST(form.count("DurationSeconds") == 0u);
}

BOOST_FIXTURE_TEST_CASE(web_identity_not_configured_or_broken, sts_fixture)
{
    behaviour = [](recorded_request const&) { return answer(500); };
    auto out = fetch(ioc, crm::web_identity_credentials(crm::web_identity_options{}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));

    crm::web_identity_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/demo";
    o.sts_endpoint = server.url();
    out = fetch(ioc, crm::web_identity_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));

    o.token_file = "/nonexistent/cleanroomsml/web-identity-token";
    out = fetch(ioc, crm::web_identity_credentials(o));
    BOOST_TEST(out.ec == boost::system::errc::make_error_code(boost::system::errc::no_such_file_or_directory), out.ec.message());
    BOOST_TEST(out.diag.message.find("web-identity-token") != std::string::npos, out.diag.message);

    temp_file empty("\n");
    o.token_file = empty.path();
    out = fetch(ioc, crm::web_identity_credentials(o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(web_identity_options_from_environment, sts_fixture)
{
    scoped_env env({{"AWS_WEB_IDENTITY_TOKEN_FILE", "relative/token"},
                    {"AWS_ROLE_ARN", "arn:aws:iam::1:role/env"},
                    {"AWS_ROLE_SESSION_NAME", "env-session"},
                    {"AWS_REGION", nullptr},
                    {"AWS_DEFAULT_REGION", "ap-south-1"}});
    auto o = crm::web_identity_options::from_environment();
    BOOST_TEST(o.token_file == "relative/token");
    BOOST_TEST(o.role_arn == "arn:aws:iam::1:role/env");
    BOOST_TEST(o.session_name == "env-session");
    BOOST_TEST(o.region == "ap-south-1");

    scoped_env env2({{"AWS_WEB_IDENTITY_TOKEN_FILE", nullptr}, {"AWS_ROLE_SESSION_NAME", nullptr}});
    crm::profile_section p;
    p.name = "ci";
    p.properties = {{"role_arn", "arn:aws:iam::1:role/profile"},
                    {"web_identity_token_file", "/var/run/token"},
                    {"role_session_name", "profile-session"}};
    o = crm::web_identity_options::from_environment(&p);
    BOOST_TEST(o.token_file == "/var/run/token");
    BOOST_TEST(o.role_arn == "arn:aws:iam::1:role/profile");
    BOOST_TEST(o.session_name == "profile-session");
}

BOOST_FIXTURE_TEST_CASE(web_identity_sts_errors, sts_fixture)
{
    temp_file token("secret-jwt-value");
    std::string mode;
    behaviour = [&mode](recorded_request const&) {
        if (mode == "denied")
            return answer(403, std::string(sts_error_access_denied),
                          {{"x-amzn-RequestId", "header-request-id"}});
        if (mode == "invalid-token")
            return answer(400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code>"
                               "<Message>Incorrect token audience</Message></Error></ErrorResponse>");
        if (mode == "malformed") return answer(200, "<AssumeRoleWithWebIdentityResponse><Oops>");
        if (mode == "html") return answer(502, "<html><body>bad gateway</body></html>");
        return hang();
    };
    crm::web_identity_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/demo";
    o.token_file = token.path();
    o.sts_endpoint = server.url();
    o.timeout = 300ms;
    auto const provider = crm::web_identity_credentials(o);

    mode = "denied";
    auto out = fetch(ioc, provider);
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied), out.ec.message());
    BOOST_TEST(out.diag.error_type == "AccessDenied");
    BOOST_TEST(out.diag.http_status == 403);
    BOOST_TEST(out.diag.request_id == "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    BOOST_TEST(out.diag.message.find("AccessDenied: User is not authorized to perform: sts:AssumeRole on resource <demo>") !=
                   std::string::npos,
               out.diag.message);

    mode = "invalid-token";
    out = fetch(ioc, provider);
    BOOST_TEST(out.ec == error_code(crm::service_errc::unknown), out.ec.message());
    BOOST_TEST(out.diag.error_type == "InvalidIdentityToken");
    BOOST_TEST(out.diag.message.find("Incorrect token audience") != std::string::npos, out.diag.message);

    mode = "malformed";
    out = fetch(ioc, provider);
    BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));
    BOOST_TEST(out.diag.message.find("not well-formed XML") != std::string::npos, out.diag.message);

    mode = "html";
    out = fetch(ioc, provider);
    BOOST_TEST(out.ec == error_code(crm::service_errc::internal_server));
    BOOST_TEST(out.diag.http_status == 502);

    mode = "hang";
    out = fetch(ioc, provider);
    BOOST_TEST(out.ec == error_code(crm::client_errc::attempt_timeout), out.ec.message());
    BOOST_TEST(ms(out.elapsed) < 900);

    BOOST_TEST(!leaks(out.diag, {"secret-jwt-value"}));
}

BOOST_FIXTURE_TEST_CASE(assume_role_signs_with_the_source, sts_fixture)
{
    behaviour = [](recorded_request const& r) {
        auto form = parse_form(r.body);
        auto const auth = r.header("authorization").value_or("");
        bool const ok = form["Action"] == "AssumeRole" && form["Version"] == "2011-06-15" &&
                        form["RoleArn"] == "arn:aws:iam::210987654321:role/target" &&
                        form["RoleSessionName"] == "my-session" && form["ExternalId"] == "ext-123" &&
                        form["DurationSeconds"] == "3600" && auth.starts_with("AWS4-HMAC-SHA256 ") &&
                        auth.find("Credential=AKIASOURCEKEY/") != std::string::npos &&
                        auth.find("/eu-central-1/sts/aws4_request") != std::string::npos &&
                        r.header("x-amz-date").has_value() &&
                        r.header("x-amz-security-token").value_or("") == "source-session-token";
        if (!ok) return answer(403, std::string(sts_error_access_denied));
        return answer(200, sts_success("AssumeRole", "ASIAASSUMED", "assumed&amp;secret", "assumed-token"));
    };
    crm::credentials source{"AKIASOURCEKEY", "source-secret-key", "source-session-token"};
    crm::assume_role_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/target";
    o.session_name = "my-session";
    o.external_id = "ext-123";
    o.region = "eu-central-1";
    o.sts_endpoint = server.url();
    o.timeout = 1000ms;
    auto const out = fetch(ioc, crm::assume_role_credentials(crm::credentials_provider(source), o));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.to_string());
    BOOST_TEST(out.creds.access_key_id == "ASIAASSUMED");
    BOOST_TEST(out.creds.secret_access_key == "assumed&secret");
    BOOST_TEST(out.creds.session_token == "assumed-token");
    BOOST_TEST(out.creds.account_id.value_or("") == "210987654321");
    auto const& seen = server.requests().back();
    auto const auth = seen.header("authorization").value_or("");
    BOOST_TEST(auth.find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token") != std::string::npos,
               auth);
    BOOST_TEST(auth.find("source-secret-key") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(assume_role_failures, sts_fixture)
{
    behaviour = [](recorded_request const&) { return answer(403, std::string(sts_error_access_denied)); };
    crm::assume_role_options o;
    o.role_arn = "arn:aws:iam::210987654321:role/target";
    o.sts_endpoint = server.url();
    o.timeout = 1000ms;

    // The source has no keys: its own code, its name in the message, no STS call.
    auto out = fetch(ioc, crm::assume_role_credentials(crm::credentials_provider(crm::credentials{}), o));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));
    BOOST_TEST(out.diag.message.find("static") != std::string::npos, out.diag.message);
    BOOST_TEST(server.requests().empty());

    // No role: not configured.
    crm::assume_role_options none;
    out = fetch(ioc, crm::assume_role_credentials(crm::credentials_provider(crm::credentials{"AKIA", "S"}), none));
    BOOST_TEST(out.ec == error_code(crm::client_errc::missing_credentials));

    // STS refuses: AccessDenied with its message, no secret anywhere.
    out = fetch(ioc, crm::assume_role_credentials(
                         crm::credentials_provider(crm::credentials{"AKIASOURCEKEY", "source-secret-key", "sess-tok"}), o));
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied));
    BOOST_TEST(out.diag.error_type == "AccessDenied");
    BOOST_TEST(out.diag.message.find("AccessDenied") != std::string::npos, out.diag.message);
    BOOST_TEST(!leaks(out.diag, {"source-secret-key", "sess-tok"}));
    BOOST_TEST(server.requests().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// --- IAM Identity Center and `aws login` ---------------------------------------
// The portal, SSO-OIDC and the sign-in service are one scripted server on
// loopback, named through AWS_ENDPOINT_URL_SSO / _SSO_OIDC / _SIGNIN; HOME
// and the shared files point into a scratch directory.

namespace {

using sys_clock = std::chrono::system_clock;

std::string cache_time(sys_clock::time_point t) { return detail::format_cache_time(t); }

struct signin_fixture {
    test_support::scoped_env env;  // clears every variable the library reads
    test_support::temp_dir home;
    asio::io_context ioc;
    std::function<scripted_response(recorded_request const&)> behaviour = [](recorded_request const&) {
        return answer(500);
    };
    test_support::http_server server{ioc, [this](recorded_request const& r) { return behaviour(r); }};

    signin_fixture()
    {
        env.set("HOME", home.path().string());
        env.set("AWS_CONFIG_FILE", (home.path() / "config").string());
        env.set("AWS_SHARED_CREDENTIALS_FILE", (home.path() / "credentials").string());
        env.set("AWS_ENDPOINT_URL_SSO", server.url());
        env.set("AWS_ENDPOINT_URL_SSO_OIDC", server.url());
        env.set("AWS_ENDPOINT_URL_SIGNIN", server.url());
    }

    std::string sso_cache_path(std::string const& key) const
    {
        return (home.path() / ".aws/sso/cache" / (detail::sha1_hex(key) + ".json")).string();
    }

    std::string read(std::string const& path) const
    {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    }

    std::size_t count(std::string_view method) const { return server.count(method); }
};

constexpr std::string_view sso_config = R"([profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Analyst
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 444455556666
sso_role_name = Reader
)";

// A token cache file as `aws sso login` leaves it (botocore's layout).
std::string sso_token(sys_clock::time_point expires, std::string_view registration_expires = "2030-01-01T00:00:00Z",
                      bool with_refresh = true)
{
    std::string s = R"({"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "old-access-token", "expiresAt": ")" +
                    cache_time(expires) +
                    R"(", "clientId": "client-id-1", "clientSecret": "client-secret-1", "registrationExpiresAt": ")" +
                    std::string(registration_expires) + "\"";
    if (with_refresh) s += R"(, "refreshToken": "refresh-token-1")";
    return s + "}";
}

std::int64_t portal_expiration_ms = 1893456000000;  // 2030-01-01T00:00:00Z

scripted_response portal_or_oidc(recorded_request const& r)
{
    if (r.method == "GET" && r.target.rfind("/federation/credentials", 0) == 0)
        return answer(200, R"({"roleCredentials":{"accessKeyId":"ASIAPORTAL","secretAccessKey":"portal-secret",)"
                           R"("sessionToken":"portal-session","expiration":)" +
                               std::to_string(portal_expiration_ms) + "}}");
    if (r.method == "POST" && r.target == "/token")
        return answer(200, R"({"accessToken":"new-access-token","expiresIn":28800,"refreshToken":"refresh-token-2","tokenType":"Bearer"})");
    return answer(404);
}

crm::credentials_provider dev_profile() { return crm::profile_credentials({"dev"}); }

} // namespace

BOOST_AUTO_TEST_SUITE(signin_credentials)

BOOST_FIXTURE_TEST_CASE(sso_session_profile_with_a_valid_token, signin_fixture)
{
    home.write("config", sso_config);
    std::string const token = sso_token(sys_clock::now() + 1h);
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json", token);
    behaviour = portal_or_oidc;

    auto out = fetch(ioc, dev_profile());
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.creds.access_key_id == "ASIAPORTAL");
    BOOST_TEST(out.creds.secret_access_key == "portal-secret");
    BOOST_TEST(out.creds.session_token == "portal-session");
    BOOST_TEST(out.creds.account_id.value_or("") == "111122223333");
    BOOST_TEST_REQUIRE(out.creds.expiration.has_value());
    BOOST_TEST(std::chrono::duration_cast<std::chrono::milliseconds>(out.creds.expiration->time_since_epoch()).count() ==
               portal_expiration_ms);
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    auto const& get = server.requests()[0];
    BOOST_TEST(get.method == "GET");
    BOOST_TEST(get.target == "/federation/credentials?role_name=Analyst&account_id=111122223333");
    BOOST_TEST(get.header("x-amz-sso_bearer_token").value_or("") == "old-access-token");
    BOOST_TEST(!get.header("Authorization"));  // the portal call is not signed
    BOOST_TEST(read(sso_cache_path("corp")) == token);  // nothing to refresh, nothing written
}

BOOST_FIXTURE_TEST_CASE(sso_token_about_to_expire_is_refreshed_and_written_back, signin_fixture)
{
    home.write("config", sso_config);
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json",
               sso_token(sys_clock::now() + 5min, "2030-01-01T00:00:00Z"));
    behaviour = portal_or_oidc;

    auto const before = sys_clock::now();
    auto out = fetch(ioc, dev_profile());
    auto const after = sys_clock::now();
    BOOST_TEST_REQUIRE(!out.ec, out.ec.message() << ": " << out.diag.message);
    BOOST_TEST(out.creds.access_key_id == "ASIAPORTAL");
    BOOST_TEST_REQUIRE(server.requests().size() == 2u);
    auto const& post = server.requests()[0];
    BOOST_TEST(post.method == "POST");
    BOOST_TEST(post.target == "/token");
    auto const body = boost::json::parse(post.body).as_object();
    BOOST_TEST(body.at("grantType").as_string() == "refresh_token");
    BOOST_TEST(body.at("clientId").as_string() == "client-id-1");
    BOOST_TEST(body.at("clientSecret").as_string() == "client-secret-1");
    BOOST_TEST(body.at("refreshToken").as_string() == "refresh-token-1");
    BOOST_TEST(server.requests()[1].header("x-amz-sso_bearer_token").value_or("") == "new-access-token");

    // The file is what botocore writes: its members in its order, Python's
    // json.dumps separators, the expiry in whole seconds.
    std::string const written = read(sso_cache_path("corp"));
    auto const doc = boost::json::parse(written).as_object();
    auto const expires = detail::parse_cache_time(doc.at("expiresAt").as_string());
    BOOST_TEST_REQUIRE(expires.has_value());
    BOOST_TEST((*expires >= std::chrono::floor<std::chrono::seconds>(before) + 28800s && *expires <= after + 28800s));
    BOOST_TEST(written ==
               R"({"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "new-access-token", "expiresAt": ")" +
                   cache_time(*expires) +
                   R"(", "clientId": "client-id-1", "clientSecret": "client-secret-1", "registrationExpiresAt": "2030-01-01T00:00:00Z", "refreshToken": "refresh-token-2"})");
    auto const perms = std::filesystem::status(sso_cache_path("corp")).permissions();
    BOOST_TEST(((perms & std::filesystem::perms::others_read) == std::filesystem::perms::none));
    // No temporary file left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] auto const& e : std::filesystem::directory_iterator(home.path() / ".aws/sso/cache")) ++files;
    BOOST_TEST(files == 1u);
}

BOOST_FIXTURE_TEST_CASE(sso_expired_sessions_that_cannot_be_refreshed, signin_fixture)
{
    home.write("config", sso_config);
    std::string const path = ".aws/sso/cache/" + detail::sha1_hex("corp") + ".json";
    behaviour = portal_or_oidc;
    auto const expect_sign_in = [&](crm::error_code ec, crm::diagnostics const& d) {
        BOOST_TEST(ec == error_code(crm::client_errc::login_required), ec.message());
        BOOST_TEST(d.message.find("aws sso login --profile dev") != std::string::npos, d.message);
        BOOST_TEST(!leaks(d, {"old-access-token", "client-secret-1", "refresh-token-1"}));
    };

    // No refresh token: nothing is sent anywhere.
    home.write(path, sso_token(sys_clock::now() - 1min, "2030-01-01T00:00:00Z", false));
    auto out = fetch(ioc, dev_profile());
    expect_sign_in(out.ec, out.diag);
    BOOST_TEST(server.requests().empty());

    // The client registration has expired too.
    home.write(path, sso_token(sys_clock::now() - 1min, "2020-01-01T00:00:00Z"));
    out = fetch(ioc, dev_profile());
    expect_sign_in(out.ec, out.diag);
    BOOST_TEST(out.diag.message.find("registration") != std::string::npos, out.diag.message);
    BOOST_TEST(server.requests().empty());

    // SSO-OIDC refuses the refresh token: the portal is not asked.
    behaviour = [](recorded_request const&) {
        return answer(400, R"({"error":"invalid_grant","error_description":"refresh-token-1 was revoked"})");
    };
    home.write(path, sso_token(sys_clock::now() - 1min));
    out = fetch(ioc, dev_profile());
    expect_sign_in(out.ec, out.diag);
    BOOST_TEST(out.diag.message.find("invalid_grant") != std::string::npos, out.diag.message);
    BOOST_TEST(server.count("POST") == 1u);
    BOOST_TEST(server.count("GET") == 0u);

    // No token at all.
    std::filesystem::remove(home.path() / path);
    out = fetch(ioc, dev_profile());
    expect_sign_in(out.ec, out.diag);
}

BOOST_FIXTURE_TEST_CASE(sso_failed_refresh_of_a_valid_token_is_not_an_error, signin_fixture)
{
    home.write("config", sso_config);
    std::string const token = sso_token(sys_clock::now() + 10min);
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json", token);
    behaviour = [](recorded_request const& r) { return r.method == "POST" ? answer(500) : portal_or_oidc(r); };
    auto out = fetch(ioc, dev_profile());
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(server.count("POST") == 1u);
    BOOST_TEST(server.requests().back().header("x-amz-sso_bearer_token").value_or("") == "old-access-token");
    BOOST_TEST(read(sso_cache_path("corp")) == token);
}

BOOST_FIXTURE_TEST_CASE(sso_legacy_profile, signin_fixture)
{
    home.write("config", sso_config);
    std::string const key = "https://legacy.awsapps.com/start";
    behaviour = portal_or_oidc;
    home.write(".aws/sso/cache/" + detail::sha1_hex(key) + ".json",
               R"({"startUrl": "https://legacy.awsapps.com/start", "region": "eu-west-1", "accessToken": "legacy-token", "expiresAt": ")" +
                   cache_time(sys_clock::now() + 1h) + "\"}");
    auto out = fetch(ioc, crm::profile_credentials({"legacy"}));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.creds.account_id.value_or("") == "444455556666");
    BOOST_TEST(server.requests().back().target == "/federation/credentials?role_name=Reader&account_id=444455556666");
    BOOST_TEST(server.requests().back().header("x-amz-sso_bearer_token").value_or("") == "legacy-token");

    // Legacy tokens are never refreshed, even with a refresh token at hand.
    home.write(".aws/sso/cache/" + detail::sha1_hex(key) + ".json",
               R"({"accessToken": "legacy-token", "expiresAt": ")" + cache_time(sys_clock::now() - 1s) +
                   R"(", "refreshToken": "r", "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "2030-01-01T00:00:00Z"})");
    auto const before = server.requests().size();
    out = fetch(ioc, crm::profile_credentials({"legacy"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::login_required));
    BOOST_TEST(out.diag.message.find("aws sso login --profile legacy") != std::string::npos, out.diag.message);
    BOOST_TEST(server.requests().size() == before);
}

BOOST_FIXTURE_TEST_CASE(sso_portal_refusals_and_bad_caches, signin_fixture)
{
    home.write("config", sso_config);
    std::string const path = ".aws/sso/cache/" + detail::sha1_hex("corp") + ".json";
    home.write(path, sso_token(sys_clock::now() + 1h));

    behaviour = [](recorded_request const&) {
        return answer(401, R"({"message":"Session token not found or invalid"})",
                      {{"x-amzn-ErrorType", "UnauthorizedException"}, {"x-amzn-RequestId", "req-401"}});
    };
    auto out = fetch(ioc, dev_profile());
    BOOST_TEST(out.ec == error_code(crm::client_errc::login_required));
    BOOST_TEST(out.diag.http_status == 401);
    BOOST_TEST(out.diag.error_type == "UnauthorizedException");
    BOOST_TEST(out.diag.request_id == "req-401");
    BOOST_TEST(out.diag.message.find("aws sso login --profile dev") != std::string::npos, out.diag.message);
    BOOST_TEST(!leaks(out.diag, {"old-access-token"}));

    behaviour = [](recorded_request const&) {
        return answer(403, R"({"message":"No access"})", {{"x-amzn-ErrorType", "ForbiddenException"}});
    };
    out = fetch(ioc, dev_profile());
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied));
    BOOST_TEST(out.diag.message.find("No access") != std::string::npos, out.diag.message);

    behaviour = [](recorded_request const&) { return answer(200, R"({"roleCredentials":{"accessKeyId":"A"}})"); };
    out = fetch(ioc, dev_profile());
    BOOST_TEST(out.ec == error_code(crm::client_errc::unparsable_response));

    for (std::string_view bad : {"not json", "[1]", R"({"accessToken": "t"})", R"({"accessToken": "t", "expiresAt": "soon"})"}) {
        home.write(path, bad);
        out = fetch(ioc, dev_profile());
        BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration), bad);
        BOOST_TEST(out.diag.message.find(detail::sha1_hex("corp")) != std::string::npos, out.diag.message);
    }
}

BOOST_FIXTURE_TEST_CASE(sso_configuration_errors, signin_fixture)
{
    auto const message_of = [&](std::string const& profile) {
        try {
            (void)crm::sso_options::from_profile(profile);
        } catch (boost::system::system_error const& e) {
            BOOST_TEST(e.code() == error_code(crm::client_errc::invalid_configuration));
            return std::string(e.what());
        }
        return std::string("no error");
    };
    home.write("config", R"([profile incomplete]
sso_account_id = 1
sso_start_url = https://x/start

[profile no-session]
sso_session = nowhere
sso_account_id = 1
sso_role_name = R

[profile conflict]
sso_session = corp
sso_region = eu-west-1
sso_account_id = 1
sso_role_name = R

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile session-incomplete]
sso_session = partial
sso_account_id = 1
sso_role_name = R

[sso-session partial]
sso_region = us-east-1
)");
    BOOST_TEST(message_of("incomplete").find("The profile \"incomplete\" is configured to use SSO but is missing "
                                             "required configuration: sso_role_name, sso_region") != std::string::npos,
               message_of("incomplete"));
    BOOST_TEST(message_of("no-session").find("The specified sso-session does not exist: \"nowhere\"") !=
               std::string::npos);
    BOOST_TEST(message_of("conflict").find("The value for sso_region is inconsistent between profile (eu-west-1) and "
                                           "sso-session (us-east-1).") != std::string::npos,
               message_of("conflict"));
    BOOST_TEST(message_of("session-incomplete").find("missing required configuration: sso_start_url") !=
               std::string::npos);

    // Through the profile provider: the same message, invalid_configuration, nothing sent.
    auto out = fetch(ioc, crm::profile_credentials({"conflict"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(out.diag.message.find("inconsistent") != std::string::npos, out.diag.message);
    BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(signin_endpoints_in_the_sdks_order, signin_fixture)
{
    test_support::scoped_env::unset("AWS_ENDPOINT_URL_SSO");
    test_support::scoped_env::unset("AWS_ENDPOINT_URL_SSO_OIDC");
    test_support::scoped_env::unset("AWS_ENDPOINT_URL_SIGNIN");
    home.write("config", std::string(sso_config) + R"(
[profile svc]
sso_session = corp
sso_account_id = 1
sso_role_name = R
services = local
endpoint_url = http://127.0.0.1:9/profile

[services local]
sso =
  endpoint_url = http://127.0.0.1:9/services-sso

[profile login]
login_session = arn:aws:iam::111122223333:user/alice
region = eu-central-1
services = local
)");
    auto o = crm::sso_options::from_profile("dev");
    BOOST_TEST(!o.portal_endpoint.has_value());  // the regional defaults
    BOOST_TEST(detail::default_sso_portal_url("us-east-1") == "https://portal.sso.us-east-1.amazonaws.com");
    BOOST_TEST(detail::default_sso_oidc_url("us-east-1") == "https://oidc.us-east-1.amazonaws.com");
    BOOST_TEST(detail::default_sso_portal_url("cn-north-1") == "https://portal.sso.cn-north-1.amazonaws.com.cn");
    BOOST_TEST(detail::default_signin_url("us-east-1") == "https://us-east-1.signin.aws.amazon.com");
    BOOST_TEST(detail::default_signin_url("cn-north-1") == "https://cn-north-1.signin.amazonaws.cn");
    BOOST_TEST(detail::default_signin_url("us-gov-west-1") == "https://us-gov-west-1.signin.amazonaws-us-gov.com");

    // The services section for its service, the profile's endpoint_url for the others.
    o = crm::sso_options::from_profile("svc");
    BOOST_TEST(o.portal_endpoint.value_or("") == "http://127.0.0.1:9/services-sso");
    BOOST_TEST(o.oidc_endpoint.value_or("") == "http://127.0.0.1:9/profile");
    // The global variable beats the files; the service's own variable beats it.
    test_support::scoped_env::set("AWS_ENDPOINT_URL", "http://127.0.0.1:9/global");
    o = crm::sso_options::from_profile("svc");
    BOOST_TEST(o.portal_endpoint.value_or("") == "http://127.0.0.1:9/global");
    test_support::scoped_env::set("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9/oidc");
    o = crm::sso_options::from_profile("svc");
    BOOST_TEST(o.oidc_endpoint.value_or("") == "http://127.0.0.1:9/oidc");
    BOOST_TEST(o.portal_endpoint.value_or("") == "http://127.0.0.1:9/global");
    auto l = crm::login_options::from_profile("login");
    BOOST_TEST(l.signin_endpoint.value_or("") == "http://127.0.0.1:9/global");
    BOOST_TEST(l.region == "eu-central-1");
    // Ignoring configured endpoints ignores them all.
    test_support::scoped_env::set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
    o = crm::sso_options::from_profile("svc");
    BOOST_TEST(!o.portal_endpoint.has_value());
    BOOST_TEST(!o.oidc_endpoint.has_value());
}

BOOST_FIXTURE_TEST_CASE(profile_providers_in_the_sdks_order, signin_fixture)
{
    behaviour = portal_or_oidc;
    std::string const login_session = "arn:aws:iam::111122223333:user/alice";
    home.write(".aws/login/cache/" + detail::sha256_hex(login_session) + ".json",
               R"({"accessToken": {"accessKeyId": "ASIALOGIN", "secretAccessKey": "login-secret", "sessionToken": "login-session", "accountId": "111122223333", "expiresAt": ")" +
                   cache_time(sys_clock::now() + 1h) +
                   R"("}, "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "login-refresh", "dpopKey": "unused"})");
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json", sso_token(sys_clock::now() + 1h));
    std::string const failing = home.script("fail.sh", "exit 3");
    home.write("config", std::string(sso_config) + R"(
[profile sso-and-keys]
sso_session = corp
sso_account_id = 1
sso_role_name = R

[profile login-and-keys]
login_session = )" + login_session + R"(

[profile login-and-process]
login_session = )" + login_session + R"(
credential_process = )" + failing + R"(

[profile process-and-keys]
credential_process = )" + failing + R"(
)");
    home.write("credentials", R"([sso-and-keys]
aws_access_key_id = AKIAFILE
aws_secret_access_key = file-secret

[login-and-keys]
aws_access_key_id = AKIAFILE
aws_secret_access_key = file-secret

[process-and-keys]
aws_access_key_id = AKIAFILE
aws_secret_access_key = file-secret
)");
    // IAM Identity Center before the credentials file.
    auto out = fetch(ioc, crm::profile_credentials({"sso-and-keys"}));
    BOOST_TEST(out.creds.access_key_id == "ASIAPORTAL", out.diag.message);
    // The credentials file before a login session.
    out = fetch(ioc, crm::profile_credentials({"login-and-keys"}));
    BOOST_TEST(out.creds.access_key_id == "AKIAFILE", out.diag.message);
    // A login session before credential_process.
    out = fetch(ioc, crm::profile_credentials({"login-and-process"}));
    BOOST_TEST(out.creds.access_key_id == "ASIALOGIN", out.diag.message);
    BOOST_TEST(out.creds.account_id.value_or("") == "111122223333");
    // The credentials file before credential_process.
    out = fetch(ioc, crm::profile_credentials({"process-and-keys"}));
    BOOST_TEST(out.creds.access_key_id == "AKIAFILE", out.diag.message);
}

BOOST_FIXTURE_TEST_CASE(sso_concurrent_fetches_share_one_refresh, signin_fixture)
{
    home.write("config", sso_config);
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json", sso_token(sys_clock::now() + 1min));
    behaviour = [](recorded_request const& r) {
        auto a = portal_or_oidc(r);
        a.delay = 50ms;  // so that the callers overlap
        return a;
    };
    auto provider = crm::cached_credentials(crm::sso_credentials(crm::sso_options::from_profile("dev")));
    int done = 0;
    std::vector<std::string> keys;
    for (int i = 0; i < 4; ++i)
        provider.async_get_credentials(ioc.get_executor(), [&](error_code ec, crm::credentials c) {
            BOOST_TEST(!ec);
            keys.push_back(c.access_key_id);
            if (++done == 4) ioc.stop();
        });
    ioc.run_for(5s);
    BOOST_TEST_REQUIRE(done == 4);
    BOOST_TEST(server.count("POST") == 1u);
    BOOST_TEST(server.count("GET") == 1u);
    for (auto const& k : keys) BOOST_TEST(k == "ASIAPORTAL");
}

BOOST_FIXTURE_TEST_CASE(load_config_signs_in_with_each_kind_of_profile, signin_fixture)
{
    std::string const login_session = "arn:aws:iam::111122223333:user/alice";
    home.write("config", std::string(sso_config) + "\n[profile console]\nlogin_session = " + login_session +
                             "\nregion = us-east-1\n");
    home.write(".aws/sso/cache/" + detail::sha1_hex("corp") + ".json", sso_token(sys_clock::now() + 1h));
    home.write(".aws/sso/cache/" + detail::sha1_hex("https://legacy.awsapps.com/start") + ".json",
               R"({"accessToken": "legacy-token", "expiresAt": ")" + cache_time(sys_clock::now() + 1h) + "\"}");
    home.write(".aws/login/cache/" + detail::sha256_hex(login_session) + ".json",
               R"({"accessToken": {"accessKeyId": "ASIALOGIN", "secretAccessKey": "s", "sessionToken": "t", "accountId": "111122223333", "expiresAt": ")" +
                   cache_time(sys_clock::now() + 1h) + R"("}, "clientId": "c", "refreshToken": "r", "dpopKey": "k"})");
    behaviour = portal_or_oidc;
    // A profile made by `aws configure sso`, a legacy one, an `aws login` one:
    // load_config() with nothing else set.
    for (auto const& [profile, key] : {std::pair{"dev", "ASIAPORTAL"}, std::pair{"legacy", "ASIAPORTAL"},
                                       std::pair{"console", "ASIALOGIN"}}) {
        BOOST_TEST_CONTEXT(profile)
        {
            test_support::scoped_env::set("AWS_PROFILE", profile);
            auto cfg = crm::load_config();
            auto out = fetch(ioc, cfg.credentials);
            BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
            BOOST_TEST(out.creds.access_key_id == key);
        }
    }
}

// --- `aws login` ---

namespace {

constexpr std::string_view login_arn = "arn:aws:iam::111122223333:user/alice";

std::string new_p256_pem()
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                                            &EVP_PKEY_free);
    BOOST_TEST_REQUIRE(key != nullptr);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
    BOOST_TEST_REQUIRE(PEM_write_bio_PrivateKey_traditional(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// A JSON string literal of `s` (the PEM's line breaks escaped).
std::string json_string(std::string_view s) { return boost::json::serialize(boost::json::value(boost::json::string(s))); }

std::string login_cache(sys_clock::time_point expires, std::string const& pem)
{
    return R"({"accessToken": {"accessKeyId": "ASIAOLD", "secretAccessKey": "old-secret", "sessionToken": "old-session", "accountId": "111122223333", "expiresAt": ")" +
           cache_time(expires) +
           R"("}, "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "login-refresh-1", "idToken": "id-token", "dpopKey": )" +
           json_string(pem) + "}";
}

std::optional<std::string> b64url_decode(std::string_view in)
{
    std::string s(in);
    for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
    while (s.size() % 4) s += '=';
    return detail::base64_decode(s);
}

// Verifies an ES256 JWT against the private key in `pem`; its payload.
std::optional<boost::json::object> verified_dpop(std::string_view jwt, std::string const& pem)
{
    auto const dot1 = jwt.find('.'), dot2 = jwt.rfind('.');
    if (dot1 == std::string_view::npos || dot1 == dot2) return std::nullopt;
    auto sig = b64url_decode(jwt.substr(dot2 + 1));
    auto payload = b64url_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!sig || sig->size() != 64 || !payload) return std::nullopt;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr),
                                                            &EVP_PKEY_free);
    ECDSA_SIG* es = ECDSA_SIG_new();
    ECDSA_SIG_set0(es, BN_bin2bn(reinterpret_cast<unsigned char const*>(sig->data()), 32, nullptr),
                   BN_bin2bn(reinterpret_cast<unsigned char const*>(sig->data()) + 32, 32, nullptr));
    unsigned char* der = nullptr;
    int const der_len = i2d_ECDSA_SIG(es, &der);
    ECDSA_SIG_free(es);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::string const input(jwt.substr(0, dot2));
    bool const ok = EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) == 1 &&
                    EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len),
                                     reinterpret_cast<unsigned char const*>(input.data()), input.size()) == 1;
    OPENSSL_free(der);
    if (!ok) return std::nullopt;
    return boost::json::parse(*payload).as_object();
}

} // namespace

BOOST_FIXTURE_TEST_CASE(login_session_valid_and_refreshed, signin_fixture)
{
    home.write("config", "[profile console]\nlogin_session = " + std::string(login_arn) + "\nregion = us-east-1\n");
    std::string const pem = new_p256_pem();
    std::string const file = ".aws/login/cache/" + detail::sha256_hex(login_arn) + ".json";
    auto const path = (home.path() / file).string();

    // Valid for an hour: used as cached, nothing sent.
    home.write(file, login_cache(sys_clock::now() + 1h, pem));
    auto out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.creds.access_key_id == "ASIAOLD");
    BOOST_TEST(out.creds.session_token == "old-session");
    BOOST_TEST(out.creds.account_id.value_or("") == "111122223333");
    BOOST_TEST(server.requests().empty());

    // Within 5 minutes of expiry: refreshed with a DPoP proof, written back.
    home.write(file, login_cache(sys_clock::now() + 4min, pem));
    behaviour = [](recorded_request const& r) {
        if (r.method != "POST" || r.target != "/v1/token") return answer(404);
        return answer(200, R"({"accessToken":{"accessKeyId":"ASIANEW","secretAccessKey":"new-secret","sessionToken":"new-session"},)"
                           R"("tokenType":"aws_sigv4","expiresIn":900,"refreshToken":"login-refresh-2"})");
    };
    auto const before = sys_clock::now();
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST_REQUIRE(!out.ec, out.diag.message);
    BOOST_TEST(out.creds.access_key_id == "ASIANEW");
    BOOST_TEST(out.creds.secret_access_key == "new-secret");
    BOOST_TEST(out.creds.account_id.value_or("") == "111122223333");
    BOOST_TEST_REQUIRE(server.requests().size() == 1u);
    auto const& post = server.requests()[0];
    auto const body = boost::json::parse(post.body).as_object();
    BOOST_TEST(body.at("clientId").as_string() == "arn:aws:signin:::devtools/same-device");
    BOOST_TEST(body.at("refreshToken").as_string() == "login-refresh-1");
    BOOST_TEST(body.at("grantType").as_string() == "refresh_token");
    auto proof = verified_dpop(post.header("DPoP").value_or(""), pem);
    BOOST_TEST_REQUIRE(proof.has_value());
    BOOST_TEST(proof->at("htm").as_string() == "POST");
    BOOST_TEST(proof->at("htu").as_string() == server.url() + "/v1/token");
    auto const iat = proof->at("iat").to_number<std::int64_t>();
    BOOST_TEST(std::abs(iat - std::chrono::duration_cast<std::chrono::seconds>(before.time_since_epoch()).count()) <= 5);

    // botocore's rewrite: accessToken and refreshToken replaced in place, the rest kept.
    std::string const written = read(path);
    auto const doc = boost::json::parse(written).as_object();
    auto const expires = doc.at("accessToken").at("expiresAt").as_string();
    BOOST_TEST(written ==
               R"({"accessToken": {"accessKeyId": "ASIANEW", "secretAccessKey": "new-secret", "sessionToken": "new-session", "accountId": "111122223333", "expiresAt": ")" +
                   std::string(expires) +
                   R"("}, "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device", "refreshToken": "login-refresh-2", "idToken": "id-token", "dpopKey": )" +
                   detail::python_json_dumps(boost::json::string(pem)) + "}");
    auto const when = detail::parse_cache_time(expires);
    BOOST_TEST_REQUIRE(when.has_value());
    BOOST_TEST((*when >= std::chrono::floor<std::chrono::seconds>(before) + 900s && *when <= sys_clock::now() + 900s));
}

BOOST_FIXTURE_TEST_CASE(login_session_failures, signin_fixture)
{
    home.write("config", "[profile console]\nlogin_session = " + std::string(login_arn) + "\nregion = us-east-1\n");
    std::string const pem = new_p256_pem();
    std::string const file = ".aws/login/cache/" + detail::sha256_hex(login_arn) + ".json";

    // No session cached: sign in.
    auto out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::login_required));
    BOOST_TEST(out.diag.message.find("aws login --profile console") != std::string::npos, out.diag.message);

    // The service says the session is over.
    home.write(file, login_cache(sys_clock::now() - 1min, pem));
    behaviour = [](recorded_request const&) {
        return answer(400, R"({"error":"TOKEN_EXPIRED","message":"login-refresh-1 expired"})",
                      {{"x-amzn-ErrorType", "AccessDeniedException"}});
    };
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::login_required));
    BOOST_TEST(out.diag.message.find("aws login --profile console") != std::string::npos, out.diag.message);
    BOOST_TEST(!leaks(out.diag, {"login-refresh-1", "old-secret", "BEGIN EC PRIVATE KEY"}));

    behaviour = [](recorded_request const&) {
        return answer(403, R"({"error":"INSUFFICIENT_PERMISSIONS","message":"no"})",
                      {{"x-amzn-ErrorType", "AccessDeniedException"}});
    };
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(out.ec == error_code(crm::service_errc::access_denied));

    // Malformed caches: the missing fields named, the key never quoted.
    home.write(file, R"({"accessToken": {}, "clientId": "c"})");
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(out.diag.message.find("refreshToken, dpopKey") != std::string::npos, out.diag.message);
    home.write(file, login_cache(sys_clock::now() - 1min, "-----BEGIN EC PRIVATE KEY-----\nnot a key\n-----END EC PRIVATE KEY-----\n"));
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(out.ec == error_code(crm::client_errc::invalid_configuration));
    BOOST_TEST(out.diag.message.find("dpopKey") != std::string::npos, out.diag.message);
    BOOST_TEST(out.diag.message.find("not a key") == std::string::npos, out.diag.message);

    // AWS_LOGIN_CACHE_DIRECTORY moves the cache.
    test_support::scoped_env::set("AWS_LOGIN_CACHE_DIRECTORY", (home.path() / "elsewhere").string());
    home.write("elsewhere/" + detail::sha256_hex(login_arn) + ".json", login_cache(sys_clock::now() + 1h, pem));
    out = fetch(ioc, crm::profile_credentials({"console"}));
    BOOST_TEST(!out.ec, out.diag.message);
    BOOST_TEST(out.creds.access_key_id == "ASIAOLD");
}

BOOST_AUTO_TEST_CASE(python_json_dumps_matches_python)
{
    // Expiries are written in whole seconds rounded down, also before 1970 (a fuzz finding).
    BOOST_TEST(detail::format_cache_time(sys_clock::time_point(-500ms)) == "1969-12-31T23:59:59Z");
    BOOST_TEST(detail::format_cache_time(sys_clock::time_point(1500ms)) == "1970-01-01T00:00:01Z");

    // Expected texts from Python 3.11's json.dumps.
    auto const v = boost::json::parse(R"({"a": [1, -2, 1.5, 3.0, 1e16, 1e-05, 0.0001, 123456789012.5, true, false, null], "s": "q\"\\\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00/", "o": {}, "l": []})");
    BOOST_TEST(detail::python_json_dumps(v) ==
               R"({"a": [1, -2, 1.5, 3.0, 1e+16, 1e-05, 0.0001, 123456789012.5, true, false, null], "s": "q\"\\\n\t\u0001\u007f\u00e9\u20ac\ud83d\ude00/", "o": {}, "l": []})");
}

BOOST_AUTO_TEST_SUITE_END()
