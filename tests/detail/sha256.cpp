// SHA-256 and HMAC-SHA256 of the signer: the FIPS 180-4 example messages,
// RFC 4231's second HMAC case, and agreement with OpenSSL on random input
// cut into random pieces, for both compression functions when the CPU has
// the SHA extensions.

#include <cleanroomsml/detail/sha256.hpp>

#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace {

namespace detail = cleanroomsml::detail;

std::string hex(detail::sha256::digest const& d)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (unsigned char b : d) {
        s += digits[b >> 4];
        s += digits[b & 15];
    }
    return s;
}

std::string openssl_sha256(std::string_view data)
{
    detail::sha256::digest d{};
    unsigned int n = 0;
    EVP_Digest(data.data(), data.size(), d.data(), &n, EVP_sha256(), nullptr);
    return hex(d);
}

std::string openssl_hmac(std::string_view key, std::string_view data)
{
    detail::sha256::digest d{};
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

} // namespace

BOOST_AUTO_TEST_SUITE(sha256)

BOOST_AUTO_TEST_CASE(fips_180_examples)
{
    using detail::sha256;
    BOOST_TEST(hex(sha256::of("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    BOOST_TEST(hex(sha256::of("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    BOOST_TEST(hex(sha256::of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha256 million;
    std::string const chunk(1000, 'a');
    for (int i = 0; i < 1000; ++i) million.update(chunk);
    BOOST_TEST(hex(million.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(agrees_with_openssl_on_any_split)
{
    std::mt19937 rng(7);
    for (std::size_t n = 0; n <= 300; ++n) {
        auto const data = random_bytes(rng, n);
        detail::sha256 h;
        // Fed in random pieces: partial blocks, whole blocks, several at once.
        for (std::size_t at = 0; at < n;) {
            std::size_t const piece = std::min<std::size_t>(n - at, rng() % 150);
            h.update(data.data() + at, piece);
            at += piece;
        }
        BOOST_TEST(hex(h.finish()) == openssl_sha256(data), "length " << n);
        h.reset();
        h.update(data);
        BOOST_TEST(hex(h.finish()) == openssl_sha256(data), "length " << n << ", reused");
    }
}

BOOST_AUTO_TEST_CASE(hmac_rfc_4231_and_openssl)
{
    detail::hmac_sha256 const jefe("Jefe");
    BOOST_TEST(hex(jefe.mac("what do ya want for nothing?")) ==
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    BOOST_TEST(hex(jefe.mac("what do ya want for nothing?")) ==
               hex(jefe.mac("what do ya want for nothing?")));  // the key's states are not consumed
    std::mt19937 rng(11);
    for (std::size_t key_size : {0, 1, 32, 63, 64, 65, 131}) {  // longer than a block: hashed first
        auto const key = random_bytes(rng, key_size);
        detail::hmac_sha256 const h(key);
        for (std::size_t n : {0, 1, 55, 56, 64, 150}) {
            auto const data = random_bytes(rng, n);
            BOOST_TEST(hex(h.mac(data)) == openssl_hmac(key, data), "key " << key_size << ", data " << n);
        }
    }
}

BOOST_AUTO_TEST_CASE(both_compression_functions_agree)
{
    namespace impl = detail::sha256_impl;
    auto const cpu = impl::cpu_compress();
    BOOST_TEST(detail::sha256::uses_cpu_extensions() == (cpu != nullptr));
    if (!cpu) {
        BOOST_TEST_MESSAGE("no SHA extensions on this CPU: the portable function alone is in use");
        return;
    }
    std::mt19937 rng(3);
    for (std::size_t blocks : {1, 2, 7}) {
        auto const data = random_bytes(rng, 64 * blocks);
        std::uint32_t a[8], b[8];
        for (int i = 0; i < 8; ++i) a[i] = b[i] = static_cast<std::uint32_t>(rng());
        impl::portable_compress()(a, reinterpret_cast<unsigned char const*>(data.data()), blocks);
        cpu(b, reinterpret_cast<unsigned char const*>(data.data()), blocks);
        for (int i = 0; i < 8; ++i) BOOST_TEST(a[i] == b[i], "blocks " << blocks << ", word " << i);
    }
}

BOOST_AUTO_TEST_SUITE_END()
