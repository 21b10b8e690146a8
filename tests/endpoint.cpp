#include <cleanroomsml/endpoint.hpp>

#include <cleanroomsml/detail/endpoint_lib.hpp>
#include <cleanroomsml/detail/pattern.hpp>
#include <cleanroomsml/model/endpoint_rules.hpp>

#include "endpoint_synthetic_rules.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace crml = cleanroomsml;
namespace lib = cleanroomsml::detail::endpoint_lib;
namespace rules = cleanroomsml::detail::endpoint_rules;
using crml::client_errc;
using crml::endpoint_params;

boost::json::value load_json(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.good(), "cannot open " << path);
    std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return boost::json::parse(text);
}

endpoint_params from_test_params(boost::json::object const& p)
{
    endpoint_params params;
    for (auto const& [key, value] : p) {
        if (key == "Region") params.region = std::string(value.as_string());
        else if (key == "UseFIPS") params.use_fips = value.as_bool();
        else if (key == "UseDualStack") params.use_dual_stack = value.as_bool();
        else if (key == "Endpoint") params.endpoint = std::string(value.as_string());
        else BOOST_FAIL("unknown parameter " << key);
    }
    return params;
}

// The rule error text of a failed resolution (checks the code too).
std::string error_of(endpoint_params const& params)
{
    crml::diagnostics diag;
    auto r = crml::resolve_endpoint(params, diag);
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == crml::make_error_code(client_errc::invalid_endpoint));
    BOOST_TEST(!diag.message.empty());
    return diag.message;
}

std::string url_of(endpoint_params const& params)
{
    crml::diagnostics diag;
    auto r = crml::resolve_endpoint(params, diag);
    BOOST_TEST_REQUIRE(r.has_value(), diag.message);
    return r->url;
}

lib::rule_result synthetic(endpoint_params const& params)
{
    return synthetic_rules::resolve(synthetic_rules::make_params(params));
}

using headers = std::vector<std::pair<std::string, std::string>>;

} // namespace

BOOST_AUTO_TEST_SUITE(endpoint)

// Every case of the upstream endpoint tests (botocore's copy of the Smithy
// endpointTests for cleanroomsml), expected URL or expected error text.
BOOST_AUTO_TEST_CASE(upstream_endpoint_tests)
{
    auto doc = load_json(CLEANROOMSML_TEST_DATA "/endpoints/endpoint-tests.json");
    auto const& cases = doc.at("testCases").as_array();
    std::size_t ran = 0, urls = 0, errors = 0;
    for (auto const& c : cases) {
        auto const& obj = c.as_object();
        std::string doc_text(obj.at("documentation").as_string());
        BOOST_TEST_CONTEXT(doc_text)
        {
            endpoint_params params;
            if (auto const* p = obj.if_contains("params")) params = from_test_params(p->as_object());
            auto const& expect = obj.at("expect").as_object();
            crml::diagnostics diag;
            auto r = crml::resolve_endpoint(params, diag);
            if (auto const* e = expect.if_contains("endpoint")) {
                BOOST_TEST_REQUIRE(r.has_value(), diag.message);
                auto const& ep = e->as_object();
                BOOST_TEST(r->url == std::string_view(ep.at("url").as_string()));
                if (auto const* props = ep.if_contains("properties"))
                    BOOST_TEST(boost::json::parse(r->properties) == *props);
                if (auto const* hs = ep.if_contains("headers")) {
                    headers want;
                    for (auto const& [name, values] : hs->as_object())
                        for (auto const& v : values.as_array())
                            want.emplace_back(name, v.as_string());
                    BOOST_TEST((r->headers == want));
                }
                BOOST_TEST(r->signing_name == "cleanrooms-ml");
                BOOST_TEST(r->signing_region == params.region);
                ++urls;
            } else {
                BOOST_TEST_REQUIRE(r.has_error());
                BOOST_TEST(r.error() == crml::make_error_code(client_errc::invalid_endpoint));
                BOOST_TEST(diag.message == std::string_view(expect.at("error").as_string()));
                ++errors;
            }
            ++ran;
        }
    }
    BOOST_TEST_MESSAGE("endpoint tests: " << ran << " ran, " << urls << " URLs, " << errors << " errors");
    BOOST_TEST(ran == cases.size());
    BOOST_TEST(ran >= 21u);
}

// The seed revision's endpoint tests (2024): the cases the current rules and
// partitions still hold pass unchanged; the four that do not are the ISO
// partitions' dual-stack errors, which now resolve (every partition of the
// current table supports dual-stack).
BOOST_AUTO_TEST_CASE(seed_endpoint_tests_that_still_hold)
{
    auto seed = load_json(CLEANROOMSML_TEST_DATA "/endpoints/seed-endpoint-tests.json");
    auto current = load_json(CLEANROOMSML_TEST_DATA "/endpoints/endpoint-tests.json");
    auto const& now = current.at("testCases").as_array();
    std::size_t held = 0, changed = 0;
    for (auto const& c : seed.at("testCases").as_array()) {
        auto const& obj = c.as_object();
        BOOST_TEST_CONTEXT(obj.at("documentation").as_string())
        {
            endpoint_params params;
            if (auto const* p = obj.if_contains("params")) params = from_test_params(p->as_object());
            auto const& expect = obj.at("expect").as_object();
            crml::diagnostics diag;
            auto r = crml::resolve_endpoint(params, diag);
            if (std::find(now.begin(), now.end(), c) != now.end()) {
                if (auto const* e = expect.if_contains("endpoint"))
                    BOOST_TEST((r.has_value() && r->url == std::string_view(e->at("url").as_string())));
                else
                    BOOST_TEST(diag.message == std::string_view(expect.at("error").as_string()));
                ++held;
                continue;
            }
            BOOST_TEST(expect.contains("error"));
            BOOST_TEST(params.use_dual_stack);
            BOOST_TEST_REQUIRE(r.has_value(), diag.message);
            std::string const suffix = params.region.starts_with("us-isob-") ? "api.aws.scloud" : "api.aws.ic.gov";
            BOOST_TEST(r->url == "https://cleanrooms-ml" + std::string(params.use_fips ? "-fips." : ".") +
                                     params.region + "." + suffix);
            ++changed;
        }
    }
    BOOST_TEST(held == 21u);
    BOOST_TEST(changed == 4u);
}

BOOST_AUTO_TEST_CASE(designated_initializers_and_plain_overload)
{
    auto r = crml::resolve_endpoint(
        crml::endpoint_params{.region = "us-east-1", .use_fips = false, .use_dual_stack = false, .endpoint = std::nullopt});
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->url == "https://cleanrooms-ml.us-east-1.amazonaws.com");
    BOOST_TEST(r->auth_scheme == "sigv4");
    BOOST_TEST(r->signing_name == "cleanrooms-ml");
    BOOST_TEST(r->signing_region == "us-east-1");
    BOOST_TEST(r->properties == "{}");
    BOOST_TEST(r->headers.empty());

    auto missing = crml::resolve_endpoint(crml::endpoint_params{});
    BOOST_TEST_REQUIRE(missing.has_error());
    BOOST_TEST(missing.error() == crml::make_error_code(client_errc::invalid_endpoint));
}

BOOST_AUTO_TEST_CASE(custom_endpoint_local_emulator)
{
    for (std::string url : {"http://127.0.0.1:8080", "http://127.0.0.1:8080/", "http://localhost:4566",
                            "https://[::1]:8443", "HTTPS://Example.com", "https://vpce-1.cleanrooms-ml.us-east-1.vpce.amazonaws.com"}) {
        BOOST_TEST_CONTEXT(url)
        {
            auto r = crml::resolve_endpoint({.region = "us-east-1", .endpoint = url});
            BOOST_TEST_REQUIRE(r.has_value());
            BOOST_TEST(r->url == url);
            BOOST_TEST(r->signing_name == "cleanrooms-ml");
            BOOST_TEST(r->signing_region == "us-east-1");
        }
    }
    // No region: the rules accept it (the signer will want one).
    auto r = crml::resolve_endpoint({.endpoint = "http://127.0.0.1:8080"});
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->url == "http://127.0.0.1:8080");
    BOOST_TEST(r->signing_region.empty());
}

BOOST_AUTO_TEST_CASE(invalid_custom_endpoint)
{
    for (std::string url : {"", "not a url", "example.com", "ftp://example.com", "http://", "http:///path",
                            "https://exa mple.com", "https://example.com?x=1", "https://example.com/#frag",
                            "http://user:secret@example.com", "http://127.0.0.1:99999", "http://127.0.0.1:",
                            "http://256.0.0.1", "https://[::1", "https://[12345::1]", "https://ex\\ample.com",
                            "https://exämple.com"}) {
        BOOST_TEST_CONTEXT(url)
        {
            crml::diagnostics diag;
            auto r = crml::resolve_endpoint({.region = "us-east-1", .endpoint = url}, diag);
            BOOST_TEST(r.has_error());
            if (r.has_error()) BOOST_TEST(r.error() == crml::make_error_code(client_errc::invalid_endpoint));
            BOOST_TEST(diag.path == "endpoint");
            BOOST_TEST(diag.message.find("secret") == std::string::npos);  // never echoes the URL
        }
    }
}

BOOST_AUTO_TEST_CASE(invalid_region)
{
    for (std::string region : std::vector<std::string>{"us-east-1/evil", "us east 1", "-us-east-1", "us-east-1-", "us-east-1.evil.com",
                               "us-east-1#", "us_east_1", std::string(64, 'a'), "région"}) {
        BOOST_TEST_CONTEXT(region)
        {
            crml::diagnostics diag;
            auto r = crml::resolve_endpoint({.region = region}, diag);
            BOOST_TEST(r.has_error());
            if (r.has_error()) BOOST_TEST(r.error() == crml::make_error_code(client_errc::invalid_endpoint));
            BOOST_TEST(diag.path == "region");
            BOOST_TEST(diag.message.find("not a valid host label") != std::string::npos);
            // ...with a custom endpoint too: the region still goes into the signature.
            BOOST_TEST(crml::resolve_endpoint({.region = region, .endpoint = "https://example.com"}).has_error());
        }
    }
    BOOST_TEST(url_of({.region = std::string(63, 'a')}) ==
               "https://cleanrooms-ml." + std::string(63, 'a') + ".amazonaws.com");
}

BOOST_AUTO_TEST_CASE(rule_errors_carry_the_rules_text)
{
    BOOST_TEST(error_of({}) == "Invalid Configuration: Missing Region");
    BOOST_TEST(error_of({.region = "us-east-1", .use_fips = true, .endpoint = "https://example.com"}) ==
               "Invalid Configuration: FIPS and custom endpoint are not supported");
    // Every partition of the current table supports dual-stack and FIPS, so
    // the rules' "does not support" errors are out of reach with real regions.
    BOOST_TEST(url_of({.region = "us-iso-west-1", .use_dual_stack = true}) ==
               "https://cleanrooms-ml.us-iso-west-1.api.aws.ic.gov");
}

// aws.partition: exact region lists first, then regionRegex, else "aws".
BOOST_AUTO_TEST_CASE(partitions)
{
    BOOST_TEST(url_of({.region = "us-gov-west-1", .use_fips = true}) ==
               "https://cleanrooms-ml-fips.us-gov-west-1.amazonaws.com");
    BOOST_TEST(url_of({.region = "cn-northwest-1", .use_dual_stack = true}) ==
               "https://cleanrooms-ml.cn-northwest-1.api.amazonwebservices.com.cn");
    // Not listed; claimed by a regex.
    BOOST_TEST(url_of({.region = "eu-isoe-west-1"}) == "https://cleanrooms-ml.eu-isoe-west-1.cloud.adc-e.uk");
    BOOST_TEST(url_of({.region = "us-isof-south-1"}) == "https://cleanrooms-ml.us-isof-south-1.csp.hci.ic.gov");
    BOOST_TEST(url_of({.region = "ap-southeast-7"}) == "https://cleanrooms-ml.ap-southeast-7.amazonaws.com");
    BOOST_TEST(url_of({.region = "cn-south-9"}) == "https://cleanrooms-ml.cn-south-9.amazonaws.com.cn");
    BOOST_TEST(url_of({.region = "us-isof-south-1", .use_dual_stack = true}) ==
               "https://cleanrooms-ml.us-isof-south-1.api.aws.hci.ic.gov");
    BOOST_TEST(url_of({.region = "eusc-de-east-1"}) == "https://cleanrooms-ml.eusc-de-east-1.amazonaws.eu");
    // Claimed by nothing: the default partition.
    BOOST_TEST(url_of({.region = "mars-east-1"}) == "https://cleanrooms-ml.mars-east-1.amazonaws.com");
    BOOST_TEST(rules::aws_partition("aws-global")->name == "aws");
    BOOST_TEST(rules::aws_partition("us-gov-east-1")->name == "aws-us-gov");
    BOOST_TEST(rules::aws_partition("us-iso-east-7")->name == "aws-iso");
    BOOST_TEST(rules::aws_partition("us-isob-east-7")->name == "aws-iso-b");
    BOOST_TEST(rules::aws_partition("usgov-east-1")->name == "aws");
    // Every regex is one the matcher understands (an unsupported one would never match).
    for (auto rx : rules::partition_regex)
        BOOST_TEST(cleanroomsml::detail::pattern(rx).supported(), rx);
}

BOOST_AUTO_TEST_CASE(parse_url)
{
    auto u = lib::parse_url("http://127.0.0.1:8080");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->scheme == "http");
    BOOST_TEST(u->authority == "127.0.0.1:8080");
    BOOST_TEST(u->path == "");
    BOOST_TEST(u->normalized_path == "/");
    BOOST_TEST(u->is_ip);
    BOOST_TEST(u->host == "127.0.0.1");
    BOOST_TEST(u->port == 8080);

    u = lib::parse_url("https://example.com/foo/bar");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->authority == "example.com");
    BOOST_TEST(u->path == "/foo/bar");
    BOOST_TEST(u->normalized_path == "/foo/bar/");
    BOOST_TEST(!u->is_ip);
    BOOST_TEST(u->port == 443);

    u = lib::parse_url("https://[2001:db8::ffff:192.0.2.1]:443/");
    BOOST_TEST_REQUIRE(u.has_value());
    BOOST_TEST(u->authority == "[2001:db8::ffff:192.0.2.1]:443");
    BOOST_TEST(u->host == "2001:db8::ffff:192.0.2.1");
    BOOST_TEST(u->is_ip);
    BOOST_TEST(u->path == "/");
    BOOST_TEST(u->normalized_path == "/");

    for (auto ok : {"https://[::]", "https://[1:2:3:4:5:6:7:8]", "https://[::ffff:1.2.3.4]", "http://0.0.0.0",
                    "http://a", "http://host_name.local:1/a%20b/"})
        BOOST_TEST(lib::parse_url(ok).has_value(), ok);
    for (auto bad : {"https://[1:2:3:4:5:6:7:8:9]", "https://[1::2::3]", "https://[:1]", "https://[1:]",
                     "https://01.2.3.4", "https://1.2.3", "http://a:b", "http://[::1]x", "mailto:x@y"})
        BOOST_TEST(!lib::parse_url(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(host_label_uri_encode_substring)
{
    BOOST_TEST(lib::is_valid_host_label("us-east-1", false));
    BOOST_TEST(lib::is_valid_host_label("a", false));
    BOOST_TEST(!lib::is_valid_host_label("", false));
    BOOST_TEST(!lib::is_valid_host_label("a.b", false));
    BOOST_TEST(lib::is_valid_host_label("a.b-c.d1", true));
    BOOST_TEST(!lib::is_valid_host_label("a..b", true));
    BOOST_TEST(!lib::is_valid_host_label("a.", true));
    BOOST_TEST(!lib::is_valid_host_label("a.-b", true));

    BOOST_TEST(lib::uri_encode("a b/c~d_e.f-g*h") == "a%20b%2Fc~d_e.f-g%2Ah");

    BOOST_TEST(lib::substring("abcdef", 0, 2, false).value_or("?") == "ab");
    BOOST_TEST(lib::substring("abcdef", 0, 2, true).value_or("?") == "ef");
    BOOST_TEST(lib::substring("abcdef", 1, 6, false).value_or("?") == "bcdef");
    BOOST_TEST(!lib::substring("abcdef", 2, 2, false).has_value());
    BOOST_TEST(!lib::substring("abcdef", 0, 7, false).has_value());
    BOOST_TEST(!lib::substring("ab\xc3\xa9", 0, 1, false).has_value());
}

// The translator on a rule set of our own that uses what the service's rules
// do not (parseURL, not, stringEquals, isValidHostLabel, substring, uriEncode,
// getAttr on a URL, headers, templated properties, authSchemes, escaped
// braces, a tree none of whose rules match, functions given unset values).
BOOST_AUTO_TEST_CASE(synthetic_rule_set)
{
    auto r = synthetic({.endpoint = "http://127.0.0.1:8080"});
    BOOST_TEST(!r.error);
    BOOST_TEST(r.url == "http://127.0.0.1:8080/ip");
    BOOST_TEST((r.headers == headers{{"x-kind", "ip"}, {"x-kind", "http"}}));

    r = synthetic({.endpoint = "https://[::1]/"});
    BOOST_TEST(r.url == "https://[::1]/ip");

    r = synthetic({.endpoint = "https://example.com/base"});
    BOOST_TEST(r.error);
    BOOST_TEST(r.message == "custom endpoint with a path: /base");

    r = synthetic({.region = "us-west-2", .endpoint = "https://example.com"});
    BOOST_TEST(!r.error);
    BOOST_TEST(r.url == "https://example.com");
    BOOST_TEST(r.auth_scheme == "sigv4");
    BOOST_TEST(r.signing_name == "custom-svc");
    BOOST_TEST(r.signing_region == "us-west-2");
    BOOST_TEST(boost::json::parse(r.properties) ==
               boost::json::parse(R"({"authSchemes":[{"name":"sigv4a","signingName":"other"},)"
                                  R"({"name":"sigv4","signingName":"custom-svc","signingRegion":"us-west-2",)"
                                  R"("disableDoubleEncoding":true}]})"));

    r = synthetic({.endpoint = "https://example.com"});
    BOOST_TEST(r.url == "https://example.com");
    BOOST_TEST(r.auth_scheme.empty());
    BOOST_TEST(r.properties == "{}");

    r = synthetic({.endpoint = "ftp://example.com"});
    BOOST_TEST(r.message == "not a URL");

    r = synthetic({.region = "nomatch-1", .use_fips = true});
    BOOST_TEST(r.message == "fips");
    r = synthetic({.region = "nomatch-1"});
    BOOST_TEST(r.error);
    BOOST_TEST(r.message == "No endpoint rule matched these parameters");

    r = synthetic({.region = "eu-west-1"});
    BOOST_TEST(!r.error);
    BOOST_TEST(r.url == "https://eu1.aws.example/a%20b%2F%7Bc%7D");
    BOOST_TEST(r.signing_name == "svc");
    BOOST_TEST(r.signing_region == "us-east-1");
    BOOST_TEST(boost::json::parse(r.properties) ==
               boost::json::parse(R"({"meta":{"list":[1,"xeu\"q"],"flag":false},)"
                                  R"("authSchemes":[{"name":"sigv4","signingName":"svc","signingRegion":"us-east-1"}]})"));
    BOOST_TEST(synthetic({.region = "cn-north-1"}).url == "https://cn1.aws-cn.example/a%20b%2F%7Bc%7D");
    BOOST_TEST(synthetic({.region = "us-isof-south-1"}).url == "https://us1.aws-iso-f.example/a%20b%2F%7Bc%7D");
    BOOST_TEST(synthetic({.region = "mars-east-2"}).url == "https://ma2.aws.example/a%20b%2F%7Bc%7D");

    BOOST_TEST(synthetic({.region = "x"}).message == "invalid region x");            // substring out of range
    BOOST_TEST(synthetic({.region = "bad region"}).message == "invalid region bad region");
    BOOST_TEST(synthetic({}).message == "no region");
}

BOOST_AUTO_TEST_SUITE_END()
