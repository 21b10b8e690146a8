#ifndef CLEANROOMSML_DETAIL_TLS_SESSION_HPP
#define CLEANROOMSML_DETAIL_TLS_SESSION_HPP

// A TLS client session that never touches the socket: OpenSSL reads
// ciphertext from `incoming`, which the caller fills from the socket, and
// appends what it sends to `outgoing`, which the caller writes out. Compared
// with asio::ssl::stream this saves, per request, a copy of every byte
// through a BIO pair, a composed operation per TLS record and a trip through
// the scheduler for the write; the request goes out with one write and the
// response's records are decrypted as soon as they are in.
//
// Verification: the peer's chain against the SSL_CTX's trust store, with the
// SSL_CTX's verify mode, and when asked, its name or IP address (OpenSSL's
// own checks, no partial wildcards). SNI is sent for names only.
//
// Not movable: OpenSSL holds a pointer to the session.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/beast/core/flat_buffer.hpp>

#include <openssl/types.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

class tls_session {
public:
    /// What a step needs next.
    enum class status {
        ok,         ///< done (handshake), or bytes were decrypted (read)
        want_read,  ///< send `outgoing`, receive more into `incoming`, call again
        closed,     ///< the peer ended the session (close_notify)
        failed,     ///< see the error code; the session is unusable
    };

    tls_session() = default;
    CLEANROOMSML_DECL ~tls_session();
    tls_session(tls_session const&) = delete;
    tls_session& operator=(tls_session const&) = delete;

    /// Sets up a client session for `host` (a name or an IP literal).
    /// Fails with an SSL-category error when OpenSSL does.
    CLEANROOMSML_DECL error_code start(SSL_CTX* ctx, std::string const& host, bool verify_host);

    /// One step of the handshake: ok when it is done.
    CLEANROOMSML_DECL status handshake(error_code& ec);

    /// Encrypts `data` whole into `outgoing` (one record per 16 KiB).
    CLEANROOMSML_DECL error_code write(std::string_view data);

    /// Decrypts into [dst, dst + size): returns the bytes written, or 0
    /// with `s` saying why (want_read, closed or failed with `ec`).
    CLEANROOMSML_DECL std::size_t read(char* dst, std::size_t size, status& s, error_code& ec);

    /// Whether OpenSSL holds received bytes not yet returned by read().
    CLEANROOMSML_DECL bool has_pending() const noexcept;

    /// The certificate verification result (X509_V_OK when it passed or was not done).
    CLEANROOMSML_DECL long verify_result() const noexcept;

    SSL* native_handle() const noexcept { return ssl_; }

    boost::beast::flat_buffer incoming;  ///< ciphertext received, not yet taken by OpenSSL
    std::string outgoing;                ///< ciphertext to send

private:
    status failure(int ret, error_code& ec);

    SSL* ssl_ = nullptr;
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/tls_session.ipp>
#endif

#endif
