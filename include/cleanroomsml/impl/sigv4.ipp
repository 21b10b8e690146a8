#ifndef CLEANROOMSML_IMPL_SIGV4_IPP
#define CLEANROOMSML_IMPL_SIGV4_IPP

#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/detail/uri.hpp>

#include <openssl/crypto.h>

#include <algorithm>
#include <charconv>

namespace cleanroomsml::detail {

namespace sigv4_impl {

constexpr std::string_view algorithm = "AWS4-HMAC-SHA256";

constexpr char to_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool is_space(char c) noexcept
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/// ASCII case-insensitive equality against a lower-case literal.
constexpr bool equals_lower(std::string_view s, std::string_view lower) noexcept
{
    if (s.size() != lower.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (to_lower(s[i]) != lower[i]) return false;
    return true;
}

/// Trims both ends and collapses every inner run of whitespace to one space.
inline void append_header_value(std::string& out, std::string_view v)
{
    // Most values need no change: no space at either end, single inner spaces.
    bool plain = !v.empty() && !is_space(v.front()) && !is_space(v.back());
    for (std::size_t i = 0; plain && i < v.size(); ++i)
        if (static_cast<unsigned char>(v[i]) <= ' ')  // is_space's characters are all here
            plain = v[i] == ' ' ? !is_space(v[i + 1]) : !is_space(v[i]);
    if (plain) {
        out.append(v);
        return;
    }
    std::size_t b = 0, e = v.size();
    while (b < e && is_space(v[b])) ++b;
    while (e > b && is_space(v[e - 1])) --e;
    // Words are appended whole: values are mostly one long word (agents, ids).
    while (b < e) {
        std::size_t w = b;
        while (w < e && !is_space(v[w])) ++w;
        out.append(v.data() + b, w - b);
        if (w == e) break;
        out.push_back(' ');
        for (b = w; is_space(v[b]); ++b) {}  // stops inside: v[e - 1] is not a space
    }
}

/// Writes `YYYYMMDDTHHMMSSZ`.
inline void format_amz_date(std::chrono::system_clock::time_point t, std::array<char, 16>& out) noexcept
{
    using namespace std::chrono;
    auto const secs = floor<seconds>(t);
    auto const day = floor<days>(secs);
    year_month_day const ymd{day};
    hh_mm_ss const hms{secs - day};
    char* p = out.data();
    auto put = [&p](auto value, int width) {
        auto v = static_cast<unsigned>(value);
        for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
        p += width;
    };
    // system_clock's range (1677..2262 with libstdc++) keeps the year to four digits.
    put(static_cast<int>(ymd.year()), 4);
    put(static_cast<unsigned>(ymd.month()), 2);
    put(static_cast<unsigned>(ymd.day()), 2);
    *p++ = 'T';
    put(hms.hours().count(), 2);
    put(hms.minutes().count(), 2);
    put(hms.seconds().count(), 2);
    *p = 'Z';
}

/// Percent-decodes s and encodes it again with the SigV4 rules; text with a
/// malformed escape is encoded as it is ('%' becomes %25).
inline void append_query_component(std::string& out, std::string& scratch, std::string_view s)
{
    scratch.clear();
    if (percent_decode(scratch, s))
        percent_encode(out, scratch);
    else
        percent_encode(out, s);
}

/// Wipes the whole buffer of s, not only its current contents.
inline void scrub(std::string& s) noexcept
{
    s.resize(s.capacity()); // within capacity: no allocation
    OPENSSL_cleanse(s.data(), s.size());
    s.clear();
}

} // namespace sigv4_impl

// ---------------------------------------------------------------- key_cache

CLEANROOMSML_DECL signer::key_cache::key_cache(key_cache&& other) noexcept
    : secret(std::move(other.secret)), region(std::move(other.region)), service(std::move(other.service)),
      date(other.date), key(std::move(other.key)), valid(other.valid)
{
    other.wipe();
}

CLEANROOMSML_DECL signer::key_cache& signer::key_cache::operator=(key_cache&& other) noexcept
{
    if (this != &other) {
        wipe();
        secret = std::move(other.secret);
        region = std::move(other.region);
        service = std::move(other.service);
        date = other.date;
        key = std::move(other.key);
        valid = other.valid;
        other.wipe();
    }
    return *this;
}

CLEANROOMSML_DECL signer::key_cache::~key_cache() { wipe(); }

CLEANROOMSML_DECL void signer::key_cache::wipe() noexcept
{
    sigv4_impl::scrub(secret);
    key.wipe();
    region.clear();
    service.clear();
    date = {};
    valid = false;
}

// ---------------------------------------------------------------- construction

CLEANROOMSML_DECL signer::signer()
{
    // Typical sizes, so that the first requests do not grow them step by step.
    payload_hash_.reserve(64);
    scope_.reserve(64);
    names_.reserve(128);
    headers_.reserve(16);
    signed_headers_.reserve(128);
    canonical_.reserve(1024);
    string_to_sign_.reserve(160);
    authorization_.reserve(256);
    signature_.reserve(64);
}

CLEANROOMSML_DECL void signer::use_signing_key(std::string_view secret, std::string_view region,
                                               std::string_view service)
{
    std::string_view const date(amz_date_.data(), 8);
    auto& c = cache_;
    // Only the secret needs a constant-time comparison; its length is not secret.
    bool const hit = c.valid && std::string_view(c.date.data(), c.date.size()) == date && c.region == region &&
                     c.service == service && c.secret.size() == secret.size() + 4 &&
                     CRYPTO_memcmp(c.secret.data() + 4, secret.data(), secret.size()) == 0;
    if (hit) return;

    c.wipe();
    c.secret.reserve(secret.size() + 4); // one buffer, so no partial copy is left behind by a reallocation
    c.secret.append("AWS4").append(secret);
    c.region.assign(region);
    c.service.assign(service);
    std::copy(date.begin(), date.end(), c.date.begin());

    // kDate, kRegion, kService, kSigning: each step keyed by the one before.
    hmac_sha256 step(c.secret);
    auto k = step.mac(date);
    for (std::string_view part : {region, service, std::string_view("aws4_request")}) {
        step.set_key(k.data(), k.size());
        k = step.mac(part);
    }
    step.set_key(k.data(), k.size());  // the signing key, on the same OpenSSL context
    OPENSSL_cleanse(k.data(), k.size());
    c.key = std::move(step);
    c.valid = true;
    ++derivations_;
}

// ---------------------------------------------------------------- canonical request

CLEANROOMSML_DECL void signer::begin(credentials const& creds, sigv4_request const& req, sigv4_params const& params)
{
    sigv4_impl::format_amz_date(params.time, amz_date_);

    scope_.clear();
    scope_.append(amz_date_.data(), 8).append(1, '/');
    scope_.append(params.region).append(1, '/').append(params.service).append("/aws4_request");

    payload_hash_.clear();
    if (!req.payload_hash.empty()) {
        payload_hash_.assign(req.payload_hash);
    } else if (req.payload.empty()) {
        // Most calls (every GET and DELETE) have no body: skip hashing it.
        payload_hash_.assign("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    } else {
        append_hex(payload_hash_, digest_.digest(req.payload));
    }

    token_.assign(creds.session_token);

    canonical_.clear();
    canonical_.append(req.method).append(1, '\n');
    append_canonical_uri(req.path, params);
    canonical_.push_back('\n');

    query_.clear();
    query_arena_.clear();
    add_query(req.query);
}

CLEANROOMSML_DECL void signer::append_canonical_uri(std::string_view path, sigv4_params const& params)
{
    std::string_view p = path;
    if (params.normalize_path) {
        path_.clear();
        for (std::size_t i = 0; i <= path.size();) {
            auto end = path.find('/', i);
            if (end == std::string_view::npos) end = path.size();
            auto const segment = path.substr(i, end - i);
            i = end + 1;
            if (segment.empty() || segment == ".") continue;
            if (segment == "..") {
                auto const up = path_.rfind('/');
                path_.resize(up == std::string::npos ? 0 : up);
                continue;
            }
            path_.append(1, '/').append(segment);
        }
        if (path_.empty())
            path_.push_back('/');
        else if (path.back() == '/')
            path_.push_back('/');
        p = path_;
    }
    if (p.empty()) p = "/";
    if (params.double_encode_path)
        percent_encode(canonical_, p, true);
    else
        canonical_.append(p);
}

CLEANROOMSML_DECL void signer::add_query(std::string_view query)
{
    for (std::size_t i = 0; i < query.size();) {
        auto end = query.find('&', i);
        if (end == std::string_view::npos) end = query.size();
        auto const pair = query.substr(i, end - i);
        i = end + 1;
        if (pair.empty()) continue;
        auto const eq = pair.find('=');
        auto const name = pair.substr(0, eq);
        auto const value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        auto const offset = query_arena_.size();
        sigv4_impl::append_query_component(query_arena_, decoded_, name);
        auto const name_end = query_arena_.size();
        sigv4_impl::append_query_component(query_arena_, decoded_, value);
        query_.push_back({static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(name_end - offset),
                          static_cast<std::uint32_t>(query_arena_.size() - name_end)});
    }
}

CLEANROOMSML_DECL void signer::append_canonical_query()
{
    auto name = [this](query_entry const& e) { return std::string_view(query_arena_).substr(e.offset, e.name_size); };
    auto value = [this](query_entry const& e) {
        return std::string_view(query_arena_).substr(e.offset + e.name_size, e.value_size);
    };
    std::sort(query_.begin(), query_.end(), [&](query_entry const& a, query_entry const& b) {
        auto const an = name(a), bn = name(b);
        return an != bn ? an < bn : value(a) < value(b);
    });
    bool first = true;
    for (auto const& e : query_) {
        if (!first) canonical_.push_back('&');
        first = false;
        canonical_.append(name(e)).append(1, '=').append(value(e));
    }
}

CLEANROOMSML_DECL void signer::add_header(std::string_view name, std::string_view value, std::uint32_t order)
{
    auto const offset = names_.size();
    names_.resize(offset + name.size());
    char* w = names_.data() + offset;
    for (char c : name) *w++ = sigv4_impl::to_lower(c);
    headers_.push_back(
        {static_cast<std::uint32_t>(offset), static_cast<std::uint32_t>(name.size()), order, value});
}

CLEANROOMSML_DECL void signer::collect_headers(sigv4_request const& req, bool own_token, bool own_content_hash)
{
    using sigv4_impl::equals_lower;
    names_.clear();
    headers_.clear();
    std::uint32_t order = 0;
    for (auto const& [name, value] : req.headers) {
        ++order;
        if (name.empty() || equals_lower(name, "authorization") || equals_lower(name, "x-amz-date") ||
            (own_token && equals_lower(name, "x-amz-security-token")) ||
            (own_content_hash && equals_lower(name, "x-amz-content-sha256")))
            continue;
        add_header(name, value, order);
    }
}

CLEANROOMSML_DECL void signer::sort_headers()
{
    auto name = [this](header_entry const& e) { return std::string_view(names_).substr(e.name_offset, e.name_size); };
    std::sort(headers_.begin(), headers_.end(), [&](header_entry const& a, header_entry const& b) {
        auto const an = name(a), bn = name(b);
        return an != bn ? an < bn : a.order < b.order;
    });
    signed_headers_.clear();
    for (std::size_t i = 0; i < headers_.size(); ++i) {
        auto const n = name(headers_[i]);
        if (i != 0 && n == name(headers_[i - 1])) continue;
        if (i != 0) signed_headers_.push_back(';');
        signed_headers_.append(n);
    }
}

CLEANROOMSML_DECL void signer::append_canonical_headers()
{
    auto name = [this](header_entry const& e) { return std::string_view(names_).substr(e.name_offset, e.name_size); };
    for (std::size_t i = 0; i < headers_.size();) {
        auto const n = name(headers_[i]);
        canonical_.append(n).append(1, ':');
        sigv4_impl::append_header_value(canonical_, headers_[i].value);
        for (++i; i < headers_.size() && name(headers_[i]) == n; ++i) {
            canonical_.push_back(',');
            sigv4_impl::append_header_value(canonical_, headers_[i].value);
        }
        canonical_.push_back('\n');
    }
}

CLEANROOMSML_DECL void signer::finish(credentials const& creds, sigv4_params const& params)
{
    auto const hash = digest_.digest(canonical_);
    string_to_sign_.clear();
    string_to_sign_.append(sigv4_impl::algorithm).append(1, '\n');
    string_to_sign_.append(amz_date_.data(), amz_date_.size()).append(1, '\n');
    string_to_sign_.append(scope_).append(1, '\n');
    append_hex(string_to_sign_, hash);

    use_signing_key(creds.secret_access_key, params.region, params.service);
    signature_.clear();
    append_hex(signature_, cache_.key.mac(string_to_sign_));
}

// ---------------------------------------------------------------- signing

CLEANROOMSML_DECL std::span<sigv4_header const>
signer::sign_headers(credentials const& creds, sigv4_request const& req, sigv4_params const& params)
{
    bool const has_token = !creds.session_token.empty();
    begin(creds, req, params);
    collect_headers(req, has_token, params.sign_payload_header);
    auto order = static_cast<std::uint32_t>(req.headers.size());
    std::string_view const amz_date(amz_date_.data(), amz_date_.size());
    add_header("x-amz-date", amz_date, ++order);
    if (has_token && !params.omit_session_token) add_header("x-amz-security-token", token_, ++order);
    if (params.sign_payload_header) add_header("x-amz-content-sha256", payload_hash_, ++order);

    sort_headers();

    append_canonical_query();
    canonical_.push_back('\n');
    append_canonical_headers();
    canonical_.append(1, '\n').append(signed_headers_).append(1, '\n').append(payload_hash_);
    finish(creds, params);

    authorization_.clear();
    authorization_.append(sigv4_impl::algorithm).append(" Credential=").append(creds.access_key_id);
    authorization_.append(1, '/').append(scope_);
    authorization_.append(", SignedHeaders=").append(signed_headers_);
    authorization_.append(", Signature=").append(signature_);

    std::size_t n = 0;
    out_[n++] = {"X-Amz-Date", amz_date};
    if (has_token) out_[n++] = {"X-Amz-Security-Token", token_};
    if (params.sign_payload_header) out_[n++] = {"X-Amz-Content-SHA256", payload_hash_};
    out_[n++] = {"Authorization", authorization_};
    return {out_.data(), n};
}

CLEANROOMSML_DECL std::string_view
signer::presign_query(credentials const& creds, sigv4_request const& req, sigv4_params const& params)
{
    bool const has_token = !creds.session_token.empty();
    begin(creds, req, params);
    collect_headers(req, has_token, false);
    sort_headers(); // the signed header list is one of the query parameters

    auto& q = presigned_query_;
    q.clear();
    q.append("X-Amz-Algorithm=").append(sigv4_impl::algorithm);
    q.append("&X-Amz-Credential=");
    percent_encode(q, creds.access_key_id);
    q.append("%2F");
    percent_encode(q, scope_);
    q.append("&X-Amz-Date=").append(amz_date_.data(), amz_date_.size());
    char expires[24];
    auto const [end, ec] = std::to_chars(std::begin(expires), std::end(expires), params.expires.count());
    (void)ec; // 24 characters hold any 64-bit count
    q.append("&X-Amz-Expires=").append(expires, end);
    q.append("&X-Amz-SignedHeaders=");
    percent_encode(q, signed_headers_);
    bool const sign_token = has_token && !params.omit_session_token;
    if (sign_token) {
        q.append("&X-Amz-Security-Token=");
        percent_encode(q, token_);
    }

    add_query(q);
    append_canonical_query();
    canonical_.push_back('\n');
    append_canonical_headers();
    canonical_.append(1, '\n').append(signed_headers_).append(1, '\n').append(payload_hash_);
    finish(creds, params);

    if (has_token && !sign_token) {
        q.append("&X-Amz-Security-Token=");
        percent_encode(q, token_);
    }
    q.append("&X-Amz-Signature=").append(signature_);
    return q;
}

} // namespace cleanroomsml::detail

#endif
