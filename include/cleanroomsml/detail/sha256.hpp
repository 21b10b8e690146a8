#ifndef CLEANROOMSML_DETAIL_SHA256_HPP
#define CLEANROOMSML_DETAIL_SHA256_HPP

// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104) for SigV4. The signer
// hashes a few hundred bytes per request; OpenSSL's EVP layer costs more
// than that hashing (provider dispatch, context copies that allocate, a
// digest re-initialisation per HMAC). Here a digest is a plain value, an
// HMAC key is kept as the two states after its padded blocks, so a
// signature costs only the blocks of the string to sign, and x86-64 CPUs
// with the SHA extensions compress with them.

#include <cleanroomsml/detail/config.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cleanroomsml::detail {

namespace sha256_impl {
/// A compression function: `blocks` 64-byte blocks into `state`.
using compress_fn = void (*)(std::uint32_t* state, unsigned char const* p, std::size_t blocks) noexcept;
/// The plain C++ one, and the one using the CPU's SHA extensions (null
/// when the CPU has none); sha256 uses the latter when there is one.
CLEANROOMSML_DECL compress_fn portable_compress() noexcept;
CLEANROOMSML_DECL compress_fn cpu_compress() noexcept;
} // namespace sha256_impl

class sha256 {
public:
    using digest = std::array<unsigned char, 32>;

    sha256() noexcept { reset(); }

    CLEANROOMSML_DECL void reset() noexcept;
    CLEANROOMSML_DECL void update(void const* data, std::size_t size) noexcept;
    void update(std::string_view s) noexcept { update(s.data(), s.size()); }
    /// The digest of everything given since the last reset; the state is
    /// then spent (reset() before reuse).
    CLEANROOMSML_DECL digest finish() noexcept;

    static digest of(std::string_view s) noexcept
    {
        sha256 h;
        h.update(s);
        return h.finish();
    }

    /// Overwrites the state (it may be secret-derived, as HMAC keys are).
    CLEANROOMSML_DECL void wipe() noexcept;

    /// Whether blocks are compressed with the CPU's SHA extensions.
    CLEANROOMSML_DECL static bool uses_cpu_extensions() noexcept;

private:
    std::uint32_t state_[8];
    std::uint64_t length_;      // bytes so far
    unsigned char block_[64];   // a partial block
    std::size_t used_;          // bytes in block_
};

/// HMAC-SHA256 with a key prepared once.
class hmac_sha256 {
public:
    hmac_sha256() noexcept = default;
    explicit hmac_sha256(std::string_view key) noexcept { set_key(key.data(), key.size()); }
    CLEANROOMSML_DECL void set_key(void const* key, std::size_t size) noexcept;
    CLEANROOMSML_DECL sha256::digest mac(std::string_view data) const noexcept;
    CLEANROOMSML_DECL void wipe() noexcept;

private:
    sha256 inner_;  // after the key XOR ipad block
    sha256 outer_;  // after the key XOR opad block
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sha256.ipp>
#endif

#endif
