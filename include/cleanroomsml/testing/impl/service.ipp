#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_IPP

#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/sha256.hpp>
#include <cleanroomsml/detail/sigv4_verify.hpp>
#include <cleanroomsml/detail/validate.hpp>
#include <cleanroomsml/testing/detail/service.hpp>

#include <boost/beast/core/string.hpp>
#include <boost/json/parse.hpp>

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

using core::sha256_hex;

inline std::string hmac_hex(std::string_view key, std::string_view data)
{
    std::string out;
    core::append_hex(out, core::hmac_sha256(key).mac(data));
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

// A phase has ended: what deleting may start from.
inline bool is_settled(std::string_view status) { return status == "ACTIVE" || ends_in_failure(status); }

// A phase is under way (creating, cancelling or deleting).
inline bool is_running(std::string_view status)
{
    return status.ends_with("_PENDING") || status.ends_with("_IN_PROGRESS");
}

inline bool is_creating(std::string_view status) { return status.starts_with("CREATE_") && is_running(status); }

inline api_error not_found_error(std::string_view what, std::string_view id)
{
    return error(not_found, std::string(what) + " " + std::string(id) + " not found");
}

// The lower-case UUIDs of the model's UUID shape.
inline bool is_uuid(std::string_view s)
{
    if (s.size() != 36) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        bool const dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    }
    return true;
}

inline bool is_account_id(std::string_view s)
{
    return s.size() == 12 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Fills what every Get output and summary of a resource shares (the
// membership and collaboration views alike), member by member as the
// output has them.
template <class Out>
void fill_scope(membership_scope const& s, Out& out)
{
    out.membership_identifier = s.membership_id;
    if constexpr (requires { out.collaboration_identifier; }) out.collaboration_identifier = s.collaboration_id;
    if constexpr (requires { out.creator_account_id; }) out.creator_account_id = s.creator_account_id;
}

template <class Record, class Out>
void fill(Record const& r, observed const& seen, Out& out)
{
    out.create_time = r.create_time;
    out.update_time = seen.update_time;
    out.name = r.name;
    out.description = r.description;
    if constexpr (requires { out.status; }) out.status = decltype(out.status)(seen.status);
    if constexpr (requires { out.status_details; }) out.status_details = seen.details;
    if constexpr (requires { out.tags = r.tags; })
        if (!r.tags.empty()) out.tags = r.tags;
    if constexpr (std::derived_from<Record, membership_scope>) fill_scope(r, out);
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

// A custom-model resource as a membership sees it (created in it) or as a
// collaboration sees it (created in any of its memberships); null otherwise.
template <class Table>
auto* in_membership(Table& t, std::string_view arn, std::string_view membership)
{
    auto it = t.find(arn);
    return it != t.end() && it->second.membership_id == membership ? &it->second : nullptr;
}

template <class Table>
auto* in_collaboration(Table& t, std::string_view arn, std::string_view collaboration)
{
    auto it = t.find(arn);
    return it != t.end() && it->second.collaboration_id == collaboration ? &it->second : nullptr;
}

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
    // Only the caller's memberships and collaborations, for every operation naming one.
    if constexpr (requires { request.membership_identifier; })
        if (auto e = s.check_membership(request.membership_identifier)) return s.error_reply(std::move(r), *e, 403);
    if constexpr (requires { request.collaboration_identifier; })
        if (auto e = s.check_collaboration(request.collaboration_identifier))
            return s.error_reply(std::move(r), *e, 403);
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
    using service_impl::is_uuid;
    auto bad = [](std::string what) { return std::invalid_argument(std::move(what)); };
    for (auto const& c : options_.collaborations) {
        if (!is_uuid(c.id)) throw bad("collaboration id '" + c.id + "' is not a lower-case UUID (like " +
                                         std::string(default_collaboration_id) + ")");
        if (!collaborations_.insert(c.id).second) throw bad("collaboration " + c.id + " is declared twice");
        for (auto const& m : c.memberships) {
            if (!is_uuid(m.id)) throw bad("membership id '" + m.id + "' is not a lower-case UUID (like " +
                                             std::string(default_membership_id) + ")");
            if (!m.account_id.empty() && !service_impl::is_account_id(m.account_id))
                throw bad("account id '" + m.account_id + "' of membership " + m.id + " is not 12 digits");
            membership_info info{c.id, m.account_id.empty() ? options_.account_id : m.account_id};
            if (!memberships_.emplace(m.id, std::move(info)).second)
                throw bad("membership " + m.id + " is declared twice");
        }
    }
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
    auto found = locate(arn);
    if (!found.tags) throw std::invalid_argument("emulator: no resource " + std::string(arn));
    if (!found.life) throw std::invalid_argument("emulator: " + std::string(arn) + " has no status that can fail");
    found.life->failure = std::move(details);
}

CLEANROOMSML_DECL void service::fail_resource(std::string_view arn, std::string_view version_identifier,
                                              status_details details)
{
    std::lock_guard lock(mutex_);
    auto it = trained_models_.find(arn);
    if (it == trained_models_.end()) throw std::invalid_argument("emulator: no trained model " + std::string(arn));
    for (auto& v : it->second.versions)
        if (v.version_id == version_identifier) {
            v.life.failure = std::move(details);
            return;
        }
    throw std::invalid_argument("emulator: trained model " + std::string(arn) + " has no version " +
                                std::string(version_identifier));
}

CLEANROOMSML_DECL result service::check_membership(std::string_view id) const
{
    if (memberships_.contains(id)) return std::nullopt;
    return service_impl::error("AccessDeniedException",
                               "membership " + std::string(id) + " is not one of the caller's");
}

CLEANROOMSML_DECL result service::check_collaboration(std::string_view id) const
{
    if (collaborations_.contains(id)) return std::nullopt;
    return service_impl::error("AccessDeniedException",
                               "collaboration " + std::string(id) + " is not one of the caller's");
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

    purge();
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

CLEANROOMSML_DECL std::string service::make_arn(std::string_view kind, membership_scope const* in) const
{
    std::string arn = "arn:" + service_impl::partition_of(options_.region) + ":cleanrooms-ml:" + options_.region + ":" +
                      (in ? in->creator_account_id : options_.account_id) + ":";
    if (in) arn += "membership/" + in->membership_id + "/";
    return arn + std::string(kind) + "/" + core::default_idempotency_token();
}

CLEANROOMSML_DECL membership_scope service::scope_of(std::string_view membership_id) const
{
    auto const& m = memberships_.find(membership_id)->second;  // dispatch checked it is declared
    return {std::string(membership_id), m.collaboration_id, m.account_id};
}

CLEANROOMSML_DECL std::string_view service::status_of(lifecycle const& life) const
{
    auto const d = options_.lifecycle_delay;
    auto const e = now_ - life.phase_start;
    bool const failed = life.failure.has_value();
    bool const pending = life.stepped && e < d, in_progress = life.stepped && e < 2 * d;
    switch (life.current) {
    case phase::create:
        return pending ? "CREATE_PENDING" : in_progress ? "CREATE_IN_PROGRESS" : failed ? "CREATE_FAILED" : "ACTIVE";
    case phase::cancel:
        return pending ? "CANCEL_PENDING" : in_progress ? "CANCEL_IN_PROGRESS" : failed ? "CANCEL_FAILED" : "INACTIVE";
    case phase::remove:
        return pending       ? "DELETE_PENDING"
               : in_progress ? "DELETE_IN_PROGRESS"
               : failed      ? "DELETE_FAILED"
               : life.kept   ? "INACTIVE"
                             : "DELETED";
    }
    return "ACTIVE";
}

CLEANROOMSML_DECL timestamp service::updated_at(resource const& r) const
{
    auto const d = options_.lifecycle_delay;
    timestamp t = r.life.phase_start;
    if (r.life.stepped && d.count() > 0) {
        auto steps = std::min<std::int64_t>(2, (now_ - r.life.phase_start) / d);
        t += steps * d;
    }
    return std::max(t, r.update_time);
}

CLEANROOMSML_DECL observed service::observe(resource const& r) const
{
    auto status = status_of(r.life);
    return {status, updated_at(r), service_impl::ends_in_failure(status) ? r.life.failure : std::nullopt};
}

CLEANROOMSML_DECL result service::begin(lifecycle& life, phase next, std::string_view what)
{
    auto const status = status_of(life);
    bool const cancel = next == phase::cancel;
    if (cancel ? !service_impl::is_creating(status) : !service_impl::is_settled(status))
        return service_impl::error(service_impl::conflict, std::string(what) + " cannot be " +
                                                               (cancel ? "cancelled" : "deleted") + " while " +
                                                               std::string(status));
    life.phase_start = now_;
    life.stepped = true;
    life.current = next;
    life.failure.reset();
    return std::nullopt;
}

CLEANROOMSML_DECL void service::purge()
{
    auto gone = [&](resource const& r) { return status_of(r.life) == "DELETED"; };
    for (auto it = generation_jobs_.begin(); it != generation_jobs_.end();) {
        if (gone(it->second)) {
            std::erase_if(export_jobs_, [&](auto const& x) { return x.audience_generation_job_arn == it->first; });
            it = generation_jobs_.erase(it);
        } else {
            ++it;
        }
    }
    std::erase_if(audience_models_, [&](auto const& kv) { return gone(kv.second); });
}

CLEANROOMSML_DECL service::located service::locate(std::string_view arn)
{
    // Only resources whose status moves through phases can fail.
    auto at = [](auto& t, std::string_view key) -> located {
        auto it = t.find(key);
        if (it == t.end()) return {};
        auto& r = it->second;
        if constexpr (std::same_as<std::remove_cvref_t<decltype(r)>, trained_model_record>)
            return {&r.tags, &r.latest().life};
        else
            return {&r.tags, r.life.stepped ? &r.life : nullptr};
    };
    for (auto found : {at(training_datasets_, arn), at(audience_models_, arn), at(configured_models_, arn),
                       at(generation_jobs_, arn), at(algorithms_, arn), at(associations_, arn),
                       at(input_channels_, arn), at(trained_models_, arn), at(inference_jobs_, arn)})
        if (found.tags) return found;
    return {};
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
void service::init(Record& r, std::string arn, std::string name, std::optional<std::string> description,
                   std::optional<std::map<std::string, std::string>> const& tags, bool stepped)
{
    r.arn = std::move(arn);
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

} // namespace cleanroomsml::testing::detail

// The operations, one file per resource family.
#include <cleanroomsml/testing/impl/service/training_datasets.ipp>
#include <cleanroomsml/testing/impl/service/audience_models.ipp>
#include <cleanroomsml/testing/impl/service/configured_audience_models.ipp>
#include <cleanroomsml/testing/impl/service/audience_jobs.ipp>
#include <cleanroomsml/testing/impl/service/ml_configurations.ipp>
#include <cleanroomsml/testing/impl/service/configured_model_algorithms.ipp>
#include <cleanroomsml/testing/impl/service/ml_input_channels.ipp>
#include <cleanroomsml/testing/impl/service/trained_models.ipp>
#include <cleanroomsml/testing/impl/service/inference_jobs.ipp>
#include <cleanroomsml/testing/impl/service/tags.ipp>

#endif
