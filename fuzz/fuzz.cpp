// libFuzzer targets for everything the library parses from a peer, a file or
// a command. One translation unit defines them all, because compiling the
// library is the expensive part; FUZZ_TARGET picks one at run time.
//
//   FUZZ_TARGET=response ./cleanroomsml-fuzz corpus/response
//
// Each target checks invariants that must hold for any input (round trips,
// documented postconditions) and calls __builtin_trap() when one fails, so
// libFuzzer reports it like a crash. Inputs that are merely invalid must be
// rejected through return values: that is the library's contract.
//
// CLEANROOMSML_FUZZ_WRITE_SEEDS=<dir> writes the generated seeds of the
// response and error targets under <dir>/<target>/ and exits.

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/detail/endpoint_lib.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/sts.hpp>
#include <cleanroomsml/detail/token_cache.hpp>
#include <cleanroomsml/detail/uri.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/process_credentials.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace crml = cleanroomsml;
namespace detail = cleanroomsml::detail;

namespace {

// An invariant failed: abort where libFuzzer (and a debugger) can see it.
#define FUZZ_CHECK(cond)                                                                        \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);   \
            __builtin_trap();                                                                   \
        }                                                                                       \
    } while (0)

// ---------------------------------------------------------------------------
// Shapes, as a table, so the targets below are not templates.

struct shape_entry {
    crml::operation_info const* op;  // nullptr for error shapes
    detail::type_info const* type;
    void* (*make)();
    void (*destroy)(void*);
};

template <class T>
shape_entry entry_of(crml::operation_info const* op)
{
    return {op, &detail::type_of<T>(), [] { return static_cast<void*>(new T()); },
            [](void* p) { delete static_cast<T*>(p); }};
}

std::vector<shape_entry> const& outputs()
{
    static std::vector<shape_entry> const table = [] {
        std::vector<shape_entry> t;
#define CLEANROOMSML_FUZZ_OUTPUT(name, request)                                                     \
    t.push_back(entry_of<crml::operation_traits<request>::response>(&crml::operation_traits<request>::info));
        CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_FUZZ_OUTPUT)
#undef CLEANROOMSML_FUZZ_OUTPUT
        return t;
    }();
    return table;
}

std::vector<shape_entry> const& error_shapes()
{
    static std::vector<shape_entry> const table{
        entry_of<crml::access_denied_exception>(nullptr), entry_of<crml::conflict_exception>(nullptr),
        entry_of<crml::resource_not_found_exception>(nullptr),
        entry_of<crml::service_quota_exceeded_exception>(nullptr), entry_of<crml::validation_exception>(nullptr),
        entry_of<crml::throttling_exception>(nullptr), entry_of<crml::internal_service_exception>(nullptr)};
    return table;
}

// A value owned through a shape_entry.
class shape_value {
public:
    explicit shape_value(shape_entry const& e) : e_(e), p_(e.make()) {}
    shape_value(shape_value const&) = delete;
    shape_value& operator=(shape_value const&) = delete;
    ~shape_value() { e_.destroy(p_); }
    void* get() const { return p_; }

private:
    shape_entry const& e_;
    void* p_;
};

// ---------------------------------------------------------------------------
// HTTP headers in the input: "Name: value" lines, then a blank line, then
// the body. Values are trimmed as an HTTP parser (Beast) trims them.

using header_list = std::vector<std::pair<std::string, std::string>>;

bool iequals(std::string_view a, std::string_view b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

std::optional<std::string_view> find_header(void const* ctx, std::string_view name)
{
    for (auto const& [k, v] : *static_cast<header_list const*>(ctx))
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Splits "headers\n\nbody"; without a blank line it is all body.
std::string_view split_headers(std::string_view in, header_list& headers)
{
    auto const blank = in.find("\n\n");
    if (blank == std::string_view::npos) return in;
    std::string_view block = in.substr(0, blank);
    while (!block.empty()) {
        auto const nl = block.find('\n');
        std::string_view line = block.substr(0, nl);
        block = nl == std::string_view::npos ? std::string_view{} : block.substr(nl + 1);
        auto const colon = line.find(':');
        if (colon == std::string_view::npos || colon == 0) continue;
        if (line.find('\r') != std::string_view::npos) continue;  // not a header a parser would deliver
        headers.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    }
    return in.substr(blank + 2);
}

// ---------------------------------------------------------------------------
// (a) response: an operation's HTTP response (headers + JSON body) into its
// output shape. Decode -> encode -> decode must succeed and encode the same.

int fuzz_response(std::string_view in)
{
    if (in.empty()) return 0;
    auto const& e = outputs()[static_cast<unsigned char>(in[0]) % outputs().size()];
    header_list headers;
    std::string_view const body = split_headers(in.substr(1), headers);

    shape_value x(e);
    detail::read_error err;
    if (auto ec = detail::decode_response(*e.type, x.get(), body, detail::header_source{&headers, &find_header}, err)) {
        FUZZ_CHECK(ec == crml::client_errc::unparsable_response);
        FUZZ_CHECK(!err.message.empty());
        return 0;
    }
    detail::encoded_response first;
    detail::encode_response(*e.op, *e.type, x.get(), first);

    shape_value y(e);
    detail::read_error err2;
    auto ec2 = detail::decode_response(*e.type, y.get(), first.body,
                                       detail::header_source{&first.headers, &find_header}, err2);
    if (ec2) std::fprintf(stderr, "re-decoding failed at %s: %s\n", err2.path.c_str(), err2.message.c_str());
    FUZZ_CHECK(!ec2);
    detail::encoded_response second;
    detail::encode_response(*e.op, *e.type, y.get(), second);
    FUZZ_CHECK(second.body == first.body);
    FUZZ_CHECK(second.headers == first.headers);
    return 0;
}

// ---------------------------------------------------------------------------
// (b) error: an error response. Byte 0 bit 0: the first line is the
// X-Amzn-ErrorType header. Also decodes the body as each modeled error shape.

int fuzz_error(std::string_view in)
{
    if (in.empty()) return 0;
    unsigned char const sel = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    std::optional<std::string_view> header;
    if (sel & 1) {
        auto const nl = in.find('\n');
        header = in.substr(0, nl);
        in = nl == std::string_view::npos ? std::string_view{} : in.substr(nl + 1);
    }
    detail::aws_error const e = detail::parse_error_response(header, in);
    // A sanitized type is a plain shape name, and sanitizing is idempotent.
    FUZZ_CHECK(e.type.find_first_of(":#") == std::string::npos);
    FUZZ_CHECK(detail::sanitize_error_type(e.type) == e.type);
    auto const errc = crml::service_errc_from_type(e.type);
    (void)crml::make_error_code(errc).message();
    (void)crml::is_throttling_error_type(e.type);

    auto const& shape = error_shapes()[(sel >> 1) % error_shapes().size()];
    shape_value x(shape);
    detail::read_error err;
    if (detail::read_json_body(in, *shape.type, x.get(), err)) return 0;
    std::string first;
    detail::write_json_body(first, *shape.type, x.get());
    shape_value y(shape);
    FUZZ_CHECK(!detail::read_json_body(first, *shape.type, y.get(), err));
    std::string second;
    detail::write_json_body(second, *shape.type, y.get());
    FUZZ_CHECK(first == second);
    return 0;
}

// ---------------------------------------------------------------------------
// (c) config: the shared config and credentials files, split at the first
// NUL byte (config text, then credentials text).

std::string lower(std::string_view s)
{
    std::string r(s);
    for (auto& c : r)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return r;
}

std::string upper(std::string_view s)
{
    std::string r(s);
    for (auto& c : r)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return r;
}

void check_section(crml::profile_section const& s)
{
    for (auto const& [k, v] : s.properties) {
        FUZZ_CHECK(k == lower(k));
        auto got = s.get(upper(k));
        FUZZ_CHECK(got && *got == v);
    }
    for (auto const& [k, subs] : s.sub_properties) {
        FUZZ_CHECK(s.properties.count(k) == 1);
        for (auto const& [sk, sv] : subs) {
            FUZZ_CHECK(sk == lower(sk));
            auto got = s.get(upper(k), upper(sk));
            FUZZ_CHECK(got && *got == sv);
        }
    }
}

int fuzz_config(std::string_view in)
{
    auto const nul = in.find('\0');
    std::string_view const config = in.substr(0, nul);
    std::string_view const creds = nul == std::string_view::npos ? std::string_view{} : in.substr(nul + 1);
    crml::config_files out;
    crml::config_file_error err;
    if (!crml::parse_config_files(config, "config", creds, "credentials", out, err)) {
        // Documented: the whole parse fails, naming the file and a 1-based line.
        FUZZ_CHECK(out.profiles.empty() && out.sso_sessions.empty() && out.services.empty());
        FUZZ_CHECK(err.file == "config" || err.file == "credentials");
        FUZZ_CHECK(err.line >= 1);
        FUZZ_CHECK(!err.message.empty());
        (void)err.to_string();
        return 0;
    }
    for (auto const& [name, p] : out.profiles) {
        FUZZ_CHECK(p.name == name);
        FUZZ_CHECK(out.find_profile(name) == &p);
        check_section(p);
    }
    for (auto const& [name, s] : out.sso_sessions) check_section(s);
    for (auto const& [name, s] : out.services) check_section(s);
    return 0;
}

// ---------------------------------------------------------------------------
// (d) process: the output of a credential_process command.

int fuzz_process(std::string_view in)
{
    crml::credentials c;
    std::string message;
    if (!detail::process_credentials_impl::parse_output(in, c, message)) {
        FUZZ_CHECK(!message.empty());
        return 0;
    }
    FUZZ_CHECK(!c.access_key_id.empty() && !c.secret_access_key.empty());
    return 0;
}

// (d) sts: an STS answer; byte 0 picks the action (bit 0) and the HTTP
// status (bits 1-2).

int fuzz_sts(std::string_view in)
{
    if (in.empty()) return 0;
    unsigned char const sel = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    std::string_view const action = (sel & 1) ? "AssumeRoleWithWebIdentity" : "AssumeRole";
    static constexpr std::array<int, 4> statuses{200, 400, 403, 503};
    int const status = statuses[(sel >> 1) & 3];
    crml::credentials c;
    crml::diagnostics diag;
    if (detail::parse_sts_response(action, status, in, c, diag)) {
        FUZZ_CHECK(!diag.message.empty());
        return 0;
    }
    FUZZ_CHECK(status == 200);
    FUZZ_CHECK(!c.access_key_id.empty() && !c.secret_access_key.empty() && !c.session_token.empty());
    FUZZ_CHECK(c.expiration.has_value());
    return 0;
}

// (d) signin_cache: an IAM Identity Center token or `aws login` session file
// as read from the caches. Whatever parses as JSON must be written back (in
// botocore's format) to the same value; a usable token or session has its
// required members, and its expiry formats and parses back to whole seconds.

// Equal JSON values, doubles within a few ulps: Boost.JSON 1.81 does not
// always parse a double to the nearest value, so an exact round trip through
// it may be off in the last digit.
bool same_json(boost::json::value const& a, boost::json::value const& b)
{
    if (a.is_double() && b.is_double()) {
        double const x = a.get_double(), y = b.get_double();
        return x == y || std::abs(x - y) <= 8 * std::numeric_limits<double>::epsilon() * std::max(std::abs(x), std::abs(y));
    }
    if (a.kind() != b.kind()) return false;
    if (a.is_array()) {
        auto const &p = a.get_array(), &q = b.get_array();
        if (p.size() != q.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i)
            if (!same_json(p[i], q[i])) return false;
        return true;
    }
    if (a.is_object()) {
        auto const &p = a.get_object(), &q = b.get_object();
        if (p.size() != q.size()) return false;
        auto i = p.begin(), j = q.begin();
        for (; i != p.end(); ++i, ++j)
            if (i->key() != j->key() || !same_json(i->value(), j->value())) return false;
        return true;
    }
    return a == b;
}

int fuzz_signin_cache(std::string_view in)
{
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(in, ec);
    if (ec) return 0;
    std::string const text = detail::python_json_dumps(v);
    // Python writes non-finite doubles as Infinity / NaN, which JSON lacks.
    if (text.find("Infinity") == std::string::npos && text.find("NaN") == std::string::npos) {
        boost::json::value back = boost::json::parse(text, ec);
        FUZZ_CHECK(!ec && same_json(back, v));
    }
    if (!v.is_object()) return 0;
    std::string why;
    detail::sso_cached_token token;
    if (detail::parse_sso_token(v.get_object(), token, why)) {
        FUZZ_CHECK(!token.access_token.empty());
        auto const again = detail::parse_cache_time(detail::format_cache_time(token.expires_at));
        FUZZ_CHECK(again && *again == std::chrono::floor<std::chrono::seconds>(token.expires_at));
    } else {
        FUZZ_CHECK(!why.empty());
    }
    detail::login_cached_session session;
    if (detail::parse_login_session(v.get_object(), session, why)) {
        FUZZ_CHECK(!session.access_key_id.empty() && !session.secret_access_key.empty());
    } else {
        FUZZ_CHECK(!why.empty());
    }
    return 0;
}

// ---------------------------------------------------------------------------
// (e) timestamp: byte 0 picks the format. A parsed value formats and parses
// back to itself in every format (http_date keeps whole seconds only).

int fuzz_timestamp(std::string_view in)
{
    if (in.empty()) return 0;
    unsigned char const sel = static_cast<unsigned char>(in[0]);
    in.remove_prefix(1);
    static constexpr std::array<crml::timestamp_format, 3> formats{
        crml::timestamp_format::date_time, crml::timestamp_format::epoch_seconds, crml::timestamp_format::http_date};
    crml::timestamp t{};
    bool ok = false;
    switch (sel % 6) {
    case 0: ok = detail::parse_date_time(in, t); break;
    case 1: ok = detail::parse_epoch_seconds(in, t); break;
    case 2: ok = detail::parse_http_date(in, t); break;
    default: ok = detail::parse_timestamp(in, formats[sel % 6 - 3], t); break;
    }
    if (!ok) {
        FUZZ_CHECK(t == crml::timestamp{});  // documented: out untouched
        return 0;
    }
    for (auto f : formats) {
        // In the clock's first second the whole second http_date keeps is
        // before the earliest timestamp, so it cannot be read back.
        if (f == crml::timestamp_format::http_date && t < crml::timestamp::min() + std::chrono::seconds(1)) continue;
        std::string text;
        detail::format_timestamp(text, t, f);
        crml::timestamp back{};
        bool const again = detail::parse_timestamp(text, f, back);
        if (!again) std::fprintf(stderr, "cannot parse back \"%s\"\n", text.c_str());
        FUZZ_CHECK(again);
        auto const expected = f == crml::timestamp_format::http_date ? std::chrono::floor<std::chrono::seconds>(t) : t;
        if (back != expected) std::fprintf(stderr, "\"%s\" parses to another time\n", text.c_str());
        FUZZ_CHECK(back == expected);
    }
    return 0;
}

// ---------------------------------------------------------------------------
// (f) url: the endpoint rules' parseURL and the other string functions of
// the rules library, plus percent-encoding.

int fuzz_url(std::string_view in)
{
    namespace el = detail::endpoint_lib;
    if (auto u = el::parse_url(in)) {
        FUZZ_CHECK(u->scheme == "http" || u->scheme == "https");
        FUZZ_CHECK(!u->normalized_path.empty() && u->normalized_path.front() == '/' &&
                   u->normalized_path.back() == '/');
        FUZZ_CHECK(!u->host.empty());
        // The parts put together again parse to the same parts.
        auto again = el::parse_url(u->scheme + "://" + u->authority + u->path);
        FUZZ_CHECK(again);
        FUZZ_CHECK(again->scheme == u->scheme && again->authority == u->authority && again->path == u->path &&
                   again->normalized_path == u->normalized_path && again->is_ip == u->is_ip &&
                   again->host == u->host && again->port == u->port);
    }
    if (el::is_valid_host_label(in, false)) FUZZ_CHECK(!in.empty() && in.size() <= 63);
    (void)el::is_valid_host_label(in, true);
    (void)el::json_escape(in);
    std::string decoded;
    FUZZ_CHECK(detail::percent_decode(decoded, el::uri_encode(in)) && decoded == in);
    std::string encoded;
    detail::percent_encode(encoded, in, true);
    decoded.clear();
    FUZZ_CHECK(detail::percent_decode(decoded, encoded) && decoded == in);
    decoded.clear();
    if (detail::percent_decode(decoded, in)) {
        encoded.clear();
        detail::percent_encode(encoded, decoded);
        std::string twice;
        FUZZ_CHECK(detail::percent_decode(twice, encoded) && twice == decoded);
    }
    if (in.size() >= 2) {
        int const start = static_cast<signed char>(in[0]);
        int const stop = static_cast<signed char>(in[1]);
        if (auto s = el::substring(in.substr(2), start, stop, (start & 1) != 0))
            FUZZ_CHECK(start >= 0 && stop >= start && s->size() == static_cast<std::size_t>(stop - start));
    }
    return 0;
}

// ---------------------------------------------------------------------------

struct target {
    char const* name;
    int (*run)(std::string_view);
};

constexpr std::array<target, 8> targets{{
    {"response", &fuzz_response},
    {"error", &fuzz_error},
    {"config", &fuzz_config},
    {"process", &fuzz_process},
    {"sts", &fuzz_sts},
    {"signin_cache", &fuzz_signin_cache},
    {"timestamp", &fuzz_timestamp},
    {"url", &fuzz_url},
}};

int (*selected)(std::string_view) = nullptr;

// ---------------------------------------------------------------------------
// Seeds for the response and error targets: every output shape with every
// member set, and with only the required ones.

struct filler {
    int depth = 0;

    void value(detail::type_info const& t, void* p)
    {
        using detail::value_kind;
        switch (t.kind) {
        case value_kind::string: t.string_ref(p) = "ACTIVE"; break;
        case value_kind::boolean: *static_cast<bool*>(p) = true; break;
        case value_kind::int8: *static_cast<std::int8_t*>(p) = 7; break;
        case value_kind::int16: *static_cast<std::int16_t*>(p) = 300; break;
        case value_kind::int32: *static_cast<std::int32_t*>(p) = 70000; break;
        case value_kind::int64: *static_cast<std::int64_t*>(p) = 5000000000; break;
        case value_kind::float32: *static_cast<float*>(p) = 0.5f; break;
        case value_kind::float64: *static_cast<double*>(p) = 0.125; break;
        case value_kind::timestamp:
            *static_cast<crml::timestamp*>(p) = crml::timestamp(std::chrono::milliseconds(1714415438123));
            break;
        case value_kind::structure: structure(t, p, true); break;
        case value_kind::list:
            if (depth < 4) {
                ++depth;
                value(t.element(), t.append(p));
                value(t.element(), t.append(p));
                --depth;
            }
            break;
        case value_kind::map:
            if (depth < 4) {
                ++depth;
                value(t.element(), t.slot(p, "key"));
                --depth;
            }
            break;
        }
    }

    void structure(detail::type_info const& t, void* p, bool all)
    {
        if (depth >= 4) return;
        ++depth;
        for (std::size_t i = 0; i < t.member_count; ++i) {
            auto const& m = t.members[i];
            if (all || m.required) value(m.type(), m.emplace(p));
        }
        --depth;
    }
};

void write_file(std::filesystem::path const& p, std::string const& data)
{
    std::ofstream(p, std::ios::binary) << data;
}

void write_seeds(std::filesystem::path const& dir)
{
    namespace fs = std::filesystem;
    fs::create_directories(dir / "response");
    fs::create_directories(dir / "error");
    auto const& ops = outputs();
    for (std::size_t i = 0; i < ops.size(); ++i) {
        for (bool all : {true, false}) {
            shape_value x(ops[i]);
            filler{}.structure(*ops[i].type, x.get(), all);
            detail::encoded_response r;
            detail::encode_response(*ops[i].op, *ops[i].type, x.get(), r);
            std::string text(1, static_cast<char>(i));
            for (std::size_t h = 0; h < r.headers.size(); ++h)
                text += (h ? "\n" : "") + r.headers[h].first + ": " + r.headers[h].second;
            text += "\n\n" + r.body;
            write_file(dir / "response" / (std::string(ops[i].op->name) + (all ? "-full" : "-required")), text);
        }
    }
    auto const& errs = error_shapes();
    for (std::size_t i = 0; i < errs.size(); ++i) {
        shape_value x(errs[i]);
        filler{}.structure(*errs[i].type, x.get(), true);
        std::string body;
        detail::write_json_body(body, *errs[i].type, x.get());
        std::string const name(errs[i].type->name);
        write_file(dir / "error" / (name + "-body"), std::string(1, static_cast<char>(i << 1)) + body);
        write_file(dir / "error" / (name + "-header"), std::string(1, static_cast<char>((i << 1) | 1)) +
                                                           "aws.cleanroomsml#" + name + ":http://internal.amazon.com/\n" +
                                                           body);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    if (char const* dir = std::getenv("CLEANROOMSML_FUZZ_WRITE_SEEDS")) {
        write_seeds(dir);
        std::exit(0);
    }
    char const* name = std::getenv("FUZZ_TARGET");
    for (auto const& t : targets)
        if (name && std::strcmp(name, t.name) == 0) selected = t.run;
    if (!selected) {
        std::fprintf(stderr, "set FUZZ_TARGET to one of:");
        for (auto const& t : targets) std::fprintf(stderr, " %s", t.name);
        std::fprintf(stderr, "\n");
        std::exit(2);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    return selected(std::string_view(reinterpret_cast<char const*>(data), size));
}
