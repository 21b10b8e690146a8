// SigV4 signing against the AWS Signature Version 4 test suite
// (tests/data/sigv4: the aws-c-auth "new format" cases; tests/data/sigv4-legacy:
// three cases of the 2015 suite kept by botocore), plus the signer's own
// properties: the signing-key cache, secrets never showing up in what the
// signer exposes, and repeatable output.
//
// Every case folder is run; each reports its name on failure
// (BOOST_TEST_CONTEXT). The test fails if fewer cases ran than there are
// folders.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace crm = cleanroomsml;
namespace detail = cleanroomsml::detail;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace std::chrono_literals;

// The credentials type must not be printable, so a secret cannot end up in a log by accident.
template <class T>
concept streamable = requires(std::ostream& os, T const& t) { os << t; };
static_assert(!streamable<crm::credentials>);

// ------------------------------------------------------------------ files

std::optional<std::string> read_if_exists(fs::path const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string read(fs::path const& path)
{
    auto text = read_if_exists(path);
    if (!text) throw std::runtime_error("cannot open " + path.string());
    return std::move(*text);
}

std::vector<fs::path> case_folders(fs::path const& root)
{
    std::vector<fs::path> out;
    for (auto const& entry : fs::directory_iterator(root))
        if (entry.is_directory()) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
    return out;
}

// ------------------------------------------------------------------ request.txt

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
    std::string method;
    std::string path;
    std::string query;
    header_list headers; // a folded value keeps its line breaks
    std::string body;
};

// `METHOD <path>[?query] HTTP/1.1`, then `Name:value` lines (a line starting
// with whitespace continues the previous value), then a blank line and the body.
http_request parse_request(std::string_view text)
{
    http_request r;
    std::size_t pos = 0;
    auto next_line = [&]() -> std::optional<std::string_view> {
        if (pos >= text.size()) return std::nullopt;
        auto end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(pos, end - pos);
        pos = end + 1;
        return line;
    };

    auto const request_line = next_line().value_or("");
    auto const sp = request_line.find(' ');
    auto const version = request_line.rfind(" HTTP/");
    if (sp == std::string_view::npos || version == std::string_view::npos || version < sp)
        throw std::runtime_error("bad request line: " + std::string(request_line));
    r.method = request_line.substr(0, sp);
    auto const target = request_line.substr(sp + 1, version - sp - 1);
    auto const q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string_view::npos) r.query = target.substr(q + 1);

    while (auto line = next_line()) {
        if (line->empty()) {
            if (pos < text.size()) r.body = text.substr(pos);
            break;
        }
        if (line->front() == ' ' || line->front() == '\t') {
            if (r.headers.empty()) throw std::runtime_error("continuation line before any header");
            r.headers.back().second.append(1, '\n').append(*line);
            continue;
        }
        auto const colon = line->find(':');
        if (colon == std::string_view::npos) throw std::runtime_error("bad header line: " + std::string(*line));
        r.headers.emplace_back(line->substr(0, colon), line->substr(colon + 1));
    }
    return r;
}

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Headers as a sorted multiset of `name:value` lines (names lower-cased,
// values trimmed), printable for Boost.Test.
std::string header_set(header_list const& headers)
{
    std::vector<std::string> lines;
    for (auto const& [name, value] : headers) lines.push_back(lower(name) + ':' + std::string(trim(value)));
    std::sort(lines.begin(), lines.end());
    std::string out;
    for (auto const& l : lines) out.append(l).append(1, '\n');
    return out;
}

// Query parameters as a sorted multiset, one per line.
std::string query_set(std::string_view query)
{
    std::vector<std::string> params;
    for (std::size_t i = 0; i < query.size();) {
        auto end = query.find('&', i);
        if (end == std::string_view::npos) end = query.size();
        if (end > i) params.emplace_back(query.substr(i, end - i));
        i = end + 1;
    }
    std::sort(params.begin(), params.end());
    std::string out;
    for (auto const& p : params) out.append(p).append(1, '\n');
    return out;
}

// Applies the signer's headers the way a transport does: each one replaces
// any header of the same name.
header_list apply(header_list headers, std::span<detail::sigv4_header const> set)
{
    for (auto const& [name, value] : set) {
        auto const n = lower(name);
        std::erase_if(headers, [&](auto const& h) { return lower(h.first) == n; });
        headers.emplace_back(name, value);
    }
    return headers;
}

std::vector<detail::sigv4_header> views(header_list const& headers)
{
    std::vector<detail::sigv4_header> out;
    for (auto const& [name, value] : headers) out.emplace_back(name, value);
    return out;
}

// ------------------------------------------------------------------ context.json

struct signing_context {
    crm::credentials creds;
    std::string region;
    std::string service;
    std::chrono::system_clock::time_point time;
    std::chrono::seconds expires{3600};
    bool normalize = true;
    bool sign_body = false;
    bool double_encode = true;
    bool omit_session_token = false;
};

std::string string_member(json::object const& o, std::string_view key)
{
    auto const& s = o.at(key).as_string();
    return {s.data(), s.size()};
}

bool bool_member(json::object const& o, std::string_view key, bool fallback)
{
    auto const* v = o.if_contains(key);
    return v ? v->as_bool() : fallback;
}

std::chrono::system_clock::time_point parse_time(std::string_view text)
{
    crm::timestamp t;
    if (!detail::parse_date_time(text, t)) throw std::runtime_error("bad timestamp " + std::string(text));
    return t;
}

signing_context parse_context(std::string const& text)
{
    auto const doc = json::parse(text);
    auto const& o = doc.as_object();
    auto const& c = o.at("credentials").as_object();
    signing_context ctx;
    ctx.creds.access_key_id = string_member(c, "access_key_id");
    ctx.creds.secret_access_key = string_member(c, "secret_access_key");
    if (c.contains("token")) ctx.creds.session_token = string_member(c, "token");
    ctx.region = string_member(o, "region");
    ctx.service = string_member(o, "service");
    ctx.time = parse_time(string_member(o, "timestamp"));
    ctx.expires = std::chrono::seconds(o.at("expiration_in_seconds").to_number<std::int64_t>());
    ctx.normalize = bool_member(o, "normalize", true);
    ctx.sign_body = bool_member(o, "sign_body", false);
    ctx.double_encode = bool_member(o, "double_uri_encode", true);
    ctx.omit_session_token = bool_member(o, "omit_session_token", false);
    return ctx;
}

// What ../sigv4-legacy/SOURCE.md says those cases imply (the get-vanilla context).
signing_context legacy_context()
{
    signing_context ctx;
    ctx.creds = crm::credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
    ctx.region = "us-east-1";
    ctx.service = "service";
    ctx.time = parse_time("2015-08-30T12:36:00Z");
    return ctx;
}

detail::sigv4_params params_of(signing_context const& ctx)
{
    return {.region = ctx.region,
            .service = ctx.service,
            .time = ctx.time,
            .normalize_path = ctx.normalize,
            .double_encode_path = ctx.double_encode,
            .sign_payload_header = ctx.sign_body,
            .omit_session_token = ctx.omit_session_token,
            .expires = ctx.expires};
}

// ------------------------------------------------------------------ running a case

struct expected_files {
    std::string canonical_request;
    std::string string_to_sign;
    std::optional<std::string> signature;     // hex (new format)
    std::optional<std::string> authorization; // full header value (legacy)
    std::string signed_request;
};

void run_header_variant(detail::signer& s, signing_context const& ctx, http_request const& req,
                        expected_files const& want)
{
    auto const headers = views(req.headers);
    detail::sigv4_request const sreq{
        .method = req.method, .path = req.path, .query = req.query, .headers = headers, .payload = req.body};
    auto const added = s.sign_headers(ctx.creds, sreq, params_of(ctx));

    BOOST_TEST(s.canonical_request() == want.canonical_request);
    BOOST_TEST(s.string_to_sign() == want.string_to_sign);
    if (want.signature) BOOST_TEST(s.signature() == *want.signature);
    auto const auth = std::find_if(added.begin(), added.end(), [](auto const& h) { return h.first == "Authorization"; });
    BOOST_TEST_REQUIRE((auth != added.end()));
    if (want.authorization) BOOST_TEST(auth->second == *want.authorization);
    BOOST_TEST(auth->second.ends_with(std::string("Signature=") + std::string(s.signature())));

    auto const expected = parse_request(want.signed_request);
    BOOST_TEST(expected.method == req.method);
    BOOST_TEST(expected.path == req.path);
    BOOST_TEST(query_set(expected.query) == query_set(req.query));
    BOOST_TEST(header_set(apply(req.headers, added)) == header_set(expected.headers));
    BOOST_TEST(expected.body == req.body);
}

void run_query_variant(detail::signer& s, signing_context const& ctx, http_request const& req,
                       expected_files const& want)
{
    auto const headers = views(req.headers);
    detail::sigv4_request const sreq{
        .method = req.method, .path = req.path, .query = req.query, .headers = headers, .payload = req.body};
    auto const added = std::string(s.presign_query(ctx.creds, sreq, params_of(ctx)));

    BOOST_TEST(s.canonical_request() == want.canonical_request);
    BOOST_TEST(s.string_to_sign() == want.string_to_sign);
    if (want.signature) BOOST_TEST(s.signature() == *want.signature);
    BOOST_TEST(added.ends_with("&X-Amz-Signature=" + std::string(s.signature())));

    auto const expected = parse_request(want.signed_request);
    BOOST_TEST(expected.method == req.method);
    BOOST_TEST(expected.path == req.path);
    auto const sent_query = req.query.empty() ? added : req.query + '&' + added;
    BOOST_TEST(query_set(expected.query) == query_set(sent_query));
    BOOST_TEST(header_set(req.headers) == header_set(expected.headers));
    BOOST_TEST(expected.body == req.body);
}

std::optional<expected_files> load_variant(fs::path const& dir, std::string_view prefix)
{
    auto creq = read_if_exists(dir / (std::string(prefix) + "-canonical-request.txt"));
    if (!creq) return std::nullopt;
    return expected_files{
        .canonical_request = std::move(*creq),
        .string_to_sign = read(dir / (std::string(prefix) + "-string-to-sign.txt")),
        .signature = read(dir / (std::string(prefix) + "-signature.txt")),
        .authorization = std::nullopt,
        .signed_request = read(dir / (std::string(prefix) + "-signed-request.txt")),
    };
}

constexpr std::size_t min_v4_cases = 40;
constexpr std::size_t min_legacy_cases = 3;

// ------------------------------------------------------------------ helpers for the property tests

crm::credentials const example_creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};

std::chrono::system_clock::time_point const example_time = parse_time("2015-08-30T12:36:00Z");

detail::sigv4_params example_params(std::chrono::system_clock::time_point t = example_time,
                                    std::string_view region = "us-east-1", std::string_view service = "service")
{
    return {.region = region, .service = service, .time = t};
}

std::vector<detail::sigv4_header> const example_headers = {{"Host", "example.amazonaws.com"},
                                                           {"Content-Type", "application/json"}};

detail::sigv4_request example_request(std::string_view path = "/")
{
    return {.method = "POST", .path = path, .headers = example_headers, .payload = R"({"name":"seed"})"};
}

std::string signature_of(detail::signer& s, crm::credentials const& c, detail::sigv4_params const& p,
                         std::string_view path = "/")
{
    s.sign_headers(c, example_request(path), p);
    return std::string(s.signature());
}

std::string fresh_signature(crm::credentials const& c, detail::sigv4_params const& p, std::string_view path = "/")
{
    detail::signer fresh;
    return signature_of(fresh, c, p, path);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sigv4)

BOOST_AUTO_TEST_CASE(aws_test_suite)
{
    detail::signer s; // one signer for every case, as a client would use it

    auto const v4 = case_folders(CLEANROOMSML_TEST_DATA "/sigv4");
    std::size_t header_cases = 0, query_cases = 0, v4_cases = 0;
    for (auto const& dir : v4) {
        auto const name = dir.filename().string();
        BOOST_TEST_CONTEXT("sigv4/" << name)
        {
            auto const ctx = parse_context(read(dir / "context.json"));
            auto const req = parse_request(read(dir / "request.txt"));
            auto const header = load_variant(dir, "header");
            auto const query = load_variant(dir, "query");
            BOOST_TEST((header || query), "no expected output files");
            if (header) {
                BOOST_TEST_CONTEXT("header signing") run_header_variant(s, ctx, req, *header);
                ++header_cases;
            }
            if (query) {
                BOOST_TEST_CONTEXT("query signing") run_query_variant(s, ctx, req, *query);
                ++query_cases;
            }
            if (header || query) ++v4_cases;
        }
    }

    auto const legacy = case_folders(CLEANROOMSML_TEST_DATA "/sigv4-legacy");
    std::size_t legacy_cases = 0;
    for (auto const& dir : legacy) {
        auto const name = dir.filename().string();
        BOOST_TEST_CONTEXT("sigv4-legacy/" << name)
        {
            auto const file = [&](std::string_view ext) { return dir / (name + std::string(ext)); };
            auto const ctx = legacy_context();
            // The .req already carries X-Amz-Date; the signer replaces it with its own (same value).
            auto const req = parse_request(read(file(".req")));
            expected_files const want{
                .canonical_request = read(file(".creq")),
                .string_to_sign = read(file(".sts")),
                .signature = std::nullopt,
                .authorization = read(file(".authz")),
                .signed_request = read(file(".sreq")),
            };
            run_header_variant(s, ctx, req, want);
            ++legacy_cases;
        }
    }

    BOOST_TEST_MESSAGE("sigv4: " << v4_cases << " cases (" << header_cases << " header, " << query_cases
                                 << " query), sigv4-legacy: " << legacy_cases << " cases (header)");
    BOOST_TEST(v4_cases == v4.size());
    BOOST_TEST(legacy_cases == legacy.size());
    BOOST_TEST(v4.size() >= min_v4_cases);
    BOOST_TEST(legacy.size() >= min_legacy_cases);
    BOOST_TEST(header_cases == v4.size());
}

BOOST_AUTO_TEST_CASE(double_encoded_arn_label)
{
    detail::signer s;
    auto const path = "/audience-model/arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aaudience-model%2Fabc";
    s.sign_headers(example_creds, example_request(path), example_params());
    auto const creq = s.canonical_request();
    auto const uri = creq.substr(creq.find('\n') + 1, creq.find('\n', creq.find('\n') + 1) - creq.find('\n') - 1);
    BOOST_TEST(uri == "/audience-model/arn%253Aaws%253Acleanrooms-ml%253Aus-east-1%253A123456789012"
                      "%253Aaudience-model%252Fabc");
}

BOOST_AUTO_TEST_CASE(repeated_query_names_and_empty_values)
{
    detail::signer s;
    auto req = example_request();
    req.query = "tagKeys=b&tagKeys=a&flag&empty=&x=%41%2b+";
    s.sign_headers(example_creds, req, example_params());
    auto const creq = s.canonical_request();
    auto const lines_start = creq.find('\n', creq.find('\n') + 1) + 1;
    auto const line = creq.substr(lines_start, creq.find('\n', lines_start) - lines_start);
    BOOST_TEST(line == "empty=&flag=&tagKeys=a&tagKeys=b&x=A%2B%2B");
}

BOOST_AUTO_TEST_CASE(signing_key_cache)
{
    detail::signer s;
    auto const base = example_params();
    BOOST_TEST(s.key_derivations() == 0u);

    BOOST_TEST(signature_of(s, example_creds, base) == fresh_signature(example_creds, base));
    BOOST_TEST(s.key_derivations() == 1u);

    // Same key: another request, another time of the same day, another access key id.
    BOOST_TEST(signature_of(s, example_creds, base, "/other") == fresh_signature(example_creds, base, "/other"));
    auto const later = example_params(example_time + 11h);
    BOOST_TEST(signature_of(s, example_creds, later) == fresh_signature(example_creds, later));
    auto other_id = example_creds;
    other_id.access_key_id = "AKIDOTHER";
    BOOST_TEST(signature_of(s, other_id, base) == fresh_signature(other_id, base));
    BOOST_TEST(s.key_derivations() == 1u);

    // A new date, region, service or secret derives a new key.
    auto const next_day = example_params(example_time + 12h);
    BOOST_TEST(signature_of(s, example_creds, next_day) == fresh_signature(example_creds, next_day));
    BOOST_TEST(s.key_derivations() == 2u);

    auto const region = example_params(example_time + 12h, "eu-west-1");
    BOOST_TEST(signature_of(s, example_creds, region) == fresh_signature(example_creds, region));
    BOOST_TEST(s.key_derivations() == 3u);

    auto const service = example_params(example_time + 12h, "eu-west-1", "cleanrooms-ml");
    BOOST_TEST(signature_of(s, example_creds, service) == fresh_signature(example_creds, service));
    BOOST_TEST(s.key_derivations() == 4u);

    auto rotated = example_creds;
    rotated.secret_access_key.back() = 'X'; // same length, last byte differs
    auto const sig_rotated = signature_of(s, rotated, service);
    BOOST_TEST(sig_rotated == fresh_signature(rotated, service));
    BOOST_TEST(s.key_derivations() == 5u);
    BOOST_TEST(sig_rotated != signature_of(s, example_creds, service));
    BOOST_TEST(s.key_derivations() == 6u);

    // The cache holds one key: going back derives again.
    BOOST_TEST(signature_of(s, example_creds, base) == fresh_signature(example_creds, base));
    BOOST_TEST(s.key_derivations() == 7u);

    // Query signing shares the cache.
    s.presign_query(example_creds, example_request(), base);
    BOOST_TEST(s.key_derivations() == 7u);

    // Moving the signer moves the cache.
    detail::signer moved = std::move(s);
    BOOST_TEST(signature_of(moved, example_creds, base) == fresh_signature(example_creds, base));
    BOOST_TEST(moved.key_derivations() == 7u);
}

BOOST_AUTO_TEST_CASE(secret_never_exposed)
{
    auto const secret = std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    auto const encoded_secret = std::string("wJalrXUtnFEMI%2FK7MDENG%2BbPxRfiCYEXAMPLEKEY");
    auto const creds = crm::credentials{"AKIDEXAMPLE", secret, "session-token"};
    auto const clean = [&](std::string_view s) {
        return s.find(secret) == std::string_view::npos && s.find(encoded_secret) == std::string_view::npos &&
               s.find("EXAMPLEKEY") == std::string_view::npos;
    };

    detail::signer s;
    auto params = example_params();
    params.sign_payload_header = true;
    for (auto const& [name, value] : s.sign_headers(creds, example_request(), params))
        BOOST_TEST(clean(value), name << " holds the secret");
    BOOST_TEST(clean(s.canonical_request()));
    BOOST_TEST(clean(s.string_to_sign()));
    BOOST_TEST(clean(s.signature()));

    auto const query = std::string(s.presign_query(creds, example_request(), params));
    BOOST_TEST(clean(query));
    BOOST_TEST(clean(s.canonical_request()));
    BOOST_TEST(clean(s.string_to_sign()));
}

BOOST_AUTO_TEST_CASE(signing_twice_is_identical)
{
    auto const creds = crm::credentials{"AKIDEXAMPLE", "secret", "token"};
    auto params = example_params();
    params.sign_payload_header = true;
    detail::signer s;

    auto copy = [](std::span<detail::sigv4_header const> h) {
        header_list out;
        for (auto const& [n, v] : h) out.emplace_back(n, v);
        return out;
    };
    auto const first = copy(s.sign_headers(creds, example_request(), params));
    auto const first_creq = std::string(s.canonical_request());
    auto const second = copy(s.sign_headers(creds, example_request(), params));
    BOOST_TEST(header_set(first) == header_set(second));
    BOOST_TEST(first_creq == s.canonical_request());
    BOOST_TEST(first.size() == 4u); // X-Amz-Date, X-Amz-Security-Token, X-Amz-Content-SHA256, Authorization

    auto const q1 = std::string(s.presign_query(creds, example_request(), params));
    auto const q2 = std::string(s.presign_query(creds, example_request(), params));
    BOOST_TEST(q1 == q2);

    // Sub-second parts of the time are dropped.
    auto const a = copy(s.sign_headers(creds, example_request(), example_params(example_time + 999ms)));
    auto const b = copy(s.sign_headers(creds, example_request(), example_params(example_time)));
    BOOST_TEST(header_set(a) == header_set(b));
}

BOOST_AUTO_TEST_SUITE_END()
