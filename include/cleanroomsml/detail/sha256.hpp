#ifndef CLEANROOMSML_DETAIL_SHA256_HPP
#define CLEANROOMSML_DETAIL_SHA256_HPP

// SHA-256 and HMAC-SHA256 through OpenSSL's EVP layer, so that a FIPS
// configuration of the system (its providers and default properties) governs
// every digest the library computes. The algorithms are fetched once per
// process; what makes a signature cheap is kept from the former hand-written
// code: a digest context reused by its owner, and an HMAC context prepared
// with its key once and restarted per message (OpenSSL keeps the padded key
// states, so a restart costs no key schedule).

#include <cleanroomsml/detail/config.hpp>

#include <openssl/types.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

using sha256_digest = std::array<unsigned char, 32>;

/// SHA-256 and HMAC as fetched from OpenSSL's providers, and an HMAC context
/// with SHA-256 set and no key, which keys are set on copies of (setting the
/// digest by name would fetch it again for every key).
struct sha256_algorithms {
    EVP_MD* sha256 = nullptr;
    EVP_MAC* hmac = nullptr;
    EVP_MAC_CTX* hmac_sha256 = nullptr;
};

/// Fetches both from `lib` (null: the default library context) under
/// `properties` (null: the context's default properties, e.g. "fips=yes"
/// from openssl.cnf). Throws std::runtime_error naming the algorithm, the
/// property query and OpenSSL's reason when a provider offers none. The
/// caller owns the result (free_sha256_algorithms).
CLEANROOMSML_DECL sha256_algorithms fetch_sha256_algorithms(OSSL_LIB_CTX* lib, char const* properties);
CLEANROOMSML_DECL void free_sha256_algorithms(sha256_algorithms& a) noexcept;

/// The process-wide fetch from the default context, done on first use (a
/// failure is thrown again on every later use).
CLEANROOMSML_DECL sha256_algorithms const& default_sha256_algorithms();

/// A SHA-256 context reused for many digests (not thread-safe).
class sha256_context {
public:
    CLEANROOMSML_DECL explicit sha256_context(sha256_algorithms const& algs = default_sha256_algorithms());
    CLEANROOMSML_DECL sha256_digest digest(std::string_view data);

private:
    struct free_ctx {
        CLEANROOMSML_DECL void operator()(EVP_MD_CTX* c) const noexcept;
    };
    EVP_MD const* md_;
    std::unique_ptr<EVP_MD_CTX, free_ctx> ctx_;
};

/// SHA-256 of `data` with this thread's context.
CLEANROOMSML_DECL sha256_digest sha256(std::string_view data);

/// Appends the lower-case hex of `d`.
CLEANROOMSML_DECL void append_hex(std::string& out, sha256_digest const& d);
/// Lower-case hex SHA-256 of `data`.
CLEANROOMSML_DECL std::string sha256_hex(std::string_view data);

/// HMAC-SHA256 with its key set once. Copying is not offered: the key's
/// states live in OpenSSL and are cleansed when the context is freed. A new
/// key overwrites the states of the one before in place. Not thread-safe,
/// mac() included.
class hmac_sha256 {
public:
    hmac_sha256() noexcept = default;
    explicit hmac_sha256(std::string_view key) { set_key(key.data(), key.size()); }
    hmac_sha256(hmac_sha256&&) noexcept = default;
    hmac_sha256& operator=(hmac_sha256&&) noexcept = default;

    CLEANROOMSML_DECL void set_key(void const* key, std::size_t size,
                                   sha256_algorithms const& algs = default_sha256_algorithms());
    /// The MAC of `data` under the key (set_key() must have been called).
    CLEANROOMSML_DECL sha256_digest mac(std::string_view data) const;
    bool has_key() const noexcept { return ctx_ != nullptr; }
    /// Frees the key's states (OpenSSL overwrites them).
    void wipe() noexcept { ctx_.reset(); }

private:
    struct free_ctx {
        CLEANROOMSML_DECL void operator()(EVP_MAC_CTX* c) const noexcept;
    };
    std::unique_ptr<EVP_MAC_CTX, free_ctx> ctx_;
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sha256.ipp>
#endif

#endif
