#ifndef CLEANROOMSML_IMPL_SHA256_IPP
#define CLEANROOMSML_IMPL_SHA256_IPP

#include <cleanroomsml/detail/sha256.hpp>

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CLEANROOMSML_SHA256_X86 1
#include <cpuid.h>
#include <immintrin.h>
#endif

namespace cleanroomsml::detail {

namespace sha256_impl {

// FIPS 180-4, 4.2.2 and 5.3.3.
alignas(16) inline constexpr std::uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

inline constexpr std::uint32_t initial_state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

constexpr std::uint32_t rotr(std::uint32_t x, int n) noexcept { return (x >> n) | (x << (32 - n)); }

inline std::uint32_t load_be32(unsigned char const* p) noexcept
{
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | std::uint32_t(p[3]);
}

inline void store_be32(unsigned char* p, std::uint32_t v) noexcept
{
    p[0] = static_cast<unsigned char>(v >> 24);
    p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8);
    p[3] = static_cast<unsigned char>(v);
}

// One round. The eight working variables are renamed from round to round
// by the caller, instead of being moved along.
inline void round(std::uint32_t a, std::uint32_t b, std::uint32_t c, std::uint32_t& d, std::uint32_t e,
                  std::uint32_t f, std::uint32_t g, std::uint32_t& h, std::uint32_t kw) noexcept
{
    std::uint32_t const t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + (g ^ (e & (f ^ g))) + kw;
    std::uint32_t const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) | (c & (a | b)));
    d += t1;
    h = t1 + t2;
}

/// The compression function on `blocks` 64-byte blocks, in plain C++.
inline void compress_portable(std::uint32_t* state, unsigned char const* p, std::size_t blocks) noexcept
{
    for (; blocks != 0; --blocks, p += 64) {
        std::uint32_t w[64];
        for (int i = 0; i < 16; ++i) w[i] = load_be32(p + 4 * i);
        for (int i = 16; i < 64; ++i) {
            std::uint32_t const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
            std::uint32_t const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        std::uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        auto const* k = round_constants;
        for (int i = 0; i < 64; i += 8) {
            round(a, b, c, d, e, f, g, h, k[i] + w[i]);
            round(h, a, b, c, d, e, f, g, k[i + 1] + w[i + 1]);
            round(g, h, a, b, c, d, e, f, k[i + 2] + w[i + 2]);
            round(f, g, h, a, b, c, d, e, k[i + 3] + w[i + 3]);
            round(e, f, g, h, a, b, c, d, k[i + 4] + w[i + 4]);
            round(d, e, f, g, h, a, b, c, k[i + 5] + w[i + 5]);
            round(c, d, e, f, g, h, a, b, k[i + 6] + w[i + 6]);
            round(b, c, d, e, f, g, h, a, k[i + 7] + w[i + 7]);
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

#ifdef CLEANROOMSML_SHA256_X86

inline bool cpu_has_sha() noexcept
{
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    bool const ssse3 = c & (1u << 9), sse41 = c & (1u << 19);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    return ssse3 && sse41 && (b & (1u << 29));
}

/// The same with the SHA extensions: the state lives in two registers as
/// (A, B, E, F) and (C, D, G, H); each sha256rnds2 does two rounds.
__attribute__((target("sha,ssse3,sse4.1"))) inline void compress_sha_ni(std::uint32_t* state, unsigned char const* p,
                                                                        std::size_t blocks) noexcept
{
    __m128i const byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i const dcba = _mm_loadu_si128(reinterpret_cast<__m128i const*>(state));
    __m128i const hgfe = _mm_loadu_si128(reinterpret_cast<__m128i const*>(state + 4));
    __m128i const cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i const efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; blocks != 0; --blocks, p += 64) {
        __m128i const abef_in = abef, cdgh_in = cdgh;
        __m128i w[4];  // w[g % 4]: the message words of round group g (rounds 4g .. 4g+3)
        for (int g = 0; g < 16; ++g) {
            __m128i& m = w[g % 4];
            if (g < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<__m128i const*>(p + 16 * g)), byte_swap);
            } else {
                // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time.
                __m128i const older = _mm_sha256msg1_epu32(m, w[(g + 1) % 4]);
                __m128i const w7 = _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4);
                m = _mm_sha256msg2_epu32(_mm_add_epi32(older, w7), w[(g + 3) % 4]);
            }
            __m128i wk = _mm_add_epi32(m, _mm_load_si128(reinterpret_cast<__m128i const*>(round_constants + 4 * g)));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);  // now holds the new (A, B, E, F)
            wk = _mm_shuffle_epi32(wk, 0x0E);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, wk);
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }

    __m128i const feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i const dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(dchg, feba, 8));
}

#endif

CLEANROOMSML_DECL compress_fn portable_compress() noexcept { return compress_portable; }

CLEANROOMSML_DECL compress_fn cpu_compress() noexcept
{
#ifdef CLEANROOMSML_SHA256_X86
    if (cpu_has_sha()) return compress_sha_ni;
#endif
    return nullptr;
}

inline compress_fn pick_compress() noexcept
{
    auto const cpu = cpu_compress();
    return cpu ? cpu : compress_portable;
}

// Chosen once, at first use (not at static initialisation: other static
// initialisers may hash before this one would have run).
inline compress_fn chosen() noexcept
{
    static compress_fn const f = pick_compress();
    return f;
}

inline void compress(std::uint32_t* state, unsigned char const* p, std::size_t blocks) noexcept
{
    chosen()(state, p, blocks);
}

} // namespace sha256_impl

CLEANROOMSML_DECL void sha256::reset() noexcept
{
    std::copy(std::begin(sha256_impl::initial_state), std::end(sha256_impl::initial_state), state_);
    length_ = 0;
    used_ = 0;
}

CLEANROOMSML_DECL void sha256::update(void const* data, std::size_t size) noexcept
{
    auto const* p = static_cast<unsigned char const*>(data);
    length_ += size;
    if (used_ != 0) {
        std::size_t const n = std::min(size, sizeof block_ - used_);
        std::memcpy(block_ + used_, p, n);
        used_ += n;
        p += n;
        size -= n;
        if (used_ < sizeof block_) return;
        sha256_impl::compress(state_, block_, 1);
        used_ = 0;
    }
    if (size >= 64) {
        sha256_impl::compress(state_, p, size / 64);
        p += size / 64 * 64;
        size %= 64;
    }
    if (size != 0) {
        std::memcpy(block_, p, size);
        used_ = size;
    }
}

CLEANROOMSML_DECL sha256::digest sha256::finish() noexcept
{
    std::uint64_t const bits = length_ * 8;
    block_[used_++] = 0x80;
    if (used_ > 56) {
        std::memset(block_ + used_, 0, sizeof block_ - used_);
        sha256_impl::compress(state_, block_, 1);
        used_ = 0;
    }
    std::memset(block_ + used_, 0, 56 - used_);
    sha256_impl::store_be32(block_ + 56, static_cast<std::uint32_t>(bits >> 32));
    sha256_impl::store_be32(block_ + 60, static_cast<std::uint32_t>(bits));
    sha256_impl::compress(state_, block_, 1);
    digest out;
    for (int i = 0; i < 8; ++i) sha256_impl::store_be32(out.data() + 4 * i, state_[i]);
    return out;
}

CLEANROOMSML_DECL void sha256::wipe() noexcept { OPENSSL_cleanse(this, sizeof *this); }

CLEANROOMSML_DECL bool sha256::uses_cpu_extensions() noexcept
{
    return sha256_impl::chosen() != sha256_impl::compress_portable;
}

CLEANROOMSML_DECL void hmac_sha256::set_key(void const* key, std::size_t size) noexcept
{
    unsigned char pad[64] = {};
    if (size > sizeof pad) {
        sha256 h;
        h.update(key, size);
        auto const d = h.finish();
        std::memcpy(pad, d.data(), d.size());
        h.wipe();
    } else if (size != 0) {
        std::memcpy(pad, key, size);
    }
    for (auto& b : pad) b ^= 0x36;
    inner_.reset();
    inner_.update(pad, sizeof pad);
    for (auto& b : pad) b ^= 0x36 ^ 0x5c;
    outer_.reset();
    outer_.update(pad, sizeof pad);
    OPENSSL_cleanse(pad, sizeof pad);
}

CLEANROOMSML_DECL sha256::digest hmac_sha256::mac(std::string_view data) const noexcept
{
    sha256 h = inner_;
    h.update(data);
    auto const inner = h.finish();
    h = outer_;
    h.update(inner.data(), inner.size());
    auto const out = h.finish();
    h.wipe();
    return out;
}

CLEANROOMSML_DECL void hmac_sha256::wipe() noexcept
{
    inner_.wipe();
    outer_.wipe();
}

} // namespace cleanroomsml::detail

#endif
