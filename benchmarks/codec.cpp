// Codec throughput: decoding a 100-item ListAudienceModels page straight into
// structs, beside boost::json::parse of the same bytes (a DOM, the floor),
// and encoding a full CreateConfiguredAudienceModel request; then SigV4
// signing, a GetAudienceModel response decode and AWS error parsing.
//
//   build/benchmarks/codec [rounds]
//
// Prints medians over the rounds, MB/s of JSON text and allocations per call.

#include "alloc_counter.hpp"

#include <cleanroomsml/error.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/validate.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/sigv4.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crml = cleanroomsml;
using clock_type = std::chrono::steady_clock;

namespace {

std::string list_page(int items)
{
    std::string s = R"({"audienceModels":[)";
    for (int i = 0; i < items; ++i) {
        if (i) s += ',';
        auto n = std::to_string(i);
        s += R"({"audienceModelArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/)" + n +
             R"(0a1b2c3d-4e5f-6789-abcd-ef0123456789","createTime":"2024-03-01T12:34:56.789Z",)"
             R"("description":"Audience model number )" + n + R"( trained on last quarter's interactions",)"
             R"("name":"model-)" + n + R"(","status":"ACTIVE",)"
             R"("trainingDatasetArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/)" + n +
             R"(fedcba98-7654-3210-fedc-ba9876543210","updateTime":"2024-03-02T08:00:00Z"})";
    }
    s += R"(],"nextToken":"eyJvZmZzZXQiOjEwMH0="})";
    return s;
}

crml::create_configured_audience_model_request full_request()
{
    crml::create_configured_audience_model_request r;
    r.audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    r.audience_size_config = crml::audience_size_config{.audience_size_type = crml::audience_size_type::absolute, .audience_size_bins = {1000, 5000, 10000, 50000, 100000}};
    r.child_resource_tag_on_create_policy = crml::tag_on_create_policy::from_parent_resource;
    r.description = "Configured model for the \"spring\" campaign\nsecond line";
    r.min_matching_seed_size = 500;
    r.name = "spring-campaign";
    r.output_config.destination.s3_destination.s3_uri = "s3://bucket/prefix/audiences/";
    r.output_config.role_arn = "arn:aws:iam::123456789012:role/CleanRoomsML";
    r.shared_audience_metrics = {crml::shared_audience_metrics::all};
    r.tags = std::map<std::string, std::string>{{"team", "growth"}, {"cost-center", "42"}, {"env", "prod"}};
    return r;
}

// A realistic GetAudienceModel body (~700 bytes), timestamps as epoch seconds.
constexpr std::string_view get_model_body =
    R"({"audienceModelArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0a1b2c3d-4e5f-6789-abcd-ef0123456789",)"
    R"("createTime":1709296496.789,"updateTime":1709366400,)"
    R"("trainingDataStartTime":1701388800,"trainingDataEndTime":1709251199.999,)"
    R"("description":"Lookalike model trained on last quarter's purchase interactions for the spring campaign",)"
    R"("kmsKeyArn":"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",)"
    R"("name":"spring-lookalike-model","status":"ACTIVE",)"
    R"("statusDetails":{"message":"Training completed successfully; metrics are available","statusCode":"TRAINING_COMPLETE"},)"
    R"("tags":{"team":"growth"},)"
    R"("trainingDatasetArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/fedcba98-7654-3210-fedc-ba9876543210"})";

// Keeps the optimiser from folding or dropping a pure call's input or result.
template <class T>
void opaque(T& v)
{
    asm volatile("" : "+m"(v) : : "memory");
}

struct result {
    double ns_per_call;
    double allocs_per_call;
};

template <class F>
result measure(F&& f, int rounds)
{
    std::vector<double> ns;
    std::vector<double> allocs;
    for (int i = 0; i < 50; ++i) f();  // warm-up
    for (int r = 0; r < rounds; ++r) {
        long calls = 0;
        auto a0 = bench::allocations.load();
        auto t0 = clock_type::now();
        auto t1 = t0;
        while (t1 - t0 < std::chrono::milliseconds(200)) {
            for (int i = 0; i < 20; ++i) f();
            calls += 20;
            t1 = clock_type::now();
        }
        ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count() / calls);
        allocs.push_back(double(bench::allocations.load() - a0) / calls);
    }
    std::sort(ns.begin(), ns.end());
    std::sort(allocs.begin(), allocs.end());
    return {ns[ns.size() / 2], allocs[allocs.size() / 2]};
}

void report(char const* name, result r, std::size_t bytes)
{
    std::printf("%-44s %10.0f ns/call %9.1f MB/s %8.1f allocs/call\n", name, r.ns_per_call,
                bytes / r.ns_per_call * 1e9 / 1e6, r.allocs_per_call);
}

} // namespace

int main(int argc, char** argv)
{
    int rounds = argc > 1 ? std::atoi(argv[1]) : 7;
    std::string page = list_page(100);

    // Both decoders must accept the document before we time them.
    crml::list_audience_models_response check;
    if (auto ec = crml::from_json(page, check); ec || check.audience_models.size() != 100) {
        std::fprintf(stderr, "decode failed: %s\n", ec.message().c_str());
        return 1;
    }

    std::printf("decode: ListAudienceModels page, 100 items, %zu bytes; median of %d rounds\n", page.size(), rounds);
    auto ours = measure([&] {
        crml::list_audience_models_response out;
        if (crml::from_json(page, out)) std::abort();
    }, rounds);
    auto dom = measure([&] {
        boost::json::error_code ec;
        auto v = boost::json::parse(page, ec);
        if (ec || !v.is_object()) std::abort();
    }, rounds);
    auto dom_convert = measure([&] {
        // A DOM plus a walk copying each member out: how DOM-based SDKs decode.
        boost::json::error_code ec;
        auto v = boost::json::parse(page, ec);
        crml::list_audience_models_response out;
        for (auto const& m : v.at("audienceModels").as_array()) {
            auto const& o = m.as_object();
            crml::audience_model_summary s;
            s.audience_model_arn = o.at("audienceModelArn").as_string();
            s.name = o.at("name").as_string();
            s.training_dataset_arn = o.at("trainingDatasetArn").as_string();
            s.description = std::string(o.at("description").as_string());
            s.status = crml::audience_model_status{std::string_view(o.at("status").as_string())};
            crml::detail::parse_date_time(o.at("createTime").as_string(), s.create_time);
            crml::detail::parse_date_time(o.at("updateTime").as_string(), s.update_time);
            out.audience_models.push_back(std::move(s));
        }
    }, rounds);
    report("cleanroomsml::from_json (into structs)", ours, page.size());
    report("boost::json::parse (DOM only)", dom, page.size());
    report("boost::json::parse + copy into structs", dom_convert, page.size());
    std::printf("ratio from_json / json::parse speed: %.2fx\n\n", dom.ns_per_call / ours.ns_per_call);

    auto req = full_request();
    crml::detail::encoded_request enc;
    crml::detail::read_error err;
    auto const& info = crml::operation_traits<crml::create_configured_audience_model_request>::info;
    auto const& ti = crml::detail::type_of<crml::create_configured_audience_model_request>();
    if (crml::detail::encode_request(info, ti, &req, enc, err)) return 1;
    std::printf("encode: CreateConfiguredAudienceModel, full request, %zu body bytes\n", enc.body.size());
    auto encode = measure([&] {
        if (crml::detail::encode_request(info, ti, &req, enc, err)) std::abort();
    }, rounds);
    auto validate = measure([&] {
        if (crml::validate(req)) std::abort();
    }, rounds);
    auto dom_body = boost::json::parse(enc.body);
    auto serialize = measure([&] {
        auto s = boost::json::serialize(dom_body);
        if (s.empty()) std::abort();
    }, rounds);
    report("encode_request (path, query, JSON body)", encode, enc.body.size());
    report("validate (all model constraints)", validate, enc.body.size());
    report("boost::json::serialize of the same body", serialize, enc.body.size());

    // ---- SigV4 ----
    namespace d = crml::detail;
    crml::credentials const creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
    auto const day1 = std::chrono::system_clock::time_point{std::chrono::seconds{1709296496}};
    auto const day2 = day1 + std::chrono::hours(24);
    d::sigv4_params const sp1{"us-east-1", "cleanrooms-ml", day1};
    d::sigv4_params const sp2{"us-east-1", "cleanrooms-ml", day2};
    std::string const uid = "cleanroomsml-cpp/0.1 md/boost#1.81 os/linux lang/cpp#20";
    std::string const invocation = "3f2c8e1a-6b4d-4c7e-9a1f-2d5e8b7c6a90";
    std::string const content_length = std::to_string(enc.body.size());
    d::sigv4_header const get_headers[] = {
        {"host", "cleanrooms-ml.us-east-1.amazonaws.com"}, {"x-amz-user-agent", uid},
        {"amz-sdk-invocation-id", invocation}, {"amz-sdk-request", "attempt=1; max=3"}};
    d::sigv4_header const post_headers[] = {
        {"host", "cleanrooms-ml.us-east-1.amazonaws.com"}, {"content-type", "application/json"},
        {"content-length", content_length}, {"x-amz-user-agent", uid},
        {"amz-sdk-invocation-id", invocation}, {"amz-sdk-request", "attempt=1; max=3"}};
    d::sigv4_request const get_req{"GET",
        "/audience-model/arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aaudience-model%2F"
        "0a1b2c3d-4e5f-6789-abcd-ef0123456789",
        {}, get_headers, {}};
    d::sigv4_request const post_req{"POST", enc.path, enc.query, post_headers, enc.body};

    // Each request must sign (X-Amz-Date + Authorization) before it is timed;
    // bytes = canonical request + payload, what gets hashed.
    d::signer sig;
    auto signed_bytes = [&](d::sigv4_request const& r) -> std::size_t {
        auto h = sig.sign_headers(creds, r, sp1);
        if (h.size() != 2 || h.back().first != "Authorization" || sig.signature().size() != 64) {
            std::fprintf(stderr, "signing failed\n");
            std::exit(1);
        }
        return sig.canonical_request().size() + r.payload.size();
    };
    std::size_t const get_bytes = signed_bytes(get_req);
    std::size_t const post_bytes = signed_bytes(post_req);
    std::printf("\nsign: SigV4 sign_headers, GET GetAudienceModel (%zu signed bytes), "
                "POST CreateConfiguredAudienceModel (%zu body bytes)\n", get_bytes, enc.body.size());
    auto const derived0 = sig.key_derivations();
    auto sign_get = measure([&] { if (sig.sign_headers(creds, get_req, sp1).empty()) std::abort(); }, rounds);
    auto sign_post = measure([&] { if (sig.sign_headers(creds, post_req, sp1).empty()) std::abort(); }, rounds);
    auto const warm_derivations = sig.key_derivations() - derived0;
    // Alternating days defeats the one-entry key cache: 4 extra HMACs per call.
    bool flip = false;
    auto sign_get_cold = measure([&] {
        flip = !flip;
        if (sig.sign_headers(creds, get_req, flip ? sp2 : sp1).empty()) std::abort();
    }, rounds);
    auto const derived1 = sig.key_derivations();
    auto sign_post_cold = measure([&] {
        flip = !flip;
        if (sig.sign_headers(creds, post_req, flip ? sp2 : sp1).empty()) std::abort();
    }, rounds);
    if (warm_derivations != 0 || sig.key_derivations() == derived1) {
        std::fprintf(stderr, "key cache not behaving as assumed\n");
        return 1;
    }
    report("sign GET, cached key", sign_get, get_bytes);
    report("sign POST, cached key", sign_post, post_bytes);
    report("sign GET, cold key (date changes each call)", sign_get_cold, get_bytes);
    report("sign POST, cold key (date changes each call)", sign_post_cold, post_bytes);
    std::printf("key cache saves: GET %.0f ns (%.2fx), POST %.0f ns (%.2fx)\n",
                sign_get_cold.ns_per_call - sign_get.ns_per_call, sign_get_cold.ns_per_call / sign_get.ns_per_call,
                sign_post_cold.ns_per_call - sign_post.ns_per_call, sign_post_cold.ns_per_call / sign_post.ns_per_call);

    // ---- GetAudienceModel response ----
    auto const& get_ti = d::type_of<crml::get_audience_model_response>();
    d::header_source const no_headers{
        nullptr, [](void const*, std::string_view) -> std::optional<std::string_view> { return std::nullopt; }};
    {
        crml::get_audience_model_response a, b;
        d::read_error re;
        if (auto ec = crml::from_json(get_model_body, a); ec || !a.tags || a.tags->size() != 1 ||
            !a.status_details || !a.training_data_end_time || a.status != crml::audience_model_status::active) {
            std::fprintf(stderr, "GetAudienceModel from_json failed: %s\n", ec.message().c_str());
            return 1;
        }
        if (auto ec = d::decode_response(get_ti, &b, get_model_body, no_headers, re); ec || !(a == b)) {
            std::fprintf(stderr, "decode_response failed: %s %s\n", ec.message().c_str(), re.message.c_str());
            return 1;
        }
    }
    std::printf("\ndecode: GetAudienceModel response, %zu bytes\n", get_model_body.size());
    auto get_from_json = measure([&] {
        crml::get_audience_model_response out;
        if (crml::from_json(get_model_body, out)) std::abort();
    }, rounds);
    auto get_decode = measure([&] {
        crml::get_audience_model_response out;
        d::read_error re;
        if (d::decode_response(get_ti, &out, get_model_body, no_headers, re)) std::abort();
    }, rounds);
    auto get_dom = measure([&] {
        boost::json::error_code ec;
        auto v = boost::json::parse(get_model_body, ec);
        if (ec || !v.is_object()) std::abort();
    }, rounds);
    report("cleanroomsml::from_json", get_from_json, get_model_body.size());
    report("detail::decode_response (client path)", get_decode, get_model_body.size());
    report("boost::json::parse (DOM only)", get_dom, get_model_body.size());

    // ---- Errors ----
    std::string_view const err_body =
        R"({"__type":"com.amazonaws.cleanroomsml#ResourceNotFoundException",)"
        R"("message":"Audience model arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0a1b2c3d-4e5f-6789-abcd-ef0123456789 not found"})";
    std::string_view const err_header = "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/";
    for (auto h : {std::optional<std::string_view>{}, std::optional<std::string_view>{err_header}}) {
        auto e = d::parse_error_response(h, err_body);
        if (e.type != "ResourceNotFoundException" || e.message.empty() ||
            crml::service_errc_from_type(e.type) != crml::service_errc::resource_not_found) {
            std::fprintf(stderr, "error parsing failed: \"%s\"\n", e.type.c_str());
            return 1;
        }
    }
    std::printf("\nerrors: restJson1 ResourceNotFoundException, %zu body bytes\n", err_body.size());
    auto err_from_body = measure([&] {
        auto e = d::parse_error_response(std::nullopt, err_body);
        if (e.type.empty()) std::abort();
    }, rounds);
    auto err_from_header = measure([&] {
        auto e = d::parse_error_response(err_header, err_body);
        if (e.type.empty()) std::abort();
    }, rounds);
    std::string_view type = "ResourceNotFoundException";
    auto errc = measure([&] {
        opaque(type);
        auto e = crml::service_errc_from_type(type);
        opaque(e);
    }, rounds);
    report("parse_error_response (body __type)", err_from_body, err_body.size());
    report("parse_error_response (X-Amzn-ErrorType)", err_from_header, err_body.size());
    report("service_errc_from_type", errc, type.size());
    return 0;
}
