#ifndef CLEANROOMSML_DETAIL_SIGV4_HPP
#define CLEANROOMSML_DETAIL_SIGV4_HPP

// AWS Signature Version 4 (HMAC-SHA256), header signing and query
// pre-signing, transport-free: the request goes in as views, the result
// comes out as views into the signer's own buffers.
//
// Canonicalization (non-S3 rules unless told otherwise):
//   * path: optionally normalised (`.` and `..` segments removed, repeated
//     '/' collapsed, a trailing '/' kept), then percent-encoded once more
//     ('/' kept), so the wire form "%3A" signs as "%253A";
//   * query: split on '&' (empty pairs dropped), each pair on its first '=',
//     name and value percent-decoded then re-encoded with the RFC 3986
//     unreserved set, sorted by encoded name then encoded value, `name=` for
//     an empty value;
//   * headers: names lower-cased, values trimmed with inner runs of
//     whitespace (newlines included) collapsed to one space, repeated names
//     joined with ',' in their original order, sorted by name.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/sha256.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

/// A header as (name, value); names in any case.
using sigv4_header = std::pair<std::string_view, std::string_view>;

/// What is signed. Everything is borrowed for the duration of the call only.
struct sigv4_request {
    std::string_view method;
    /// As sent on the wire, already percent-encoded
    /// (e.g. "/audience-model/arn%3Aaws%3Acleanrooms-ml%3A...").
    std::string_view path;
    /// As sent, without the '?'; may be empty.
    std::string_view query{};
    /// Every header to sign, in any case, names may repeat. Leave out the
    /// headers a proxy may rewrite (User-Agent, X-Amzn-Trace-Id, Expect,
    /// Connection). Authorization and X-Amz-Date are always ignored, and so
    /// are X-Amz-Security-Token when the credentials carry a token and
    /// X-Amz-Content-SHA256 when the signer adds its own: the signer produces
    /// those itself.
    std::span<sigv4_header const> headers{};
    /// The body bytes; hashed unless payload_hash is given.
    std::string_view payload{};
    /// Non-empty: used as the payload hash verbatim (a precomputed lower-case
    /// hex SHA-256, or "UNSIGNED-PAYLOAD"), and payload is not read.
    std::string_view payload_hash{};
};

struct sigv4_params {
    std::string_view region;
    std::string_view service;
    /// Signing time; sub-second parts are dropped.
    std::chrono::system_clock::time_point time;
    /// Remove `.`/`..` segments and repeated '/' (false for S3).
    bool normalize_path = true;
    /// Percent-encode the wire path once more (false for S3).
    bool double_encode_path = true;
    /// Header signing: add and sign X-Amz-Content-SHA256 (the payload hash).
    bool sign_payload_header = false;
    /// The session token is added to the request but left out of the
    /// signature (what some services such as IoT expect).
    bool omit_session_token = false;
    /// Query signing: X-Amz-Expires (the service allows 1 s .. 7 days).
    std::chrono::seconds expires{3600};
};

/// Signs requests with SigV4. Meant to be owned per client or connection and
/// reused: after the first few requests its buffers have grown to size and
/// signing no longer allocates. The derived signing key is cached per
/// (secret, date, region, service) as an OpenSSL HMAC context holding the
/// key (detail/sha256.hpp), so a signature costs the hashing of the
/// canonical request and of the string to sign; the secret is compared in
/// constant time. Constructing one fetches OpenSSL's algorithms on first use
/// in the process and throws std::runtime_error when no provider offers them.
///
/// Every view it returns points into the signer and stays valid until its
/// next signing call, its destruction or its move. Not thread-safe: one
/// signer per strand.
///
/// Signing cannot fail, short of an allocation or an OpenSSL error (both
/// thrown). Validating the credentials,
/// region and service is the caller's job.
class signer {
public:
    CLEANROOMSML_DECL signer();
    ~signer() = default;
    signer(signer&&) noexcept = default;
    signer& operator=(signer&&) noexcept = default;
    signer(signer const&) = delete;
    signer& operator=(signer const&) = delete;

    /// Header signing. Returns the headers to set on the request (replacing
    /// any header of the same name), in this order: X-Amz-Date,
    /// X-Amz-Security-Token (when the credentials carry a token),
    /// X-Amz-Content-SHA256 (when params.sign_payload_header), Authorization.
    CLEANROOMSML_DECL std::span<sigv4_header const>
    sign_headers(credentials const& creds, sigv4_request const& req, sigv4_params const& params);

    /// Query pre-signing. Returns the encoded parameters to append to the
    /// request's query ('&' between them, no leading '?' or '&'):
    /// X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
    /// X-Amz-SignedHeaders, X-Amz-Security-Token (with a token),
    /// X-Amz-Signature. The headers in req are signed and must be sent as
    /// they are; params.sign_payload_header is ignored. The query must not
    /// already hold X-Amz-* authentication parameters.
    CLEANROOMSML_DECL std::string_view
    presign_query(credentials const& creds, sigv4_request const& req, sigv4_params const& params);

    /// The last signature's canonical request, string to sign and hex
    /// signature, for tests and diagnostics. None holds the secret key; the
    /// canonical request holds the session token when it was signed.
    std::string_view canonical_request() const noexcept { return canonical_; }
    std::string_view string_to_sign() const noexcept { return string_to_sign_; }
    std::string_view signature() const noexcept { return signature_; }

    /// How many signing keys were derived (cache misses), for tests.
    std::uint64_t key_derivations() const noexcept { return derivations_; }

private:
    // The secret-bearing state: wiped when destroyed, reassigned or moved from.
    struct key_cache {
        std::string secret; // "AWS4" + secret access key
        std::string region;
        std::string service;
        std::array<char, 8> date{};
        hmac_sha256 key;     // HMAC with the derived signing key, ready to use
        bool valid = false;  // key derived for (secret, region, service, date)

        key_cache() = default;
        CLEANROOMSML_DECL key_cache(key_cache&& other) noexcept;
        CLEANROOMSML_DECL key_cache& operator=(key_cache&& other) noexcept;
        CLEANROOMSML_DECL ~key_cache();
        CLEANROOMSML_DECL void wipe() noexcept;
    };

    struct header_entry {
        std::uint32_t name_offset; // lower-cased name in names_
        std::uint32_t name_size;
        std::uint32_t order;       // position in the input, keeps repeated names in order
        std::string_view value;
    };
    struct query_entry {
        std::uint32_t offset;      // encoded name then encoded value in query_arena_
        std::uint32_t name_size;
        std::uint32_t value_size;
    };
    CLEANROOMSML_DECL void begin(credentials const& creds, sigv4_request const& req, sigv4_params const& params);
    CLEANROOMSML_DECL void collect_headers(sigv4_request const& req, bool own_token, bool own_content_hash);
    CLEANROOMSML_DECL void add_header(std::string_view name, std::string_view value, std::uint32_t order);
    CLEANROOMSML_DECL void append_canonical_uri(std::string_view path, sigv4_params const& params);
    CLEANROOMSML_DECL void add_query(std::string_view query);
    CLEANROOMSML_DECL void append_canonical_query();
    CLEANROOMSML_DECL void sort_headers();
    CLEANROOMSML_DECL void append_canonical_headers();
    CLEANROOMSML_DECL void finish(credentials const& creds, sigv4_params const& params);
    CLEANROOMSML_DECL void use_signing_key(std::string_view secret, std::string_view region, std::string_view service);

    key_cache cache_;
    std::uint64_t derivations_ = 0;
    sha256_context digest_;  // the canonical request's and the payload's

    // Per-signature state and scratch buffers (reused).
    std::array<char, 16> amz_date_{}; // YYYYMMDDTHHMMSSZ
    std::string signature_;           // lower-case hex
    std::string payload_hash_;
    std::string scope_;           // date/region/service/aws4_request
    std::string token_;
    std::string names_;           // lower-cased header names
    std::vector<header_entry> headers_;
    std::string signed_headers_;
    std::string path_;
    std::string decoded_;
    std::string query_arena_;
    std::vector<query_entry> query_;
    std::string canonical_;
    std::string string_to_sign_;
    std::string authorization_;
    std::string presigned_query_;
    std::array<sigv4_header, 4> out_{};
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sigv4.ipp>
#endif

#endif
