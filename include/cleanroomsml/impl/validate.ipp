#ifndef CLEANROOMSML_IMPL_VALIDATE_IPP
#define CLEANROOMSML_IMPL_VALIDATE_IPP

#include <cleanroomsml/detail/pattern.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/validate.hpp>

#include <boost/container/small_vector.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL std::int64_t utf8_length(std::string_view s) noexcept
{
    std::int64_t n = 0;
    for (std::size_t i = 0; i < s.size(); ++n) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        std::uint32_t cp;
        if (c < 0x80) { ++i; continue; }
        else if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; }
        else return -1;
        if (i + len > s.size()) return -1;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return -1;
            cp = (cp << 6) | (cc & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return -1;
        i += len;
    }
    return n;
}

namespace validate_impl {

struct walker {
    read_error* err;

    // Where the walk is: member names, list indexes and map keys, turned
    // into "a.b[2][key]" only when something fails.
    struct step {
        std::string_view name;  // a member or a map key
        std::size_t index = 0;
        bool is_index = false;
        bool is_key = false;
    };
    boost::container::small_vector<step, 16> at{};

    std::string path() const
    {
        std::string p;
        for (auto const& s : at) {
            if (s.is_index) p.append("[").append(std::to_string(s.index)).append("]");
            else if (s.is_key) p.append("[").append(s.name).append("]");
            else p.append(p.empty() ? "" : ".").append(s.name);
        }
        return p;
    }

    bool fail(std::string msg)
    {
        err->path = path();
        err->message = std::move(msg);
        return false;
    }

    static std::string num(double v)
    {
        if (v == std::trunc(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
        return std::to_string(v);
    }

    bool length(std::int64_t n, value_rules const& r, char const* unit)
    {
        if (r.min_length >= 0 && n < r.min_length)
            return fail("length " + std::to_string(n) + " is below the minimum of " + std::to_string(r.min_length) + unit);
        if (r.max_length >= 0 && n > r.max_length)
            return fail("length " + std::to_string(n) + " is above the maximum of " + std::to_string(r.max_length) + unit);
        return true;
    }

    bool string(std::string const& s, value_rules const* r)
    {
        auto n = utf8_length(s);
        if (n < 0) return fail("not valid UTF-8");
        if (!r) return true;
        if (r->enumeration && s.empty()) return fail("an enumeration value must not be empty");
        if (!length(n, *r, " characters")) return false;
        if (!r->reserved_prefix.empty() && s.size() >= r->reserved_prefix.size()) {
            bool same = true;
            for (std::size_t i = 0; i < r->reserved_prefix.size(); ++i) {
                char a = s[i], b = r->reserved_prefix[i];
                if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
                if (a != b) { same = false; break; }
            }
            if (same) return fail("the prefix \"" + std::string(r->reserved_prefix) + "\" is reserved for AWS use");
        }
        if (r->pattern) {
            auto const& p = r->pattern();
            if (p.match(s) != pattern_result::match)
                return fail("\"" + s + "\" does not match the pattern " + std::string(p.source()));
        }
        return true;
    }

    bool number(double v, value_rules const* r)
    {
        if (!r) return true;
        if (r->has_min && v < r->min) return fail("value " + num(v) + " is below the minimum of " + num(r->min));
        if (r->has_max && v > r->max) return fail("value " + num(v) + " is above the maximum of " + num(r->max));
        return true;
    }

    bool value(type_info const& t, void const* p, value_rules const* r)
    {
        switch (t.kind) {
        case value_kind::string: return string(t.string_cref(p), r);
        case value_kind::int8: return number(*static_cast<std::int8_t const*>(p), r);
        case value_kind::int16: return number(*static_cast<std::int16_t const*>(p), r);
        case value_kind::int32: return number(*static_cast<std::int32_t const*>(p), r);
        case value_kind::int64: return number(static_cast<double>(*static_cast<std::int64_t const*>(p)), r);
        case value_kind::float32: return number(*static_cast<float const*>(p), r);
        case value_kind::float64: return number(*static_cast<double const*>(p), r);
        case value_kind::boolean:
        case value_kind::timestamp: return true;
        case value_kind::structure: return structure(t, p);
        case value_kind::list: {
            std::size_t n = t.size(p);
            if (r && !length(static_cast<std::int64_t>(n), *r, " entries")) return false;
            auto const& et = t.element();
            for (std::size_t i = 0; i < n; ++i) {
                at.push_back({{}, i, true, false});
                if (!value(et, t.at(p, i), r ? r->element : nullptr)) return false;
                at.pop_back();
            }
            return true;
        }
        case value_kind::map: {
            if (r && !length(static_cast<std::int64_t>(t.size(p)), *r, " entries")) return false;
            struct ctx_t {
                walker* w;
                type_info const* vt;
                value_rules const* r;
                bool ok = true;
            } ctx{this, &t.element(), r};
            t.for_each(p, &ctx, [](void* c, std::string const& k, void const* v) {
                auto& x = *static_cast<ctx_t*>(c);
                if (!x.ok) return;
                x.w->at.push_back({k, 0, false, true});
                x.ok = x.w->string(k, x.r ? x.r->key : nullptr) && x.w->value(*x.vt, v, x.r ? x.r->element : nullptr);
                if (x.ok) x.w->at.pop_back();
            });
            return ctx.ok;
        }
        }
        return true;
    }

    bool structure(type_info const& t, void const* p)
    {
        if (t.is_union && !union_members(t, p)) return false;
        for (std::size_t i = 0; i < t.member_count; ++i) {
            auto const& m = t.members[i];
            void const* v = m.get(p);
            if (!v) continue;
            at.push_back({m.name});
            auto const& mt = m.type();
            if ((m.location == http_location::label || m.location == http_location::greedy_label) &&
                mt.kind == value_kind::string && mt.string_cref(v).empty())
                return fail("a URI label must not be empty");
            if (!value(mt, v, m.rules)) return false;
            at.pop_back();
        }
        return true;
    }

    // Exactly one member of a union is set. The names are listed only on failure.
    bool union_members(type_info const& t, void const* p)
    {
        std::size_t n = 0;
        for (std::size_t i = 0; i < t.member_count; ++i)
            if (t.members[i].get(p)) ++n;
        if (n == 1) return true;
        std::string names;
        for (std::size_t i = 0; i < t.member_count; ++i) {
            if (n > 1 && !t.members[i].get(p)) continue;
            if (!names.empty()) names += ", ";
            names += t.members[i].name;
        }
        if (n == 0) return fail("exactly one member of the union must be set (" + names + "); none is");
        return fail("exactly one member of the union must be set; " + std::to_string(n) + " are: " + names);
    }
};

} // namespace validate_impl

CLEANROOMSML_DECL error_code validate_shape(type_info const& ti, void const* obj, read_error& err)
{
    validate_impl::walker w{&err};
    if (w.structure(ti, obj)) return {};
    return client_errc::invalid_request;
}

} // namespace cleanroomsml::detail

#endif
