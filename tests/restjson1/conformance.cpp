// The Smithy restJson1 protocol conformance vectors (tests/data/restjson1),
// run against the codec: encode_request for the request cases,
// decode_response / parse_error_response for the response cases.
//
// The expected C++ values are built from each case's `params` by a small
// builder that walks the runtime type tables (detail::type_info) and reads
// the params with Boost.JSON's DOM, independently of the codec's own JSON
// reader, so it is a real oracle. Request bodies are compared as JSON values
// (Boost.JSON DOM on both sides), never as text.
//
// All cases run in one test case; each one reports its key on failure
// (BOOST_TEST_CONTEXT). The test fails if any case not on the skip list
// fails, and if fewer cases ran than the data file holds.

#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/timestamp.hpp>

#include "restjson1/model.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <exception>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace {

namespace json = boost::json;
namespace crm = cleanroomsml;
namespace detail = cleanroomsml::detail;
using detail::type_info;
using detail::value_kind;

// ------------------------------------------------------------------ skip list

struct skipped_case {
    std::string_view key;
    std::string_view reason;
};

// Only for features the codec truly does not support. Every entry must name
// a case of the data file (a stale entry fails the test).
std::vector<skipped_case> const skip_list = {
    {"RestJsonSerializeBlobUnionValue:request", "blob: Clean Rooms ML has no blob members, the codec no blob type"},
    {"RestJsonDeserializeBlobUnionValue:response", "blob: Clean Rooms ML has no blob members, the codec no blob type"},
};

constexpr std::size_t expected_case_count = 123;

// ------------------------------------------------------------------ helpers

using failures = std::vector<std::string>;

std::string read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string_view sv(json::string const& s) { return {s.data(), s.size()}; }

std::string_view string_field(json::object const& c, std::string_view name)
{
    auto const* v = c.if_contains(name);
    return v && v->is_string() ? sv(v->get_string()) : std::string_view{};
}

bool iequals(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch; };
        return lower(x) == lower(y);
    });
}

// The shortest text that reads back as the same double ("946845296.123").
std::string number_text(json::value const& v)
{
    char buf[64];
    std::to_chars_result r{};
    if (v.is_int64()) r = std::to_chars(buf, buf + sizeof buf, v.get_int64());
    else if (v.is_uint64()) r = std::to_chars(buf, buf + sizeof buf, v.get_uint64());
    else r = std::to_chars(buf, buf + sizeof buf, v.get_double());
    return std::string(buf, r.ptr);
}

double number_value(json::value const& v)
{
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    return v.get_double();
}

// ------------------------------------------------------------------ params -> C++ value

void build_value(json::value const& v, type_info const& t, void* p, std::string const& path, failures& f);

void build_structure(json::value const& v, type_info const& t, void* p, std::string const& path, failures& f)
{
    if (!v.is_object()) {
        f.push_back(path + ": params: expected an object for " + std::string(t.name) + ", got " + json::serialize(v));
        return;
    }
    for (auto const& [k, val] : v.get_object()) {
        std::string_view key = k;
        detail::member_info const* m = nullptr;
        for (std::size_t i = 0; i < t.member_count; ++i)
            if (t.members[i].model_name == key) m = &t.members[i];
        std::string const sub = path.empty() ? std::string(key) : path + "." + std::string(key);
        if (!m) {
            f.push_back(sub + ": params: " + std::string(t.name) + " has no member with this name");
            continue;
        }
        if (val.is_null()) {  // explicit null: the member is not set
            m->reset(p);
            continue;
        }
        build_value(val, m->type(), m->emplace(p), sub, f);
    }
}

template <class I>
void store_integer(json::value const& v, void* p, std::string const& path, failures& f)
{
    std::optional<std::int64_t> x;
    if (v.is_int64()) x = v.get_int64();
    else if (v.is_uint64() && v.get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
        x = static_cast<std::int64_t>(v.get_uint64());
    if (!x || *x < std::numeric_limits<I>::min() || *x > std::numeric_limits<I>::max()) {
        f.push_back(path + ": params: expected an integer in range, got " + json::serialize(v));
        return;
    }
    *static_cast<I*>(p) = static_cast<I>(*x);
}

void build_value(json::value const& v, type_info const& t, void* p, std::string const& path, failures& f)
{
    auto bad = [&](char const* what) {
        f.push_back(path + ": params: expected " + what + ", got " + json::serialize(v));
    };
    switch (t.kind) {
    case value_kind::string:
        if (!v.is_string()) return bad("a string");
        t.string_ref(p).assign(sv(v.get_string()));
        return;
    case value_kind::boolean:
        if (!v.is_bool()) return bad("a boolean");
        *static_cast<bool*>(p) = v.get_bool();
        return;
    case value_kind::int8: return store_integer<std::int8_t>(v, p, path, f);
    case value_kind::int16: return store_integer<std::int16_t>(v, p, path, f);
    case value_kind::int32: return store_integer<std::int32_t>(v, p, path, f);
    case value_kind::int64: return store_integer<std::int64_t>(v, p, path, f);
    case value_kind::float32:
    case value_kind::float64: {
        double x;
        if (v.is_string()) {
            auto s = sv(v.get_string());
            if (s == "NaN") x = std::numeric_limits<double>::quiet_NaN();
            else if (s == "Infinity") x = std::numeric_limits<double>::infinity();
            else if (s == "-Infinity") x = -std::numeric_limits<double>::infinity();
            else return bad("a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
        } else if (v.is_number()) {
            x = number_value(v);
        } else {
            return bad("a number");
        }
        if (t.kind == value_kind::float32) *static_cast<float*>(p) = static_cast<float>(x);
        else *static_cast<double*>(p) = x;
        return;
    }
    case value_kind::timestamp: {
        // Epoch seconds, possibly fractional: the shortest decimal text of the
        // number is what the case author wrote, and it is converted exactly.
        if (!v.is_number()) return bad("epoch seconds (a number)");
        if (!detail::parse_epoch_seconds(number_text(v), *static_cast<crm::timestamp*>(p)))
            return bad("epoch seconds in the range of timestamp");
        return;
    }
    case value_kind::structure: return build_structure(v, t, p, path, f);
    case value_kind::list: {
        if (!v.is_array()) return bad("an array");
        t.clear(p);
        std::size_t i = 0;
        for (auto const& e : v.get_array()) {
            build_value(e, t.element(), t.append(p), path + "[" + std::to_string(i) + "]", f);
            ++i;
        }
        return;
    }
    case value_kind::map: {
        if (!v.is_object()) return bad("an object");
        t.clear(p);
        for (auto const& [k, val] : v.get_object()) {
            std::string const sub = path + "[" + std::string(k) + "]";
            if (val.is_null()) {
                f.push_back(sub + ": params: null in a dense map");
                continue;
            }
            build_value(val, t.element(), t.slot(p, k), sub, f);
        }
        return;
    }
    }
}

// ------------------------------------------------------------------ C++ value comparison

std::string show(type_info const& t, void const* p)
{
    std::string out;
    detail::write_json_value(out, t, p, crm::timestamp_format::date_time);
    return out;
}

bool same_float(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

std::vector<std::pair<std::string, void const*>> map_entries(type_info const& t, void const* p)
{
    std::vector<std::pair<std::string, void const*>> out;
    t.for_each(p, &out, [](void* ctx, std::string const& k, void const* v) {
        static_cast<std::vector<std::pair<std::string, void const*>>*>(ctx)->emplace_back(k, v);
    });
    return out;
}

// Reports every place where `actual` differs from `expected`. NaN equals NaN.
void diff(type_info const& t, void const* actual, void const* expected, std::string const& path, failures& f)
{
    auto differ = [&] {
        f.push_back((path.empty() ? std::string("value") : path) + ": got " + show(t, actual) + ", expected " +
                    show(t, expected));
    };
    switch (t.kind) {
    case value_kind::string:
        if (t.string_cref(actual) != t.string_cref(expected)) differ();
        return;
    case value_kind::boolean:
        if (*static_cast<bool const*>(actual) != *static_cast<bool const*>(expected)) differ();
        return;
    case value_kind::int8:
        if (*static_cast<std::int8_t const*>(actual) != *static_cast<std::int8_t const*>(expected)) differ();
        return;
    case value_kind::int16:
        if (*static_cast<std::int16_t const*>(actual) != *static_cast<std::int16_t const*>(expected)) differ();
        return;
    case value_kind::int32:
        if (*static_cast<std::int32_t const*>(actual) != *static_cast<std::int32_t const*>(expected)) differ();
        return;
    case value_kind::int64:
        if (*static_cast<std::int64_t const*>(actual) != *static_cast<std::int64_t const*>(expected)) differ();
        return;
    case value_kind::float32:
        if (!same_float(*static_cast<float const*>(actual), *static_cast<float const*>(expected))) differ();
        return;
    case value_kind::float64:
        if (!same_float(*static_cast<double const*>(actual), *static_cast<double const*>(expected))) differ();
        return;
    case value_kind::timestamp:
        if (*static_cast<crm::timestamp const*>(actual) != *static_cast<crm::timestamp const*>(expected)) {
            auto ns = [](void const* p) {
                return std::to_string(static_cast<crm::timestamp const*>(p)->time_since_epoch().count());
            };
            f.push_back((path.empty() ? std::string("value") : path) + ": got " + show(t, actual) + " (" +
                        ns(actual) + " ticks), expected " + show(t, expected) + " (" + ns(expected) + " ticks)");
        }
        return;
    case value_kind::structure:
        for (std::size_t i = 0; i < t.member_count; ++i) {
            auto const& m = t.members[i];
            void const* a = m.get(actual);
            void const* e = m.get(expected);
            std::string const sub = path.empty() ? std::string(m.model_name) : path + "." + std::string(m.model_name);
            if (!a && !e) continue;
            if (!a) f.push_back(sub + ": absent, expected " + show(m.type(), e));
            else if (!e) f.push_back(sub + ": got " + show(m.type(), a) + ", expected it absent");
            else diff(m.type(), a, e, sub, f);
        }
        return;
    case value_kind::list: {
        std::size_t na = t.size(actual), ne = t.size(expected);
        if (na != ne) {
            f.push_back(path + ": got " + std::to_string(na) + " entries " + show(t, actual) + ", expected " +
                        std::to_string(ne) + " " + show(t, expected));
            return;
        }
        for (std::size_t i = 0; i < na; ++i)
            diff(t.element(), t.at(actual, i), t.at(expected, i), path + "[" + std::to_string(i) + "]", f);
        return;
    }
    case value_kind::map: {
        auto a = map_entries(t, actual), e = map_entries(t, expected);
        std::set<std::string> keys;
        for (auto const& [k, v] : a) keys.insert(k);
        for (auto const& [k, v] : e) keys.insert(k);
        auto find = [](auto const& entries, std::string const& k) -> void const* {
            for (auto const& [key, v] : entries)
                if (key == k) return v;
            return nullptr;
        };
        for (auto const& k : keys) {
            void const* va = find(a, k);
            void const* ve = find(e, k);
            std::string const sub = path + "[" + k + "]";
            if (!va) f.push_back(sub + ": absent, expected " + show(t.element(), ve));
            else if (!ve) f.push_back(sub + ": got " + show(t.element(), va) + ", expected it absent");
            else diff(t.element(), va, ve, sub, f);
        }
        return;
    }
    }
}

bool contains_nan(type_info const& t, void const* p)
{
    switch (t.kind) {
    case value_kind::float32: return std::isnan(*static_cast<float const*>(p));
    case value_kind::float64: return std::isnan(*static_cast<double const*>(p));
    case value_kind::structure:
        for (std::size_t i = 0; i < t.member_count; ++i)
            if (void const* v = t.members[i].get(p); v && contains_nan(t.members[i].type(), v)) return true;
        return false;
    case value_kind::list:
        for (std::size_t i = 0, n = t.size(p); i < n; ++i)
            if (contains_nan(t.element(), t.at(p, i))) return true;
        return false;
    case value_kind::map:
        for (auto const& [k, v] : map_entries(t, p))
            if (contains_nan(t.element(), v)) return true;
        return false;
    default: return false;
    }
}

// The field-by-field comparison, cross-checked with the generated operator==
// (which cannot see NaN == NaN).
template <class T>
void compare_values(T const& actual, T const& expected, failures& f)
{
    auto const& t = detail::type_of<T>();
    std::size_t const before = f.size();
    diff(t, &actual, &expected, "", f);
    if (f.size() == before && !(actual == expected) && !contains_nan(t, &expected))
        f.push_back("operator== says the values differ, but no member differs");
    if (f.size() != before && actual == expected && !contains_nan(t, &expected))
        f.push_back("(operator== says the values are equal)");
}

// ------------------------------------------------------------------ JSON comparison

// Numbers compare by value (1.5e9 == 1500000000), objects as unordered maps.
void json_diff(json::value const& actual, json::value const& expected, std::string const& path, failures& f)
{
    std::string const where = path.empty() ? std::string("body") : "body" + path;
    if (actual.is_number() && expected.is_number()) {
        if (number_value(actual) != number_value(expected))
            f.push_back(where + ": got " + json::serialize(actual) + ", expected " + json::serialize(expected));
        return;
    }
    if (actual.kind() != expected.kind()) {
        f.push_back(where + ": got " + json::serialize(actual) + ", expected " + json::serialize(expected));
        return;
    }
    switch (expected.kind()) {
    case json::kind::object: {
        auto const& a = actual.get_object();
        auto const& e = expected.get_object();
        for (auto const& [k, v] : e) {
            std::string const sub = path + "." + std::string(k);
            if (auto const* av = a.if_contains(k)) json_diff(*av, v, sub, f);
            else f.push_back("body" + sub + ": absent, expected " + json::serialize(v));
        }
        for (auto const& [k, v] : a)
            if (!e.contains(k)) f.push_back("body" + path + "." + std::string(k) + ": unexpected " + json::serialize(v));
        return;
    }
    case json::kind::array: {
        auto const& a = actual.get_array();
        auto const& e = expected.get_array();
        if (a.size() != e.size()) {
            f.push_back(where + ": got " + json::serialize(actual) + ", expected " + json::serialize(expected));
            return;
        }
        for (std::size_t i = 0; i < a.size(); ++i) json_diff(a[i], e[i], path + "[" + std::to_string(i) + "]", f);
        return;
    }
    default:
        if (actual != expected)
            f.push_back(where + ": got " + json::serialize(actual) + ", expected " + json::serialize(expected));
        return;
    }
}

std::optional<json::value> parse_json(std::string_view text, char const* what, failures& f)
{
    boost::system::error_code ec;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
    if (ec) {
        f.push_back(std::string(what) + " is not valid JSON (" + ec.message() + "): " + std::string(text));
        return std::nullopt;
    }
    return v;
}

// ------------------------------------------------------------------ headers

using header_list = std::vector<std::pair<std::string, std::string>>;

header_list case_headers(json::object const& c)
{
    header_list out;
    if (auto const* h = c.if_contains("headers"))
        for (auto const& [k, v] : h->as_object()) out.emplace_back(std::string(k), std::string(sv(v.as_string())));
    return out;
}

std::optional<std::string_view> find_header(header_list const& h, std::string_view name)
{
    for (auto const& [k, v] : h)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

detail::header_source header_source_of(header_list const& h)
{
    return {&h, [](void const* ctx, std::string_view name) {
                return find_header(*static_cast<header_list const*>(ctx), name);
            }};
}

std::vector<std::string_view> name_list(json::object const& c, std::string_view field)
{
    std::vector<std::string_view> out;
    if (auto const* v = c.if_contains(field))
        for (auto const& e : v->as_array()) out.push_back(sv(e.as_string()));
    return out;
}

// ------------------------------------------------------------------ request cases

std::string fixed_token() { return "00000000-0000-4000-8000-000000000000"; }

std::string join(std::vector<std::string> const& v)
{
    std::string s = "[";
    for (auto const& x : v) s += (s.size() > 1 ? ", " : "") + x;
    return s + "]";
}

template <class I>
void run_request(json::object const& c, failures& f)
{
    using traits = crm::operation_traits<I>;
    auto const& ti = detail::type_of<I>();

    I input{};
    if (auto const* p = c.if_contains("params"); p && !p->is_null()) build_structure(*p, ti, &input, "", f);
    if (!f.empty()) return;

    detail::encoded_request req;
    detail::read_error err;
    if (auto ec = detail::encode_request(traits::info, ti, &input, req, err, {.idempotency_token = &fixed_token})) {
        f.push_back("encode_request failed: " + ec.message() + " (" + err.path + ": " + err.message + ")");
        return;
    }

    if (req.method != string_field(c, "method"))
        f.push_back("method: got " + std::string(req.method) + ", expected " + std::string(string_field(c, "method")));
    if (req.path != string_field(c, "uri"))
        f.push_back("uri: got " + req.path + ", expected " + std::string(string_field(c, "uri")));

    // Query: the exact multiset of encoded "k=v" (an absent list means none).
    std::vector<std::string> got, want;
    for (std::string_view q = req.query; !q.empty();) {
        auto amp = q.find('&');
        got.emplace_back(q.substr(0, amp));
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
    }
    if (!req.query.empty() && (req.query.front() == '&' || req.query.back() == '&' ||
                               req.query.find("&&") != std::string::npos))
        f.push_back("query has an empty parameter: " + req.query);
    for (auto q : name_list(c, "queryParams")) want.emplace_back(q);
    std::sort(got.begin(), got.end());
    std::sort(want.begin(), want.end());
    if (got != want) f.push_back("query: got " + join(got) + ", expected " + join(want));
    auto has_param = [&](std::string_view name) {
        return std::any_of(got.begin(), got.end(), [&](std::string const& kv) {
            return std::string_view(kv).substr(0, kv.find('=')) == name;
        });
    };
    for (auto n : name_list(c, "forbidQueryParams"))
        if (has_param(n)) f.push_back("query parameter " + std::string(n) + " is forbidden");
    for (auto n : name_list(c, "requireQueryParams"))
        if (!has_param(n)) f.push_back("query parameter " + std::string(n) + " is required");

    // Headers: the header-bound members, plus what the transport adds to a
    // request with a payload.
    header_list sent = req.headers;
    if (req.has_body) {
        sent.emplace_back("Content-Type", "application/json");
        sent.emplace_back("Content-Length", std::to_string(req.body.size()));
    }
    for (std::size_t i = 0; i < sent.size(); ++i)
        for (std::size_t j = i + 1; j < sent.size(); ++j)
            if (iequals(sent[i].first, sent[j].first)) f.push_back("header " + sent[i].first + " is sent twice");
    auto const expected_headers = case_headers(c);
    for (auto const& [k, v] : expected_headers) {
        auto h = find_header(sent, k);
        if (!h) f.push_back("header " + k + ": absent, expected \"" + v + "\"");
        else if (*h != v) f.push_back("header " + k + ": got \"" + std::string(*h) + "\", expected \"" + v + "\"");
    }
    bool const expects_json = find_header(expected_headers, "Content-Type") == std::optional<std::string_view>("application/json");
    if (expects_json != req.has_body)
        f.push_back(req.has_body ? "a payload is sent, but the case expects no Content-Type: application/json"
                                 : "no payload is sent, but the case expects Content-Type: application/json");
    for (auto n : name_list(c, "forbidHeaders"))
        if (find_header(sent, n)) f.push_back("header " + std::string(n) + " is forbidden");
    for (auto n : name_list(c, "requireHeaders"))
        if (!find_header(sent, n)) f.push_back("header " + std::string(n) + " is required");

    // Body.
    if (!req.has_body && !req.body.empty()) f.push_back("has_body is false but the body is \"" + req.body + "\"");
    if (auto const* b = c.if_contains("body")) {
        auto const want_body = sv(b->as_string());
        if (want_body.empty()) {
            if (req.has_body) f.push_back("expected no payload, got " + req.body);
        } else if (!req.has_body) {
            f.push_back("expected a payload, got none");
        } else if (string_field(c, "bodyMediaType") == "application/json") {
            auto a = parse_json(req.body, "the request body", f);
            auto e = parse_json(want_body, "the case's body", f);
            if (a && e) json_diff(*a, *e, "", f);
        } else if (req.body != want_body) {
            f.push_back("body: got " + req.body + ", expected " + std::string(want_body));
        }
    }
}

// ------------------------------------------------------------------ response cases

template <class T>
void decode_and_compare(json::object const& c, std::string_view body, header_list const& headers, failures& f)
{
    T actual{};
    detail::read_error err;
    if (auto ec = detail::decode_response(detail::type_of<T>(), &actual, body, header_source_of(headers), err)) {
        f.push_back("decode_response failed: " + ec.message() + " (" + err.path + ": " + err.message + ")");
        return;
    }
    T expected{};
    if (auto const* p = c.if_contains("params"); p && !p->is_null())
        build_structure(*p, detail::type_of<T>(), &expected, "", f);
    if (!f.empty()) return;
    compare_values(actual, expected, f);
}

using error_shapes = std::tuple<restjson::foo_error, restjson::invalid_greeting, restjson::complex_error>;

template <std::size_t N = 0>
void decode_error(std::string_view type, int status, json::object const& c, std::string_view body,
                  header_list const& headers, failures& f)
{
    if constexpr (N == std::tuple_size_v<error_shapes>) {
        f.push_back("no C++ type for the error shape " + std::string(type));
    } else {
        using E = std::tuple_element_t<N, error_shapes>;
        if (crm::shape_traits<E>::name != type) return decode_error<N + 1>(type, status, c, body, headers, f);
        if (crm::shape_traits<E>::http_status != status)
            f.push_back("status " + std::to_string(status) + ", but " + std::string(type) + " is modeled with " +
                        std::to_string(crm::shape_traits<E>::http_status));
        decode_and_compare<E>(c, body, headers, f);
    }
}

template <class I>
void run_response(json::object const& c, failures& f)
{
    using traits = crm::operation_traits<I>;
    using O = typename traits::response;
    auto const headers = case_headers(c);
    std::string_view const body = string_field(c, "body");  // absent: no payload
    int const status = static_cast<int>(c.at("code").to_number<std::int64_t>());

    auto const* error_shape = c.if_contains("errorShape");
    if (!error_shape) {
        if (status != traits::info.success_status)
            f.push_back("status " + std::to_string(status) + " is not the operation's success status");
        decode_and_compare<O>(c, body, headers, f);
        return;
    }

    std::string_view const want = sv(error_shape->as_string());
    if (status < 300) f.push_back("an error case with success status " + std::to_string(status));
    if (std::find(traits::errors.begin(), traits::errors.end(), want) == traits::errors.end())
        f.push_back(std::string(traits::info.name) + " does not declare the error " + std::string(want));
    auto const e = detail::parse_error_response(find_header(headers, "X-Amzn-Errortype"), body);
    if (e.type != want) {
        f.push_back("error type: got \"" + e.type + "\", expected \"" + std::string(want) + "\"");
        return;
    }
    decode_error(e.type, status, c, body, headers, f);
}

// ------------------------------------------------------------------ dispatch

// False when no operation of the test model has this name.
bool run_case(json::object const& c, failures& f)
{
    std::string_view const op = string_field(c, "operation");
    std::string_view const direction = string_field(c, "direction");
    if (direction != "request" && direction != "response") {
        f.push_back("unknown direction \"" + std::string(direction) + "\"");
        return true;
    }
#define CONFORMANCE_DISPATCH(snake_name, Input)                               \
    if (op == crm::operation_traits<Input>::info.name) {                      \
        if (direction == "request") run_request<Input>(c, f);                 \
        else run_response<Input>(c, f);                                       \
        return true;                                                          \
    }
    RESTJSON_FOR_EACH_OPERATION(CONFORMANCE_DISPATCH)
#undef CONFORMANCE_DISPATCH
    return false;
}

// Runs one case: its failures (empty when it passed).
failures run_one(json::object const& c)
{
    failures f;
    try {
        if (!run_case(c, f))
            f.push_back("no operation named \"" + std::string(string_field(c, "operation")) + "\" in the test model");
    } catch (std::exception const& x) {
        f.push_back(std::string("exception: ") + x.what());
    }
    return f;
}

skipped_case const* find_skip(std::string_view key)
{
    for (auto const& s : skip_list)
        if (s.key == key) return &s;
    return nullptr;
}

} // namespace

BOOST_AUTO_TEST_SUITE(restjson1_conformance)

BOOST_AUTO_TEST_CASE(smithy_protocol_tests)
{
    json::value const doc = json::parse(read_file(CLEANROOMSML_TEST_DATA "/restjson1/cases.json"));
    auto const& cases = doc.at("cases").as_array();
    BOOST_TEST_REQUIRE(cases.size() == expected_case_count);
    BOOST_TEST_REQUIRE(doc.at("count").to_number<std::size_t>() == expected_case_count);

    std::size_t passed = 0, failed = 0, skipped = 0;
    std::set<std::string, std::less<>> keys;
    std::vector<std::string> failed_keys;
    for (auto const& cv : cases) {
        auto const& c = cv.as_object();
        std::string const key(string_field(c, "key"));
        BOOST_TEST_CONTEXT("case " << key)
        {
            BOOST_TEST(keys.insert(key).second, "duplicate case key");
            if (auto const* s = find_skip(key)) {
                ++skipped;
                BOOST_TEST_MESSAGE("restJson1: skipped " << key << ": " << s->reason);
            } else if (auto const f = run_one(c); f.empty()) {
                ++passed;
            } else {
                ++failed;
                failed_keys.push_back(key);
                for (auto const& msg : f) BOOST_ERROR(msg);
            }
        }
    }

    for (auto const& s : skip_list)
        BOOST_TEST(keys.count(s.key) == 1u, "the skip list names " << s.key << ", which is not a case");
    BOOST_TEST(failed == 0u, "failed cases: " << join(failed_keys));
    BOOST_TEST(skipped == skip_list.size());
    BOOST_TEST(passed + failed + skipped == expected_case_count);
    BOOST_TEST(passed == expected_case_count - skip_list.size());
    BOOST_TEST_MESSAGE("restJson1: " << passed << " passed, " << skipped << " skipped");
}

// Our own cases for what real AWS responses need and the Smithy suite does
// not cover directly (its README asks for them): fractional epoch seconds in
// a JSON body, and unknown members at any depth.
BOOST_AUTO_TEST_CASE(supplementary_cases)
{
    static constexpr std::string_view extra[] = {
        R"({"key": "FractionalEpochSecondsInBody:response", "operation": "JsonTimestamps", "direction": "response",
            "code": 200, "body": "{\"epochSeconds\": 1.5155310811234E9, \"normal\": 1515531081.5}",
            "params": {"epochSeconds": 1515531081.1234, "normal": 1515531081.5}})",
        R"({"key": "NegativeFractionalEpochSecondsInBody:response", "operation": "JsonTimestamps",
            "direction": "response", "code": 200, "body": "{\"epochSeconds\": -1.5}",
            "params": {"epochSeconds": -1.5}})",
        R"({"key": "UnknownMembersIgnored:response", "operation": "SimpleScalarProperties", "direction": "response",
            "code": 200, "body": "{\"unknownObject\": {\"a\": [1, {\"b\": null, \"stringValue\": 7}], \"c\": \"d\"},\"stringValue\": \"s\", \"unknownArray\": [[], {}, \"x\", 1.5e300, true, null], \"unknownString\": \"\", \"unknownNumber\": -0.5, \"unknownBool\": false, \"unknownNull\": null, \"integerValue\": 3}",
            "params": {"stringValue": "s", "integerValue": 3}})",
        R"({"key": "NestedUnknownMembersIgnored:response", "operation": "RecursiveShapes", "direction": "response",
            "code": 200, "body": "{\"nested\": {\"foo\": \"Foo1\", \"zzz\": {\"foo\": \"no\"}, \"nested\": {\"bar\": \"Bar1\", \"recursiveMember\": null, \"q\": [1]}}}",
            "params": {"nested": {"foo": "Foo1", "nested": {"bar": "Bar1"}}}})",
        R"({"key": "UnknownMembersInError:response", "operation": "GreetingWithErrors", "direction": "response",
            "errorShape": "ComplexError", "code": 403, "headers": {"x-amzn-errortype": "ComplexError", "x-header": "h"},
            "body": "{\"message\": \"m\", \"Nested\": {\"Fooooo\": \"bar\", \"Extra\": {\"__type\": \"x#Y\"}}, \"TopLevel\": \"t\"}",
            "params": {"Header": "h", "TopLevel": "t", "Nested": {"Foo": "bar"}}})",
    };
    for (auto text : extra) {
        json::value const v = json::parse(json::string_view(text.data(), text.size()));
        auto const& c = v.as_object();
        BOOST_TEST_CONTEXT("case " << string_field(c, "key"))
        {
            auto const f = run_one(c);
            for (auto const& msg : f) BOOST_ERROR(msg);
            BOOST_TEST(f.empty());
        }
    }
}

// A header member is sent as one header line: CR, LF or NUL in its value
// would end it early, so the request is refused and the member named.
BOOST_AUTO_TEST_CASE(header_value_with_line_break_is_refused)
{
    using input = restjson::simple_scalar_properties_input_output;
    for (std::string_view bad : {std::string_view("a\r\nX-Evil: 1"), std::string_view("a\nb"),
                                 std::string_view("a\0b", 3)}) {
        input in{};
        in.foo = std::string(bad);
        detail::encoded_request req;
        detail::read_error err;
        auto ec = detail::encode_request(crm::operation_traits<input>::info, detail::type_of<input>(), &in, req, err);
        BOOST_TEST((ec == crm::client_errc::invalid_request), ec.message());
        BOOST_TEST(err.path == "X-Foo");
        BOOST_TEST(err.message.find("CR, LF or NUL") != std::string::npos, err.message);
    }
    input ok{};
    ok.foo = "tab\tand spaces are fine";
    detail::encoded_request req;
    detail::read_error err;
    BOOST_TEST(!detail::encode_request(crm::operation_traits<input>::info, detail::type_of<input>(), &ok, req, err));
    BOOST_TEST_REQUIRE(req.headers.size() == 1u);
    BOOST_TEST(req.headers[0].second == "tab\tand spaces are fine");
}

BOOST_AUTO_TEST_SUITE_END()
