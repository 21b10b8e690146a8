// cleanroomsml-cli: the Clean Rooms ML operations from the command line,
// the way `aws cleanroomsml` offers them, so that scripts written for the
// AWS CLI run unchanged.
//
//   cleanroomsml-cli [global options] <command> [--member-name value ...]
//   cleanroomsml-cli get-audience-model --audience-model-arn ARN --query status --output text
//   cleanroomsml-cli wait audience-model-active --audience-model-arn ARN
//   cleanroomsml-cli completion bash|zsh
//
// Commands, waiters and their options come from the model's tables
// (operation traits, type tables, the X-macros of operations and waiters),
// not from code per operation. Exit codes are the AWS CLI's: 0 success, 252
// usage or parameter error, 253 configuration error, 254 error answered by
// the service, 255 any other failure. Where the AWS CLI's behaviour shows
// through (messages scripts read, pagination tokens, the order of checks),
// it is followed as observed with aws-cli 2.9 and described next to the code.

#include "cli/jmespath.hpp"
#include "cli/json_io.hpp"
#include "cli/options.hpp"
#include "cli/output.hpp"

#include <cleanroomsml.hpp>
#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>


namespace crml = cleanroomsml;
namespace asio = boost::asio;

namespace cli {

enum exit_code : int { success = 0, usage_failure = 252, config_failure = 253, service_failure = 254, failure = 255 };

constexpr std::string_view program = "cleanroomsml-cli";
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

/// A failure that is not a usage error, with its exit code and message
/// (printed after a blank line, as the AWS CLI prints errors).
struct cli_failure : std::runtime_error {
    int code;
    cli_failure(int c, std::string const& what) : std::runtime_error(what), code(c) {}
};

// ---- Python's spellings --------------------------------------------------------------------------------------
//
// The AWS CLI is Python: some of what scripts see is Python's way of
// writing values (botocore's validation messages, the JSON inside its
// pagination tokens, argparse's int(), difflib's close matches). These
// reproduce those spellings, beside cli::py's repr() and str().

namespace aws_py {

// repr(), str(), json.dumps and the type names are python.hpp's cli::py.

/// int(text) as argparse's `type=int` calls it: surrounding blanks, a sign,
/// digits with single underscores between them. Python's integers have no
/// bound; here they saturate, which no count on the command line reaches.
inline bool parse_int(std::string_view text, std::int64_t& out)
{
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    bool negative = false;
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
        negative = text[0] == '-';
        text.remove_prefix(1);
    }
    if (text.empty() || text.front() == '_' || text.back() == '_') return false;
    std::int64_t v = 0;
    bool saturated = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '_') {
            if (text[i - 1] == '_') return false;
            continue;
        }
        if (c < '0' || c > '9') return false;
        if (v > (INT64_MAX - (c - '0')) / 10) saturated = true;
        else v = v * 10 + (c - '0');
    }
    if (saturated) v = INT64_MAX;
    out = negative ? -v : v;
    return true;
}

/// base64.b64decode(text) without validation: characters outside the
/// alphabet are skipped, padding ends the data; false where Python raises.
inline bool b64decode(std::string_view text, std::string& out)
{
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    out.clear();
    int quad = 0, pads = 0;
    unsigned left = 0;
    int left_bits = 0;
    for (char c : text) {
        if (c == '=') {
            if (quad >= 2 && quad + ++pads >= 4) return true;
            continue;
        }
        int v = value(c);
        if (v < 0) continue;
        pads = 0;
        left = (left << 6) | static_cast<unsigned>(v);
        left_bits += 6;
        if (left_bits >= 8) {
            left_bits -= 8;
            out += static_cast<char>((left >> left_bits) & 0xFF);
            left &= (1u << left_bits) - 1;
        }
        quad = (quad + 1) % 4;
    }
    return quad == 0;
}

/// difflib.SequenceMatcher(None, a, b).ratio(), without junk heuristics
/// (they start at 200 characters).
inline double ratio(std::string_view a, std::string_view b)
{
    if (a.empty() && b.empty()) return 1.0;
    std::size_t matches = 0;
    std::vector<std::array<std::size_t, 4>> queue{{0, a.size(), 0, b.size()}};
    while (!queue.empty()) {
        auto [alo, ahi, blo, bhi] = queue.back();
        queue.pop_back();
        std::size_t besti = alo, bestj = blo, bestk = 0;
        std::vector<std::size_t> len(b.size() + 1, 0), next(b.size() + 1, 0);
        for (std::size_t i = alo; i < ahi; ++i) {
            std::fill(next.begin(), next.end(), 0);
            for (std::size_t j = blo; j < bhi; ++j) {
                if (a[i] != b[j]) continue;
                std::size_t k = next[j + 1] = (j > 0 ? len[j] : 0) + 1;
                if (k > bestk) {
                    besti = i + 1 - k;
                    bestj = j + 1 - k;
                    bestk = k;
                }
            }
            std::swap(len, next);
        }
        if (!bestk) continue;
        matches += bestk;
        if (alo < besti && blo < bestj) queue.push_back({alo, besti, blo, bestj});
        if (besti + bestk < ahi && bestj + bestk < bhi) queue.push_back({besti + bestk, ahi, bestj + bestk, bhi});
    }
    return 2.0 * static_cast<double>(matches) / static_cast<double>(a.size() + b.size());
}

/// difflib.get_close_matches(word, choices, n=3, cutoff=0.8).
inline std::vector<std::string> close_matches(std::string_view word, std::vector<std::string> const& choices)
{
    std::vector<std::pair<double, std::string>> scored;
    for (auto const& c : choices) {
        double r = ratio(c, word);
        if (r >= 0.8) scored.emplace_back(r, c);
    }
    std::sort(scored.begin(), scored.end(), [](auto const& x, auto const& y) { return x > y; });
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
    return out;
}

} // namespace aws_py

// ---- global options and settings -------------------------------------------------------------------------------

// The choices of the global options that have them, as the AWS CLI lists them.
inline std::vector<std::string> const output_choices{"json", "text", "table", "yaml", "yaml-stream"};
inline std::vector<std::string> const color_choices{"on", "off", "auto"};
inline std::vector<std::string> const binary_format_choices{"base64", "raw-in-base64-out"};
inline std::vector<std::string> const skeleton_choices{"input", "output", "yaml-input"};

struct global_options {
    std::optional<std::string> endpoint_url, region, profile, ca_bundle, starting_token, cli_input_json, query;
    std::optional<std::string> output;  // --output; else AWS_DEFAULT_OUTPUT, the profile's, "json"
    std::string color = "auto";
    std::optional<std::string> binary_format;
    std::optional<std::string> skeleton;  // "input", "output" (or "yaml-input")
    bool no_paginate = false, debug = false, no_verify_ssl = false, help = false, version = false;
    bool no_sign_request = false, no_cli_pager = false;
    std::optional<std::int64_t> max_items, page_size;  // Python ints: 0 and negatives reach the paginator
    std::vector<std::string> paging_words;  // --max-items 3 ... as typed, for "Unknown options" on other commands
    std::optional<double> read_timeout, connect_timeout;
};

/// What the shared config files' profile says for the CLI itself.
struct profile_settings {
    std::optional<std::string> output, timestamp_format;
};

/// What a command runs with.
struct session {
    global_options g;
    crml::client* client = nullptr;
    crml::call_options call{};
    std::string endpoint;  // the endpoint's URL, for messages about the connection
    std::string url;       // the request's URL (endpoint, path and query), as botocore names it in errors
    std::optional<jmespath::expression> query;
    profile_settings profile;
    bool profile_missing = false;  // a named profile that is in no shared file
    bool paginate = true;
    std::int64_t start_index = 0;  // items of the first page --starting-token had shown already
    json::object start_token;      // the members that --starting-token set, for the NextToken of a cut page
    void debug(std::string const& line) const
    {
        if (g.debug) std::cerr << "[debug] " << line << '\n';
    }
};

// ---- output ------------------------------------------------------------------------------------------------

/// The format's name from --output, AWS_DEFAULT_OUTPUT, the profile's
/// `output`, or "json", in the AWS CLI's order.
std::string output_name(session const& s)
{
    if (s.g.output) return *s.g.output;
    if (char const* v = std::getenv("AWS_DEFAULT_OUTPUT"); v && *v) return v;
    if (s.profile.output) return *s.profile.output;
    return "json";
}

/// The format, or the AWS CLI's failure for a name that --output's choices
/// did not check (AWS_DEFAULT_OUTPUT, the profile); it fails as late as the
/// AWS CLI does: when the formatter is made.
output_format resolve_format(session const& s)
{
    std::string name = output_name(s);
    auto f = parse_output_format(name);
    if (!f) throw cli_failure(failure, "Unknown output type: " + name);
    return *f;
}

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }

/// How tables are drawn: the terminal's width (0, meaning the AWS CLI's 80,
/// when stdout is none), colour as --color says.
output_options table_options(session const& s, std::string_view title)
{
    output_options o;
    o.title = title;
    bool terminal = stdout_is_terminal();
    o.color = s.g.color == "on" || (s.g.color == "auto" && terminal);
    winsize ws{};
    if (terminal && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) o.width = ws.ws_col;
    return o;
}

void write_out(std::string const& text)
{
    if (!text.empty()) std::fwrite(text.data(), 1, text.size(), stdout);
}

/// --query applied to a document; a failure while searching (a function
/// given the wrong type) fails the command as in the AWS CLI (255).
json::value apply_query(session const& s, json::value v)
{
    if (!s.query) return v;
    try {
        return s.query->search(v);
    } catch (jmespath::error const& e) {
        throw cli_failure(failure, e.what());
    }
}

/// Where the AWS CLI's formatter fails: what it wrote, then the error (255).
[[noreturn]] void output_failed(output_error const& e)
{
    write_out(e.printed());
    std::fflush(stdout);
    throw cli_failure(failure, e.what());
}

/// A response (or the merged pages) printed as the AWS CLI prints it:
/// --query first, then the format (which prints nothing for an empty response).
void print_document(session const& s, json::value const& response, output_format f, std::string_view title)
{
    json::value v = apply_query(s, response);
    try {
        write_out(format_output(v, f, table_options(s, title)));
    } catch (output_error const& e) {
        output_failed(e);
    }
}

/// One page, for the formats that print page by page (text, yaml-stream).
void print_page(session const& s, output_stream const& out, json::value const& page)
{
    json::value v = apply_query(s, page);
    try {
        write_out(out.page(v));
    } catch (output_error const& e) {
        output_failed(e);
    }
}

// Timestamps as the AWS CLI prints them by default (cli_timestamp_format
// iso8601): Python's datetime.isoformat(), microseconds (truncated, as
// dateutil reads the wire) when not zero, and "+00:00".
std::string iso_timestamp(crml::timestamp t)
{
    using namespace std::chrono;
    auto secs = floor<seconds>(t);
    auto micros = duration_cast<microseconds>(t - secs).count();
    std::string out;
    crd::format_timestamp(out, secs, crml::timestamp_format::date_time);
    if (!out.empty() && out.back() == 'Z') out.pop_back();
    if (micros) {
        char buf[32];
        std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros));
        out += buf;
    }
    return out + "+00:00";
}

void iso_timestamps(json::value& v, crd::type_info const& ti)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::timestamp:
        if (crml::timestamp t; v.is_string()) {
            auto s = v.get_string();
            if (crd::parse_date_time(std::string_view(s.data(), s.size()), t)) v = json::string(iso_timestamp(t));
        } else if (v.is_number()) {
            if (crd::parse_epoch_seconds(json::serialize(v), t)) v = json::string(iso_timestamp(t));
        }
        return;
    case value_kind::structure:
        if (!v.is_object()) return;
        for (std::size_t i = 0; i < ti.member_count; ++i) {
            auto const& m = ti.members[i];
            if (auto* x = v.get_object().if_contains(json::string_view(m.name.data(), m.name.size())))
                iso_timestamps(*x, m.type());
        }
        return;
    case value_kind::list:
        if (v.is_array())
            for (auto& x : v.get_array()) iso_timestamps(x, ti.element());
        return;
    case value_kind::map:
        if (v.is_object())
            for (auto& kv : v.get_object()) iso_timestamps(kv.value(), ti.element());
        return;
    default: return;
    }
}

bool wire_timestamps = false;  // the profile's cli_timestamp_format = wire

/// A response as the JSON document the output formats and --query see.
template <class Shape>
json::value response_json(Shape const& v)
{
    json::value doc = to_json_value(v);
    if (!wire_timestamps) iso_timestamps(doc, crd::type_of<Shape>());
    return doc;
}

// ---- errors ----------------------------------------------------------------------------------------------------

int print_error(int code, std::string const& text)
{
    std::cerr << text << '\n';
    return code;
}

// The AWS CLI's usage block, with this program's name and commands.
std::string usage_block()
{
    return "usage: " + std::string(program) + " [options] <command> [parameters]\n" +
           "To see help text, you can run:\n\n  " + std::string(program) + " help\n  " + std::string(program) +
           " <command> help\n  " + std::string(program) + " wait <waiter> help\n";
}

/// A usage or parameter error, as the AWS CLI prints each kind: argparse's
/// errors after the usage block ("<prog>: error: ..."), "Unknown options"
/// after it without the prefix, the others (botocore's reports, the
/// parameter parsers' errors) alone.
int report_usage(usage_error const& e)
{
    std::string_view what = e.what();
    auto starts = [&](std::string_view p) { return what.substr(0, p.size()) == p; };
    if (starts("Unknown options: ")) return print_error(usage_failure, "\n" + usage_block() + "\n" + std::string(what) + "\n");
    if (starts("argument ") || starts("the following arguments are required") || starts("unrecognized arguments"))
        return print_error(usage_failure,
                           "\n" + usage_block() + "\n" + std::string(program) + ": error: " + std::string(what) + "\n");
    return print_error(usage_failure, "\n" + std::string(what));
}

/// argparse's message (as the AWS CLI words it) for a value that is none of
/// `choices`: the choices two to a line, then the close matches.
std::string invalid_choice(std::string const& argument, std::string const& word, std::vector<std::string> const& choices)
{
    std::string msg = "argument " + argument + ": Invalid choice, valid choices are:\n";
    for (std::size_t i = 0; i < choices.size(); i += 2) {
        msg += '\n';
        for (std::size_t k = i; k < i + 2 && k < choices.size(); ++k) {
            if (k > i) msg += " | ";
            std::string c = choices[k];
            if (c.size() < 40) c.append(40 - c.size(), ' ');
            msg += c;
        }
    }
    auto possible = aws_py::close_matches(word, choices);
    if (!possible.empty()) {
        msg += "\n\n\nInvalid choice: " + py::repr(std::string_view(word)) + ", maybe you meant:\n";
        for (auto const& p : possible) msg += "\n  * " + p;
    }
    return msg;
}

struct failure_report {
    int code;
    std::string text;  // without the leading blank line
};

/// The URL of a request as botocore names it in connection errors: the
/// endpoint's URL with the request's path (after the endpoint's own path)
/// and query.
template <class Request>
std::string request_url(std::string const& endpoint, Request const& req)
{
    crd::encoded_request enc;
    crd::read_error err;
    if (crd::encode_request(crml::operation_traits<Request>::info, crd::type_of<Request>(), &req, enc, err))
        return endpoint;
    auto scheme = endpoint.find("://");
    auto path_at = endpoint.find_first_of("/?#", scheme == std::string::npos ? 0 : scheme + 3);
    std::string base = endpoint.substr(0, path_at);
    std::string path = path_at == std::string::npos ? "" : endpoint.substr(path_at);
    if (auto q = path.find_first_of("?#"); q != std::string::npos) path.resize(q);
    if (!path.empty() && path.back() == '/' && !enc.path.empty() && enc.path.front() == '/') path.pop_back();
    std::string url = base + path + enc.path;
    if (!enc.query.empty()) url += "?" + enc.query;
    return url;
}

/// A failed call, described as the AWS CLI does, with its exit code.
failure_report describe_call_failure(session const& s, crml::error_code ec, crml::diagnostics const& d,
                                     std::string_view op)
{
    s.debug("failure: " + ec.message() + (d.to_string().empty() ? "" : " (" + d.to_string() + ")"));
    std::string const& url = s.url.empty() ? s.endpoint : s.url;
    bool from_service = ec.category() == crml::service_category() || (d.http_status >= 300 && !d.error_type.empty());
    if (from_service) {
        std::string type = !d.error_type.empty() ? d.error_type
                           : d.http_status ? std::to_string(d.http_status)
                                           : std::string("Unknown");
        return {service_failure,
                "An error occurred (" + type + ") when calling the " + std::string(op) + " operation: " + d.message};
    }
    // The model's constraints botocore checks failed earlier (fill_request,
    // exit 252, "Parameter validation failed:"); the others (maximums,
    // patterns) only the service checks, and it answers ValidationException:
    // the CLI answers the same, without sending.
    if (ec == crml::client_errc::invalid_request)
        return {service_failure, "An error occurred (ValidationException) when calling the " + std::string(op) +
                                     " operation: 1 validation error detected: " +
                                     (d.path.empty() ? std::string("invalid request: ")
                                                     : "Value at '" + d.path + "' failed to satisfy constraint: ") +
                                     d.message};
    if (ec == crml::client_errc::missing_region)
        return {config_failure,
                "You must specify a region. You can also configure your region by running \"aws configure\"."};
    if (ec == crml::client_errc::missing_credentials)
        return {config_failure, "Unable to locate credentials. You can configure credentials by running \"aws configure\"." +
                                    (d.message.empty() ? "" : "\n(" + d.message + ")")};
    if (ec == crml::client_errc::invalid_configuration || ec == crml::client_errc::invalid_endpoint)
        return {config_failure, d.message.empty() ? ec.message() : d.message};
    if (ec == crml::client_errc::connect_timeout) return {failure, "Connect timeout on endpoint URL: \"" + url + "\""};
    if (ec == crml::client_errc::attempt_timeout) return {failure, "Read timeout on endpoint URL: \"" + url + "\""};
    if (ec == crml::client_errc::operation_timeout)
        return {failure, "The " + std::string(op) + " operation timed out (endpoint URL: \"" + url + "\")"};
    if (ec == crml::client_errc::repeated_page_token)
        return {failure, "Error during pagination: The same next token was received twice: " + d.message};
    if (ec.category() == asio::error::get_ssl_category())
        return {failure, "SSL validation failed for " + url + " " + ec.message()};
    if (ec == asio::error::eof || ec == asio::error::connection_reset)
        return {failure, "Connection was closed before we received a valid response from endpoint URL: \"" + url + "\"."};
    if (ec.category() == asio::error::get_system_category() || ec.category() == asio::error::get_netdb_category() ||
        ec.category() == asio::error::get_misc_category() || ec.category() == asio::error::get_addrinfo_category())
        return {failure, "Could not connect to the endpoint URL: \"" + url + "\""};
    std::string what = d.to_string();
    return {failure, ec.message() + (what.empty() ? "" : ": " + what)};
}

int report_call_failure(session const& s, crml::error_code ec, crml::diagnostics const& d, std::string_view op)
{
    auto r = describe_call_failure(s, ec, d, op);
    return print_error(r.code, "\n" + r.text);
}

// ---- pagination tokens -----------------------------------------------------------------------------------------
//
// The AWS CLI's --max-items prints botocore's resumption token: base64 of
// json.dumps() of the request's input token(s), plus "boto_truncate_amount"
// (how many items of that page were shown) when a page was cut:
//   {"nextToken": "<service token>"}                      at a page boundary
//   {"nextToken": null, "boto_truncate_amount": 2}        in the first page
// --starting-token takes those, and (as botocore's fallback parser) a bare
// service token or the old "TOKEN___INDEX" form.

std::string encode_token(json::object const& token)
{
    std::string text;
    py::dumps(text, token);  // json.dumps(token)
    return crd::base64_encode(text);
}

/// Reads --starting-token into the request members it sets (`members`,
/// nulls and "None" left out, as botocore leaves them) and the index into
/// the first page; `token` is what a cut page's NextToken starts from.
void decode_starting_token(std::string const& text, std::string_view input_token, json::object& token,
                           std::int64_t& index)
{
    std::string raw;
    boost::system::error_code ec;
    json::value v;
    if (aws_py::b64decode(text, raw) && crd::utf8_length(raw) >= 0) v = json::parse(raw, ec);
    else ec = json::error::syntax;
    // botocore pops "boto_encoded_keys" from what json.loads gave: a list
    // refuses the call (TypeError: the legacy form is tried), the scalars
    // have no pop (AttributeError: the AWS CLI fails).
    if (!ec && !v.is_object() && !v.is_array())
        throw cli_failure(failure, "'" + py::bare_type_name(v) + "' object has no attribute 'pop'");
    if (!ec && v.is_object()) {
        token = std::move(v.get_object());
        token.erase("boto_encoded_keys");
        index = 0;
        if (auto const* n = token.if_contains("boto_truncate_amount")) {
            if (n->is_int64()) index = n->get_int64();
            else if (n->is_bool()) index = n->get_bool() ? 1 : 0;
            else throw cli_failure(failure, "slice indices must be integers or None or have an __index__ method");
            token.erase("boto_truncate_amount");
        }
        return;
    }
    // The legacy form: "TOKEN" or "TOKEN___INDEX".
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
        auto sep = text.find("___", at);
        parts.push_back(text.substr(at, sep == std::string::npos ? std::string::npos : sep - at));
        if (sep == std::string::npos) break;
        at = sep + 3;
    }
    index = 0;
    if (parts.size() == 2) {
        std::int64_t i = 0;
        if (aws_py::parse_int(parts[1], i)) {
            index = i;
            parts.pop_back();
        } else {
            parts = {text};
        }
    }
    if (parts.size() > 1) throw cli_failure(failure, "Bad starting token: " + text);
    token = json::object{};
    token[json::string_view(input_token.data(), input_token.size())] =
        parts[0] == "None" ? json::value(nullptr) : json::value(json::string(parts[0]));
}

/// Python's list[start:] and list[:stop] bounds for a list of n items.
std::size_t py_index(std::int64_t i, std::size_t n)
{
    auto size = static_cast<std::int64_t>(n);
    if (i < 0) i = std::max<std::int64_t>(0, size + i);
    return static_cast<std::size_t>(std::min(i, size));
}

// ---- operations --------------------------------------------------------------------------------------------

// One caller per operation: the only place that names the client's member
// function; everything else is generic over the request type.
#define CLEANROOMSML_CLI_CALLER(op, Request)                                                                       \
    struct call_##op {                                                                                              \
        static auto call(crml::client& c, Request r, crml::call_options const& o, crml::diagnostics& d)            \
        {                                                                                                           \
            return c.async_##op(std::move(r), o, d, use_tuple);                                                     \
        }                                                                                                           \
    };
CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_CLI_CALLER)
#undef CLEANROOMSML_CLI_CALLER

/// The described member of T that `pointer` points to.
template <class T, class M>
crd::member_info const& member_of(M T::*pointer)
{
    std::string_view name;
    crml::for_each_member<T>([&](auto const& d) {
        if constexpr (std::is_same_v<typename std::remove_cvref_t<decltype(d)>::value_type, M>)
            if (d.pointer == pointer) name = d.name;
    });
    return *find_wire(crd::type_of<T>(), name);
}

/// An option's known values (an enumeration, or a list of one), for help and completion.
struct option_values {
    std::string option;  // "shared-audience-metrics"
    std::vector<std::string_view> values;
};

/// The known values of the options that are enumerations (or lists of
/// them), from the type tables' enumeration values.
std::vector<option_values> enum_options(option_list const& options)
{
    std::vector<option_values> out;
    for (auto const& o : options) {
        auto const& t = o.member->type();
        auto values = enum_values(t.kind == crd::value_kind::list ? t.element() : t);
        if (!values.empty()) out.push_back({kebab(o.member->name), {values.begin(), values.end()}});
    }
    return out;
}

struct command {
    std::string name;  // "get-audience-model"
    crml::operation_info const* info;
    crd::type_info const* input;
    crd::type_info const* output;
    bool paginated;
    std::string_view input_token, limit_key;  // paginated: the request's members botocore's paginator sets
    std::vector<option_values> enums;
    std::shared_ptr<void> (*build)(json::object const& input, bool argparse_required);
    asio::awaitable<int> (*run)(session& s, std::shared_ptr<void> request);
};

/// The request from the JSON input, after botocore's checks (fill_request:
/// exit 252); `argparse_required`: the missing required options were
/// argparse's to report (no --cli-input-json). The model's other
/// constraints are checked by the client when the call starts.
template <class Request>
Request parse_request(json::object const& input, bool argparse_required = true)
{
    Request req{};
    fill_request(crd::type_of<Request>(), &req, input, argparse_required);
    return req;
}

template <class Request>
std::shared_ptr<void> build_request(json::object const& input, bool argparse_required)
{
    return std::make_shared<Request>(parse_request<Request>(input, argparse_required));
}

// Every page, merged into one document (the item lists concatenated) as
// botocore's build_full_result() does; --max-items stops early and adds
// "NextToken". --output text prints page by page and --output yaml-stream
// streams the pages, as the AWS CLI does; --query applies to what is printed.
template <class Request>
asio::awaitable<int> run_paginated(session& s, Request req, output_format format)
{
    using traits = crml::paginator_traits<Request>;
    auto const op = crml::operation_traits<Request>::info.name;
    std::string const items_key(member_of(traits::items).name);
    std::string const token_key(member_of(traits::input_token).name);
    std::string const title(op);

    auto pages = s.client->paginate(req, s.call);
    json::array merged;
    std::int64_t total = 0;
    json::object page_token = s.start_token;  // the input token(s) that fetched the current page
    if (page_token.empty()) page_token[token_key] = nullptr;
    std::optional<json::object> resume;
    std::optional<output_stream> stream;
    if (prints_pages(format)) stream.emplace(format);
    bool first = true;
    for (;;) {
        crml::diagnostics diag;
        s.url = request_url(s.endpoint, req);
        auto [ec, page] = co_await pages.async_next(diag, use_tuple);
        if (ec == crml::client_errc::repeated_page_token) {
            std::string token = py::repr(json::value(page_token));
            co_return print_error(failure, "\nError during pagination: The same next token was received twice: " + token);
        }
        if (ec) co_return report_call_failure(s, ec, diag, op);
        if (!page) break;
        s.debug(std::string(op) + " page " + std::to_string(pages.pages()));
        json::value doc = response_json(*page);
        auto& obj = doc.as_object();
        json::array items;
        if (auto* x = obj.if_contains(items_key); x && x->is_array()) items = std::move(x->get_array());
        std::int64_t start = 0;
        if (first && s.start_index != 0) {
            start = s.start_index;
            auto from = py_index(start, items.size());
            items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(from));
        }
        auto next = (*page).*traits::output_token;
        bool more = next && !next->empty();
        auto const count = static_cast<std::int64_t>(items.size());
        if (s.g.max_items && total + count > *s.g.max_items) {
            // Cut inside this page: resume in it, past what was shown.
            std::int64_t keep = *s.g.max_items - total;
            items.resize(py_index(keep, items.size()));
            resume = page_token;
            (*resume)["boto_truncate_amount"] = keep + start;
        } else if (s.g.max_items && more && total + count == *s.g.max_items) {
            resume = json::object{};
            (*resume)[token_key] = *next;
        }
        total += count;
        if (stream && format == output_format::text) {
            print_page(s, *stream, json::object{{items_key, items}});
        } else if (stream) {
            obj[items_key] = items;
            print_page(s, *stream, doc);
        } else {
            for (auto& i : items) merged.push_back(std::move(i));
        }
        first = false;
        if (resume || !more) break;
        page_token = json::object{};
        page_token[token_key] = *next;
        req.*traits::input_token = *next;
    }
    if (stream) {
        if (resume && format == output_format::text) print_page(s, *stream, text_resume_token(encode_token(*resume)));
        write_out(stream->finish());
    } else {
        json::object out;
        out[items_key] = std::move(merged);
        if (resume) out["NextToken"] = encode_token(*resume);
        print_document(s, out, format, title);
    }
    co_return success;
}

template <class Request, class Caller>
asio::awaitable<int> run_operation(session& s, std::shared_ptr<void> erased)
{
    Request req = std::move(*static_cast<Request*>(erased.get()));
    auto const op = crml::operation_traits<Request>::info.name;
    s.debug(std::string("request ") + std::string(op) + " " + wire_form(req));
    if constexpr (crml::paginated_request<Request>) {
        if (s.paginate) {
            // The formatter comes first, as in the AWS CLI: a bad format fails before any request.
            output_format format = resolve_format(s);
            auto all_pages = run_paginated(s, std::move(req), format);  // not inside co_await: see the GCC 12 note
            co_return co_await std::move(all_pages);
        }
    }
    s.url = request_url(s.endpoint, req);
    crml::diagnostics diag;
    // The request is moved in its own statement: GCC 12 mishandles temporaries inside co_await.
    auto call = Caller::call(*s.client, std::move(req), s.call, diag);
    auto [ec, out] = co_await std::move(call);
    if (ec) co_return report_call_failure(s, ec, diag, op);
    s.debug("attempts: " + std::to_string(diag.attempts) + (diag.request_id.empty() ? "" : ", request id " + diag.request_id));
    json::value doc = response_json(out);
    print_document(s, doc, resolve_format(s), op);
    co_return success;
}

template <class Request, class Caller>
command make_command()
{
    auto const& info = crml::operation_traits<Request>::info;
    command c{kebab(info.name), &info, &crd::type_of<Request>(),
              &crd::type_of<typename crml::operation_traits<Request>::response>(), crml::paginated_request<Request>,
              {}, {}, enum_options(options_of(crd::type_of<Request>())), &build_request<Request>,
              &run_operation<Request, Caller>};
    if constexpr (crml::paginated_request<Request>) {
        using traits = crml::paginator_traits<Request>;
        c.input_token = member_of(traits::input_token).name;
        c.limit_key = member_of(traits::limit).name;
    }
    return c;
}

std::vector<command> const& commands()
{
#define CLEANROOMSML_CLI_COMMAND(op, Request) make_command<Request, call_##op>(),
    static std::vector<command> const table{CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_CLI_COMMAND)};
#undef CLEANROOMSML_CLI_COMMAND
    return table;
}

// `wait <waiter>` for every waiter of the client (CLEANROOMSML_FOR_EACH_WAITER,
// CLEANROOMSML_FOR_EACH_LISTED_WAITER), named as the AWS CLI names waiters:
// the kebab-case of "<Resource><Goal>". Their options are the members of the
// request they poll with: the Get request, or the List request (less its
// paging members) and the name of the listed resource.

struct waiter_command {
    std::string title;           // "MLInputChannelActive", as messages name it
    std::string name;            // "ml-input-channel-active"
    std::string_view operation;  // the operation it polls
    option_list options;
    std::vector<option_values> enums;
    asio::awaitable<int> (*run)(session& s, waiter_command const& w, json::object const& input,
                                crml::wait_options const& o);
};

// The AWS CLI's waiters exit 255 on any failure but a bad parameter.
int report_wait_failure(session const& s, waiter_command const& w, crml::error_code ec, crml::diagnostics const& d)
{
    std::string reason;
    if (ec == crml::client_errc::waiter_failure)
        reason = "Waiter encountered a terminal failure state: " + d.message;
    else if (ec == crml::client_errc::waiter_timeout)
        reason = "Max wait time exceeded: " + d.message;
    else {
        auto r = describe_call_failure(s, ec, d, w.operation);
        if (r.code == usage_failure || r.code == config_failure) return print_error(r.code, "\n" + r.text);
        reason = r.text;
    }
    return print_error(failure, "\nWaiter " + w.title + " failed: " + reason);
}

/// A waiter's completion, (error_code[, what it saw last]), as an exit code.
template <class... Seen>
int end_wait(session const& s, waiter_command const& w, std::tuple<crml::error_code, Seen...> const& result,
             crml::diagnostics const& d)
{
    if (auto ec = std::get<0>(result)) return report_wait_failure(s, w, ec, d);
    if constexpr (sizeof...(Seen) == 1) s.debug("final status: " + std::string(std::get<1>(result).status.value()));
    return success;
}

template <class Request, class Waiter>
asio::awaitable<int> run_get_wait(session& s, waiter_command const& w, json::object const& input,
                                  crml::wait_options const& o)
{
    Request req = parse_request<Request>(input);
    s.url = request_url(s.endpoint, req);
    crml::diagnostics diag;
    auto wait = Waiter::call(*s.client, std::move(req), o, diag);
    auto result = co_await std::move(wait);
    co_return end_wait(s, w, result, diag);
}

template <class ListRequest>
crd::member_info const& listed_name()
{
    return member_of(&crml::paginator_traits<ListRequest>::item::name);
}

template <class ListRequest, class Waiter>
asio::awaitable<int> run_listed_wait(session& s, waiter_command const& w, json::object const& input,
                                     crml::wait_options const& o)
{
    auto const key = listed_name<ListRequest>().name;
    json::object listing = input;
    std::string name(listing.at(json::string_view(key.data(), key.size())).as_string());
    listing.erase(json::string_view(key.data(), key.size()));
    ListRequest req = parse_request<ListRequest>(listing);
    s.url = request_url(s.endpoint, req);
    crml::diagnostics diag;
    auto wait = Waiter::call(*s.client, std::move(req), std::move(name), o, diag);
    auto result = co_await std::move(wait);
    co_return end_wait(s, w, result, diag);
}

// One caller per waiter: the only places that name the client's waiters.
#define CLEANROOMSML_CLI_WAITER(resource, Request, goal)                                                           \
    struct wait_##resource##_##goal {                                                                               \
        static auto call(crml::client& c, Request r, crml::wait_options const& o, crml::diagnostics& d)            \
        {                                                                                                           \
            return c.async_wait_until_##resource##_##goal(std::move(r), o, d, use_tuple);                           \
        }                                                                                                           \
    };
CLEANROOMSML_FOR_EACH_WAITER(CLEANROOMSML_CLI_WAITER)
#undef CLEANROOMSML_CLI_WAITER

#define CLEANROOMSML_CLI_LISTED_WAITER(resource, ListRequest)                                                      \
    struct wait_##resource##_active {                                                                               \
        static auto call(crml::client& c, ListRequest r, std::string name, crml::wait_options const& o,            \
                         crml::diagnostics& d)                                                                      \
        {                                                                                                           \
            return c.async_wait_until_##resource##_active(std::move(r), std::move(name), o, d, use_tuple);          \
        }                                                                                                           \
    };
CLEANROOMSML_FOR_EACH_LISTED_WAITER(CLEANROOMSML_CLI_LISTED_WAITER)
#undef CLEANROOMSML_CLI_LISTED_WAITER

/// "trained_model_export_job" -> "TrainedModelExportJob".
std::string camel(std::string_view snake)
{
    std::string out;
    bool start = true;
    for (char c : snake) {
        if (c == '_') start = true;
        else out.push_back(start && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
        if (c != '_') start = false;
    }
    return out;
}

template <class Request, class Waiter>
waiter_command make_get_waiter(std::string_view goal)
{
    auto op = crml::operation_traits<Request>::info.name;  // "GetMLInputChannel"
    std::string title = std::string(op.substr(3)) + camel(goal);
    return {title, kebab(title), op, options_of(crd::type_of<Request>()),
            enum_options(options_of(crd::type_of<Request>())), &run_get_wait<Request, Waiter>};
}

// A listed waiter's options: the List request's members but its paging
// ones, what the listing is scoped to (required), and the resource's name.
template <class ListRequest, class Waiter>
waiter_command make_listed_waiter(std::string_view resource)
{
    using traits = crml::paginator_traits<ListRequest>;
    auto const* token = &member_of(traits::input_token);
    auto const* limit = &member_of(traits::limit);
    auto const* scope = &member_of(crd::listed_resource<ListRequest>::scope);
    option_list options;
    for (auto o : options_of(crd::type_of<ListRequest>()))
        if (o.member != token && o.member != limit) options.push_back({o.member, o.required || o.member == scope});
    options.push_back({&listed_name<ListRequest>(), true});
    std::string title = camel(resource) + "Active";
    return {title, kebab(title), crml::operation_traits<ListRequest>::info.name, options,
            enum_options(options), &run_listed_wait<ListRequest, Waiter>};
}

std::vector<waiter_command> const& waiters()
{
#define CLEANROOMSML_CLI_GET_ENTRY(resource, Request, goal) make_get_waiter<Request, wait_##resource##_##goal>(#goal),
#define CLEANROOMSML_CLI_LISTED_ENTRY(resource, ListRequest)                                                       \
    make_listed_waiter<ListRequest, wait_##resource##_active>(#resource),
    commands();  // the enumerations are registered with the commands
    static std::vector<waiter_command> const table{CLEANROOMSML_FOR_EACH_WAITER(CLEANROOMSML_CLI_GET_ENTRY)
                                                       CLEANROOMSML_FOR_EACH_LISTED_WAITER(CLEANROOMSML_CLI_LISTED_ENTRY)};
#undef CLEANROOMSML_CLI_LISTED_ENTRY
#undef CLEANROOMSML_CLI_GET_ENTRY
    return table;
}

// ---- help --------------------------------------------------------------------------------------------------

// ---- help --------------------------------------------------------------------------------------------------

constexpr char global_help[] =
    "Global options (before or after the command), as the AWS CLI's:\n"
    "  --endpoint-url URL         send requests to URL instead of the service's endpoint\n"
    "  --region REGION            the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
    "  --profile NAME             the shared-config profile (default: AWS_PROFILE, \"default\")\n"
    "  --output FORMAT            json, text, table, yaml or yaml-stream (default: AWS_DEFAULT_OUTPUT,\n"
    "                             the profile's `output`, json), laid out as the AWS CLI lays them out\n"
    "  --query EXPR               a JMESPath expression applied to the response before it is printed\n"
    "                             (to the merged pages; to each page with --output text or yaml-stream)\n"
    "  --color on|off|auto        colour in tables (auto: when stdout is a terminal)\n"
    "  --no-paginate              list commands: one request only; the response's nextToken is printed\n"
    "  --max-items N              list commands: at most N items in all; prints NextToken to resume\n"
    "  --starting-token TOKEN     list commands: resume from a NextToken printed by this CLI or the AWS\n"
    "                             CLI (or from a service nextToken)\n"
    "  --page-size N              list commands: items per request (the request's maxResults)\n"
    "  --cli-input-json JSON      the whole request as JSON, or file://path (options override its members)\n"
    "  --generate-cli-skeleton [input|output]\n"
    "                             print a skeleton of the request (input, for --cli-input-json) or of\n"
    "                             the response (output), and exit\n"
    "  --cli-read-timeout S       seconds to wait for a response (0: no limit)\n"
    "  --cli-connect-timeout S    seconds to wait for a connection (0: no limit)\n"
    "  --ca-bundle FILE           CA certificates (PEM) to verify TLS peers with\n"
    "  --no-verify-ssl            do not verify TLS certificates\n"
    "  --no-cli-pager             accepted: output is never paged (AWS_PAGER and cli_pager are ignored)\n"
    "  --cli-binary-format F      base64 or raw-in-base64-out: checked; no member of this service is a blob\n"
    "  --no-sign-request          send requests unsigned, without looking up credentials\n"
    "  --debug                    print the configuration, requests and diagnostics on stderr\n"
    "  --version                  print the version\n"
    "\n"
    "Exit codes, as the AWS CLI's:\n"
    "  0    success\n"
    "  252  usage errors, and the parameter checks the AWS CLI makes before sending (\"Parameter\n"
    "       validation failed:\": types, required and unknown members, unions, minimum lengths and values)\n"
    "  253  configuration: no region, no credentials\n"
    "  254  the service's error (\"An error occurred (Type) when calling the Op operation: ...\"); also\n"
    "       the model's other constraints (maximums, patterns), which this CLI checks before sending\n"
    "       and reports as the service would (ValidationException)\n"
    "  255  anything else (connection failures, timeouts, a waiter that failed)\n"
    "\n"
    "Shell completion: eval \"$(" "cleanroomsml-cli completion bash)\" (or zsh); see the README.\n";

void print_usage(std::ostream& os)
{
    os << "usage: " << program << " [global options] <command> [options]\n"
       << "       " << program << " <command> help\n"
       << "       " << program << " wait <waiter> [options]\n"
       << "       " << program << " completion bash|zsh\n\n"
       << "Commands:\n";
    for (auto const& c : commands()) os << "  " << c.name << '\n';
    os << "  wait\n\nShell completion script:\n  completion\n\n" << global_help;
}

std::string values_note(std::vector<option_values> const& enums, std::string const& option)
{
    for (auto const& e : enums)
        if (e.option == option) {
            std::string out = ", one of:";
            for (auto v : e.values) out += " " + std::string(v);
            return out;
        }
    return {};
}

void print_member_help(option_list const& options, std::vector<option_values> const& enums)
{
    std::cout << "Options:\n";
    for (auto const& o : options) {
        auto const& m = *o.member;
        auto const& t = m.type();
        std::string name = kebab(m.name);
        std::string line = "  --" + name + " <" + describe_type(t, m.rules) + ">";
        if (line.size() < 58) line.append(58 - line.size(), ' ');
        else line += "  ";
        std::string notes = o.required ? "required" : "optional";
        if (auto r = describe_rules(m.rules); !r.empty()) notes += ", " + r;
        notes += values_note(enums, name);
        if (t.kind == crd::value_kind::boolean) notes += ", a flag: --" + name + " / --no-" + name;
        else if (t.kind == crd::value_kind::timestamp) notes += ", ISO 8601 or epoch seconds";
        else if (t.kind == crd::value_kind::list && scalar_kind(t.element().kind)) notes += ", values or JSON";
        else if (!scalar_kind(t.kind)) notes += ", shorthand or JSON";
        std::cout << line << notes << '\n';
    }
}

void print_command_help(command const& c)
{
    std::cout << c.name << "  (" << c.info->name << ": " << c.info->method << ' ' << c.info->uri << ")\n\n"
              << "usage: " << program << " " << c.name << " [options]\n\n";
    print_member_help(options_of(*c.input), c.enums);
    if (c.paginated)
        std::cout << "\nPaginated: every page is fetched and merged unless --no-paginate, --" << kebab(c.limit_key)
                  << " or --" << kebab(c.input_token) << " is given; see --max-items, --starting-token and\n"
                  << "--page-size.\n";
    std::cout << "\nStructures, lists and maps take the AWS CLI's shorthand (name=a,size={type=ABSOLUTE,value=5}),\n"
                 "JSON ('{\"k\":\"v\"}', '[\"a\"]') or file://path.\n"
                 "Run '"
              << program << " help' for the global options and exit codes.\n";
}

void print_wait_help(waiter_command const* w)
{
    if (!w) {
        std::cout << "usage: " << program << " wait <waiter> [options]\n\nWaiters:\n";
        for (auto const& x : waiters()) std::cout << "  " << x.name << '\n';
        std::cout << "\nRun '" << program << " wait <waiter> help' for its options.\n";
        return;
    }
    std::cout << "wait " << w->name << "  (polls " << w->operation << ")\n\n"
              << "usage: " << program << " wait " << w->name << " [options]\n\n";
    print_member_help(w->options, w->enums);
    std::cout << "  --min-delay <seconds>                                   optional, first delay between polls (2)\n"
                 "  --max-delay <seconds>                                   optional, longest delay (120)\n"
                 "  --max-wait <seconds>                                    optional, give up after (3600)\n";
}

// ---- shell completion --------------------------------------------------------------------------------------
//
// `completion bash|zsh` prints a script made from the tables the CLI runs
// on: the commands and their options, the waiters and theirs, the known
// values of enumerations, the global options and their choices. One shell
// function, written in the syntax both shells share, names the candidates
// for a word; each shell's glue hands them to its completion system.

struct global_option_spec {
    std::string_view name;
    bool takes_value;
    std::vector<std::string> const* choices;
};

std::vector<global_option_spec> const& global_option_specs()
{
    static std::vector<global_option_spec> const specs{
        {"--endpoint-url", true, nullptr},      {"--region", true, nullptr},
        {"--profile", true, nullptr},           {"--output", true, &output_choices},
        {"--query", true, nullptr},             {"--color", true, &color_choices},
        {"--no-paginate", false, nullptr},      {"--max-items", true, nullptr},
        {"--starting-token", true, nullptr},    {"--page-size", true, nullptr},
        {"--cli-input-json", true, nullptr},    {"--generate-cli-skeleton", false, &skeleton_choices},
        {"--cli-read-timeout", true, nullptr},  {"--cli-connect-timeout", true, nullptr},
        {"--ca-bundle", true, nullptr},         {"--no-verify-ssl", false, nullptr},
        {"--no-cli-pager", false, nullptr},     {"--cli-binary-format", true, &binary_format_choices},
        {"--no-sign-request", false, nullptr},  {"--debug", false, nullptr},
        {"--version", false, nullptr},          {"--no-cli-auto-prompt", false, nullptr},
    };
    return specs;
}

std::string completion_candidates_function()
{
    std::string globals, flags, value_globals;
    for (auto const& g : global_option_specs()) {
        globals += (globals.empty() ? "" : " ") + std::string(g.name);
        if (!g.takes_value) flags += " " + std::string(g.name);
        else if (!g.choices) value_globals += (value_globals.empty() ? "" : "|") + std::string(g.name);
    }
    std::string f = "# The candidates for the word being completed: $1 the command, $2 the waiter,\n"
                    "# $3 the previous word, $4 the word itself.\n"
                    "__cleanroomsml_cli_candidates() {\n"
                    "    case $3 in\n";
    for (auto const& g : global_option_specs())
        if (g.choices) {
            f += "        " + std::string(g.name) + ") echo \"";
            for (std::size_t i = 0; i < g.choices->size(); ++i) f += (i ? " " : "") + (*g.choices)[i];
            // --generate-cli-skeleton's value is optional: the options may follow instead.
            f += g.takes_value ? "\"; return ;;\n"
                               : " $(__cleanroomsml_cli_options \"$1\" \"$2\") $__cleanroomsml_cli_globals\"; return ;;\n";
        }
    f += "        " + value_globals + ") return ;;\n    esac\n";
    f += "    case $1 in\n"
         "        '') case $4 in\n"
         "                -*) echo \"$__cleanroomsml_cli_globals\" ;;\n"
         "                *) echo \"$__cleanroomsml_cli_commands\" ;;\n"
         "            esac\n"
         "            return ;;\n"
         "        completion) echo \"bash zsh\"; return ;;\n"
         "        help) return ;;\n"
         "        wait) if [ -z \"$2\" ]; then echo \"$__cleanroomsml_cli_waiters help\"; return; fi ;;\n"
         "    esac\n"
         "    local values\n"
         "    values=$(__cleanroomsml_cli_values \"$1\" \"$2\" \"$3\")\n"
         "    if [ -n \"$values\" ]; then echo \"$values\"; return; fi\n"
         "    case $3 in\n"
         "        --*) case \" $__cleanroomsml_cli_flags \" in\n"
         "                *\" $3 \"*) ;;\n"
         "                *) return ;;  # the value of an option\n"
         "            esac ;;\n"
         "    esac\n"
         "    echo \"$(__cleanroomsml_cli_options \"$1\" \"$2\") $__cleanroomsml_cli_globals\"\n"
         "}\n\n";

    // The options of each command and waiter, and the flags among them.
    std::string options = "__cleanroomsml_cli_options() {\n    case $1:$2 in\n";
    std::string values = "__cleanroomsml_cli_values() {\n    case $1:$2:$3 in\n";
    std::vector<std::string> all_flags;
    auto add = [&](std::string const& key, option_list const& opts, std::vector<option_values> const& enums,
                   std::string const& extra) {
        options += "        " + key + ") echo \"";
        bool first = true;
        for (auto const& o : opts) {
            std::string n = "--" + kebab(o.member->name);
            options += (first ? "" : " ") + n;
            first = false;
            if (o.member->type().kind == crd::value_kind::boolean) {
                options += " --no-" + kebab(o.member->name);
                for (auto const& x : {n, "--no-" + kebab(o.member->name)})
                    if (std::find(all_flags.begin(), all_flags.end(), x) == all_flags.end()) all_flags.push_back(x);
            }
        }
        options += extra + "\" ;;\n";
        for (auto const& e : enums) {
            values += "        " + key + ":--" + e.option + ") echo \"";
            for (std::size_t i = 0; i < e.values.size(); ++i) values += (i ? " " : "") + std::string(e.values[i]);
            values += "\" ;;\n";
        }
    };
    for (auto const& c : commands()) add(c.name + ":", options_of(*c.input), c.enums, "");
    for (auto const& w : waiters()) add("wait:" + w.name, w.options, w.enums, " --min-delay --max-delay --max-wait");
    options += "    esac\n}\n\n";
    values += "    esac\n}\n\n";
    for (auto const& x : all_flags) flags += " " + x;

    std::string commands_list, waiters_list;
    for (auto const& c : commands()) commands_list += c.name + " ";
    commands_list += "wait completion help";
    for (auto const& w : waiters()) waiters_list += (waiters_list.empty() ? "" : " ") + w.name;
    std::string data = "__cleanroomsml_cli_commands=\"" + commands_list + "\"\n" +
                       "__cleanroomsml_cli_waiters=\"" + waiters_list + "\"\n" +
                       "__cleanroomsml_cli_globals=\"" + globals + "\"\n" +
                       "__cleanroomsml_cli_flags=\"" + flags.substr(flags.empty() ? 0 : 1) + "\"\n\n";
    return data + f + options + values;
}

/// The loop both shells run over the words before the cursor: which
/// command, and which waiter, the line is about. Global options' values
/// are skipped; --generate-cli-skeleton's is optional.
std::string completion_scan(std::string_view first_index, std::string_view words, std::string_view cword)
{
    std::string value_globals;
    for (auto const& g : global_option_specs())
        if (g.takes_value) value_globals += (value_globals.empty() ? "" : "|") + std::string(g.name);
    std::string w = std::string(words) + "[i]";
    return "    local cmd= waiter= skip= w i\n"
           "    for (( i = " + std::string(first_index) + "; i < " + std::string(cword) + "; i++ )); do\n"
           "        w=${" + w + "}\n"
           "        [ \"$w\" = = ] && continue\n"
           "        if [ -n \"$skip\" ]; then skip=; continue; fi\n"
           "        case $w in\n"
           "            " + value_globals + ") skip=1 ;;\n"
           "            input|output|yaml-input) [ \"${" + std::string(words) + "[i-1]}\" = --generate-cli-skeleton ] || {\n"
           "                    [ -z \"$cmd\" ] && cmd=$w; } ;;\n"
           "            -*) ;;\n"
           "            *) if [ -z \"$cmd\" ]; then cmd=$w\n"
           "               elif [ \"$cmd\" = wait ] && [ -z \"$waiter\" ]; then waiter=$w; fi ;;\n"
           "        esac\n"
           "    done\n";
}

std::string completion_script(std::string_view shell)
{
    std::string head = "# " + std::string(shell) + " completion for cleanroomsml-cli, made by `cleanroomsml-cli completion " +
                       std::string(shell) + "` from its own tables (commands, options, waiters, enumerations).\n";
    if (shell == "bash")
        return head + "# Load it with: eval \"$(cleanroomsml-cli completion bash)\"\n\n" + completion_candidates_function() +
               "_cleanroomsml_cli() {\n"
               "    local cur=${COMP_WORDS[COMP_CWORD]} prev=\n"
               "    (( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
               "    # --option=value: bash splits the words at '='.\n"
               "    if [ \"$cur\" = = ]; then cur=; elif [ \"$prev\" = = ] && (( COMP_CWORD > 1 )); then prev=${COMP_WORDS[COMP_CWORD-2]}; fi\n" +
               completion_scan("1", "COMP_WORDS", "COMP_CWORD") +
               "    COMPREPLY=( $(compgen -W \"$(__cleanroomsml_cli_candidates \"$cmd\" \"$waiter\" \"$prev\" \"$cur\")\" -- \"$cur\") )\n"
               "}\n"
               "complete -F _cleanroomsml_cli cleanroomsml-cli\n";
    return "#compdef cleanroomsml-cli\n" + head +
           "# Load it with: eval \"$(cleanroomsml-cli completion zsh)\" after compinit, or save it as\n"
           "# _cleanroomsml-cli in a directory of $fpath.\n\n" +
           completion_candidates_function() +
           "_cleanroomsml_cli() {\n"
           "    local cur=${words[CURRENT]} prev=${words[CURRENT-1]}\n" +
           completion_scan("2", "words", "CURRENT") +
           "    local -a candidates\n"
           "    candidates=(${=$(__cleanroomsml_cli_candidates \"$cmd\" \"$waiter\" \"$prev\" \"$cur\")})\n"
           "    compadd -a candidates\n"
           "}\n"
           "if [ \"${funcstack[1]}\" = _cleanroomsml_cli ]; then\n"
           "    _cleanroomsml_cli \"$@\"\n"
           "else\n"
           "    compdef _cleanroomsml_cli cleanroomsml-cli\n"
           "fi\n";
}

// ---- arguments and configuration ---------------------------------------------------------------------------

/// --cli-read-timeout and --cli-connect-timeout: whole seconds as the AWS
/// CLI takes them (its int() failing the same way), or fractions.
double parse_seconds(std::string const& option, std::string const& text)
{
    std::int64_t whole = 0;
    double v = 0;
    if (aws_py::parse_int(text, whole)) {
        v = static_cast<double>(whole);
    } else {
        char* end = nullptr;
        v = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || std::isnan(v))
            throw cli_failure(failure, "invalid literal for int() with base 10: " + py::repr(std::string_view(text)));
    }
    if (!(v >= 0) || v > 1e9)
        throw usage_error("argument " + option + ": expected a number of seconds, got '" + text + "'");
    return v;
}

/// argparse's `type=int`.
std::int64_t parse_int_option(std::string const& option, std::string const& text)
{
    std::int64_t v = 0;
    if (!aws_py::parse_int(text, v)) throw usage_error("argument " + option + ": invalid int value: " + py::repr(std::string_view(text)));
    return v;
}

std::chrono::milliseconds to_ms(double seconds)
{
    if (seconds == 0) return std::chrono::hours(24 * 365);  // 0: no limit, as the AWS CLI means it
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5));
}

std::string const& check_choice(std::string const& option, std::string const& value, std::vector<std::string> const& choices)
{
    if (std::find(choices.begin(), choices.end(), value) == choices.end())
        throw usage_error(invalid_choice(option, value, choices));
    return value;
}

/// Takes the global options out of argv; returns the rest (command first).
std::vector<std::string> parse_globals(int argc, char** argv, global_options& g)
{
    std::vector<std::string> rest;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::optional<std::string> inline_value;
        if (arg.compare(0, 2, "--") == 0)
            if (auto eq = arg.find('='); eq != std::string::npos) {
                inline_value = arg.substr(eq + 1);
                arg.resize(eq);
            }
        auto value = [&]() -> std::string {
            if (inline_value) return *inline_value;
            if (i + 1 >= argc) throw usage_error("argument " + arg + ": expected one argument");
            return argv[++i];
        };
        auto paging = [&](std::string v) {
            g.paging_words.push_back(arg);
            g.paging_words.push_back(v);
            return v;
        };
        if (arg == "--endpoint-url") g.endpoint_url = value();
        else if (arg == "--region") g.region = value();
        else if (arg == "--profile") g.profile = value();
        else if (arg == "--output") g.output = check_choice(arg, value(), output_choices);
        else if (arg == "--query") g.query = value();
        else if (arg == "--color") g.color = check_choice(arg, value(), color_choices);
        else if (arg == "--cli-binary-format") g.binary_format = check_choice(arg, value(), binary_format_choices);
        else if (arg == "--ca-bundle") g.ca_bundle = value();
        else if (arg == "--starting-token") g.starting_token = paging(value());
        else if (arg == "--cli-input-json") g.cli_input_json = value();
        else if (arg == "--max-items") g.max_items = parse_int_option(arg, paging(value()));
        else if (arg == "--page-size") g.page_size = parse_int_option(arg, paging(value()));
        else if (arg == "--cli-read-timeout") g.read_timeout = parse_seconds(arg, value());
        else if (arg == "--cli-connect-timeout") g.connect_timeout = parse_seconds(arg, value());
        else if (arg == "--generate-cli-skeleton") {
            // An optional value (argparse's nargs='?'): the next word when it
            // is no option; before the command only when it is a choice.
            std::string v = "input";
            if (inline_value) v = *inline_value;
            else if (i + 1 < argc && argv[i + 1][0] != '-' &&
                     (!rest.empty() || std::find(skeleton_choices.begin(), skeleton_choices.end(), argv[i + 1]) !=
                                           skeleton_choices.end()))
                v = argv[++i];
            g.skeleton = check_choice(arg, v, skeleton_choices);
        } else if (arg == "--no-paginate") g.no_paginate = true;
        else if (arg == "--debug") g.debug = true;
        else if (arg == "--no-verify-ssl") g.no_verify_ssl = true;
        else if (arg == "--no-sign-request") g.no_sign_request = true;
        else if (arg == "--no-cli-pager" || arg == "--no-cli-auto-prompt") g.no_cli_pager = true;
        else if (arg == "--version") g.version = true;
        else if (arg == "--help" || arg == "-h") g.help = true;
        else rest.push_back(argv[i]);
    }
    return rest;
}

/// The profile's settings for the CLI itself (`output`, `cli_timestamp_format`),
/// read with the library's reader of the shared files. A profile that does
/// not exist fails later, when a client is made (as in the AWS CLI).
void read_profile(session& s)
{
    crml::config_files files;
    crml::config_file_error err;
    if (!crml::load_config_files(files, err)) return;  // load_config reports it
    std::string name = crml::selected_profile_name(s.g.profile.value_or(""));
    auto const* p = files.find_profile(name);
    if (!p) {
        s.profile_missing = name != "default";
        return;
    }
    if (auto v = p->get("output")) s.profile.output = std::string(*v);
    if (auto v = p->get("cli_timestamp_format")) {
        if (*v != "wire" && *v != "iso8601")
            throw cli_failure(config_failure, "Unknown cli_timestamp_format value: " + std::string(*v) +
                                                  ", valid values are \"wire\" or \"iso8601\"");
        wire_timestamps = *v == "wire";
    }
}

/// The client's configuration: load_config() (environment, shared files,
/// profile), then the command line. Throws on a configuration error.
crml::client_config make_config(session& s)
{
    crml::load_config_options lo;
    if (s.g.profile) lo.profile = *s.g.profile;
    crml::client_config cfg = crml::load_config(lo);
    if (s.g.profile) {
        // As botocore: a profile named on the command line (AWS_PROFILE does
        // not count) wins over the environment's keys, so its credentials are
        // tried first; the default chain follows for a profile without any.
        crml::profile_options po;
        po.profile = *s.g.profile;
        cfg.credentials = crml::cached_credentials(
            crml::credentials_chain({crml::profile_credentials(std::move(po)), std::move(cfg.credentials)}));
    }
    if (s.g.region) cfg.region = *s.g.region;
    if (s.g.endpoint_url) cfg.endpoint_url = *s.g.endpoint_url;
    if (s.g.ca_bundle) cfg.tls.ca_file = *s.g.ca_bundle;
    if (s.g.no_verify_ssl) cfg.tls.verify = false;
    if (s.g.no_sign_request) cfg.sign_requests = false;  // and no credentials are looked up
    if (s.g.connect_timeout) s.call.connect_timeout = to_ms(*s.g.connect_timeout);
    if (s.g.read_timeout) {
        s.call.attempt_timeout = to_ms(*s.g.read_timeout);
        // The whole call must leave room for every attempt.
        auto connect = s.call.connect_timeout.value_or(cfg.timeouts.connect);
        auto needed = (*s.call.attempt_timeout + connect) * std::max(1, cfg.retry.max_attempts);
        s.call.operation_timeout = std::max(cfg.timeouts.operation, needed);
    }
    if (cfg.endpoint_url) {
        s.endpoint = *cfg.endpoint_url;
    } else if (!cfg.region.empty()) {
        auto ep = crml::resolve_endpoint(crml::endpoint_params{cfg.region, cfg.use_fips, cfg.use_dual_stack, {}});
        s.endpoint = ep ? ep->url : "(no endpoint for region " + cfg.region + ")";
    }
    s.debug("profile: " + (cfg.profile.empty() ? std::string("default") : cfg.profile) + ", region: " +
            (cfg.region.empty() ? std::string("(none)") : cfg.region) + ", endpoint: " + s.endpoint);
    return cfg;
}

/// Runs `body` (which makes the command's coroutine) with a client on an
/// io_context; returns its exit code. The client's configuration is
/// checked first, as the AWS CLI makes its client before it checks the
/// parameters.
template <class Body>
int with_client(session& s, Body body)
{
    if (s.profile_missing)
        return print_error(failure, "\nThe config profile (" + crml::selected_profile_name(s.g.profile.value_or("")) +
                                        ") could not be found");
    crml::client_config cfg;
    try {
        cfg = make_config(s);
    } catch (boost::system::system_error const& e) {
        // what() ends with the code's generic text and category; the first part says it all.
        std::string what = e.what();
        if (auto cut = what.find(": " + e.code().message()); cut != std::string::npos && cut > 0) what.resize(cut);
        return print_error(config_failure, "\n" + what);
    }
    if (cfg.region.empty())
        return print_error(config_failure,
                           "\nYou must specify a region. You can also configure your region by running \"aws configure\".");
    asio::io_context ioc;
    crml::client client{ioc.get_executor(), std::move(cfg)};
    s.client = &client;
    int rc = failure;
    asio::co_spawn(ioc, body(), [&](std::exception_ptr e, int r) {
        if (!e) {
            rc = r;
            return;
        }
        try {
            std::rethrow_exception(e);
        } catch (usage_error const& u) {
            rc = report_usage(u);
        } catch (cli_failure const& f) {
            rc = print_error(f.code, "\n" + std::string(f.what()));
        } catch (python_error const& p) {
            rc = print_error(failure, "\n" + std::string(p.what()));
        } catch (std::exception const& x) {
            rc = print_error(failure, "\n" + std::string(x.what()));
        }
    });
    ioc.run();
    return rc;
}

bool wants_help(std::vector<std::string> const& args)
{
    return std::find(args.begin(), args.end(), "help") != args.end();
}

/// The paging options where a command has none: argparse's unknown options, their values listed too.
std::string unknown_paging_options(session const& s)
{
    std::string words;
    for (auto const& w : s.g.paging_words) words += (words.empty() ? "" : ", ") + w;
    return "Unknown options: " + words;
}

waiter_command const* find_waiter(std::string const& name)
{
    for (auto const& x : waiters())
        if (x.name == name) return &x;
    return nullptr;
}

int run_wait(session& s, std::vector<std::string> args)
{
    if (args.empty() || args[0] == "help" || s.g.help) {
        print_wait_help(args.empty() ? nullptr : find_waiter(args[0]));
        return success;
    }
    waiter_command const* w = find_waiter(args[0]);
    if (!w) {
        std::vector<std::string> names;
        for (auto const& x : waiters()) names.push_back(x.name);
        throw usage_error(invalid_choice("waiter_name", args[0], names));
    }
    args.erase(args.begin());
    if (wants_help(args)) {
        print_wait_help(w);
        return success;
    }
    if (!s.g.paging_words.empty()) throw usage_error(unknown_paging_options(s));
    crml::wait_options wo;
    std::vector<std::string> member_args;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto const& a = args[i];
        auto take = [&](std::chrono::milliseconds& out) {
            if (i + 1 >= args.size()) throw usage_error("argument " + a + ": expected one argument");
            out = to_ms(parse_seconds(a, args[++i]));
        };
        if (a == "--min-delay") take(wo.min_delay);
        else if (a == "--max-delay") take(wo.max_delay);
        else if (a == "--max-wait") take(wo.max_wait);
        else member_args.push_back(a);
    }
    json::object input;
    if (s.g.cli_input_json) input = load_input_json(*s.g.cli_input_json);
    parse_options(w->options, member_args, input, true);
    return with_client(s, [&s, &input, &wo, w] {
        wo.call = s.call;  // make_config has filled the timeouts by now
        return w->run(s, *w, input, wo);
    });
}

/// The paging options given with --no-paginate (or with the request's own
/// paging members, which turn pagination off): botocore's refusal, naming
/// those that are set (a 0 counts as not set, as in Python).
void check_no_paginate(session const& s)
{
    std::string used;
    auto add = [&](bool set, char const* name) {
        if (set) used += (used.empty() ? "" : ", ") + std::string(name);
    };
    add(s.g.starting_token && !s.g.starting_token->empty(), "--starting-token");
    add(s.g.page_size && *s.g.page_size != 0, "--page-size");
    add(s.g.max_items && *s.g.max_items != 0, "--max-items");
    if (!used.empty()) throw usage_error("Cannot specify --no-paginate along with pagination arguments: " + used);
}

int run_command(session& s, command const& c, std::vector<std::string> const& args)
{
    if (s.g.help || wants_help(args)) {
        print_command_help(c);
        return success;
    }
    // Commands that do not paginate have no paging options.
    if (!c.paginated && !s.g.paging_words.empty()) throw usage_error(unknown_paging_options(s));
    if (s.g.skeleton == "input") {
        // Always JSON, whatever --output and --query say.
        std::string out;
        write_pretty(out, skeleton(*c.input));
        write_out(out + "\n");
        return success;
    }
    if (s.g.skeleton == "yaml-input")
        throw usage_error("--generate-cli-skeleton yaml-input is not supported: " + std::string(program) +
                          " reads no YAML input (--cli-input-yaml)");

    json::object input;
    if (s.g.cli_input_json) input = load_input_json(*s.g.cli_input_json);
    // Without --cli-input-json, a missing required option is argparse's error.
    bool const argparse_required = !s.g.cli_input_json;
    parse_options(options_of(*c.input), args, input, argparse_required);

    // The AWS CLI paginates unless told not to, or given the request's own
    // paging members as options (then the paging options are refused) or
    // in --cli-input-json.
    s.paginate = c.paginated && !s.g.no_paginate;
    if (c.paginated) {
        auto given = [&](std::string_view member) {
            std::string option = "--" + kebab(member);
            return std::any_of(args.begin(), args.end(), [&](std::string const& a) {
                return a == option || a.compare(0, option.size() + 1, option + "=") == 0;
            });
        };
        if (given(c.input_token) || given(c.limit_key)) s.paginate = false;
        if (!s.paginate) check_no_paginate(s);
        auto has = [&](std::string_view k) { return input.contains(json::string_view(k.data(), k.size())); };
        if (has(c.input_token) || has(c.limit_key)) s.paginate = false;
    }

    if (s.g.skeleton == "output") {
        // A response made of placeholders, checked as the AWS CLI checks it,
        // then printed as a response would be.
        json::value doc = skeleton_output(*c.output);
        if (auto errors = param_errors(*c.output, doc); !errors.empty()) {
            std::string msg = "Parameter validation failed:";
            for (auto const& e : errors) msg += "\n" + e;
            throw usage_error(msg);
        }
        print_document(s, doc, resolve_format(s), c.info->name);
        return success;
    }
    return with_client(s, [&s, &c, input, argparse_required]() mutable {
        if (s.paginate) {
            if (s.g.starting_token) {
                decode_starting_token(*s.g.starting_token, c.input_token, s.start_token, s.start_index);
                for (auto const& kv : s.start_token) {
                    bool none = kv.value().is_null() || (kv.value().is_string() && kv.value().get_string() == "None");
                    if (none) input.erase(kv.key());
                    else input[kv.key()] = kv.value();
                }
            }
            if (s.g.page_size) input[json::string_view(c.limit_key.data(), c.limit_key.size())] = *s.g.page_size;
        }
        if (c.paginated && !s.paginate && (s.g.starting_token || s.g.page_size || s.g.max_items))
            // The AWS CLI still hands its paging options to the operation, whose
            // parameters then have an unknown member.
            input["PaginationConfig"] = json::object{};
        auto request = c.build(input, argparse_required);
        return c.run(s, request);
    });
}

int run_completion(std::vector<std::string> const& args)
{
    if (args.size() == 1 && (args[0] == "bash" || args[0] == "zsh")) {
        write_out(completion_script(args[0]));
        return success;
    }
    if (args.size() == 1 && args[0] == "help") {
        std::cout << "usage: " << program << " completion bash|zsh\n\n"
                  << "Prints a completion script. bash: eval \"$(" << program << " completion bash)\" in ~/.bashrc;\n"
                  << "zsh: eval \"$(" << program << " completion zsh)\" in ~/.zshrc after compinit.\n";
        return success;
    }
    if (args.empty()) throw usage_error("the following arguments are required: shell");
    if (args.size() > 1) throw usage_error("unrecognized arguments: " + args[1]);
    throw usage_error(invalid_choice("shell", args[0], {"bash", "zsh"}));
}

int main_impl(int argc, char** argv)
{
    session s;
    std::vector<std::string> rest = parse_globals(argc, argv, s.g);
    if (s.g.version) {
        std::cout << program << "/" << CLEANROOMSML_VERSION << '\n';
        return success;
    }
    // Compiled before anything is sent; a bad expression is a parameter error.
    if (s.g.query) {
        try {
            s.query = jmespath::expression::compile(*s.g.query);
        } catch (jmespath::error const& e) {
            throw usage_error("Bad value for --query " + *s.g.query + ": " + e.what());
        }
    }
    if (rest.empty() || rest[0] == "help") {
        if (rest.empty() && !s.g.help) {
            print_usage(std::cerr);
            return usage_failure;
        }
        print_usage(std::cout);
        return success;
    }
    std::string name = rest[0];
    rest.erase(rest.begin());
    if (name == "completion") return run_completion(rest);
    read_profile(s);
    if (name == "wait") return run_wait(s, std::move(rest));
    for (auto const& c : commands())
        if (c.name == name) return run_command(s, c, rest);

    std::vector<std::string> names;
    for (auto const& c : commands()) names.push_back(c.name);
    names.push_back("wait");
    names.push_back("completion");
    names.push_back("help");
    throw usage_error(invalid_choice("operation", name, names));
}

} // namespace cli

int main(int argc, char** argv)
{
    try {
        return cli::main_impl(argc, argv);
    } catch (cli::usage_error const& e) {
        return cli::report_usage(e);
    } catch (cli::cli_failure const& e) {
        return cli::print_error(e.code, "\n" + std::string(e.what()));
    } catch (cli::python_error const& e) {
        return cli::print_error(cli::failure, "\n" + std::string(e.what()));
    } catch (std::exception const& e) {
        return cli::print_error(cli::failure, "\n" + std::string(cli::program) + ": " + e.what());
    }
}
