// Codec throughput: decoding a 100-item ListAudienceModels page straight into
// structs, beside boost::json::parse of the same bytes (a DOM, the floor),
// and encoding a full CreateConfiguredAudienceModel request.
//
//   build/benchmarks/codec [rounds]
//
// Prints medians over the rounds, MB/s of JSON text and allocations per call.

#include "alloc_counter.hpp"

#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/validate.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
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
    r.audience_size_config = crml::audience_size_config{{1000, 5000, 10000, 50000, 100000}, crml::audience_size_type::absolute};
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
    return 0;
}
