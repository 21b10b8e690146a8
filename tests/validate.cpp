// Client-side validation against the model's constraints: every kind of
// rule rejects with the right member path and message, and nothing the
// service accepts is rejected.

#include <cleanroomsml/model.hpp>
#include <cleanroomsml/validate.hpp>

#include "restjson1/model.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

// The suite below declares a namespace called "validate": call the library's
// function qualified.
namespace crml = cleanroomsml;

namespace {

using crml::client_errc;
using crml::diagnostics;
using crml::error_code;

error_code const invalid = crml::make_error_code(client_errc::invalid_request);

// Some UTF-8 code points.
constexpr std::string_view e_acute = "\xC3\xA9";            // U+00E9, 2 bytes
constexpr std::string_view euro = "\xE2\x82\xAC";           // U+20AC, 3 bytes
constexpr std::string_view cjk = "\xE4\xB8\xAD";            // U+4E2D, 3 bytes
constexpr std::string_view grinning = "\xF0\x9F\x98\x80";   // U+1F600, 4 bytes
constexpr std::string_view linear_b = "\xF0\x90\x80\x80";   // U+10000, 4 bytes
constexpr std::string_view last_cp = "\xF4\x8F\xBF\xBF";    // U+10FFFF, 4 bytes
constexpr std::string_view nbsp = "\xC2\xA0";               // U+00A0
constexpr std::string_view ideographic_space = "\xE3\x80\x80";  // U+3000

std::string repeat(std::string_view s, std::size_t n)
{
    std::string r;
    r.reserve(s.size() * n);
    for (std::size_t i = 0; i < n; ++i) r += s;
    return r;
}

std::string const account = "123456789012";
std::string const role_arn = "arn:aws:iam::" + account + ":role/cleanrooms-ml-access";
std::string const audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":audience-model/0f3c2a10-aaaa";
std::string const configured_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":configured-audience-model/c-1";
std::string const dataset_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":training-dataset/td-1";
std::string const job_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":audience-generation-job/j-1";

crml::create_configured_audience_model_request valid_ccam()
{
    crml::create_configured_audience_model_request r;
    r.audience_model_arn = audience_model_arn;
    r.audience_size_config = crml::audience_size_config{crml::audience_size_type{"ABSOLUTE"}, {1, 5000, 20000000}};
    r.child_resource_tag_on_create_policy = crml::tag_on_create_policy{"FROM_PARENT_RESOURCE"};
    r.description = "Lookalikes for the spring campaign";
    r.min_matching_seed_size = 500;
    r.name = "spring-configured";
    r.output_config.destination.s3_destination.s3_uri = "s3://bucket/prefix/";
    r.output_config.role_arn = role_arn;
    r.shared_audience_metrics = {crml::shared_audience_metrics{"ALL"}};
    r.tags = std::map<std::string, std::string>{{"team", "ads"}, {"env", "prod"}};
    return r;
}

crml::create_training_dataset_request valid_ctd()
{
    crml::create_training_dataset_request r;
    r.description = "Interactions of the last year";
    r.name = "interactions";
    r.role_arn = role_arn;
    r.tags = std::map<std::string, std::string>{{"team", "ads"}};
    crml::dataset ds;
    ds.type = crml::dataset_type{"INTERACTIONS"};
    ds.input_config.data_source.glue_data_source = crml::glue_data_source{.table_name = "user interactions", .database_name = "analytics_db", .catalog_id = account};
    ds.input_config.schema = {
        crml::column_schema{"user_id", {crml::column_type{"USER_ID"}}},
        crml::column_schema{"item id", {crml::column_type{"ITEM_ID"}}},
        crml::column_schema{"event-time", {crml::column_type{"TIMESTAMP"}}},
    };
    r.training_data = {ds};
    return r;
}

crml::start_audience_generation_job_request valid_sagj()
{
    crml::start_audience_generation_job_request r;
    r.collaboration_id = "01234567-89ab-cdef-0123-456789abcdef";
    r.configured_audience_model_arn = configured_arn;
    r.description = "first run";
    r.include_seed_in_output = false;
    r.name = "job-1";
    r.seed_audience.data_source.emplace().s3_uri = "s3://bucket/seed.csv";
    r.seed_audience.role_arn = role_arn;
    r.tags = std::map<std::string, std::string>{{"k", "v"}};
    return r;
}

crml::tag_resource_request valid_tag()
{
    crml::tag_resource_request r;
    r.resource_arn = dataset_arn;
    r.tags = {{"team", "ads"}, {"cost-center", "1234"}};
    return r;
}

crml::untag_resource_request valid_untag()
{
    crml::untag_resource_request r;
    r.resource_arn = audience_model_arn;
    r.tag_keys = {"team", "cost-center"};
    return r;
}

template <class T>
void expect_valid(T const& v)
{
    diagnostics d;
    auto ec = crml::validate(v, &d);
    BOOST_TEST_INFO("path: " << d.path << ", message: " << d.message);
    BOOST_TEST(!ec);
}

template <class T>
void expect_invalid(T const& v, std::string_view path, std::string_view message_part)
{
    diagnostics d;
    auto ec = crml::validate(v, &d);
    BOOST_TEST(ec == invalid);
    BOOST_TEST(d.path == path);
    BOOST_TEST_INFO("message: " << d.message);
    BOOST_TEST(d.message.find(message_part) != std::string::npos);
}

} // namespace

BOOST_AUTO_TEST_SUITE(validate)

BOOST_AUTO_TEST_CASE(valid_requests_pass)
{
    expect_valid(valid_ccam());
    expect_valid(valid_ctd());
    expect_valid(valid_sagj());
    expect_valid(valid_tag());
    expect_valid(valid_untag());
    BOOST_TEST(!crml::validate(valid_ccam()));  // without diagnostics

    // With only the required members.
    auto ccam = valid_ccam();
    ccam.audience_size_config.reset();
    ccam.child_resource_tag_on_create_policy.reset();
    ccam.description.reset();
    ccam.min_matching_seed_size.reset();
    ccam.tags.reset();
    expect_valid(ccam);
    auto ctd = valid_ctd();
    ctd.description.reset();
    ctd.tags.reset();
    ctd.training_data[0].input_config.data_source.glue_data_source.catalog_id.reset();
    expect_valid(ctd);
    auto sagj = valid_sagj();
    sagj.collaboration_id.reset();
    sagj.description.reset();
    sagj.include_seed_in_output.reset();
    sagj.tags.reset();
    expect_valid(sagj);
    auto tag = valid_tag();
    tag.tags.clear();  // TagMap: min 0
    expect_valid(tag);
    auto untag = valid_untag();
    untag.tag_keys.clear();  // TagKeys: min 0
    expect_valid(untag);

    // The other list requests and some other shapes.
    crml::list_audience_models_request l;
    expect_valid(l);
    l.max_results = 50;
    l.next_token = "token";
    expect_valid(l);
    crml::put_configured_audience_model_policy_request p;
    p.configured_audience_model_arn = configured_arn;
    p.configured_audience_model_policy = R"({"Version":"2012-10-17","Statement":[]})";
    p.policy_existence_condition = crml::policy_existence_condition{"POLICY_MUST_EXIST"};
    p.previous_policy_hash = repeat("0123456789abcdef", 4);
    expect_valid(p);
}

BOOST_AUTO_TEST_CASE(name_length_counts_code_points)
{
    auto r = valid_ccam();
    r.name = std::string(63, 'n');
    expect_valid(r);
    r.name = std::string(64, 'n');
    expect_invalid(r, "name", "length 64 is above the maximum of 63 characters");

    // 63 two-byte code points are 126 bytes, and valid.
    r.name = repeat(e_acute, 63);
    BOOST_TEST(r.name.size() == 126u);
    expect_valid(r);
    r.name = repeat(e_acute, 64);
    expect_invalid(r, "name", "length 64 is above the maximum of 63 characters");
    r.name = repeat(cjk, 63);
    expect_valid(r);
    r.name = repeat(grinning, 63);  // 252 bytes
    expect_valid(r);
    r.name = repeat(grinning, 64);
    expect_invalid(r, "name", "length 64 is above the maximum of 63 characters");
    r.name = repeat(e_acute, 20) + repeat(euro, 20) + repeat(grinning, 20) + "abc";
    expect_valid(r);

    // The same rule on the other requests' names.
    auto c = valid_ctd();
    c.name = repeat(e_acute, 64);
    expect_invalid(c, "name", "length 64 is above the maximum of 63 characters");
    auto s = valid_sagj();
    s.name = std::string(64, 'x');
    expect_invalid(s, "name", "length 64 is above the maximum of 63 characters");
}

BOOST_AUTO_TEST_CASE(empty_and_whitespace_names)
{
    auto r = valid_ccam();
    r.name = "";
    expect_invalid(r, "name", "length 0 is below the minimum of 1 characters");
    for (std::string_view ws : {" ", "   ", "\t", " \t ", "\t\t"}) {
        BOOST_TEST_CONTEXT("name: \"" << ws << "\"")
        {
            r.name = std::string(ws);
            expect_invalid(r, "name", "does not match the pattern (?!\\s*$)");
        }
    }
    auto s = valid_sagj();
    s.name = " ";
    expect_invalid(s, "name", "\" \" does not match the pattern");
    // Leading and trailing blanks around something are fine.
    r.name = " a ";
    expect_valid(r);
    r.name = "\ta";
    expect_valid(r);
}

BOOST_AUTO_TEST_CASE(description_length)
{
    auto r = valid_ccam();
    r.description = std::string(255, 'd');
    expect_valid(r);
    r.description = std::string(256, 'd');
    expect_invalid(r, "description", "length 256 is above the maximum of 255 characters");
    r.description = repeat(e_acute, 255);
    expect_valid(r);
    r.description = "";
    expect_valid(r);  // min 0
    r.description = "line one\r\nline two\tend";
    expect_valid(r);
    // The current model's patterns carry no ^...$ anchors, and Smithy patterns
    // are not implicitly anchored: `[...]*` matches the empty string at the
    // start of any text, so control characters are the service's to judge.
    r.description = "bell\x07";
    expect_valid(r);

    auto t = valid_ctd();
    t.description = std::string(256, 'd');
    expect_invalid(t, "description", "length 256 is above the maximum of 255 characters");
}

BOOST_AUTO_TEST_CASE(arns)
{
    auto r = valid_ccam();
    // wrong service
    r.audience_model_arn = "arn:aws:cleanrooms:us-east-1:" + account + ":audience-model/abc";
    expect_invalid(r, "audienceModelArn", "does not match the pattern arn:aws[-a-z]*:cleanrooms-ml:");
    // wrong resource type
    r.audience_model_arn = dataset_arn;
    expect_invalid(r, "audienceModelArn", "\"" + dataset_arn + "\" does not match the pattern");
    // too short
    r.audience_model_arn = "arn:aws:cleanrooms";
    expect_invalid(r, "audienceModelArn", "length 18 is below the minimum of 20 characters");
    r.audience_model_arn = "";
    expect_invalid(r, "audienceModelArn", "length 0 is below the minimum of 20 characters");
    // too long
    r.audience_model_arn = audience_model_arn + std::string(2049 - audience_model_arn.size(), 'x');
    expect_invalid(r, "audienceModelArn", "length 2049 is above the maximum of 2048 characters");
    // account, region, partition
    r.audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:12345678901:audience-model/abc";
    expect_invalid(r, "audienceModelArn", "does not match the pattern");
    r.audience_model_arn = "arn:aws:cleanrooms-ml:US-EAST-1:" + account + ":audience-model/abc";
    expect_invalid(r, "audienceModelArn", "does not match the pattern");
    r.audience_model_arn = "arn:aws-cn:cleanrooms-ml:cn-north-1:" + account + ":audience-model/abc";
    expect_valid(r);
    r.audience_model_arn = "arn:aws-us-gov:cleanrooms-ml:us-gov-west-1:" + account + ":audience-model/a/b.c_d-e";
    expect_valid(r);

    auto s = valid_sagj();
    s.configured_audience_model_arn = audience_model_arn;  // wrong resource type
    expect_invalid(s, "configuredAudienceModelArn", "does not match the pattern");
    s.configured_audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":configured-audience-model/";
    expect_invalid(s, "configuredAudienceModelArn", "does not match the pattern");

    // Taggable ARNs: the service's resource types only; the current model
    // adds the custom-model ones, the membership-scoped under their membership.
    auto t = valid_tag();
    std::string const in_membership =
        "arn:aws:cleanrooms-ml:us-east-1:" + account + ":membership/0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9/";
    for (auto const& arn :
         {dataset_arn, audience_model_arn, configured_arn, job_arn,
          "arn:aws:cleanrooms-ml:us-east-1:" + account + ":configured-model-algorithm/cma-1",
          in_membership + "configured-model-algorithm-association/a-1", in_membership + "trained-model/tm-1",
          in_membership + "trained-model-inference-job/j-1", in_membership + "ml-input-channel/c-1"}) {
        t.resource_arn = arn;
        expect_valid(t);
        crml::list_tags_for_resource_request l;
        l.resource_arn = arn;
        expect_valid(l);
    }
    t.resource_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":membership/not-a-uuid/trained-model/tm-1";
    expect_invalid(t, "resourceArn", "does not match the pattern");
    t.resource_arn = "arn:aws:cleanrooms-ml:us-east-1:" + account + ":collaboration/x";
    expect_invalid(t, "resourceArn", "does not match the pattern");
    t.resource_arn = "arn:aws:cleanrooms:us-east-1:" + account + ":membership/x";
    expect_invalid(t, "resourceArn", "does not match the pattern");
    t.resource_arn = "";
    expect_invalid(t, "resourceArn", "a URI label must not be empty");
    auto u = valid_untag();
    u.resource_arn = "arn:aws:s3:::bucket-name-long-enough";
    expect_invalid(u, "resourceArn", "does not match the pattern");
}

BOOST_AUTO_TEST_CASE(role_arns)
{
    auto r = valid_ccam();
    r.output_config.role_arn = "arn:aws:iam::" + account + ":user/someone";
    expect_invalid(r, "outputConfig.roleArn", "does not match the pattern arn:aws[-a-z]*:iam::[0-9]{12}:role/.+");
    r.output_config.role_arn = "arn:aws:sts::" + account + ":assumed-role/r/s";
    expect_invalid(r, "outputConfig.roleArn", "does not match the pattern");
    r.output_config.role_arn = "arn:aws:iam:us-east-1:" + account + ":role/r";  // IAM ARNs have no region
    expect_invalid(r, "outputConfig.roleArn", "does not match the pattern");
    r.output_config.role_arn = "arn:aws:iam::" + account + ":role/";
    expect_invalid(r, "outputConfig.roleArn", "does not match the pattern");
    r.output_config.role_arn = "arn:aws:iam::" + account + ":role/path/to/" + std::string(grinning);
    expect_valid(r);  // ".+" takes anything

    auto c = valid_ctd();
    c.role_arn = "arn:aws:iam::" + account + ":group/g";
    expect_invalid(c, "roleArn", "does not match the pattern");
    auto s = valid_sagj();
    s.seed_audience.role_arn = "arn:aws:iam::" + account + ":policy/p";
    expect_invalid(s, "seedAudience.roleArn", "does not match the pattern");
}

BOOST_AUTO_TEST_CASE(s3_uris)
{
    auto r = valid_ccam();
    r.output_config.destination.s3_destination.s3_uri = "https://bucket.s3.amazonaws.com/prefix";
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri",
                   "\"https://bucket.s3.amazonaws.com/prefix\" does not match the pattern s3://.+");
    r.output_config.destination.s3_destination.s3_uri = "s3://";
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri", "does not match the pattern");
    r.output_config.destination.s3_destination.s3_uri = "S3://bucket";
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri", "does not match the pattern");
    r.output_config.destination.s3_destination.s3_uri = "bucket/prefix";
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri", "does not match the pattern");
    r.output_config.destination.s3_destination.s3_uri = "";
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri", "length 0 is below the minimum of 1 characters");
    r.output_config.destination.s3_destination.s3_uri = "s3://" + std::string(1280, 'b');
    expect_valid(r);
    r.output_config.destination.s3_destination.s3_uri = "s3://" + std::string(1281, 'b');
    expect_invalid(r, "outputConfig.destination.s3Destination.s3Uri", "length 1286 is above the maximum of 1285 characters");

    auto s = valid_sagj();
    s.seed_audience.data_source->s3_uri = "file:///tmp/seed.csv";
    expect_invalid(s, "seedAudience.dataSource.s3Uri", "does not match the pattern");
}

BOOST_AUTO_TEST_CASE(audience_size_bins)
{
    auto r = valid_ccam();
    r.audience_size_config->audience_size_bins = {};
    expect_invalid(r, "audienceSizeConfig.audienceSizeBins", "length 0 is below the minimum of 1 entries");
    r.audience_size_config->audience_size_bins.assign(26, 1000);
    expect_invalid(r, "audienceSizeConfig.audienceSizeBins", "length 26 is above the maximum of 25 entries");
    r.audience_size_config->audience_size_bins.assign(25, 1000);
    expect_valid(r);
    r.audience_size_config->audience_size_bins = {1000, 0};
    expect_invalid(r, "audienceSizeConfig.audienceSizeBins[1]", "value 0 is below the minimum of 1");
    r.audience_size_config->audience_size_bins = {1000, 20000001};
    expect_invalid(r, "audienceSizeConfig.audienceSizeBins[1]", "value 20000001 is above the maximum of 20000000");
    r.audience_size_config->audience_size_bins = {1000, 2000, -5};
    expect_invalid(r, "audienceSizeConfig.audienceSizeBins[2]", "value -5 is below the minimum of 1");
    r.audience_size_config->audience_size_bins = {1, 20000000};
    expect_valid(r);
}

BOOST_AUTO_TEST_CASE(numeric_ranges)
{
    auto r = valid_ccam();
    r.min_matching_seed_size = 24;
    expect_invalid(r, "minMatchingSeedSize", "value 24 is below the minimum of 25");
    r.min_matching_seed_size = 500001;
    expect_invalid(r, "minMatchingSeedSize", "value 500001 is above the maximum of 500000");
    r.min_matching_seed_size = 25;
    expect_valid(r);
    r.min_matching_seed_size = 500000;
    expect_valid(r);

    crml::list_audience_models_request l;
    l.max_results = 0;
    expect_invalid(l, "maxResults", "value 0 is below the minimum of 1");
    l.max_results = 101;
    expect_invalid(l, "maxResults", "value 101 is above the maximum of 100");
    l.max_results = -1;
    expect_invalid(l, "maxResults", "value -1 is below the minimum of 1");
    l.max_results = 1;
    expect_valid(l);
    l.max_results = 100;
    expect_valid(l);
    l.next_token = "";
    expect_invalid(l, "nextToken", "length 0 is below the minimum of 1 characters");

    crml::list_training_datasets_request t;
    t.max_results = 101;
    expect_invalid(t, "maxResults", "value 101 is above the maximum of 100");

    crml::start_audience_export_job_request e;
    e.audience_generation_job_arn = job_arn;
    e.name = "export";
    e.audience_size = crml::audience_size{crml::audience_size_type{"PERCENTAGE"}, 0};
    expect_invalid(e, "audienceSize.value", "value 0 is below the minimum of 1");
}

BOOST_AUTO_TEST_CASE(shared_audience_metrics)
{
    auto r = valid_ccam();
    r.shared_audience_metrics = {crml::shared_audience_metrics{"ALL"}, crml::shared_audience_metrics{"NONE"}};
    expect_invalid(r, "sharedAudienceMetrics", "length 2 is above the maximum of 1 entries");
    r.shared_audience_metrics = {};
    expect_invalid(r, "sharedAudienceMetrics", "length 0 is below the minimum of 1 entries");
}

BOOST_AUTO_TEST_CASE(tags)
{
    auto r = valid_ccam();
    r.tags->clear();
    for (int i = 0; i < 200; ++i) (*r.tags)["key" + std::to_string(i)] = "v";
    expect_valid(r);
    (*r.tags)["key200"] = "v";
    expect_invalid(r, "tags", "length 201 is above the maximum of 200 entries");

    r = valid_ccam();
    std::string const key128(128, 'k'), key129(129, 'k');
    (*r.tags)[key128] = "v";
    expect_valid(r);
    (*r.tags)[key129] = "v";
    expect_invalid(r, "tags[" + key129 + "]", "length 129 is above the maximum of 128 characters");

    r = valid_ccam();
    (*r.tags)[repeat(e_acute, 128)] = repeat(grinning, 256);  // lengths in code points
    expect_valid(r);
    (*r.tags)["k"] = std::string(256, 'v');
    expect_valid(r);
    (*r.tags)["k"] = std::string(257, 'v');
    expect_invalid(r, "tags[k]", "length 257 is above the maximum of 256 characters");
    (*r.tags)["k"] = "";  // TagValue: min 0
    expect_valid(r);

    r = valid_ccam();
    (*r.tags)[""] = "v";
    expect_invalid(r, "tags[]", "length 0 is below the minimum of 1 characters");

    // The "aws:" prefix is reserved, in any case.
    for (std::string key : {"aws:x", "AWS:x", "Aws:x", "aWs:", "aws:"}) {
        BOOST_TEST_CONTEXT("key: " << key)
        {
            r = valid_ccam();
            (*r.tags)[key] = "v";
            expect_invalid(r, "tags[" + key + "]", "the prefix \"aws:\" is reserved for AWS use");
        }
    }
    for (std::string key : {"aw:x", "xaws:", "aws", "aws-x", "aws_x", " aws:x", "a:ws:", "awsx:"}) {
        BOOST_TEST_CONTEXT("key: " << key)
        {
            r = valid_ccam();
            (*r.tags)[key] = "v";
            expect_valid(r);
        }
    }

    // The same rules in TagResource, CreateTrainingDataset and StartAudienceGenerationJob.
    auto t = valid_tag();
    t.tags["aws:x"] = "v";
    expect_invalid(t, "tags[aws:x]", "the prefix \"aws:\" is reserved for AWS use");
    t = valid_tag();
    t.tags[key129] = "v";
    expect_invalid(t, "tags[" + key129 + "]", "length 129 is above the maximum of 128 characters");
    t = valid_tag();
    for (int i = 0; i < 199; ++i) t.tags["k" + std::to_string(i)] = "v";
    expect_invalid(t, "tags", "length 201 is above the maximum of 200 entries");
    auto c = valid_ctd();
    (*c.tags)["AWS:cost"] = "v";
    expect_invalid(c, "tags[AWS:cost]", "reserved");
    auto s = valid_sagj();
    (*s.tags)["k"] = std::string(257, 'v');
    expect_invalid(s, "tags[k]", "length 257 is above the maximum of 256 characters");
}

BOOST_AUTO_TEST_CASE(untag_keys)
{
    auto u = valid_untag();
    u.tag_keys = {"team", "aws:createdBy"};
    expect_invalid(u, "tagKeys[1]", "the prefix \"aws:\" is reserved for AWS use");
    u.tag_keys = {"AWS:x"};
    expect_invalid(u, "tagKeys[0]", "reserved");
    u.tag_keys = {"aw:x", "xaws:"};
    expect_valid(u);
    u.tag_keys = {"ok", std::string(129, 'k')};
    expect_invalid(u, "tagKeys[1]", "length 129 is above the maximum of 128 characters");
    u.tag_keys = {""};
    expect_invalid(u, "tagKeys[0]", "length 0 is below the minimum of 1 characters");
    u.tag_keys.assign(200, "k");
    expect_valid(u);
    u.tag_keys.assign(201, "k");
    expect_invalid(u, "tagKeys", "length 201 is above the maximum of 200 entries");
}

BOOST_AUTO_TEST_CASE(empty_enum_values)
{
    auto r = valid_ccam();
    r.audience_size_config->audience_size_type = crml::audience_size_type{};  // required member
    expect_invalid(r, "audienceSizeConfig.audienceSizeType", "an enumeration value must not be empty");
    r = valid_ccam();
    r.shared_audience_metrics = {crml::shared_audience_metrics{""}};
    expect_invalid(r, "sharedAudienceMetrics[0]", "an enumeration value must not be empty");
    r = valid_ccam();
    r.child_resource_tag_on_create_policy = crml::tag_on_create_policy{""};  // optional, but present
    expect_invalid(r, "childResourceTagOnCreatePolicy", "an enumeration value must not be empty");

    auto c = valid_ctd();
    c.training_data[0].type = crml::dataset_type{};
    expect_invalid(c, "trainingData[0].type", "an enumeration value must not be empty");
    c = valid_ctd();
    c.training_data[0].input_config.schema[2].column_types = {crml::column_type{}};
    expect_invalid(c, "trainingData[0].inputConfig.schema[2].columnTypes[0]", "an enumeration value must not be empty");

    // Enumerations are open: a value this library does not know is the
    // service's to judge.
    r = valid_ccam();
    r.shared_audience_metrics = {crml::shared_audience_metrics{"SOME_NEW_VALUE"}};
    expect_valid(r);
}

BOOST_AUTO_TEST_CASE(invalid_utf8)
{
    std::vector<std::string> const bad = {
        "a\xff", "\xc3", "\xe2\x82", "\xf0\x9f\x98", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80",
        "\xf4\x90\x80\x80", "\x80", "ok\xc3(", "\xf8\x88\x80\x80\x80",
    };
    for (auto const& s : bad) {
        BOOST_TEST_CONTEXT("bytes of " << s.size())
        {
            auto r = valid_ccam();
            r.name = s;
            expect_invalid(r, "name", "not valid UTF-8");
            r = valid_ccam();
            r.description = "d" + s;
            expect_invalid(r, "description", "not valid UTF-8");
            r = valid_ccam();
            (*r.tags)["k"] = s;
            expect_invalid(r, "tags[k]", "not valid UTF-8");
            r = valid_ccam();
            (*r.tags)[s] = "v";
            expect_invalid(r, "tags[" + s + "]", "not valid UTF-8");
            auto p = crml::put_configured_audience_model_policy_request{};
            p.configured_audience_model_arn = configured_arn;
            p.configured_audience_model_policy = "{}" + s;  // a member with no pattern
            expect_invalid(p, "configuredAudienceModelPolicy", "not valid UTF-8");
        }
    }
}

BOOST_AUTO_TEST_CASE(training_data)
{
    auto c = valid_ctd();
    c.training_data.push_back(c.training_data[0]);
    expect_invalid(c, "trainingData", "length 2 is above the maximum of 1 entries");
    c.training_data.clear();
    expect_invalid(c, "trainingData", "length 0 is below the minimum of 1 entries");

    c = valid_ctd();
    auto& schema = c.training_data[0].input_config.schema;
    schema.assign(100, crml::column_schema{"c", {crml::column_type{"CATEGORICAL_FEATURE"}}});
    expect_valid(c);
    schema.assign(101, crml::column_schema{"c", {crml::column_type{"CATEGORICAL_FEATURE"}}});
    expect_invalid(c, "trainingData[0].inputConfig.schema", "length 101 is above the maximum of 100 entries");
    schema.clear();
    expect_invalid(c, "trainingData[0].inputConfig.schema", "length 0 is below the minimum of 1 entries");

    c = valid_ctd();
    c.training_data[0].input_config.schema[1].column_types.push_back(crml::column_type{"ITEM_ID"});
    expect_invalid(c, "trainingData[0].inputConfig.schema[1].columnTypes", "length 2 is above the maximum of 1 entries");
}

BOOST_AUTO_TEST_CASE(column_names)
{
    auto c = valid_ctd();
    auto& name = c.training_data[0].input_config.schema[1].column_name;
    std::string const path = "trainingData[0].inputConfig.schema[1].columnName";
    // [a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?  -- not anchored: a
    // name passes when some part of it matches, i.e. it holds a letter, digit
    // or underscore (the 2024 model's ^...$ form refused "a-" or "a.b").
    for (std::string_view ok : {"a b-c", "a", "_", "ab-c", "a b", "a ", "a1_b-c d-e", "Ab-1", "a-", "-a", "a.b"}) {
        BOOST_TEST_CONTEXT("column name: \"" << ok << "\"")
        {
            name = std::string(ok);
            expect_valid(c);
        }
    }
    for (std::string_view bad : {"-", "-.-", " ", "\xC3\xA9", "\xC3\xA9-\xC3\xA9"}) {
        BOOST_TEST_CONTEXT("column name: \"" << bad << "\"")
        {
            name = std::string(bad);
            expect_invalid(c, path, "\"" + std::string(bad) + "\" does not match the pattern");
        }
    }
    name = "";
    expect_invalid(c, path, "length 0 is below the minimum of 1 characters");
    name = std::string(128, 'c');
    expect_valid(c);
    name = std::string(129, 'c');
    expect_invalid(c, path, "length 129 is above the maximum of 128 characters");

    // Glue names: a name without a letter, digit or underscore fails.
    c = valid_ctd();
    auto& glue = c.training_data[0].input_config.data_source.glue_data_source;
    glue.database_name = "- -";
    expect_invalid(c, "trainingData[0].inputConfig.dataSource.glueDataSource.databaseName", "does not match the pattern");
    glue.database_name = "my_db-2";
    glue.table_name = "my table-2";
    expect_valid(c);
    glue.catalog_id = "12345678901";
    expect_invalid(c, "trainingData[0].inputConfig.dataSource.glueDataSource.catalogId",
                   "length 11 is below the minimum of 12 characters");
    glue.catalog_id = "12345678901a";
    expect_invalid(c, "trainingData[0].inputConfig.dataSource.glueDataSource.catalogId", "does not match the pattern");
}

BOOST_AUTO_TEST_CASE(collaboration_id)
{
    auto s = valid_sagj();
    s.collaboration_id = "not-a-uuid";
    expect_invalid(s, "collaborationId", "length 10 is below the minimum of 36 characters");
    s.collaboration_id = "01234567-89AB-CDEF-0123-456789ABCDEF";  // the model's pattern is lower-case
    expect_invalid(s, "collaborationId", "does not match the pattern [0-9a-f]{8}-[0-9a-f]{4}");
    s.collaboration_id = "0123456789abcdef0123456789abcdef0123";  // 36 characters, no dashes
    expect_invalid(s, "collaborationId", "does not match the pattern");
    s.collaboration_id = "01234567-89ab-cdef-0123-456789abcdeg";
    expect_invalid(s, "collaborationId", "does not match the pattern");
    s.collaboration_id = "{1234567-89ab-cdef-0123-456789abcde}";
    expect_invalid(s, "collaborationId", "does not match the pattern");
    s.collaboration_id = "01234567-89ab-cdef-0123-456789abcdef0";
    expect_invalid(s, "collaborationId", "length 37 is above the maximum of 36 characters");
    s.collaboration_id = "ffffffff-ffff-ffff-ffff-ffffffffffff";
    expect_valid(s);
}

BOOST_AUTO_TEST_CASE(never_rejects_what_the_service_accepts)
{
    auto r = valid_ccam();
    std::vector<std::string> const names = {
        std::string(grinning),
        "team " + std::string(grinning) + " model",
        std::string(linear_b) + std::string(last_cp),
        repeat(grinning, 63),
        "\xF0\x9D\x84\x9E clef",               // U+1D11E
        "\xF0\xA0\x80\x80\xE4\xB8\xAD\xE6\x96\x87",  // U+20000, CJK
        "a\tb",
        "tab\tinside\tname",
        "a b",
        "caf" + std::string(e_acute),
        std::string(euro) + "100",
        "\xEF\xBF\xBD",                        // U+FFFD, the last code point of the BMP range
        "\xEE\x80\x80",                        // U+E000, private use
        "\xED\x9F\xBF",                        // U+D7FF
        // Java's \s is ASCII only: these are not "whitespace-only" names.
        std::string(nbsp),
        std::string(ideographic_space),
        "~!@#$%^&*()[]{}<>?/\\|\"'`",
    };
    for (auto const& n : names) {
        BOOST_TEST_CONTEXT("name: " << n)
        {
            r.name = n;
            expect_valid(r);
            auto s = valid_sagj();
            s.name = n;
            expect_valid(s);
        }
    }
    r = valid_ccam();
    r.description = repeat(grinning, 255);
    expect_valid(r);
    (*r.tags)[std::string(grinning)] = std::string(grinning);
    expect_valid(r);

    // Resource policies: 20 KiB (20480 code points) is the limit.
    crml::put_configured_audience_model_policy_request p;
    p.configured_audience_model_arn = configured_arn;
    std::string policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}],"Pad":")";
    policy += std::string(20480 - policy.size() - 2, 'x') + "\"}";
    BOOST_TEST(policy.size() == 20480u);
    p.configured_audience_model_policy = policy;
    expect_valid(p);
    p.configured_audience_model_policy = repeat(e_acute, 20480);  // 40960 bytes
    expect_valid(p);
    p.configured_audience_model_policy = "{\n\t\"a\": \"\x01\"\n}";  // no pattern on policies
    expect_valid(p);
    p.configured_audience_model_policy = std::string(20481, 'x');
    expect_invalid(p, "configuredAudienceModelPolicy", "length 20481 is above the maximum of 20480 characters");
    p.configured_audience_model_policy = repeat(e_acute, 20481);
    expect_invalid(p, "configuredAudienceModelPolicy", "length 20481 is above the maximum of 20480 characters");
    p.configured_audience_model_policy = "";
    expect_invalid(p, "configuredAudienceModelPolicy", "length 0 is below the minimum of 1 characters");

    // Hashes: 64..128 lower-case hex digits.
    p.configured_audience_model_policy = "{}";
    p.previous_policy_hash = std::string(64, 'a');
    expect_valid(p);
    p.previous_policy_hash = std::string(63, 'a');
    expect_invalid(p, "previousPolicyHash", "length 63 is below the minimum of 64 characters");
    p.previous_policy_hash = std::string(64, 'A');
    expect_invalid(p, "previousPolicyHash", "does not match the pattern");
}

BOOST_AUTO_TEST_CASE(unions_hold_exactly_one_member)
{
    std::string const membership = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    crml::create_ml_input_channel_request r;
    r.membership_identifier = membership;
    r.configured_model_algorithm_associations = {"arn:aws:cleanrooms-ml:us-east-1:" + account + ":membership/" +
                                                 membership + "/configured-model-algorithm-association/a-1"};
    r.input_channel.role_arn = role_arn;
    r.name = "channel";
    r.retention_in_days = 7;
    r.input_channel.data_source.protected_query_input_parameters.emplace().sql_parameters.query_string = "SELECT 1";
    expect_valid(r);

    // A union with nothing set names the members it could hold.
    auto none = r;
    none.input_channel.data_source = {};
    expect_invalid(none, "inputChannel.dataSource",
                   "exactly one member of the union must be set (protectedQueryInputParameters); none is");
    // Unions inside unions: each one is checked.
    auto nested = r;
    nested.input_channel.data_source.protected_query_input_parameters->compute_configuration.emplace();
    expect_invalid(nested, "inputChannel.dataSource.protectedQueryInputParameters.computeConfiguration",
                   "exactly one member of the union must be set (worker); none is");
    nested.input_channel.data_source.protected_query_input_parameters->compute_configuration->worker.emplace();
    expect_valid(nested);
    // A member of a set union is validated like any other member.
    nested.input_channel.data_source.protected_query_input_parameters->compute_configuration->worker->number = 0;
    expect_invalid(nested, "inputChannel.dataSource.protectedQueryInputParameters.computeConfiguration.worker.number",
                   "value 0 is below the minimum");

    // Every union of Clean Rooms ML has one member today; the protocol tests'
    // MyUnion has eleven, and two set are refused, naming both.
    restjson::union_input_output u;
    u.contents.emplace().string_value = "a";
    expect_valid(u);
    u.contents->number_value = 1;
    expect_invalid(u, "contents", "exactly one member of the union must be set; 2 are: stringValue, numberValue");
    u.contents->string_value.reset();
    expect_valid(u);
}

BOOST_AUTO_TEST_CASE(first_problem_is_reported)
{
    // Members are checked in declaration order and validation stops at the
    // first problem; the diagnostics are left alone on success.
    auto r = valid_ccam();
    r.audience_model_arn = "x";
    r.description = std::string(256, 'd');
    expect_invalid(r, "audienceModelArn", "length 1 is below the minimum of 20 characters");
    r.name = "";  // declared before audienceModelArn in the current model
    expect_invalid(r, "name", "length 0 is below the minimum of 1 characters");
    diagnostics d;
    d.path = "untouched";
    BOOST_TEST(!crml::validate(valid_ccam(), &d));
    BOOST_TEST(d.path == "untouched");
    // Without diagnostics the code alone is returned.
    BOOST_TEST(crml::validate(r) == invalid);
}

BOOST_AUTO_TEST_SUITE_END()
