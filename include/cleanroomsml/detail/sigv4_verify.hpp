#ifndef CLEANROOMSML_DETAIL_SIGV4_VERIFY_HPP
#define CLEANROOMSML_DETAIL_SIGV4_VERIFY_HPP

// The server side of SigV4: checks a received request's Authorization
// header by signing the request again with the same signer the client uses.
// The emulator and the tests' servers rely on it.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/sigv4.hpp>

#include <chrono>
#include <span>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

struct sigv4_expectation {
    std::string_view region;
    std::string_view service;
    /// nullptr: any well-formed signature for the scope is accepted.
    credentials const* creds = nullptr;
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
    std::chrono::seconds max_skew{300};
};

enum class sigv4_outcome {
    ok,
    missing,        ///< no Authorization header (or no X-Amz-Date)
    malformed,      ///< an Authorization header that is not SigV4 as AWS writes it
    wrong_scope,    ///< another region or service, or a date not matching X-Amz-Date
    unknown_key,    ///< an access key (or session token) other than the expected one
    expired,        ///< X-Amz-Date too far from `now`
    mismatch,       ///< the signature differs
};

struct sigv4_verdict {
    sigv4_outcome outcome = sigv4_outcome::ok;
    std::string message;           ///< why, for the error response; empty when ok
    std::string access_key_id;     ///< from the credential scope, when it could be read
    explicit operator bool() const noexcept { return outcome == sigv4_outcome::ok; }
};

/// `path` and `query` as received (percent-encoded, query without '?');
/// `headers` every received header. `s` signs the request again (reuse one
/// per strand: building a signer fetches the digests).
CLEANROOMSML_DECL sigv4_verdict verify_sigv4(signer& s, std::string_view method, std::string_view path, std::string_view query,
                                             std::span<sigv4_header const> headers, std::string_view body,
                                             sigv4_expectation const& expect);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sigv4_verify.ipp>
#endif

#endif
