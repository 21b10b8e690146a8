#ifndef CLEANROOMSML_IMPL_ENDPOINT_IPP
#define CLEANROOMSML_IMPL_ENDPOINT_IPP

#include <cleanroomsml/endpoint.hpp>
#include <cleanroomsml/detail/endpoint_lib.hpp>
#include <cleanroomsml/detail/uri.hpp>
#include <cleanroomsml/model/endpoint_rules.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroomsml::detail::endpoint_lib {

namespace endpoint_impl {

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

constexpr bool is_alnum(char c) noexcept
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

constexpr bool is_hex(char c) noexcept
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// Dotted-quad IPv4, each part 0..255 without leading zeros.
inline bool is_ipv4(std::string_view s) noexcept
{
    int parts = 0;
    while (true) {
        std::size_t n = 0;
        unsigned v = 0;
        while (n < s.size() && is_digit(s[n])) {
            v = v * 10 + static_cast<unsigned>(s[n] - '0');
            if (++n > 3) return false;
        }
        if (n == 0 || v > 255 || (n > 1 && s[0] == '0')) return false;
        ++parts;
        s.remove_prefix(n);
        if (s.empty()) return parts == 4;
        if (s[0] != '.' || parts == 4) return false;
        s.remove_prefix(1);
    }
}

// RFC 4291 text form: up to eight groups of 1-4 hex digits, at most one "::",
// optionally ending in a dotted-quad IPv4 address (worth two groups).
inline bool is_ipv6(std::string_view s) noexcept
{
    if (s.empty()) return false;
    int groups = 0;
    bool compressed = false;
    std::size_t i = 0;
    if (s.substr(0, 2) == "::") {
        compressed = true;
        i = 2;
        if (i == s.size()) return true;
    } else if (s[0] == ':') {
        return false;
    }
    while (i < s.size()) {
        std::size_t j = i;
        while (j < s.size() && is_hex(s[j]) && j - i < 5) ++j;
        if (j < s.size() && s[j] == '.') {  // trailing IPv4
            if (!is_ipv4(s.substr(i))) return false;
            groups += 2;
            i = s.size();
            break;
        }
        if (j == i || j - i > 4) return false;
        ++groups;
        i = j;
        if (i == s.size()) break;
        if (s[i] != ':') return false;
        ++i;
        if (i < s.size() && s[i] == ':') {
            if (compressed) return false;
            compressed = true;
            ++i;
        } else if (i == s.size()) {
            return false;  // a single trailing ':'
        }
    }
    return compressed ? groups < 8 : groups == 8;
}

// RFC 3986 reg-name restricted to what a DNS name or local host name uses.
inline bool is_reg_name(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-' && c != '.' && c != '_' && c != '~') return false;
    return true;
}

inline bool is_label(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 63 || s.front() == '-' || s.back() == '-') return false;
    for (char c : s)
        if (!is_alnum(c) && c != '-') return false;
    return true;
}

} // namespace endpoint_impl

CLEANROOMSML_DECL std::optional<url_parts> parse_url(std::string_view url)
{
    using namespace endpoint_impl;
    for (char ch : url) {
        auto c = static_cast<unsigned char>(ch);
        if (c <= 0x20 || c >= 0x7F || ch == '\\') return std::nullopt;
    }
    auto sep = url.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    url_parts u;
    for (char c : url.substr(0, sep))
        u.scheme.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (u.scheme != "http" && u.scheme != "https") return std::nullopt;

    auto rest = url.substr(sep + 3);
    auto end = rest.find_first_of("/?#");
    auto authority = rest.substr(0, end);
    auto path = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
    if (path.find_first_of("?#") != std::string_view::npos) return std::nullopt;
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;

    std::string_view host, port;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = authority.substr(1, close - 1);
        if (!is_ipv6(host)) return std::nullopt;
        u.is_ip = true;
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port = after.substr(1);
            if (port.empty()) return std::nullopt;
        }
    } else {
        auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) return std::nullopt;
        }
        bool numeric = true;
        for (char c : host)
            if (!is_digit(c) && c != '.') numeric = false;
        if (numeric && !host.empty()) {
            if (!is_ipv4(host)) return std::nullopt;  // digits and dots must be an address
            u.is_ip = true;
        } else if (!is_reg_name(host)) {
            return std::nullopt;
        }
    }
    if (!port.empty()) {
        unsigned v = 0;
        if (port.size() > 5) return std::nullopt;
        for (char c : port) {
            if (!is_digit(c)) return std::nullopt;
            v = v * 10 + static_cast<unsigned>(c - '0');
        }
        if (v > 65535) return std::nullopt;
        u.port = static_cast<std::uint16_t>(v);
    } else {
        u.port = u.scheme == "https" ? 443 : 80;
    }
    u.authority = authority;
    u.host = host;
    u.path = path;
    u.normalized_path = path;
    if (u.normalized_path.empty() || u.normalized_path.front() != '/') u.normalized_path.insert(0, 1, '/');
    if (u.normalized_path.back() != '/') u.normalized_path.push_back('/');
    return u;
}

CLEANROOMSML_DECL bool is_valid_host_label(std::string_view value, bool allow_sub_domains) noexcept
{
    if (!allow_sub_domains) return endpoint_impl::is_label(value);
    while (true) {
        auto dot = value.find('.');
        if (!endpoint_impl::is_label(value.substr(0, dot))) return false;
        if (dot == std::string_view::npos) return true;
        value.remove_prefix(dot + 1);
    }
}

CLEANROOMSML_DECL std::string uri_encode(std::string_view value)
{
    std::string out;
    detail::percent_encode(out, value);
    return out;
}

CLEANROOMSML_DECL std::optional<std::string> substring(std::string_view value, int start, int stop, bool reverse)
{
    for (char c : value)
        if (static_cast<unsigned char>(c) >= 0x80) return std::nullopt;
    auto size = static_cast<long long>(value.size());
    if (start < 0 || start >= stop || stop > size) return std::nullopt;
    long long from = reverse ? size - stop : start;
    long long to = reverse ? size - start : stop;
    return std::string(value.substr(static_cast<std::size_t>(from), static_cast<std::size_t>(to - from)));
}

CLEANROOMSML_DECL std::string json_escape(std::string_view value)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(value.size());
    for (char ch : value) {
        auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out.push_back(hex[c >> 4]);
                out.push_back(hex[c & 0xf]);
            } else {
                out.push_back(ch);
            }
        }
    }
    return out;
}

CLEANROOMSML_DECL std::string concat(std::initializer_list<std::string_view> parts)
{
    std::size_t n = 0;
    for (auto p : parts) n += p.size();
    std::string out;
    out.reserve(n);
    for (auto p : parts) out += p;
    return out;
}

} // namespace cleanroomsml::detail::endpoint_lib

namespace cleanroomsml {

CLEANROOMSML_DECL boost::system::result<endpoint> resolve_endpoint(endpoint_params const& params,
                                                                   diagnostics& diag)
{
    namespace lib = detail::endpoint_lib;
    namespace rules = detail::endpoint_rules;
    auto fail = [&diag](std::string message, std::string_view path) -> boost::system::result<endpoint> {
        diag.message = std::move(message);
        diag.path = path;
        return make_error_code(client_errc::invalid_endpoint);
    };

    // The region becomes a host name label (and the SigV4 scope): the rules
    // insert it as it is, so anything else is refused before they run.
    if (!params.region.empty() && !lib::is_valid_host_label(params.region, false))
        return fail("Invalid Configuration: the region \"" + params.region +
                        "\" is not a valid host label (letters, digits and '-')",
                    "region");

    auto r = rules::resolve(rules::make_params(params));
    if (r.error) return fail(std::move(r.message), "");

    // A custom endpoint is passed through by the rules unchecked.
    if (!lib::parse_url(r.url))
        return fail("Invalid Configuration: the endpoint URL is not an absolute http or https URL "
                    "with a host (no user info, query or fragment)",
                    params.endpoint ? "endpoint" : "");

    endpoint e;
    e.url = std::move(r.url);
    e.headers = std::move(r.headers);
    e.properties = std::move(r.properties);
    if (!r.auth_scheme.empty()) e.auth_scheme = std::move(r.auth_scheme);
    e.signing_name = r.signing_name.empty() ? std::string(rules::default_signing_name) : std::move(r.signing_name);
    e.signing_region = r.signing_region.empty() ? params.region : std::move(r.signing_region);
    return e;
}

CLEANROOMSML_DECL boost::system::result<endpoint> resolve_endpoint(endpoint_params const& params)
{
    diagnostics diag;
    return resolve_endpoint(params, diag);
}

} // namespace cleanroomsml

#endif
