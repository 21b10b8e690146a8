#ifndef CLEANROOMSML_DETAIL_DPOP_HPP
#define CLEANROOMSML_DETAIL_DPOP_HPP

// DPoP proofs (RFC 9449) for the `aws login` credential provider: the AWS
// sign-in service only refreshes a session when each token request carries
// a JWT signed with the key the login cache keeps next to the tokens.
// The proof matches the one the AWS CLI / botocore send, byte for byte up
// to the signature (ECDSA signatures are randomised):
//
//   base64url(header) "." base64url(payload) "." base64url(r || s)
//
// with compact JSON whose members come in a fixed order, base64url without
// padding, and an ES256 signature over the first two parts. OpenSSL does all
// of the key handling, hashing and signing.

#include <cleanroomsml/detail/config.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

// OpenSSL's EVP_PKEY, named without including OpenSSL's headers here.
struct evp_pkey_st;

namespace cleanroomsml::detail {

/// An EC P-256 private key for DPoP proofs, loaded from the PEM text the
/// login cache stores ("-----BEGIN EC PRIVATE KEY-----" SEC1, or PKCS#8
/// "PRIVATE KEY"). Copies share the key; proof() may be called from several
/// threads at once.
class dpop_key {
public:
    dpop_key() = default;  ///< empty

    /// Loads the first private key in `pem`. Returns false with a reason in
    /// `why` (never the key material) when the text is not an unencrypted EC
    /// P-256 private key; the key is then empty. Never prompts for a passphrase.
    CLEANROOMSML_DECL bool load_pem(std::string_view pem, std::string& why);

    explicit operator bool() const noexcept { return key_ != nullptr; }

    /// The proof JWT for a POST to `url`. Header
    /// {"typ":"dpop+jwt","alg":"ES256","jwk":{"kty":"EC","x":..,"y":..,"crv":"P-256"}},
    /// payload {"htm":"POST","htu":url,"iat":iat,"jti":jti}: compact JSON
    /// with the members in exactly that order and strings escaped as Python's
    /// json.dumps does by default (non-ASCII as \uXXXX), so the proof is the
    /// one botocore would build. The signature is ES256 as the 64-byte r||s.
    /// Empty with a reason in `why` when the key is empty, `url` or `jti` is
    /// not valid UTF-8, or OpenSSL fails.
    CLEANROOMSML_DECL std::string proof(std::string_view url, std::int64_t iat, std::string_view jti,
                                        std::string& why) const;

private:
    std::shared_ptr<::evp_pkey_st> key_;
    std::string header_b64_;  // the encoded header depends on the key only: built once by load_pem
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/dpop.ipp>
#endif

#endif
