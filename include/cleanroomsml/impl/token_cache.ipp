#ifndef CLEANROOMSML_IMPL_TOKEN_CACHE_IPP
#define CLEANROOMSML_IMPL_TOKEN_CACHE_IPP

#include <cleanroomsml/detail/token_cache.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/evp.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cleanroomsml::detail {

namespace token_cache_impl {

inline std::string digest_hex(EVP_MD const* md, std::string_view text)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_Digest(text.data(), text.size(), out, &n, md, nullptr) != 1) return {};
    static constexpr char hex[] = "0123456789abcdef";
    std::string r;
    r.reserve(2 * n);
    for (unsigned i = 0; i < n; ++i) {
        r += hex[out[i] >> 4];
        r += hex[out[i] & 15];
    }
    return r;
}

inline error_code last_errno() { return error_code(errno, boost::system::system_category()); }

inline void append_u16(std::string& out, unsigned v)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4) out += hex[(v >> s) & 15];
}

// Python's json string escaping with ensure_ascii: everything outside
// printable ASCII as \uXXXX (UTF-16, lower-case hex). The input is valid
// UTF-8 (Boost.JSON checked it).
inline void dump_string(std::string& out, std::string_view s)
{
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20 || c == 0x7f) append_u16(out, c);
                else out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
        unsigned cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0f : 0x1f);
        for (int k = 1; k < len && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        i += len;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_u16(out, 0xd800 + (cp >> 10));
            append_u16(out, 0xdc00 + (cp & 0x3ff));
        } else {
            append_u16(out, cp);
        }
    }
    out += '"';
}

// Python's repr(float): the shortest digits that round-trip, positional for
// exponents -4..15 (with ".0" when integral), else d.ddde+XX.
inline void dump_double(std::string& out, double d)
{
    if (d != d) { out += "NaN"; return; }
    if (d == 1.0 / 0.0) { out += "Infinity"; return; }
    if (d == -1.0 / 0.0) { out += "-Infinity"; return; }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
    bool const neg = !sci.empty() && sci[0] == '-';
    if (neg) sci.remove_prefix(1);
    auto const e = sci.find('e');
    std::string digits;
    for (char ch : sci.substr(0, e))
        if (ch != '.') digits += ch;
    int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
    if (neg) out += '-';
    if (exp >= -4 && exp < 16) {
        if (exp < 0) {
            out += "0.";
            out.append(static_cast<std::size_t>(-exp - 1), '0');
            out += digits;
        } else if (static_cast<int>(digits.size()) <= exp + 1) {
            out += digits;
            out.append(static_cast<std::size_t>(exp + 1) - digits.size(), '0');
            out += ".0";
        } else {
            out += digits.substr(0, static_cast<std::size_t>(exp + 1));
            out += '.';
            out += digits.substr(static_cast<std::size_t>(exp + 1));
        }
        return;
    }
    out += digits[0];
    if (digits.size() > 1) {
        out += '.';
        out += digits.substr(1);
    }
    out += exp < 0 ? "e-" : "e+";
    int a = exp < 0 ? -exp : exp;
    if (a < 10) out += '0';
    out += std::to_string(a);
}

inline void dump(std::string& out, boost::json::value const& v)
{
    switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: out += std::to_string(v.get_int64()); break;
    case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case boost::json::kind::double_: dump_double(out, v.get_double()); break;
    case boost::json::kind::string: dump_string(out, v.get_string()); break;
    case boost::json::kind::array: {
        out += '[';
        bool first = true;
        for (auto const& e : v.get_array()) {
            if (!first) out += ", ";
            first = false;
            dump(out, e);
        }
        out += ']';
        break;
    }
    case boost::json::kind::object: {
        out += '{';
        bool first = true;
        for (auto const& kv : v.get_object()) {
            if (!first) out += ", ";
            first = false;
            dump_string(out, kv.key());
            out += ": ";
            dump(out, kv.value());
        }
        out += '}';
        break;
    }
    }
}

inline bool make_dirs(std::string const& dir)
{
    std::string partial;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
        pos = dir.find('/', pos + 1);
        partial = dir.substr(0, pos);
        if (partial.empty()) continue;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) return false;
    }
    return true;
}

} // namespace token_cache_impl

CLEANROOMSML_DECL std::string sha1_hex(std::string_view text)
{
    return token_cache_impl::digest_hex(EVP_sha1(), text);
}

CLEANROOMSML_DECL bool read_json_object_file(std::string const& path, boost::json::object& out, error_code& ec,
                                             std::string& why)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ec = token_cache_impl::last_errno();
        why = path + ": " + ec.message();
        return false;
    }
    std::string text;
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > (1u << 20)) {
            ec = client_errc::invalid_configuration;
            why = path + ": larger than 1 MiB";
            return false;
        }
    }
    boost::system::error_code jec;
    boost::json::value v = boost::json::parse(text, jec);
    if (jec) {
        ec = client_errc::invalid_configuration;
        why = path + ": not JSON (" + jec.message() + ")";
        return false;
    }
    if (!v.is_object()) {
        ec = client_errc::invalid_configuration;
        why = path + ": not a JSON object";
        return false;
    }
    out = std::move(v.get_object());
    return true;
}

CLEANROOMSML_DECL std::string python_json_dumps(boost::json::value const& v)
{
    std::string out;
    token_cache_impl::dump(out, v);
    return out;
}

CLEANROOMSML_DECL bool write_file_atomically(std::string const& dir, std::string const& name,
                                             std::string_view content, error_code& ec, std::string& why)
{
    if (!token_cache_impl::make_dirs(dir)) {
        ec = token_cache_impl::last_errno();
        why = "cannot create " + dir + ": " + ec.message();
        return false;
    }
    std::string tmp = dir + "/" + name + ".XXXXXX.tmp";
    int fd = ::mkstemps(tmp.data(), 4);  // 0600
    if (fd < 0) {
        ec = token_cache_impl::last_errno();
        why = "cannot create a temporary file in " + dir + ": " + ec.message();
        return false;
    }
    std::size_t done = 0;
    bool ok = true;
    while (ok && done < content.size()) {
        ssize_t n = ::write(fd, content.data() + done, content.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) ok = false;
        else done += static_cast<std::size_t>(n);
    }
    if (ok && ::fsync(fd) != 0) ok = false;
    if (!ok) ec = token_cache_impl::last_errno();
    if (::close(fd) != 0 && ok) {
        ok = false;
        ec = token_cache_impl::last_errno();
    }
    std::string const target = dir + "/" + name;
    if (ok && ::rename(tmp.c_str(), target.c_str()) != 0) {
        ok = false;
        ec = token_cache_impl::last_errno();
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        why = "cannot write " + target + ": " + ec.message();
    }
    return ok;
}

CLEANROOMSML_DECL std::optional<timestamp> parse_cache_time(std::string_view text)
{
    timestamp t;
    if (parse_date_time(text, t)) return t;
    if (text.size() > 3 && text.substr(text.size() - 3) == "UTC") {
        std::string z(text.substr(0, text.size() - 3));
        z += 'Z';
        if (parse_date_time(z, t)) return t;
    }
    return std::nullopt;
}

CLEANROOMSML_DECL std::string format_cache_time(timestamp t)
{
    std::string s;
    // Whole seconds rounded down, as Python's strftime drops microseconds
    // (time_point_cast would round times before 1970 up).
    format_timestamp(s, std::chrono::floor<std::chrono::seconds>(t), timestamp_format::date_time);
    return s;
}

CLEANROOMSML_DECL std::optional<std::string_view> string_member(boost::json::object const& o, std::string_view key)
{
    auto const* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string_view(v->get_string());
}

CLEANROOMSML_DECL bool parse_sso_token(boost::json::object const& o, sso_cached_token& out, std::string& why)
{
    auto const access = string_member(o, "accessToken");
    auto const expires = string_member(o, "expiresAt");
    auto const when = expires ? parse_cache_time(*expires) : std::nullopt;
    if (!access || access->empty() || !when) {
        why = !access || access->empty() ? "no accessToken" : "no valid expiresAt";
        return false;
    }
    out.access_token = std::string(*access);
    out.expires_at = *when;
    return true;
}

CLEANROOMSML_DECL bool parse_login_session(boost::json::object const& o, login_cached_session& out, std::string& why)
{
    std::string missing;
    for (char const* key : {"accessToken", "refreshToken", "dpopKey", "clientId"})
        if (!o.contains(key)) missing += (missing.empty() ? "" : ", ") + std::string(key);
    if (!missing.empty()) {
        why = "lacks required fields: " + missing;
        return false;
    }
    auto const client_id = string_member(o, "clientId");
    auto const refresh_token = string_member(o, "refreshToken");
    auto const dpop_key = string_member(o, "dpopKey");
    if (!client_id || !refresh_token || !dpop_key) {
        why = "clientId, refreshToken or dpopKey is not a string";
        return false;
    }
    auto const* a = o.at("accessToken").if_object();
    auto const id = a ? string_member(*a, "accessKeyId") : std::nullopt;
    auto const secret = a ? string_member(*a, "secretAccessKey") : std::nullopt;
    auto const session = a ? string_member(*a, "sessionToken") : std::nullopt;
    auto const exp = a ? string_member(*a, "expiresAt") : std::nullopt;
    auto const when = exp ? parse_cache_time(*exp) : std::nullopt;
    if (!id || !secret || !session || !when || id->empty() || secret->empty()) {
        why = "accessToken lacks accessKeyId, secretAccessKey, sessionToken or a valid expiresAt";
        return false;
    }
    out.access_key_id = std::string(*id);
    out.secret_access_key = std::string(*secret);
    out.session_token = std::string(*session);
    out.account_id.reset();
    if (auto acct = string_member(*a, "accountId"); acct && !acct->empty()) out.account_id = std::string(*acct);
    out.expires_at = *when;
    out.client_id = std::string(*client_id);
    out.refresh_token = std::string(*refresh_token);
    out.dpop_key = std::string(*dpop_key);
    return true;
}

} // namespace cleanroomsml::detail

#endif
