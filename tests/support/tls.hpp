#ifndef CLEANROOMSML_TESTS_SUPPORT_TLS_HPP
#define CLEANROOMSML_TESTS_SUPPORT_TLS_HPP

// Self-signed certificates made at run time with OpenSSL, and a server TLS
// context from one: tests need no key material on disk.

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include <cleanroomsml/testing/detail/certificate.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <unistd.h>

namespace test_support {

namespace asio = boost::asio;

using test_certificate = cleanroomsml::testing::detail::certificate;
using cleanroomsml::testing::detail::make_certificate;

/// Writes `text` (a CA bundle) to a file in the temp directory named by
/// `prefix` and this process; its path. The caller removes it.
inline std::string write_temp(std::string const& prefix, std::string const& text)
{
    auto path = std::filesystem::temp_directory_path() / (prefix + std::to_string(::getpid()));
    std::ofstream(path) << text;
    return path.string();
}

inline std::unique_ptr<asio::ssl::context> server_tls(test_certificate const& c)
{
    auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->use_certificate_chain(asio::buffer(c.cert_pem));
    ctx->use_private_key(asio::buffer(c.key_pem), asio::ssl::context::pem);
    return ctx;
}

} // namespace test_support

#endif
