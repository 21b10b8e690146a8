#ifndef CLEANROOMSML_IMPL_REST_JSON_IPP
#define CLEANROOMSML_IMPL_REST_JSON_IPP

#include <cleanroomsml/detail/json_write.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/uri.hpp>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <random>

namespace cleanroomsml::detail {

// The members of an AWS error body that say what went wrong.
struct error_body {
    std::optional<std::string> code, code_upper, type, message, message_upper;
};

} // namespace cleanroomsml::detail

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winvalid-offsetof"  // supported for classes without virtual bases
#endif
template <>
struct cleanroomsml::shape_traits<cleanroomsml::detail::error_body> {
    using T = detail::error_body;
    static constexpr std::string_view name = "ErrorBody";
    static constexpr auto members = cleanroomsml::members(
        member("code", &T::code, offsetof(T, code)), member("Code", &T::code_upper, offsetof(T, code_upper)),
        member("__type", &T::type, offsetof(T, type)), member("message", &T::message, offsetof(T, message)),
        member("Message", &T::message_upper, offsetof(T, message_upper)));
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

namespace cleanroomsml::detail {

CLEANROOMSML_DECL bool scalar_text(std::string& out, type_info const& ti, void const* p, timestamp_format f)
{
    char buf[64];
    auto append = [&](auto v) {
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        out.append(buf, r.ptr);
    };
    auto append_float = [&](double v, bool single) {
        if (std::isnan(v)) out += "NaN";
        else if (std::isinf(v)) out += v > 0 ? "Infinity" : "-Infinity";
        else if (single) append(static_cast<float>(v));
        else append(v);
    };
    switch (ti.kind) {
    case value_kind::string: out += ti.string_cref(p); return true;
    case value_kind::boolean: out += *static_cast<bool const*>(p) ? "true" : "false"; return true;
    case value_kind::int8: append(int{*static_cast<std::int8_t const*>(p)}); return true;
    case value_kind::int16: append(int{*static_cast<std::int16_t const*>(p)}); return true;
    case value_kind::int32: append(*static_cast<std::int32_t const*>(p)); return true;
    case value_kind::int64: append(*static_cast<std::int64_t const*>(p)); return true;
    case value_kind::float32: append_float(*static_cast<float const*>(p), true); return true;
    case value_kind::float64: append_float(*static_cast<double const*>(p), false); return true;
    case value_kind::timestamp: format_timestamp(out, *static_cast<timestamp const*>(p), f); return true;
    default: return false;
    }
}

CLEANROOMSML_DECL void write_uuid4(char (&out)[36]) noexcept
{
    // UUID version 4, from a per-thread generator seeded once from the OS.
    thread_local std::mt19937_64 gen{[] {
        std::random_device rd;
        return (std::uint64_t{rd()} << 32) ^ rd();
    }()};
    std::uint64_t hi = gen(), lo = gen();
    hi = (hi & ~std::uint64_t{0xF000}) | 0x4000;                            // version 4
    lo = (lo & ~(std::uint64_t{0xC} << 60)) | (std::uint64_t{0x8} << 60);  // variant 10
    static constexpr char hex[] = "0123456789abcdef";
    int pos = 0;
    for (int i = 0; i < 32; ++i) {
        if (pos == 8 || pos == 13 || pos == 18 || pos == 23) out[pos++] = '-';
        std::uint64_t word = i < 16 ? hi : lo;
        out[pos++] = hex[(word >> (60 - 4 * (i % 16))) & 0xf];
    }
}

CLEANROOMSML_DECL std::string default_idempotency_token()
{
    char id[36];
    write_uuid4(id);
    return std::string(id, sizeof id);
}

CLEANROOMSML_DECL error_code encode_request(operation_info const& op, type_info const& input, void const* request,
                                            encoded_request& out, read_error& err, encode_options const& opt)
{
    out.clear();
    out.method = op.method;
    // Room for the labels too, at worst fully escaped: one allocation.
    std::size_t room = opt.path_prefix.size() + op.uri.size();
    for (std::size_t i = 0; i < input.member_count; ++i) {
        auto const& m = input.members[i];
        if (m.location != http_location::label && m.location != http_location::greedy_label) continue;
        void const* v = m.get(request);
        room += v && m.type().kind == value_kind::string ? 3 * m.type().string_cref(v).size() : 96;
    }
    out.path.reserve(room);
    out.path.append(opt.path_prefix);
    std::string text;
    auto fail = [&](member_info const& m, std::string msg) {
        err.path = std::string(m.name);
        err.message = std::move(msg);
        return error_code(client_errc::invalid_request);
    };
    auto token = [&] { return opt.idempotency_token ? opt.idempotency_token() : default_idempotency_token(); };

    // Path: literal text with each {label} or {label+} replaced.
    std::string_view uri = op.uri;
    while (!uri.empty()) {
        auto open = uri.find('{');
        out.path.append(uri.substr(0, open));
        if (open == std::string_view::npos) break;
        auto close = uri.find('}', open);
        std::string_view label = uri.substr(open + 1, close - open - 1);
        bool greedy = !label.empty() && label.back() == '+';
        if (greedy) label.remove_suffix(1);
        uri.remove_prefix(close + 1);
        member_info const* m = nullptr;
        for (std::size_t i = 0; i < input.member_count; ++i)
            if (input.members[i].name == label &&
                (input.members[i].location == http_location::label ||
                 input.members[i].location == http_location::greedy_label))
                m = &input.members[i];
        if (!m) {
            err.path = std::string(label);
            err.message = "the operation's URI names a label the input does not have";
            return client_errc::invalid_request;
        }
        void const* v = m->get(request);
        // A string label is encoded from the member itself, without a copy.
        std::string_view value;
        if (v && m->type().kind == value_kind::string) {
            value = m->type().string_cref(v);
        } else {
            text.clear();
            if (!v || !scalar_text(text, m->type(), v, m->format)) return fail(*m, "a URI label must be set");
            value = text;
        }
        if (value.empty()) return fail(*m, "a URI label must not be empty");
        percent_encode(out.path, value, greedy);
    }

    // Query: named parameters first; map entries must not override them.
    auto add_param = [&](std::string_view k, std::string_view v) {
        if (!out.query.empty()) out.query.push_back('&');
        percent_encode(out.query, k);
        out.query.push_back('=');
        percent_encode(out.query, v);
    };
    std::vector<std::string_view> named;
    for (std::size_t i = 0; i < input.member_count; ++i) {
        auto const& m = input.members[i];
        if (m.location != http_location::query) continue;
        void const* v = m.get(request);
        auto const& t = m.type();
        if (!v) {
            if (m.idempotency_token) {
                add_param(m.name, token());
                named.push_back(m.name);
            }
            continue;
        }
        named.push_back(m.name);
        if (t.kind == value_kind::list) {
            auto const& et = t.element();
            for (std::size_t j = 0, n = t.size(v); j < n; ++j) {
                text.clear();
                scalar_text(text, et, t.at(v, j), m.format);
                add_param(m.name, text);
            }
        } else {
            text.clear();
            scalar_text(text, t, v, m.format);
            add_param(m.name, text);
        }
    }
    for (std::size_t i = 0; i < input.member_count; ++i) {
        auto const& m = input.members[i];
        if (m.location != http_location::query_map) continue;
        void const* v = m.get(request);
        if (!v) continue;
        struct ctx_t {
            std::vector<std::string_view> const* named;
            decltype(add_param)* add;
            timestamp_format format;
            type_info const* value_type;
        } ctx{&named, &add_param, m.format, &m.type().element()};
        m.type().for_each(v, &ctx, [](void* c, std::string const& k, void const* val) {
            auto& x = *static_cast<ctx_t*>(c);
            for (auto n : *x.named)
                if (n == k) return;
            std::string s;
            if (x.value_type->kind == value_kind::list) {
                auto const& et = x.value_type->element();
                for (std::size_t j = 0, n = x.value_type->size(val); j < n; ++j) {
                    s.clear();
                    scalar_text(s, et, x.value_type->at(val, j), x.format);
                    (*x.add)(k, s);
                }
            } else {
                scalar_text(s, *x.value_type, val, x.format);
                (*x.add)(k, s);
            }
        });
    }

    // Headers.
    for (std::size_t i = 0; i < input.member_count; ++i) {
        auto const& m = input.members[i];
        if (m.location != http_location::header) continue;
        void const* v = m.get(request);
        if (!v) continue;
        auto const& t = m.type();
        text.clear();
        if (t.kind == value_kind::list) {
            for (std::size_t j = 0, n = t.size(v); j < n; ++j) {
                if (j) text += ", ";
                scalar_text(text, t.element(), t.at(v, j), m.format);
            }
        } else {
            scalar_text(text, t, v, m.format);
        }
        // A line break would end the header and start another one of the caller's making.
        if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
            return fail(m, "a header value cannot hold CR, LF or NUL");
        out.headers.emplace_back(std::string(m.name), text);
    }

    // Body: only when the input has body members, even if none is set.
    if (input.has_body_members) {
        out.has_body = true;
        write_json_body(out.body, input, request);
        for (std::size_t i = 0; i < input.member_count; ++i) {
            auto const& m = input.members[i];
            if (m.location != http_location::body || !m.idempotency_token || m.get(request)) continue;
            out.body.pop_back();  // reopen the object to add the generated token
            if (out.body.size() > 1) out.body.push_back(',');
            write_json_string(out.body, m.name);
            out.body.push_back(':');
            write_json_string(out.body, token());
            out.body.push_back('}');
        }
    }
    return {};
}

CLEANROOMSML_DECL bool parse_header_value(type_info const& t, void* p, std::string_view s, timestamp_format f)
{
    auto parse_int = [&](auto& dst) {
        auto r = std::from_chars(s.data(), s.data() + s.size(), dst);
        return r.ec == std::errc{} && r.ptr == s.data() + s.size();
    };
    switch (t.kind) {
    case value_kind::string: t.string_ref(p).assign(s); return true;
    case value_kind::boolean:
        if (s == "true") { *static_cast<bool*>(p) = true; return true; }
        if (s == "false") { *static_cast<bool*>(p) = false; return true; }
        return false;
    case value_kind::int8: { int v; if (!parse_int(v) || v < -128 || v > 127) return false; *static_cast<std::int8_t*>(p) = static_cast<std::int8_t>(v); return true; }
    case value_kind::int16: { int v; if (!parse_int(v) || v < -32768 || v > 32767) return false; *static_cast<std::int16_t*>(p) = static_cast<std::int16_t>(v); return true; }
    case value_kind::int32: return parse_int(*static_cast<std::int32_t*>(p));
    case value_kind::int64: return parse_int(*static_cast<std::int64_t*>(p));
    case value_kind::float32: case value_kind::float64: {
        double v;
        if (s == "NaN") v = std::nan("");
        else if (s == "Infinity") v = HUGE_VAL;
        else if (s == "-Infinity") v = -HUGE_VAL;
        else {
            auto r = std::from_chars(s.data(), s.data() + s.size(), v);
            if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) return false;
        }
        if (t.kind == value_kind::float32) *static_cast<float*>(p) = static_cast<float>(v);
        else *static_cast<double*>(p) = v;
        return true;
    }
    case value_kind::timestamp:
        return parse_timestamp(s, f, *static_cast<timestamp*>(p)) ||
               parse_http_date(s, *static_cast<timestamp*>(p)) || parse_date_time(s, *static_cast<timestamp*>(p));
    default: return false;
    }
}

CLEANROOMSML_DECL error_code decode_response(type_info const& output, void* out, std::string_view body,
                                             header_source headers, read_error& err)
{
    // With no body members there is nothing to read: the payload is ignored.
    if (output.has_body_members)
        if (auto ec = read_json_body(body, output, out, err)) return ec;
    for (std::size_t i = 0; i < output.member_count; ++i) {
        auto const& m = output.members[i];
        if (m.location != http_location::header) continue;
        auto h = headers(m.name);
        if (!h) continue;
        auto const& t = m.type();
        void* p = m.emplace(out);
        bool ok = true;
        if (t.kind == value_kind::list) {
            t.clear(p);
            std::string_view rest = *h;
            while (ok && !rest.empty()) {
                auto comma = rest.find(',');
                auto item = rest.substr(0, comma);
                while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
                while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
                ok = parse_header_value(t.element(), t.append(p), item, m.format);
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            }
        } else {
            ok = parse_header_value(t, p, *h, m.format);
        }
        if (!ok) {
            err.path = std::string(m.name);
            err.message = "malformed header value \"" + std::string(*h) + "\"";
            return client_errc::unparsable_response;
        }
    }
    return {};
}

CLEANROOMSML_DECL bool match_uri(std::string_view uri_template, std::string_view path,
                                 std::vector<std::pair<std::string_view, std::string>>& labels)
{
    labels.clear();
    std::string_view t = uri_template;
    while (!t.empty()) {
        auto open = t.find('{');
        std::string_view literal = t.substr(0, open);
        if (path.substr(0, literal.size()) != literal) return false;
        path.remove_prefix(literal.size());
        if (open == std::string_view::npos) return path.empty();
        auto close = t.find('}', open);
        std::string_view label = t.substr(open + 1, close - open - 1);
        t.remove_prefix(close + 1);
        bool const greedy = !label.empty() && label.back() == '+';
        if (greedy) label.remove_suffix(1);
        // A plain label ends at the next '/', a greedy one at the template's
        // next literal text (or the end).
        std::size_t end;
        if (greedy) {
            auto next = t.substr(0, t.find('{'));
            end = next.empty() ? path.size() : path.rfind(next);
        } else {
            end = path.find('/');
        }
        if (end == std::string_view::npos) end = path.size();
        if (end == 0) return false;
        std::string value;
        if (!percent_decode(value, path.substr(0, end))) return false;
        labels.emplace_back(label, std::move(value));
        path.remove_prefix(end);
    }
    return path.empty();
}

CLEANROOMSML_DECL error_code decode_request(operation_info const& op, type_info const& input, void* out,
                                            std::string_view path, std::string_view query, header_source headers,
                                            std::string_view body, read_error& err)
{
    auto fail = [&](std::string_view member, std::string msg) {
        err.path = std::string(member);
        err.message = std::move(msg);
        return error_code(client_errc::invalid_request);
    };
    auto find = [&](std::string_view name, http_location a, http_location b) -> member_info const* {
        for (std::size_t i = 0; i < input.member_count; ++i)
            if (input.members[i].name == name && (input.members[i].location == a || input.members[i].location == b))
                return &input.members[i];
        return nullptr;
    };
    // A value for a scalar or for one element of a list member.
    auto set = [&](member_info const& m, std::string_view text) {
        auto const& t = m.type();
        void* p = m.emplace(out);
        bool const ok = t.kind == value_kind::list ? parse_header_value(t.element(), t.append(p), text, m.format)
                                                   : parse_header_value(t, p, text, m.format);
        return ok ? error_code{} : fail(m.name, "cannot read \"" + std::string(text) + "\" as its type");
    };

    std::vector<std::pair<std::string_view, std::string>> labels;
    if (!match_uri(op.uri, path, labels)) return fail({}, "the path does not match " + std::string(op.uri));
    for (auto const& [name, value] : labels) {
        auto const* m = find(name, http_location::label, http_location::greedy_label);
        if (!m) return fail(name, "the input has no such label");
        if (auto ec = set(*m, value)) return ec;
    }

    // Query: named members first; the rest goes to a query map if there is one.
    member_info const* query_map = nullptr;
    for (std::size_t i = 0; i < input.member_count; ++i)
        if (input.members[i].location == http_location::query_map) query_map = &input.members[i];
    std::string key, value;
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        key.clear();
        value.clear();
        if (!percent_decode(key, pair.substr(0, eq)) ||
            !percent_decode(value, eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1)))
            return fail(pair, "malformed percent-encoding in the query");
        if (auto const* m = find(key, http_location::query, http_location::query)) {
            // A scalar given twice is ambiguous: refuse rather than pick one.
            if (m->type().kind != value_kind::list && m->get(out))
                return fail(m->name, "query parameter given more than once");
            if (auto ec = set(*m, value)) return ec;
        } else if (query_map) {
            auto const& mt = query_map->type();
            auto const& vt = mt.element();
            void* map = query_map->emplace(out);
            void* slot = vt.kind == value_kind::list ? vt.append(mt.slot(map, key)) : mt.slot(map, key);
            auto const& st = vt.kind == value_kind::list ? vt.element() : vt;
            if (!parse_header_value(st, slot, value, query_map->format))
                return fail(key, "cannot read the query parameter's value");
        }
    }

    for (std::size_t i = 0; i < input.member_count; ++i) {
        auto const& m = input.members[i];
        if (m.location != http_location::header) continue;
        auto h = headers(m.name);
        if (!h) continue;
        if (m.type().kind == value_kind::list) {
            std::string_view rest = *h;
            while (!rest.empty()) {
                auto comma = rest.find(',');
                auto item = rest.substr(0, comma);
                while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
                while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
                if (auto ec = set(m, item)) return ec;
                rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
            }
        } else if (auto ec = set(m, *h)) {
            return ec;
        }
    }

    if (input.has_body_members) {
        if (auto ec = read_json_body(body, input, out, err)) {
            (void)ec;
            return client_errc::invalid_request;
        }
    }
    return {};
}

CLEANROOMSML_DECL void encode_response(operation_info const& op, type_info const& output, void const* response,
                                       encoded_response& out)
{
    out.status = op.success_status;
    out.headers.clear();
    out.body.clear();
    write_json_body(out.body, output, response);
    std::string text;
    for (std::size_t i = 0; i < output.member_count; ++i) {
        auto const& m = output.members[i];
        if (m.location != http_location::header) continue;
        void const* v = m.get(response);
        if (!v) continue;
        text.clear();
        scalar_text(text, m.type(), v, m.format);
        out.headers.emplace_back(std::string(m.name), text);
    }
}

CLEANROOMSML_DECL std::string_view sanitize_error_type(std::string_view raw) noexcept
{
    if (auto colon = raw.find(':'); colon != std::string_view::npos) raw = raw.substr(0, colon);
    if (auto hash = raw.rfind('#'); hash != std::string_view::npos) raw = raw.substr(hash + 1);
    while (!raw.empty() && raw.front() == ' ') raw.remove_prefix(1);
    while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
    return raw;
}

CLEANROOMSML_DECL aws_error parse_error_response(std::optional<std::string_view> error_type_header,
                                                 std::string_view body)
{
    // The body may be anything (a proxy's HTML page): keep what was read
    // before a parse failure and never fail here.
    error_body eb;
    read_error ignored;
    (void)read_json_body(body, type_of<error_body>(), &eb, ignored);
    aws_error e;
    if (error_type_header && !error_type_header->empty()) e.type = sanitize_error_type(*error_type_header);
    else if (eb.code) e.type = sanitize_error_type(*eb.code);
    else if (eb.code_upper) e.type = sanitize_error_type(*eb.code_upper);
    else if (eb.type) e.type = sanitize_error_type(*eb.type);
    if (eb.message) e.message = std::move(*eb.message);
    else if (eb.message_upper) e.message = std::move(*eb.message_upper);
    return e;
}

} // namespace cleanroomsml::detail

#endif
