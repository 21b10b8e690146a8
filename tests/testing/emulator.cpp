// The emulator: the service's rules checked through its transport-free core
// (requests the client would refuse to send, bad signatures, forged tokens,
// memberships and collaborations, lifecycles and their conflicts) and
// through the real client over HTTP and HTTPS (workflows, every custom-model
// operation, faults, clock skew).

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
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

// Optional values print as their value, so failed checks show it.
namespace boost::test_tools::tt_detail {
template <class T>
struct print_log_value<std::optional<T>> {
    void operator()(std::ostream& os, std::optional<T> const& v)
    {
        if (v) os << *v;
        else os << "(none)";
    }
};
} // namespace boost::test_tools::tt_detail

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
    r.audience_size_config = crm::audience_size_config{.audience_size_type = crm::audience_size_type::absolute,
                                                       .audience_size_bins = {1000, 5000}};
    return r;
}

crm::start_audience_generation_job_request generation_request(std::string cam_arn)
{
    crm::start_audience_generation_job_request r;
    r.configured_audience_model_arn = std::move(cam_arn);
    r.name = "spring-campaign";
    r.seed_audience.data_source = crm::s3_config_map{.s3_uri = "s3://bucket/seed.csv"};
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

// ---- custom models: two collaborations, three memberships ----

constexpr std::string_view collab_a = "aaaaaaaa-0000-4000-8000-00000000000a";
constexpr std::string_view collab_b = "bbbbbbbb-0000-4000-8000-00000000000b";
constexpr std::string_view member_a1 = "a1a1a1a1-0000-4000-8000-0000000000a1";
constexpr std::string_view member_a2 = "a2a2a2a2-0000-4000-8000-0000000000a2";  // another account
constexpr std::string_view member_b = "b1b1b1b1-0000-4000-8000-0000000000b1";
constexpr std::string_view stranger = "dddddddd-0000-4000-8000-0000000000dd";  // declared nowhere
constexpr std::string_view account_a2 = "111122223333";

emu::emulator_options member_options(std::chrono::milliseconds delay = 0ms)
{
    auto o = fast_options();
    o.lifecycle_delay = delay;
    o.collaborations = {
        {std::string(collab_a), {{std::string(member_a1)}, {std::string(member_a2), std::string(account_a2)}}},
        {std::string(collab_b), {{std::string(member_b)}}}};
    return o;
}

// Waits out two status steps of `o`: a phase begun before has ended.
void settle(emu::emulator_options const& o) { std::this_thread::sleep_for(2 * o.lifecycle_delay + 15ms); }

crm::create_configured_model_algorithm_request algorithm_request(std::string name = "xgboost")
{
    crm::create_configured_model_algorithm_request r;
    r.name = std::move(name);
    r.role_arn = "arn:aws:iam::123456789012:role/algorithm";
    r.training_container_config =
        crm::container_config{.image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/train:1"};
    r.inference_container_config =
        crm::inference_container_config{.image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/infer:1"};
    return r;
}

crm::create_configured_model_algorithm_association_request association_request(std::string_view membership,
                                                                               std::string algorithm)
{
    crm::create_configured_model_algorithm_association_request r;
    r.membership_identifier = std::string(membership);
    r.configured_model_algorithm_arn = std::move(algorithm);
    r.name = "xgboost-in-collaboration";
    return r;
}

crm::create_ml_input_channel_request channel_request(std::string_view membership, std::string association,
                                                     std::string name = "events")
{
    crm::create_ml_input_channel_request r;
    r.membership_identifier = std::string(membership);
    r.configured_model_algorithm_associations = {std::move(association)};
    r.input_channel.role_arn = "arn:aws:iam::123456789012:role/channel";
    r.input_channel.data_source.protected_query_input_parameters =
        crm::protected_query_input_parameters{.sql_parameters = {.query_string = "SELECT user_id, label FROM events"}};
    r.name = std::move(name);
    r.retention_in_days = 7;
    return r;
}

crm::create_trained_model_request model_request(std::string_view membership, std::string association,
                                                std::string channel, std::string name = "churn")
{
    crm::create_trained_model_request r;
    r.membership_identifier = std::string(membership);
    r.name = std::move(name);
    r.configured_model_algorithm_association_arn = std::move(association);
    r.resource_config = {
        .instance_count = 1, .instance_type = crm::instance_type::ml_m5_xlarge, .volume_size_in_gb = 10};
    r.data_channels = {{.ml_input_channel_arn = std::move(channel), .channel_name = "train"}};
    return r;
}

// A new version of `base` under `name` (the base's name: a version of it).
crm::create_trained_model_request version_request(std::string_view membership, std::string association,
                                                  std::string channel, std::string base, std::string name = "churn")
{
    auto r = model_request(membership, std::move(association), std::move(channel), std::move(name));
    r.incremental_training_data_channels = std::vector<crm::incremental_training_data_channel>{
        {.trained_model_arn = std::move(base), .channel_name = "base"}};
    return r;
}

crm::start_trained_model_inference_job_request inference_request(std::string_view membership, std::string model,
                                                                 std::string channel, std::string name = "scores")
{
    crm::start_trained_model_inference_job_request r;
    r.membership_identifier = std::string(membership);
    r.name = std::move(name);
    r.trained_model_arn = std::move(model);
    r.resource_config.instance_type = crm::inference_instance_type::ml_m5_xlarge;
    r.output_configuration.members = {{.account_id = "123456789012"}};
    r.data_source.ml_input_channel_arn = std::move(channel);
    return r;
}

crm::start_trained_model_export_job_request export_request(std::string_view membership, std::string model,
                                                           std::string name = "to-me")
{
    crm::start_trained_model_export_job_request r;
    r.name = std::move(name);
    r.trained_model_arn = std::move(model);
    r.membership_identifier = std::string(membership);
    r.output_configuration.members = {{.account_id = "123456789012"}};
    return r;
}

// An algorithm, its association, a channel and a model trained from it,
// in one membership; ACTIVE once `settle`d.
struct custom_chain {
    std::string algorithm, association, channel, model;
};

// An algorithm and its association in `membership`.
std::pair<std::string, std::string> associate(emu::detail::service& s, std::string_view membership)
{
    auto algorithm = decode<crm::create_configured_model_algorithm_response>(call(s, algorithm_request()))
                         .configured_model_algorithm_arn;
    auto association = decode<crm::create_configured_model_algorithm_association_response>(
                           call(s, association_request(membership, algorithm)))
                           .configured_model_algorithm_association_arn;
    return {algorithm, association};
}

custom_chain make_custom_chain(emu::detail::service& s, std::string_view membership)
{
    custom_chain c;
    std::tie(c.algorithm, c.association) = associate(s, membership);
    c.channel = decode<crm::create_ml_input_channel_response>(call(s, channel_request(membership, c.association)))
                    .ml_input_channel_arn;
    settle(s.options());
    c.model = decode<crm::create_trained_model_response>(call(s, model_request(membership, c.association, c.channel)))
                  .trained_model_arn;
    return c;
}

template <class Response, class Request>
std::string status_of(emu::detail::service& s, Request const& req)
{
    return std::string(decode<Response>(call(s, req)).status.value());
}

bool is_uuid(std::string const& s)
{
    return s.size() == 36 && s[8] == '-' && s[13] == '-' && s[18] == '-' && s[23] == '-' &&
           s.find_first_not_of("0123456789abcdef-") == std::string::npos;
}

// "arn:aws:cleanrooms-ml:us-east-1:<account>:membership/<m>/<kind>/<uuid>"
bool is_member_arn(std::string const& arn, std::string_view account, std::string_view membership, std::string_view kind)
{
    std::string prefix = "arn:aws:cleanrooms-ml:us-east-1:" + std::string(account) + ":membership/" +
                         std::string(membership) + "/" + std::string(kind) + "/";
    return arn.starts_with(prefix) && is_uuid(arn.substr(prefix.size()));
}

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

    // Temporary credentials (SSO, STS) carry a session token, which is signed:
    // with no token configured, any token passes, but the signature covers it.
    BOOST_TEST(send(s, sign(list, {"AKIDEMU", "emulator/secret", "session-token"})).status == 200);
    BOOST_TEST(send(s, sign(list, {"AKIDEMU", "another secret", "session-token"})).error_type ==
               "InvalidSignatureException");

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
    s.fail_resource(doomed, {.status_code = "INSUFFICIENT_DATA", .message = "no interactions in the table"});
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

    crm::list_training_datasets_request forged{.next_token = *first_token, .max_results = 2};
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

        crm::start_audience_export_job_request ex{.name = "top",
                                                  .audience_generation_job_arn = job,
                                                  .audience_size = {.type = crm::audience_size_type::absolute,
                                                                    .value = 5000}};
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
        e.fail_resource(doomed, {.status_code = "DATA_TOO_SMALL", .message = "too few interactions"});
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

BOOST_AUTO_TEST_CASE(collaborations_must_be_well_formed)
{
    auto upper = member_options();
    upper.collaborations[0].id = "AAAAAAAA-0000-4000-8000-00000000000A";
    BOOST_CHECK_EXCEPTION(emu::detail::service{upper}, std::invalid_argument,
                          [](auto const& e) { return std::string(e.what()).find("AAAAAAAA") != std::string::npos; });
    auto twice = member_options();
    twice.collaborations[1].memberships.push_back({std::string(member_a1)});
    BOOST_CHECK_THROW(emu::detail::service{twice}, std::invalid_argument);
    auto account = member_options();
    account.collaborations[1].memberships[0].account_id = "12345";
    BOOST_CHECK_THROW(emu::detail::service{account}, std::invalid_argument);
    BOOST_CHECK_NO_THROW(emu::detail::service{member_options()});
}

BOOST_AUTO_TEST_CASE(custom_models_are_seen_through_their_membership_and_collaboration)
{
    emu::detail::service s(member_options());
    auto alg = decode<crm::create_configured_model_algorithm_response>(call(s, algorithm_request()))
                   .configured_model_algorithm_arn;
    std::string const alg_prefix = "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-model-algorithm/";
    BOOST_TEST(alg.starts_with(alg_prefix));
    BOOST_TEST(is_uuid(alg.substr(alg_prefix.size())));
    auto assoc = [&](std::string_view m) {
        return decode<crm::create_configured_model_algorithm_association_response>(call(s, association_request(m, alg)))
            .configured_model_algorithm_association_arn;
    };
    auto a1 = assoc(member_a1), a2 = assoc(member_a2), b = assoc(member_b);
    BOOST_TEST(is_member_arn(a1, "123456789012", member_a1, "configured-model-algorithm-association"));
    BOOST_TEST(is_member_arn(a2, account_a2, member_a2, "configured-model-algorithm-association"));

    // Memberships and collaborations not declared: AccessDenied, before anything else.
    crm::list_configured_model_algorithm_associations_request strange_list{.membership_identifier =
                                                                               std::string(stranger)};
    auto r = call(s, strange_list);
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.error_type == "AccessDeniedException");
    BOOST_TEST(message_of(r).find(stranger) != std::string::npos);
    BOOST_TEST(call(s, association_request(stranger, alg)).error_type == "AccessDeniedException");
    crm::get_ml_input_channel_request strange_get{.ml_input_channel_arn =
                                                      "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" +
                                                      std::string(stranger) + "/ml-input-channel/x",
                                                  .membership_identifier = std::string(stranger)};
    BOOST_TEST(call(s, strange_get).error_type == "AccessDeniedException");
    crm::list_collaboration_trained_models_request strange_collab{.collaboration_identifier = std::string(stranger)};
    BOOST_TEST(call(s, strange_collab).error_type == "AccessDeniedException");

    // Gets: only through the creating membership.
    crm::get_configured_model_algorithm_association_request get{.configured_model_algorithm_association_arn = a1,
                                                                .membership_identifier = std::string(member_a1)};
    auto got = decode<crm::get_configured_model_algorithm_association_response>(call(s, get));
    BOOST_TEST(got.membership_identifier == member_a1);
    BOOST_TEST(got.collaboration_identifier == collab_a);
    BOOST_TEST(got.configured_model_algorithm_arn == alg);
    get.membership_identifier = member_a2;  // same collaboration, another membership
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");
    get.membership_identifier = member_b;
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");

    // Lists: only what the membership created.
    auto listed = [&](std::string_view m) {
        crm::list_configured_model_algorithm_associations_request l{.membership_identifier = std::string(m)};
        std::vector<std::string> arns;
        for (auto const& x : decode<crm::list_configured_model_algorithm_associations_response>(call(s, l))
                                 .configured_model_algorithm_associations)
            arns.push_back(x.configured_model_algorithm_association_arn);
        return arns;
    };
    BOOST_TEST(listed(member_a1) == std::vector<std::string>{a1});
    BOOST_TEST(listed(member_a2) == std::vector<std::string>{a2});
    BOOST_TEST(listed(member_b) == std::vector<std::string>{b});

    // Collaboration views: every membership of that collaboration, with its account.
    crm::list_collaboration_configured_model_algorithm_associations_request la{.collaboration_identifier =
                                                                                   std::string(collab_a)};
    auto in_a = decode<crm::list_collaboration_configured_model_algorithm_associations_response>(call(s, la))
                    .collaboration_configured_model_algorithm_associations;
    BOOST_REQUIRE(in_a.size() == 2u);
    BOOST_TEST(in_a[0].configured_model_algorithm_association_arn == a1);
    BOOST_TEST(in_a[0].creator_account_id == "123456789012");
    BOOST_TEST(in_a[1].configured_model_algorithm_association_arn == a2);
    BOOST_TEST(in_a[1].creator_account_id == account_a2);
    BOOST_TEST(in_a[1].membership_identifier == member_a2);
    la.collaboration_identifier = collab_b;
    auto in_b = decode<crm::list_collaboration_configured_model_algorithm_associations_response>(call(s, la))
                    .collaboration_configured_model_algorithm_associations;
    BOOST_REQUIRE(in_b.size() == 1u);
    BOOST_TEST(in_b[0].configured_model_algorithm_association_arn == b);
    crm::get_collaboration_configured_model_algorithm_association_request gc{
        .configured_model_algorithm_association_arn = a2, .collaboration_identifier = std::string(collab_a)};
    BOOST_TEST(decode<crm::get_collaboration_configured_model_algorithm_association_response>(call(s, gc))
                   .creator_account_id == account_a2);
    gc.collaboration_identifier = collab_b;
    BOOST_TEST(call(s, gc).error_type == "ResourceNotFoundException");

    // What a membership creates refers to its own resources only.
    BOOST_TEST(call(s, channel_request(member_a2, a1)).error_type == "ResourceNotFoundException");
    auto chain_b = make_custom_chain(s, member_b);
    crm::get_trained_model_request gm{.trained_model_arn = chain_b.model,
                                      .membership_identifier = std::string(member_a1)};
    BOOST_TEST(call(s, gm).error_type == "ResourceNotFoundException");
    crm::get_collaboration_trained_model_request gcm{.trained_model_arn = chain_b.model,
                                                     .collaboration_identifier = std::string(collab_a)};
    BOOST_TEST(call(s, gcm).error_type == "ResourceNotFoundException");
    gcm.collaboration_identifier = collab_b;
    BOOST_TEST(decode<crm::get_collaboration_trained_model_response>(call(s, gcm)).creator_account_id ==
               "123456789012");
    crm::list_collaboration_ml_input_channels_request lc{.collaboration_identifier = std::string(collab_a)};
    BOOST_TEST(decode<crm::list_collaboration_ml_input_channels_response>(call(s, lc))
                   .collaboration_ml_input_channels_list.empty());
}

BOOST_AUTO_TEST_CASE(ml_configurations_per_membership)
{
    emu::detail::service s(member_options());
    crm::get_ml_configuration_request get{.membership_identifier = std::string(member_a1)};
    crm::delete_ml_configuration_request del{.membership_identifier = std::string(member_a1)};
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");
    BOOST_TEST(call(s, del).error_type == "ResourceNotFoundException");

    crm::put_ml_configuration_request put;
    put.membership_identifier = member_a1;
    put.default_output_location.role_arn = "arn:aws:iam::123456789012:role/out";
    put.default_output_location.destination = crm::destination{.s3_destination = {.s3_uri = "s3://bucket/ml/"}};
    BOOST_TEST(call(s, put).status == 200);
    auto first = decode<crm::get_ml_configuration_response>(call(s, get));
    BOOST_TEST(first.membership_identifier == member_a1);
    BOOST_TEST(first.default_output_location.destination->s3_destination.s3_uri == "s3://bucket/ml/");
    BOOST_TEST((first.create_time == first.update_time));

    std::this_thread::sleep_for(2ms);
    put.default_output_location.role_arn = "arn:aws:iam::123456789012:role/other";
    put.default_output_location.destination.reset();
    BOOST_TEST(call(s, put).status == 200);  // replaces
    auto second = decode<crm::get_ml_configuration_response>(call(s, get));
    BOOST_TEST(second.default_output_location.role_arn == "arn:aws:iam::123456789012:role/other");
    BOOST_TEST(!second.default_output_location.destination.has_value());
    BOOST_TEST((second.create_time == first.create_time));
    BOOST_TEST((second.update_time > first.update_time));

    crm::get_ml_configuration_request other{.membership_identifier = std::string(member_a2)};
    BOOST_TEST(call(s, other).error_type == "ResourceNotFoundException");
    put.membership_identifier = stranger;
    BOOST_TEST(call(s, put).error_type == "AccessDeniedException");
    BOOST_TEST(call(s, del).status == 200);
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(algorithms_associations_and_what_blocks_their_deletion)
{
    emu::detail::service s(member_options());
    auto alg_req = algorithm_request("forest");
    alg_req.description = "random forest";
    alg_req.kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/k";
    auto alg = decode<crm::create_configured_model_algorithm_response>(call(s, alg_req)).configured_model_algorithm_arn;
    crm::get_configured_model_algorithm_request get_alg{.configured_model_algorithm_arn = alg};
    auto got = decode<crm::get_configured_model_algorithm_response>(call(s, get_alg));
    BOOST_TEST(got.name == "forest");
    BOOST_TEST(*got.description == "random forest");
    BOOST_TEST(got.role_arn == alg_req.role_arn);
    BOOST_TEST(got.training_container_config->image_uri == alg_req.training_container_config->image_uri);
    BOOST_TEST(got.inference_container_config->image_uri == alg_req.inference_container_config->image_uri);
    BOOST_TEST(*got.kms_key_arn == *alg_req.kms_key_arn);
    auto algs =
        decode<crm::list_configured_model_algorithms_response>(call(s, crm::list_configured_model_algorithms_request{}))
            .configured_model_algorithms;
    BOOST_REQUIRE(algs.size() == 1u);
    BOOST_TEST(algs[0].configured_model_algorithm_arn == alg);
    BOOST_TEST(*algs[0].description == "random forest");

    auto missing = association_request(
        member_a1,
        "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-model-algorithm/00000000-0000-4000-8000-000000000000");
    BOOST_TEST(call(s, missing).error_type == "ResourceNotFoundException");
    auto assoc_req = association_request(member_a1, alg);
    assoc_req.privacy_configuration = crm::privacy_configuration{};
    assoc_req.privacy_configuration->policies.trained_model_exports = crm::trained_model_exports_configuration_policy{
        .max_size = {.unit = crm::trained_model_exports_max_size_unit_type::gb, .value = 5},
        .files_to_export = {crm::trained_model_export_file_type::model}};
    auto assoc = decode<crm::create_configured_model_algorithm_association_response>(call(s, assoc_req))
                     .configured_model_algorithm_association_arn;
    crm::get_configured_model_algorithm_association_request get_assoc{
        .configured_model_algorithm_association_arn = assoc, .membership_identifier = std::string(member_a1)};
    auto a = decode<crm::get_configured_model_algorithm_association_response>(call(s, get_assoc));
    BOOST_TEST(a.privacy_configuration->policies.trained_model_exports->max_size.value == 5);

    crm::delete_configured_model_algorithm_request del_alg{.configured_model_algorithm_arn = alg};
    auto r = call(s, del_alg);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find(assoc) != std::string::npos);

    // A channel uses the association until its data is deleted.
    auto channel =
        decode<crm::create_ml_input_channel_response>(call(s, channel_request(member_a1, assoc))).ml_input_channel_arn;
    crm::delete_configured_model_algorithm_association_request del_assoc{
        .configured_model_algorithm_association_arn = assoc, .membership_identifier = std::string(member_a1)};
    r = call(s, del_assoc);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find(channel) != std::string::npos);
    crm::delete_ml_input_channel_data_request del_data{.ml_input_channel_arn = channel,
                                                       .membership_identifier = std::string(member_a1)};
    BOOST_TEST(call(s, del_data).status == 200);
    del_assoc.membership_identifier = member_a2;  // not its membership
    BOOST_TEST(call(s, del_assoc).error_type == "ResourceNotFoundException");
    del_assoc.membership_identifier = member_a1;
    BOOST_TEST(call(s, del_assoc).status == 200);
    BOOST_TEST(call(s, get_assoc).error_type == "ResourceNotFoundException");
    BOOST_TEST(call(s, del_alg).status == 200);
    BOOST_TEST(call(s, get_alg).error_type == "ResourceNotFoundException");
    BOOST_TEST(call(s, del_alg).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(ml_input_channel_lifecycle)
{
    auto o = member_options(40ms);
    emu::detail::service s(o);
    auto const [alg, assoc] = associate(s, member_a1);
    auto channel =
        decode<crm::create_ml_input_channel_response>(call(s, channel_request(member_a1, assoc))).ml_input_channel_arn;
    BOOST_TEST(is_member_arn(channel, "123456789012", member_a1, "ml-input-channel"));
    crm::get_ml_input_channel_request get{.ml_input_channel_arn = channel,
                                          .membership_identifier = std::string(member_a1)};
    auto pending = decode<crm::get_ml_input_channel_response>(call(s, get));
    BOOST_TEST(pending.status.value() == "CREATE_PENDING");
    BOOST_TEST(!pending.protected_query_identifier.has_value());
    BOOST_TEST(!pending.number_of_records.has_value());
    BOOST_TEST(pending.retention_in_days == 7);
    BOOST_TEST(*pending.input_channel.data_source.protected_query_input_parameters->sql_parameters.query_string ==
               "SELECT user_id, label FROM events");
    crm::delete_ml_input_channel_data_request del{.ml_input_channel_arn = channel,
                                                  .membership_identifier = std::string(member_a1)};
    BOOST_TEST(call(s, del).error_type == "ConflictException");  // still creating
    // Not usable for training until ACTIVE.
    BOOST_TEST(call(s, model_request(member_a1, assoc, channel)).error_type == "ConflictException");
    std::this_thread::sleep_for(50ms);
    BOOST_TEST((status_of<crm::get_ml_input_channel_response>(s, get) == "CREATE_IN_PROGRESS"));
    std::this_thread::sleep_for(40ms);
    auto active = decode<crm::get_ml_input_channel_response>(call(s, get));
    BOOST_TEST(active.status.value() == "ACTIVE");
    BOOST_REQUIRE(active.protected_query_identifier.has_value());
    BOOST_TEST(is_uuid(*active.protected_query_identifier));
    BOOST_TEST(active.number_of_records.value_or(0) > 0);
    BOOST_TEST(active.number_of_files.value_or(0) > 0);
    BOOST_TEST(active.size_in_gb.value_or(0) > 0);
    BOOST_TEST((active.update_time - active.create_time >= 80ms));
    crm::get_collaboration_ml_input_channel_request gc{.ml_input_channel_arn = channel,
                                                       .collaboration_identifier = std::string(collab_a)};
    auto seen = decode<crm::get_collaboration_ml_input_channel_response>(call(s, gc));
    BOOST_TEST(seen.status.value() == "ACTIVE");
    BOOST_TEST(seen.creator_account_id == "123456789012");
    BOOST_TEST(seen.number_of_records == active.number_of_records);
    crm::list_ml_input_channels_request list{.membership_identifier = std::string(member_a1)};
    auto listed = decode<crm::list_ml_input_channels_response>(call(s, list)).ml_input_channels_list;
    BOOST_REQUIRE(listed.size() == 1u);
    BOOST_TEST(listed[0].protected_query_identifier == active.protected_query_identifier);

    // Deleting its data: stepped to INACTIVE, and the channel stays.
    BOOST_TEST(call(s, del).status == 200);
    BOOST_TEST((status_of<crm::get_ml_input_channel_response>(s, get) == "DELETE_PENDING"));
    BOOST_TEST(call(s, del).error_type == "ConflictException");
    settle(o);
    auto inactive = decode<crm::get_ml_input_channel_response>(call(s, get));
    BOOST_TEST(inactive.status.value() == "INACTIVE");
    BOOST_TEST(!inactive.number_of_records.has_value());
    BOOST_TEST(inactive.protected_query_identifier == active.protected_query_identifier);
    listed = decode<crm::list_ml_input_channels_response>(call(s, list)).ml_input_channels_list;
    BOOST_REQUIRE(listed.size() == 1u);
    BOOST_TEST(listed[0].status.value() == "INACTIVE");
    crm::list_collaboration_ml_input_channels_request lc{.collaboration_identifier = std::string(collab_a)};
    auto in_collab =
        decode<crm::list_collaboration_ml_input_channels_response>(call(s, lc)).collaboration_ml_input_channels_list;
    BOOST_REQUIRE(in_collab.size() == 1u);
    BOOST_TEST(in_collab[0].status.value() == "INACTIVE");
    auto r = call(s, del);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find("INACTIVE") != std::string::npos);
    BOOST_TEST(call(s, model_request(member_a1, assoc, channel)).error_type == "ConflictException");

    // Its associations must exist in its membership.
    auto gone = channel_request(member_a1, "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" +
                                               std::string(member_a1) + "/configured-model-algorithm-association/none");
    BOOST_TEST(call(s, gone).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(trained_model_versions_and_incremental_training)
{
    emu::detail::service s(member_options());
    auto c = make_custom_chain(s, member_a1);
    BOOST_TEST(is_member_arn(c.model, "123456789012", member_a1, "trained-model"));
    crm::get_trained_model_request get{.trained_model_arn = c.model, .membership_identifier = std::string(member_a1)};
    auto base = decode<crm::get_trained_model_response>(call(s, get));
    BOOST_TEST(base.status.value() == "ACTIVE");
    BOOST_TEST(!base.version_identifier.has_value());  // the base version has none
    BOOST_TEST(base.name == "churn");
    BOOST_TEST(base.collaboration_identifier == collab_a);
    BOOST_REQUIRE(base.data_channels.size() == 1u);
    BOOST_TEST(base.data_channels[0].ml_input_channel_arn == c.channel);
    BOOST_TEST(base.training_container_image_digest->starts_with("sha256:"));

    // The base model's name: a new version of it, same ARN.
    auto v1 = decode<crm::create_trained_model_response>(
        call(s, version_request(member_a1, c.association, c.channel, c.model)));
    BOOST_TEST(v1.trained_model_arn == c.model);
    BOOST_REQUIRE(v1.version_identifier.has_value());
    BOOST_TEST(is_uuid(*v1.version_identifier));
    auto latest = decode<crm::get_trained_model_response>(call(s, get));
    BOOST_TEST(latest.version_identifier == v1.version_identifier);
    BOOST_REQUIRE(latest.incremental_training_data_channels.has_value());
    BOOST_TEST(latest.incremental_training_data_channels->at(0).model_name == "churn");
    BOOST_TEST(latest.incremental_training_data_channels->at(0).channel_name == "base");
    BOOST_TEST(!latest.incremental_training_data_channels->at(0).version_identifier.has_value());  // from the base
    auto v2 = decode<crm::create_trained_model_response>(
        call(s, version_request(member_a1, c.association, c.channel, c.model)));
    BOOST_TEST(v2.trained_model_arn == c.model);
    BOOST_TEST(v2.version_identifier != v1.version_identifier);
    auto third = decode<crm::get_trained_model_response>(call(s, get));
    BOOST_TEST(third.version_identifier == v2.version_identifier);
    BOOST_TEST(third.incremental_training_data_channels->at(0).version_identifier ==
               v1.version_identifier);  // the latest then
    auto get_v1 = get;
    get_v1.version_identifier = v1.version_identifier;
    BOOST_TEST(decode<crm::get_trained_model_response>(call(s, get_v1)).version_identifier == v1.version_identifier);
    get_v1.version_identifier = "00000000-0000-4000-8000-000000000000";
    BOOST_TEST(call(s, get_v1).error_type == "ResourceNotFoundException");

    crm::list_trained_model_versions_request versions{.membership_identifier = std::string(member_a1),
                                                      .trained_model_arn = c.model};
    auto all = decode<crm::list_trained_model_versions_response>(call(s, versions)).trained_models;
    BOOST_REQUIRE(all.size() == 3u);
    BOOST_TEST(!all[0].version_identifier.has_value());
    BOOST_TEST(all[1].version_identifier == v1.version_identifier);
    BOOST_TEST(all[2].version_identifier == v2.version_identifier);
    versions.status = crm::trained_model_status::create_pending;
    BOOST_TEST(decode<crm::list_trained_model_versions_response>(call(s, versions)).trained_models.empty());
    versions.status = crm::trained_model_status::active;
    BOOST_TEST(decode<crm::list_trained_model_versions_response>(call(s, versions)).trained_models.size() == 3u);
    versions.membership_identifier = member_a2;
    BOOST_TEST(call(s, versions).error_type == "ResourceNotFoundException");

    // Another name: a new model that names its base.
    auto other = decode<crm::create_trained_model_response>(
        call(s, version_request(member_a1, c.association, c.channel, c.model, "churn-plus")));
    BOOST_TEST(other.trained_model_arn != c.model);
    BOOST_TEST(!other.version_identifier.has_value());
    crm::get_trained_model_request get_other{.trained_model_arn = other.trained_model_arn,
                                             .membership_identifier = std::string(member_a1)};
    auto derived = decode<crm::get_trained_model_response>(call(s, get_other));
    BOOST_TEST(derived.name == "churn-plus");
    BOOST_REQUIRE(derived.incremental_training_data_channels.has_value());
    BOOST_TEST(derived.incremental_training_data_channels->at(0).model_name == "churn");
    BOOST_TEST(derived.incremental_training_data_channels->at(0).version_identifier == v2.version_identifier);
    crm::list_trained_models_request models{.membership_identifier = std::string(member_a1)};
    auto listed = decode<crm::list_trained_models_response>(call(s, models)).trained_models;
    BOOST_REQUIRE(listed.size() == 2u);  // each model once, as its latest version
    BOOST_TEST(listed[0].trained_model_arn == c.model);
    BOOST_TEST(listed[0].version_identifier == v2.version_identifier);
    BOOST_TEST(listed[1].trained_model_arn == other.trained_model_arn);
    crm::list_collaboration_trained_models_request lc{.collaboration_identifier = std::string(collab_a)};
    BOOST_TEST(
        decode<crm::list_collaboration_trained_models_response>(call(s, lc)).collaboration_trained_models.size() == 2u);

    // A base that is missing, another membership's, or not ACTIVE.
    auto missing = version_request(member_a1, c.association, c.channel,
                                   "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" + std::string(member_a1) +
                                       "/trained-model/none");
    BOOST_TEST(call(s, missing).error_type == "ResourceNotFoundException");
    auto c2 = make_custom_chain(s, member_a2);
    BOOST_TEST(call(s, version_request(member_a1, c.association, c.channel, c2.model)).error_type ==
               "ResourceNotFoundException");
    s.fail_resource(c.model, {.status_code = "ALGORITHM_ERROR", .message = "diverged"});  // the latest, v2
    BOOST_TEST(decode<crm::get_trained_model_response>(call(s, get)).status.value() == "CREATE_FAILED");
    auto r = call(s, version_request(member_a1, c.association, c.channel, c.model));
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find("CREATE_FAILED") != std::string::npos);
    auto from_v1 = version_request(member_a1, c.association, c.channel, c.model);
    from_v1.incremental_training_data_channels->at(0).version_identifier = v1.version_identifier;
    BOOST_TEST(call(s, from_v1).status == 200);  // an ACTIVE version named explicitly

    // Channels: missing, other membership's, repeated names.
    auto bad = model_request(member_a1, c.association, c2.channel);
    BOOST_TEST(call(s, bad).error_type == "ResourceNotFoundException");
    auto twice = model_request(member_a1, c.association, c.channel);
    twice.data_channels.push_back(twice.data_channels[0]);
    BOOST_TEST(call(s, twice).error_type == "ValidationException");
    auto no_assoc = model_request(member_a1, c2.association, c.channel);
    BOOST_TEST(call(s, no_assoc).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(cancelling_training_and_deleting_model_output)
{
    auto o = member_options(40ms);
    emu::detail::service s(o);
    auto c = make_custom_chain(s, member_a1);
    crm::get_trained_model_request get{.trained_model_arn = c.model, .membership_identifier = std::string(member_a1)};
    crm::cancel_trained_model_request cancel{.membership_identifier = std::string(member_a1),
                                             .trained_model_arn = c.model};
    crm::delete_trained_model_output_request del{.trained_model_arn = c.model,
                                                 .membership_identifier = std::string(member_a1)};
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "CREATE_PENDING"));
    BOOST_TEST(call(s, del).error_type == "ConflictException");  // still training
    crm::delete_ml_input_channel_data_request del_data{.ml_input_channel_arn = c.channel,
                                                       .membership_identifier = std::string(member_a1)};
    auto reading = call(s, del_data);  // the training reads it
    BOOST_TEST(reading.error_type == "ConflictException");
    BOOST_TEST(message_of(reading).find(c.model) != std::string::npos);
    BOOST_TEST(call(s, cancel).status == 200);
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "CANCEL_PENDING"));
    BOOST_TEST(call(s, cancel).error_type == "ConflictException");
    std::this_thread::sleep_for(50ms);
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "CANCEL_IN_PROGRESS"));
    settle(o);
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "INACTIVE"));
    BOOST_TEST(call(s, del).error_type == "ConflictException");  // nothing left to delete
    BOOST_TEST(call(s, cancel).error_type == "ConflictException");

    // A trained model: no cancelling; its output goes once no job uses it.
    auto model = decode<crm::create_trained_model_response>(
                     call(s, model_request(member_a1, c.association, c.channel, "second")))
                     .trained_model_arn;
    settle(o);
    get.trained_model_arn = cancel.trained_model_arn = del.trained_model_arn = model;
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "ACTIVE"));
    auto r = call(s, cancel);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find("ACTIVE") != std::string::npos);

    // Versions are cancelled on their own; without an identifier, the base.
    auto v1 = decode<crm::create_trained_model_response>(
                  call(s, version_request(member_a1, c.association, c.channel, model, "second")))
                  .version_identifier;
    BOOST_TEST(call(s, cancel).error_type == "ConflictException");  // the base is ACTIVE
    auto cancel_v1 = cancel;
    cancel_v1.version_identifier = v1;
    BOOST_TEST(call(s, cancel_v1).status == 200);
    BOOST_TEST((status_of<crm::get_trained_model_response>(s, get) == "CANCEL_PENDING"));  // the latest
    auto get_base = decode<crm::list_trained_model_versions_response>(
        call(s, crm::list_trained_model_versions_request{.membership_identifier = std::string(member_a1),
                                                         .trained_model_arn = model}));
    BOOST_TEST(get_base.trained_models[0].status.value() == "ACTIVE");

    // Jobs without a version run the base one; its output stays while they run.
    auto job =
        decode<crm::start_trained_model_inference_job_response>(call(s, inference_request(member_a1, model, c.channel)))
            .trained_model_inference_job_arn;
    r = call(s, del);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find(job) != std::string::npos);
    settle(o);
    BOOST_TEST(call(s, del).status == 200);
    auto versions = decode<crm::list_trained_model_versions_response>(
        call(s, crm::list_trained_model_versions_request{.membership_identifier = std::string(member_a1),
                                                         .trained_model_arn = model}));
    BOOST_TEST(versions.trained_models[0].status.value() == "DELETE_PENDING");
    BOOST_TEST(call(s, del).error_type == "ConflictException");
    BOOST_TEST(call(s, del_data).status == 200);  // deleting an output reads no channel
    settle(o);
    versions = decode<crm::list_trained_model_versions_response>(
        call(s, crm::list_trained_model_versions_request{.membership_identifier = std::string(member_a1),
                                                         .trained_model_arn = model}));
    BOOST_REQUIRE(versions.trained_models.size() == 2u);
    BOOST_TEST(versions.trained_models[0].status.value() == "INACTIVE");  // output deleted
    BOOST_TEST(versions.trained_models[1].status.value() == "INACTIVE");  // cancelled
    auto del_v1 = del;
    del_v1.version_identifier = v1;
    BOOST_TEST(call(s, del_v1).error_type == "ConflictException");
    BOOST_TEST(call(s, inference_request(member_a1, model, c.channel)).error_type == "ConflictException");
    crm::delete_trained_model_output_request elsewhere{.trained_model_arn = model,
                                                       .membership_identifier = std::string(member_a2)};
    BOOST_TEST(call(s, elsewhere).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(trained_model_export_jobs)
{
    auto o = member_options(40ms);
    emu::detail::service s(o);
    auto c = make_custom_chain(s, member_a1);
    // Not before the model is ACTIVE.
    BOOST_TEST(call(s, export_request(member_a1, c.model)).error_type == "ConflictException");
    settle(o);
    // The membership is the receiving member's: another one of the collaboration.
    BOOST_TEST(call(s, export_request(member_a2, c.model)).status == 200);
    BOOST_TEST(call(s, export_request(member_a2, c.model)).error_type == "ConflictException");  // same name
    BOOST_TEST(call(s, export_request(member_b, c.model)).error_type == "ResourceNotFoundException");
    crm::list_collaboration_trained_model_export_jobs_request list{.collaboration_identifier = std::string(collab_a),
                                                                   .trained_model_arn = c.model};
    auto jobs = decode<crm::list_collaboration_trained_model_export_jobs_response>(call(s, list))
                    .collaboration_trained_model_export_jobs;
    BOOST_REQUIRE(jobs.size() == 1u);
    BOOST_TEST(jobs[0].name == "to-me");
    BOOST_TEST(jobs[0].status.value() == "CREATE_PENDING");
    BOOST_TEST(jobs[0].membership_identifier == member_a2);
    BOOST_TEST(jobs[0].creator_account_id == account_a2);
    BOOST_TEST(!jobs[0].trained_model_version_identifier.has_value());
    BOOST_TEST(jobs[0].output_configuration.members[0].account_id == "123456789012");
    // The output stays while it is exported.
    crm::delete_trained_model_output_request del{.trained_model_arn = c.model,
                                                 .membership_identifier = std::string(member_a1)};
    auto r = call(s, del);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find("to-me") != std::string::npos);
    settle(o);
    jobs = decode<crm::list_collaboration_trained_model_export_jobs_response>(call(s, list))
               .collaboration_trained_model_export_jobs;
    BOOST_TEST(jobs[0].status.value() == "ACTIVE");

    // Names are unique per version.
    auto v1 = decode<crm::create_trained_model_response>(
                  call(s, version_request(member_a1, c.association, c.channel, c.model)))
                  .version_identifier;
    auto of_v1 = export_request(member_a1, c.model);
    of_v1.trained_model_version_identifier = v1;
    BOOST_TEST(call(s, of_v1).error_type == "ConflictException");  // v1 is still training
    settle(o);
    BOOST_TEST(call(s, of_v1).status == 200);
    list.trained_model_version_identifier = v1;
    jobs = decode<crm::list_collaboration_trained_model_export_jobs_response>(call(s, list))
               .collaboration_trained_model_export_jobs;
    BOOST_REQUIRE(jobs.size() == 1u);
    BOOST_TEST(jobs[0].trained_model_version_identifier == v1);
    BOOST_TEST(jobs[0].membership_identifier == member_a1);
    list.trained_model_version_identifier.reset();
    BOOST_TEST(decode<crm::list_collaboration_trained_model_export_jobs_response>(call(s, list))
                   .collaboration_trained_model_export_jobs.size() == 2u);
    list.collaboration_identifier = collab_b;
    BOOST_TEST(decode<crm::list_collaboration_trained_model_export_jobs_response>(call(s, list))
                   .collaboration_trained_model_export_jobs.empty());
    of_v1.trained_model_version_identifier = "00000000-0000-4000-8000-000000000000";
    BOOST_TEST(call(s, of_v1).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(inference_jobs_lifecycle_and_cancelling)
{
    auto o = member_options(40ms);
    emu::detail::service s(o);
    auto c = make_custom_chain(s, member_a1);
    BOOST_TEST(call(s, inference_request(member_a1, c.model, c.channel)).error_type == "ConflictException");
    settle(o);
    auto j1 = decode<crm::start_trained_model_inference_job_response>(
                  call(s, inference_request(member_a1, c.model, c.channel, "first")))
                  .trained_model_inference_job_arn;
    BOOST_TEST(is_member_arn(j1, "123456789012", member_a1, "trained-model-inference-job"));
    crm::get_trained_model_inference_job_request get{.membership_identifier = std::string(member_a1),
                                                     .trained_model_inference_job_arn = j1};
    auto pending = decode<crm::get_trained_model_inference_job_response>(call(s, get));
    BOOST_TEST(pending.status.value() == "CREATE_PENDING");
    BOOST_TEST(pending.trained_model_arn == c.model);
    BOOST_TEST(*pending.configured_model_algorithm_association_arn == c.association);  // the model's
    BOOST_TEST(pending.data_source.ml_input_channel_arn == c.channel);
    BOOST_TEST(pending.membership_identifier == member_a1);
    crm::cancel_trained_model_inference_job_request cancel{.membership_identifier = std::string(member_a1),
                                                           .trained_model_inference_job_arn = j1};
    BOOST_TEST(call(s, cancel).status == 200);
    BOOST_TEST((status_of<crm::get_trained_model_inference_job_response>(s, get) == "CANCEL_PENDING"));
    BOOST_TEST(call(s, cancel).error_type == "ConflictException");
    settle(o);
    BOOST_TEST((status_of<crm::get_trained_model_inference_job_response>(s, get) == "INACTIVE"));

    auto j2 = decode<crm::start_trained_model_inference_job_response>(
                  call(s, inference_request(member_a1, c.model, c.channel, "second")))
                  .trained_model_inference_job_arn;
    settle(o);
    get.trained_model_inference_job_arn = cancel.trained_model_inference_job_arn = j2;
    auto done = decode<crm::get_trained_model_inference_job_response>(call(s, get));
    BOOST_TEST(done.status.value() == "ACTIVE");
    BOOST_TEST(done.inference_container_image_digest->starts_with("sha256:"));
    auto r = call(s, cancel);
    BOOST_TEST(r.error_type == "ConflictException");
    BOOST_TEST(message_of(r).find("ACTIVE") != std::string::npos);
    get.membership_identifier = member_a2;
    BOOST_TEST(call(s, get).error_type == "ResourceNotFoundException");

    // Its channel must exist in the membership and be ACTIVE.
    auto fresh =
        decode<crm::create_ml_input_channel_response>(call(s, channel_request(member_a1, c.association, "fresh")))
            .ml_input_channel_arn;
    BOOST_TEST(call(s, inference_request(member_a1, c.model, fresh)).error_type == "ConflictException");
    auto other = make_custom_chain(s, member_a2);
    BOOST_TEST(call(s, inference_request(member_a1, c.model, other.channel)).error_type == "ResourceNotFoundException");
    BOOST_TEST(call(s, inference_request(member_a1, other.model, c.channel)).error_type == "ResourceNotFoundException");

    crm::list_trained_model_inference_jobs_request list{.membership_identifier = std::string(member_a1)};
    auto mine = decode<crm::list_trained_model_inference_jobs_response>(call(s, list)).trained_model_inference_jobs;
    BOOST_REQUIRE(mine.size() == 2u);
    BOOST_TEST(mine[0].trained_model_inference_job_arn == j1);
    BOOST_TEST(mine[0].status.value() == "INACTIVE");
    BOOST_TEST(mine[1].name == "second");
    list.trained_model_arn = other.model;
    BOOST_TEST(
        decode<crm::list_trained_model_inference_jobs_response>(call(s, list)).trained_model_inference_jobs.empty());
    list.trained_model_arn = c.model;
    list.trained_model_version_identifier = "00000000-0000-4000-8000-000000000000";
    BOOST_TEST(
        decode<crm::list_trained_model_inference_jobs_response>(call(s, list)).trained_model_inference_jobs.empty());
    crm::list_collaboration_trained_model_inference_jobs_request lc{.collaboration_identifier = std::string(collab_a),
                                                                    .trained_model_arn = c.model};
    auto shared = decode<crm::list_collaboration_trained_model_inference_jobs_response>(call(s, lc))
                      .collaboration_trained_model_inference_jobs;
    BOOST_REQUIRE(shared.size() == 2u);
    BOOST_TEST(shared[1].creator_account_id == "123456789012");
    lc.collaboration_identifier = collab_b;
    BOOST_TEST(decode<crm::list_collaboration_trained_model_inference_jobs_response>(call(s, lc))
                   .collaboration_trained_model_inference_jobs.empty());
}

BOOST_AUTO_TEST_CASE(injected_failures_on_custom_models)
{
    auto o = member_options(40ms);
    emu::detail::service s(o);
    auto const [alg, assoc] = associate(s, member_a1);
    // Resources without such statuses cannot fail.
    BOOST_CHECK_THROW(s.fail_resource(alg, {}), std::invalid_argument);
    BOOST_CHECK_THROW(s.fail_resource(assoc, {}), std::invalid_argument);

    auto channel =
        decode<crm::create_ml_input_channel_response>(call(s, channel_request(member_a1, assoc))).ml_input_channel_arn;
    s.fail_resource(channel, {.status_code = "QUERY_FAILED", .message = "the query found no rows"});
    settle(o);
    crm::get_ml_input_channel_request get_channel{.ml_input_channel_arn = channel,
                                                  .membership_identifier = std::string(member_a1)};
    auto failed = decode<crm::get_ml_input_channel_response>(call(s, get_channel));
    BOOST_TEST(failed.status.value() == "CREATE_FAILED");
    BOOST_REQUIRE(failed.status_details.has_value());
    BOOST_TEST(*failed.status_details->status_code == "QUERY_FAILED");
    BOOST_TEST(!failed.protected_query_identifier.has_value());
    crm::delete_ml_input_channel_data_request del{.ml_input_channel_arn = channel,
                                                  .membership_identifier = std::string(member_a1)};
    BOOST_TEST(call(s, del).status == 200);  // a failed channel can be deleted
    s.fail_resource(channel, {.status_code = "S3_ERROR", .message = "access denied"});
    settle(o);
    failed = decode<crm::get_ml_input_channel_response>(call(s, get_channel));
    BOOST_TEST(failed.status.value() == "DELETE_FAILED");
    BOOST_TEST(*failed.status_details->message == "access denied");

    auto good = decode<crm::create_ml_input_channel_response>(call(s, channel_request(member_a1, assoc, "good")))
                    .ml_input_channel_arn;
    settle(o);
    auto model =
        decode<crm::create_trained_model_response>(call(s, model_request(member_a1, assoc, good))).trained_model_arn;
    crm::cancel_trained_model_request cancel{.membership_identifier = std::string(member_a1),
                                             .trained_model_arn = model};
    BOOST_TEST(call(s, cancel).status == 200);
    s.fail_resource(model, {.status_code = "STUCK", .message = "the instance did not stop"});
    settle(o);
    crm::get_trained_model_request get_model{.trained_model_arn = model,
                                             .membership_identifier = std::string(member_a1)};
    auto cancel_failed = decode<crm::get_trained_model_response>(call(s, get_model));
    BOOST_TEST(cancel_failed.status.value() == "CANCEL_FAILED");
    BOOST_TEST(*cancel_failed.status_details->status_code == "STUCK");

    // One version of a model fails, the others do not.
    auto trained = decode<crm::create_trained_model_response>(call(s, model_request(member_a1, assoc, good, "other")))
                       .trained_model_arn;
    settle(o);
    auto v1 =
        decode<crm::create_trained_model_response>(call(s, version_request(member_a1, assoc, good, trained, "other")))
            .version_identifier;
    s.fail_resource(trained, *v1, {.status_code = "OOM", .message = "out of memory"});
    BOOST_CHECK_THROW(s.fail_resource(trained, "00000000-0000-4000-8000-000000000000", {}), std::invalid_argument);
    BOOST_CHECK_THROW(s.fail_resource(channel, *v1, {}), std::invalid_argument);
    settle(o);
    crm::list_trained_model_versions_request versions{.membership_identifier = std::string(member_a1),
                                                      .trained_model_arn = trained,
                                                      .status = crm::trained_model_status::create_failed};
    auto failed_versions = decode<crm::list_trained_model_versions_response>(call(s, versions)).trained_models;
    BOOST_REQUIRE(failed_versions.size() == 1u);
    BOOST_TEST(failed_versions[0].version_identifier == v1);
    get_model.trained_model_arn = trained;
    BOOST_TEST(decode<crm::get_trained_model_response>(call(s, get_model)).status_details->message.value_or("") ==
               "out of memory");

    auto job =
        decode<crm::start_trained_model_inference_job_response>(call(s, inference_request(member_a1, trained, good)))
            .trained_model_inference_job_arn;
    s.fail_resource(job, {.status_code = "BAD_INPUT", .message = "unreadable rows"});
    settle(o);
    crm::get_trained_model_inference_job_request get_job{.membership_identifier = std::string(member_a1),
                                                         .trained_model_inference_job_arn = job};
    auto job_failed = decode<crm::get_trained_model_inference_job_response>(call(s, get_job));
    BOOST_TEST(job_failed.status.value() == "CREATE_FAILED");
    BOOST_TEST(*job_failed.status_details->status_code == "BAD_INPUT");
}

BOOST_AUTO_TEST_CASE(tags_on_custom_models)
{
    emu::detail::service s(member_options());
    using tag_map = std::map<std::string, std::string>;
    auto alg_req = algorithm_request();
    alg_req.tags = tag_map{{"kind", "algorithm"}};
    auto alg = decode<crm::create_configured_model_algorithm_response>(call(s, alg_req)).configured_model_algorithm_arn;
    auto assoc_req = association_request(member_a1, alg);
    assoc_req.tags = tag_map{{"kind", "association"}};
    auto assoc = decode<crm::create_configured_model_algorithm_association_response>(call(s, assoc_req))
                     .configured_model_algorithm_association_arn;
    auto channel_req = channel_request(member_a1, assoc);
    channel_req.tags = tag_map{{"kind", "channel"}};
    auto channel = decode<crm::create_ml_input_channel_response>(call(s, channel_req)).ml_input_channel_arn;
    auto model_req = model_request(member_a1, assoc, channel);
    model_req.tags = tag_map{{"kind", "model"}};
    auto model = decode<crm::create_trained_model_response>(call(s, model_req)).trained_model_arn;
    auto job_req = inference_request(member_a1, model, channel);
    job_req.tags = tag_map{{"kind", "job"}};
    auto job =
        decode<crm::start_trained_model_inference_job_response>(call(s, job_req)).trained_model_inference_job_arn;

    auto tags_of = [&](std::string const& arn) {
        crm::list_tags_for_resource_request req{.resource_arn = arn};
        return decode<crm::list_tags_for_resource_response>(call(s, req)).tags;
    };
    BOOST_TEST((tags_of(alg) == tag_map{{"kind", "algorithm"}}));
    BOOST_TEST((tags_of(assoc) == tag_map{{"kind", "association"}}));
    BOOST_TEST((tags_of(channel) == tag_map{{"kind", "channel"}}));
    BOOST_TEST((tags_of(model) == tag_map{{"kind", "model"}}));
    BOOST_TEST((tags_of(job) == tag_map{{"kind", "job"}}));
    crm::get_trained_model_request get_model{.trained_model_arn = model,
                                             .membership_identifier = std::string(member_a1)};
    BOOST_TEST((*decode<crm::get_trained_model_response>(call(s, get_model)).tags == tag_map{{"kind", "model"}}));

    for (auto const& arn : {alg, assoc, channel, model, job}) {
        crm::tag_resource_request tag{.resource_arn = arn, .tags = {{"team", "ml"}}};
        BOOST_TEST(call(s, tag).status == 200);
        crm::untag_resource_request untag{.resource_arn = arn, .tag_keys = {"kind"}};
        BOOST_TEST(call(s, untag).status == 200);
        BOOST_TEST((tags_of(arn) == tag_map{{"team", "ml"}}));
        crm::tag_resource_request reserved{.resource_arn = arn, .tags = {{"aws:team", "ml"}}};
        BOOST_TEST(call(s, reserved).error_type == "ValidationException");
        crm::tag_resource_request many{.resource_arn = arn, .tags = {}};
        for (int i = 0; i < 50; ++i) many.tags["k" + std::to_string(i)] = "v";  // 51 with "team"
        auto r = call(s, many);
        BOOST_TEST(r.error_type == "ValidationException");
        BOOST_TEST(message_of(r).find("50") != std::string::npos);
    }
    // A new version's tags join the model's.
    auto version_req = version_request(member_a1, assoc, channel, model);
    version_req.tags = tag_map{{"version", "2"}};
    BOOST_TEST(call(s, version_req).status == 200);
    BOOST_TEST((tags_of(model) == tag_map{{"team", "ml"}, {"version", "2"}}));
    auto reserved_req = channel_request(member_a1, assoc, "reserved");
    reserved_req.tags = tag_map{{"aws:x", "y"}};
    BOOST_TEST(call(s, reserved_req).error_type == "ValidationException");
    crm::list_tags_for_resource_request gone{.resource_arn =
                                                 "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" +
                                                 std::string(member_a1) + "/ml-input-channel/none"};
    BOOST_TEST(call(s, gone).error_type == "ResourceNotFoundException");
}

BOOST_AUTO_TEST_CASE(pages_of_a_custom_model_listing)
{
    emu::detail::service s(member_options());
    auto alg = decode<crm::create_configured_model_algorithm_response>(call(s, algorithm_request()))
                   .configured_model_algorithm_arn;
    auto a1 = decode<crm::create_configured_model_algorithm_association_response>(
                  call(s, association_request(member_a1, alg)))
                  .configured_model_algorithm_association_arn;
    auto a2 = decode<crm::create_configured_model_algorithm_association_response>(
                  call(s, association_request(member_a2, alg)))
                  .configured_model_algorithm_association_arn;
    for (int i = 0; i < 5; ++i) {
        call(s, channel_request(member_a1, a1, "mine-" + std::to_string(i)));
        if (i == 2) call(s, channel_request(member_a2, a2, "theirs"));
    }
    crm::list_ml_input_channels_request req{.max_results = 2, .membership_identifier = std::string(member_a1)};
    std::vector<std::string> names;
    std::optional<std::string> first_token;
    for (int page = 0; page < 10; ++page) {
        auto out = decode<crm::list_ml_input_channels_response>(call(s, req));
        BOOST_TEST(out.ml_input_channels_list.size() <= 2u);
        for (auto const& c : out.ml_input_channels_list) names.push_back(c.name);
        if (!out.next_token) break;
        if (!first_token) first_token = out.next_token;
        req.next_token = out.next_token;
    }
    BOOST_TEST(names == (std::vector<std::string>{"mine-0", "mine-1", "mine-2", "mine-3", "mine-4"}));
    BOOST_REQUIRE(first_token.has_value());

    // A token is good for its own listing only.
    crm::list_ml_input_channels_request theirs{.next_token = first_token,
                                               .membership_identifier = std::string(member_a2)};
    BOOST_TEST(call(s, theirs).error_type == "ValidationException");
    crm::list_ml_input_channels_request forged{.next_token = first_token,
                                               .membership_identifier = std::string(member_a1)};
    forged.next_token->front() = forged.next_token->front() == '0' ? '1' : '0';
    BOOST_TEST(call(s, forged).error_type == "ValidationException");

    // The collaboration's listing pages through both memberships.
    crm::list_collaboration_ml_input_channels_request lc{.max_results = 4,
                                                         .collaboration_identifier = std::string(collab_a)};
    auto page1 = decode<crm::list_collaboration_ml_input_channels_response>(call(s, lc));
    BOOST_REQUIRE(page1.collaboration_ml_input_channels_list.size() == 4u);
    BOOST_TEST(page1.collaboration_ml_input_channels_list[3].name == "theirs");
    BOOST_TEST(page1.collaboration_ml_input_channels_list[3].creator_account_id == account_a2);
    BOOST_REQUIRE(page1.next_token.has_value());
    lc.next_token = page1.next_token;
    auto page2 = decode<crm::list_collaboration_ml_input_channels_response>(call(s, lc));
    BOOST_TEST(page2.collaboration_ml_input_channels_list.size() == 2u);
    BOOST_TEST(!page2.next_token.has_value());
    raw_request too_big{"GET", "/memberships/" + std::string(member_a1) + "/ml-input-channels?maxResults=101", "", {}};
    BOOST_TEST(send(s, sign(too_big, creds)).error_type == "ValidationException");
}

BOOST_AUTO_TEST_CASE(quota_on_custom_models)
{
    auto o = member_options();
    o.resource_quota = 1;
    emu::detail::service s(o);
    auto c = make_custom_chain(s, member_a1);
    auto r = call(s, algorithm_request("second"));
    BOOST_TEST(r.status == 402);
    BOOST_TEST(r.error_type == "ServiceQuotaExceededException");
    BOOST_TEST(call(s, association_request(member_a1, c.algorithm)).error_type == "ServiceQuotaExceededException");
    BOOST_TEST(call(s, channel_request(member_a1, c.association)).error_type == "ServiceQuotaExceededException");
    BOOST_TEST(call(s, version_request(member_a1, c.association, c.channel, c.model)).error_type ==
               "ServiceQuotaExceededException");  // versions count
    BOOST_TEST(call(s, inference_request(member_a1, c.model, c.channel)).status == 200);
    BOOST_TEST(call(s, inference_request(member_a1, c.model, c.channel, "again")).error_type ==
               "ServiceQuotaExceededException");
    // StartTrainedModelExportJob declares no quota error.
    BOOST_TEST(call(s, export_request(member_a1, c.model, "one")).status == 200);
    BOOST_TEST(call(s, export_request(member_a1, c.model, "two")).status == 200);
}

// Every custom-model operation through the real client, in the default
// collaboration and membership.
BOOST_AUTO_TEST_CASE(custom_models_through_the_client)
{
    asio::io_context ioc;
    auto o = fast_options();
    // Long enough for the steps below that must land within one phase (cancel
    // a training version or a starting job, delete while an export runs),
    // also under the sanitizers; the waits poll every few milliseconds.
    o.lifecycle_delay = 100ms;
    emu::emulator e(ioc.get_executor(), o);
    crm::client client(ioc.get_executor(), e.client_config());
    crm::wait_options const w{.min_delay = 2ms, .max_delay = 10ms, .max_wait = 5s};
    std::string const membership(emu::default_membership_id);
    std::string const collaboration(emu::default_collaboration_id);
    run(ioc, e, [&]() -> asio::awaitable<void> {
        // ML configuration.
        crm::put_ml_configuration_request put;
        put.membership_identifier = membership;
        put.default_output_location.role_arn = "arn:aws:iam::123456789012:role/out";
        co_await client.async_put_ml_configuration(std::move(put));
        crm::get_ml_configuration_request get_config{.membership_identifier = membership};
        auto config = co_await client.async_get_ml_configuration(std::move(get_config));
        BOOST_TEST(config.default_output_location.role_arn == "arn:aws:iam::123456789012:role/out");
        crm::delete_ml_configuration_request del_config{.membership_identifier = membership};
        co_await client.async_delete_ml_configuration(std::move(del_config));
        crm::get_ml_configuration_request get_gone{.membership_identifier = membership};
        auto [ec_gone, none] = co_await client.async_get_ml_configuration(std::move(get_gone), tuple);
        BOOST_TEST((ec_gone == crm::service_errc::resource_not_found));

        // Algorithm and association.
        auto alg_req = algorithm_request();
        auto alg = (co_await client.async_create_configured_model_algorithm(std::move(alg_req)))
                       .configured_model_algorithm_arn;
        crm::get_configured_model_algorithm_request get_alg{.configured_model_algorithm_arn = alg};
        BOOST_TEST((co_await client.async_get_configured_model_algorithm(std::move(get_alg))).name == "xgboost");
        crm::list_configured_model_algorithms_request list_algs;
        BOOST_TEST((co_await client.async_list_configured_model_algorithms(std::move(list_algs)))
                       .configured_model_algorithms.size() == 1u);
        auto assoc_req = association_request(membership, alg);
        auto assoc = (co_await client.async_create_configured_model_algorithm_association(std::move(assoc_req)))
                         .configured_model_algorithm_association_arn;
        crm::get_configured_model_algorithm_association_request get_assoc{
            .configured_model_algorithm_association_arn = assoc, .membership_identifier = membership};
        BOOST_TEST((co_await client.async_get_configured_model_algorithm_association(std::move(get_assoc)))
                       .collaboration_identifier == collaboration);
        crm::list_configured_model_algorithm_associations_request list_assocs{.membership_identifier = membership};
        BOOST_TEST((co_await client.async_list_configured_model_algorithm_associations(std::move(list_assocs)))
                       .configured_model_algorithm_associations.size() == 1u);
        crm::get_collaboration_configured_model_algorithm_association_request get_cassoc{
            .configured_model_algorithm_association_arn = assoc, .collaboration_identifier = collaboration};
        BOOST_TEST(
            (co_await client.async_get_collaboration_configured_model_algorithm_association(std::move(get_cassoc)))
                .creator_account_id == "123456789012");
        crm::list_collaboration_configured_model_algorithm_associations_request list_cassocs{.collaboration_identifier =
                                                                                                 collaboration};
        BOOST_TEST(
            (co_await client.async_list_collaboration_configured_model_algorithm_associations(std::move(list_cassocs)))
                .collaboration_configured_model_algorithm_associations.size() == 1u);

        // ML input channel.
        auto channel_req = channel_request(membership, assoc);
        auto channel = (co_await client.async_create_ml_input_channel(std::move(channel_req))).ml_input_channel_arn;
        crm::get_ml_input_channel_request wait_channel{.ml_input_channel_arn = channel,
                                                       .membership_identifier = membership};
        auto active_channel = co_await client.async_wait_until_ml_input_channel_active(std::move(wait_channel), w);
        BOOST_TEST(active_channel.protected_query_identifier.has_value());
        crm::get_ml_input_channel_request get_channel{.ml_input_channel_arn = channel,
                                                      .membership_identifier = membership};
        BOOST_TEST((co_await client.async_get_ml_input_channel(std::move(get_channel))).status.value() == "ACTIVE");
        crm::list_ml_input_channels_request list_channels{.membership_identifier = membership};
        auto channels = client.paginate_items(std::move(list_channels));
        int channel_count = 0;
        while (auto item = co_await channels.async_next()) ++channel_count;
        BOOST_TEST(channel_count == 1);
        crm::get_collaboration_ml_input_channel_request get_cchannel{.ml_input_channel_arn = channel,
                                                                     .collaboration_identifier = collaboration};
        BOOST_TEST((co_await client.async_get_collaboration_ml_input_channel(std::move(get_cchannel)))
                       .number_of_records.has_value());
        crm::list_collaboration_ml_input_channels_request list_cchannels{.collaboration_identifier = collaboration};
        BOOST_TEST((co_await client.async_list_collaboration_ml_input_channels(std::move(list_cchannels)))
                       .collaboration_ml_input_channels_list.size() == 1u);

        // Trained model and a version of it.
        auto model_req = model_request(membership, assoc, channel);
        auto model = (co_await client.async_create_trained_model(std::move(model_req))).trained_model_arn;
        crm::get_trained_model_request wait_model{.trained_model_arn = model, .membership_identifier = membership};
        co_await client.async_wait_until_trained_model_active(std::move(wait_model), w);
        auto version_req = version_request(membership, assoc, channel, model);
        auto version = co_await client.async_create_trained_model(std::move(version_req));
        BOOST_TEST(version.trained_model_arn == model);
        BOOST_TEST(version.version_identifier.has_value());
        // The version is still training: cancel it.
        crm::cancel_trained_model_request cancel_version{.membership_identifier = membership,
                                                         .trained_model_arn = model,
                                                         .version_identifier = version.version_identifier};
        co_await client.async_cancel_trained_model(std::move(cancel_version));
        crm::get_trained_model_request get_model{.trained_model_arn = model, .membership_identifier = membership};
        BOOST_TEST((co_await client.async_get_trained_model(std::move(get_model))).version_identifier ==
                   version.version_identifier);
        crm::list_trained_models_request list_models{.membership_identifier = membership};
        BOOST_TEST((co_await client.async_list_trained_models(std::move(list_models))).trained_models.size() == 1u);
        crm::list_trained_model_versions_request list_versions{.membership_identifier = membership,
                                                               .trained_model_arn = model};
        BOOST_TEST(
            (co_await client.async_list_trained_model_versions(std::move(list_versions))).trained_models.size() == 2u);
        crm::get_collaboration_trained_model_request get_cmodel{.trained_model_arn = model,
                                                                .collaboration_identifier = collaboration};
        BOOST_TEST((co_await client.async_get_collaboration_trained_model(std::move(get_cmodel))).name == "churn");
        crm::list_collaboration_trained_models_request list_cmodels{.collaboration_identifier = collaboration};
        BOOST_TEST((co_await client.async_list_collaboration_trained_models(std::move(list_cmodels)))
                       .collaboration_trained_models.size() == 1u);

        // Export and inference jobs of the base version.
        auto export_req = export_request(membership, model);
        co_await client.async_start_trained_model_export_job(std::move(export_req));
        crm::list_collaboration_trained_model_export_jobs_request list_exports{
            .collaboration_identifier = collaboration, .trained_model_arn = model};
        BOOST_TEST((co_await client.async_list_collaboration_trained_model_export_jobs(std::move(list_exports)))
                       .collaboration_trained_model_export_jobs.size() == 1u);
        auto job_req = inference_request(membership, model, channel);
        auto job = (co_await client.async_start_trained_model_inference_job(std::move(job_req)))
                       .trained_model_inference_job_arn;
        crm::cancel_trained_model_inference_job_request cancel_job{.membership_identifier = membership,
                                                                   .trained_model_inference_job_arn = job};
        co_await client.async_cancel_trained_model_inference_job(std::move(cancel_job));
        crm::get_trained_model_inference_job_request get_job{.membership_identifier = membership,
                                                             .trained_model_inference_job_arn = job};
        BOOST_TEST((co_await client.async_get_trained_model_inference_job(std::move(get_job))).status.value() ==
                   "CANCEL_PENDING");
        crm::list_trained_model_inference_jobs_request list_jobs{.membership_identifier = membership,
                                                                 .trained_model_arn = model};
        BOOST_TEST((co_await client.async_list_trained_model_inference_jobs(std::move(list_jobs)))
                       .trained_model_inference_jobs.size() == 1u);
        crm::list_collaboration_trained_model_inference_jobs_request list_cjobs{.collaboration_identifier =
                                                                                    collaboration};
        BOOST_TEST((co_await client.async_list_collaboration_trained_model_inference_jobs(std::move(list_cjobs)))
                       .collaboration_trained_model_inference_jobs.size() == 1u);
        // A conflict arrives typed: the export is still running.
        crm::delete_trained_model_output_request early{.trained_model_arn = model, .membership_identifier = membership};
        crm::diagnostics diag;
        auto [ec_early, out_early] = co_await client.async_delete_trained_model_output(std::move(early), diag, tuple);
        BOOST_TEST((ec_early == crm::service_errc::conflict));
        BOOST_TEST(diag.http_status == 409);

        // Tear down: output, channel data, association, algorithm.
        asio::steady_timer t(ioc, 500ms);  // the export job finishes
        co_await t.async_wait(asio::use_awaitable);
        crm::delete_trained_model_output_request del_output{.trained_model_arn = model,
                                                            .membership_identifier = membership};
        co_await client.async_delete_trained_model_output(std::move(del_output));
        t.expires_after(500ms);
        co_await t.async_wait(asio::use_awaitable);
        crm::list_trained_model_versions_request inactive{.membership_identifier = membership,
                                                          .trained_model_arn = model,
                                                          .status = crm::trained_model_status::inactive};
        BOOST_TEST((co_await client.async_list_trained_model_versions(std::move(inactive))).trained_models.size() ==
                   2u);
        crm::delete_ml_input_channel_data_request del_data{.ml_input_channel_arn = channel,
                                                           .membership_identifier = membership};
        co_await client.async_delete_ml_input_channel_data(std::move(del_data));
        crm::get_ml_input_channel_request wait_data{.ml_input_channel_arn = channel,
                                                    .membership_identifier = membership};
        co_await client.async_wait_until_ml_input_channel_deleted(std::move(wait_data), w);
        crm::delete_configured_model_algorithm_association_request del_assoc{
            .configured_model_algorithm_association_arn = assoc, .membership_identifier = membership};
        co_await client.async_delete_configured_model_algorithm_association(std::move(del_assoc));
        crm::delete_configured_model_algorithm_request del_alg{.configured_model_algorithm_arn = alg};
        co_await client.async_delete_configured_model_algorithm(std::move(del_alg));

        // Another membership: refused, typed.
        crm::list_trained_models_request strange{.membership_identifier = std::string(stranger)};
        auto [ec_denied, denied] = co_await client.async_list_trained_models(std::move(strange), diag, tuple);
        BOOST_TEST((ec_denied == crm::service_errc::access_denied));
        BOOST_TEST(diag.http_status == 403);
    });
}

BOOST_AUTO_TEST_SUITE_END()
