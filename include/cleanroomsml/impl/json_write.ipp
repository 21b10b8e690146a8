#ifndef CLEANROOMSML_IMPL_JSON_WRITE_IPP
#define CLEANROOMSML_IMPL_JSON_WRITE_IPP

#include <cleanroomsml/detail/json_write.hpp>

#include <charconv>
#include <cmath>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL void write_json_string(std::string& out, std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.reserve(out.size() + s.size() + 2);
    out.push_back('"');
    std::size_t run = 0;  // start of the pending run that needs no escaping
    for (std::size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        out.push_back('\\');
        switch (c) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '\n': out.push_back('n'); break;
        case '\r': out.push_back('r'); break;
        case '\t': out.push_back('t'); break;
        case '\b': out.push_back('b'); break;
        case '\f': out.push_back('f'); break;
        default:
            out += "u00";
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xf]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

CLEANROOMSML_DECL void write_json_double(std::string& out, double v, bool single_precision)
{
    if (std::isnan(v)) { out += "\"NaN\""; return; }
    if (std::isinf(v)) { out += v > 0 ? "\"Infinity\"" : "\"-Infinity\""; return; }
    char buf[64];
    auto r = single_precision ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v))
                              : std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

template <class I>
void write_json_integer(std::string& out, I v)
{
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

struct json_map_writer {
    std::string* out;
    type_info const* value_type;
    timestamp_format format;
    bool first = true;
};

CLEANROOMSML_DECL void write_json_value(std::string& out, type_info const& ti, void const* p,
                                        timestamp_format format)
{
    switch (ti.kind) {
    case value_kind::string: write_json_string(out, ti.string_cref(p)); return;
    case value_kind::boolean: out += *static_cast<bool const*>(p) ? "true" : "false"; return;
    case value_kind::int8: write_json_integer(out, int{*static_cast<std::int8_t const*>(p)}); return;
    case value_kind::int16: write_json_integer(out, int{*static_cast<std::int16_t const*>(p)}); return;
    case value_kind::int32: write_json_integer(out, *static_cast<std::int32_t const*>(p)); return;
    case value_kind::int64: write_json_integer(out, *static_cast<std::int64_t const*>(p)); return;
    case value_kind::float32: write_json_double(out, *static_cast<float const*>(p), true); return;
    case value_kind::float64: write_json_double(out, *static_cast<double const*>(p), false); return;
    case value_kind::timestamp: {
        auto t = *static_cast<timestamp const*>(p);
        if (format == timestamp_format::epoch_seconds) {
            format_timestamp(out, t, format);  // a JSON number
        } else {
            out.push_back('"');
            format_timestamp(out, t, format);
            out.push_back('"');
        }
        return;
    }
    case value_kind::structure: write_json_body(out, ti, p); return;
    case value_kind::list: {
        auto const& et = ti.element();
        std::size_t n = ti.size(p);
        out.push_back('[');
        for (std::size_t i = 0; i < n; ++i) {
            if (i) out.push_back(',');
            write_json_value(out, et, ti.at(p, i), format);
        }
        out.push_back(']');
        return;
    }
    case value_kind::map: {
        json_map_writer w{&out, &ti.element(), format};
        out.push_back('{');
        ti.for_each(p, &w, [](void* ctx, std::string const& k, void const* v) {
            auto& w = *static_cast<json_map_writer*>(ctx);
            if (!w.first) w.out->push_back(',');
            w.first = false;
            write_json_string(*w.out, k);
            w.out->push_back(':');
            write_json_value(*w.out, *w.value_type, v, w.format);
        });
        out.push_back('}');
        return;
    }
    }
}

CLEANROOMSML_DECL void write_json_body(std::string& out, type_info const& ti, void const* p)
{
    out.push_back('{');
    bool first = true;
    for (std::size_t i = 0; i < ti.member_count; ++i) {
        auto const& m = ti.members[i];
        if (m.location != http_location::body) continue;
        void const* v = m.get(p);
        if (!v) continue;
        if (!first) out.push_back(',');
        first = false;
        write_json_string(out, m.name);
        out.push_back(':');
        write_json_value(out, m.type(), v, m.format);
    }
    out.push_back('}');
}

} // namespace cleanroomsml::detail

#endif
