// The generated model, checked four ways:
//   1. every structure round-trips through to_json/from_json with every member set;
//   2. the names and types of API.md, and a member-by-member comparison of the
//      reflection tables with codegen/model/service.json;
//   3. the HTTP binding of all 59 operations against hand-written expectations;
//   4. the paginator traits against codegen/model/paginators.json.
//
// The list of shapes is derived at compile time from CLEANROOMSML_FOR_EACH_OPERATION
// (requests, responses and, recursively, their member types) plus the error shapes,
// and checked at run time against the structures of service.json.

#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/validate.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstdint>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <ratio>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

namespace crm = cleanroomsml;
namespace detail = cleanroomsml::detail;
namespace json = boost::json;

// ---------------------------------------------------------------------------
// The list of every structure, derived from the operations.

template <class... Ts>
struct type_list {};

// The shape a member type refers to: optional, box, list and map peeled off.
template <class T> struct strip { using type = T; };
template <class T> struct strip<std::optional<T>> : strip<T> {};
template <class T> struct strip<crm::box<T>> : strip<T> {};
template <class T, class A> struct strip<std::vector<T, A>> : strip<T> {};
template <class T, class C, class A> struct strip<std::map<std::string, T, C, A>> : strip<T> {};
template <class T> using strip_t = typename strip<T>::type;

template <class List> struct member_types;
template <class... D> struct member_types<crm::member_list<D...>> { using type = type_list<typename D::value_type...>; };
template <class T>
using member_types_t = typename member_types<std::remove_cvref_t<decltype(crm::shape_traits<T>::members)>>::type;

template <class L, class T> inline constexpr bool contains_v = false;
template <class... Ts, class T> inline constexpr bool contains_v<type_list<Ts...>, T> = (std::is_same_v<Ts, T> || ...);

// visit<Seen, T>::type: Seen plus the shape T refers to and everything reachable from it.
template <class Seen, class T> struct visit { using type = Seen; };
template <class Seen, class L> struct visit_all;
template <class Seen> struct visit_all<Seen, type_list<>> { using type = Seen; };
template <class Seen, class H, class... R>
struct visit_all<Seen, type_list<H, R...>> : visit_all<typename visit<Seen, H>::type, type_list<R...>> {};
template <class... Ss, class T>
    requires crm::described_shape<strip_t<T>> && (!contains_v<type_list<Ss...>, strip_t<T>>)
struct visit<type_list<Ss...>, T> : visit_all<type_list<Ss..., strip_t<T>>, member_types_t<strip_t<T>>> {};

#define CRM_TEST_OP_TYPES(name, R) R, crm::operation_traits<R>::response,
// The error shapes are named (not typed) by operation_traits<R>::errors, so
// they are listed here; the model test checks the whole list against service.json.
using root_shapes = type_list<CLEANROOMSML_FOR_EACH_OPERATION(CRM_TEST_OP_TYPES) crm::access_denied_exception,
                              crm::conflict_exception, crm::internal_service_exception,
                              crm::resource_not_found_exception, crm::service_quota_exceeded_exception,
                              crm::throttling_exception, crm::validation_exception>;
#undef CRM_TEST_OP_TYPES
using all_shapes = visit_all<type_list<>, root_shapes>::type;

template <class F, class... Ts>
void for_each_shape(type_list<Ts...>, F&& f)
{
    (f(static_cast<Ts*>(nullptr)), ...);
}

// API.md: every shape is a default-constructible, equality-comparable aggregate.
template <class... Ts>
constexpr bool all_plain_aggregates(type_list<Ts...>)
{
    return ((std::is_aggregate_v<Ts> && std::default_initializable<Ts> && std::equality_comparable<Ts> &&
             std::copyable<Ts>) && ...);
}
static_assert(all_plain_aggregates(all_shapes{}));

struct shape_entry {
    detail::type_info const* type;
    int http_status;  // error shapes; 0 otherwise
};

template <class... Ts>
std::vector<shape_entry> make_registry(type_list<Ts...>)
{
    auto status = []<class T>(T*) {
        if constexpr (requires { crm::shape_traits<T>::http_status; })
            return int{crm::shape_traits<T>::http_status};
        else
            return 0;
    };
    return {shape_entry{&detail::type_of<Ts>(), status(static_cast<Ts*>(nullptr))}...};
}

std::vector<shape_entry> const& registry()
{
    static std::vector<shape_entry> const r = make_registry(all_shapes{});
    return r;
}

// ---------------------------------------------------------------------------
// Small helpers.

json::value load_json(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return json::parse(ss.str());
}

json::object const& service_model()
{
    static json::value const v = load_json(CLEANROOMSML_TEST_DATA "/../../codegen/model/service.json");
    return v.as_object();
}

json::object const& paginators_model()
{
    static json::value const v = load_json(CLEANROOMSML_TEST_DATA "/../../codegen/model/paginators.json");
    return v.at("pagination").as_object();
}

std::string str(json::value const& v) { return std::string(v.as_string()); }

template <class Set>
std::string join(Set const& s)
{
    std::string out;
    for (auto const& x : s) {
        if (!out.empty()) out += ", ";
        out += x;
    }
    return out;
}

// "ListTagsForResource" -> "list_tags_for_resource"
// Lower snake case; a run of capitals is one word ("MLInputChannel" -> "ml_input_channel").
std::string snake_case(std::string_view camel)
{
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    std::string out;
    for (std::size_t i = 0; i < camel.size(); ++i) {
        char c = camel[i];
        if (upper(c)) {
            bool const after_word = i != 0 && !upper(camel[i - 1]);
            bool const ends_run = i != 0 && upper(camel[i - 1]) && i + 1 < camel.size() && !upper(camel[i + 1]) &&
                                  camel[i + 1] >= 'a' && camel[i + 1] <= 'z';
            if (after_word || ends_run) out.push_back('_');
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

crm::timestamp utc(std::chrono::sys_days day, std::chrono::nanoseconds time_of_day = {})
{
    return crm::timestamp(std::chrono::duration_cast<crm::timestamp::duration>(day.time_since_epoch() + time_of_day));
}

// ---------------------------------------------------------------------------
// The filler: sets every member of any shape from pools of awkward values.

enum pool_id : std::size_t { p_string, p_key, p_int32, p_double, p_bool, p_time, p_list, p_map, p_other, pool_count };
char const* const pool_names[] = {"string", "map key", "int32", "double", "bool", "timestamp", "list size", "map size", "other"};

// Long enough for Boost.JSON to hand it over in pieces (on_string_part, on_key_part).
std::string long_text(std::size_t reps)
{
    std::string s;
    for (std::size_t i = 0; i < reps; ++i) s += "ab\"\\\n\x01\xC3\xA9\xF0\x9F\x98\x80 ";
    return s;
}

std::string const string_values[] = {
    "plain",
    "quote\" and backslash\\ and \\\" both",
    std::string("nul\0inside", 10),
    "ctl\x01" "and\x1f" "end",
    "line\nbreak\ttab\rcr\bbs\fff",
    "\xC3\xA9",                                 // é
    "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E",     // 日本語
    "\xF0\x9F\x98\x80",                         // U+1F600
    "</script><!--",
    "",
    "ACTIVE",
    "del\x7f / solidus \\/ line separator \xE2\x80\xA8",
    long_text(1000),
};

std::string const key_values[] = {
    "k", "quote\"key", "back\\slash", "\xC3\xA9t\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "", "aws:tag", "\xF0\x9F\x98\x80 key", long_text(700),
};

constexpr std::int32_t int32_values[] = {
    0, 1, -1, 42, 25, 20'000'000, std::numeric_limits<std::int32_t>::max(), std::numeric_limits<std::int32_t>::min(),
};

// -0.0 is left to doubles_round_trip_bit_exactly: it compares == to 0.0.
constexpr double double_values[] = {
    0.0,
    1.0,
    -1.5,
    0.1,
    1.0 / 3.0,
    -123456.789,
    1e300,
    -1e-300,
    std::numeric_limits<double>::denorm_min(),  // 4.9406564584124654e-324
    std::numeric_limits<double>::min(),         // smallest normal
    std::numeric_limits<double>::max(),
    std::numeric_limits<double>::infinity(),    // written as the string "Infinity"
    -std::numeric_limits<double>::infinity(),
    // Full-precision values (17 significant digits) that need a correctly
    // rounded decimal -> double conversion to come back bit for bit.
    // LIBRARY BUG: the reader returns each of these 1 ulp off (see
    // doubles_round_trip_bit_exactly); the assertions stay, failing until fixed.
    0x1.e8dee4c09d96cp-4,    // 0.11935319286735585
    0x1.dc554855c7c92p-1,    // 0.9303381542885225
    -0x1.fc1f88f25ea1p-26,   // -2.9576661961133885e-08
};

constexpr std::size_t list_sizes[] = {0, 1, 3};
constexpr std::size_t map_sizes[] = {0, 1, 4};

std::vector<crm::timestamp> const& timestamp_values()
{
    using namespace std::chrono;
    static std::vector<crm::timestamp> const v = {
        utc(2024y / April / 3, 12h + 34min + 56s),                     // whole seconds
        utc(2024y / April / 3, 12h + 34min + 56s + 123ms),             // ms
        utc(2024y / April / 3, 12h + 34min + 56s + 123456us),          // us
        utc(2024y / April / 3, 12h + 34min + 56s + 123456789ns),       // ns
        utc(2024y / February / 29, 23h + 59min + 59s + 999999999ns),
        utc(1970y / January / 1),                                      // the epoch
        utc(1970y / January / 1, -1ns),                                // 1969-12-31T23:59:59.999999999Z
        utc(1969y / July / 20, 20h + 17min + 40s + 500ms),             // before 1970, ms
        utc(1900y / January / 1, 1us),                                 // before 1970, us
        crm::timestamp::min(),
        crm::timestamp::max(),
    };
    return v;
}

struct pool_usage {
    std::array<std::vector<bool>, pool_count> used;
};

// Two modes: `uniform` gives every value of a kind the seed-th entry of its
// pool (so seeds 0..n-1 use every entry in every shape); otherwise each value
// is drawn from the pools by a hash of the seed and the position.
class filler {
public:
    filler(std::uint64_t seed, bool uniform, pool_usage& usage)
        : seed_(seed), state_(seed * 0x9E3779B97F4A7C15ull), uniform_(uniform), usage_(usage) {}

    // Sets every member, optionals included.
    void structure(detail::type_info const& ti, void* p)
    {
        for (std::size_t i = 0; i < ti.member_count; ++i) {
            auto const& m = ti.members[i];
            value(m.type(), m.emplace(p));
        }
    }

    void value(detail::type_info const& ti, void* p)
    {
        using detail::value_kind;
        switch (ti.kind) {
        case value_kind::string: ti.string_ref(p) = string_values[pick(std::size(string_values), p_string)]; return;
        case value_kind::boolean: *static_cast<bool*>(p) = pick(2, p_bool) == 0; return;
        case value_kind::int8: *static_cast<std::int8_t*>(p) = static_cast<std::int8_t>(pick(256, p_other) - 128); return;
        case value_kind::int16: *static_cast<std::int16_t*>(p) = static_cast<std::int16_t>(pick(65536, p_other) - 32768); return;
        case value_kind::int32: *static_cast<std::int32_t*>(p) = int32_values[pick(std::size(int32_values), p_int32)]; return;
        case value_kind::int64:
            *static_cast<std::int64_t*>(p) = std::int64_t{int32_values[pick(std::size(int32_values), p_other)]} * 4'000'000'000;
            return;
        case value_kind::float32: *static_cast<float*>(p) = static_cast<float>(pick(1000, p_other)) / 8.0f; return;
        case value_kind::float64: *static_cast<double*>(p) = double_values[pick(std::size(double_values), p_double)]; return;
        case value_kind::timestamp:
            *static_cast<crm::timestamp*>(p) = timestamp_values()[pick(timestamp_values().size(), p_time)];
            return;
        case value_kind::structure: structure(ti, p); return;
        case value_kind::list: {
            ti.clear(p);
            std::size_t n = list_sizes[pick(std::size(list_sizes), p_list)];
            for (std::size_t i = 0; i < n; ++i) value(ti.element(), ti.append(p));
            return;
        }
        case value_kind::map: {
            ti.clear(p);
            std::size_t n = map_sizes[pick(std::size(map_sizes), p_map)];
            std::size_t first = pick(std::size(key_values), p_key);
            for (std::size_t i = 0; i < n; ++i) {
                std::size_t k = (first + i) % std::size(key_values);
                usage_.used[p_key].resize(std::size(key_values));
                usage_.used[p_key][k] = true;
                value(ti.element(), ti.slot(p, key_values[k]));
            }
            return;
        }
        }
    }

private:
    // splitmix64: deterministic for a seed, well spread over the pools.
    std::size_t pick(std::size_t n, pool_id pool)
    {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        auto i = static_cast<std::size_t>((uniform_ ? seed_ : z) % n);
        if (pool != p_other && pool != p_key) {
            usage_.used[pool].resize(n);
            usage_.used[pool][i] = true;
        }
        return i;
    }

    std::uint64_t seed_;
    std::uint64_t state_;
    bool uniform_;
    pool_usage& usage_;
};

// Back to the value a default-constructed shape holds. (member_info::reset
// empties optionals only; required members are cleared here by kind.)
void clear_value(detail::type_info const& ti, void* p)
{
    using detail::value_kind;
    switch (ti.kind) {
    case value_kind::string: ti.string_ref(p).clear(); return;
    case value_kind::boolean: *static_cast<bool*>(p) = false; return;
    case value_kind::int8: *static_cast<std::int8_t*>(p) = 0; return;
    case value_kind::int16: *static_cast<std::int16_t*>(p) = 0; return;
    case value_kind::int32: *static_cast<std::int32_t*>(p) = 0; return;
    case value_kind::int64: *static_cast<std::int64_t*>(p) = 0; return;
    case value_kind::float32: *static_cast<float*>(p) = 0; return;
    case value_kind::float64: *static_cast<double*>(p) = 0; return;
    case value_kind::timestamp: *static_cast<crm::timestamp*>(p) = crm::timestamp{}; return;
    case value_kind::list:
    case value_kind::map: ti.clear(p); return;
    case value_kind::structure:
        for (std::size_t i = 0; i < ti.member_count; ++i) {
            auto const& m = ti.members[i];
            if (m.required) clear_value(m.type(), m.emplace(p));
            else m.reset(p);
        }
        return;
    }
}

// Labels, query parameters and headers do not travel in the JSON document.
void clear_non_body(detail::type_info const& ti, void* p)
{
    for (std::size_t i = 0; i < ti.member_count; ++i) {
        auto const& m = ti.members[i];
        if (m.location == crm::http_location::body) continue;
        if (m.required) clear_value(m.type(), m.emplace(p));
        else m.reset(p);
    }
}

// Non-template part of one round trip, so the per-shape template stays small.
enum class fill_mode { none, uniform, mixed };

// Where two texts first differ, with some context: the documents can be long.
std::string first_difference(std::string const& a, std::string const& b)
{
    auto const [ia, ib] = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
    auto const at = static_cast<std::size_t>(ia - a.begin());
    auto const from = at > 80 ? at - 80 : 0;
    return "first difference at byte " + std::to_string(at) + " of " + std::to_string(a.size()) + "/" +
           std::to_string(b.size()) + ":\n  ..." + a.substr(from, at - from + 80) + "\n  ..." +
           b.substr(from, at - from + 80);
}

void check_round_trip(detail::type_info const& ti, std::uint64_t seed, fill_mode mode, std::string const& json_in,
                      std::string const& json_expected, crm::error_code ec, crm::diagnostics const& diag, bool equal,
                      std::string const& json_back)
{
    char const* const mode_name[] = {"default-constructed", "uniform fill", "mixed fill"};
    bool const filled = mode != fill_mode::none;
    BOOST_TEST_CONTEXT("shape " << ti.name << ", " << mode_name[static_cast<int>(mode)] << ", seed " << seed)
    {
        // Non-body members stay out of the document.
        BOOST_TEST(json_in == json_expected, "to_json(x) != to_json(x without non-body members)\n"
                                                 << first_difference(json_in, json_expected));
        BOOST_TEST(!ec, "from_json failed: " << ec.message() << " at " << diag.path << ": " << diag.message
                                             << "\ndocument: " << json_in);
        BOOST_TEST(equal, "from_json(to_json(x)) != x; to_json(x) vs to_json(from_json(to_json(x))): "
                              << (json_in == json_back ? std::string("same text") : first_difference(json_in, json_back)));
        BOOST_TEST(json_back == json_in, "to_json(from_json(to_json(x))) != to_json(x): "
                                             << first_difference(json_in, json_back));

        // A valid JSON object holding exactly the body members that are set.
        json::error_code jec;
        json::value doc = json::parse(json_in, jec);
        BOOST_TEST(!jec, "to_json wrote invalid JSON: " << jec.message() << "\n" << json_in);
        if (jec || !doc.is_object()) return;
        std::set<std::string> keys, expected;
        for (auto const& kv : doc.as_object()) keys.insert(std::string(kv.key()));
        for (std::size_t i = 0; i < ti.member_count; ++i) {
            auto const& m = ti.members[i];
            if (m.location == crm::http_location::body && (filled || m.required)) expected.insert(std::string(m.name));
        }
        BOOST_TEST(join(keys) == join(expected));
    }
}

template <class T>
void round_trip(std::uint64_t seed, fill_mode mode, pool_usage& usage)
{
    auto const& ti = detail::type_of<T>();
    T x{};
    if (mode != fill_mode::none) filler(seed, mode == fill_mode::uniform, usage).structure(ti, &x);
    std::string const json_in = crm::to_json(x);
    // Only body members travel in the document: from here on x is what must come back.
    // (Cleared in place rather than on a copy, to keep this per-shape template small.)
    clear_non_body(ti, &x);
    T back{};
    crm::diagnostics diag;
    auto ec = crm::from_json(json_in, back, &diag);
    check_round_trip(ti, seed, mode, json_in, crm::to_json(x), ec, diag, back == x, crm::to_json(back));
}

// ---------------------------------------------------------------------------
// API.md: names and types (compile time).

template <class M, class T>
constexpr bool member_is = std::is_same_v<M, T>;

static_assert(member_is<decltype(crm::audience_model_summary::audience_model_arn), std::string>);
static_assert(member_is<decltype(crm::audience_model_summary::description), std::optional<std::string>>);
static_assert(member_is<decltype(crm::audience_model_summary::create_time), crm::timestamp>);
static_assert(member_is<decltype(crm::audience_model_summary::status), crm::audience_model_status>);
static_assert(member_is<decltype(crm::create_audience_model_request::training_data_start_time),
                        std::optional<crm::timestamp>>);
static_assert(member_is<decltype(crm::create_audience_model_request::kms_key_arn), std::optional<std::string>>);
static_assert(member_is<decltype(crm::create_audience_model_request::tags),
                        std::optional<std::map<std::string, std::string>>>);
static_assert(member_is<decltype(crm::s3_config_map::s3_uri), std::string>);
static_assert(member_is<decltype(crm::audience_size::value), std::int32_t>);
static_assert(member_is<decltype(crm::audience_size::type), crm::audience_size_type>);
static_assert(member_is<decltype(crm::relevance_metric::score), std::optional<double>>);
static_assert(member_is<decltype(crm::audience_quality_metrics::recall_metric), std::optional<double>>);
static_assert(member_is<decltype(crm::get_audience_generation_job_response::include_seed_in_output), std::optional<bool>>);
static_assert(member_is<decltype(crm::audience_size_config::audience_size_bins), std::vector<std::int32_t>>);
static_assert(member_is<decltype(crm::create_configured_audience_model_request::shared_audience_metrics),
                        std::vector<crm::shared_audience_metrics>>);
static_assert(member_is<decltype(crm::update_configured_audience_model_request::shared_audience_metrics),
                        std::optional<std::vector<crm::shared_audience_metrics>>>);
static_assert(member_is<decltype(crm::create_configured_audience_model_request::child_resource_tag_on_create_policy),
                        std::optional<crm::tag_on_create_policy>>);
static_assert(member_is<decltype(crm::put_configured_audience_model_policy_request::policy_existence_condition),
                        std::optional<crm::policy_existence_condition>>);
static_assert(member_is<decltype(crm::list_tags_for_resource_response::tags), std::map<std::string, std::string>>);
static_assert(member_is<decltype(crm::untag_resource_request::tag_keys), std::vector<std::string>>);
static_assert(member_is<decltype(crm::list_audience_models_request::max_results), std::optional<std::int32_t>>);
static_assert(member_is<decltype(crm::create_training_dataset_request::training_data), std::vector<crm::dataset>>);
static_assert(member_is<decltype(crm::column_schema::column_types), std::vector<crm::column_type>>);
// Members named like their type (declared with the qualified type name).
static_assert(member_is<decltype(crm::audience_export_job_summary::audience_size), crm::audience_size>);
static_assert(member_is<decltype(crm::audience_export_job_summary::status_details), std::optional<crm::status_details>>);
static_assert(member_is<decltype(crm::data_source::glue_data_source), crm::glue_data_source>);
static_assert(member_is<decltype(crm::dataset_input_config::data_source), crm::data_source>);
// The one existing member the current model made optional.
static_assert(member_is<decltype(crm::audience_generation_job_data_source::data_source),
                        std::optional<crm::s3_config_map>>);
// long is std::int64_t.
static_assert(member_is<decltype(crm::get_ml_input_channel_response::number_of_records), std::optional<std::int64_t>>);
// Unions: aggregates of optional members, marked in their traits.
static_assert(std::is_aggregate_v<crm::compute_configuration> && crm::shape_traits<crm::compute_configuration>::is_union);
static_assert(member_is<decltype(crm::compute_configuration::worker), std::optional<crm::worker_compute_configuration>>);
static_assert(member_is<decltype(crm::input_channel_data_source::protected_query_input_parameters),
                        std::optional<crm::protected_query_input_parameters>>);
static_assert(crm::shape_traits<crm::privacy_budgets>::is_union &&
              crm::shape_traits<crm::worker_compute_configuration_properties>::is_union);
template <class T>
concept union_shape = requires { crm::shape_traits<T>::is_union; };
static_assert(union_shape<crm::privacy_budgets> && !union_shape<crm::audience_size>);
// New members of existing shapes.
static_assert(member_is<decltype(crm::service_quota_exceeded_exception::quota_value), std::optional<double>>);
static_assert(member_is<decltype(crm::audience_generation_job_data_source::sql_compute_configuration),
                        std::optional<crm::compute_configuration>>);
static_assert(member_is<decltype(crm::audience_size_config::audience_size_type), crm::audience_size_type>);
// Exception shapes.
static_assert(member_is<decltype(crm::validation_exception::message), std::string>);
static_assert(member_is<decltype(crm::access_denied_exception::message), std::string>);
static_assert(member_is<decltype(crm::conflict_exception::message), std::string>);
static_assert(member_is<decltype(crm::resource_not_found_exception::message), std::string>);
static_assert(member_is<decltype(crm::service_quota_exceeded_exception::message), std::string>);
static_assert(crm::shape_traits<crm::validation_exception>::http_status == 400);
static_assert(crm::shape_traits<crm::access_denied_exception>::http_status == 403);
static_assert(crm::shape_traits<crm::resource_not_found_exception>::http_status == 404);
static_assert(crm::shape_traits<crm::conflict_exception>::http_status == 409);
static_assert(crm::shape_traits<crm::service_quota_exceeded_exception>::http_status == 402);
// Timestamps: a sys_time of at least millisecond precision.
static_assert(std::is_same_v<crm::timestamp, std::chrono::sys_time<crm::timestamp::duration>>);
static_assert(std::ratio_less_equal_v<crm::timestamp::period, std::milli>);
// Open enums.
static_assert(std::is_same_v<decltype(crm::audience_size_type::absolute.value()), std::string_view>);
static_assert(std::is_constructible_v<crm::audience_size_type, char const*>);
static_assert(std::is_constructible_v<crm::audience_size_type, std::string>);
static_assert(std::equality_comparable<crm::audience_size_type>);

// An operation without an output in the model still has an empty <op>_response.
template <class Req, class Resp>
constexpr bool empty_response = std::is_same_v<typename crm::operation_traits<Req>::response, Resp> &&
                                std::is_empty_v<Resp> && std::is_aggregate_v<Resp> && crm::member_count<Resp> == 0;
static_assert(empty_response<crm::delete_audience_generation_job_request, crm::delete_audience_generation_job_response>);
static_assert(empty_response<crm::delete_audience_model_request, crm::delete_audience_model_response>);
static_assert(empty_response<crm::delete_configured_audience_model_request, crm::delete_configured_audience_model_response>);
static_assert(empty_response<crm::delete_configured_audience_model_policy_request,
                             crm::delete_configured_audience_model_policy_response>);
static_assert(empty_response<crm::delete_training_dataset_request, crm::delete_training_dataset_response>);
static_assert(empty_response<crm::start_audience_export_job_request, crm::start_audience_export_job_response>);
static_assert(std::is_same_v<crm::operation_traits<crm::get_audience_model_request>::response,
                             crm::get_audience_model_response>);

// Members are declared in the model's order: designated initializers naming
// every member in that order compile only if the declaration order is the same.
[[maybe_unused]] crm::get_audience_model_response const declared_in_model_order{
    .create_time = {},
    .update_time = {},
    .training_data_start_time = {},
    .training_data_end_time = {},
    .audience_model_arn = {},
    .name = {},
    .training_dataset_arn = {},
    .status = {},
    .status_details = {},
    .kms_key_arn = {},
    .tags = {},
    .description = {},
};
[[maybe_unused]] crm::update_configured_audience_model_request const declared_in_model_order_2{
    .configured_audience_model_arn = {},
    .output_config = {},
    .audience_model_arn = {},
    .shared_audience_metrics = {},
    .min_matching_seed_size = {},
    .audience_size_config = {},
    .description = {},
};
[[maybe_unused]] crm::get_trained_model_inference_job_request const declared_in_model_order_3{
    .membership_identifier = {},
    .trained_model_inference_job_arn = {},
};

// ---------------------------------------------------------------------------
// Operations, as CLEANROOMSML_FOR_EACH_OPERATION lists them.

struct op_row {
    std::string_view snake;
    crm::operation_info const* info;
    detail::type_info const* input;
    detail::type_info const* output;
    std::vector<std::string_view> errors;
    bool paginated;
};

#define CRM_TEST_OP_ROW(name, R)                                                                        \
    op_row{#name, &crm::operation_traits<R>::info, &detail::type_of<R>(),                               \
           &detail::type_of<crm::operation_traits<R>::response>(),                                      \
           {crm::operation_traits<R>::errors.begin(), crm::operation_traits<R>::errors.end()},           \
           crm::paginated_request<R>},

std::vector<op_row> const& op_rows()
{
    static std::vector<op_row> const rows = {CLEANROOMSML_FOR_EACH_OPERATION(CRM_TEST_OP_ROW)};
    return rows;
}
#undef CRM_TEST_OP_ROW

// ---------------------------------------------------------------------------
// Model comparison helpers.

crm::timestamp_format format_from_model(std::string_view f)
{
    if (f == "iso8601") return crm::timestamp_format::date_time;
    if (f == "rfc822") return crm::timestamp_format::http_date;
    return crm::timestamp_format::epoch_seconds;  // "unixTimestamp"
}

std::string_view location_name(crm::http_location l)
{
    switch (l) {
    case crm::http_location::body: return "body";
    case crm::http_location::label: return "label";
    case crm::http_location::greedy_label: return "greedy_label";
    case crm::http_location::query: return "query";
    case crm::http_location::query_map: return "query_map";
    case crm::http_location::header: return "header";
    }
    return "?";
}

// Whether a shape (or, for lists and maps, its entries) carries constraints.
bool has_constraints(json::object const& shapes, std::string const& name)
{
    auto const& s = shapes.at(name).as_object();
    if (s.contains("min") || s.contains("max") || s.contains("pattern") || s.contains("enum")) return true;
    auto const type = str(s.at("type"));
    if (type == "list") return has_constraints(shapes, str(s.at("member").at("shape")));
    if (type == "map")
        return has_constraints(shapes, str(s.at("key").at("shape"))) ||
               has_constraints(shapes, str(s.at("value").at("shape")));
    return false;
}

bool rules_empty(crm::value_rules const* r)
{
    return !r || (r->min_length == -1 && r->max_length == -1 && !r->has_min && !r->has_max && !r->pattern &&
                  !r->enumeration && !r->element && !r->key);
}

// Compares the type_info (and rules) of a value with the model's shape `name`.
void check_value(json::object const& shapes, std::string const& name, detail::type_info const& ti,
                 crm::value_rules const* rules)
{
    using detail::value_kind;
    BOOST_TEST_CONTEXT("target shape " << name)
    {
        auto const& s = shapes.at(name).as_object();
        auto const type = str(s.at("type"));
        if (type == "structure") {
            BOOST_TEST((ti.kind == value_kind::structure));
            BOOST_TEST(ti.name == name);
        } else if (type == "list") {
            BOOST_TEST_REQUIRE((ti.kind == value_kind::list));
            check_value(shapes, str(s.at("member").at("shape")), ti.element(), rules ? rules->element : nullptr);
        } else if (type == "map") {
            BOOST_TEST_REQUIRE((ti.kind == value_kind::map));
            auto const key = str(s.at("key").at("shape"));
            BOOST_TEST(str(shapes.at(key).at("type")) == "string");
            BOOST_TEST_CONTEXT("map key")
            {
                if (has_constraints(shapes, key)) {
                    BOOST_TEST_REQUIRE((rules && rules->key));
                    check_value(shapes, key, detail::type_of<std::string>(), rules->key);
                } else {
                    BOOST_TEST(rules_empty(rules ? rules->key : nullptr));
                }
            }
            check_value(shapes, str(s.at("value").at("shape")), ti.element(), rules ? rules->element : nullptr);
        } else if (type == "string") {
            BOOST_TEST((ti.kind == value_kind::string));
            // An enumeration's table lists its known values in the model's
            // order (the CLI's skeletons and completion read them there);
            // map keys use the plain string table.
            std::vector<std::string> want, got;
            if (auto const* e = s.if_contains("enum"))
                for (auto const& v : e->as_array()) want.push_back(str(v));
            for (std::size_t i = 0; i < ti.enum_value_count; ++i) got.emplace_back(ti.enum_values[i]);
            if (&ti != &detail::type_of<std::string>() || want.empty())
                BOOST_TEST(got == want, boost::test_tools::per_element());
        } else if (type == "integer") {
            BOOST_TEST((ti.kind == value_kind::int32));
        } else if (type == "long") {
            BOOST_TEST((ti.kind == value_kind::int64));
        } else if (type == "double") {
            BOOST_TEST((ti.kind == value_kind::float64));
        } else if (type == "float") {
            BOOST_TEST((ti.kind == value_kind::float32));
        } else if (type == "boolean") {
            BOOST_TEST((ti.kind == value_kind::boolean));
        } else if (type == "timestamp") {
            BOOST_TEST((ti.kind == value_kind::timestamp));
        } else {
            BOOST_TEST(false, "shape type " << type << " not handled by this test");
        }

        // Constraints: lengths for strings, lists and maps; ranges for numbers.
        if (!has_constraints(shapes, name)) {
            BOOST_TEST(rules_empty(rules));
            return;
        }
        BOOST_TEST_REQUIRE(rules != nullptr, "the model constrains " << name << " but the member has no rules");
        bool const numeric = type == "integer" || type == "long" || type == "double" || type == "float";
        auto bound = [&](char const* k) -> std::optional<double> {
            if (auto const* v = s.if_contains(k)) return v->to_number<double>();
            return std::nullopt;
        };
        if (numeric) {
            BOOST_TEST(rules->has_min == bound("min").has_value());
            BOOST_TEST(rules->has_max == bound("max").has_value());
            if (bound("min")) BOOST_TEST(rules->min == *bound("min"));
            if (bound("max")) BOOST_TEST(rules->max == *bound("max"));
        } else {
            BOOST_TEST(rules->min_length == static_cast<std::int64_t>(bound("min").value_or(-1)));
            BOOST_TEST(rules->max_length == static_cast<std::int64_t>(bound("max").value_or(-1)));
        }
        BOOST_TEST(rules->enumeration == s.contains("enum"));
        if (auto const* p = s.if_contains("pattern")) {
            BOOST_TEST_REQUIRE(rules->pattern != nullptr);
            BOOST_TEST(rules->pattern().source() == std::string_view(p->as_string()));
        } else {
            BOOST_TEST(!rules->pattern);
        }
    }
}

// ---------------------------------------------------------------------------
// HTTP binding cases.

// Expectations are plain string views (no std::string temporaries): this
// keeps the big table function cheap to compile.
struct binding_case {
    std::string_view label;  // for messages
    std::string_view op;
    // What encode_request produced (encoded when the case is made).
    crm::error_code ec;
    detail::read_error err;
    detail::encoded_request out;
    // What the model says.
    std::string_view method;
    std::string_view path;
    std::string_view query;  // "key=value&...", percent-encoded; each key's values in order
    char const* body;        // JSON; nullptr: no body at all
};

template <class R>
binding_case make_case(std::string_view label, R const& req, std::string_view method, std::string_view path,
                       std::string_view query, char const* body)
{
    binding_case c{label, crm::operation_traits<R>::info.name, {}, {}, {}, method, path, query, body};
    detail::encode_options opt;
    opt.idempotency_token = [] { return std::string("00000000-0000-4000-8000-000000000000"); };
    c.ec = detail::encode_request(crm::operation_traits<R>::info, detail::type_of<R>(), &req, c.out, c.err, opt);
    return c;
}

// key -> its values in order; order between different keys does not matter.
std::map<std::string, std::vector<std::string>> query_params(std::vector<std::string> const& items)
{
    std::map<std::string, std::vector<std::string>> m;
    for (auto const& it : items) {
        auto eq = it.find('=');
        m[it.substr(0, eq)].push_back(eq == std::string::npos ? std::string() : it.substr(eq + 1));
    }
    return m;
}

std::vector<std::string> split_query(std::string_view q)
{
    std::vector<std::string> out;
    while (!q.empty()) {
        auto amp = q.find('&');
        out.emplace_back(q.substr(0, amp));
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    }
    return out;
}

std::string show_query(std::map<std::string, std::vector<std::string>> const& m)
{
    std::string s;
    for (auto const& [k, vs] : m)
        for (auto const& v : vs) s += (s.empty() ? "" : "&") + k + "=" + v;
    return s;
}

using string_map = std::map<std::string, std::string>;

// ARNs: ':' and '/' are percent-encoded in a (non-greedy) label and in query values.
#define AM_ARN "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/am-1"
#define AM_ENC "arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aaudience-model%2Fam-1"
#define CAM_ARN "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/cam/v2"
#define CAM_ENC "arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Aconfigured-audience-model%2Fcam%2Fv2"
#define TD_ARN "arn:aws:cleanrooms-ml:eu-west-2:123456789012:training-dataset/td_3.x"
#define TD_ENC "arn%3Aaws%3Acleanrooms-ml%3Aeu-west-2%3A123456789012%3Atraining-dataset%2Ftd_3.x"
#define AGJ_ARN "arn:aws-cn:cleanrooms-ml:cn-north-1:123456789012:audience-generation-job/job~4"
#define AGJ_ENC "arn%3Aaws-cn%3Acleanrooms-ml%3Acn-north-1%3A123456789012%3Aaudience-generation-job%2Fjob~4"
#define ROLE_ARN "arn:aws:iam::123456789012:role/service-role/ml"
#define KMS_ARN "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
#define COLLAB_ID "0123abcd-4567-89ef-0123-456789abcdef"
#define POLICY_HASH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
// The trained-model family: resources scoped by a membership or collaboration (UUIDs, kept as they are in
// a label), ARNs with ':' and '/' (also inside the resource id), encoded in labels and query values alike.
#define MEMBERSHIP_ID "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
#define VERSION_ID "7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098"
#define VERSION_ID2 "c0ffee00-1234-4abc-9def-0123456789ab"
#define ACCOUNT_ID "210987654321"
#define TM_ARN "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" MEMBERSHIP_ID "/trained-model/tm-7f3a.v2"
#define TM_ENC                                                                       \
    "arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Amembership%2F" MEMBERSHIP_ID \
    "%2Ftrained-model%2Ftm-7f3a.v2"
#define TMIJ_ARN                                                                             \
    "arn:aws-us-gov:cleanrooms-ml:us-gov-west-1:123456789012:membership/" MEMBERSHIP_ID \
    "/trained-model-inference-job/ij_42/run.1"
#define TMIJ_ENC                                                                                     \
    "arn%3Aaws-us-gov%3Acleanrooms-ml%3Aus-gov-west-1%3A123456789012%3Amembership%2F" MEMBERSHIP_ID \
    "%2Ftrained-model-inference-job%2Fij_42%2Frun.1"
#define CMA_ARN "arn:aws:cleanrooms-ml:eu-central-1:123456789012:configured-model-algorithm/cma-1a2b3c4d"
#define CMA_ENC "arn%3Aaws%3Acleanrooms-ml%3Aeu-central-1%3A123456789012%3Aconfigured-model-algorithm%2Fcma-1a2b3c4d"
#define CMAA_ARN                                                                 \
    "arn:aws:cleanrooms-ml:us-east-1:123456789012:membership/" MEMBERSHIP_ID \
    "/configured-model-algorithm-association/cmaa_9"
#define CMAA_ENC                                                                     \
    "arn%3Aaws%3Acleanrooms-ml%3Aus-east-1%3A123456789012%3Amembership%2F" MEMBERSHIP_ID \
    "%2Fconfigured-model-algorithm-association%2Fcmaa_9"
#define MLIC_ARN                                                                         \
    "arn:aws-cn:cleanrooms-ml:cn-northwest-1:123456789012:membership/" MEMBERSHIP_ID \
    "/ml-input-channel/mlic.3/part-2"
#define MLIC_ENC                                                                                 \
    "arn%3Aaws-cn%3Acleanrooms-ml%3Acn-northwest-1%3A123456789012%3Amembership%2F" MEMBERSHIP_ID \
    "%2Fml-input-channel%2Fmlic.3%2Fpart-2"
#define AT_ARN "arn:aws:cleanrooms:us-east-1:123456789012:membership/" MEMBERSHIP_ID "/analysistemplate/at-5e6f"
#define ECR_IMAGE "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb-train:1.7-1"

std::vector<binding_case> binding_cases()
{
    using namespace std::chrono;
    std::vector<binding_case> v;

    {  // CreateAudienceModel: POST /audience-model, every member in the body.
        crm::create_audience_model_request r{
            .training_data_start_time = utc(2024y / January / 2, 3h + 4min + 5s + 123ms),
            .training_data_end_time = utc(2024y / February / 1),
            .name = "m1",
            .training_dataset_arn = TD_ARN,
            .kms_key_arn = KMS_ARN,
            .tags = string_map{{"team", "ml"}, {"k \xC3\xA9", "v/1"}},
            .description = "model \"one\"\n",
        };
        v.push_back(make_case("full", r, "POST", "/audience-model", "", R"({
            "description": "model \"one\"\n",
            "kmsKeyArn": ")" KMS_ARN R"(",
            "name": "m1",
            "tags": {"team": "ml", "k \u00e9": "v/1"},
            "trainingDataEndTime": "2024-02-01T00:00:00Z",
            "trainingDataStartTime": "2024-01-02T03:04:05.123Z",
            "trainingDatasetArn": ")" TD_ARN R"("})"));
        crm::create_audience_model_request minimal{};
        minimal.name = "m2";
        minimal.training_dataset_arn = TD_ARN;
        minimal.training_data_start_time = utc(1969y / December / 31, 23h + 59min + 59s + 999999999ns);
        v.push_back(make_case("required only, ns timestamp before 1970", minimal, "POST", "/audience-model", "",
                              R"({"name": "m2", "trainingDatasetArn": ")" TD_ARN R"(",
                                  "trainingDataStartTime": "1969-12-31T23:59:59.999999999Z"})"));
    }
    {  // CreateConfiguredAudienceModel
        crm::create_configured_audience_model_request r{
            .name = "cam",
            .audience_model_arn = AM_ARN,
            .output_config = {.destination = {.s3_destination = {.s3_uri = "s3://bucket/prefix/"}},
                              .role_arn = ROLE_ARN},
            .description = "",
            .shared_audience_metrics = {crm::shared_audience_metrics::all},
            .min_matching_seed_size = 25,
            .audience_size_config = crm::audience_size_config{.audience_size_type = crm::audience_size_type::absolute,
                                                              .audience_size_bins = {1000, 5000}},
            .tags = string_map{{"a", "b"}},
            .child_resource_tag_on_create_policy = crm::tag_on_create_policy::from_parent_resource,
        };
        v.push_back(make_case("full", r, "POST", "/configured-audience-model", "", R"({
            "audienceModelArn": ")" AM_ARN R"(",
            "audienceSizeConfig": {"audienceSizeBins": [1000, 5000], "audienceSizeType": "ABSOLUTE"},
            "childResourceTagOnCreatePolicy": "FROM_PARENT_RESOURCE",
            "description": "",
            "minMatchingSeedSize": 25,
            "name": "cam",
            "outputConfig": {"destination": {"s3Destination": {"s3Uri": "s3://bucket/prefix/"}},
                             "roleArn": ")" ROLE_ARN R"("},
            "sharedAudienceMetrics": ["ALL"],
            "tags": {"a": "b"}})"));
    }
    {  // CreateTrainingDataset (description left unset: omitted)
        crm::create_training_dataset_request r{};
        r.name = "td";
        r.role_arn = ROLE_ARN;
        r.tags = string_map{};
        crm::dataset ds{};
        ds.input_config.data_source.glue_data_source = {.table_name = "tbl", .database_name = "db",
                                                        .catalog_id = "123456789012"};
        ds.input_config.schema = {{.column_name = "user", .column_types = {crm::column_type::user_id}},
                                  {.column_name = "ts", .column_types = {crm::column_type::timestamp}}};
        ds.type = crm::dataset_type::interactions;
        r.training_data = {ds};
        v.push_back(make_case("full", r, "POST", "/training-dataset", "", R"({
            "name": "td",
            "roleArn": ")" ROLE_ARN R"(",
            "tags": {},
            "trainingData": [{
                "inputConfig": {
                    "dataSource": {"glueDataSource": {"catalogId": "123456789012", "databaseName": "db", "tableName": "tbl"}},
                    "schema": [{"columnName": "user", "columnTypes": ["USER_ID"]},
                               {"columnName": "ts", "columnTypes": ["TIMESTAMP"]}]},
                "type": "INTERACTIONS"}]})"));
    }
    // The Delete* and Get* operations: one label, no query, no body.
    v.push_back(make_case("label", crm::delete_audience_generation_job_request{.audience_generation_job_arn = AGJ_ARN},
                          "DELETE", "/audience-generation-job/" AGJ_ENC, "", nullptr));
    v.push_back(make_case("label", crm::delete_audience_model_request{.audience_model_arn = AM_ARN}, "DELETE",
                          "/audience-model/" AM_ENC, "", nullptr));
    v.push_back(make_case("label", crm::delete_configured_audience_model_request{.configured_audience_model_arn = CAM_ARN},
                          "DELETE", "/configured-audience-model/" CAM_ENC, "", nullptr));
    v.push_back(make_case("label",
                          crm::delete_configured_audience_model_policy_request{.configured_audience_model_arn = CAM_ARN},
                          "DELETE", "/configured-audience-model/" CAM_ENC "/policy", "", nullptr));
    v.push_back(make_case("label", crm::delete_training_dataset_request{.training_dataset_arn = TD_ARN}, "DELETE",
                          "/training-dataset/" TD_ENC, "", nullptr));
    v.push_back(make_case("label", crm::get_audience_generation_job_request{.audience_generation_job_arn = AGJ_ARN},
                          "GET", "/audience-generation-job/" AGJ_ENC, "", nullptr));
    v.push_back(make_case("label", crm::get_audience_model_request{.audience_model_arn = AM_ARN}, "GET",
                          "/audience-model/" AM_ENC, "", nullptr));
    v.push_back(make_case("label", crm::get_configured_audience_model_request{.configured_audience_model_arn = CAM_ARN},
                          "GET", "/configured-audience-model/" CAM_ENC, "", nullptr));
    v.push_back(make_case("label",
                          crm::get_configured_audience_model_policy_request{.configured_audience_model_arn = CAM_ARN},
                          "GET", "/configured-audience-model/" CAM_ENC "/policy", "", nullptr));
    v.push_back(make_case("label", crm::get_training_dataset_request{.training_dataset_arn = TD_ARN}, "GET",
                          "/training-dataset/" TD_ENC, "", nullptr));
    v.push_back(make_case("label with a space, a slash and UTF-8",
                          crm::get_training_dataset_request{.training_dataset_arn = "a b/\xC3\xA9+"}, "GET",
                          "/training-dataset/a%20b%2F%C3%A9%2B", "", nullptr));
    // The List* operations: query parameters only.
    v.push_back(make_case("all query members",
                          crm::list_audience_export_jobs_request{.next_token = "tok+/=en",
                                                                 .max_results = 10,
                                                                 .audience_generation_job_arn = AGJ_ARN},
                          "GET", "/audience-export-job",
                          "audienceGenerationJobArn=" AGJ_ENC "&maxResults=10&nextToken=tok%2B%2F%3Den",
                          nullptr));
    v.push_back(make_case("all query members",
                          crm::list_audience_generation_jobs_request{.next_token = "a+b/c==",
                                                                     .max_results = 100,
                                                                     .configured_audience_model_arn = CAM_ARN,
                                                                     .collaboration_id = COLLAB_ID},
                          "GET", "/audience-generation-job",
                          "configuredAudienceModelArn=" CAM_ENC "&collaborationId=" COLLAB_ID "&maxResults=100"
                          "&nextToken=a%2Bb%2Fc%3D%3D",
                          nullptr));
    v.push_back(make_case("nothing set", crm::list_audience_generation_jobs_request{}, "GET", "/audience-generation-job",
                          {}, nullptr));
    v.push_back(make_case("all query members", crm::list_audience_models_request{.next_token = "x y~", .max_results = 1},
                          "GET", "/audience-model", "maxResults=1&nextToken=x%20y~", nullptr));
    v.push_back(make_case("nothing set", crm::list_configured_audience_models_request{}, "GET",
                          "/configured-audience-model", "", nullptr));
    v.push_back(make_case("all query members",
                          crm::list_configured_audience_models_request{.next_token = "AAA=", .max_results = 50},
                          "GET", "/configured-audience-model", "maxResults=50&nextToken=AAA%3D", nullptr));
    v.push_back(make_case("label", crm::list_tags_for_resource_request{.resource_arn = AM_ARN}, "GET",
                          "/tags/" AM_ENC, "", nullptr));
    {
        crm::list_training_datasets_request r{};
        r.next_token = "==";
        v.push_back(make_case("token only", r, "GET", "/training-dataset", "nextToken=%3D%3D", nullptr));
    }
    {  // PutConfiguredAudienceModelPolicy: label + body
        crm::put_configured_audience_model_policy_request r{
            .configured_audience_model_arn = CAM_ARN,
            .configured_audience_model_policy = R"({"Version":"2012-10-17","Statement":[]})",
            .previous_policy_hash = POLICY_HASH,
            .policy_existence_condition = crm::policy_existence_condition::policy_must_exist,
        };
        v.push_back(make_case("full", r, "PUT", "/configured-audience-model/" CAM_ENC "/policy", "", R"({
            "configuredAudienceModelPolicy": "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
            "policyExistenceCondition": "POLICY_MUST_EXIST",
            "previousPolicyHash": ")" POLICY_HASH R"("})"));
    }
    {  // StartAudienceExportJob
        crm::start_audience_export_job_request r{
            .name = "export",
            .audience_generation_job_arn = AGJ_ARN,
            .audience_size = {.type = crm::audience_size_type::percentage, .value = 40},
            .description = "\xE6\x97\xA5\xE6\x9C\xAC",
        };
        v.push_back(make_case("full", r, "POST", "/audience-export-job", "", R"({
            "audienceGenerationJobArn": ")" AGJ_ARN R"(",
            "audienceSize": {"type": "PERCENTAGE", "value": 40},
            "description": "\u65e5\u672c",
            "name": "export"})"));
    }
    {  // StartAudienceGenerationJob
        crm::start_audience_generation_job_request r{
            .name = "gen",
            .configured_audience_model_arn = CAM_ARN,
            .seed_audience = {.data_source = crm::s3_config_map{.s3_uri = "s3://seed/x.csv"}, .role_arn = ROLE_ARN},
            .include_seed_in_output = false,
            .collaboration_id = COLLAB_ID,
            .description = std::nullopt,
            .tags = string_map{},
        };
        v.push_back(make_case("full", r, "POST", "/audience-generation-job", "", R"({
            "collaborationId": ")" COLLAB_ID R"(",
            "configuredAudienceModelArn": ")" CAM_ARN R"(",
            "includeSeedInOutput": false,
            "name": "gen",
            "seedAudience": {"dataSource": {"s3Uri": "s3://seed/x.csv"}, "roleArn": ")" ROLE_ARN R"("},
            "tags": {}})"));
    }
    v.push_back(make_case("label + body",
                          crm::tag_resource_request{.resource_arn = TD_ARN,
                                                    .tags = {{"env", "prod"}, {"quote\"key", "v\\"}}},
                          "POST", "/tags/" TD_ENC, "", R"({"tags": {"env": "prod", "quote\"key": "v\\"}})"));
    v.push_back(make_case("tagKeys a, b", crm::untag_resource_request{.resource_arn = AGJ_ARN, .tag_keys = {"a", "b"}},
                          "DELETE", "/tags/" AGJ_ENC, "tagKeys=a&tagKeys=b", nullptr));
    v.push_back(make_case("tagKeys needing escapes",
                          crm::untag_resource_request{.resource_arn = AGJ_ARN,
                                                      .tag_keys = {"z b", "k/\xC3\xA9", "a=1&b"}},
                          "DELETE", "/tags/" AGJ_ENC, "tagKeys=z%20b&tagKeys=k%2F%C3%A9&tagKeys=a%3D1%26b",
                          nullptr));
    v.push_back(make_case("no tagKeys", crm::untag_resource_request{.resource_arn = AGJ_ARN, .tag_keys = {}}, "DELETE",
                          "/tags/" AGJ_ENC, "", nullptr));
    {  // UpdateConfiguredAudienceModel: PATCH, label + body
        crm::update_configured_audience_model_request r{
            .configured_audience_model_arn = CAM_ARN,
            .output_config = crm::configured_audience_model_output_config{
                .destination = {.s3_destination = {.s3_uri = "s3://out/"}}, .role_arn = ROLE_ARN},
            .audience_model_arn = AM_ARN,
            .shared_audience_metrics = std::vector<crm::shared_audience_metrics>{crm::shared_audience_metrics::none},
            .min_matching_seed_size = 500000,
            .audience_size_config = crm::audience_size_config{.audience_size_type = crm::audience_size_type::percentage,
                                                              .audience_size_bins = {10}},
            .description = "new",
        };
        v.push_back(make_case("full", r, "PATCH", "/configured-audience-model/" CAM_ENC, "", R"({
            "audienceModelArn": ")" AM_ARN R"(",
            "audienceSizeConfig": {"audienceSizeBins": [10], "audienceSizeType": "PERCENTAGE"},
            "description": "new",
            "minMatchingSeedSize": 500000,
            "outputConfig": {"destination": {"s3Destination": {"s3Uri": "s3://out/"}}, "roleArn": ")" ROLE_ARN R"("},
            "sharedAudienceMetrics": ["NONE"]})"));
        crm::update_configured_audience_model_request arn_only{};
        arn_only.configured_audience_model_arn = CAM_ARN;
        v.push_back(make_case("only the label: empty body object", arn_only, "PATCH",
                              "/configured-audience-model/" CAM_ENC, "", "{}"));
    }

    // ---- The trained-model family (34 operations): memberships, collaborations, ML input channels,
    // configured model algorithms and their associations, trained models and inference jobs.
    // Expectations written from service.json: URI templates, which members are uri / querystring (and
    // their wire names), everything else in the JSON body; an input without body members sends no body.

    // CancelTrainedModel: PATCH, two labels and an optional query member, no body member: no body at all.
    v.push_back(make_case("labels + versionIdentifier",
                          crm::cancel_trained_model_request{.membership_identifier = MEMBERSHIP_ID,
                                                            .trained_model_arn = TM_ARN,
                                                            .version_identifier = VERSION_ID},
                          "PATCH", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC,
                          "versionIdentifier=" VERSION_ID, nullptr));
    v.push_back(make_case("labels only",
                          crm::cancel_trained_model_request{.membership_identifier = MEMBERSHIP_ID,
                                                            .trained_model_arn = TM_ARN},
                          "PATCH", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC, "", nullptr));
    // CancelTrainedModelInferenceJob: PATCH, two labels, no body.
    v.push_back(make_case("labels",
                          crm::cancel_trained_model_inference_job_request{.membership_identifier = MEMBERSHIP_ID,
                                                                          .trained_model_inference_job_arn = TMIJ_ARN},
                          "PATCH", "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs/" TMIJ_ENC, "",
                          nullptr));
    {  // CreateConfiguredModelAlgorithm: POST, no label, every member in the body.
        crm::create_configured_model_algorithm_request r{
            .name = "xgboost",
            .description = "XGBoost \"hist\" 1.7",
            .role_arn = ROLE_ARN,
            .training_container_config =
                crm::container_config{
                    .image_uri = ECR_IMAGE,
                    .entrypoint = std::vector<std::string>{"python3", "/opt/ml/code/train.py"},
                    .arguments = std::vector<std::string>{"--num-round", "100", "--objective=binary:logistic"},
                    .metric_definitions =
                        std::vector<crm::metric_definition>{
                            {.name = "validation:auc", .regex = "validation-auc:([0-9\\.]+)"},
                            {.name = "train:error", .regex = "train-error=(\\S+)"}},
                },
            .inference_container_config =
                crm::inference_container_config{.image_uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb-infer:2"},
            .tags = string_map{{"project", "churn"}, {"cost/center", "42"}},
            .kms_key_arn = KMS_ARN,
        };
        v.push_back(make_case("full", r, "POST", "/configured-model-algorithms", "", R"({
            "name": "xgboost",
            "description": "XGBoost \"hist\" 1.7",
            "roleArn": ")" ROLE_ARN R"(",
            "trainingContainerConfig": {
                "imageUri": ")" ECR_IMAGE R"re(",
                "entrypoint": ["python3", "/opt/ml/code/train.py"],
                "arguments": ["--num-round", "100", "--objective=binary:logistic"],
                "metricDefinitions": [{"name": "validation:auc", "regex": "validation-auc:([0-9\\.]+)"},
                                      {"name": "train:error", "regex": "train-error=(\\S+)"}]},
            "inferenceContainerConfig": {"imageUri": "123456789012.dkr.ecr.us-east-1.amazonaws.com/xgb-infer:2"},
            "tags": {"project": "churn", "cost/center": "42"},
            "kmsKeyArn": ")re" KMS_ARN R"("})"));
        crm::create_configured_model_algorithm_request minimal{};
        minimal.name = "algo";
        minimal.role_arn = ROLE_ARN;
        v.push_back(make_case("required only", minimal, "POST", "/configured-model-algorithms", "",
                              R"({"name": "algo", "roleArn": ")" ROLE_ARN R"("})"));
        crm::create_configured_model_algorithm_request empty_list = minimal;
        empty_list.training_container_config =
            crm::container_config{.image_uri = ECR_IMAGE, .metric_definitions = std::vector<crm::metric_definition>{}};
        v.push_back(make_case("training container with an empty (but set) metric list", empty_list, "POST",
                              "/configured-model-algorithms", "",
                              R"({"name": "algo", "roleArn": ")" ROLE_ARN R"(",
                                  "trainingContainerConfig": {"imageUri": ")" ECR_IMAGE R"(", "metricDefinitions": []}})"));
    }
    {  // CreateConfiguredModelAlgorithmAssociation: membership label; privacy policies (lists, enums, doubles).
        crm::create_configured_model_algorithm_association_request r{
            .membership_identifier = MEMBERSHIP_ID,
            .configured_model_algorithm_arn = CMA_ARN,
            .name = "cmaa \"xgb\"",
            .description = "line 1\nline 2\t\xC3\xA9",
            .privacy_configuration = crm::privacy_configuration{.policies = {
                .trained_models =
                    crm::trained_models_configuration_policy{
                        .container_logs =
                            std::vector<crm::logs_configuration_policy>{
                                {.allowed_account_ids = {ACCOUNT_ID, "123456789012"},
                                 .filter_pattern = "^ERROR .*$",
                                 .log_type = crm::log_type::all,
                                 .log_redaction_configuration =
                                     crm::log_redaction_configuration{
                                         .entities_to_redact = {crm::entity_type::all_personally_identifiable_information,
                                                                crm::entity_type::numbers, crm::entity_type::custom},
                                         .custom_entity_config =
                                             crm::custom_entity_config{
                                                 .custom_data_identifiers = {"[A-Z]{2}-\\d{6}", "user@example\\.com"}},
                                     }},
                                {.allowed_account_ids = {"123456789012"}}},
                        .container_metrics = crm::metrics_configuration_policy{.noise_level = crm::noise_level_type::medium},
                        .max_artifact_size = crm::trained_model_artifact_max_size{
                            .unit = crm::trained_model_artifact_max_size_unit_type::gb, .value = 10.5},
                    },
                .trained_model_exports =
                    crm::trained_model_exports_configuration_policy{
                        .max_size = {.unit = crm::trained_model_exports_max_size_unit_type::gb, .value = 0.01},
                        .files_to_export = {crm::trained_model_export_file_type::model,
                                            crm::trained_model_export_file_type::output},
                    },
                .trained_model_inference_jobs =
                    crm::trained_model_inference_jobs_configuration_policy{
                        .container_logs =
                            std::vector<crm::logs_configuration_policy>{
                                {.allowed_account_ids = {ACCOUNT_ID}, .log_type = crm::log_type::error_summary}},
                        .max_output_size = crm::trained_model_inference_max_output_size{
                            .unit = crm::trained_model_inference_max_output_size_unit_type::gb, .value = 99.99},
                    },
            }},
            .tags = string_map{{"team", "ml"}},
        };
        v.push_back(make_case("full", r, "POST",
                              "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations", "", R"({
            "configuredModelAlgorithmArn": ")" CMA_ARN R"(",
            "name": "cmaa \"xgb\"",
            "description": "line 1\nline 2\t\u00e9",
            "privacyConfiguration": {"policies": {
                "trainedModels": {
                    "containerLogs": [
                        {"allowedAccountIds": ["210987654321", "123456789012"],
                         "filterPattern": "^ERROR .*$",
                         "logType": "ALL",
                         "logRedactionConfiguration": {
                             "entitiesToRedact": ["ALL_PERSONALLY_IDENTIFIABLE_INFORMATION", "NUMBERS", "CUSTOM"],
                             "customEntityConfig": {"customDataIdentifiers": ["[A-Z]{2}-\\d{6}", "user@example\\.com"]}}},
                        {"allowedAccountIds": ["123456789012"]}],
                    "containerMetrics": {"noiseLevel": "MEDIUM"},
                    "maxArtifactSize": {"unit": "GB", "value": 10.5}},
                "trainedModelExports": {"maxSize": {"unit": "GB", "value": 0.01}, "filesToExport": ["MODEL", "OUTPUT"]},
                "trainedModelInferenceJobs": {
                    "containerLogs": [{"allowedAccountIds": ["210987654321"], "logType": "ERROR_SUMMARY"}],
                    "maxOutputSize": {"unit": "GB", "value": 99.99}}}},
            "tags": {"team": "ml"}})"));
        crm::create_configured_model_algorithm_association_request minimal{};
        minimal.membership_identifier = MEMBERSHIP_ID;
        minimal.configured_model_algorithm_arn = CMA_ARN;
        minimal.name = "cmaa";
        v.push_back(make_case("required only", minimal, "POST",
                              "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations", "",
                              R"({"configuredModelAlgorithmArn": ")" CMA_ARN R"(", "name": "cmaa"})"));
        crm::create_configured_model_algorithm_association_request empty_policies = minimal;
        empty_policies.privacy_configuration = crm::privacy_configuration{};
        v.push_back(make_case("privacyConfiguration with no policy set", empty_policies, "POST",
                              "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations", "",
                              R"({"configuredModelAlgorithmArn": ")" CMA_ARN R"(", "name": "cmaa",
                                  "privacyConfiguration": {"policies": {}}})"));
    }
    {  // CreateMLInputChannel: membership label; the dataSource, computeConfiguration and properties unions.
        crm::create_ml_input_channel_request r{
            .membership_identifier = MEMBERSHIP_ID,
            .configured_model_algorithm_associations = {CMAA_ARN},
            .input_channel =
                {
                    .data_source = {.protected_query_input_parameters =
                                        crm::protected_query_input_parameters{
                                            .sql_parameters = {.query_string =
                                                                   "SELECT user_id, label FROM \"events\" WHERE ts > :since",
                                                               .analysis_template_arn = AT_ARN,
                                                               .parameters = string_map{{"since", "2024-01-01"},
                                                                                        {"limit", "1000"}}},
                                            .compute_configuration =
                                                crm::compute_configuration{
                                                    .worker =
                                                        crm::worker_compute_configuration{
                                                            .type = crm::worker_compute_type::cr_4_x,
                                                            .number = 16,
                                                            .properties =
                                                                crm::worker_compute_configuration_properties{
                                                                    .spark = string_map{
                                                                        {"spark.sql.shuffle.partitions", "200"},
                                                                        {"spark.executor.memory", "8g"}}},
                                                        }},
                                            .result_format = crm::result_format::parquet,
                                        }},
                    .role_arn = ROLE_ARN,
                },
            .name = "training-input",
            .retention_in_days = 30,
            .description = "channel for \xE2\x80\x9C" "churn\xE2\x80\x9D",
            .kms_key_arn = KMS_ARN,
            .tags = string_map{{"env", "test"}},
            .payer_configuration = crm::payer_configuration{.compute_payer_account_id = ACCOUNT_ID,
                                                            .synthetic_data_payer_account_id = "123456789012"},
        };
        v.push_back(make_case("full", r, "POST", "/memberships/" MEMBERSHIP_ID "/ml-input-channels", "", R"({
            "configuredModelAlgorithmAssociations": [")" CMAA_ARN R"("],
            "inputChannel": {
                "dataSource": {"protectedQueryInputParameters": {
                    "sqlParameters": {
                        "queryString": "SELECT user_id, label FROM \"events\" WHERE ts > :since",
                        "analysisTemplateArn": ")" AT_ARN R"(",
                        "parameters": {"since": "2024-01-01", "limit": "1000"}},
                    "computeConfiguration": {"worker": {
                        "type": "CR.4X",
                        "number": 16,
                        "properties": {"spark": {"spark.sql.shuffle.partitions": "200", "spark.executor.memory": "8g"}}}},
                    "resultFormat": "PARQUET"}},
                "roleArn": ")" ROLE_ARN R"("},
            "name": "training-input",
            "retentionInDays": 30,
            "description": "channel for \u201cchurn\u201d",
            "kmsKeyArn": ")" KMS_ARN R"(",
            "tags": {"env": "test"},
            "payerConfiguration": {"computePayerAccountId": "210987654321",
                                   "syntheticDataPayerAccountId": "123456789012"}})"));
        crm::create_ml_input_channel_request minimal{};
        minimal.membership_identifier = MEMBERSHIP_ID;
        minimal.configured_model_algorithm_associations = {CMAA_ARN};
        minimal.input_channel.data_source.protected_query_input_parameters =
            crm::protected_query_input_parameters{.sql_parameters = {.analysis_template_arn = AT_ARN}};
        minimal.input_channel.role_arn = ROLE_ARN;
        minimal.name = "c";
        minimal.retention_in_days = 1;
        v.push_back(make_case("required only (analysis template)", minimal, "POST",
                              "/memberships/" MEMBERSHIP_ID "/ml-input-channels", "", R"({
            "configuredModelAlgorithmAssociations": [")" CMAA_ARN R"("],
            "inputChannel": {"dataSource": {"protectedQueryInputParameters": {
                                 "sqlParameters": {"analysisTemplateArn": ")" AT_ARN R"("}}},
                             "roleArn": ")" ROLE_ARN R"("},
            "name": "c",
            "retentionInDays": 1})"));
    }
    {  // CreateTrainedModel: membership label; maps, lists of structures, enums, nested int members.
        crm::create_trained_model_request r{
            .membership_identifier = MEMBERSHIP_ID,
            .name = "churn-model",
            .configured_model_algorithm_association_arn = CMAA_ARN,
            .hyperparameters = string_map{{"eta", "0.3"}, {"max_depth", "6"}},
            .environment = string_map{{"LOG_LEVEL", "debug"}, {"EXTRA", "a=b; c\"d"}},
            .resource_config = {.instance_count = 2,
                                .instance_type = crm::instance_type::ml_g5_2xlarge,
                                .volume_size_in_gb = 8192},
            .stopping_condition = crm::stopping_condition{.max_runtime_in_seconds = 2419200},
            .incremental_training_data_channels =
                std::vector<crm::incremental_training_data_channel>{
                    {.trained_model_arn = TM_ARN, .version_identifier = VERSION_ID, .channel_name = "base_model"}},
            .data_channels = {{.ml_input_channel_arn = MLIC_ARN,
                               .channel_name = "train",
                               .s3_data_distribution_type = crm::s3_data_distribution_type::sharded_by_s3_key},
                              {.ml_input_channel_arn = MLIC_ARN,
                               .channel_name = "validation.v1",
                               .s3_data_distribution_type = crm::s3_data_distribution_type::fully_replicated}},
            .training_input_mode = crm::training_input_mode::fast_file,
            .description = "",
            .kms_key_arn = KMS_ARN,
            .tags = string_map{{"a", ""}},
            .ml_model_training_payer_account_id = ACCOUNT_ID,
        };
        v.push_back(make_case("full", r, "POST", "/memberships/" MEMBERSHIP_ID "/trained-models", "", R"({
            "name": "churn-model",
            "configuredModelAlgorithmAssociationArn": ")" CMAA_ARN R"(",
            "hyperparameters": {"eta": "0.3", "max_depth": "6"},
            "environment": {"LOG_LEVEL": "debug", "EXTRA": "a=b; c\"d"},
            "resourceConfig": {"instanceCount": 2, "instanceType": "ml.g5.2xlarge", "volumeSizeInGB": 8192},
            "stoppingCondition": {"maxRuntimeInSeconds": 2419200},
            "incrementalTrainingDataChannels": [{"trainedModelArn": ")" TM_ARN R"(",
                                                 "versionIdentifier": ")" VERSION_ID R"(",
                                                 "channelName": "base_model"}],
            "dataChannels": [{"mlInputChannelArn": ")" MLIC_ARN R"(", "channelName": "train",
                              "s3DataDistributionType": "ShardedByS3Key"},
                             {"mlInputChannelArn": ")" MLIC_ARN R"(", "channelName": "validation.v1",
                              "s3DataDistributionType": "FullyReplicated"}],
            "trainingInputMode": "FastFile",
            "description": "",
            "kmsKeyArn": ")" KMS_ARN R"(",
            "tags": {"a": ""},
            "mlModelTrainingPayerAccountId": "210987654321"})"));
        crm::create_trained_model_request minimal{};
        minimal.membership_identifier = MEMBERSHIP_ID;
        minimal.name = "m";
        minimal.configured_model_algorithm_association_arn = CMAA_ARN;
        minimal.resource_config = {.instance_type = crm::instance_type::ml_m5_xlarge, .volume_size_in_gb = 1};
        minimal.data_channels = {{.ml_input_channel_arn = MLIC_ARN, .channel_name = "train"}};
        v.push_back(make_case("required only", minimal, "POST", "/memberships/" MEMBERSHIP_ID "/trained-models", "",
                              R"({
            "name": "m",
            "configuredModelAlgorithmAssociationArn": ")" CMAA_ARN R"(",
            "resourceConfig": {"instanceType": "ml.m5.xlarge", "volumeSizeInGB": 1},
            "dataChannels": [{"mlInputChannelArn": ")" MLIC_ARN R"(", "channelName": "train"}]})"));
    }
    // Delete*: labels (and DeleteTrainedModelOutput's query member), no body.
    v.push_back(make_case("label",
                          crm::delete_configured_model_algorithm_request{.configured_model_algorithm_arn = CMA_ARN},
                          "DELETE", "/configured-model-algorithms/" CMA_ENC, "", nullptr));
    v.push_back(make_case("labels",
                          crm::delete_configured_model_algorithm_association_request{
                              .configured_model_algorithm_association_arn = CMAA_ARN,
                              .membership_identifier = MEMBERSHIP_ID},
                          "DELETE", "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations/" CMAA_ENC,
                          "", nullptr));
    v.push_back(make_case("label", crm::delete_ml_configuration_request{.membership_identifier = MEMBERSHIP_ID},
                          "DELETE", "/memberships/" MEMBERSHIP_ID "/ml-configurations", "", nullptr));
    v.push_back(make_case("labels",
                          crm::delete_ml_input_channel_data_request{.ml_input_channel_arn = MLIC_ARN,
                                                                    .membership_identifier = MEMBERSHIP_ID},
                          "DELETE", "/memberships/" MEMBERSHIP_ID "/ml-input-channels/" MLIC_ENC, "", nullptr));
    v.push_back(make_case("labels + versionIdentifier",
                          crm::delete_trained_model_output_request{.trained_model_arn = TM_ARN,
                                                                   .membership_identifier = MEMBERSHIP_ID,
                                                                   .version_identifier = VERSION_ID2},
                          "DELETE", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC,
                          "versionIdentifier=" VERSION_ID2, nullptr));
    v.push_back(make_case("labels only",
                          crm::delete_trained_model_output_request{.trained_model_arn = TM_ARN,
                                                                   .membership_identifier = MEMBERSHIP_ID},
                          "DELETE", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC, "", nullptr));
    // Get*: labels (and versionIdentifier for trained models), no body.
    v.push_back(make_case("labels",
                          crm::get_collaboration_configured_model_algorithm_association_request{
                              .configured_model_algorithm_association_arn = CMAA_ARN,
                              .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/configured-model-algorithm-associations/" CMAA_ENC, "",
                          nullptr));
    v.push_back(make_case("labels",
                          crm::get_collaboration_ml_input_channel_request{.ml_input_channel_arn = MLIC_ARN,
                                                                          .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/ml-input-channels/" MLIC_ENC, "", nullptr));
    v.push_back(make_case("labels + versionIdentifier",
                          crm::get_collaboration_trained_model_request{.trained_model_arn = TM_ARN,
                                                                       .collaboration_identifier = COLLAB_ID,
                                                                       .version_identifier = VERSION_ID},
                          "GET", "/collaborations/" COLLAB_ID "/trained-models/" TM_ENC,
                          "versionIdentifier=" VERSION_ID, nullptr));
    v.push_back(make_case("labels only",
                          crm::get_collaboration_trained_model_request{.trained_model_arn = TM_ARN,
                                                                       .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/trained-models/" TM_ENC, "", nullptr));
    v.push_back(make_case("label",
                          crm::get_configured_model_algorithm_request{.configured_model_algorithm_arn = CMA_ARN}, "GET",
                          "/configured-model-algorithms/" CMA_ENC, "", nullptr));
    v.push_back(make_case("labels",
                          crm::get_configured_model_algorithm_association_request{
                              .configured_model_algorithm_association_arn = CMAA_ARN,
                              .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations/" CMAA_ENC, "",
                          nullptr));
    v.push_back(make_case("label", crm::get_ml_configuration_request{.membership_identifier = MEMBERSHIP_ID}, "GET",
                          "/memberships/" MEMBERSHIP_ID "/ml-configurations", "", nullptr));
    v.push_back(make_case("labels",
                          crm::get_ml_input_channel_request{.ml_input_channel_arn = MLIC_ARN,
                                                            .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/ml-input-channels/" MLIC_ENC, "", nullptr));
    v.push_back(make_case("two labels needing escapes, each encoded on its own",
                          crm::get_ml_input_channel_request{.ml_input_channel_arn = "ml:\xC3\xA9?#&",
                                                            .membership_identifier = "m/1 ~+"},
                          "GET", "/memberships/m%2F1%20~%2B/ml-input-channels/ml%3A%C3%A9%3F%23%26", "", nullptr));
    v.push_back(make_case("labels + versionIdentifier",
                          crm::get_trained_model_request{.trained_model_arn = TM_ARN,
                                                         .membership_identifier = MEMBERSHIP_ID,
                                                         .version_identifier = VERSION_ID2},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC,
                          "versionIdentifier=" VERSION_ID2, nullptr));
    v.push_back(make_case("labels only",
                          crm::get_trained_model_request{.trained_model_arn = TM_ARN,
                                                         .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC, "", nullptr));
    v.push_back(make_case("labels",
                          crm::get_trained_model_inference_job_request{.membership_identifier = MEMBERSHIP_ID,
                                                                       .trained_model_inference_job_arn = TMIJ_ARN},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs/" TMIJ_ENC, "", nullptr));
    // List*: labels and query members.
    v.push_back(make_case("label + all query members",
                          crm::list_collaboration_configured_model_algorithm_associations_request{
                              .next_token = "eyJvZmZzZXQiOjEwfQ==", .max_results = 100,
                              .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/configured-model-algorithm-associations",
                          "maxResults=100&nextToken=eyJvZmZzZXQiOjEwfQ%3D%3D", nullptr));
    v.push_back(make_case("label only",
                          crm::list_collaboration_configured_model_algorithm_associations_request{
                              .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/configured-model-algorithm-associations", "", nullptr));
    v.push_back(make_case("label + all query members",
                          crm::list_collaboration_ml_input_channels_request{
                              .next_token = "a/b+c", .max_results = 1, .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/ml-input-channels", "nextToken=a%2Fb%2Bc&maxResults=1",
                          nullptr));
    v.push_back(make_case("label only",
                          crm::list_collaboration_ml_input_channels_request{.collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/ml-input-channels", "", nullptr));
    v.push_back(make_case("labels + all query members",
                          crm::list_collaboration_trained_model_export_jobs_request{
                              .next_token = "t:1",
                              .max_results = 25,
                              .collaboration_identifier = COLLAB_ID,
                              .trained_model_arn = TM_ARN,
                              .trained_model_version_identifier = VERSION_ID},
                          "GET", "/collaborations/" COLLAB_ID "/trained-models/" TM_ENC "/export-jobs",
                          "maxResults=25&nextToken=t%3A1&trainedModelVersionIdentifier=" VERSION_ID, nullptr));
    v.push_back(make_case("labels only",
                          crm::list_collaboration_trained_model_export_jobs_request{
                              .collaboration_identifier = COLLAB_ID, .trained_model_arn = TM_ARN},
                          "GET", "/collaborations/" COLLAB_ID "/trained-models/" TM_ENC "/export-jobs", "", nullptr));
    v.push_back(make_case("label + all query members (an ARN in the query)",
                          crm::list_collaboration_trained_model_inference_jobs_request{
                              .next_token = "n",
                              .max_results = 50,
                              .collaboration_identifier = COLLAB_ID,
                              .trained_model_arn = TM_ARN,
                              .trained_model_version_identifier = VERSION_ID2},
                          "GET", "/collaborations/" COLLAB_ID "/trained-model-inference-jobs",
                          "maxResults=50&nextToken=n&trainedModelArn=" TM_ENC
                          "&trainedModelVersionIdentifier=" VERSION_ID2,
                          nullptr));
    v.push_back(make_case("label only",
                          crm::list_collaboration_trained_model_inference_jobs_request{
                              .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/trained-model-inference-jobs", "", nullptr));
    v.push_back(make_case("label + all query members (unreserved token kept)",
                          crm::list_collaboration_trained_models_request{
                              .next_token = "~_-.", .max_results = 10, .collaboration_identifier = COLLAB_ID},
                          "GET", "/collaborations/" COLLAB_ID "/trained-models", "nextToken=~_-.&maxResults=10",
                          nullptr));
    v.push_back(make_case("label only",
                          crm::list_collaboration_trained_models_request{.collaboration_identifier = COLLAB_ID}, "GET",
                          "/collaborations/" COLLAB_ID "/trained-models", "", nullptr));
    v.push_back(make_case("label + all query members",
                          crm::list_configured_model_algorithm_associations_request{
                              .next_token = "x y", .max_results = 2, .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations",
                          "nextToken=x%20y&maxResults=2", nullptr));
    v.push_back(make_case("label only",
                          crm::list_configured_model_algorithm_associations_request{
                              .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/configured-model-algorithm-associations", "",
                          nullptr));
    v.push_back(make_case("all query members",
                          crm::list_configured_model_algorithms_request{.next_token = "AQID", .max_results = 100},
                          "GET", "/configured-model-algorithms", "maxResults=100&nextToken=AQID", nullptr));
    v.push_back(make_case("nothing set", crm::list_configured_model_algorithms_request{}, "GET",
                          "/configured-model-algorithms", "", nullptr));
    v.push_back(make_case("label + all query members",
                          crm::list_ml_input_channels_request{
                              .next_token = "\xC3\xA9", .max_results = 99, .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/ml-input-channels", "nextToken=%C3%A9&maxResults=99",
                          nullptr));
    v.push_back(make_case("label only", crm::list_ml_input_channels_request{.membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/ml-input-channels", "", nullptr));
    v.push_back(make_case("label + all query members (an ARN in the query)",
                          crm::list_trained_model_inference_jobs_request{
                              .next_token = "p=2",
                              .max_results = 20,
                              .membership_identifier = MEMBERSHIP_ID,
                              .trained_model_arn = TM_ARN,
                              .trained_model_version_identifier = VERSION_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs",
                          "nextToken=p%3D2&maxResults=20&trainedModelArn=" TM_ENC
                          "&trainedModelVersionIdentifier=" VERSION_ID,
                          nullptr));
    v.push_back(make_case("label + trainedModelArn filter only",
                          crm::list_trained_model_inference_jobs_request{.membership_identifier = MEMBERSHIP_ID,
                                                                         .trained_model_arn = TM_ARN},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs",
                          "trainedModelArn=" TM_ENC, nullptr));
    v.push_back(make_case("labels + all query members (status filter)",
                          crm::list_trained_model_versions_request{
                              .next_token = "tok",
                              .max_results = 5,
                              .membership_identifier = MEMBERSHIP_ID,
                              .trained_model_arn = TM_ARN,
                              .status = crm::trained_model_status::cancel_in_progress},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC "/versions",
                          "nextToken=tok&maxResults=5&status=CANCEL_IN_PROGRESS", nullptr));
    v.push_back(make_case("labels only",
                          crm::list_trained_model_versions_request{.membership_identifier = MEMBERSHIP_ID,
                                                                   .trained_model_arn = TM_ARN},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC "/versions", "", nullptr));
    v.push_back(make_case("label + all query members",
                          crm::list_trained_models_request{
                              .next_token = "&", .max_results = 100, .membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models", "nextToken=%26&maxResults=100",
                          nullptr));
    v.push_back(make_case("label only", crm::list_trained_models_request{.membership_identifier = MEMBERSHIP_ID},
                          "GET", "/memberships/" MEMBERSHIP_ID "/trained-models", "", nullptr));
    // PutMLConfiguration: PUT, label + body.
    v.push_back(make_case("full",
                          crm::put_ml_configuration_request{
                              .membership_identifier = MEMBERSHIP_ID,
                              .default_output_location = {.destination = crm::destination{.s3_destination = {
                                                                              .s3_uri = "s3://ml-output/churn/"}},
                                                          .role_arn = ROLE_ARN}},
                          "PUT", "/memberships/" MEMBERSHIP_ID "/ml-configurations", "", R"({
            "defaultOutputLocation": {"destination": {"s3Destination": {"s3Uri": "s3://ml-output/churn/"}},
                                      "roleArn": ")" ROLE_ARN R"("}})"));
    v.push_back(make_case("required only",
                          crm::put_ml_configuration_request{.membership_identifier = MEMBERSHIP_ID,
                                                            .default_output_location = {.role_arn = ROLE_ARN}},
                          "PUT", "/memberships/" MEMBERSHIP_ID "/ml-configurations", "",
                          R"({"defaultOutputLocation": {"roleArn": ")" ROLE_ARN R"("}})"));
    // StartTrainedModelExportJob: two labels (trainedModelArn is a label here, not a body member) + body.
    v.push_back(make_case("full",
                          crm::start_trained_model_export_job_request{
                              .name = "export-1",
                              .trained_model_arn = TM_ARN,
                              .trained_model_version_identifier = VERSION_ID,
                              .membership_identifier = MEMBERSHIP_ID,
                              .output_configuration = {.members = {{.account_id = ACCOUNT_ID}}},
                              .description = "to the model owner"},
                          "POST", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC "/export-jobs", "", R"({
            "name": "export-1",
            "trainedModelVersionIdentifier": ")" VERSION_ID R"(",
            "outputConfiguration": {"members": [{"accountId": "210987654321"}]},
            "description": "to the model owner"})"));
    v.push_back(make_case("required only",
                          crm::start_trained_model_export_job_request{
                              .name = "export-2",
                              .trained_model_arn = TM_ARN,
                              .membership_identifier = MEMBERSHIP_ID,
                              .output_configuration = {.members = {{.account_id = "123456789012"}}}},
                          "POST", "/memberships/" MEMBERSHIP_ID "/trained-models/" TM_ENC "/export-jobs", "",
                          R"({"name": "export-2", "outputConfiguration": {"members": [{"accountId": "123456789012"}]}})"));
    {  // StartTrainedModelInferenceJob: membership label; trainedModelArn is a body member here.
        crm::start_trained_model_inference_job_request r{
            .membership_identifier = MEMBERSHIP_ID,
            .name = "score-2024-06",
            .trained_model_arn = TM_ARN,
            .trained_model_version_identifier = VERSION_ID2,
            .configured_model_algorithm_association_arn = CMAA_ARN,
            .resource_config = {.instance_type = crm::inference_instance_type::ml_c5_xlarge, .instance_count = 10},
            .output_configuration = {.accept = "application/jsonlines", .members = {{.account_id = "123456789012"}}},
            .data_source = {.ml_input_channel_arn = MLIC_ARN},
            .description = "nightly\r\nrun",
            .container_execution_parameters = crm::inference_container_execution_parameters{.max_payload_in_mb = 100},
            .environment = string_map{{"SAGEMAKER_PROGRAM", "inference.py"}, {"JSON", "{\"k\":[1,2]}"}},
            .kms_key_arn = KMS_ARN,
            .tags = string_map{{"owner", "data-science"}},
            .ml_model_inference_payer_account_id = ACCOUNT_ID,
        };
        v.push_back(make_case("full", r, "POST", "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs", "",
                              R"({
            "name": "score-2024-06",
            "trainedModelArn": ")" TM_ARN R"(",
            "trainedModelVersionIdentifier": ")" VERSION_ID2 R"(",
            "configuredModelAlgorithmAssociationArn": ")" CMAA_ARN R"(",
            "resourceConfig": {"instanceType": "ml.c5.xlarge", "instanceCount": 10},
            "outputConfiguration": {"accept": "application/jsonlines", "members": [{"accountId": "123456789012"}]},
            "dataSource": {"mlInputChannelArn": ")" MLIC_ARN R"("},
            "description": "nightly\r\nrun",
            "containerExecutionParameters": {"maxPayloadInMB": 100},
            "environment": {"SAGEMAKER_PROGRAM": "inference.py", "JSON": "{\"k\":[1,2]}"},
            "kmsKeyArn": ")" KMS_ARN R"(",
            "tags": {"owner": "data-science"},
            "mlModelInferencePayerAccountId": "210987654321"})"));
        crm::start_trained_model_inference_job_request minimal{};
        minimal.membership_identifier = MEMBERSHIP_ID;
        minimal.name = "score";
        minimal.trained_model_arn = TM_ARN;
        minimal.resource_config.instance_type = crm::inference_instance_type::ml_m5_xlarge;
        minimal.output_configuration.members = {{.account_id = ACCOUNT_ID}};
        minimal.data_source.ml_input_channel_arn = MLIC_ARN;
        v.push_back(make_case("required only", minimal, "POST",
                              "/memberships/" MEMBERSHIP_ID "/trained-model-inference-jobs", "", R"({
            "name": "score",
            "trainedModelArn": ")" TM_ARN R"(",
            "resourceConfig": {"instanceType": "ml.m5.xlarge"},
            "outputConfiguration": {"members": [{"accountId": "210987654321"}]},
            "dataSource": {"mlInputChannelArn": ")" MLIC_ARN R"("}})"));
    }
    {  // StartAudienceGenerationJob (an old operation): the seed audience's new SQL members.
        crm::start_audience_generation_job_request r{
            .name = "gen-sql",
            .configured_audience_model_arn = CAM_ARN,
            .seed_audience = {.role_arn = ROLE_ARN,
                              .sql_parameters = crm::protected_query_sql_parameters{
                                  .query_string = "SELECT user_id FROM seeds",
                                  .analysis_template_arn = AT_ARN,
                                  .parameters = string_map{{"min_age", "21"}}},
                              .sql_compute_configuration = crm::compute_configuration{
                                  .worker = crm::worker_compute_configuration{
                                      .type = crm::worker_compute_type::cr_1_x,
                                      .number = 2,
                                      .properties = crm::worker_compute_configuration_properties{.spark = string_map{}}}}},
            .include_seed_in_output = true,
            .collaboration_id = COLLAB_ID,
            .description = "seed from SQL",
            .tags = string_map{{"k", "v"}},
        };
        v.push_back(make_case("seed audience from SQL, with compute", r, "POST", "/audience-generation-job", "", R"({
            "name": "gen-sql",
            "configuredAudienceModelArn": ")" CAM_ARN R"(",
            "seedAudience": {
                "roleArn": ")" ROLE_ARN R"(",
                "sqlParameters": {"queryString": "SELECT user_id FROM seeds",
                                  "analysisTemplateArn": ")" AT_ARN R"(",
                                  "parameters": {"min_age": "21"}},
                "sqlComputeConfiguration": {"worker": {"type": "CR.1X", "number": 2, "properties": {"spark": {}}}}},
            "includeSeedInOutput": true,
            "collaborationId": ")" COLLAB_ID R"(",
            "description": "seed from SQL",
            "tags": {"k": "v"}})"));
    }
    return v;
}

// A request whose label is left empty: expects invalid_request naming `member`.
void check_label_error(crm::operation_info const& op, detail::type_info const& input, void const* req,
                       std::string_view member)
{
    detail::encoded_request out;
    detail::read_error err;
    auto ec = detail::encode_request(op, input, req, out, err);
    BOOST_TEST_CONTEXT(op.name)
    {
        BOOST_TEST((ec == crm::client_errc::invalid_request), ec.message());
        BOOST_TEST(err.path == member);
        BOOST_TEST(!err.message.empty());
    }
}

template <class R>
void check_empty_label(R const& req, std::string_view member)
{
    check_label_error(crm::operation_traits<R>::info, detail::type_of<R>(), &req, member);
}

// The wire name of the member of S that `ptr` points to ("" if none).
template <class S, class P>
std::string wire_name_of(P ptr)
{
    std::string out;
    crm::for_each_member<S>([&](auto const& d) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(d.pointer)>, P>)
            if (d.pointer == ptr) out = std::string(d.name);
    });
    return out;
}

struct paginator_row {
    std::string_view op;
    std::string input_token, output_token, limit, items;
    bool item_type_matches;
};

template <class R>
paginator_row paginator_of()
{
    using pt = crm::paginator_traits<R>;
    using resp = typename pt::response;
    using items_t = std::remove_cvref_t<decltype(std::declval<resp&>().*pt::items)>;
    return {crm::operation_traits<R>::info.name,
            wire_name_of<R>(pt::input_token),
            wire_name_of<resp>(pt::output_token),
            wire_name_of<R>(pt::limit),
            wire_name_of<resp>(pt::items),
            std::is_same_v<typename items_t::value_type, typename pt::item> &&
                std::is_same_v<resp, typename crm::operation_traits<R>::response>};
}

// Compile-time: the member pointers name the members paginators.json names.
template <class R, auto In, auto Out, auto Limit, auto Items, class Item>
constexpr bool paginator_is()
{
    using pt = crm::paginator_traits<R>;
    if constexpr (!std::is_same_v<decltype(pt::input_token), decltype(In) const> ||
                  !std::is_same_v<decltype(pt::output_token), decltype(Out) const> ||
                  !std::is_same_v<decltype(pt::limit), decltype(Limit) const> ||
                  !std::is_same_v<decltype(pt::items), decltype(Items) const>)
        return false;
    else
        return pt::input_token == In && pt::output_token == Out && pt::limit == Limit && pt::items == Items &&
               std::is_same_v<typename pt::item, Item> &&
               std::is_same_v<typename pt::response, typename crm::operation_traits<R>::response>;
}

static_assert(paginator_is<crm::list_audience_export_jobs_request, &crm::list_audience_export_jobs_request::next_token,
                           &crm::list_audience_export_jobs_response::next_token,
                           &crm::list_audience_export_jobs_request::max_results,
                           &crm::list_audience_export_jobs_response::audience_export_jobs,
                           crm::audience_export_job_summary>());
static_assert(paginator_is<crm::list_audience_generation_jobs_request,
                           &crm::list_audience_generation_jobs_request::next_token,
                           &crm::list_audience_generation_jobs_response::next_token,
                           &crm::list_audience_generation_jobs_request::max_results,
                           &crm::list_audience_generation_jobs_response::audience_generation_jobs,
                           crm::audience_generation_job_summary>());
static_assert(paginator_is<crm::list_audience_models_request, &crm::list_audience_models_request::next_token,
                           &crm::list_audience_models_response::next_token,
                           &crm::list_audience_models_request::max_results,
                           &crm::list_audience_models_response::audience_models, crm::audience_model_summary>());
static_assert(paginator_is<crm::list_configured_audience_models_request,
                           &crm::list_configured_audience_models_request::next_token,
                           &crm::list_configured_audience_models_response::next_token,
                           &crm::list_configured_audience_models_request::max_results,
                           &crm::list_configured_audience_models_response::configured_audience_models,
                           crm::configured_audience_model_summary>());
static_assert(paginator_is<crm::list_training_datasets_request, &crm::list_training_datasets_request::next_token,
                           &crm::list_training_datasets_response::next_token,
                           &crm::list_training_datasets_request::max_results,
                           &crm::list_training_datasets_response::training_datasets,
                           crm::training_dataset_summary>());
static_assert(!crm::paginated_request<crm::list_tags_for_resource_request>);
static_assert(!crm::paginated_request<crm::get_audience_model_request>);

} // namespace

BOOST_AUTO_TEST_SUITE(model)

// ---------------------------------------------------------------------------
// 1. Round trip of every shape.

// Every structure, default-constructed, then filled "uniformly" (seed i: every
// value of a kind is entry i of its pool, so every entry meets every shape) and
// with mixed values for seeds 1..8. Compares from_json(to_json(x)) == x.
//
// LIBRARY BUG (expected to fail until fixed): the shapes holding doubles
// (RelevanceMetric, AudienceQualityMetrics, GetAudienceGenerationJobResponse)
// fail for the full-precision entries of double_values: the JSON reader does not
// convert decimal text to double with correct rounding (see
// doubles_round_trip_bit_exactly). Every other shape and value round-trips.
BOOST_AUTO_TEST_CASE(every_shape_round_trips_through_json)
{
    pool_usage usage;
    std::size_t shapes = 0;
    std::size_t const uniform_seeds = std::max({std::size(string_values), std::size(key_values), std::size(int32_values),
                                                std::size(double_values), timestamp_values().size()});
    for_each_shape(all_shapes{}, [&]<class T>(T*) {
        ++shapes;
        round_trip<T>(0, fill_mode::none, usage);  // default-constructed: required members only
        for (std::uint64_t seed = 0; seed < uniform_seeds; ++seed) round_trip<T>(seed, fill_mode::uniform, usage);
        for (std::uint64_t seed = 1; seed <= 8; ++seed) round_trip<T>(seed, fill_mode::mixed, usage);
    });
    BOOST_TEST(shapes == registry().size());

    // Every value of every pool the model can use was exercised at least once.
    std::size_t const sizes[] = {std::size(string_values), std::size(key_values), std::size(int32_values),
                                 std::size(double_values), 2, timestamp_values().size(), std::size(list_sizes),
                                 std::size(map_sizes)};
    for (std::size_t p = 0; p < std::size(sizes); ++p) {
        BOOST_TEST_CONTEXT("pool " << pool_names[p])
        {
            auto const& used = usage.used[p];
            BOOST_TEST(used.size() == sizes[p]);
            BOOST_TEST(std::count(used.begin(), used.end(), true) == static_cast<std::ptrdiff_t>(sizes[p]));
        }
    }
}

// LIBRARY BUG (expected to fail until fixed): doubles do not round-trip bit for
// bit. to_json writes the shortest round-trip text (std::to_chars), but the
// reader takes the value Boost.JSON 1.81's basic_parser computed, which is not
// correctly rounded for 16-17 significant digits (about 1 in 4 random finite
// doubles comes back 1 ulp off), and it reads "-0" (an integer token for
// Boost.JSON) as +0.0. See include/cleanroomsml/impl/json_read.ipp,
// shape_json_handler::on_double / on_int64.
BOOST_AUTO_TEST_CASE(doubles_round_trip_bit_exactly)
{
    auto trip = [](double v, std::string& text) {
        crm::relevance_metric r{};
        r.score = v;
        text = crm::to_json(r);
        crm::relevance_metric back{};
        if (crm::from_json(text, back) || !back.score) return std::numeric_limits<double>::quiet_NaN();
        return *back.score;
    };
    std::string text;
    double const named[] = {-0.0, 0x1.e8dee4c09d96cp-4, 0x1.dc554855c7c92p-1, -0x1.fc1f88f25ea1p-26,
                            0.1, 1e300, std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::max()};
    for (double v : named) {
        double const got = trip(v, text);
        BOOST_TEST(std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(v),
                   text << " read back as " << std::hexfloat << got << " instead of " << v << std::defaultfloat);
    }

    // Random finite bit patterns: every one must come back identical.
    std::mt19937_64 gen(20240403);
    int tried = 0, wrong = 0;
    std::string example;
    while (tried < 10000) {
        double const v = std::bit_cast<double>(gen());
        if (!std::isfinite(v)) continue;
        ++tried;
        double const got = trip(v, text);
        if (std::bit_cast<std::uint64_t>(got) != std::bit_cast<std::uint64_t>(v) && wrong++ == 0) {
            std::ostringstream os;
            os << text << " read back as " << std::hexfloat << got << " instead of " << v;
            example = os.str();
        }
    }
    BOOST_TEST(wrong == 0, wrong << " of " << tried << " random doubles changed in a JSON round trip, e.g. " << example);
}

BOOST_AUTO_TEST_CASE(timestamps_keep_their_precision_in_json)
{
    using namespace std::chrono;
    struct row {
        crm::timestamp t;
        std::string_view text;
    } const rows[] = {
        {utc(2024y / April / 3, 12h + 34min + 56s), "2024-04-03T12:34:56Z"},
        {utc(2024y / April / 3, 12h + 34min + 56s + 120ms), "2024-04-03T12:34:56.120Z"},
        {utc(2024y / April / 3, 12h + 34min + 56s + 123400us), "2024-04-03T12:34:56.123400Z"},
        {utc(2024y / April / 3, 12h + 34min + 56s + 123456789ns), "2024-04-03T12:34:56.123456789Z"},
        {utc(2024y / April / 3, 12h + 34min + 56s + 1ns), "2024-04-03T12:34:56.000000001Z"},
        {utc(1970y / January / 1, -1ns), "1969-12-31T23:59:59.999999999Z"},
        {utc(1969y / July / 20, 20h + 17min + 40s + 500ms), "1969-07-20T20:17:40.500Z"},
        {utc(1900y / January / 1, 1us), "1900-01-01T00:00:00.000001Z"},
    };
    for (auto const& r : rows) {
        BOOST_TEST_CONTEXT(r.text)
        {
            crm::training_dataset_summary s{};
            s.create_time = r.t;
            s.update_time = r.t;
            auto const doc = json::parse(crm::to_json(s));
            BOOST_TEST(str(doc.at("createTime")) == r.text);
            crm::training_dataset_summary back{};
            BOOST_TEST(!crm::from_json(crm::to_json(s), back));
            BOOST_TEST((back.create_time == r.t));
            BOOST_TEST((back == s));
        }
    }
}

// ---------------------------------------------------------------------------
// 2. API.md names and types; model <-> reflection correspondence.

BOOST_AUTO_TEST_CASE(api_names_and_enums)
{
    BOOST_TEST(crm::audience_size_type::absolute.value() == "ABSOLUTE");
    BOOST_TEST(crm::audience_size_type::percentage.value() == "PERCENTAGE");
    BOOST_TEST(crm::tag_on_create_policy::from_parent_resource.value() == "FROM_PARENT_RESOURCE");
    BOOST_TEST(crm::tag_on_create_policy::none.value() == "NONE");
    BOOST_TEST(crm::policy_existence_condition::policy_must_exist.value() == "POLICY_MUST_EXIST");
    BOOST_TEST(crm::policy_existence_condition::policy_must_not_exist.value() == "POLICY_MUST_NOT_EXIST");
    BOOST_TEST(crm::column_type::categorical_feature.value() == "CATEGORICAL_FEATURE");
    BOOST_TEST(crm::audience_generation_job_status::delete_in_progress.value() == "DELETE_IN_PROGRESS");
    BOOST_TEST(crm::shared_audience_metrics::all.value() == "ALL");
    BOOST_TEST(crm::dataset_type::interactions.value() == "INTERACTIONS");
    // Values that are not identifiers: dots, digits, mixed case.
    BOOST_TEST(crm::worker_compute_type::cr_1_x.value() == "CR.1X");
    BOOST_TEST(crm::inference_instance_type::ml_r7i_48xlarge.value() == "ml.r7i.48xlarge");
    BOOST_TEST(crm::training_input_mode::fast_file.value() == "FastFile");
    BOOST_TEST(crm::trained_model_status::cancel_in_progress.value() == "CANCEL_IN_PROGRESS");
    BOOST_TEST((crm::audience_size_type{"ABSOLUTE"} == crm::audience_size_type::absolute));
    BOOST_TEST((crm::audience_size_type{std::string("PERCENTAGE")} == crm::audience_size_type::percentage));
    BOOST_TEST(crm::audience_size_type::absolute.is_known());
    BOOST_TEST(crm::audience_size_type{}.value().empty());

    // Designated initializers (API.md's call shape).
    crm::get_audience_model_request req{.audience_model_arn = AM_ARN};
    BOOST_TEST(req.audience_model_arn == AM_ARN);
    crm::audience_size size{.type = crm::audience_size_type::absolute, .value = 5000};
    BOOST_TEST(size.value == 5000);

    // Every enumeration value of the model has its constant (spot checks above);
    // every enum shape of the model has its known_values in model order.
    auto const& shapes = service_model().at("shapes").as_object();
    auto known = [&](std::string_view shape, auto const& values) {
        BOOST_TEST_CONTEXT(shape)
        {
            std::vector<std::string> model, ours(values.begin(), values.end());
            for (auto const& e : shapes.at(shape).at("enum").as_array()) model.push_back(str(e));
            BOOST_TEST(model == ours, boost::test_tools::per_element());
        }
    };
    known("AccessBudgetType", crm::access_budget_type::known_values);
    known("AudienceExportJobStatus", crm::audience_export_job_status::known_values);
    known("AudienceGenerationJobStatus", crm::audience_generation_job_status::known_values);
    known("AudienceModelStatus", crm::audience_model_status::known_values);
    known("AudienceSizeType", crm::audience_size_type::known_values);
    known("AutoRefreshMode", crm::auto_refresh_mode::known_values);
    known("ColumnType", crm::column_type::known_values);
    known("ConfiguredAudienceModelStatus", crm::configured_audience_model_status::known_values);
    known("DatasetType", crm::dataset_type::known_values);
    known("EntityType", crm::entity_type::known_values);
    known("InferenceInstanceType", crm::inference_instance_type::known_values);
    known("InstanceType", crm::instance_type::known_values);
    known("LogType", crm::log_type::known_values);
    known("LogsStatus", crm::logs_status::known_values);
    known("MLInputChannelStatus", crm::ml_input_channel_status::known_values);
    known("MembershipInferenceAttackVersion", crm::membership_inference_attack_version::known_values);
    known("MetricsStatus", crm::metrics_status::known_values);
    known("NoiseLevelType", crm::noise_level_type::known_values);
    known("PolicyExistenceCondition", crm::policy_existence_condition::known_values);
    known("ResultFormat", crm::result_format::known_values);
    known("S3DataDistributionType", crm::s3_data_distribution_type::known_values);
    known("SharedAudienceMetrics", crm::shared_audience_metrics::known_values);
    known("SyntheticDataColumnType", crm::synthetic_data_column_type::known_values);
    known("TagOnCreatePolicy", crm::tag_on_create_policy::known_values);
    known("TrainedModelArtifactMaxSizeUnitType", crm::trained_model_artifact_max_size_unit_type::known_values);
    known("TrainedModelExportFileType", crm::trained_model_export_file_type::known_values);
    known("TrainedModelExportJobStatus", crm::trained_model_export_job_status::known_values);
    known("TrainedModelExportsMaxSizeUnitType", crm::trained_model_exports_max_size_unit_type::known_values);
    known("TrainedModelInferenceJobStatus", crm::trained_model_inference_job_status::known_values);
    known("TrainedModelInferenceMaxOutputSizeUnitType", crm::trained_model_inference_max_output_size_unit_type::known_values);
    known("TrainedModelStatus", crm::trained_model_status::known_values);
    known("TrainingDatasetStatus", crm::training_dataset_status::known_values);
    known("TrainingInputMode", crm::training_input_mode::known_values);
    known("WorkerComputeType", crm::worker_compute_type::known_values);
    std::size_t enum_shapes = 0;
    for (auto const& kv : shapes) enum_shapes += kv.value().as_object().contains("enum");
    BOOST_TEST(enum_shapes == 34u);
}

BOOST_AUTO_TEST_CASE(unknown_enum_values_round_trip)
{
    crm::get_configured_audience_model_response r{};
    r.status = crm::configured_audience_model_status{"SUSPENDED_BY_SERVICE"};
    r.child_resource_tag_on_create_policy = crm::tag_on_create_policy{"SOMETHING_NEW"};
    r.shared_audience_metrics = {crm::shared_audience_metrics{"SOME"}, crm::shared_audience_metrics::all};
    r.audience_size_config = crm::audience_size_config{.audience_size_type = crm::audience_size_type{"LOGARITHMIC"},
                                                       .audience_size_bins = {1}};
    BOOST_TEST(!r.status.is_known());
    auto const text = crm::to_json(r);
    auto const doc = json::parse(text);
    BOOST_TEST(str(doc.at("status")) == "SUSPENDED_BY_SERVICE");
    BOOST_TEST(str(doc.at("audienceSizeConfig").at("audienceSizeType")) == "LOGARITHMIC");

    crm::get_configured_audience_model_response back{};
    BOOST_TEST(!crm::from_json(text, back));
    BOOST_TEST((back == r));
    BOOST_TEST(back.status.value() == "SUSPENDED_BY_SERVICE");
    BOOST_TEST(!back.status.is_known());
    BOOST_TEST(back.child_resource_tag_on_create_policy->value() == "SOMETHING_NEW");
    BOOST_TEST(back.shared_audience_metrics.at(0).value() == "SOME");
    BOOST_TEST(back.shared_audience_metrics.at(1).is_known());

    // Straight from a service document.
    crm::audience_model_summary s{};
    BOOST_TEST(!crm::from_json(R"({"audienceModelArn":"a","createTime":"2024-01-01T00:00:00Z","name":"n",
                                   "status":"ARCHIVED","trainingDatasetArn":"t","updateTime":0})",
                               s));
    BOOST_TEST(s.status.value() == "ARCHIVED");
}

// The codec's runtime tables (detail::type_info) are built from shape_traits;
// each entry reaches the member its descriptor's member pointer names.
BOOST_AUTO_TEST_CASE(runtime_tables_agree_with_the_member_pointers)
{
    std::size_t members = 0;
    for_each_shape(all_shapes{}, [&]<class T>(T*) {
        T object{};
        auto const& ti = detail::type_of<T>();
        std::size_t i = 0;
        crm::for_each_member<T>([&](auto const& d) {
            BOOST_TEST_CONTEXT(crm::shape_traits<T>::name << "." << d.name)
            {
                BOOST_TEST_REQUIRE(i < ti.member_count);
                auto const& m = ti.members[i];
                auto const* base = reinterpret_cast<char const*>(&object);
                auto const* at = reinterpret_cast<char const*>(&(object.*d.pointer));
                BOOST_TEST(m.offset == static_cast<std::size_t>(at - base));
                BOOST_TEST(m.name == d.name);
                // An optional member is absent in a default object; a required one is there.
                BOOST_TEST((m.get(&object) != nullptr) == m.required);
                BOOST_TEST((m.location == d.location));
                BOOST_TEST(m.rules == d.rules);
            }
            ++i;
            ++members;
        });
        BOOST_TEST(i == ti.member_count);
    });
    BOOST_TEST(members > 700u);  // 730 in the current model
}

BOOST_AUTO_TEST_CASE(every_structure_and_member_has_its_counterpart)
{
    auto const& model = service_model();
    auto const& shapes = model.at("shapes").as_object();
    auto const& ops = model.at("operations").as_object();

    std::map<std::string, shape_entry const*> ours;
    for (auto const& e : registry())
        BOOST_TEST(ours.emplace(std::string(e.type->name), &e).second, "two shapes named " << e.type->name);

    // The structures of the model plus an empty <Op>Response per operation without output.
    std::set<std::string> expected, synthetic;
    std::size_t model_structures = 0, unions = 0;
    for (auto const& kv : shapes)
        if (str(kv.value().at("type")) == "structure") {
            expected.insert(std::string(kv.key()));
            ++model_structures;
            bool const is_union = kv.value().as_object().contains("union");
            unions += is_union;
            if (auto it = ours.find(std::string(kv.key())); it != ours.end()) {
                BOOST_TEST_CONTEXT(kv.key()) { BOOST_TEST(it->second->type->is_union == is_union); }
            }
        }
    for (auto const& kv : ops)
        if (!kv.value().as_object().contains("output")) synthetic.insert(std::string(kv.key()) + "Response");
    BOOST_TEST(shapes.size() == 348u);  // the issue's count of the current model
    BOOST_TEST(model_structures == 186u);
    BOOST_TEST(unions == 4u);
    BOOST_TEST(synthetic.size() == 15u);
    expected.insert(synthetic.begin(), synthetic.end());

    std::set<std::string> missing, extra;
    for (auto const& n : expected)
        if (!ours.contains(n)) missing.insert(n);
    for (auto const& [n, e] : ours)
        if (!expected.contains(n)) extra.insert(n);
    BOOST_TEST(missing.empty(), "structures of the model without a C++ shape: " << join(missing));
    BOOST_TEST(extra.empty(), "C++ shapes not in the model: " << join(extra));
    BOOST_TEST(ours.size() == expected.size());

    for (auto const& n : synthetic)
        if (auto it = ours.find(n); it != ours.end()) {
            BOOST_TEST_CONTEXT(n) { BOOST_TEST(it->second->type->member_count == 0u); }
        }

    // The request URI of each input shape, to tell greedy labels apart.
    std::map<std::string, std::string> uri_of_input;
    for (auto const& kv : ops)
        if (auto const* in = kv.value().as_object().if_contains("input"))
            uri_of_input[str(in->at("shape"))] = str(kv.value().at("http").at("requestUri"));

    for (auto const& kv : shapes) {
        auto const& s = kv.value().as_object();
        std::string const name(kv.key());
        if (str(s.at("type")) != "structure") continue;
        auto it = ours.find(name);
        if (it == ours.end()) continue;
        detail::type_info const& ti = *it->second->type;
        BOOST_TEST_CONTEXT("structure " << name)
        {
            BOOST_TEST((ti.kind == detail::value_kind::structure));

            // Errors: the status code of the model.
            if (auto const* err = s.if_contains("error"))
                BOOST_TEST(it->second->http_status == err->at("httpStatusCode").to_number<int>());
            else
                BOOST_TEST(it->second->http_status == 0);

            std::set<std::string> required;
            if (auto const* r = s.if_contains("required"))
                for (auto const& x : r->as_array()) required.insert(str(x));

            auto const& members = s.at("members").as_object();
            BOOST_TEST(ti.member_count == members.size());
            std::set<std::string> seen;
            std::size_t index = 0;
            for (auto const& mkv : members) {
                std::string const key(mkv.key());
                auto const& mo = mkv.value().as_object();
                BOOST_TEST_CONTEXT("member " << key)
                {
                    detail::member_info const* m = nullptr;
                    std::size_t at = 0;
                    for (std::size_t i = 0; i < ti.member_count; ++i)
                        if (ti.members[i].model_name == key) {
                            m = &ti.members[i];
                            at = i;
                        }
                    BOOST_TEST(m != nullptr, "no counterpart of " << name << "." << key);
                    if (!m) continue;
                    seen.insert(key);
                    BOOST_TEST(at == index, "declared at " << at << ", the model has it at " << index);
                    ++index;

                    std::string const wire = mo.contains("locationName") ? str(mo.at("locationName")) : key;
                    BOOST_TEST(m->name == wire);
                    BOOST_TEST(m->required == required.contains(key), "required in the model: " << required.contains(key));
                    BOOST_TEST(m->idempotency_token == (mo.contains("idempotencyToken") &&
                                                        mo.at("idempotencyToken").as_bool()));

                    // Location.
                    crm::http_location want = crm::http_location::body;
                    std::string const target = str(mo.at("shape"));
                    bool const target_is_map = str(shapes.at(target).at("type")) == "map";
                    if (auto const* loc = mo.if_contains("location")) {
                        auto const l = str(*loc);
                        if (l == "uri") {
                            auto const& uri = uri_of_input[name];
                            want = uri.find("{" + wire + "+}") != std::string::npos ? crm::http_location::greedy_label
                                                                                    : crm::http_location::label;
                            BOOST_TEST(uri.find("{" + wire) != std::string::npos, "label not in " << uri);
                        } else if (l == "querystring") {
                            want = target_is_map ? crm::http_location::query_map : crm::http_location::query;
                        } else if (l == "header") {
                            want = crm::http_location::header;
                        } else {
                            BOOST_TEST(false, "location " << l << " not handled by this test");
                        }
                    }
                    BOOST_TEST(location_name(m->location) == location_name(want));

                    // Timestamp format: member, then target shape, then the protocol default.
                    if (str(shapes.at(target).at("type")) == "timestamp") {
                        crm::timestamp_format f = want == crm::http_location::body     ? crm::timestamp_format::epoch_seconds
                                                  : want == crm::http_location::header ? crm::timestamp_format::http_date
                                                                                       : crm::timestamp_format::date_time;
                        if (auto const* tf = shapes.at(target).as_object().if_contains("timestampFormat"))
                            f = format_from_model(str(*tf));
                        if (auto const* tf = mo.if_contains("timestampFormat")) f = format_from_model(str(*tf));
                        BOOST_TEST((m->format == f));
                    }

                    check_value(shapes, target, m->type(), m->rules);
                }
            }
            for (std::size_t i = 0; i < ti.member_count; ++i)
                BOOST_TEST(seen.contains(std::string(ti.members[i].model_name)),
                           "member " << ti.members[i].model_name << " is not in the model");
        }
    }
}

BOOST_AUTO_TEST_CASE(operations_match_the_model)
{
    auto const& model = service_model();
    auto const& ops = model.at("operations").as_object();
    auto const& rows = op_rows();
    BOOST_TEST(rows.size() == 59u);
    BOOST_TEST(ops.size() == 59u);

    std::map<std::string, shape_entry const*> ours;
    for (auto const& e : registry()) ours.emplace(std::string(e.type->name), &e);

    std::set<std::string> listed;
    for (auto const& row : rows) {
        std::string const name(row.info->name);
        listed.insert(name);
        BOOST_TEST_CONTEXT("operation " << name)
        {
            auto const* o = ops.if_contains(name);
            BOOST_TEST_REQUIRE(o != nullptr, "not an operation of the model");
            auto const& op = o->as_object();
            auto const& http = op.at("http").as_object();
            BOOST_TEST(row.snake == snake_case(name));
            BOOST_TEST(row.info->method == str(http.at("method")));
            BOOST_TEST(row.info->uri == str(http.at("requestUri")));
            int const code = http.contains("responseCode") ? http.at("responseCode").to_number<int>() : 200;
            BOOST_TEST(row.info->success_status == code);
            bool const idempotent = op.contains("idempotent") && op.at("idempotent").as_bool();
            BOOST_TEST(row.info->idempotent == idempotent);
            BOOST_TEST(row.input->name == str(op.at("input").at("shape")));
            if (auto const* out = op.if_contains("output"))
                BOOST_TEST(row.output->name == str(out->at("shape")));
            else
                BOOST_TEST(row.output->name == name + "Response");

            std::set<std::string> model_errors, our_errors;
            if (auto const* errs = op.if_contains("errors"))
                for (auto const& e : errs->as_array()) model_errors.insert(str(e.at("shape")));
            for (auto e : row.errors) {
                our_errors.insert(std::string(e));
                auto it = ours.find(std::string(e));
                BOOST_TEST((it != ours.end() && it->second->http_status != 0), e << " is not an error shape");
            }
            BOOST_TEST(join(our_errors) == join(model_errors));
            BOOST_TEST(row.paginated == paginators_model().contains(name));
        }
    }
    std::set<std::string> model_ops;
    for (auto const& kv : ops) model_ops.insert(std::string(kv.key()));
    BOOST_TEST(join(listed) == join(model_ops));
}

// ---------------------------------------------------------------------------
// 3. HTTP binding of all 25 operations.

BOOST_AUTO_TEST_CASE(http_binding_of_every_operation)
{
    auto const cases = binding_cases();
    std::set<std::string> covered;
    for (auto const& c : cases) {
        covered.insert(std::string(c.op));
        BOOST_TEST_CONTEXT(c.op << " (" << c.label << ")")
        {
            auto const& out = c.out;
            BOOST_TEST(!c.ec, c.ec.message() << " at " << c.err.path << ": " << c.err.message);
            if (c.ec) continue;
            BOOST_TEST(out.method == c.method);
            BOOST_TEST(out.path == c.path);
            auto const got = query_params(split_query(out.query));
            auto const want = query_params(split_query(c.query));
            BOOST_TEST((got == want), "query: got [" << out.query << "], expected [" << show_query(want) << "]");
            BOOST_TEST(out.headers.empty());  // the model binds no member to a header
            if (!c.body) {
                BOOST_TEST(!out.has_body);
                BOOST_TEST(out.body.empty());
            } else {
                BOOST_TEST(out.has_body);
                json::error_code jec;
                json::value const body = json::parse(out.body, jec);
                BOOST_TEST(!jec, "body is not JSON: " << out.body);
                json::value const expected = json::parse(c.body);
                BOOST_TEST((body == expected), "body: " << out.body << "\nexpected: " << json::serialize(expected));
            }
        }
    }
    std::set<std::string> all;
    for (auto const& row : op_rows()) all.insert(std::string(row.info->name));
    BOOST_TEST(covered.size() == 59u);
    BOOST_TEST(join(covered) == join(all));
}

BOOST_AUTO_TEST_CASE(empty_label_is_an_invalid_request)
{
    check_empty_label(crm::delete_audience_generation_job_request{}, "audienceGenerationJobArn");
    check_empty_label(crm::delete_audience_model_request{}, "audienceModelArn");
    check_empty_label(crm::delete_configured_audience_model_request{}, "configuredAudienceModelArn");
    check_empty_label(crm::delete_configured_audience_model_policy_request{}, "configuredAudienceModelArn");
    check_empty_label(crm::delete_training_dataset_request{}, "trainingDatasetArn");
    check_empty_label(crm::get_audience_generation_job_request{}, "audienceGenerationJobArn");
    check_empty_label(crm::get_audience_model_request{}, "audienceModelArn");
    check_empty_label(crm::get_configured_audience_model_request{}, "configuredAudienceModelArn");
    check_empty_label(crm::get_configured_audience_model_policy_request{}, "configuredAudienceModelArn");
    check_empty_label(crm::get_training_dataset_request{}, "trainingDatasetArn");
    check_empty_label(crm::list_tags_for_resource_request{}, "resourceArn");
    check_empty_label(crm::tag_resource_request{.resource_arn = "", .tags = {{"k", "v"}}}, "resourceArn");
    check_empty_label(crm::untag_resource_request{.resource_arn = "", .tag_keys = {"k"}}, "resourceArn");
    crm::put_configured_audience_model_policy_request put{};
    put.configured_audience_model_policy = "{}";
    check_empty_label(put, "configuredAudienceModelArn");
    crm::update_configured_audience_model_request update{};
    update.description = "d";
    check_empty_label(update, "configuredAudienceModelArn");
}

// ---------------------------------------------------------------------------
// 4. Paginator traits.

BOOST_AUTO_TEST_CASE(paginator_traits_match_paginators_json)
{
    paginator_row const rows[] = {
        paginator_of<crm::list_audience_export_jobs_request>(),
        paginator_of<crm::list_audience_generation_jobs_request>(),
        paginator_of<crm::list_audience_models_request>(),
        paginator_of<crm::list_configured_audience_models_request>(),
        paginator_of<crm::list_training_datasets_request>(),
        paginator_of<crm::list_collaboration_configured_model_algorithm_associations_request>(),
        paginator_of<crm::list_collaboration_ml_input_channels_request>(),
        paginator_of<crm::list_collaboration_trained_model_export_jobs_request>(),
        paginator_of<crm::list_collaboration_trained_model_inference_jobs_request>(),
        paginator_of<crm::list_collaboration_trained_models_request>(),
        paginator_of<crm::list_configured_model_algorithm_associations_request>(),
        paginator_of<crm::list_configured_model_algorithms_request>(),
        paginator_of<crm::list_ml_input_channels_request>(),
        paginator_of<crm::list_trained_model_inference_jobs_request>(),
        paginator_of<crm::list_trained_models_request>(),
        paginator_of<crm::list_trained_model_versions_request>(),
    };
    BOOST_TEST(std::size(rows) == 16u);
    auto const& pag = paginators_model();
    BOOST_TEST(pag.size() == std::size(rows));
    for (auto const& r : rows) {
        BOOST_TEST_CONTEXT(r.op)
        {
            auto const* p = pag.if_contains(r.op);
            BOOST_TEST_REQUIRE(p != nullptr);
            BOOST_TEST(r.input_token == str(p->at("input_token")));
            BOOST_TEST(r.output_token == str(p->at("output_token")));
            BOOST_TEST(r.limit == str(p->at("limit_key")));
            BOOST_TEST(r.items == str(p->at("result_key")));
            BOOST_TEST(r.item_type_matches);
        }
    }
    std::size_t paginated = 0;
    for (auto const& row : op_rows()) paginated += row.paginated;
    BOOST_TEST(paginated == std::size(rows));
}

BOOST_AUTO_TEST_SUITE_END()
