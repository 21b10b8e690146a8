#ifndef CLEANROOMSML_IMPL_DPOP_IPP
#define CLEANROOMSML_IMPL_DPOP_IPP

#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/dpop.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace cleanroomsml::detail {

namespace dpop_impl {

// ES256 works on P-256: coordinates and the signature's r and s are 32 bytes.
constexpr int coordinate_size = 32;

struct bio_free {
    void operator()(BIO* p) const noexcept { BIO_free(p); }
};
struct bn_free {
    void operator()(BIGNUM* p) const noexcept { BN_free(p); }
};
struct md_ctx_free {
    void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct ecdsa_sig_free {
    void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
};
struct pkey_free {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};

using bio_ptr = std::unique_ptr<BIO, bio_free>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_free>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, ecdsa_sig_free>;

// Sets `why` to `what`, with OpenSSL's reason for the most recent error when
// there is one, and empties the thread's error queue so that the failure
// cannot be mistaken later for one of a TLS connection on the same thread.
// Reason strings are OpenSSL's static texts: no key material gets in.
inline bool fail(std::string& why, std::string_view what)
{
    why = what;
    if (auto const e = ERR_peek_last_error(); e != 0) {
        if (char const* reason = ERR_reason_error_string(e)) {
            why += " (";
            why += reason;
            why += ')';
        }
    }
    ERR_clear_error();
    return false;
}

// An encrypted key must fail to load rather than have OpenSSL's default
// callback ask for a passphrase on the terminal.
inline int no_passphrase(char*, int, int, void*) { return -1; }

// JWTs use the URL-safe alphabet without padding (RFC 7515, section 2). The
// project's encoder writes the standard alphabet: the two differ only in
// those two characters and the trailing '='.
inline std::string base64url_encode(std::string_view in)
{
    std::string out = base64_encode(in);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

inline std::string_view as_chars(unsigned char const* p, std::size_t n) noexcept
{
    return {reinterpret_cast<char const*>(p), n};
}

// Reads one code point of well-formed UTF-8 (no overlong forms, surrogates
// or values past U+10FFFF) at `i`, advancing it; false when the bytes there
// are not one.
inline bool next_code_point(std::string_view s, std::size_t& i, std::uint32_t& cp) noexcept
{
    auto const byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char const b0 = byte(i);
    std::size_t len = 0;
    std::uint32_t min = 0;
    if (b0 < 0x80) {
        cp = b0;
        ++i;
        return true;
    }
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        min = 0x80;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        min = 0x800;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        min = 0x10000;
        cp = b0 & 0x07u;
    } else {
        return false;
    }
    if (s.size() - i < len) return false;
    for (std::size_t k = 1; k < len; ++k) {
        unsigned char const b = byte(i + k);
        if ((b & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
    return true;
}

inline void append_u_escape(std::string& out, std::uint32_t unit)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4) out += hex[(unit >> shift) & 0xF];
}

// Appends `s` as a JSON string the way Python's json.dumps writes it with its
// default ensure_ascii=True: the proof must be the same bytes botocore would
// send. Printable ASCII stays as is except '"' and '\\'; the five control
// characters with short escapes get them; every other character (other
// controls, DEL, all non-ASCII) becomes \u escapes in lower-case hex, past the
// BMP as a UTF-16 surrogate pair. False when `s` is not valid UTF-8.
inline bool append_json_string(std::string& out, std::string_view s)
{
    out += '"';
    for (std::size_t i = 0; i < s.size();) {
        std::uint32_t cp = 0;
        if (!next_code_point(s, i, cp)) return false;
        switch (cp) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (cp >= 0x20 && cp < 0x7F) {
                out += static_cast<char>(cp);
            } else if (cp < 0x10000) {
                append_u_escape(out, cp);
            } else {
                cp -= 0x10000;
                append_u_escape(out, 0xD800 | (cp >> 10));
                append_u_escape(out, 0xDC00 | (cp & 0x3FF));
            }
        }
    }
    out += '"';
    return true;
}

// One public coordinate, big-endian and left-padded to the curve's size as
// JWK (RFC 7518, section 6.2.1.2) requires.
inline bool public_coordinate(EVP_PKEY* key, char const* name, std::array<unsigned char, coordinate_size>& out)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) return false;
    bn_ptr const bn(raw);
    return BN_bn2binpad(bn.get(), out.data(), coordinate_size) == coordinate_size;
}

} // namespace dpop_impl

CLEANROOMSML_DECL bool dpop_key::load_pem(std::string_view pem, std::string& why)
{
    using namespace dpop_impl;
    key_.reset();
    header_b64_.clear();
    ERR_clear_error();  // so that a reason given below is about this load

    // BIO_new_mem_buf refuses a null buffer, which an empty view may have.
    if (pem.empty()) return fail(why, "the DPoP key is empty");
    if (pem.size() > static_cast<std::size_t>(INT_MAX)) return fail(why, "the DPoP key is too large");

    bio_ptr const bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    if (!bio) return fail(why, "cannot read the DPoP key");
    std::shared_ptr<EVP_PKEY> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr), pkey_free{});
    if (!key) return fail(why, "the DPoP key is not an unencrypted PEM private key");

    // ES256 fixes the curve: a key on another one would give proofs the
    // service rejects, so refuse it here with a clear reason.
    if (EVP_PKEY_is_a(key.get(), "EC") != 1) return fail(why, "the DPoP key is not an EC key");
    std::array<char, 64> group{};
    std::size_t group_len = 0;
    if (EVP_PKEY_get_group_name(key.get(), group.data(), group.size(), &group_len) != 1)
        return fail(why, "the DPoP key's curve is not a named curve");
    std::string_view const curve(group.data(), group_len);
    if (curve != "prime256v1" && curve != "P-256") return fail(why, "the DPoP key is not on the P-256 curve");

    std::array<unsigned char, coordinate_size> x{};
    std::array<unsigned char, coordinate_size> y{};
    if (!public_coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_X, x) ||
        !public_coordinate(key.get(), OSSL_PKEY_PARAM_EC_PUB_Y, y))
        return fail(why, "cannot get the DPoP key's public key");

    // Nothing in the header varies between proofs; member order as botocore's.
    std::string header = R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":")";
    header += base64url_encode(as_chars(x.data(), x.size()));
    header += R"(","y":")";
    header += base64url_encode(as_chars(y.data(), y.size()));
    header += R"(","crv":"P-256"}})";

    header_b64_ = base64url_encode(header);
    key_ = std::move(key);
    return true;
}

CLEANROOMSML_DECL std::string dpop_key::proof(std::string_view url, std::int64_t iat, std::string_view jti,
                                              std::string& why) const
{
    using namespace dpop_impl;
    if (!key_) {
        why = "no DPoP key is loaded";
        return {};
    }

    std::string payload = R"({"htm":"POST","htu":)";
    if (!append_json_string(payload, url)) {
        why = "the DPoP proof's URL is not valid UTF-8";
        return {};
    }
    payload += R"(,"iat":)";
    payload += std::to_string(iat);
    payload += R"(,"jti":)";
    if (!append_json_string(payload, jti)) {
        why = "the DPoP proof's jti is not valid UTF-8";
        return {};
    }
    payload += '}';

    std::string jwt = header_b64_;
    jwt += '.';
    jwt += base64url_encode(payload);

    ERR_clear_error();
    md_ctx_ptr const ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1) {
        fail(why, "cannot start the DPoP signature");
        return {};
    }
    auto const* signed_bytes = reinterpret_cast<unsigned char const*>(jwt.data());
    std::size_t der_len = 0;
    if (EVP_DigestSign(ctx.get(), nullptr, &der_len, signed_bytes, jwt.size()) != 1) {
        fail(why, "cannot size the DPoP signature");
        return {};
    }
    std::string der(der_len, '\0');
    auto* der_bytes = reinterpret_cast<unsigned char*>(der.data());
    if (EVP_DigestSign(ctx.get(), der_bytes, &der_len, signed_bytes, jwt.size()) != 1) {
        fail(why, "cannot sign the DPoP proof");
        return {};
    }

    // OpenSSL gives an ASN.1 DER SEQUENCE of r and s; JWS wants the two
    // integers as fixed-size big-endian blocks (RFC 7518, section 3.4).
    auto const* p = reinterpret_cast<unsigned char const*>(der.data());
    ecdsa_sig_ptr const sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der_len)));
    if (!sig) {
        fail(why, "cannot decode the DPoP signature");
        return {};
    }
    BIGNUM const* r = nullptr;
    BIGNUM const* s = nullptr;
    ECDSA_SIG_get0(sig.get(), &r, &s);
    std::array<unsigned char, 2 * coordinate_size> rs{};
    if (BN_bn2binpad(r, rs.data(), coordinate_size) != coordinate_size ||
        BN_bn2binpad(s, rs.data() + coordinate_size, coordinate_size) != coordinate_size) {
        fail(why, "the DPoP signature does not fit ES256");
        return {};
    }

    jwt += '.';
    jwt += base64url_encode(as_chars(rs.data(), rs.size()));
    return jwt;
}

} // namespace cleanroomsml::detail

#endif
