#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_IPP

#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/sigv4_verify.hpp>
#include <cleanroomsml/detail/validate.hpp>
#include <cleanroomsml/testing/detail/service.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <algorithm>
#include <concepts>
#include <charconv>

namespace cleanroomsml::testing::detail {

namespace core = cleanroomsml::detail;

namespace service_impl {

constexpr std::string_view validation = "ValidationException";
constexpr std::string_view conflict = "ConflictException";
constexpr std::string_view not_found = "ResourceNotFoundException";
constexpr std::string_view quota = "ServiceQuotaExceededException";
constexpr std::string_view signing_name = "cleanrooms-ml";

inline int status_for(std::string_view type)
{
    if (type == validation) return 400;
    if (type == not_found) return 404;
    if (type == conflict) return 409;
    if (type == quota) return 402;
    if (type == "AccessDeniedException") return 403;
    return 400;
}

inline api_error error(std::string_view type, std::string message) { return {std::string(type), std::move(message)}; }

inline void append_hex(std::string& out, unsigned char const* p, std::size_t n)
{
    static constexpr char digits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(digits[p[i] >> 4]);
        out.push_back(digits[p[i] & 15]);
    }
}

inline std::string sha256_hex(std::string_view s)
{
    unsigned char md[32];
    unsigned int n = 0;
    EVP_Digest(s.data(), s.size(), md, &n, EVP_sha256(), nullptr);
    std::string out;
    append_hex(out, md, n);
    return out;
}

inline std::string hmac_hex(std::string_view key, std::string_view data)
{
    unsigned char md[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<unsigned char const*>(data.data()),
         data.size(), md, &n);
    std::string out;
    append_hex(out, md, n);
    return out;
}

inline bool from_hex(std::string_view s, std::string& out)
{
    if (s.size() % 2) return false;
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int hi = nibble(s[i]), lo = nibble(s[i + 1]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return true;
}

inline std::string partition_of(std::string_view region)
{
    if (region.starts_with("cn-")) return "aws-cn";
    if (region.starts_with("us-gov-")) return "aws-us-gov";
    if (region.starts_with("us-iso-")) return "aws-iso";
    if (region.starts_with("us-isob-")) return "aws-iso-b";
    return "aws";
}

inline bool ends_in_failure(std::string_view status) { return status.ends_with("_FAILED"); }

inline bool is_settled(std::string_view status)
{
    return status == "ACTIVE" || status == "CREATE_FAILED" || status == "DELETE_FAILED";
}

// A header lookup over the received headers, for decode_request.
inline std::optional<std::string_view> find_header(void const* ctx, std::string_view name)
{
    for (auto const& [k, v] : static_cast<incoming const*>(ctx)->headers)
        if (boost::beast::iequals(k, name)) return v;
    return std::nullopt;
}

// A listing's record, from a table entry or a plain record.
template <class Key, class Record>
Record const& record_of(std::pair<Key const, Record> const& entry) { return entry.second; }
template <class Record> requires std::derived_from<Record, resource>
Record const& record_of(Record const& r) { return r; }

// Reads, validates, serves and writes one operation: the only per-operation
// code of the emulator besides its behaviour.
template <class Request>
reply dispatch(service& s, incoming const& in, std::string_view path, std::string_view query, reply r)
{
    using traits = operation_traits<Request>;
    using response = typename traits::response;
    Request request{};
    core::read_error err;
    core::header_source headers{&in, &find_header};
    auto invalid = [&](std::string_view why) {
        std::string msg = "1 validation error detected: ";
        if (!err.path.empty()) msg += "Value at '" + err.path + "' failed to satisfy constraint: ";
        else msg += std::string(why) + ": ";
        msg += err.message;
        return s.error_reply(std::move(r), error(validation, std::move(msg)), 400);
    };
    if (core::decode_request(traits::info, core::type_of<Request>(), &request, path, query, headers, in.body, err))
        return invalid("the request could not be read");
    if (core::validate_shape(core::type_of<Request>(), &request, err)) return invalid("invalid request");
    response out{};
    if (auto e = s.serve(request, out)) return s.error_reply(std::move(r), *e, status_for(e->type));
    core::encoded_response enc;
    core::encode_response(traits::info, core::type_of<response>(), &out, enc);
    r.status = enc.status;
    r.body = std::move(enc.body);
    for (auto& h : enc.headers) r.headers.push_back(std::move(h));
    return r;
}

struct route {
    operation_info const* info;
    reply (*serve)(service&, incoming const&, std::string_view, std::string_view, reply);
};

inline constexpr route routes[] = {
#define CLEANROOMSML_EMULATOR_ROUTE(op, Request) {&operation_traits<Request>::info, &dispatch<Request>},
    CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_EMULATOR_ROUTE)
#undef CLEANROOMSML_EMULATOR_ROUTE
};

} // namespace service_impl

CLEANROOMSML_DECL service::service(emulator_options options) : options_(std::move(options))
{
    unsigned char key[32];
    if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("RAND_bytes failed");
    service_impl::append_hex(token_key_, key, sizeof key);
}

CLEANROOMSML_DECL timestamp service::now() const
{
    return std::chrono::system_clock::now() + options_.clock_offset;
}

CLEANROOMSML_DECL std::uint64_t service::requests() const
{
    std::lock_guard lock(mutex_);
    return requests_;
}

CLEANROOMSML_DECL void service::inject(fault f, std::size_t count)
{
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < count; ++i) faults_.push_back(f);
}

CLEANROOMSML_DECL void service::clear_faults()
{
    std::lock_guard lock(mutex_);
    faults_.clear();
}

CLEANROOMSML_DECL void service::fail_resource(std::string_view arn, status_details details)
{
    std::lock_guard lock(mutex_);
    if (auto* r = find_any(arn)) {
        r->life.failure = std::move(details);
        return;
    }
    throw std::invalid_argument("emulator: no resource " + std::string(arn));
}

CLEANROOMSML_DECL reply service::error_reply(reply r, api_error const& e, int status) const
{
    r.status = status;
    r.error_type = e.type;
    r.headers.emplace_back("x-amzn-ErrorType", e.type);
    r.body.clear();
    r.body += "{\"message\":";
    core::write_json_string(r.body, e.message);
    r.body += '}';
    return r;
}

CLEANROOMSML_DECL reply service::handle(incoming const& in)
{
    using namespace service_impl;
    reply r;
    r.request_id = core::default_idempotency_token();
    std::lock_guard lock(mutex_);
    ++requests_;
    now_ = now();

    if (!faults_.empty()) {
        fault f = faults_.front();
        faults_.pop_front();
        switch (f.what) {
        case fault::kind::close: r.what = reply::action::close; return r;
        case fault::kind::throttle: return error_reply(std::move(r), error("ThrottlingException", "Rate exceeded"), 429);
        case fault::kind::error: {
            int status = f.status ? f.status : 500;
            auto type = status == 503 ? "ServiceUnavailableException" : "InternalServerException";
            return error_reply(std::move(r), error(type, "injected failure"), status);
        }
        case fault::kind::delay: r.delay = f.delay; break;
        }
    }

    auto q = in.target.find('?');
    std::string_view path = in.target.substr(0, q);
    std::string_view query = q == std::string_view::npos ? std::string_view{} : in.target.substr(q + 1);

    // Authentication comes before routing, as at AWS.
    core::sigv4_expectation expect{options_.region, signing_name,
                                   options_.credentials ? &*options_.credentials : nullptr, now_};
    auto verdict = core::verify_sigv4(verifier_, in.method, path, query, in.headers, in.body, expect);
    if (!verdict) {
        std::string_view type = "InvalidSignatureException";
        switch (verdict.outcome) {
        case core::sigv4_outcome::missing: type = "MissingAuthenticationTokenException"; break;
        case core::sigv4_outcome::malformed: type = "IncompleteSignatureException"; break;
        case core::sigv4_outcome::unknown_key: type = "UnrecognizedClientException"; break;
        default: break;
        }
        return error_reply(std::move(r), error(type, verdict.message), 403);
    }

    purge(now_);
    std::vector<std::pair<std::string_view, std::string>> labels;
    for (auto const& rt : routes) {
        if (rt.info->method != in.method || !core::match_uri(rt.info->uri, path, labels)) continue;
        r.operation = rt.info->name;
        return rt.serve(*this, in, path, query, std::move(r));
    }
    return error_reply(std::move(r),
                       error("UnknownOperationException",
                             "no operation for " + std::string(in.method) + " " + std::string(path)),
                       404);
}

// ---- helpers ----

CLEANROOMSML_DECL std::string service::make_arn(std::string_view kind) const
{
    return "arn:" + service_impl::partition_of(options_.region) + ":cleanrooms-ml:" + options_.region + ":" +
           options_.account_id + ":" + std::string(kind) + "/" + core::default_idempotency_token();
}

CLEANROOMSML_DECL std::string_view service::status_of(resource const& r, timestamp now) const
{
    auto const d = options_.lifecycle_delay;
    auto const e = now - r.life.phase_start;
    bool const failed = r.life.failure.has_value();
    if (!r.life.deleting) {
        if (r.life.stepped && e < d) return "CREATE_PENDING";
        if (r.life.stepped && e < 2 * d) return "CREATE_IN_PROGRESS";
        return failed ? "CREATE_FAILED" : "ACTIVE";
    }
    if (e < d) return "DELETE_PENDING";
    if (e < 2 * d) return "DELETE_IN_PROGRESS";
    return failed ? "DELETE_FAILED" : "DELETED";
}

CLEANROOMSML_DECL timestamp service::updated_at(resource const& r, timestamp now) const
{
    auto const d = options_.lifecycle_delay;
    timestamp t = r.life.phase_start;
    if (r.life.stepped && d.count() > 0) {
        auto steps = std::min<std::int64_t>(2, (now - r.life.phase_start) / d);
        t += steps * d;
    }
    return std::max(t, r.update_time);
}

CLEANROOMSML_DECL void service::purge(timestamp now)
{
    for (auto it = generation_jobs_.begin(); it != generation_jobs_.end();) {
        if (status_of(it->second, now) == "DELETED") {
            std::erase_if(export_jobs_, [&](auto const& x) { return x.audience_generation_job_arn == it->first; });
            it = generation_jobs_.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(audience_models_, [&](auto const& kv) { return status_of(kv.second, now) == "DELETED"; });
}

CLEANROOMSML_DECL resource* service::find_any(std::string_view arn)
{
    if (auto it = training_datasets_.find(arn); it != training_datasets_.end()) return &it->second;
    if (auto it = audience_models_.find(arn); it != audience_models_.end()) return &it->second;
    if (auto it = configured_models_.find(arn); it != configured_models_.end()) return &it->second;
    if (auto it = generation_jobs_.find(arn); it != generation_jobs_.end()) return &it->second;
    return nullptr;
}

CLEANROOMSML_DECL result service::check_tags(std::map<std::string, std::string> const& tags, std::size_t existing) const
{
    using namespace service_impl;
    for (auto const& [k, v] : tags) {
        if (k.size() >= 4 && (k[0] == 'a' || k[0] == 'A') && (k[1] == 'w' || k[1] == 'W') &&
            (k[2] == 's' || k[2] == 'S') && k[3] == ':')
            return error(validation, "tag key '" + k + "' uses the reserved prefix 'aws:'");
    }
    if (tags.size() + existing > 50)
        return error(validation, "a resource can have at most 50 tags; this request makes " +
                                     std::to_string(tags.size() + existing));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::check_quota(std::size_t in_use, std::string_view what) const
{
    if (options_.resource_quota && in_use >= options_.resource_quota)
        return service_impl::error(service_impl::quota, "the quota of " + std::to_string(options_.resource_quota) +
                                                            " " + std::string(what) + " is reached");
    return std::nullopt;
}

template <class Record>
CLEANROOMSML_DECL void service::init(Record& r, std::string_view kind, std::string name, std::optional<std::string> description,
                   std::optional<std::map<std::string, std::string>> const& tags, bool stepped)
{
    r.arn = make_arn(kind);
    r.name = std::move(name);
    r.description = std::move(description);
    if (tags) r.tags = *tags;
    r.create_time = r.update_time = now_;
    r.seq = next_seq_++;
    r.life.phase_start = now_;
    r.life.stepped = stepped;
}

CLEANROOMSML_DECL std::string service::page_token(std::string_view listing, std::uint64_t seq) const
{
    std::string payload = std::string(listing) + '\n' + std::to_string(seq);
    std::string token;
    service_impl::append_hex(token, reinterpret_cast<unsigned char const*>(payload.data()), payload.size());
    token += '.';
    token += service_impl::hmac_hex(token_key_, payload).substr(0, 32);
    return token;
}

CLEANROOMSML_DECL result service::read_page_token(std::optional<std::string> const& token, std::string_view listing,
                                std::uint64_t& seq) const
{
    seq = 0;
    if (!token) return std::nullopt;
    auto bad = [] { return service_impl::error(service_impl::validation, "the nextToken is invalid or expired"); };
    auto dot = token->find('.');
    std::string payload;
    if (dot == std::string::npos || !service_impl::from_hex(std::string_view(*token).substr(0, dot), payload))
        return bad();
    if (service_impl::hmac_hex(token_key_, payload).substr(0, 32) != std::string_view(*token).substr(dot + 1))
        return bad();
    auto nl = payload.find('\n');
    if (nl == std::string::npos || std::string_view(payload).substr(0, nl) != listing) return bad();
    auto digits = std::string_view(payload).substr(nl + 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), seq);
    if (ec != std::errc{} || p != digits.data() + digits.size()) return bad();
    return std::nullopt;
}

template <class Records, class Filter, class Emit>
result service::list(Records const& records, std::string_view listing, std::optional<std::int32_t> max_results,
                     std::optional<std::string> const& next_token, std::optional<std::string>& out_token,
                     Filter&& keep, Emit&& emit) const
{
    std::uint64_t from = 0;
    if (auto e = read_page_token(next_token, listing, from)) return e;
    using record = std::remove_cvref_t<decltype(service_impl::record_of(*std::begin(records)))>;
    std::vector<record const*> items;
    for (auto const& x : records)
        if (auto const& rec = service_impl::record_of(x); rec.seq >= from && keep(rec)) items.push_back(&rec);
    std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->seq < b->seq; });
    std::size_t const limit = static_cast<std::size_t>(max_results.value_or(100));
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i == limit) {
            out_token = page_token(listing, items[i]->seq);
            break;
        }
        emit(*items[i]);
    }
    return std::nullopt;
}

// ---- training datasets ----

CLEANROOMSML_DECL result service::serve(create_training_dataset_request const& in, create_training_dataset_response& out)
{
    if (auto e = check_quota(training_datasets_.size(), "training datasets")) return e;
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    training_dataset_record r;
    init(r, "training-dataset", in.name, in.description, in.tags, false);
    r.role_arn = in.role_arn;
    r.training_data = in.training_data;
    out.training_dataset_arn = r.arn;
    auto key = r.arn;
    training_datasets_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_training_dataset_request const& in, get_training_dataset_response& out)
{
    auto it = training_datasets_.find(in.training_dataset_arn);
    if (it == training_datasets_.end())
        return service_impl::error(service_impl::not_found, "training dataset " + in.training_dataset_arn + " not found");
    auto const& r = it->second;
    out.create_time = r.create_time;
    out.update_time = updated_at(r, now_);
    out.description = r.description;
    out.name = r.name;
    out.role_arn = r.role_arn;
    out.status = training_dataset_status(status_of(r, now_));
    if (!r.tags.empty()) out.tags = r.tags;
    out.training_data = r.training_data;
    out.training_dataset_arn = r.arn;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_training_datasets_request const& in, list_training_datasets_response& out)
{
    return list(
        training_datasets_, "training-datasets", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](training_dataset_record const& r) {
            out.training_datasets.push_back({.create_time = r.create_time,
                                             .description = r.description,
                                             .name = r.name,
                                             .status = training_dataset_status(status_of(r, now_)),
                                             .training_dataset_arn = r.arn,
                                             .update_time = updated_at(r, now_)});
        });
}

CLEANROOMSML_DECL result service::serve(delete_training_dataset_request const& in, delete_training_dataset_response&)
{
    auto it = training_datasets_.find(in.training_dataset_arn);
    if (it == training_datasets_.end())
        return service_impl::error(service_impl::not_found, "training dataset " + in.training_dataset_arn + " not found");
    for (auto const& [arn, m] : audience_models_)
        if (m.training_dataset_arn == in.training_dataset_arn)
            return service_impl::error(service_impl::conflict,
                                       "training dataset " + in.training_dataset_arn + " is used by audience model " + arn);
    training_datasets_.erase(it);
    return std::nullopt;
}

// ---- audience models ----

CLEANROOMSML_DECL result service::serve(create_audience_model_request const& in, create_audience_model_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(audience_models_.size(), "audience models")) return e;
    auto td = training_datasets_.find(in.training_dataset_arn);
    if (td == training_datasets_.end())
        return error(not_found, "training dataset " + in.training_dataset_arn + " not found");
    if (status_of(td->second, now_) != "ACTIVE")
        return error(conflict, "training dataset " + in.training_dataset_arn + " is not ACTIVE");
    if (in.training_data_start_time && in.training_data_end_time &&
        *in.training_data_start_time >= *in.training_data_end_time)
        return error(validation, "trainingDataStartTime must be before trainingDataEndTime");
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    audience_model_record r;
    init(r, "audience-model", in.name, in.description, in.tags, true);
    r.kms_key_arn = in.kms_key_arn;
    r.training_dataset_arn = in.training_dataset_arn;
    r.training_data_start_time = in.training_data_start_time;
    r.training_data_end_time = in.training_data_end_time;
    out.audience_model_arn = r.arn;
    auto key = r.arn;
    audience_models_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_audience_model_request const& in, get_audience_model_response& out)
{
    auto it = audience_models_.find(in.audience_model_arn);
    if (it == audience_models_.end())
        return service_impl::error(service_impl::not_found, "audience model " + in.audience_model_arn + " not found");
    auto const& r = it->second;
    auto status = status_of(r, now_);
    out.audience_model_arn = r.arn;
    out.create_time = r.create_time;
    out.update_time = updated_at(r, now_);
    out.description = r.description;
    out.kms_key_arn = r.kms_key_arn;
    out.name = r.name;
    out.status = audience_model_status(status);
    if (service_impl::ends_in_failure(status)) out.status_details = r.life.failure;
    if (!r.tags.empty()) out.tags = r.tags;
    out.training_data_start_time = r.training_data_start_time;
    out.training_data_end_time = r.training_data_end_time;
    out.training_dataset_arn = r.training_dataset_arn;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_models_request const& in, list_audience_models_response& out)
{
    return list(
        audience_models_, "audience-models", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](audience_model_record const& r) {
            out.audience_models.push_back({.audience_model_arn = r.arn,
                                           .create_time = r.create_time,
                                           .description = r.description,
                                           .name = r.name,
                                           .status = audience_model_status(status_of(r, now_)),
                                           .training_dataset_arn = r.training_dataset_arn,
                                           .update_time = updated_at(r, now_)});
        });
}

CLEANROOMSML_DECL result service::serve(delete_audience_model_request const& in, delete_audience_model_response&)
{
    using namespace service_impl;
    auto it = audience_models_.find(in.audience_model_arn);
    if (it == audience_models_.end()) return error(not_found, "audience model " + in.audience_model_arn + " not found");
    for (auto const& [arn, c] : configured_models_)
        if (c.audience_model_arn == in.audience_model_arn)
            return error(conflict, "audience model " + in.audience_model_arn +
                                       " is used by configured audience model " + arn);
    auto& r = it->second;
    auto status = status_of(r, now_);
    if (!is_settled(status))
        return error(conflict, "audience model " + in.audience_model_arn + " cannot be deleted while " + std::string(status));
    r.life = lifecycle{.phase_start = now_, .stepped = true, .deleting = true, .failure = std::nullopt};
    return std::nullopt;
}

// ---- configured audience models and their policies ----

CLEANROOMSML_DECL result service::serve(create_configured_audience_model_request const& in, create_configured_audience_model_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(configured_models_.size(), "configured audience models")) return e;
    auto am = audience_models_.find(in.audience_model_arn);
    if (am == audience_models_.end()) return error(not_found, "audience model " + in.audience_model_arn + " not found");
    if (auto s = status_of(am->second, now_); s != "ACTIVE")
        return error(conflict, "audience model " + in.audience_model_arn + " is " + std::string(s) + ", not ACTIVE");
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    configured_audience_model_record r;
    init(r, "configured-audience-model", in.name, in.description, in.tags, false);
    r.audience_model_arn = in.audience_model_arn;
    r.output_config = in.output_config;
    r.shared_audience_metrics = in.shared_audience_metrics;
    r.min_matching_seed_size = in.min_matching_seed_size;
    r.audience_size_config = in.audience_size_config;
    r.child_resource_tag_on_create_policy = in.child_resource_tag_on_create_policy;
    out.configured_audience_model_arn = r.arn;
    auto key = r.arn;
    configured_models_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_audience_model_request const& in, get_configured_audience_model_response& out)
{
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return service_impl::error(service_impl::not_found,
                                   "configured audience model " + in.configured_audience_model_arn + " not found");
    auto const& r = it->second;
    out.audience_model_arn = r.audience_model_arn;
    out.audience_size_config = r.audience_size_config;
    out.child_resource_tag_on_create_policy = r.child_resource_tag_on_create_policy;
    out.configured_audience_model_arn = r.arn;
    out.create_time = r.create_time;
    out.description = r.description;
    out.min_matching_seed_size = r.min_matching_seed_size;
    out.name = r.name;
    out.output_config = r.output_config;
    out.shared_audience_metrics = r.shared_audience_metrics;
    out.status = configured_audience_model_status(status_of(r, now_));
    if (!r.tags.empty()) out.tags = r.tags;
    out.update_time = updated_at(r, now_);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_configured_audience_models_request const& in, list_configured_audience_models_response& out)
{
    return list(
        configured_models_, "configured-audience-models", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](configured_audience_model_record const& r) {
            out.configured_audience_models.push_back(
                {.audience_model_arn = r.audience_model_arn,
                 .configured_audience_model_arn = r.arn,
                 .create_time = r.create_time,
                 .description = r.description,
                 .name = r.name,
                 .output_config = r.output_config,
                 .status = configured_audience_model_status(status_of(r, now_)),
                 .update_time = updated_at(r, now_)});
        });
}

CLEANROOMSML_DECL result service::serve(update_configured_audience_model_request const& in, update_configured_audience_model_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    if (in.audience_model_arn) {
        auto am = audience_models_.find(*in.audience_model_arn);
        if (am == audience_models_.end()) return error(not_found, "audience model " + *in.audience_model_arn + " not found");
        if (auto s = status_of(am->second, now_); s != "ACTIVE")
            return error(conflict, "audience model " + *in.audience_model_arn + " is " + std::string(s) + ", not ACTIVE");
    }
    auto& r = it->second;
    if (in.audience_model_arn) r.audience_model_arn = *in.audience_model_arn;
    if (in.audience_size_config) r.audience_size_config = in.audience_size_config;
    if (in.description) r.description = in.description;
    if (in.min_matching_seed_size) r.min_matching_seed_size = in.min_matching_seed_size;
    if (in.output_config) r.output_config = *in.output_config;
    if (in.shared_audience_metrics) r.shared_audience_metrics = *in.shared_audience_metrics;
    r.update_time = now_;
    out.configured_audience_model_arn = r.arn;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(delete_configured_audience_model_request const& in, delete_configured_audience_model_response&)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    for (auto const& [arn, j] : generation_jobs_)
        if (j.configured_audience_model_arn == in.configured_audience_model_arn)
            return error(conflict, "configured audience model " + in.configured_audience_model_arn +
                                       " is used by audience generation job " + arn);
    configured_models_.erase(it);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(put_configured_audience_model_policy_request const& in,
                      put_configured_audience_model_policy_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    auto& r = it->second;
    boost::system::error_code ec;
    auto doc = boost::json::parse(in.configured_audience_model_policy, ec);
    if (ec || !doc.is_object())
        return error(validation, "configuredAudienceModelPolicy is not a JSON policy document");
    if (in.policy_existence_condition == policy_existence_condition::policy_must_exist && !r.policy)
        return error(conflict, "the configured audience model has no policy (POLICY_MUST_EXIST)");
    if (in.policy_existence_condition == policy_existence_condition::policy_must_not_exist && r.policy)
        return error(conflict, "the configured audience model already has a policy (POLICY_MUST_NOT_EXIST)");
    if (in.previous_policy_hash) {
        if (!r.policy) return error(conflict, "previousPolicyHash given but there is no policy");
        if (sha256_hex(*r.policy) != *in.previous_policy_hash)
            return error(conflict, "previousPolicyHash does not match the current policy");
    }
    r.policy = in.configured_audience_model_policy;
    out.configured_audience_model_policy = *r.policy;
    out.policy_hash = sha256_hex(*r.policy);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_audience_model_policy_request const& in,
                      get_configured_audience_model_policy_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    if (!it->second.policy)
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " has no policy");
    out.configured_audience_model_arn = it->second.arn;
    out.configured_audience_model_policy = *it->second.policy;
    out.policy_hash = sha256_hex(*it->second.policy);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(delete_configured_audience_model_policy_request const& in,
                      delete_configured_audience_model_policy_response&)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    if (!it->second.policy)
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " has no policy");
    it->second.policy.reset();
    return std::nullopt;
}

// ---- audience generation jobs ----

CLEANROOMSML_DECL result service::serve(start_audience_generation_job_request const& in, start_audience_generation_job_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(generation_jobs_.size(), "audience generation jobs")) return e;
    auto cm = configured_models_.find(in.configured_audience_model_arn);
    if (cm == configured_models_.end())
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " not found");
    auto am = audience_models_.find(cm->second.audience_model_arn);
    if (am == audience_models_.end() || status_of(am->second, now_) != "ACTIVE")
        return error(conflict, "the audience model of " + in.configured_audience_model_arn + " is not ACTIVE");
    // Tags from the parent first, so the job's own tags win.
    std::map<std::string, std::string> tags;
    if (cm->second.child_resource_tag_on_create_policy == tag_on_create_policy::from_parent_resource)
        tags = cm->second.tags;
    if (in.tags)
        for (auto const& [k, v] : *in.tags) tags[k] = v;
    if (auto e = check_tags(tags)) return e;
    audience_generation_job_record r;
    init(r, "audience-generation-job", in.name, in.description, tags, true);
    r.configured_audience_model_arn = in.configured_audience_model_arn;
    r.collaboration_id = in.collaboration_id;
    r.seed_audience = in.seed_audience;
    r.include_seed_in_output = in.include_seed_in_output;
    r.started_by = options_.account_id;
    out.audience_generation_job_arn = r.arn;
    auto key = r.arn;
    generation_jobs_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_audience_generation_job_request const& in, get_audience_generation_job_response& out)
{
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return service_impl::error(service_impl::not_found,
                                   "audience generation job " + in.audience_generation_job_arn + " not found");
    auto const& r = it->second;
    auto status = status_of(r, now_);
    out.audience_generation_job_arn = r.arn;
    out.collaboration_id = r.collaboration_id;
    out.configured_audience_model_arn = r.configured_audience_model_arn;
    out.create_time = r.create_time;
    out.description = r.description;
    out.include_seed_in_output = r.include_seed_in_output;
    out.name = r.name;
    out.seed_audience = r.seed_audience;
    out.started_by = r.started_by;
    out.status = audience_generation_job_status(status);
    if (service_impl::ends_in_failure(status)) out.status_details = r.life.failure;
    if (!r.tags.empty()) out.tags = r.tags;
    out.update_time = updated_at(r, now_);
    // Quality metrics exist once the job is done, and only when the
    // configured model shares them.
    auto cm = configured_models_.find(r.configured_audience_model_arn);
    if (status == "ACTIVE" && cm != configured_models_.end() &&
        std::find(cm->second.shared_audience_metrics.begin(), cm->second.shared_audience_metrics.end(),
                  shared_audience_metrics::all) != cm->second.shared_audience_metrics.end()) {
        audience_quality_metrics m;
        auto const& cfg = cm->second.audience_size_config;
        std::vector<std::int32_t> bins = cfg ? cfg->audience_size_bins : std::vector<std::int32_t>{};
        auto type = cfg ? cfg->audience_size_type : audience_size_type::absolute;
        for (std::size_t i = 0; i < bins.size(); ++i)
            m.relevance_metrics.push_back({.audience_size = {.type = type, .value = bins[i]},
                                           .score = 1.0 - 0.5 * static_cast<double>(i) / static_cast<double>(bins.size())});
        m.recall_metric = 0.8;
        out.metrics = std::move(m);
    }
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_generation_jobs_request const& in, list_audience_generation_jobs_response& out)
{
    std::string listing = "generation-jobs\t" + in.configured_audience_model_arn.value_or("") + "\t" +
                          in.collaboration_id.value_or("");
    return list(
        generation_jobs_, listing, in.max_results, in.next_token, out.next_token,
        [&](audience_generation_job_record const& r) {
            return (!in.configured_audience_model_arn ||
                    r.configured_audience_model_arn == *in.configured_audience_model_arn) &&
                   (!in.collaboration_id || r.collaboration_id == in.collaboration_id);
        },
        [&](audience_generation_job_record const& r) {
            out.audience_generation_jobs.push_back(
                {.audience_generation_job_arn = r.arn,
                 .collaboration_id = r.collaboration_id,
                 .configured_audience_model_arn = r.configured_audience_model_arn,
                 .create_time = r.create_time,
                 .description = r.description,
                 .name = r.name,
                 .started_by = r.started_by,
                 .status = audience_generation_job_status(status_of(r, now_)),
                 .update_time = updated_at(r, now_)});
        });
}

CLEANROOMSML_DECL result service::serve(delete_audience_generation_job_request const& in, delete_audience_generation_job_response&)
{
    using namespace service_impl;
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return error(not_found, "audience generation job " + in.audience_generation_job_arn + " not found");
    auto& r = it->second;
    auto status = status_of(r, now_);
    if (!is_settled(status))
        return error(conflict, "audience generation job " + in.audience_generation_job_arn +
                                   " cannot be deleted while " + std::string(status));
    for (auto const& x : export_jobs_)
        if (x.audience_generation_job_arn == r.arn && !is_settled(status_of(x, now_)))
            return error(conflict, "export job '" + x.name + "' of this generation job is still running");
    r.life = lifecycle{.phase_start = now_, .stepped = true, .deleting = true, .failure = std::nullopt};
    return std::nullopt;
}

// ---- audience export jobs ----

CLEANROOMSML_DECL result service::serve(start_audience_export_job_request const& in, start_audience_export_job_response&)
{
    using namespace service_impl;
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return error(not_found, "audience generation job " + in.audience_generation_job_arn + " not found");
    auto const& job = it->second;
    if (auto s = status_of(job, now_); s != "ACTIVE")
        return error(conflict, "audience generation job " + job.arn + " is " + std::string(s) + ", not ACTIVE");
    for (auto const& x : export_jobs_)
        if (x.audience_generation_job_arn == job.arn && x.name == in.name)
            return error(conflict, "an export job named '" + in.name + "' already exists for this generation job");
    // The size must be one the configured model offers.
    auto cm = configured_models_.find(job.configured_audience_model_arn);
    if (cm != configured_models_.end() && cm->second.audience_size_config) {
        auto const& cfg = *cm->second.audience_size_config;
        if (in.audience_size.type != cfg.audience_size_type)
            return error(validation, "audienceSize.type must be " + std::string(cfg.audience_size_type.value()));
        if (std::find(cfg.audience_size_bins.begin(), cfg.audience_size_bins.end(), in.audience_size.value) ==
            cfg.audience_size_bins.end())
            return error(validation, "audienceSize.value " + std::to_string(in.audience_size.value) +
                                         " is not one of the configured audience size bins");
    } else if (in.audience_size.type == audience_size_type::percentage &&
               (in.audience_size.value < 1 || in.audience_size.value > 100)) {
        return error(validation, "a PERCENTAGE audience size must be between 1 and 100");
    }
    audience_export_job_record r;
    init(r, "audience-export-job", in.name, in.description, std::nullopt, true);
    r.arn.clear();  // export jobs are known by generation job and name
    r.audience_generation_job_arn = job.arn;
    r.audience_size = in.audience_size;
    if (cm != configured_models_.end()) {
        std::string base = cm->second.output_config.destination.s3_destination.s3_uri;
        if (!base.empty() && base.back() != '/') base += '/';
        r.output_location = base + job.arn.substr(job.arn.rfind('/') + 1) + "/" + in.name + "/";
    }
    export_jobs_.push_back(std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_export_jobs_request const& in, list_audience_export_jobs_response& out)
{
    std::string listing = "export-jobs\t" + in.audience_generation_job_arn.value_or("");
    return list(
        export_jobs_, listing, in.max_results, in.next_token, out.next_token,
        [&](audience_export_job_record const& x) {
            return !in.audience_generation_job_arn || x.audience_generation_job_arn == *in.audience_generation_job_arn;
        },
        [&](audience_export_job_record const& x) {
            auto const status = status_of(x, now_);
            out.audience_export_jobs.push_back(
                {.audience_generation_job_arn = x.audience_generation_job_arn,
                 .audience_size = x.audience_size,
                 .create_time = x.create_time,
                 .description = x.description,
                 .name = x.name,
                 .output_location = status == "ACTIVE" ? std::optional<std::string>(x.output_location) : std::nullopt,
                 .status = audience_export_job_status(status),
                 .status_details = service_impl::ends_in_failure(status) ? x.life.failure : std::nullopt,
                 .update_time = updated_at(x, now_)});
        });
}

// ---- tags ----

CLEANROOMSML_DECL result service::serve(list_tags_for_resource_request const& in, list_tags_for_resource_response& out)
{
    auto* r = find_any(in.resource_arn);
    if (!r) return service_impl::error(service_impl::not_found, "resource " + in.resource_arn + " not found");
    out.tags = r->tags;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(tag_resource_request const& in, tag_resource_response&)
{
    auto* r = find_any(in.resource_arn);
    if (!r) return service_impl::error(service_impl::not_found, "resource " + in.resource_arn + " not found");
    auto merged = r->tags;
    for (auto const& [k, v] : in.tags) merged[k] = v;
    if (auto e = check_tags(merged)) return e;
    r->tags = std::move(merged);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(untag_resource_request const& in, untag_resource_response&)
{
    auto* r = find_any(in.resource_arn);
    if (!r) return service_impl::error(service_impl::not_found, "resource " + in.resource_arn + " not found");
    for (auto const& k : in.tag_keys) r->tags.erase(k);
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
