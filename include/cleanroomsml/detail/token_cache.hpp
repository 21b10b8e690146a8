#ifndef CLEANROOMSML_DETAIL_TOKEN_CACHE_HPP
#define CLEANROOMSML_DETAIL_TOKEN_CACHE_HPP

// The JSON files the AWS CLI keeps for sign-in sessions (~/.aws/sso/cache,
// ~/.aws/login/cache): their names, reading them, and writing them back the
// way botocore does, so that either tool can go on with the other's file.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/detail/sha256.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace cleanroomsml::detail {

/// Lower-case hex of SHA-1 of `text` (OpenSSL): the SSO cache files' names
/// (sha256_hex, from detail/sha256.hpp, names the login cache's).
CLEANROOMSML_DECL std::string sha1_hex(std::string_view text);

/// Reads `path` (at most 1 MiB) as a JSON object. False with the reason in
/// `why` (the path and the problem, never the content); `ec` is
/// errc::no_such_file_or_directory for a missing file.
CLEANROOMSML_DECL bool read_json_object_file(std::string const& path, boost::json::object& out, error_code& ec,
                                             std::string& why);

/// The object as Python's json.dumps(obj) writes it (", " and ": "
/// separators, non-ASCII as \uXXXX): botocore's format for these files.
CLEANROOMSML_DECL std::string python_json_dumps(boost::json::value const& v);

/// Replaces `dir`/`name` atomically: a temporary file in `dir` (created with
/// its parents when missing, mode 0700), written, flushed to disk, renamed
/// over the old one. The file is 0600.
CLEANROOMSML_DECL bool write_file_atomically(std::string const& dir, std::string const& name,
                                             std::string_view content, error_code& ec, std::string& why);

/// An expiry as the caches hold it: RFC 3339 ("2026-12-06T10:00:00Z",
/// "...+00:00", fractions), or botocore's older "2026-12-06T10:00:00UTC".
CLEANROOMSML_DECL std::optional<timestamp> parse_cache_time(std::string_view text);

/// "%Y-%m-%dT%H:%M:%SZ", as botocore writes expiries (whole seconds).
CLEANROOMSML_DECL std::string format_cache_time(timestamp t);

/// What an SSO token cache file must hold: accessToken and expiresAt; the
/// refresh members are optional (checked when a refresh needs them).
struct sso_cached_token {
    std::string access_token;
    timestamp expires_at{};
};

/// False, naming what is missing or malformed (never a value), when `o` is not a usable SSO token.
CLEANROOMSML_DECL bool parse_sso_token(boost::json::object const& o, sso_cached_token& out, std::string& why);

/// What an `aws login` cache file must hold.
struct login_cached_session {
    std::string access_key_id, secret_access_key, session_token;
    std::optional<std::string> account_id;
    timestamp expires_at{};
    std::string client_id, refresh_token, dpop_key;
};

/// False, naming the missing fields or the malformed one (never a value),
/// when `o` is not a usable login session (botocore's required fields:
/// accessToken, refreshToken, dpopKey, clientId).
CLEANROOMSML_DECL bool parse_login_session(boost::json::object const& o, login_cached_session& out, std::string& why);

/// The string member `key` of `o`, or nullopt when absent or not a string.
CLEANROOMSML_DECL std::optional<std::string_view> string_member(boost::json::object const& o, std::string_view key);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/token_cache.ipp>
#endif

#endif
