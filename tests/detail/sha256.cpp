// SHA-256 and HMAC-SHA256 as the signer gets them from OpenSSL: the FIPS
// 180-4 examples, RFC 4231's cases, a prepared key reused for many messages
// (against OpenSSL's one-shot HMAC), and what happens when the providers in
// force offer no SHA-256 (a FIPS configuration without a FIPS module).

#include <cleanroomsml/detail/sha256.hpp>

#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/provider.h>

#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

namespace {

namespace detail = cleanroomsml::detail;

std::string hex(detail::sha256_digest const& d)
{
    std::string s;
    detail::append_hex(s, d);
    return s;
}

std::string one_shot_hmac(std::string_view key, std::string_view data)
{
    detail::sha256_digest d{};
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<unsigned char const*>(data.data()),
         data.size(), d.data(), &n);
    return hex(d);
}

std::string random_bytes(std::mt19937& rng, std::size_t n)
{
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    return s;
}

struct lib_ctx_free {
    void operator()(OSSL_LIB_CTX* c) const noexcept { OSSL_LIB_CTX_free(c); }
};
using lib_ctx_ptr = std::unique_ptr<OSSL_LIB_CTX, lib_ctx_free>;

} // namespace

BOOST_AUTO_TEST_SUITE(sha256)

BOOST_AUTO_TEST_CASE(fips_180_examples)
{
    BOOST_TEST(detail::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(detail::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(detail::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    BOOST_TEST(detail::sha256_hex(std::string(1000000, 'a')) ==
               "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    // A context reused for another message starts afresh.
    detail::sha256_context ctx;
    BOOST_TEST(hex(ctx.digest("abc")) == detail::sha256_hex("abc"));
    BOOST_TEST(hex(ctx.digest("")) == detail::sha256_hex(""));
}

BOOST_AUTO_TEST_CASE(hmac_rfc_4231)
{
    // Test cases 1, 2 and 6 (a key longer than a block, hashed first).
    BOOST_TEST(hex(detail::hmac_sha256(std::string(20, '\x0b')).mac("Hi There")) ==
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    detail::hmac_sha256 const jefe("Jefe");
    BOOST_TEST(hex(jefe.mac("what do ya want for nothing?")) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(hex(jefe.mac("what do ya want for nothing?")) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");  // the key is kept
    BOOST_TEST(hex(detail::hmac_sha256(std::string(131, '\xaa'))
                       .mac("Test Using Larger Than Block-Size Key - Hash Key First")) ==
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

BOOST_AUTO_TEST_CASE(prepared_key_agrees_with_one_shot_hmac)
{
    std::mt19937 rng(11);
    for (std::size_t key_size : {0, 1, 32, 63, 64, 65, 131}) {
        auto const key = random_bytes(rng, key_size);
        detail::hmac_sha256 const h(key);
        for (std::size_t n : {0, 1, 55, 56, 64, 150, 1000}) {
            auto const data = random_bytes(rng, n);
            BOOST_TEST(hex(h.mac(data)) == one_shot_hmac(key, data), "key " << key_size << ", data " << n);
        }
    }
    // A new key replaces the old one; a moved-from MAC has none.
    detail::hmac_sha256 h("one");
    h.set_key("two", 3);
    BOOST_TEST(hex(h.mac("x")) == one_shot_hmac("two", "x"));
    detail::hmac_sha256 moved(std::move(h));
    BOOST_TEST(hex(moved.mac("x")) == one_shot_hmac("two", "x"));
    BOOST_TEST(!h.has_key());  // NOLINT(bugprone-use-after-move): the state after a move is the point
    moved.wipe();
    BOOST_TEST(!moved.has_key());
}

BOOST_AUTO_TEST_CASE(algorithms_come_from_the_configured_providers)
{
    // A library context with OpenSSL's default provider gives the same MACs.
    lib_ctx_ptr lib(OSSL_LIB_CTX_new());
    BOOST_TEST_REQUIRE(lib != nullptr);
    OSSL_PROVIDER* prov = OSSL_PROVIDER_load(lib.get(), "default");
    BOOST_TEST_REQUIRE(prov != nullptr);
    auto algs = detail::fetch_sha256_algorithms(lib.get(), nullptr);
    {
        detail::hmac_sha256 h;
        h.set_key("Jefe", 4, algs);
        BOOST_TEST(hex(h.mac("what do ya want for nothing?")) ==
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        detail::sha256_context ctx(algs);
        BOOST_TEST(hex(ctx.digest("abc")) == detail::sha256_hex("abc"));
    }
    detail::free_sha256_algorithms(algs);
    BOOST_TEST(algs.sha256 == nullptr);

    // A FIPS-only property query: a system whose OpenSSL has no FIPS module
    // (Debian 12's has none) gets an error naming what is missing, never a
    // digest from a non-FIPS implementation.
    try {
        auto fips = detail::fetch_sha256_algorithms(lib.get(), "fips=yes");
        BOOST_TEST_MESSAGE("a FIPS provider answered: SHA-256 and HMAC come from it");
        detail::hmac_sha256 h;
        h.set_key("Jefe", 4, fips);
        BOOST_TEST(hex(h.mac("what do ya want for nothing?")) ==
                   "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        detail::free_sha256_algorithms(fips);
    } catch (std::runtime_error const& e) {
        std::string const what = e.what();
        BOOST_TEST(what.find("SHA-256") != std::string::npos, what);
        BOOST_TEST(what.find("\"fips=yes\"") != std::string::npos, what);
    }
    OSSL_PROVIDER_unload(prov);

    // A context whose only provider offers no digests at all.
    lib_ctx_ptr empty(OSSL_LIB_CTX_new());
    OSSL_PROVIDER* null_prov = OSSL_PROVIDER_load(empty.get(), "null");
    BOOST_TEST_REQUIRE(null_prov != nullptr);
    BOOST_CHECK_EXCEPTION(detail::fetch_sha256_algorithms(empty.get(), nullptr), std::runtime_error,
                          [](std::runtime_error const& e) {
                              return std::string_view(e.what()).find("no OpenSSL provider offers SHA-256") !=
                                     std::string_view::npos;
                          });
    OSSL_PROVIDER_unload(null_prov);
}

BOOST_AUTO_TEST_SUITE_END()
