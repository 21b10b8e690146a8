#ifndef CLEANROOMSML_DETAIL_REST_JSON_HPP
#define CLEANROOMSML_DETAIL_REST_JSON_HPP

// The restJson1 protocol: request shape -> HTTP request parts, HTTP
// response -> output shape or AWS error. Transport-free, so the client, the
// emulator and the tests share it.

#include <cleanroomsml/detail/json_read.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/operation.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

struct encoded_request {
    std::string_view method;
    std::string path;   ///< percent-encoded, after encode_options::path_prefix
    std::string query;  ///< "k=v&k=v", percent-encoded, without '?'
    std::vector<std::pair<std::string, std::string>> headers;  ///< header-bound members
    std::string body;   ///< JSON; empty when has_body is false
    bool has_body = false;

    void clear()
    {
        path.clear();
        query.clear();
        headers.clear();
        body.clear();
        has_body = false;
    }
};

struct encode_options {
    /// Fills idempotency-token members left empty (UUIDv4 by default).
    std::string (*idempotency_token)() = nullptr;
    /// Written before the path (the client's endpoint path, or a proxy's
    /// absolute-form prefix), so that the path is the request target.
    std::string_view path_prefix{};
};

/// Builds the HTTP request of `op` from `request` (described by `input`).
/// Fails with client_errc::invalid_request when a label is missing or empty.
CLEANROOMSML_DECL error_code encode_request(operation_info const& op, type_info const& input, void const* request,
                                            encoded_request& out, read_error& err, encode_options const& opt = {});

/// Looks up a header by case-insensitive name.
struct header_source {
    void const* context = nullptr;
    std::optional<std::string_view> (*get)(void const*, std::string_view) = nullptr;

    std::optional<std::string_view> operator()(std::string_view name) const
    {
        return get ? get(context, name) : std::nullopt;
    }
};

/// Reads a response into the output shape: body members from the JSON,
/// header members from the headers.
CLEANROOMSML_DECL error_code decode_response(type_info const& output, void* out, std::string_view body,
                                             header_source headers, read_error& err);

// ---- The server side, for the emulator and the tests ----

/// Matches a request path (as sent, percent-encoded, without the query)
/// against an operation's URI template. On a match, `labels` holds each
/// label's name and its percent-decoded value, in template order.
CLEANROOMSML_DECL bool match_uri(std::string_view uri_template, std::string_view path,
                                 std::vector<std::pair<std::string_view, std::string>>& labels);

/// Reads an HTTP request into the input shape of `op`: labels from the path,
/// members from the query, the headers and the JSON body. Only what the
/// request carries is set; constraints are the validator's business.
/// Fails with client_errc::invalid_request and `err` naming the member.
CLEANROOMSML_DECL error_code decode_request(operation_info const& op, type_info const& input, void* out,
                                            std::string_view path, std::string_view query, header_source headers,
                                            std::string_view body, read_error& err);

struct encoded_response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  ///< header-bound members
    std::string body;                                          ///< JSON; "{}" with no body members
};

/// Builds the HTTP response of `op` from an output shape.
CLEANROOMSML_DECL void encode_response(operation_info const& op, type_info const& output, void const* response,
                                       encoded_response& out);

/// The error type and message of an AWS error response.
struct aws_error {
    std::string type;     ///< "ValidationException"
    std::string message;
};

/// Strips an AWS error type to its shape name:
/// "aws.protocoltests.restjson#FooError:http://internal.amazon.com/" -> "FooError".
CLEANROOMSML_DECL std::string_view sanitize_error_type(std::string_view raw) noexcept;

/// The error type from X-Amzn-ErrorType, else body `code`/`Code`/`__type`;
/// the message from body `message`/`Message`. Tolerates any body.
CLEANROOMSML_DECL aws_error parse_error_response(std::optional<std::string_view> error_type_header,
                                                 std::string_view body);

/// A fresh UUIDv4 for idempotency-token members the caller left empty.
CLEANROOMSML_DECL std::string default_idempotency_token();
/// The same, written into 36 characters.
CLEANROOMSML_DECL void write_uuid4(char (&out)[36]) noexcept;

/// Parses the text of a header into a scalar (or a list element).
CLEANROOMSML_DECL bool parse_header_value(type_info const& t, void* p, std::string_view s, timestamp_format f);

/// Text of a scalar for a label, query parameter or header.
CLEANROOMSML_DECL bool scalar_text(std::string& out, type_info const& ti, void const* p, timestamp_format f);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/rest_json.ipp>
#endif

#endif
