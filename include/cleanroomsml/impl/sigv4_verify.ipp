#ifndef CLEANROOMSML_IMPL_SIGV4_VERIFY_IPP
#define CLEANROOMSML_IMPL_SIGV4_VERIFY_IPP

#include <cleanroomsml/detail/sigv4_verify.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/beast/core/string.hpp>

#include <openssl/crypto.h>

#include <optional>
#include <vector>

namespace cleanroomsml::detail {

namespace sigv4_verify_impl {

using boost::beast::iequals;

inline std::optional<std::string_view> header(std::span<sigv4_header const> hs, std::string_view name)
{
    for (auto const& [k, v] : hs)
        if (iequals(k, name)) return v;
    return std::nullopt;
}

// "Key=value" among the comma-separated parts of the Authorization header.
inline std::optional<std::string_view> field(std::string_view params, std::string_view key)
{
    while (!params.empty()) {
        auto comma = params.find(',');
        auto part = params.substr(0, comma);
        params = comma == std::string_view::npos ? std::string_view{} : params.substr(comma + 1);
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        if (part.size() > key.size() && part.substr(0, key.size()) == key && part[key.size()] == '=')
            return part.substr(key.size() + 1);
    }
    return std::nullopt;
}

// "20240101T000000Z" -> a time point.
inline bool parse_amz_date(std::string_view s, timestamp& t)
{
    if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return false;
    std::string iso;
    iso.reserve(20);
    iso.append(s.substr(0, 4)).append("-").append(s.substr(4, 2)).append("-").append(s.substr(6, 2));
    iso.append("T").append(s.substr(9, 2)).append(":").append(s.substr(11, 2)).append(":").append(s.substr(13, 2));
    iso.append("Z");
    return parse_date_time(iso, t);
}

} // namespace sigv4_verify_impl

CLEANROOMSML_DECL sigv4_verdict verify_sigv4(signer& s, std::string_view method, std::string_view path, std::string_view query,
                                             std::span<sigv4_header const> headers, std::string_view body,
                                             sigv4_expectation const& expect)
{
    using namespace sigv4_verify_impl;
    sigv4_verdict v;
    auto fail = [&](sigv4_outcome o, std::string msg) {
        v.outcome = o;
        v.message = std::move(msg);
        return v;
    };
    auto auth = header(headers, "authorization");
    if (!auth) return fail(sigv4_outcome::missing, "Missing Authentication Token");
    auto date = header(headers, "x-amz-date");
    if (!date) return fail(sigv4_outcome::missing, "Authorization header requires the X-Amz-Date header");

    constexpr std::string_view algorithm = "AWS4-HMAC-SHA256 ";
    std::string_view a = *auth;
    if (a.substr(0, algorithm.size()) != algorithm)
        return fail(sigv4_outcome::malformed, "Authorization header does not use AWS4-HMAC-SHA256");
    a.remove_prefix(algorithm.size());
    auto credential = field(a, "Credential");
    auto signed_headers = field(a, "SignedHeaders");
    auto signature = field(a, "Signature");
    if (!credential || !signed_headers || !signature)
        return fail(sigv4_outcome::malformed,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters");

    // Credential=AKID/yyyymmdd/region/service/aws4_request
    std::string_view parts[5];
    std::string_view rest = *credential;
    for (int i = 0; i < 5; ++i) {
        auto slash = rest.find('/');
        if ((slash == std::string_view::npos) != (i == 4))
            return fail(sigv4_outcome::malformed, "malformed credential scope '" + std::string(*credential) + "'");
        parts[i] = rest.substr(0, slash);
        rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    }
    v.access_key_id = parts[0];
    if (parts[4] != "aws4_request")
        return fail(sigv4_outcome::malformed, "credential scope must end with 'aws4_request'");
    timestamp t;
    if (!parse_amz_date(*date, t)) return fail(sigv4_outcome::malformed, "X-Amz-Date is not yyyyMMddTHHmmssZ");
    if (parts[1] != date->substr(0, 8))
        return fail(sigv4_outcome::wrong_scope, "credential scope date " + std::string(parts[1]) +
                                                    " does not match X-Amz-Date " + std::string(*date));
    if (parts[2] != expect.region)
        return fail(sigv4_outcome::wrong_scope, "Credential should be scoped to a valid region, not '" +
                                                    std::string(parts[2]) + "'; expected '" +
                                                    std::string(expect.region) + "'");
    if (parts[3] != expect.service)
        return fail(sigv4_outcome::wrong_scope, "Credential should be scoped to correct service: '" +
                                                    std::string(expect.service) + "'");
    auto const skew = expect.now > t ? expect.now - t : t - expect.now;
    if (skew > expect.max_skew)
        return fail(sigv4_outcome::expired, "Signature expired: " + std::string(*date) +
                                                " is more than " + std::to_string(expect.max_skew.count()) +
                                                " s away from the server's time");

    // Every signed header must be present; host is always signed.
    std::vector<sigv4_header> signed_list;
    bool has_host = false;
    std::string_view names = *signed_headers;
    while (!names.empty()) {
        auto semi = names.find(';');
        std::string_view n = names.substr(0, semi);
        names = semi == std::string_view::npos ? std::string_view{} : names.substr(semi + 1);
        if (n == "host") has_host = true;
        bool found = false;
        for (auto const& h : headers)
            if (iequals(h.first, n)) {
                found = true;
                if (!iequals(n, "x-amz-date") && !iequals(n, "x-amz-security-token")) signed_list.push_back(h);
            }
        if (!found)
            return fail(sigv4_outcome::malformed, "signed header '" + std::string(n) + "' is not in the request");
    }
    if (!has_host) return fail(sigv4_outcome::malformed, "the host header must be signed");

    if (!expect.creds) return v;  // well-formed and for the right scope: enough
    auto const& creds = *expect.creds;
    if (parts[0] != creds.access_key_id)
        return fail(sigv4_outcome::unknown_key, "The security token included in the request is invalid.");
    auto token = header(headers, "x-amz-security-token");
    if (!creds.session_token.empty() && (!token || *token != creds.session_token))
        return fail(sigv4_outcome::unknown_key, "The security token included in the request is invalid.");

    sigv4_request req{method, path, query, signed_list, body};
    sigv4_params params{expect.region, expect.service, t};
    // Without a configured token any token is accepted, but it was signed:
    // the signature is checked over the one the request carries.
    if (token && creds.session_token.empty()) {
        credentials with_token = creds;
        with_token.session_token = std::string(*token);
        s.sign_headers(with_token, req, params);
    } else {
        s.sign_headers(creds, req, params);
    }
    auto expected = s.signature();
    if (expected.size() != signature->size() ||
        CRYPTO_memcmp(expected.data(), signature->data(), expected.size()) != 0)
        return fail(sigv4_outcome::mismatch,
                    "The request signature we calculated does not match the signature you provided. "
                    "The canonical request was:\n" + std::string(s.canonical_request()));
    return v;
}

} // namespace cleanroomsml::detail

#endif
