// Decoding service responses: real documents, and everything a broken or
// hostile peer could send instead.

#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>

#include "restjson1/model.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace crml = cleanroomsml;

namespace {

using crml::client_errc;
using crml::diagnostics;
using crml::error_code;
using crml::timestamp;

error_code const unparsable = crml::make_error_code(client_errc::unparsable_response);

template <class T>
struct decoded {
    error_code ec;
    diagnostics diag;
    T value{};
};

template <class T>
decoded<T> decode(std::string_view json)
{
    decoded<T> r;
    r.ec = crml::from_json(json, r.value, &r.diag);
    return r;
}

// Decodes `json`, which must succeed; returns the value.
template <class T>
T must_decode(std::string_view json)
{
    auto r = decode<T>(json);
    BOOST_TEST_INFO("json: " << json.substr(0, 300));
    BOOST_TEST_INFO("path: " << r.diag.path << ", message: " << r.diag.message);
    BOOST_TEST(!r.ec);
    return std::move(r.value);
}

// Decodes `json`, which must fail with unparsable_response at `path` with a
// message containing `message_part`.
template <class T>
void expect_error(std::string_view json, std::string_view path, std::string_view message_part)
{
    auto r = decode<T>(json);
    BOOST_TEST_INFO("json: " << json.substr(0, 300));
    BOOST_TEST(r.ec == unparsable);
    BOOST_TEST_INFO("json: " << json.substr(0, 300));
    BOOST_TEST(r.diag.path == path);
    BOOST_TEST_INFO("json: " << json.substr(0, 300));
    BOOST_TEST_INFO("message: " << r.diag.message);
    BOOST_TEST(r.diag.message.find(message_part) != std::string::npos);
}

std::int64_t ns(timestamp t) { return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count(); }

constexpr std::int64_t jan1_2024 = 1704067200;  // 2024-01-01T00:00:00Z in epoch seconds
constexpr std::int64_t s_ns = 1'000'000'000;

std::string const model_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/0f3c2a10-aaaa-bbbb-cccc-000000000001";
std::string const dataset_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/0f3c2a10-aaaa-bbbb-cccc-000000000002";
std::string const kms_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

// A GetAudienceModel response with every member, as the service writes it.
std::string const full_audience_model = R"({
  "audienceModelArn": ")" + model_arn + R"(",
  "createTime": "2024-01-01T00:00:00Z",
  "description": "Lookalikes for the \"spring\" campaign\nsecond line",
  "kmsKeyArn": ")" + kms_arn + R"(",
  "name": "spring-model",
  "status": "ACTIVE",
  "statusDetails": {"message": "Training finished", "statusCode": "OK"},
  "tags": {"team": "ads", "env": "prod"},
  "trainingDataEndTime": "2023-12-31T23:59:59.999Z",
  "trainingDataStartTime": "2023-01-01T02:00:00+02:00",
  "trainingDatasetArn": ")" + dataset_arn + R"(",
  "updateTime": 1704067200.5
})";

// A GetAudienceGenerationJob response with every member and some extras:
// nested lists, numbers, booleans, escapes, unknown members.
std::string const full_generation_job = R"({"audienceGenerationJobArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/j-1",)"
    R"("collaborationId":"01234567-89ab-cdef-0123-456789abcdef",)"
    R"("configuredAudienceModelArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/c-1",)"
    R"("createTime":"2024-01-01T00:00:00.123Z","description":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/",)"
    R"("includeSeedInOutput":true,)"
    R"("metrics":{"recallMetric":0.75,"relevanceMetrics":[{"audienceSize":{"type":"ABSOLUTE","value":1000},"score":0.5},)"
    R"({"audienceSize":{"type":"PERCENTAGE","value":20},"score":-1.25e-3}]},)"
    R"("name":"job","futureMember":{"a":[1,2,{"b":null}],"c":"d"},)"
    R"("seedAudience":{"dataSource":{"s3Uri":"s3://bucket/seed.csv"},"roleArn":"arn:aws:iam::123456789012:role/seed"},)"
    R"("startedBy":"123456789012","status":"CREATE_IN_PROGRESS",)"
    R"("statusDetails":{"message":"m","statusCode":"c"},"tags":{"k":"v","k2":""},)"
    R"("updateTime":1704067200})";

std::string summary_json(int i, bool with_name = true)
{
    std::string s = R"({"audienceModelArn":")" + model_arn + std::to_string(i) + R"(","createTime":)" +
                    std::to_string(jan1_2024 + i) + R"(,"description":"model )" + std::to_string(i) + R"(",)";
    if (with_name) s += R"("name":"model-)" + std::to_string(i) + R"(",)";
    s += R"("status":"ACTIVE","trainingDatasetArn":")" + dataset_arn + R"(","updateTime":"2024-01-01T00:00:00Z"})";
    return s;
}

// A valid GetConfiguredAudienceModel response, with `extra` members first.
std::string gcam_json(std::string const& extra = {})
{
    return "{" + extra + (extra.empty() ? "" : ",") +
           R"("audienceModelArn":"a","configuredAudienceModelArn":"c","createTime":0,"name":"n",)"
           R"("outputConfig":{"destination":{"s3Destination":{"s3Uri":"s3://b"}},"roleArn":"r"},)"
           R"("sharedAudienceMetrics":["ALL"],"status":"ACTIVE","updateTime":0})";
}

std::string page_json(int n, int missing_name_at = -1)
{
    std::string s = R"({"audienceModels":[)";
    for (int i = 0; i < n; ++i) {
        if (i) s += ',';
        s += summary_json(i, i != missing_name_at);
    }
    s += R"(],"nextToken":"tok"})";
    return s;
}

// Runs f() in a child process, so that a crash fails the test instead of
// taking the whole test program down. Returns the child's exit status, or
// 128 + signal when it was killed. f returns the child's exit code.
template <class F>
int in_child(F f)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid == 0) {
        // Report a crash as an exit status, without a sanitizer's report.
        struct sigaction sa{};
        sa.sa_handler = [](int sig) { ::_exit(128 + sig); };
        ::sigaction(SIGSEGV, &sa, nullptr);
        ::sigaction(SIGBUS, &sa, nullptr);
        ::_exit(f());
    }
    BOOST_TEST_REQUIRE(pid > 0);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

BOOST_AUTO_TEST_SUITE(json)

// ------------------------------------------------------------------ valid

BOOST_AUTO_TEST_CASE(full_get_audience_model_response)
{
    auto r = must_decode<crml::get_audience_model_response>(full_audience_model);
    BOOST_TEST(r.audience_model_arn == model_arn);
    BOOST_TEST(ns(r.create_time) == jan1_2024 * s_ns);
    BOOST_TEST_REQUIRE(r.description.has_value());
    BOOST_TEST(*r.description == "Lookalikes for the \"spring\" campaign\nsecond line");
    BOOST_TEST_REQUIRE(r.kms_key_arn.has_value());
    BOOST_TEST(*r.kms_key_arn == kms_arn);
    BOOST_TEST(r.name == "spring-model");
    BOOST_TEST(r.status.value() == "ACTIVE");
    BOOST_TEST((r.status == crml::audience_model_status::active));
    BOOST_TEST_REQUIRE(r.status_details.has_value());
    BOOST_TEST_REQUIRE(r.status_details->message.has_value());
    BOOST_TEST(*r.status_details->message == "Training finished");
    BOOST_TEST_REQUIRE(r.status_details->status_code.has_value());
    BOOST_TEST(*r.status_details->status_code == "OK");
    BOOST_TEST_REQUIRE(r.tags.has_value());
    BOOST_TEST(r.tags->size() == 2u);
    BOOST_TEST(r.tags->at("team") == "ads");
    BOOST_TEST(r.tags->at("env") == "prod");
    BOOST_TEST_REQUIRE(r.training_data_end_time.has_value());
    BOOST_TEST(ns(*r.training_data_end_time) == jan1_2024 * s_ns - 1'000'000);
    BOOST_TEST_REQUIRE(r.training_data_start_time.has_value());
    BOOST_TEST(ns(*r.training_data_start_time) == 1672531200 * s_ns);  // 2023-01-01T00:00:00Z
    BOOST_TEST(r.training_dataset_arn == dataset_arn);
    BOOST_TEST(ns(r.update_time) == jan1_2024 * s_ns + 500'000'000);
}

BOOST_AUTO_TEST_CASE(full_get_audience_generation_job_response)
{
    auto r = must_decode<crml::get_audience_generation_job_response>(full_generation_job);
    BOOST_TEST(r.audience_generation_job_arn == "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/j-1");
    BOOST_TEST_REQUIRE(r.collaboration_id.has_value());
    BOOST_TEST(*r.collaboration_id == "01234567-89ab-cdef-0123-456789abcdef");
    BOOST_TEST(ns(r.create_time) == jan1_2024 * s_ns + 123'000'000);
    BOOST_TEST_REQUIRE(r.description.has_value());
    BOOST_TEST(*r.description == "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ /");
    BOOST_TEST_REQUIRE(r.include_seed_in_output.has_value());
    BOOST_TEST(*r.include_seed_in_output == true);
    BOOST_TEST_REQUIRE(r.metrics.has_value());
    BOOST_TEST_REQUIRE(r.metrics->recall_metric.has_value());
    BOOST_TEST(*r.metrics->recall_metric == 0.75);
    BOOST_TEST_REQUIRE(r.metrics->relevance_metrics.size() == 2u);
    BOOST_TEST(r.metrics->relevance_metrics[0].audience_size.type.value() == "ABSOLUTE");
    BOOST_TEST(r.metrics->relevance_metrics[0].audience_size.value == 1000);
    BOOST_TEST(r.metrics->relevance_metrics[1].audience_size.type.value() == "PERCENTAGE");
    BOOST_TEST(r.metrics->relevance_metrics[1].audience_size.value == 20);
    BOOST_TEST_REQUIRE(r.metrics->relevance_metrics[1].score.has_value());
    BOOST_TEST(*r.metrics->relevance_metrics[1].score == -1.25e-3);
    BOOST_TEST(r.name == "job");
    BOOST_TEST_REQUIRE(r.seed_audience.has_value());
    BOOST_TEST(r.seed_audience->data_source->s3_uri == "s3://bucket/seed.csv");
    BOOST_TEST(r.seed_audience->role_arn == "arn:aws:iam::123456789012:role/seed");
    BOOST_TEST_REQUIRE(r.started_by.has_value());
    BOOST_TEST(*r.started_by == "123456789012");
    BOOST_TEST(r.status.value() == "CREATE_IN_PROGRESS");
    BOOST_TEST_REQUIRE(r.tags.has_value());
    BOOST_TEST(r.tags->at("k2") == "");
    BOOST_TEST(ns(r.update_time) == jan1_2024 * s_ns);
}

BOOST_AUTO_TEST_CASE(timestamps_decode_to_the_right_instant)
{
    struct row {
        std::string text;  // JSON value text
        std::int64_t nanos;
    };
    std::vector<row> const rows = {
        {R"("2024-01-01T00:00:00Z")", jan1_2024 * s_ns},
        {R"("2024-01-01t00:00:00z")", jan1_2024 * s_ns},
        {R"("2024-01-01T00:00:00.5Z")", jan1_2024 * s_ns + 500'000'000},
        {R"("2024-01-01T00:00:00.123Z")", jan1_2024 * s_ns + 123'000'000},
        {R"("2024-01-01T00:00:00.123456789Z")", jan1_2024 * s_ns + 123'456'789},
        {R"("2024-01-01T00:00:00.1234567891Z")", jan1_2024 * s_ns + 123'456'789},  // beyond ns: truncated
        {R"("2024-01-01T02:00:00+02:00")", jan1_2024 * s_ns},
        {R"("2023-12-31T18:30:00-05:30")", jan1_2024 * s_ns},
        {R"("2024-01-01T01:30:00.250+01:30")", jan1_2024 * s_ns + 250'000'000},
        {R"("2024-01-01T00:00:00+00:00")", jan1_2024 * s_ns},
        {R"("1970-01-01T00:00:00Z")", 0},
        {R"("1969-12-31T23:59:59.5Z")", -500'000'000},
        {"1704067200", jan1_2024 * s_ns},
        {"1704067200.5", jan1_2024 * s_ns + 500'000'000},
        {"1704067200.123456789", jan1_2024 * s_ns + 123'456'789},
        {"1704067200.0", jan1_2024 * s_ns},
        {"1.7040672E9", jan1_2024 * s_ns},
        {"1.7040672005e9", jan1_2024 * s_ns + 500'000'000},
        {"0", 0},
        {"-1.5", -1'500'000'000},
        // Liberal reading: the other wire formats are accepted too.
        {R"("Mon, 01 Jan 2024 00:00:00 GMT")", jan1_2024 * s_ns},
        {R"("1704067200")", jan1_2024 * s_ns},
    };
    for (auto const& r : rows) {
        BOOST_TEST_CONTEXT("createTime: " << r.text)
        {
            auto d = decode<crml::audience_model_summary>(
                R"({"audienceModelArn":"a","createTime":)" + r.text +
                R"(,"name":"n","status":"ACTIVE","trainingDatasetArn":"t","updateTime":0})");
            BOOST_TEST(!d.ec);
            BOOST_TEST(d.diag.message == "");
            BOOST_TEST(ns(d.value.create_time) == r.nanos);
        }
    }
}

BOOST_AUTO_TEST_CASE(unknown_members_are_ignored)
{
    std::string const known = R"("message":"m","statusCode":"c")";
    std::vector<std::string> const extras = {
        R"("u":1)", R"("u":-1.5e300)", R"("u":18446744073709551616)", R"("u":"s")", R"("u":true)",
        R"("u":false)", R"("u":null)", R"("u":{})", R"("u":[])", R"("u":{"message":"not me","a":[1,{"b":[null]}]})",
        R"("u":[[],[[]],{"statusCode":"no"}])", R"("message2":"x")", R"("Message":"case matters")",
        R"("u":"\u00e9\ud83d\ude00\n")", R"("u\u00e9":{"x":1})",
    };
    for (auto const& e : extras) {
        for (int where = 0; where < 3; ++where) {
            std::string json = where == 0 ? "{" + e + "," + known + "}"
                             : where == 1 ? R"({"message":"m",)" + e + R"(,"statusCode":"c"})"
                                          : "{" + known + "," + e + "}";
            BOOST_TEST_CONTEXT(json)
            {
                auto r = must_decode<crml::status_details>(json);
                BOOST_TEST_REQUIRE(r.message.has_value());
                BOOST_TEST(*r.message == "m");
                BOOST_TEST_REQUIRE(r.status_code.has_value());
                BOOST_TEST(*r.status_code == "c");
            }
        }
    }

    // An unknown member inside a known nested structure, and in a list entry.
    auto p = must_decode<crml::list_audience_models_response>(
        R"({"audienceModels":[{"x":{"y":[1]},"audienceModelArn":"a","createTime":0,"name":"n","status":"ACTIVE",)"
        R"("trainingDatasetArn":"t","updateTime":0,"z":[{"name":"other"}]}],"w":[]})");
    BOOST_TEST_REQUIRE(p.audience_models.size() == 1u);
    BOOST_TEST(p.audience_models[0].name == "n");
}

BOOST_AUTO_TEST_CASE(deeply_nested_unknown_subtree)
{
    // The reader allows detail::max_json_depth (64) nested containers,
    // the top-level object included: an unknown subtree may use the other 63.
    static_assert(crml::detail::max_json_depth == 64);
    auto nested = [](std::size_t levels) {
        std::string s;
        for (std::size_t i = 0; i < levels; ++i) s += (i % 2) ? R"({"k":)" : "[";
        s += "1";
        for (std::size_t i = levels; i-- > 0;) s += (i % 2) ? "}" : "]";
        return s;
    };
    std::string const deepest_ok = R"({"message":"m","unknown":)" + nested(63) + R"(,"statusCode":"c"})";
    auto r = must_decode<crml::status_details>(deepest_ok);
    BOOST_TEST_REQUIRE(r.status_code.has_value());
    BOOST_TEST(*r.status_code == "c");

    expect_error<crml::status_details>(R"({"message":"m","unknown":)" + nested(64) + R"(,"statusCode":"c"})", "",
                                       "too deep");
    // The same inside a known nested structure.
    expect_error<crml::get_audience_model_response>(R"({"statusDetails":{"unknown":)" + nested(63) + "}}",
                                                    "statusDetails", "too deep");
}

BOOST_AUTO_TEST_CASE(null_means_absent)
{
    auto r = must_decode<crml::get_audience_model_response>(
        R"({"audienceModelArn":"a","createTime":0,"description":null,"kmsKeyArn":null,"name":"n","status":"ACTIVE",)"
        R"("statusDetails":null,"tags":null,"trainingDataEndTime":null,"trainingDataStartTime":null,)"
        R"("trainingDatasetArn":"t","updateTime":0})");
    BOOST_TEST(!r.description.has_value());
    BOOST_TEST(!r.kms_key_arn.has_value());
    BOOST_TEST(!r.status_details.has_value());
    BOOST_TEST(!r.tags.has_value());
    BOOST_TEST(!r.training_data_end_time.has_value());
    BOOST_TEST(!r.training_data_start_time.has_value());

    auto s = must_decode<crml::status_details>(R"({"message":null,"statusCode":null})");
    BOOST_TEST(!s.message.has_value());
    BOOST_TEST(!s.status_code.has_value());

    // Null entries of lists and maps are dropped.
    auto c = must_decode<crml::list_tags_for_resource_response>(R"({"tags":{"a":"1","b":null,"c":"3"}})");
    BOOST_TEST(c.tags.size() == 2u);
    BOOST_TEST(c.tags.count("b") == 0u);
}

BOOST_AUTO_TEST_CASE(null_required_member_is_missing)
{
    std::string const rest = R"("createTime":0,"status":"ACTIVE","trainingDatasetArn":"t","updateTime":0)";
    expect_error<crml::get_audience_model_response>(R"({"audienceModelArn":"a","name":null,)" + rest + "}", "name",
                                                    "missing required member");
    expect_error<crml::list_audience_models_response>(R"({"audienceModels":null})", "audienceModels",
                                                      "missing required member");
    expect_error<crml::list_audience_models_response>(
        R"({"audienceModels":[{"audienceModelArn":"a","name":"n",)" + rest + R"(},{"audienceModelArn":"a","name":null,)" +
            rest + "}]}",
        "audienceModels[1].name", "missing required member");
    // Nested required structure set to null.
    expect_error<crml::relevance_metric>(R"({"audienceSize":null,"score":1})", "audienceSize", "missing required member");

    // Null list entries are dropped, but the path names the entry's position
    // in the document. The first required member missing is reported: the
    // current model declares createTime first.
    expect_error<crml::list_audience_models_response>(R"({"audienceModels":[null,null,{"name":"n"}]})",
                                                      "audienceModels[2].createTime", "missing required member");
}

BOOST_AUTO_TEST_CASE(unknown_enum_value_is_kept)
{
    auto r = must_decode<crml::audience_model_summary>(
        R"({"audienceModelArn":"a","createTime":0,"name":"n","status":"SOME_FUTURE_STATE","trainingDatasetArn":"t","updateTime":0})");
    BOOST_TEST(r.status.value() == "SOME_FUTURE_STATE");
    BOOST_TEST(!r.status.is_known());

    auto g = must_decode<crml::get_configured_audience_model_response>(
        R"({"audienceModelArn":"a","configuredAudienceModelArn":"c","createTime":0,"name":"n",)"
        R"("outputConfig":{"destination":{"s3Destination":{"s3Uri":"s3://b"}},"roleArn":"r"},)"
        R"("sharedAudienceMetrics":["ALL","SOMETHING_NEW"],"status":"ACTIVE","updateTime":0,)"
        R"("childResourceTagOnCreatePolicy":"maybe"})");
    BOOST_TEST_REQUIRE(g.shared_audience_metrics.size() == 2u);
    BOOST_TEST(g.shared_audience_metrics[0].is_known());
    BOOST_TEST(g.shared_audience_metrics[1].value() == "SOMETHING_NEW");
    BOOST_TEST_REQUIRE(g.child_resource_tag_on_create_policy.has_value());
    BOOST_TEST(g.child_resource_tag_on_create_policy->value() == "maybe");
}

BOOST_AUTO_TEST_CASE(empty_and_whitespace_bodies)
{
    for (std::string_view body : {"", " ", "\r\n\t ", "\n\n\n"}) {
        BOOST_TEST_CONTEXT("body: \"" << body << "\"")
        {
            // Shapes with no required members: an empty object.
            auto s = must_decode<crml::status_details>(body);
            BOOST_TEST(!s.message.has_value());
            must_decode<crml::delete_audience_model_response>(body);
            must_decode<crml::start_audience_export_job_response>(body);
            // ListAudienceModels requires audienceModels.
            expect_error<crml::list_audience_models_response>(body, "audienceModels", "missing required member");
        }
    }
    must_decode<crml::status_details>("{}");
    must_decode<crml::status_details>(" \n{ }\n ");
    // A form feed is not JSON whitespace.
    expect_error<crml::status_details>("\f", "", "invalid JSON");
}

BOOST_AUTO_TEST_CASE(key_order_does_not_matter)
{
    auto const a = must_decode<crml::get_audience_model_response>(full_audience_model);
    auto const b = must_decode<crml::get_audience_model_response>(
        R"({"updateTime":1704067200.5,"trainingDatasetArn":")" + dataset_arn +
        R"(","trainingDataStartTime":"2023-01-01T02:00:00+02:00","trainingDataEndTime":"2023-12-31T23:59:59.999Z",)"
        R"("tags":{"env":"prod","team":"ads"},"statusDetails":{"statusCode":"OK","message":"Training finished"},)"
        R"("status":"ACTIVE","name":"spring-model","kmsKeyArn":")" + kms_arn +
        R"(","description":"Lookalikes for the \"spring\" campaign\nsecond line","createTime":"2024-01-01T00:00:00Z",)"
        R"("audienceModelArn":")" + model_arn + R"("})");
    BOOST_TEST((a == b));
}

BOOST_AUTO_TEST_CASE(duplicate_keys_last_wins)
{
    auto s = must_decode<crml::status_details>(R"({"message":"first","message":"second"})");
    BOOST_TEST(*s.message == "second");

    auto l = must_decode<crml::get_configured_audience_model_response>(
        R"({"audienceModelArn":"a","configuredAudienceModelArn":"c","createTime":0,"name":"n",)"
        R"("outputConfig":{"destination":{"s3Destination":{"s3Uri":"s3://b"}},"roleArn":"r"},)"
        R"("sharedAudienceMetrics":["ALL","NONE"],"status":"ACTIVE","updateTime":0,)"
        R"("sharedAudienceMetrics":["NONE"],"minMatchingSeedSize":30,"minMatchingSeedSize":40,)"
        R"("tags":{"a":"1","b":"2"},"tags":{"c":"3","c":"4"}})");
    BOOST_TEST_REQUIRE(l.shared_audience_metrics.size() == 1u);
    BOOST_TEST(l.shared_audience_metrics[0].value() == "NONE");
    BOOST_TEST(*l.min_matching_seed_size == 40);
    BOOST_TEST_REQUIRE(l.tags.has_value());
    BOOST_TEST(l.tags->size() == 1u);
    BOOST_TEST(l.tags->at("c") == "4");

    auto t = must_decode<crml::audience_model_summary>(
        R"({"audienceModelArn":"a","createTime":0,"name":"n","status":"ACTIVE","trainingDatasetArn":"t","updateTime":0,)"
        R"("createTime":"2024-01-01T00:00:00Z","status":"DELETE_PENDING"})");
    BOOST_TEST(ns(t.create_time) == jan1_2024 * s_ns);
    BOOST_TEST(t.status.value() == "DELETE_PENDING");

    // A repeated structure member replaces the earlier one as a whole.
    // LIBRARY BUG (json_read.ipp, on_object_begin): lists and maps are cleared
    // when repeated, structures are not, so the two objects are merged and
    // statusCode from the first one survives.
    auto g = must_decode<crml::get_audience_model_response>(
        R"({"audienceModelArn":"a","createTime":0,"name":"n","status":"ACTIVE","trainingDatasetArn":"t","updateTime":0,)"
        R"("statusDetails":{"message":"old","statusCode":"OLD"},"statusDetails":{"message":"new"}})");
    BOOST_TEST_REQUIRE(g.status_details.has_value());
    BOOST_TEST(*g.status_details->message == "new");
    BOOST_TEST(!g.status_details->status_code.has_value());  // fails: "OLD" is kept

    // A later null for a member that had a value makes it absent; for a
    // required member that means missing.
    auto o = must_decode<crml::status_details>(R"({"message":"m","message":null})");
    BOOST_TEST(!o.message.has_value());
    // LIBRARY BUG (json_read.ipp, on_null): a null map value is ignored, so
    // the earlier value of a repeated key survives instead of the entry
    // being dropped.
    auto m = must_decode<crml::list_tags_for_resource_response>(R"({"tags":{"a":"1","b":"2","a":null}})");
    BOOST_TEST(m.tags.count("a") == 0u);  // fails: "a" is still "1"
    BOOST_TEST(m.tags.size() == 1u);
    // LIBRARY BUG (json_read.ipp, on_null): the member's "seen" bit stays set,
    // so the required name is silently left as "" instead of reported missing.
    expect_error<crml::audience_model_summary>(
        R"({"audienceModelArn":"a","createTime":0,"name":"n","status":"ACTIVE","trainingDatasetArn":"t","updateTime":0,)"
        R"("name":null})",
        "name", "missing required member");
}

BOOST_AUTO_TEST_CASE(escaped_strings)
{
    struct row {
        std::string_view json;
        std::string_view utf8;
    };
    row const rows[] = {
        {R"("\u00e9")", "\xC3\xA9"},
        {R"("caf\u00E9")", "caf\xC3\xA9"},
        {R"("\ud83d\ude00")", "\xF0\x9F\x98\x80"},
        {R"("\uD83D\uDE00!")", "\xF0\x9F\x98\x80!"},
        {R"("a\nb\tc\rd")", "a\nb\tc\rd"},
        {R"("\"quoted\"")", "\"quoted\""},
        {R"("back\\slash \/ \b\f")", "back\\slash / \b\f"},
        {R"("\u0000")", std::string_view("\0", 1)},
        {R"("\u20ac\u0041")", "\xE2\x82\xAC" "A"},
        {"\"\xC3\xA9\xF0\x9F\x98\x80\"", "\xC3\xA9\xF0\x9F\x98\x80"},  // raw UTF-8
        {R"("")", ""},
    };
    for (auto const& r : rows) {
        BOOST_TEST_CONTEXT(r.json)
        {
            auto s = must_decode<crml::status_details>(R"({"message":)" + std::string(r.json) + "}");
            BOOST_TEST_REQUIRE(s.message.has_value());
            BOOST_TEST(*s.message == r.utf8);
        }
    }

    // Escaped keys name the same members.
    auto k = must_decode<crml::status_details>(R"({"m\u0065ssage":"x","\u0073tatusCod\u0065":"y"})");
    BOOST_TEST_REQUIRE(k.message.has_value());
    BOOST_TEST(*k.message == "x");
    BOOST_TEST_REQUIRE(k.status_code.has_value());
    BOOST_TEST(*k.status_code == "y");

    // Long escaped strings reach the handler in several pieces (Boost.JSON
    // flushes its 4 KiB buffer): known members, list entries, map keys and
    // values, and skipped members must all be reassembled.
    std::string big_json, big_utf8;
    for (int i = 0; i < 5000; ++i) {
        big_json += "\\u00e9\\n";
        big_utf8 += "\xC3\xA9\n";
    }
    std::string const q = "\"" + big_json + "\"";
    auto b = must_decode<crml::status_details>(R"({"unknown":)" + q + R"(,"message":)" + q + R"(,)" + q +
                                               R"(:)" + q + R"(,"statusCode":"c"})");
    BOOST_TEST_REQUIRE(b.message.has_value());
    BOOST_TEST(b.message->size() == big_utf8.size());
    BOOST_TEST((*b.message == big_utf8));
    BOOST_TEST(*b.status_code == "c");

    auto m = must_decode<crml::list_tags_for_resource_response>(R"({"tags":{)" + q + ":" + q + R"(,"k":"v"}})");
    BOOST_TEST(m.tags.size() == 2u);
    BOOST_TEST((m.tags[big_utf8] == big_utf8));

    auto g = must_decode<crml::get_configured_audience_model_response>(
        R"({"audienceModelArn":"a","configuredAudienceModelArn":"c","createTime":0,"name":"n",)"
        R"("outputConfig":{"destination":{"s3Destination":{"s3Uri":"s3://b"}},"roleArn":"r"},)"
        R"("sharedAudienceMetrics":[)" + q + "," + q + R"(],"status":"ACTIVE","updateTime":0})");
    BOOST_TEST_REQUIRE(g.shared_audience_metrics.size() == 2u);  // one entry per JSON string
    BOOST_TEST((g.shared_audience_metrics[1].value() == big_utf8));

    expect_error<crml::audience_model_summary>(R"({"createTime":)" + q + "}", "createTime", "malformed timestamp");
}

BOOST_AUTO_TEST_CASE(hundred_item_page)
{
    auto r = must_decode<crml::list_audience_models_response>(page_json(100));
    BOOST_TEST_REQUIRE(r.audience_models.size() == 100u);
    for (int i = 0; i < 100; ++i) {
        auto const& m = r.audience_models[static_cast<std::size_t>(i)];
        BOOST_TEST_CONTEXT("item " << i)
        {
            BOOST_TEST(m.audience_model_arn == model_arn + std::to_string(i));
            BOOST_TEST(m.name == "model-" + std::to_string(i));
            BOOST_TEST(ns(m.create_time) == (jan1_2024 + i) * s_ns);
            BOOST_TEST(ns(m.update_time) == jan1_2024 * s_ns);
            BOOST_TEST_REQUIRE(m.description.has_value());
            BOOST_TEST(*m.description == "model " + std::to_string(i));
            BOOST_TEST(m.status.value() == "ACTIVE");
            BOOST_TEST(m.training_dataset_arn == dataset_arn);
        }
    }
    BOOST_TEST_REQUIRE(r.next_token.has_value());
    BOOST_TEST(*r.next_token == "tok");
}

BOOST_AUTO_TEST_CASE(numbers_that_fit)
{
    using R = crml::get_configured_audience_model_response;
    auto mm = [](std::string_view number) { return std::string(R"("minMatchingSeedSize":)") + std::string(number); };
    auto value_of = [&](std::string_view number) {
        auto r = must_decode<R>(gcam_json(mm(number)));
        return r.min_matching_seed_size.value_or(-7);
    };
    BOOST_TEST(value_of("2147483647") == 2147483647);
    BOOST_TEST(value_of("-2147483648") == -2147483647 - 1);
    BOOST_TEST(value_of("0") == 0);
    BOOST_TEST(value_of("-0") == 0);
    // Integral values written with a fraction or an exponent are accepted.
    BOOST_TEST(value_of("25.0") == 25);
    BOOST_TEST(value_of("2.5e1") == 25);
    BOOST_TEST(value_of("1E3") == 1000);
    BOOST_TEST(value_of("-0.0") == 0);

    auto score = [](std::string_view v) {
        auto r = must_decode<crml::relevance_metric>(R"({"audienceSize":{"type":"ABSOLUTE","value":1},"score":)" +
                                                     std::string(v) + "}");
        return r.score.value_or(-7);
    };
    BOOST_TEST(score("0.1") == 0.1);
    BOOST_TEST(score("-2") == -2.0);
    BOOST_TEST(score("18446744073709551615") == 18446744073709551615.0);
    BOOST_TEST(score("1e308") == 1e308);
    BOOST_TEST(std::isnan(score(R"("NaN")")));
    BOOST_TEST(score(R"("Infinity")") == std::numeric_limits<double>::infinity());
    BOOST_TEST(score(R"("-Infinity")") == -std::numeric_limits<double>::infinity());
    // Documented behaviour: a literal beyond the double range reads as
    // infinity (as Java's Double.parseDouble does), not as an error.
    BOOST_TEST(score("1e400") == std::numeric_limits<double>::infinity());
    BOOST_TEST(score("-1e400") == -std::numeric_limits<double>::infinity());
}

// ------------------------------------------------------------------ malformed

BOOST_AUTO_TEST_CASE(wrong_types)
{
    using GAM = crml::get_audience_model_response;
    using GCAM = crml::get_configured_audience_model_response;
    using GAGJ = crml::get_audience_generation_job_response;
    using LAM = crml::list_audience_models_response;

    // string where an integer is expected
    expect_error<GCAM>(R"({"minMatchingSeedSize":"25"})", "minMatchingSeedSize", "expected an integer, got a string");
    expect_error<GCAM>(R"({"audienceSizeConfig":{"audienceSizeBins":[1,"2"]}})", "audienceSizeConfig.audienceSizeBins[1]",
                       "expected an integer, got a string");
    expect_error<GCAM>(R"({"minMatchingSeedSize":true})", "minMatchingSeedSize", "expected an integer, got a boolean");
    expect_error<GCAM>(R"({"minMatchingSeedSize":{}})", "minMatchingSeedSize", "expected an integer, got an object");
    expect_error<GCAM>(R"({"minMatchingSeedSize":[25]})", "minMatchingSeedSize", "expected an integer, got an array");
    // object where a string is expected
    expect_error<GAM>(R"({"name":{}})", "name", "expected a string, got an object");
    expect_error<GAM>(R"({"name":{"a":"b"}})", "name", "expected a string, got an object");
    expect_error<GAM>(R"({"name":["n"]})", "name", "expected a string, got an array");
    expect_error<GAM>(R"({"name":42})", "name", "expected a string, got a number");
    expect_error<GAM>(R"({"name":-4.5})", "name", "expected a string, got a number");
    expect_error<GAM>(R"({"name":false})", "name", "expected a string, got a boolean");
    expect_error<GAM>(R"({"status":1})", "status", "expected a string, got a number");
    expect_error<GAM>(R"({"tags":{"k":1}})", "tags[k]", "expected a string, got a number");
    // array where an object is expected
    expect_error<GAM>(R"({"statusDetails":[]})", "statusDetails", "expected an object, got an array");
    expect_error<GAM>(R"({"statusDetails":"x"})", "statusDetails", "expected an object, got a string");
    expect_error<GAM>(R"({"statusDetails":7})", "statusDetails", "expected an object, got a number");
    expect_error<GAM>(R"({"tags":[]})", "tags", "expected an object, got an array");
    expect_error<LAM>(R"({"audienceModels":[[]]})", "audienceModels[0]", "expected an object, got an array");
    expect_error<LAM>(R"({"audienceModels":{}})", "audienceModels", "expected an array, got an object");
    expect_error<LAM>(R"({"audienceModels":"x"})", "audienceModels", "expected an array, got a string");
    // number where a boolean is expected
    expect_error<GAGJ>(R"({"includeSeedInOutput":1})", "includeSeedInOutput", "expected a boolean, got a number");
    expect_error<GAGJ>(R"({"includeSeedInOutput":0.0})", "includeSeedInOutput", "expected a boolean, got a number");
    expect_error<GAGJ>(R"({"includeSeedInOutput":"true"})", "includeSeedInOutput", "expected a boolean, got a string");
    expect_error<GAGJ>(R"({"metrics":{"recallMetric":"high"}})", "metrics.recallMetric",
                       "expected a number, got the string \"high\"");
    expect_error<GAGJ>(R"({"metrics":{"recallMetric":true}})", "metrics.recallMetric", "expected a number, got a boolean");
    // timestamps
    expect_error<GAM>(R"({"createTime":"not a date"})", "createTime", "malformed timestamp \"not a date\"");
    expect_error<GAM>(R"({"createTime":""})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":"2024-01-01"})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":"2024-01-01T00:00:00"})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":"2024-13-01T00:00:00Z"})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":"2024-02-30T00:00:00Z"})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":"2024-01-01T00:00:00+24:00"})", "createTime", "malformed timestamp");
    expect_error<GAM>(R"({"trainingDataEndTime":"soon"})", "trainingDataEndTime", "malformed timestamp");
    expect_error<GAM>(R"({"createTime":true})", "createTime", "expected a timestamp, got a boolean");
    expect_error<GAM>(R"({"createTime":{}})", "createTime", "expected a timestamp, got an object");
    expect_error<GAM>(R"({"createTime":[0]})", "createTime", "expected a timestamp, got an array");
    expect_error<GAM>(R"({"createTime":1e20})", "createTime", "timestamp out of range");
    expect_error<GAM>(R"({"createTime":-1e400})", "createTime", "timestamp out of range");
    // deep inside a list entry
    std::string page = page_json(3);
    page.insert(page.rfind("}]"), R"(,"name":7)");
    expect_error<LAM>(page, "audienceModels[2].name", "expected a string, got a number");
}

BOOST_AUTO_TEST_CASE(missing_required_members)
{
    expect_error<crml::list_audience_models_response>(page_json(5, 2), "audienceModels[2].name",
                                                      "missing required member");
    expect_error<crml::list_audience_models_response>(page_json(5, 0), "audienceModels[0].name",
                                                      "missing required member");
    expect_error<crml::list_audience_models_response>(R"({"nextToken":"t"})", "audienceModels", "missing required member");
    expect_error<crml::list_audience_models_response>("{}", "audienceModels", "missing required member");
    expect_error<crml::get_audience_model_response>("{}", "createTime", "missing required member");
    expect_error<crml::relevance_metric>(R"({"audienceSize":{"type":"ABSOLUTE"}})", "audienceSize.value",
                                         "missing required member");
    expect_error<crml::get_configured_audience_model_response>(
        R"({"audienceModelArn":"a","configuredAudienceModelArn":"c","createTime":0,"name":"n",)"
        R"("outputConfig":{"destination":{"s3Destination":{}},"roleArn":"r"},)"
        R"("sharedAudienceMetrics":[],"status":"ACTIVE","updateTime":0})",
        "outputConfig.destination.s3Destination.s3Uri", "missing required member");
    // Present but empty is not missing.
    auto r = must_decode<crml::list_audience_models_response>(R"({"audienceModels":[]})");
    BOOST_TEST(r.audience_models.empty());
}

BOOST_AUTO_TEST_CASE(unions)
{
    using GMIC = crml::get_ml_input_channel_response;
    std::string const head = R"({"membershipIdentifier":"m","collaborationIdentifier":"c","mlInputChannelArn":"a",)"
                             R"("name":"n","configuredModelAlgorithmAssociations":[],"status":"ACTIVE",)"
                             R"("retentionInDays":7,"createTime":0,"updateTime":0,"inputChannel":{"roleArn":"r",)";
    auto known = must_decode<GMIC>(head + R"("dataSource":{"protectedQueryInputParameters":)"
                                          R"({"sqlParameters":{"queryString":"SELECT 1"},)"
                                          R"("computeConfiguration":{"worker":{"type":"CR.1X","number":4}}}}}})");
    auto const& params = known.input_channel.data_source.protected_query_input_parameters;
    BOOST_TEST_REQUIRE(params.has_value());
    BOOST_TEST(*params->sql_parameters.query_string == "SELECT 1");
    BOOST_TEST_REQUIRE(params->compute_configuration.has_value());
    BOOST_TEST(*params->compute_configuration->worker->number == 4);

    // A member this version does not know is skipped, not an error; the union
    // then holds nothing (or the known member beside it).
    auto future = must_decode<GMIC>(head + R"("dataSource":{"someFutureSource":{"x":[1,{"y":2}]}}}})");
    BOOST_TEST(!future.input_channel.data_source.protected_query_input_parameters.has_value());
    auto both = must_decode<GMIC>(head + R"("dataSource":{"someFutureSource":1,)"
                                         R"("protectedQueryInputParameters":{"sqlParameters":{}}}}})");
    BOOST_TEST(both.input_channel.data_source.protected_query_input_parameters.has_value());

    // Two known members: refused, at the second, naming the first.
    using UIO = restjson::union_input_output;
    expect_error<UIO>(R"({"contents":{"stringValue":"a","numberValue":1}})", "contents.numberValue",
                      "a union holds one member, but \"stringValue\" is set too");
    // null is absent, in unions too.
    auto one = must_decode<UIO>(R"({"contents":{"stringValue":null,"numberValue":1}})");
    BOOST_TEST(!one.contents->string_value.has_value());
    BOOST_TEST(*one.contents->number_value == 1);
    auto none = must_decode<UIO>(R"({"contents":{}})");
    BOOST_TEST(none.contents.has_value());

    // Written back: the one member set, nothing else.
    BOOST_TEST(crml::to_json(one) == R"({"contents":{"numberValue":1}})");
}

BOOST_AUTO_TEST_CASE(longs_are_int64)
{
    using GMIC = crml::get_ml_input_channel_response;
    auto records = [](std::string_view n) {
        return R"({"membershipIdentifier":"m","collaborationIdentifier":"c","mlInputChannelArn":"a","name":"n",)"
               R"("configuredModelAlgorithmAssociations":[],"status":"ACTIVE","retentionInDays":7,"createTime":0,)"
               R"("updateTime":0,"inputChannel":{"roleArn":"r","dataSource":{}},"numberOfRecords":)" +
               std::string(n) + "}";
    };
    BOOST_TEST(*must_decode<GMIC>(records("100000000000")).number_of_records == 100000000000);
    BOOST_TEST(*must_decode<GMIC>(records("9223372036854775807")).number_of_records ==
               std::numeric_limits<std::int64_t>::max());
    BOOST_TEST(*must_decode<GMIC>(records("-9223372036854775808")).number_of_records ==
               std::numeric_limits<std::int64_t>::min());
    BOOST_TEST(*must_decode<GMIC>(records("1e3")).number_of_records == 1000);
    expect_error<GMIC>(records("9223372036854775808"), "numberOfRecords", "integer out of range");
    expect_error<GMIC>(records("1.5"), "numberOfRecords", "expected an integer, got a fraction");
}

BOOST_AUTO_TEST_CASE(huge_numbers_into_int32)
{
    using GCAM = crml::get_configured_audience_model_response;
    expect_error<GCAM>(R"({"minMatchingSeedSize":2147483648})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":-2147483649})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":9223372036854775807})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":-9223372036854775808})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":18446744073709551615})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":2147483648.0})", "minMatchingSeedSize", "integer out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":1.5})", "minMatchingSeedSize", "expected an integer");
    expect_error<GCAM>(R"({"minMatchingSeedSize":-0.5})", "minMatchingSeedSize", "expected an integer");
    expect_error<GCAM>(R"({"minMatchingSeedSize":1e-3})", "minMatchingSeedSize", "expected an integer");
    expect_error<GCAM>(R"({"audienceSizeConfig":{"audienceSizeBins":[1,2147483648]}})",
                       "audienceSizeConfig.audienceSizeBins[1]", "integer out of range");
    expect_error<crml::relevance_metric>(R"({"audienceSize":{"type":"ABSOLUTE","value":-2147483649}})",
                                         "audienceSize.value", "integer out of range");

    // These are rejected, but with a misleading message.
    // LIBRARY BUG (json_read.ipp, on_double): an integer literal beyond the
    // uint64 range, or one that overflows double, arrives as a double and
    // is reported as "expected an integer" instead of as out of range.
    expect_error<GCAM>(R"({"minMatchingSeedSize":99999999999999999999})", "minMatchingSeedSize", "out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":1e400})", "minMatchingSeedSize", "out of range");
    expect_error<GCAM>(R"({"minMatchingSeedSize":-1e400})", "minMatchingSeedSize", "out of range");
    // What is reported today, at least an error at the right place:
    for (std::string_view n : {"99999999999999999999", "1e400", "-1e400", "1e19"}) {
        auto r = decode<GCAM>(R"({"minMatchingSeedSize":)" + std::string(n) + "}");
        BOOST_TEST(r.ec == unparsable);
        BOOST_TEST(r.diag.path == "minMatchingSeedSize");
    }
}

BOOST_AUTO_TEST_CASE(invalid_utf8_in_strings)
{
    // Boost.JSON validates UTF-8 (allow_invalid_utf8 is off) and rejects
    // lone surrogate escapes: each is a clean syntax error at the member.
    struct row {
        std::string text;     // the JSON string, quotes included
        std::string message;  // the diagnostic message, or a part of it
    };
    std::vector<row> const rows = {
        {"\"\xff\"", "invalid JSON at byte 12: syntax error"},
        {"\"a\xfe\"", "invalid JSON at byte 13: syntax error"},
        {"\"\xc3\"", "invalid JSON at byte 12: syntax error"},              // truncated 2-byte sequence
        {"\"\xe2\x82\"", "invalid JSON at byte 12: syntax error"},          // truncated 3-byte sequence
        {"\"\xf0\x9f\x98\"", "invalid JSON at byte 12: syntax error"},      // truncated 4-byte sequence
        {"\"\xc0\xaf\"", "invalid JSON at byte 12: syntax error"},          // overlong '/'
        {"\"\xe0\x80\xaf\"", "invalid JSON at byte 12: syntax error"},      // overlong '/'
        {"\"\xed\xa0\x80\"", "invalid JSON at byte 12: syntax error"},      // encoded surrogate U+D800
        {"\"\xf4\x90\x80\x80\"", "invalid JSON at byte 12: syntax error"},  // beyond U+10FFFF
        {"\"\x80\"", "invalid JSON at byte 12: syntax error"},              // lone continuation byte
        {"\"a\nb\"", "invalid JSON at byte 13: syntax error"},              // raw control character
        {R"("\x41")", "invalid JSON at byte 13: syntax error"},             // not a JSON escape
        {R"("\u00g0")", "invalid JSON at byte 16: expected hex digit"},
        // Lone surrogate escapes: Boost.JSON 1.81 has no allow_invalid_utf16
        // and rejects them; the reported offset and wording depend on what
        // follows, so only the kind of error is pinned here.
        {R"("\ud800")", "syntax error"},                        // lone high surrogate
        {R"("\ud800x")", "syntax error"},
        {R"("\ud800\u0041")", "illegal trailing surrogate"},
        {R"("\udc00")", "surrogate"},                           // lone low surrogate
        {R"("\ude00\ud83d")", "illegal leading surrogate"},     // reversed pair
    };
    for (auto const& r : rows) {
        BOOST_TEST_CONTEXT("string: " << r.text)
        {
            auto d = decode<crml::status_details>(R"({"message":)" + r.text + "}");
            BOOST_TEST(d.ec == unparsable);
            BOOST_TEST(d.diag.path == "message");
            BOOST_TEST_INFO("message: " << d.diag.message);
            BOOST_TEST(d.diag.message.find("invalid JSON at byte ") == 0u);
            BOOST_TEST(d.diag.message.find(r.message) != std::string::npos);
            // The same in an unknown member (path: the document) and in a key.
            auto u = decode<crml::status_details>(R"({"other":)" + r.text + "}");
            BOOST_TEST(u.ec == unparsable);
            BOOST_TEST(u.diag.path == "");
            BOOST_TEST(u.diag.message.find("invalid JSON at byte ") == 0u);
            auto k = decode<crml::status_details>("{" + r.text + R"(:"v"})");
            BOOST_TEST(k.ec == unparsable);
            BOOST_TEST(k.diag.message.find("invalid JSON at byte ") == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(nesting_bombs)
{
    std::string const open(10000, '['), close(10000, ']');
    std::string const objects = [] {
        std::string s;
        for (int i = 0; i < 10000; ++i) s += R"({"a":)";
        return s;
    }();
    // Inside an unknown member: Boost.JSON's depth limit stops the parse.
    expect_error<crml::status_details>(R"({"x":)" + open, "", "too deep");
    expect_error<crml::status_details>(R"({"x":)" + open + close + "}", "", "too deep");
    expect_error<crml::status_details>(R"({"x":)" + objects, "", "too deep");
    expect_error<crml::get_audience_model_response>(R"({"statusDetails":{"x":)" + open, "statusDetails", "too deep");
    // Inside known members: the first container of the wrong kind stops it.
    expect_error<crml::list_audience_models_response>(R"({"audienceModels":)" + open, "audienceModels[0]",
                                                       "expected an object, got an array");
    expect_error<crml::list_audience_models_response>(R"({"audienceModels":)" + open + close + "}", "audienceModels[0]",
                                                      "expected an object, got an array");
    expect_error<crml::get_audience_model_response>(R"({"statusDetails":{"message":)" + open, "statusDetails.message",
                                                    "expected a string, got an array");
    expect_error<crml::get_audience_model_response>(R"({"tags":{"k":)" + objects, "tags[k]",
                                                    "expected a string, got an object");
    // At the top level.
    expect_error<crml::status_details>(open, "", "expected a JSON object at the top level, got an array");
    expect_error<crml::status_details>(objects, "", "too deep");
    // A map member opened many times: "{{" is a syntax error (keys are strings).
    // LIBRARY BUG (json_read.ipp, path()): a map frame with no key read yet
    // prints an empty subscript, "tags[]", where a list frame with no entry
    // prints nothing; the path should be "tags".
    expect_error<crml::get_audience_model_response>(R"({"tags":)" + std::string(10000, '{'), "tags", "syntax error");
}

BOOST_AUTO_TEST_CASE(top_level_must_be_an_object)
{
    using S = crml::status_details;
    expect_error<S>("[]", "", "expected a JSON object at the top level, got an array");
    expect_error<S>(R"([{"message":"m"}])", "", "expected a JSON object at the top level, got an array");
    expect_error<S>(R"("message")", "", "expected a JSON object at the top level, got a string");
    expect_error<S>(R"("")", "", "expected a JSON object at the top level, got a string");
    expect_error<S>("42", "", "expected a JSON object at the top level, got a number");
    expect_error<S>("-1.5e3", "", "expected a JSON object at the top level, got a number");
    expect_error<S>("null", "", "expected a JSON object at the top level, got null");
    expect_error<S>(" null ", "", "expected a JSON object at the top level, got null");

    // A top-level boolean must fail the same way.
    // LIBRARY BUG (json_read.ipp, on_bool): there is no `depth_ == 0` check,
    // so resolve() calls top() on an empty frame stack (frames_[depth_ - 1]
    // with depth_ == 0) and dereferences garbage: SIGSEGV. Run in a child
    // process so the crash fails this test only.
    for (char const* doc : {"true", "false", " true "}) {
        BOOST_TEST_CONTEXT("document: " << doc)
        {
            int status = in_child([doc] {
                S out;
                diagnostics d;
                auto ec = crml::from_json(doc, out, &d);
                bool ok = ec == unparsable && d.path.empty() &&
                          d.message == std::string("expected a JSON object at the top level, got a boolean");
                return ok ? 0 : 1;
            });
            BOOST_TEST(status == 0);  // fails: 139 (128 + SIGSEGV)
        }
    }
}

BOOST_AUTO_TEST_CASE(trailing_garbage)
{
    using S = crml::status_details;
    std::string const doc = R"({"message":"m"})";
    must_decode<S>(doc + " \n\t\r ");
    expect_error<S>(doc + "x", "", "invalid JSON at byte 15: extra data");
    expect_error<S>(doc + " x", "", "invalid JSON at byte 16: extra data");
    expect_error<S>(doc + "{}", "", "extra data");
    expect_error<S>(doc + doc, "", "extra data");
    expect_error<S>(doc + ",", "", "extra data");
    expect_error<S>(doc + "}", "", "extra data");
    expect_error<S>(doc + "null", "", "extra data");
    expect_error<S>(doc + std::string("\0", 1), "", "extra data");
}

BOOST_AUTO_TEST_CASE(comments_are_rejected)
{
    using S = crml::status_details;
    expect_error<S>(R"(/* c */ {"message":"m"})", "", "syntax error");
    expect_error<S>(R"(// c
{"message":"m"})", "", "syntax error");
    expect_error<S>(R"({"message":"m" /* c */})", "message", "syntax error");
    expect_error<S>(R"({"message": // c
"m"})", "message", "syntax error");
    expect_error<S>(R"({"message":"m"} // c)", "", "extra data");
    expect_error<S>(R"({"message":"m"} /* c */)", "", "extra data");
}

BOOST_AUTO_TEST_CASE(other_syntax_errors)
{
    using S = crml::status_details;
    for (std::string_view doc : std::initializer_list<std::string_view>{
             R"({"message":"m",})", R"({"message":"m" "statusCode":"c"})", R"({'message':'m'})",
             R"({message:"m"})", R"({"message"})", R"({"message":})", R"({"message"::"m"})", R"({,})",
             R"({"x":01})", R"({"x":+1})", R"({"x":.5})", R"({"x":1.})", R"({"x":1e})", R"({"x":-})",
             R"({"x":NaN})", R"({"x":Infinity})", R"({"x":tru})", R"({"x":nul})", R"({"x":[1,]})",
             R"({"x":[,1]})", R"({"x":{"a":1,}})", "\xEF\xBB\xBF{}", R"({"message":"m"])", R"({"x":[}})",
             "{\"message\":\"m\"\x01}", R"({"x":"unterminated})", std::string_view("\0{}", 3),
         }) {
        BOOST_TEST_CONTEXT("document: " << doc)
        {
            auto r = decode<S>(doc);
            BOOST_TEST(r.ec == unparsable);
            BOOST_TEST(r.diag.message.find("invalid JSON at byte ") == 0u);
        }
    }
}

BOOST_AUTO_TEST_CASE(truncated_at_every_byte)
{
    auto check = [](auto tag, std::string const& doc) {
        using T = decltype(tag);
        (void)tag;
        std::size_t failures_ok = 0;
        for (std::size_t cut = 0; cut < doc.size(); ++cut) {
            auto r = decode<T>(std::string_view(doc).substr(0, cut));
            bool ok = r.ec == unparsable && !r.diag.message.empty();
            if (!ok) BOOST_ERROR("cut at " << cut << " of " << doc.size() << ": " << r.ec.message() << ", path \""
                                           << r.diag.path << "\", message \"" << r.diag.message << "\"");
            else ++failures_ok;
        }
        BOOST_TEST(failures_ok == doc.size());
        must_decode<T>(doc);
    };
    check(crml::get_audience_model_response{}, full_audience_model);
    check(crml::get_audience_generation_job_response{}, full_generation_job);
    check(crml::list_audience_models_response{}, page_json(4));

    // A few cut points in detail.
    std::string const doc = full_generation_job;
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, 0), "createTime",
                                                             "missing required member");
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, 1), "", "invalid JSON at byte 1: incomplete JSON");
    auto at = [&](std::string_view needle) { return doc.find(needle); };
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, at("01234567-89ab") + 4), "collaborationId",
                                                             "incomplete JSON");
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, at("0.75") + 2), "metrics.recallMetric",
                                                             "syntax error");  // "0." cannot end a number
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, at("\\ud83d") + 3), "description",
                                                             "incomplete JSON");
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, at("true") + 2), "includeSeedInOutput",
                                                             "incomplete JSON");
    expect_error<crml::get_audience_generation_job_response>(doc.substr(0, doc.size() - 1), "updateTime",
                                                             "incomplete JSON");
}

// The decoder's parser is kept per thread and reused: a document that
// fails half-way (inside a skipped unknown member, mid-number, mid-key)
// leaves nothing behind that changes how the next one decodes.
BOOST_AUTO_TEST_CASE(a_failed_document_leaves_nothing_behind)
{
    auto const expected = must_decode<crml::get_audience_model_response>(full_audience_model);
    for (std::string const broken : {R"({"unknown":{"a":[1,[2,{"b":)", R"({"name":"x","metrics":[{"value":1.)",
                                     R"({"na)", R"({"tags":{"k":)", R"({"createTime":"not a time"})"}) {
        BOOST_TEST_CONTEXT(broken)
        {
            BOOST_TEST((decode<crml::get_audience_model_response>(broken).ec == unparsable));
            BOOST_TEST((must_decode<crml::get_audience_model_response>(full_audience_model) == expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(random_mutations)
{
    // 20,000 mutated documents: each must decode or fail cleanly (and, run
    // under ASan/UBSan, without reports). Fixed seed: reproducible.
    using T = crml::get_audience_generation_job_response;
    std::string const base = full_generation_job;
    std::mt19937 rng(20240101u);
    std::string_view const interesting = "{}[]\":,\\-+.eE0123456789tfnu \t\n";
    auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
    auto random_byte = [&]() -> char {
        if (pick(2) == 0) return interesting[pick(interesting.size())];
        return static_cast<char>(pick(256));
    };
    std::size_t decoded_ok = 0, rejected = 0, bad = 0;
    for (int iter = 0; iter < 20000; ++iter) {
        std::string doc = base;
        std::size_t const edits = 1 + pick(4);
        for (std::size_t e = 0; e < edits; ++e) {
            switch (pick(3)) {
            case 0:  // byte flip
                if (!doc.empty()) doc[pick(doc.size())] = random_byte();
                break;
            case 1:  // insertion
                doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(pick(doc.size() + 1)), random_byte());
                break;
            default:  // deletion
                if (!doc.empty()) doc.erase(pick(doc.size()), 1 + pick(3) * pick(2));
                break;
            }
        }
        auto r = decode<T>(doc);
        if (!r.ec) {
            ++decoded_ok;
            // What decoded must survive a round trip through to_json.
            auto again = decode<T>(crml::to_json(r.value));
            if (again.ec) {
                ++bad;
                BOOST_ERROR("re-decoding failed for mutation " << iter << ": " << again.diag.message);
            }
        } else if (r.ec == unparsable && !r.diag.message.empty()) {
            ++rejected;
        } else {
            ++bad;
            BOOST_ERROR("mutation " << iter << ": " << r.ec.message() << " / " << r.diag.message);
        }
    }
    BOOST_TEST_MESSAGE("random mutations: " << decoded_ok << " decoded, " << rejected << " rejected");
    BOOST_TEST(bad == 0u);
    BOOST_TEST(decoded_ok + rejected == 20000u);
    BOOST_TEST(decoded_ok > 0u);
    BOOST_TEST(rejected > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
