#ifndef CLEANROOMSML_TESTS_SUPPORT_CLIENT_FIXTURE_HPP
#define CLEANROOMSML_TESTS_SUPPORT_CLIENT_FIXTURE_HPP

// Running a client against a scripted local server: the io_context, the
// server, a config pointing at it, and a server-side SigV4 check made with
// the project's own signer.

#include <cleanroomsml/client.hpp>
#include <cleanroomsml/detail/sigv4_verify.hpp>
#include <cleanroomsml/timestamp.hpp>

#include "http_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

inline cleanroomsml::credentials test_credentials() { return {"AKIDTEST", "secret/key+value", ""}; }

inline cleanroomsml::client_config client_config_for(std::string url)
{
    cleanroomsml::client_config cfg;
    cfg.region = "us-east-1";
    cfg.endpoint_url = std::move(url);
    cfg.credentials = test_credentials();
    cfg.timeouts.connect = std::chrono::milliseconds(2000);
    cfg.timeouts.attempt = std::chrono::milliseconds(5000);
    cfg.timeouts.operation = std::chrono::milliseconds(20000);
    return cfg;
}

/// Runs `body` to completion on `ioc`, then stops `server` (anything with
/// stop(): a scripted server, the emulator); rethrows what the coroutine threw.
template <class Server>
void run(asio::io_context& ioc, Server& server, std::function<asio::awaitable<void>()> body)
{
    std::exception_ptr failure;
    bool finished = false;
    asio::co_spawn(ioc, std::move(body), [&](std::exception_ptr e) {
        failure = e;
        finished = true;
        server.stop();
    });
    ioc.run_for(std::chrono::seconds(60));
    ioc.restart();
    if (!finished) throw std::runtime_error("the test coroutine did not finish within 60 s");
    if (failure) std::rethrow_exception(failure);
}

/// Checks a recorded request's SigV4 Authorization header with the
/// library's own server-side verifier; empty when it verifies, else why not.
inline std::string verify_signature(recorded_request const& r, cleanroomsml::credentials const& creds,
                                    std::string_view region = "us-east-1", std::string_view service = "cleanrooms-ml")
{
    std::vector<cleanroomsml::detail::sigv4_header> headers(r.headers.begin(), r.headers.end());
    std::string_view target = r.target;
    auto q = target.find('?');
    cleanroomsml::detail::sigv4_expectation expect{region, service, &creds};
    expect.max_skew = std::chrono::hours(24 * 365);  // scripted servers fake their clocks
    cleanroomsml::detail::signer signer;
    auto verdict = cleanroomsml::detail::verify_sigv4(
        signer, r.method, target.substr(0, q), q == std::string_view::npos ? std::string_view{} : target.substr(q + 1),
        headers, r.body, expect);
    return verdict ? std::string{} : verdict.message;
}

} // namespace test_support

#endif
