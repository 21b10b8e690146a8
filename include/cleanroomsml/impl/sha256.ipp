#ifndef CLEANROOMSML_IMPL_SHA256_IPP
#define CLEANROOMSML_IMPL_SHA256_IPP

#include <cleanroomsml/detail/sha256.hpp>

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>
#include <utility>

namespace cleanroomsml::detail {

namespace sha256_impl {

[[noreturn]] inline void fail(std::string what)
{
    // OpenSSL's reason for the last failure, e.g. "unsupported" from a fetch
    // that no provider answered.
    if (auto const e = ERR_peek_last_error(); e != 0) {
        if (char const* reason = ERR_reason_error_string(e)) what.append(" (").append(reason).append(")");
    }
    ERR_clear_error();
    throw std::runtime_error(what);
}

inline void check(int ok, char const* call)
{
    if (ok != 1) fail(std::string("cleanroomsml: OpenSSL's ") + call + " failed");
}

// The process-wide fetch, or why it failed.
struct default_algorithms {
    sha256_algorithms algs;
    std::string error;

    default_algorithms()
    {
        try {
            algs = fetch_sha256_algorithms(nullptr, nullptr);
        } catch (std::exception const& e) {
            error = e.what();
        }
    }
    ~default_algorithms() { free_sha256_algorithms(algs); }
    default_algorithms(default_algorithms const&) = delete;
    default_algorithms& operator=(default_algorithms const&) = delete;
};

} // namespace sha256_impl

CLEANROOMSML_DECL sha256_algorithms fetch_sha256_algorithms(OSSL_LIB_CTX* lib, char const* properties)
{
    auto const query = [&] {
        return std::string(properties ? "property query \"" + std::string(properties) + '"'
                                      : std::string("the default properties (openssl.cnf's default_properties)"));
    };
    sha256_algorithms a;
    a.sha256 = EVP_MD_fetch(lib, "SHA2-256", properties);
    if (!a.sha256) sha256_impl::fail("cleanroomsml: no OpenSSL provider offers SHA-256 under " + query());
    a.hmac = EVP_MAC_fetch(lib, "HMAC", properties);
    if (!a.hmac) {
        free_sha256_algorithms(a);
        sha256_impl::fail("cleanroomsml: no OpenSSL provider offers HMAC under " + query());
    }
    a.hmac_sha256 = EVP_MAC_CTX_new(a.hmac);
    // The digest by its fetched name, with the caller's properties: the same
    // provider's SHA-256 as a.sha256.
    char digest_name[] = "SHA2-256";
    std::string props = properties ? properties : "";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_PROPERTIES, props.data(), 0),
        OSSL_PARAM_construct_end(),
    };
    if (!properties) params[1] = OSSL_PARAM_construct_end();
    if (!a.hmac_sha256 || EVP_MAC_CTX_set_params(a.hmac_sha256, params) != 1) {
        free_sha256_algorithms(a);
        sha256_impl::fail("cleanroomsml: OpenSSL's HMAC refused SHA-256 under " + query());
    }
    return a;
}

CLEANROOMSML_DECL void free_sha256_algorithms(sha256_algorithms& a) noexcept
{
    EVP_MAC_CTX_free(std::exchange(a.hmac_sha256, nullptr));
    EVP_MAC_free(std::exchange(a.hmac, nullptr));
    EVP_MD_free(std::exchange(a.sha256, nullptr));
}

CLEANROOMSML_DECL sha256_algorithms const& default_sha256_algorithms()
{
    static sha256_impl::default_algorithms const fetched;
    if (!fetched.error.empty()) throw std::runtime_error(fetched.error);
    return fetched.algs;
}

// ---------------------------------------------------------------- SHA-256

CLEANROOMSML_DECL void sha256_context::free_ctx::operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }

CLEANROOMSML_DECL sha256_context::sha256_context(sha256_algorithms const& algs)
    : md_(algs.sha256), ctx_(EVP_MD_CTX_new())
{
    if (!ctx_) throw std::bad_alloc();
}

CLEANROOMSML_DECL sha256_digest sha256_context::digest(std::string_view data)
{
    sha256_digest d;
    unsigned int n = 0;
    sha256_impl::check(EVP_DigestInit_ex2(ctx_.get(), md_, nullptr), "EVP_DigestInit_ex2");
    sha256_impl::check(EVP_DigestUpdate(ctx_.get(), data.data(), data.size()), "EVP_DigestUpdate");
    sha256_impl::check(EVP_DigestFinal_ex(ctx_.get(), d.data(), &n), "EVP_DigestFinal_ex");
    return d;
}

CLEANROOMSML_DECL sha256_digest sha256(std::string_view data)
{
    thread_local sha256_context ctx;
    return ctx.digest(data);
}

CLEANROOMSML_DECL void append_hex(std::string& out, sha256_digest const& d)
{
    static constexpr char digits[] = "0123456789abcdef";
    auto const at = out.size();
    out.resize(at + 2 * d.size());
    char* p = out.data() + at;
    for (unsigned char b : d) {
        *p++ = digits[b >> 4];
        *p++ = digits[b & 0xf];
    }
}

CLEANROOMSML_DECL std::string sha256_hex(std::string_view data)
{
    std::string out;
    append_hex(out, sha256(data));
    return out;
}

// ---------------------------------------------------------------- HMAC

CLEANROOMSML_DECL void hmac_sha256::free_ctx::operator()(EVP_MAC_CTX* c) const noexcept { EVP_MAC_CTX_free(c); }

CLEANROOMSML_DECL void hmac_sha256::set_key(void const* key, std::size_t size, sha256_algorithms const& algs)
{
    if (!ctx_) {
        ctx_.reset(EVP_MAC_CTX_dup(algs.hmac_sha256));
        if (!ctx_) throw std::bad_alloc();
    }
    // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
    static unsigned char const empty = 0;
    auto const* k = size ? static_cast<unsigned char const*>(key) : &empty;
    if (EVP_MAC_init(ctx_.get(), k, size, nullptr) != 1) {
        ctx_.reset();
        sha256_impl::fail("cleanroomsml: OpenSSL's EVP_MAC_init failed");
    }
}

CLEANROOMSML_DECL sha256_digest hmac_sha256::mac(std::string_view data) const
{
    sha256_digest d;
    std::size_t n = 0;
    // A null key restarts the MAC from the states the key left.
    sha256_impl::check(EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr), "EVP_MAC_init");
    sha256_impl::check(
        EVP_MAC_update(ctx_.get(), reinterpret_cast<unsigned char const*>(data.data()), data.size()),
        "EVP_MAC_update");
    sha256_impl::check(EVP_MAC_final(ctx_.get(), d.data(), &n, d.size()), "EVP_MAC_final");
    return d;
}

} // namespace cleanroomsml::detail

#endif
