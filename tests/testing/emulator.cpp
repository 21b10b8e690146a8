// The emulator: the service's rules checked through its transport-free core
// (requests the client would refuse to send, bad signatures, forged tokens)
// and through the real client over HTTP and HTTPS (workflows, lifecycles,
// faults, clock skew).

#include <cleanroomsml/client.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/testing/detail/service.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include "support/client_fixture.hpp"
#include "support/samples.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>
#include <string>

namespace {

namespace crm = cleanroomsml;
namespace asio = boost::asio;
namespace emu = cleanroomsml::testing;
using namespace std::chrono_literals;

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);
crm::credentials const creds{"AKIDEMU", "emulator/secret", ""};

emu::emulator_options fast_options()
{
    emu::emulator_options o;
    o.credentials = creds;
    o.lifecycle_delay = 0ms;
    return o;
}

// ---- the transport-free core: signed requests straight into the service ----

struct raw_request {
    std::string method, target, body;
    std::vector<std::pair<std::string, std::string>> headers;
};

raw_request sign(raw_request r, crm::credentials const& c, std::string_view region = "us-east-1",
                 crm::timestamp when = std::chrono::system_clock::now())
{
    r.headers.emplace_back("host", "127.0.0.1");
    if (!r.body.empty()) r.headers.emplace_back("content-type", "application/json");
    std::vector<crm::detail::sigv4_header> hs(r.headers.begin(), r.headers.end());
    auto q = r.target.find('?');
    std::string_view t = r.target;
    crm::detail::sigv4_request sr{r.method, t.substr(0, q), q == std::string::npos ? std::string_view{} : t.substr(q + 1),
                                  hs, r.body};
    crm::detail::signer s;
    std::vector<std::pair<std::string, std::string>> add;
    for (auto const& [k, v] : s.sign_headers(c, sr, {region, "cleanrooms-ml", when})) add.emplace_back(k, v);
    r.headers.insert(r.headers.end(), add.begin(), add.end());
    return r;
}

template <class Request>
raw_request encode(Request const& req)
{
    crm::detail::encoded_request e;
    crm::detail::read_error err;
    auto ec = crm::detail::encode_request(crm::operation_traits<Request>::info, crm::detail::type_of<Request>(), &req, e,
                                          err);
    BOOST_REQUIRE_MESSAGE(!ec, err.path + ": " + err.message);
    raw_request r{std::string(e.method), e.path + (e.query.empty() ? "" : "?" + e.query), e.body, {}};
    for (auto& h : e.headers) r.headers.push_back(h);
    return r;
}

emu::detail::reply send(emu::detail::service& s, raw_request const& r)
{
    std::vector<std::pair<std::string_view, std::string_view>> hs(r.headers.begin(), r.headers.end());
    return s.handle({r.method, r.target, hs, r.body});
}

template <class Request>
emu::detail::reply call(emu::detail::service& s, Request const& req)
{
    return send(s, sign(encode(req), creds));
}

template <class Response>
Response decode(emu::detail::reply const& r)
{
    BOOST_REQUIRE_MESSAGE(r.status == 200, "HTTP " << r.status << " " << r.error_type << " " << r.body);
    Response out;
    crm::detail::read_error err;
    auto ec = crm::detail::decode_response(crm::detail::type_of<Response>(), &out, r.body, {}, err);
    BOOST_REQUIRE_MESSAGE(!ec, err.path + ": " + err.message);
    return out;
}

std::string message_of(emu::detail::reply const& r)
{
    return crm::detail::parse_error_response(std::nullopt, r.body).message;
}

crm::create_training_dataset_request dataset_request(std::string name = "purchases")
{
    return test_support::training_dataset_request(std::move(name));
}

crm::create_configured_audience_model_request configured_request(std::string model_arn)
{
    crm::create_configured_audience_model_request r;
    r.audience_model_arn = std::move(model_arn);
    r.name = "lookalikes";
    r.output_config.role_arn = "arn:aws:iam::123456789012:role/out";
    r.output_config.destination.s3_destination.s3_uri = "s3://bucket/out";
    r.shared_audience_metrics = {crm::shared_audience_metrics::all};
    r.audience_size_config = crm::audience_size_config{.audience_size_bins = {1000, 5000},
                                                       .audience_size_type = crm::audience_size_type::absolute};
    return r;
}

crm::start_audience_generation_job_request generation_request(std::string cam_arn)
{
    crm::start_audience_generation_job_request r;
    r.configured_audience_model_arn = std::move(cam_arn);
    r.name = "spring-campaign";
    r.seed_audience.data_source.s3_uri = "s3://bucket/seed.csv";
    r.seed_audience.role_arn = "arn:aws:iam::123456789012:role/seed";
    return r;
}

// A dataset, a model, a configured model and a job, all ACTIVE (no delays).
struct chain {
    std::string dataset, model, configured, job;
};

chain make_chain(emu::detail::service& s)
{
    chain c;
    c.dataset = decode<crm::create_training_dataset_response>(call(s, dataset_request())).training_dataset_arn;
    crm::create_audience_model_request am;
    am.name = "model";
    am.training_dataset_arn = c.dataset;
    c.model = decode<crm::create_audience_model_response>(call(s, am)).audience_model_arn;
    c.configured = decode<crm::create_configured_audience_model_response>(call(s, configured_request(c.model)))
                       .configured_audience_model_arn;
    c.job = decode<crm::start_audience_generation_job_response>(call(s, generation_request(c.configured)))
                .audience_generation_job_arn;
    return c;
}

using test_support::run;

} // namespace

BOOST_AUTO_TEST_SUITE(emulator)

BOOST_AUTO_TEST_CASE(arns_statuses_and_the_wire_format)
{
    emu::detail::service s(fast_options());
    auto r = call(s, dataset_request());
    BOOST_TEST(r.status == 200);
    BOOST_TEST(!r.request_id.empty());
    auto arn = decode<crm::create_training_dataset_response>(r).training_dataset_arn;
    BOOST_TEST(arn.starts_with("arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/"));
    BOOST_TEST(arn.size() == std::string_view("arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/").size() + 36);

    crm::get_training_dataset_request get{.training_dataset_arn = arn};
    auto g = call(s, get);
    // Timestamps in the body are ISO 8601, as the model says.
    auto doc = boost::json::parse(g.body).as_object();
    BOOST_TEST(std::string(doc.at("createTime").as_string()).find('T') == 10u);
    auto out = decode<crm::get_training_dataset_response>(g);
    BOOST_TEST(out.name == "purchases");
    BOOST_TEST((out.status == crm::training_dataset_status::active));
    BOOST_TEST(out.training_data.size() == 1u);

    crm::get_training_dataset_request missing{
        .training_dataset_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/nope"};
    auto m = call(s, missing);
    BOOST_TEST(m.status == 404);
    BOOST_TEST(m.error_type == "ResourceNotFoundException");
    BOOST_TEST(message_of(m).find("nope") != std::string::npos);

    emu::emulator_options cn = fast_options();
    cn.region = "cn-north-1";
    emu::detail::service china(cn);
    auto cr = send(china, sign(encode(dataset_request()), creds, "cn-north-1"));
    BOOST_TEST(decode<crm::create_training_dataset_response>(cr).training_dataset_arn.starts_with(
        "arn:aws-cn:cleanrooms-ml:cn-north-1:"));
}

BOOST_AUTO_TEST_CASE(model_constraints_are_enforced_server_side)
{
    emu::detail::service s(fast_options());
    // What the client's own validator would stop: sent raw here.
    auto bad_name = dataset_request("");
    auto r = call(s, bad_name);
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("'name'") != std::string::npos);

    auto reserved = dataset_request();
    reserved.tags = std::map<std::string, std::string>{{"aws:owner", "me"}};
    r = call(s, reserved);
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("aws:") != std::string::npos);

    auto too_many = dataset_request();
    too_many.tags.emplace();
    for (int i = 0; i < 51; ++i) (*too_many.tags)["k" + std::to_string(i)] = "v";
    r = call(s, too_many);
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("50") != std::string::npos);

    // A body that is not JSON, and one missing a required member.
    raw_request junk{"POST", "/training-dataset", "{not json", {}};
    r = send(s, sign(junk, creds));
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.error_type == "ValidationException");
    raw_request no_role{"POST", "/training-dataset", R"({"name":"x","trainingData":[]})", {}};
    r = send(s, sign(no_role, creds));
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("roleArn") != std::string::npos);

    // A malformed ARN in a label, and maxResults out of range.
    raw_request bad_arn{"GET", "/training-dataset/not-an-arn", "", {}};
    r = send(s, sign(bad_arn, creds));
    BOOST_TEST(r.error_type == "ValidationException");
    raw_request big_page{"GET", "/training-dataset?maxResults=1000", "", {}};
    r = send(s, sign(big_page, creds));
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("maxResults") != std::string::npos);

    raw_request unknown{"GET", "/no-such-thing", "", {}};
    r = send(s, sign(unknown, creds));
    BOOST_TEST(r.status == 404);
    BOOST_TEST(r.error_type == "UnknownOperationException");
}

BOOST_AUTO_TEST_CASE(signatures_are_verified)
{
    emu::detail::service s(fast_options());
    raw_request list{"GET", "/training-dataset", "", {}};
    BOOST_TEST(send(s, sign(list, creds)).status == 200);

    auto wrong_secret = send(s, sign(list, {"AKIDEMU", "another secret", ""}));
    BOOST_TEST(wrong_secret.status == 403);
    BOOST_TEST(wrong_secret.error_type == "InvalidSignatureException");
    BOOST_TEST(message_of(wrong_secret).find("canonical request") != std::string::npos);

    auto wrong_key = send(s, sign(list, {"AKIDOTHER", "emulator/secret", ""}));
    BOOST_TEST(wrong_key.error_type == "UnrecognizedClientException");

    auto wrong_region = send(s, sign(list, creds, "eu-west-1"));
    BOOST_TEST(wrong_region.error_type == "InvalidSignatureException");
    BOOST_TEST(message_of(wrong_region).find("region") != std::string::npos);

    auto stale = send(s, sign(list, creds, "us-east-1", std::chrono::system_clock::now() - 20min));
    BOOST_TEST(stale.error_type == "InvalidSignatureException");
    BOOST_TEST(message_of(stale).find("expired") != std::string::npos);

    BOOST_TEST(send(s, list).error_type == "MissingAuthenticationTokenException");

    // A body changed after signing.
    auto signed_req = sign(encode(dataset_request()), creds);
    signed_req.body[signed_req.body.find("purchases")] = 'P';
    BOOST_TEST(send(s, signed_req).error_type == "InvalidSignatureException");

    // Without configured credentials any well-formed signature passes.
    auto open = fast_options();
    open.credentials.reset();
    emu::detail::service anyone(open);
    BOOST_TEST(send(anyone, sign(list, {"AKIDANY", "whatever", ""})).status == 200);
    BOOST_TEST(send(anyone, sign(list, {"AKIDANY", "whatever", ""}, "eu-west-1")).status == 403);
}

BOOST_AUTO_TEST_CASE(lifecycles_follow_the_clock)
{
    auto o = fast_options();
    o.lifecycle_delay = 40ms;
    emu::detail::service s(o);
    auto ds = decode<crm::create_training_dataset_response>(call(s, dataset_request())).training_dataset_arn;
    crm::create_audience_model_request am;
    am.name = "model";
    am.training_dataset_arn = ds;
    auto model = decode<crm::create_audience_model_response>(call(s, am)).audience_model_arn;
    crm::get_audience_model_request get{.audience_model_arn = model};
    auto status = [&] { return std::string(decode<crm::get_audience_model_response>(call(s, get)).status.value()); };
    BOOST_TEST(status() == "CREATE_PENDING");
    // Not usable until ACTIVE.
    auto early = call(s, configured_request(model));
    BOOST_TEST(early.error_type == "ConflictException");
    std::this_thread::sleep_for(50ms);
    BOOST_TEST(status() == "CREATE_IN_PROGRESS");
    std::this_thread::sleep_for(40ms);
    BOOST_TEST(status() == "ACTIVE");
    auto got = decode<crm::get_audience_model_response>(call(s, get));
    BOOST_TEST((got.update_time - got.create_time >= 80ms));

    crm::delete_audience_model_request del{.audience_model_arn = model};
    BOOST_TEST(call(s, del).status == 200);
    BOOST_TEST(status() == "DELETE_PENDING");
    BOOST_TEST(call(s, del).error_type == "ConflictException");  // already being deleted
    std::this_thread::sleep_for(90ms);
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");

    // An injected failure ends the phase in CREATE_FAILED with its details.
    auto doomed = decode<crm::create_audience_model_response>(call(s, am)).audience_model_arn;
    s.fail_resource(doomed, {.message = "no interactions in the table", .status_code = "INSUFFICIENT_DATA"});
    std::this_thread::sleep_for(90ms);
    crm::get_audience_model_request get_doomed{.audience_model_arn = doomed};
    auto failed = decode<crm::get_audience_model_response>(call(s, get_doomed));
    BOOST_TEST((failed.status == crm::audience_model_status::create_failed));
    BOOST_REQUIRE(failed.status_details.has_value());
    BOOST_TEST(*failed.status_details->status_code == "INSUFFICIENT_DATA");
    BOOST_CHECK_THROW(s.fail_resource("arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/x", {}),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(dependents_block_deletion)
{
    emu::detail::service s(fast_options());
    auto c = make_chain(s);
    crm::delete_training_dataset_request del_ds{.training_dataset_arn = c.dataset};
    crm::delete_audience_model_request del_model{.audience_model_arn = c.model};
    crm::delete_configured_audience_model_request del_cam{.configured_audience_model_arn = c.configured};
    crm::delete_audience_generation_job_request del_job{.audience_generation_job_arn = c.job};
    auto r = call(s, del_ds);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find(c.model) != std::string::npos);
    BOOST_TEST(call(s, del_model).error_type == "ConflictException");
    BOOST_TEST(call(s, del_cam).error_type == "ConflictException");
    // Leaves first, then each parent can go.
    BOOST_TEST(call(s, del_job).status == 200);
    BOOST_TEST(call(s, del_cam).status == 200);
    BOOST_TEST(call(s, del_model).status == 200);
    BOOST_TEST(call(s, del_ds).status == 200);
    BOOST_TEST(call(s, del_ds).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(policies_with_existence_and_hash_conditions)
{
    emu::detail::service s(fast_options());
    auto c = make_chain(s);
    crm::get_configured_audience_model_policy_request get{.configured_audience_model_arn = c.configured};
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");

    crm::put_configured_audience_model_policy_request put;
    put.configured_audience_model_arn = c.configured;
    put.configured_audience_model_policy = R"({"Version":"2012-10-17","Statement":[]})";
    put.policy_existence_condition = crm::policy_existence_condition::policy_must_exist;
    BOOST_TEST(call(s, put).error_type == "ConflictException");
    put.policy_existence_condition = crm::policy_existence_condition::policy_must_not_exist;
    auto first = decode<crm::put_configured_audience_model_policy_response>(call(s, put));
    BOOST_TEST(first.policy_hash.size() == 64u);
    BOOST_TEST(call(s, put).error_type == "ConflictException");  // now one exists

    auto got = decode<crm::get_configured_audience_model_policy_response>(call(s, get));
    BOOST_TEST(got.policy_hash == first.policy_hash);
    BOOST_TEST(got.configured_audience_model_policy == put.configured_audience_model_policy);

    // Optimistic concurrency: the hash of what the writer last saw.
    put.policy_existence_condition.reset();
    put.configured_audience_model_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]})";
    put.previous_policy_hash = std::string(64, 'a');
    BOOST_TEST(call(s, put).error_type == "ConflictException");
    put.previous_policy_hash = first.policy_hash;
    auto second = decode<crm::put_configured_audience_model_policy_response>(call(s, put));
    BOOST_TEST(second.policy_hash != first.policy_hash);
    BOOST_TEST(call(s, put).error_type == "ConflictException");  // first hash is stale now

    put.previous_policy_hash.reset();
    put.configured_audience_model_policy = "not a policy";
    BOOST_TEST(call(s, put).error_type == "ValidationException");

    crm::delete_configured_audience_model_policy_request del{.configured_audience_model_arn = c.configured};
    BOOST_TEST(call(s, del).status == 200);
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(generation_jobs_metrics_tags_and_exports)
{
    emu::detail::service s(fast_options());
    auto c = make_chain(s);
    // Tags from the parent when the configured model says so.
    crm::tag_resource_request tag{.resource_arn = c.configured, .tags = {{"team", "growth"}, {"env", "test"}}};
    BOOST_TEST(call(s, tag).status == 200);
    crm::update_configured_audience_model_request upd{.configured_audience_model_arn = c.configured};
    BOOST_TEST(call(s, upd).status == 200);
    auto inherit = configured_request(c.model);
    inherit.name = "inheriting";
    inherit.child_resource_tag_on_create_policy = crm::tag_on_create_policy::from_parent_resource;
    inherit.tags = std::map<std::string, std::string>{{"team", "growth"}, {"env", "test"}};
    auto cam2 = decode<crm::create_configured_audience_model_response>(call(s, inherit)).configured_audience_model_arn;
    auto job_req = generation_request(cam2);
    job_req.tags = std::map<std::string, std::string>{{"env", "prod"}};
    auto job2 = decode<crm::start_audience_generation_job_response>(call(s, job_req)).audience_generation_job_arn;
    crm::list_tags_for_resource_request lt{.resource_arn = job2};
    auto tags = decode<crm::list_tags_for_resource_response>(call(s, lt)).tags;
    BOOST_TEST(tags.size() == 2u);
    BOOST_TEST(tags["team"] == "growth");
    BOOST_TEST(tags["env"] == "prod");  // the job's own tag wins
    crm::list_tags_for_resource_request lt1{.resource_arn = c.job};
    BOOST_TEST(decode<crm::list_tags_for_resource_response>(call(s, lt1)).tags.empty());
    crm::untag_resource_request untag{.resource_arn = job2, .tag_keys = {"env"}};
    BOOST_TEST(call(s, untag).status == 200);
    BOOST_TEST(decode<crm::list_tags_for_resource_response>(call(s, lt)).tags.size() == 1u);

    // Metrics per audience size bin when the configured model shares them.
    crm::get_audience_generation_job_request gj{.audience_generation_job_arn = c.job};
    auto job = decode<crm::get_audience_generation_job_response>(call(s, gj));
    BOOST_TEST((job.status == crm::audience_generation_job_status::active));
    BOOST_REQUIRE(job.metrics.has_value());
    BOOST_TEST(job.metrics->relevance_metrics.size() == 2u);
    BOOST_TEST(job.metrics->relevance_metrics[1].audience_size.value == 5000);
    BOOST_TEST(job.metrics->recall_metric.has_value());

    // Exports: the size must be a configured bin; names are unique per job.
    crm::start_audience_export_job_request ex;
    ex.audience_generation_job_arn = c.job;
    ex.name = "export-1";
    ex.audience_size = {.type = crm::audience_size_type::absolute, .value = 1234};
    BOOST_TEST(call(s, ex).error_type == "ValidationException");
    ex.audience_size.value = 1000;
    BOOST_TEST(call(s, ex).status == 200);
    BOOST_TEST(call(s, ex).error_type == "ConflictException");
    ex.name = "export-2";
    ex.audience_size.value = 5000;
    BOOST_TEST(call(s, ex).status == 200);
    crm::list_audience_export_jobs_request lx{.audience_generation_job_arn = c.job};
    auto exports = decode<crm::list_audience_export_jobs_response>(call(s, lx)).audience_export_jobs;
    BOOST_REQUIRE(exports.size() == 2u);
    BOOST_TEST(exports[0].name == "export-1");
    BOOST_TEST((exports[0].status == crm::audience_export_job_status::active));
    BOOST_TEST(exports[0].output_location->starts_with("s3://bucket/out/"));
    crm::list_audience_export_jobs_request lx2{.audience_generation_job_arn = job2};
    BOOST_TEST(decode<crm::list_audience_export_jobs_response>(call(s, lx2)).audience_export_jobs.empty());

    // Listing generation jobs filtered by configured model.
    crm::list_audience_generation_jobs_request lg{.configured_audience_model_arn = cam2};
    auto jobs = decode<crm::list_audience_generation_jobs_response>(call(s, lg)).audience_generation_jobs;
    BOOST_REQUIRE(jobs.size() == 1u);
    BOOST_TEST(jobs[0].audience_generation_job_arn == job2);
}

BOOST_AUTO_TEST_CASE(updates_and_the_other_listings)
{
    emu::detail::service s(fast_options());
    auto c = make_chain(s);
    crm::update_configured_audience_model_request upd;
    upd.configured_audience_model_arn = c.configured;
    upd.description = "now with a seed floor";
    upd.min_matching_seed_size = 500;
    upd.shared_audience_metrics = std::vector<crm::shared_audience_metrics>{crm::shared_audience_metrics::none};
    auto before = decode<crm::get_configured_audience_model_response>(
        call(s, crm::get_configured_audience_model_request{.configured_audience_model_arn = c.configured}));
    std::this_thread::sleep_for(2ms);
    BOOST_TEST(decode<crm::update_configured_audience_model_response>(call(s, upd)).configured_audience_model_arn ==
               c.configured);
    auto after = decode<crm::get_configured_audience_model_response>(
        call(s, crm::get_configured_audience_model_request{.configured_audience_model_arn = c.configured}));
    BOOST_TEST(*after.description == "now with a seed floor");
    BOOST_TEST(*after.min_matching_seed_size == 500);
    BOOST_TEST(after.name == before.name);  // untouched members stay
    BOOST_TEST((after.update_time > before.update_time));
    BOOST_TEST((after.create_time == before.create_time));
    // Metrics are no longer shared.
    auto job = decode<crm::get_audience_generation_job_response>(
        call(s, crm::get_audience_generation_job_request{.audience_generation_job_arn = c.job}));
    BOOST_TEST(!job.metrics.has_value());
    crm::update_configured_audience_model_request bad_model;
    bad_model.configured_audience_model_arn = c.configured;
    bad_model.audience_model_arn = "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/none";
    BOOST_TEST(call(s, bad_model).error_type == "ResourceNotFoundException");

    auto models = decode<crm::list_audience_models_response>(call(s, crm::list_audience_models_request{}));
    BOOST_REQUIRE(models.audience_models.size() == 1u);
    BOOST_TEST(models.audience_models[0].audience_model_arn == c.model);
    BOOST_TEST(models.audience_models[0].training_dataset_arn == c.dataset);
    BOOST_TEST(!models.next_token.has_value());
    auto cams = decode<crm::list_configured_audience_models_response>(
        call(s, crm::list_configured_audience_models_request{}));
    BOOST_REQUIRE(cams.configured_audience_models.size() == 1u);
    BOOST_TEST(cams.configured_audience_models[0].configured_audience_model_arn == c.configured);
    BOOST_TEST(cams.configured_audience_models[0].output_config.destination.s3_destination.s3_uri == "s3://bucket/out");
    auto jobs = decode<crm::list_audience_generation_jobs_response>(
        call(s, crm::list_audience_generation_jobs_request{}));
    BOOST_REQUIRE(jobs.audience_generation_jobs.size() == 1u);
    BOOST_TEST(jobs.audience_generation_jobs[0].started_by.value_or("") == "123456789012");
    // Deleting shows up in listings before the resource is gone.
    auto o = fast_options();
    o.lifecycle_delay = 1s;
    emu::detail::service slow(o);
    auto ds = decode<crm::create_training_dataset_response>(call(slow, dataset_request())).training_dataset_arn;
    crm::create_audience_model_request am{.name = "m", .training_dataset_arn = ds};
    decode<crm::create_audience_model_response>(call(slow, am));
    auto listed = decode<crm::list_audience_models_response>(call(slow, crm::list_audience_models_request{}));
    BOOST_REQUIRE(listed.audience_models.size() == 1u);
    BOOST_TEST((listed.audience_models[0].status == crm::audience_model_status::create_pending));
}

BOOST_AUTO_TEST_CASE(pages_and_forged_tokens)
{
    emu::detail::service s(fast_options());
    for (int i = 0; i < 5; ++i) call(s, dataset_request("ds-" + std::to_string(i)));
    crm::list_training_datasets_request req{.max_results = 2};
    std::vector<std::string> names;
    std::optional<std::string> first_token;
    for (int page = 0; page < 10; ++page) {
        auto out = decode<crm::list_training_datasets_response>(call(s, req));
        for (auto const& d : out.training_datasets) names.push_back(d.name);
        if (!out.next_token) break;
        if (!first_token) first_token = out.next_token;
        req.next_token = out.next_token;
    }
    BOOST_TEST(names == (std::vector<std::string>{"ds-0", "ds-1", "ds-2", "ds-3", "ds-4"}));

    crm::list_training_datasets_request forged{.max_results = 2, .next_token = *first_token};
    forged.next_token->back() = forged.next_token->back() == '0' ? '1' : '0';
    auto r = call(s, forged);
    BOOST_TEST(r.error_type == "ValidationException");
    BOOST_TEST(message_of(r).find("nextToken") != std::string::npos);
    // A token of one listing is refused by another.
    crm::list_audience_models_request other{.next_token = *first_token};
    BOOST_TEST(call(s, other).error_type == "ValidationException");
    crm::list_training_datasets_request junk{.next_token = "zz"};
    BOOST_TEST(call(s, junk).error_type == "ValidationException");
}

BOOST_AUTO_TEST_CASE(quota)
{
    auto o = fast_options();
    o.resource_quota = 2;
    emu::detail::service s(o);
    BOOST_TEST(call(s, dataset_request("a")).status == 200);
    BOOST_TEST(call(s, dataset_request("b")).status == 200);
    auto r = call(s, dataset_request("c"));
    BOOST_TEST(r.status == 402);
    BOOST_TEST(r.error_type == "ServiceQuotaExceededException");
}

BOOST_AUTO_TEST_CASE(client_workflow_over_http)
{
    asio::io_context ioc;
    auto o = fast_options();
    o.lifecycle_delay = 5ms;
    emu::emulator e(ioc.get_executor(), o);
    BOOST_TEST(e.endpoint_url().starts_with("http://127.0.0.1:"));
    crm::client client(ioc.get_executor(), e.client_config());
    run(ioc, e, [&]() -> asio::awaitable<void> {
        auto ds_req = dataset_request();
        auto ds = co_await client.async_create_training_dataset(std::move(ds_req));
        crm::create_audience_model_request am;
        am.name = "model";
        am.training_dataset_arn = ds.training_dataset_arn;
        auto model = co_await client.async_create_audience_model(std::move(am));
        crm::get_audience_model_request get{.audience_model_arn = model.audience_model_arn};
        std::vector<std::string> seen;
        for (int i = 0; i < 200; ++i) {
            auto req = get;
            auto m = co_await client.async_get_audience_model(std::move(req));
            if (seen.empty() || seen.back() != m.status.value()) seen.emplace_back(m.status.value());
            if (m.status == crm::audience_model_status::active) break;
            asio::steady_timer t(ioc, 1ms);
            co_await t.async_wait(asio::use_awaitable);
        }
        BOOST_TEST(seen.back() == "ACTIVE");
        BOOST_TEST(seen.front() != "ACTIVE");

        for (int i = 0; i < 3; ++i) {
            auto r = dataset_request("more-" + std::to_string(i));
            co_await client.async_create_training_dataset(std::move(r));
        }
        crm::list_training_datasets_request list_req{.max_results = 2};
        auto items = client.paginate_items(std::move(list_req));
        int count = 0;
        while (auto item = co_await items.async_next()) ++count;
        BOOST_TEST(count == 4);

        // A modelled error arrives typed, with the request id.
        crm::diagnostics diag;
        crm::delete_training_dataset_request del{.training_dataset_arn = ds.training_dataset_arn};
        auto [ec, out] = co_await client.async_delete_training_dataset(std::move(del), diag, tuple);
        BOOST_TEST((ec == crm::service_errc::conflict));
        BOOST_TEST(diag.http_status == 409);
        BOOST_TEST(!diag.request_id.empty());
    });
    BOOST_TEST(e.requests() >= 8u);
}

BOOST_AUTO_TEST_CASE(injected_faults_and_the_client_retries)
{
    asio::io_context ioc;
    emu::emulator e(ioc.get_executor(), fast_options());
    auto cfg = e.client_config();
    cfg.retry.max_attempts = 4;
    crm::client client(ioc.get_executor(), cfg);
    run(ioc, e, [&]() -> asio::awaitable<void> {
        crm::list_training_datasets_request req;
        crm::diagnostics diag;
        e.throttle_next(2);
        auto r1 = req;
        auto [ec1, out1] = co_await client.async_list_training_datasets(std::move(r1), diag, tuple);
        BOOST_TEST(!ec1);
        BOOST_TEST(diag.attempts == 3);

        e.fail_next(1, 503);
        e.close_next(1);
        auto const before = e.requests();
        auto r2 = req;
        auto [ec2, out2] = co_await client.async_list_training_datasets(std::move(r2), diag, tuple);
        BOOST_TEST(!ec2);
        // The close hit a reused keep-alive connection before any byte of a
        // response: resent on a fresh one without spending an attempt.
        BOOST_TEST(diag.attempts == 2);
        BOOST_TEST(e.requests() - before == 3u);

        e.fail_next(4, 500);
        auto r3 = req;
        auto [ec3, out3] = co_await client.async_list_training_datasets(std::move(r3), diag, tuple);
        BOOST_TEST((ec3 == crm::service_errc::internal_server));
        BOOST_TEST(diag.http_status == 500);

        e.delay_next(1, 300ms);
        crm::call_options quick;
        quick.max_attempts = 1;
        quick.attempt_timeout = 50ms;
        auto r4 = req;
        auto [ec4, out4] = co_await client.async_list_training_datasets(std::move(r4), quick, diag, tuple);
        BOOST_TEST((ec4 == crm::client_errc::attempt_timeout));
        BOOST_TEST(diag.timeout == "attempt");
    });
}

BOOST_AUTO_TEST_CASE(clock_skew_against_the_emulator)
{
    asio::io_context ioc;
    auto o = fast_options();
    o.clock_offset = 20min;
    emu::emulator e(ioc.get_executor(), o);
    crm::client client(ioc.get_executor(), e.client_config());
    run(ioc, e, [&]() -> asio::awaitable<void> {
        crm::diagnostics diag;
        crm::list_audience_models_request req;
        auto [ec, out] = co_await client.async_list_audience_models(std::move(req), diag, tuple);
        BOOST_TEST(!ec);
        BOOST_TEST(diag.attempts == 2);  // refused as expired once, then re-signed
    });
}

BOOST_AUTO_TEST_CASE(tls_emulator)
{
    asio::io_context ioc;
    auto o = fast_options();
    o.tls = true;
    emu::emulator e(ioc.get_executor(), o);
    BOOST_TEST(e.endpoint_url().starts_with("https://127.0.0.1:"));
    BOOST_TEST(e.certificate_pem().find("BEGIN CERTIFICATE") != std::string::npos);
    crm::client client(ioc.get_executor(), e.client_config());
    auto untrusted_cfg = e.client_config();
    untrusted_cfg.tls.ca_file.reset();
    crm::client untrusted(ioc.get_executor(), untrusted_cfg);
    run(ioc, e, [&]() -> asio::awaitable<void> {
        auto r = dataset_request();
        auto ds = co_await client.async_create_training_dataset(std::move(r));
        crm::get_training_dataset_request get{.training_dataset_arn = ds.training_dataset_arn};
        auto got = co_await client.async_get_training_dataset(std::move(get));
        BOOST_TEST(got.name == "purchases");
        crm::list_training_datasets_request l;
        auto [ec, out] = co_await untrusted.async_list_training_datasets(std::move(l), tuple);
        BOOST_TEST(ec.failed());
    });
    std::string const ca = e.ca_file();
    BOOST_TEST(std::filesystem::exists(ca));
}

BOOST_AUTO_TEST_CASE(waiters_follow_the_emulated_lifecycles)
{
    asio::io_context ioc;
    auto o = fast_options();
    o.lifecycle_delay = 15ms;
    emu::emulator e(ioc.get_executor(), o);
    crm::client client(ioc.get_executor(), e.client_config());
    crm::wait_options const w{.min_delay = 2ms, .max_delay = 10ms, .max_wait = 5s};
    run(ioc, e, [&]() -> asio::awaitable<void> {
        auto ds_req = dataset_request();
        auto ds = (co_await client.async_create_training_dataset(std::move(ds_req))).training_dataset_arn;
        auto ds_active = co_await client.async_wait_until_training_dataset_active(ds, w);
        BOOST_TEST(ds_active.name == "purchases");

        crm::create_audience_model_request am{.name = "model", .training_dataset_arn = ds};
        auto model = (co_await client.async_create_audience_model(std::move(am))).audience_model_arn;
        auto const before = std::chrono::steady_clock::now();
        auto active = co_await client.async_wait_until_audience_model_active(model, w);
        BOOST_TEST((active.status == crm::audience_model_status::active));
        BOOST_TEST((std::chrono::steady_clock::now() - before >= 25ms));  // two steps of 15 ms, less clock slack

        auto cam_req = configured_request(model);
        auto cam = (co_await client.async_create_configured_audience_model(std::move(cam_req)))
                       .configured_audience_model_arn;
        co_await client.async_wait_until_configured_audience_model_active(cam, w);
        auto job_req = generation_request(cam);
        auto job = (co_await client.async_start_audience_generation_job(std::move(job_req))).audience_generation_job_arn;
        auto job_active = co_await client.async_wait_until_audience_generation_job_active(job, w);
        BOOST_TEST(job_active.metrics.has_value());

        crm::start_audience_export_job_request ex{.audience_generation_job_arn = job,
                                                  .audience_size = {.type = crm::audience_size_type::absolute,
                                                                    .value = 5000},
                                                  .name = "top"};
        co_await client.async_start_audience_export_job(std::move(ex));
        auto exported = co_await client.async_wait_until_audience_export_job_active(job, "top", w);
        BOOST_TEST(exported.output_location.has_value());

        // Deletion: stepped for jobs and models, at once for the others.
        crm::delete_audience_generation_job_request dj{.audience_generation_job_arn = job};
        co_await client.async_delete_audience_generation_job(std::move(dj));
        co_await client.async_wait_until_audience_generation_job_deleted(job, w);
        crm::delete_configured_audience_model_request dc{.configured_audience_model_arn = cam};
        co_await client.async_delete_configured_audience_model(std::move(dc));
        co_await client.async_wait_until_configured_audience_model_deleted(cam, w);
        crm::delete_audience_model_request dm{.audience_model_arn = model};
        co_await client.async_delete_audience_model(std::move(dm));
        co_await client.async_wait_until_audience_model_deleted(model, w);
        crm::delete_training_dataset_request dd{.training_dataset_arn = ds};
        co_await client.async_delete_training_dataset(std::move(dd));
        co_await client.async_wait_until_training_dataset_deleted(ds, w);

        // A failed training surfaces with its details.
        crm::create_audience_model_request am2{.name = "doomed", .training_dataset_arn = ds};
        auto [ec0, gone] = co_await client.async_create_audience_model(std::move(am2), tuple);
        BOOST_TEST((ec0 == crm::service_errc::resource_not_found));  // its dataset is gone
        auto ds2_req = dataset_request("again");
        auto ds2 = (co_await client.async_create_training_dataset(std::move(ds2_req))).training_dataset_arn;
        crm::create_audience_model_request am3{.name = "doomed", .training_dataset_arn = ds2};
        auto doomed = (co_await client.async_create_audience_model(std::move(am3))).audience_model_arn;
        e.fail_resource(doomed, {.message = "too few interactions", .status_code = "DATA_TOO_SMALL"});
        crm::diagnostics diag;
        auto [ec1, m1] = co_await client.async_wait_until_audience_model_active(doomed, w, diag, tuple);
        BOOST_TEST((ec1 == crm::client_errc::waiter_failure));
        BOOST_TEST(diag.message.find("CREATE_FAILED") != std::string::npos);
        BOOST_TEST(diag.message.find("DATA_TOO_SMALL") != std::string::npos);
        BOOST_TEST(diag.message.find("too few interactions") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(waiter_times_out_on_a_slow_lifecycle)
{
    asio::io_context ioc;
    auto o = fast_options();
    o.lifecycle_delay = 10s;
    emu::emulator e(ioc.get_executor(), o);
    crm::client client(ioc.get_executor(), e.client_config());
    run(ioc, e, [&]() -> asio::awaitable<void> {
        auto ds_req = dataset_request();
        auto ds = (co_await client.async_create_training_dataset(std::move(ds_req))).training_dataset_arn;
        crm::create_audience_model_request am{.name = "slow", .training_dataset_arn = ds};
        auto model = (co_await client.async_create_audience_model(std::move(am))).audience_model_arn;
        crm::diagnostics diag;
        crm::wait_options const w{.min_delay = 5ms, .max_delay = 20ms, .max_wait = 100ms};
        auto const before = std::chrono::steady_clock::now();
        auto [ec, m] = co_await client.async_wait_until_audience_model_active(model, w, diag, tuple);
        auto const took = std::chrono::steady_clock::now() - before;
        BOOST_TEST((ec == crm::client_errc::waiter_timeout));
        BOOST_TEST(diag.message.find("CREATE_PENDING") != std::string::npos);
        BOOST_TEST((took >= 100ms));
        BOOST_TEST((took < 3s));
    });
}

BOOST_AUTO_TEST_SUITE_END()
