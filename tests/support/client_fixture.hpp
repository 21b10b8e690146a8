#ifndef CLEANROOMSML_TESTS_SUPPORT_CLIENT_FIXTURE_HPP
#define CLEANROOMSML_TESTS_SUPPORT_CLIENT_FIXTURE_HPP

// Running a client against a scripted local server: the io_context, the
// server, a config pointing at it, and a server-side SigV4 check made with
// the project's own signer.

#include <cleanroomsml/client.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
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

/// Runs `body` to completion on `ioc`, then stops `server`; rethrows what
/// the coroutine threw.
inline void run(asio::io_context& ioc, http_server& server, std::function<asio::awaitable<void>()> body)
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

/// Checks a recorded request's SigV4 Authorization header by signing it
/// again with the same credentials; empty when it verifies, else why not.
inline std::string verify_signature(recorded_request const& r, cleanroomsml::credentials const& creds,
                                    std::string_view region = "us-east-1", std::string_view service = "cleanrooms-ml")
{
    auto auth = r.header("Authorization");
    auto date = r.header("X-Amz-Date");
    if (!auth || !date) return "no Authorization or X-Amz-Date";
    std::string_view a = *auth;
    auto field = [&](std::string_view key) -> std::string {
        auto p = a.find(key);
        if (p == std::string_view::npos) return {};
        p += key.size();
        auto e = a.find_first_of(", ", p);
        return std::string(a.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
    };
    std::string const credential = field("Credential=");
    std::string const signed_headers = field("SignedHeaders=");
    std::string const signature = field("Signature=");
    std::string const scope_prefix = creds.access_key_id + "/" + date->substr(0, 8) + "/" + std::string(region) + "/" +
                                     std::string(service) + "/aws4_request";
    if (credential != scope_prefix) return "credential scope " + credential + " != " + scope_prefix;
    std::vector<std::pair<std::string, std::string>> kept;
    std::string_view names = signed_headers;
    while (!names.empty()) {
        auto semi = names.find(';');
        std::string_view n = names.substr(0, semi);
        names = semi == std::string_view::npos ? std::string_view{} : names.substr(semi + 1);
        bool found = false;
        for (auto const& [k, v] : r.headers)
            if (iequals(k, n)) {
                kept.emplace_back(k, v);
                found = true;
            }
        if (!found) return "signed header " + std::string(n) + " missing";
    }
    std::vector<cleanroomsml::detail::sigv4_header> hs;
    for (auto const& [k, v] : kept)
        if (!iequals(k, "x-amz-date") && !iequals(k, "x-amz-security-token")) hs.emplace_back(k, v);
    std::string_view target = r.target;
    auto q = target.find('?');
    cleanroomsml::timestamp t;
    std::string iso = date->substr(0, 4) + "-" + date->substr(4, 2) + "-" + date->substr(6, 2) + "T" +
                      date->substr(9, 2) + ":" + date->substr(11, 2) + ":" + date->substr(13, 2) + "Z";
    if (!cleanroomsml::detail::parse_date_time(iso, t)) return "bad X-Amz-Date";
    cleanroomsml::detail::sigv4_request sr{r.method, target.substr(0, q),
                                           q == std::string_view::npos ? std::string_view{} : target.substr(q + 1),
                                           hs, r.body};
    cleanroomsml::detail::sigv4_params sp{region, service, t};
    cleanroomsml::detail::signer s;
    s.sign_headers(creds, sr, sp);
    if (s.signature() != signature) return "signature mismatch; server canonical request:\n" + std::string(s.canonical_request());
    return {};
}

} // namespace test_support

#endif
