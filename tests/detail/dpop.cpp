// DPoP proofs (RFC 9449) for the `aws login` provider: keys in the two PEM
// forms the login cache may hold, the exact header and payload bytes
// botocore would send, an ES256 signature that OpenSSL verifies with the key
// the proof's own JWK describes, refusal of every other kind of key without
// echoing it, and the random UUIDs used as jti.

#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/dpop.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include <boost/test/unit_test.hpp>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

namespace detail = cleanroomsml::detail;

constexpr std::string_view token_url = "https://us-east-1.signin.aws.amazon.com/v1/token";
constexpr std::int64_t iat = 1765000000;
constexpr std::string_view jti = "0b5c6bd1-8a8e-4f3a-9f58-2b7f0c1d2e3f";

// ------------------------------------------------------------------ OpenSSL helpers

struct openssl_free {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
    void operator()(BIO* p) const noexcept { BIO_free(p); }
    void operator()(BIGNUM* p) const noexcept { BN_free(p); }
    void operator()(ECDSA_SIG* p) const noexcept { ECDSA_SIG_free(p); }
    void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
    void operator()(OSSL_PARAM_BLD* p) const noexcept { OSSL_PARAM_BLD_free(p); }
    void operator()(OSSL_PARAM* p) const noexcept { OSSL_PARAM_free(p); }
    void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
template <class T>
using ossl_ptr = std::unique_ptr<T, openssl_free>;

template <class T>
ossl_ptr<T> checked(T* p, char const* what)
{
    if (!p) throw std::runtime_error(std::string(what) + " failed");
    return ossl_ptr<T>(p);
}

ossl_ptr<EVP_PKEY> ec_key(char const* curve)
{
    return checked(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve), "EC key generation");
}

ossl_ptr<EVP_PKEY> rsa_key()
{
    return checked(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024}), "RSA key generation");
}

std::string bio_text(BIO* bio)
{
    char* data = nullptr;
    long const n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

// "BEGIN EC PRIVATE KEY" (SEC1), as `aws login` writes it; RSA gives "BEGIN RSA PRIVATE KEY".
std::string traditional_pem(EVP_PKEY* key)
{
    auto const bio = checked(BIO_new(BIO_s_mem()), "BIO_new");
    if (PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
        throw std::runtime_error("PEM_write_bio_PrivateKey_traditional failed");
    return bio_text(bio.get());
}

// "BEGIN PRIVATE KEY" (PKCS#8), or "BEGIN ENCRYPTED PRIVATE KEY" with a passphrase.
std::string pkcs8_pem(EVP_PKEY* key, char const* passphrase = nullptr)
{
    auto const bio = checked(BIO_new(BIO_s_mem()), "BIO_new");
    int const ok = passphrase ? PEM_write_bio_PKCS8PrivateKey(bio.get(), key, EVP_aes_256_cbc(), nullptr, 0,
                                                              nullptr, const_cast<char*>(passphrase))
                              : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    if (ok != 1) throw std::runtime_error("PEM_write_bio_PrivateKey failed");
    return bio_text(bio.get());
}

std::string coordinate(EVP_PKEY* key, char const* name)
{
    BIGNUM* raw = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) throw std::runtime_error("EVP_PKEY_get_bn_param failed");
    ossl_ptr<BIGNUM> const bn(raw);
    std::string out(32, '\0');
    if (BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), 32) != 32)
        throw std::runtime_error("BN_bn2binpad failed");
    return out;
}

// A public-only P-256 key from raw coordinates, as a server rebuilds it from the JWK.
ossl_ptr<EVP_PKEY> public_key_from(std::string const& x, std::string const& y)
{
    std::string point = "\x04" + x + y;  // uncompressed SEC1 point
    auto const bld = checked(OSSL_PARAM_BLD_new(), "OSSL_PARAM_BLD_new");
    if (OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) != 1)
        throw std::runtime_error("OSSL_PARAM_BLD_push failed");
    auto const params = checked(OSSL_PARAM_BLD_to_param(bld.get()), "OSSL_PARAM_BLD_to_param");
    auto const ctx = checked(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), "EVP_PKEY_CTX_new_from_name");
    EVP_PKEY* raw = nullptr;
    if (EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1)
        throw std::runtime_error("EVP_PKEY_fromdata failed");
    return ossl_ptr<EVP_PKEY>(raw);
}

// Checks a JWS r||s signature the way a verifier does: back to DER, then ECDSA with SHA-256.
bool es256_verifies(EVP_PKEY* key, std::string_view signed_text, std::string_view rs)
{
    if (rs.size() != 64) return false;
    auto const* bytes = reinterpret_cast<unsigned char const*>(rs.data());
    auto sig = checked(ECDSA_SIG_new(), "ECDSA_SIG_new");
    BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
    BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
    if (!r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {  // set0 owns r and s only on success
        BN_free(r);
        BN_free(s);
        throw std::runtime_error("ECDSA_SIG_set0 failed");
    }
    unsigned char* der = nullptr;
    int const der_len = i2d_ECDSA_SIG(sig.get(), &der);
    if (der_len <= 0) throw std::runtime_error("i2d_ECDSA_SIG failed");
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> const der_owner(
        der, [](unsigned char* p) { OPENSSL_free(p); });

    auto const ctx = checked(EVP_MD_CTX_new(), "EVP_MD_CTX_new");
    if (EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1)
        throw std::runtime_error("EVP_DigestVerifyInit failed");
    int const rc = EVP_DigestVerify(ctx.get(), der, static_cast<std::size_t>(der_len),
                                    reinterpret_cast<unsigned char const*>(signed_text.data()), signed_text.size());
    ERR_clear_error();  // a failed verification leaves its reason behind
    return rc == 1;
}

// ------------------------------------------------------------------ JWT helpers

std::optional<std::string> base64url_decode(std::string_view in)
{
    std::string standard(in);
    for (char& c : standard) {
        if (c == '+' || c == '/' || c == '=') return std::nullopt;  // not the URL-safe, unpadded form
        if (c == '-') c = '+';
        else if (c == '_') c = '/';
    }
    return detail::base64_decode(standard);
}

std::string url_encode(std::string_view raw)
{
    std::string out = detail::base64_encode(raw);
    while (!out.empty() && out.back() == '=') out.pop_back();
    for (char& c : out) {
        if (c == '+') c = '-';
        else if (c == '/') c = '_';
    }
    return out;
}

struct jwt_parts {
    std::string header_b64, payload_b64, signature_b64;
    std::string header, payload, signature;  // decoded
};

jwt_parts split(std::string const& jwt)
{
    auto const first = jwt.find('.');
    auto const second = jwt.find('.', first + 1);
    BOOST_REQUIRE(first != std::string::npos);
    BOOST_REQUIRE(second != std::string::npos);
    BOOST_REQUIRE(jwt.find('.', second + 1) == std::string::npos);
    jwt_parts p;
    p.header_b64 = jwt.substr(0, first);
    p.payload_b64 = jwt.substr(first + 1, second - first - 1);
    p.signature_b64 = jwt.substr(second + 1);
    auto h = base64url_decode(p.header_b64);
    auto b = base64url_decode(p.payload_b64);
    auto s = base64url_decode(p.signature_b64);
    BOOST_REQUIRE(h && b && s);
    p.header = *h;
    p.payload = *b;
    p.signature = *s;
    return p;
}

std::string expected_header(EVP_PKEY* key)
{
    return R"({"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":")" +
           url_encode(coordinate(key, OSSL_PKEY_PARAM_EC_PUB_X)) + R"(","y":")" +
           url_encode(coordinate(key, OSSL_PKEY_PARAM_EC_PUB_Y)) + R"(","crv":"P-256"}})";
}

// The JWK's coordinates, read back out of a header this suite built the expectation of.
std::pair<std::string, std::string> jwk_coordinates(std::string const& header)
{
    auto const field = [&](std::string_view name) {
        auto const start = header.find(std::string("\"") + std::string(name) + "\":\"");
        BOOST_REQUIRE(start != std::string::npos);
        auto const from = start + name.size() + 4;
        auto decoded = base64url_decode(header.substr(from, header.find('"', from) - from));
        BOOST_REQUIRE(decoded);
        return *decoded;
    };
    return {field("x"), field("y")};
}

// Every base64 line of a PEM body: none of them may show up in an error message.
std::vector<std::string> pem_body_lines(std::string const& pem)
{
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < pem.size()) {
        auto end = pem.find('\n', pos);
        if (end == std::string::npos) end = pem.size();
        auto line = pem.substr(pos, end - pos);
        if (!line.empty() && !line.starts_with("-----")) lines.push_back(line);
        pos = end + 1;
    }
    return lines;
}

void check_refused(std::string const& pem, std::string_view kind)
{
    BOOST_TEST_CONTEXT(kind)
    {
        detail::dpop_key key;
        std::string why;
        BOOST_TEST(!key.load_pem(pem, why));
        BOOST_TEST(!key);
        BOOST_TEST(!why.empty());
        for (auto const& line : pem_body_lines(pem)) BOOST_TEST(why.find(line) == std::string::npos);
        if (!pem.empty()) BOOST_TEST(why.find(pem) == std::string::npos);
        std::string proof_why;
        BOOST_TEST(key.proof(token_url, iat, jti, proof_why).empty());
        BOOST_TEST(!proof_why.empty());
        BOOST_TEST(ERR_peek_error() == 0UL);  // the failure left nothing in OpenSSL's queue
    }
}

void check_proof(EVP_PKEY* generated, std::string const& pem)
{
    detail::dpop_key key;
    std::string why;
    BOOST_REQUIRE_MESSAGE(key.load_pem(pem, why), why);
    BOOST_TEST(static_cast<bool>(key));

    auto const jwt = key.proof(token_url, iat, jti, why);
    BOOST_REQUIRE_MESSAGE(!jwt.empty(), why);
    auto const parts = split(jwt);

    BOOST_TEST(parts.header == expected_header(generated));
    BOOST_TEST(parts.payload == R"({"htm":"POST","htu":"https://us-east-1.signin.aws.amazon.com/v1/token",)"
                                R"("iat":1765000000,"jti":"0b5c6bd1-8a8e-4f3a-9f58-2b7f0c1d2e3f"})");
    BOOST_TEST(parts.signature.size() == 64U);
    BOOST_TEST(parts.signature_b64.size() == 86U);  // 64 bytes, unpadded

    // Verified as the service does: with the key the proof's JWK carries.
    auto const [x, y] = jwk_coordinates(parts.header);
    auto const jwk_key = public_key_from(x, y);
    auto const signed_text = parts.header_b64 + "." + parts.payload_b64;
    BOOST_TEST(es256_verifies(jwk_key.get(), signed_text, parts.signature));
    BOOST_TEST(es256_verifies(generated, signed_text, parts.signature));

    // A proof for another iat must not pass with this signature.
    auto const tampered_payload =
        url_encode(R"({"htm":"POST","htu":"https://us-east-1.signin.aws.amazon.com/v1/token",)"
                   R"("iat":1765000001,"jti":"0b5c6bd1-8a8e-4f3a-9f58-2b7f0c1d2e3f"})");
    BOOST_TEST(!es256_verifies(jwk_key.get(), parts.header_b64 + "." + tampered_payload, parts.signature));
    auto flipped = parts.signature;
    flipped[40] = static_cast<char>(flipped[40] ^ 0x01);
    BOOST_TEST(!es256_verifies(jwk_key.get(), signed_text, flipped));

    // ECDSA signatures are randomised; the rest of the proof is not.
    auto const again = key.proof(token_url, iat, jti, why);
    auto const again_parts = split(again);
    BOOST_TEST(again_parts.header_b64 == parts.header_b64);
    BOOST_TEST(again_parts.payload_b64 == parts.payload_b64);
    BOOST_TEST(es256_verifies(jwk_key.get(), signed_text, again_parts.signature));

    // Copies share the key.
    detail::dpop_key const copy = key;
    BOOST_TEST(split(copy.proof(token_url, iat, jti, why)).header_b64 == parts.header_b64);
}

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

} // namespace

BOOST_AUTO_TEST_SUITE(dpop)

BOOST_AUTO_TEST_CASE(sec1_pem_key)
{
    auto const key = ec_key("P-256");
    auto const pem = traditional_pem(key.get());
    BOOST_REQUIRE(pem.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    check_proof(key.get(), pem);
}

BOOST_AUTO_TEST_CASE(pkcs8_pem_key)
{
    auto const key = ec_key("P-256");
    auto const pem = pkcs8_pem(key.get());
    BOOST_REQUIRE(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    check_proof(key.get(), pem);
}

BOOST_AUTO_TEST_CASE(crlf_pem_key)
{
    // The cache is JSON written by another program: Windows line ends must do.
    auto const key = ec_key("P-256");
    std::string pem;
    for (char c : traditional_pem(key.get())) {
        if (c == '\n') pem += '\r';
        pem += c;
    }
    check_proof(key.get(), pem);
}

BOOST_AUTO_TEST_CASE(strings_escaped_as_python_json)
{
    auto const generated = ec_key("P-256");
    detail::dpop_key key;
    std::string why;
    BOOST_REQUIRE_MESSAGE(key.load_pem(traditional_pem(generated.get()), why), why);

    // Python: json.dumps({"htu": 'a"b\\c\u00e9\U0001F600\x01\x7f\n\t\b\f\r/<>&\u2028'}, separators=(',', ':'))
    std::string const url = "a\"b\\c\xC3\xA9\xF0\x9F\x98\x80\x01\x7F\n\t\b\f\r/<>&\xE2\x80\xA8";
    auto const jwt = key.proof(url, -5, "j", why);
    BOOST_REQUIRE_MESSAGE(!jwt.empty(), why);
    BOOST_TEST(split(jwt).payload ==
               R"({"htm":"POST","htu":"a\"b\\c\u00e9\ud83d\ude00\u0001\u007f\n\t\b\f\r/<>&\u2028",)"
               R"("iat":-5,"jti":"j"})");

    // Python has no text for bytes that are not UTF-8: no proof rather than a guess.
    // Not UTF-8: a lone byte, an overlong '/', a surrogate, a cut sequence, past U+10FFFF.
    for (std::string_view bad : {std::string_view("\xFF"), std::string_view("\xC0\xAF"),
                                 std::string_view("\xED\xA0\x80"), std::string_view("\xE2\x82"),
                                 std::string_view("\xF4\x90\x80\x80")}) {
        why.clear();
        BOOST_TEST(key.proof(bad, iat, jti, why).empty());
        BOOST_TEST(!why.empty());
        why.clear();
        BOOST_TEST(key.proof(token_url, iat, bad, why).empty());
        BOOST_TEST(!why.empty());
    }
}

BOOST_AUTO_TEST_CASE(refuses_other_keys)
{
    auto const rsa = rsa_key();
    check_refused(traditional_pem(rsa.get()), "RSA, traditional");
    check_refused(pkcs8_pem(rsa.get()), "RSA, PKCS#8");
    auto const p384 = ec_key("P-384");
    check_refused(traditional_pem(p384.get()), "P-384");
    auto const p256 = ec_key("P-256");
    // An encrypted key fails without OpenSSL asking for a passphrase on the terminal.
    check_refused(pkcs8_pem(p256.get(), "correct horse"), "encrypted");
    check_refused("not a key at all\n", "garbage");
    check_refused("-----BEGIN EC PRIVATE KEY-----\nbm90IGEga2V5\n-----END EC PRIVATE KEY-----\n", "bad DER");
    check_refused("", "empty");

    // A failed load empties a key that held one.
    detail::dpop_key key;
    std::string why;
    BOOST_REQUIRE(key.load_pem(traditional_pem(p256.get()), why));
    BOOST_TEST(!key.load_pem("garbage", why));
    BOOST_TEST(!key);
}

BOOST_AUTO_TEST_CASE(empty_key_gives_no_proof)
{
    detail::dpop_key const key;
    BOOST_TEST(!key);
    std::string why;
    BOOST_TEST(key.proof(token_url, iat, jti, why).empty());
    BOOST_TEST(!why.empty());
}

// The proofs' jti comes from the library's one UUIDv4 generator.
BOOST_AUTO_TEST_CASE(uuid4_format)
{
    auto const a = detail::default_idempotency_token();
    auto const b = detail::default_idempotency_token();
    BOOST_TEST(a != b);
    for (auto const& u : {a, b}) {
        BOOST_TEST_CONTEXT(u)
        {
            BOOST_REQUIRE(u.size() == 36U);
            for (std::size_t i = 0; i < u.size(); ++i) {
                if (i == 8 || i == 13 || i == 18 || i == 23) BOOST_TEST(u[i] == '-');
                else BOOST_TEST(is_lower_hex(u[i]));
            }
            BOOST_TEST(u[14] == '4');
            BOOST_TEST(std::string_view("89ab").find(u[19]) != std::string_view::npos);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
