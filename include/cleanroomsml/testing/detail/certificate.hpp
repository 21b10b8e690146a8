#ifndef CLEANROOMSML_TESTING_DETAIL_CERTIFICATE_HPP
#define CLEANROOMSML_TESTING_DETAIL_CERTIFICATE_HPP

// A self-signed certificate made at run time, so a TLS emulator or test
// server needs no key material on disk.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace cleanroomsml::testing::detail {

struct certificate {
    std::string cert_pem;
    std::string key_pem;
};

/// An EC P-256 certificate that is its own CA, valid from `not_before` to
/// `not_after` seconds from now (default: from an hour ago for a day).
/// `subject_alt_names` in OpenSSL's syntax: "IP:127.0.0.1,DNS:localhost".
inline certificate make_certificate(char const* subject_alt_names, long not_before = -3600,
                                    long not_after = 24 * 3600)
{
    auto check = [](bool ok, char const* what) {
        if (!ok) throw std::runtime_error(std::string("making a test certificate: ") + what + " failed");
    };
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), &EVP_PKEY_free);
    check(key != nullptr, "EVP_EC_gen");
    std::unique_ptr<X509, decltype(&X509_free)> x(X509_new(), &X509_free);
    check(x != nullptr, "X509_new");
    X509_set_version(x.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 4242);
    X509_gmtime_adj(X509_getm_notBefore(x.get()), not_before);
    X509_gmtime_adj(X509_getm_notAfter(x.get()), not_after);
    X509_set_pubkey(x.get(), key.get());
    X509_NAME* name = X509_get_subject_name(x.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<unsigned char const*>("cleanroomsml emulator"), -1, -1, 0);
    X509_set_issuer_name(x.get(), name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x.get(), x.get(), nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, subject_alt_names},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
        check(ext != nullptr, "X509V3_EXT_conf_nid");
        X509_add_ext(x.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    check(X509_sign(x.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

    auto to_pem = [&](auto write) {
        std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
        check(bio != nullptr && write(bio.get()), "PEM_write");
        char* data = nullptr;
        long n = BIO_get_mem_data(bio.get(), &data);
        return std::string(data, static_cast<std::size_t>(n));
    };
    certificate out;
    out.cert_pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, x.get()) == 1; });
    out.key_pem = to_pem([&](BIO* b) {
        return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    });
    return out;
}

} // namespace cleanroomsml::testing::detail

#endif
