#ifndef CLEANROOMSML_DETAIL_STS_HPP
#define CLEANROOMSML_DETAIL_STS_HPP

// The two AWS STS query-protocol calls the credential providers need:
// AssumeRoleWithWebIdentity (unsigned) and AssumeRole (SigV4-signed with the
// source credentials). Both POST an application/x-www-form-urlencoded body
// (Action, Version=2011-06-15, ...) to https://sts.<region>.amazonaws.com
// (".amazonaws.com.cn" for cn-* regions; https://sts.amazonaws.com, signed
// for us-east-1, without a region) or to an endpoint override, and read the
// XML answer with a small strict parser:
//
//   <XResponse><XResult><Credentials>AccessKeyId, SecretAccessKey,
//   SessionToken, Expiration</Credentials><AssumedRoleUser><Arn>...
//
// (the account id is the Arn's fifth ':' field), or for an HTTP error
// <ErrorResponse><Error><Code/><Message/></Error><RequestId/></ErrorResponse>:
// the error is service_errc_from_type(Code) (throttling codes give
// service_errc::throttling) and the diagnostics carry the Code as error_type,
// "STS <Action> failed: Code: Message" as message, the status and RequestId.
// A malformed document is client_errc::unparsable_response. Neither the web
// identity token nor any credential ever goes into diagnostics.

#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroomsml::detail {

// --- XML -------------------------------------------------------------------

/// An element of a parsed XML document. Attributes are checked and dropped;
/// comments, processing instructions and the XML declaration are skipped.
struct xml_element {
    std::string name;                   ///< as written, prefix included
    std::string text;                   ///< all character data directly inside it, entities decoded
    std::vector<xml_element> children;

    /// The first child whose local name (after any "prefix:") is `name`.
    CLEANROOMSML_DECL xml_element const* child(std::string_view name) const;
    /// child(a)->child(b)->..., nullptr when a step is missing.
    CLEANROOMSML_DECL xml_element const* find(std::initializer_list<std::string_view> path) const;
    /// The local name.
    CLEANROOMSML_DECL std::string_view local_name() const;
};

/// Parses a whole document strictly: one root element, matching end tags,
/// quoted attributes, CDATA sections, the five predefined entities and
/// numeric character references (which must name a valid XML character).
/// A DOCTYPE (any DTD) is rejected, so nothing is ever expanded; so are
/// nesting deeper than 32 levels and control characters. On failure returns
/// false with `why` naming the problem and its byte offset (never content).
CLEANROOMSML_DECL bool parse_xml(std::string_view document, xml_element& root, std::string& why);

// --- STS -------------------------------------------------------------------

struct sts_call_options {
    std::string region;                       ///< empty: the global endpoint, signed for us-east-1
    std::optional<std::string> endpoint{};    ///< overrides the endpoint ("http://127.0.0.1:8080")
    std::chrono::milliseconds timeout{10000};
    std::optional<std::string> ca_file{};
};

struct sts_web_identity_params {
    std::string role_arn;
    std::string session_name;
    std::string web_identity_token;
    std::optional<std::chrono::seconds> duration{};
};

struct sts_assume_role_params {
    std::string role_arn;
    std::string session_name;
    std::optional<std::string> external_id{};
    std::chrono::seconds duration{3600};
};

/// application/x-www-form-urlencoded as AWS query protocols send it:
/// RFC 3986 unreserved characters kept, every other byte %XX (upper case).
CLEANROOMSML_DECL std::string form_encode(std::string_view s);

CLEANROOMSML_DECL std::string sts_web_identity_body(sts_web_identity_params const& p);
CLEANROOMSML_DECL std::string sts_assume_role_body(sts_assume_role_params const& p);

/// The STS URL and signing region for the options; false with `why` for a
/// region that is not a plain region name.
CLEANROOMSML_DECL bool sts_endpoint(sts_call_options const& options, std::string& url, std::string& signing_region,
                                    std::string& why);

/// Interprets an STS answer to `action` ("AssumeRole", ...): fills `out` on
/// success, else returns the error and fills `diag`.
CLEANROOMSML_DECL error_code parse_sts_response(std::string_view action, int status, std::string_view body,
                                                credentials& out, diagnostics& diag);

/// A session name for calls that were not given one: "cleanroomsml-<ms since epoch>".
CLEANROOMSML_DECL std::string generated_session_name();

CLEANROOMSML_DECL asio::awaitable<credentials_fetch_result>
sts_assume_role_with_web_identity(sts_call_options options, sts_web_identity_params params);

CLEANROOMSML_DECL asio::awaitable<credentials_fetch_result>
sts_assume_role(sts_call_options options, sts_assume_role_params params, credentials source);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/sts.ipp>
#endif

#endif
