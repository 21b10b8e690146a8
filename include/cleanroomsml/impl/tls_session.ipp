#ifndef CLEANROOMSML_IMPL_TLS_SESSION_IPP
#define CLEANROOMSML_IMPL_TLS_SESSION_IPP

#include <cleanroomsml/detail/tls_session.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <climits>
#include <cstring>

namespace cleanroomsml::detail {

namespace tls_session_impl {

// The BIO between OpenSSL and the session's two buffers. A read with
// nothing buffered asks to be retried (want_read); writes always succeed.
inline int bio_read(BIO* b, char* out, int size)
{
    auto& in = static_cast<tls_session*>(BIO_get_data(b))->incoming;
    BIO_clear_retry_flags(b);
    if (in.size() == 0) {
        BIO_set_retry_read(b);
        return -1;
    }
    auto const n = std::min(static_cast<std::size_t>(size), in.size());
    std::memcpy(out, in.data().data(), n);
    in.consume(n);
    return static_cast<int>(n);
}

inline int bio_write(BIO* b, char const* data, int size)
{
    BIO_clear_retry_flags(b);
    static_cast<tls_session*>(BIO_get_data(b))->outgoing.append(data, static_cast<std::size_t>(size));
    return size;
}

inline long bio_ctrl(BIO*, int cmd, long, void*)
{
    return cmd == BIO_CTRL_FLUSH ? 1 : 0;  // nothing else applies to plain buffers
}

inline int bio_create(BIO* b)
{
    BIO_set_init(b, 1);
    return 1;
}

inline int bio_destroy(BIO*) { return 1; }  // the buffers belong to the session

inline BIO_METHOD const* bio_method()
{
    // Built once per process; OpenSSL keeps no state in it.
    static BIO_METHOD* const m = [] {
        BIO_METHOD* x = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "cleanroomsml buffers");
        if (x && BIO_meth_set_read(x, bio_read) == 1 && BIO_meth_set_write(x, bio_write) == 1 &&
            BIO_meth_set_ctrl(x, bio_ctrl) == 1 && BIO_meth_set_create(x, bio_create) == 1 &&
            BIO_meth_set_destroy(x, bio_destroy) == 1)
            return x;
        BIO_meth_free(x);
        return static_cast<BIO_METHOD*>(nullptr);
    }();
    return m;
}

// The newest OpenSSL error (the one the failing call queued: an older one
// may be left over from unrelated code), the queue emptied.
inline error_code take_error()
{
    auto const e = ERR_peek_last_error();
    ERR_clear_error();
    if (e == 0) return make_error_code(boost::system::errc::protocol_error);
    return error_code(static_cast<int>(e), boost::asio::error::get_ssl_category());
}

} // namespace tls_session_impl

CLEANROOMSML_DECL tls_session::~tls_session()
{
    if (ssl_) SSL_free(ssl_);  // and the BIO with it
}

CLEANROOMSML_DECL error_code tls_session::start(SSL_CTX* ctx, std::string const& host, bool verify_host)
{
    using tls_session_impl::take_error;
    ssl_ = SSL_new(ctx);
    if (!ssl_) return take_error();
    auto const* method = tls_session_impl::bio_method();
    BIO* bio = method ? BIO_new(method) : nullptr;
    if (!bio) return take_error();
    BIO_set_data(bio, this);
    SSL_set_bio(ssl_, bio, bio);
    SSL_set_connect_state(ssl_);
    // A server's renegotiation request is declined: every step then needs
    // at most one direction at a time.
    SSL_set_options(ssl_, SSL_OP_NO_RENEGOTIATION);

    error_code not_ip;
    (void)boost::asio::ip::make_address(host, not_ip);
    // SNI for names only (RFC 6066 forbids IP literals there).
    if (not_ip && SSL_set_tlsext_host_name(ssl_, host.c_str()) != 1) return take_error();
    if (verify_host) {
        X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        int const ok = not_ip ? X509_VERIFY_PARAM_set1_host(param, host.data(), host.size())
                              : X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
        if (ok != 1) return take_error();
    }
    return {};
}

CLEANROOMSML_DECL tls_session::status tls_session::failure(int ret, error_code& ec)
{
    // Asked first, so that an error some other code left queued on this
    // thread cannot turn a plain "needs more bytes" into a failure.
    if (SSL_want_read(ssl_) && BIO_should_read(SSL_get_rbio(ssl_))) return status::want_read;
    switch (SSL_get_error(ssl_, ret)) {
    case SSL_ERROR_ZERO_RETURN:
        ec = boost::asio::error::eof;
        return status::closed;
    case SSL_ERROR_SSL:
        ec = tls_session_impl::take_error();
        return status::failed;
    default:
        // The BIO never reports an end of stream or a system error; the
        // caller ends the session when the socket does.
        ERR_clear_error();
        ec = boost::asio::ssl::error::stream_truncated;
        return status::failed;
    }
}

CLEANROOMSML_DECL tls_session::status tls_session::handshake(error_code& ec)
{
    int const r = SSL_do_handshake(ssl_);
    return r == 1 ? status::ok : failure(r, ec);
}

CLEANROOMSML_DECL error_code tls_session::write(std::string_view data)
{
    while (!data.empty()) {
        int const n = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), INT_MAX)));
        if (n <= 0) {
            error_code ec;
            if (failure(n, ec) == status::want_read)  // only mid-handshake, which callers finish first
                ec = make_error_code(boost::system::errc::protocol_error);
            return ec;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

CLEANROOMSML_DECL std::size_t tls_session::read(char* dst, std::size_t size, status& s, error_code& ec)
{
    int const n = SSL_read(ssl_, dst, static_cast<int>(std::min<std::size_t>(size, INT_MAX)));
    if (n > 0) {
        s = status::ok;
        return static_cast<std::size_t>(n);
    }
    s = failure(n, ec);
    return 0;
}

CLEANROOMSML_DECL bool tls_session::has_pending() const noexcept { return SSL_has_pending(ssl_) == 1; }

CLEANROOMSML_DECL long tls_session::verify_result() const noexcept { return ssl_ ? SSL_get_verify_result(ssl_) : X509_V_OK; }

} // namespace cleanroomsml::detail

#endif
