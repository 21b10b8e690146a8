// cleanroomsml-cli: the Clean Rooms ML operations from the command line,
// the way the AWS CLI offers them.
//
//   cleanroomsml-cli [global options] <command> [--member-name value ...]
//   cleanroomsml-cli get-audience-model --audience-model-arn ARN
//   cleanroomsml-cli wait audience-model-active --audience-model-arn ARN
//   cleanroomsml-cli wait trained-model-active --trained-model-arn ARN --membership-identifier ID
//
// Commands, waiters and their options come from the model's tables
// (operation traits, type tables, the X-macros of operations and waiters),
// not from code per operation. Exit codes are the AWS CLI's: 0 success, 252
// usage or parameter error, 253 configuration error, 254 error answered by
// the service, 255 any other failure.

#include "cli/json_io.hpp"
#include "cli/options.hpp"

#include <cleanroomsml.hpp>
#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/rest_json.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <chrono>
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

// As the AWS CLI, AWS_DEFAULT_OUTPUT sets the default format.
inline std::string default_output()
{
    char const* v = std::getenv("AWS_DEFAULT_OUTPUT");
    return v && *v ? v : "json";
}

struct global_options {
    std::optional<std::string> endpoint_url, region, profile, ca_bundle, starting_token, cli_input_json;
    std::string output = default_output();
    bool no_paginate = false, debug = false, no_verify_ssl = false, help = false, version = false;
    bool generate_skeleton = false;
    std::optional<std::size_t> max_items;
    std::optional<std::int32_t> page_size;
    std::optional<double> read_timeout, connect_timeout;
};

/// What a command runs with.
struct session {
    global_options g;
    crml::client* client = nullptr;
    crml::call_options call{};
    std::string endpoint;  // for messages about the connection
    void debug(std::string const& line) const
    {
        if (g.debug) std::cerr << "[debug] " << line << '\n';
    }
};

std::string output_format = "json";

void print_json(json::value const& v)
{
    // An empty response prints nothing, as the AWS CLI does.
    if (v.is_object() && v.get_object().empty()) return;
    std::string out;
    if (output_format == "text") {
        write_text(out, v, nullptr);
    } else {
        write_pretty(out, v);
        out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
}

// ---- errors ----------------------------------------------------------------------------------------------------

int print_error(int code, std::string const& text)
{
    std::cerr << text << '\n';
    return code;
}

/// A usage or parameter error: argparse's form, or botocore's for parameter validation.
int report_usage(usage_error const& e)
{
    std::string_view what = e.what();
    if (what.substr(0, 27) == "Parameter validation failed")
        return print_error(usage_failure, "\n" + std::string(what));
    return print_error(usage_failure, "\nusage: " + std::string(program) + " [global options] <command> [options]\n" +
                                          "To see help text, run: " + std::string(program) + " help, or " +
                                          std::string(program) + " <command> help\n\n" + std::string(program) +
                                          ": error: " + std::string(what));
}

struct failure_report {
    int code;
    std::string text;  // without the leading blank line
};

/// A failed call, described as the AWS CLI does, with its exit code.
failure_report describe_call_failure(session const& s, crml::error_code ec, crml::diagnostics const& d,
                                     std::string_view op)
{
    s.debug("failure: " + ec.message() + (d.to_string().empty() ? "" : " (" + d.to_string() + ")"));
    bool from_service = ec.category() == crml::service_category() || (d.http_status >= 300 && !d.error_type.empty());
    if (from_service) {
        std::string type = !d.error_type.empty() ? d.error_type
                           : d.http_status ? std::to_string(d.http_status)
                                           : std::string("Unknown");
        return {service_failure,
                "An error occurred (" + type + ") when calling the " + std::string(op) + " operation: " + d.message};
    }
    if (ec == crml::client_errc::invalid_request)
        return {usage_failure, "Parameter validation failed:\nInvalid value for parameter " +
                                   (d.path.empty() ? std::string("?") : option_of_path(d.path)) + " (" + d.path +
                                   "): " + d.message};
    if (ec == crml::client_errc::missing_region)
        return {config_failure, "You must specify a region: --region, AWS_REGION, AWS_DEFAULT_REGION or the "
                                "profile's region setting."};
    if (ec == crml::client_errc::missing_credentials)
        return {config_failure, "Unable to locate credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                                "configure the profile." +
                                    (d.message.empty() ? "" : " (" + d.message + ")")};
    if (ec == crml::client_errc::invalid_configuration || ec == crml::client_errc::invalid_endpoint)
        return {config_failure, d.message.empty() ? ec.message() : d.message};
    if (ec == crml::client_errc::connect_timeout)
        return {failure, "Connect timeout on endpoint URL: \"" + s.endpoint + "\""};
    if (ec == crml::client_errc::attempt_timeout)
        return {failure, "Read timeout on endpoint URL: \"" + s.endpoint + "\""};
    if (ec == crml::client_errc::operation_timeout)
        return {failure, "The " + std::string(op) + " operation timed out (endpoint URL: \"" + s.endpoint + "\")"};
    if (ec.category() == asio::error::get_system_category() || ec.category() == asio::error::get_netdb_category() ||
        ec.category() == asio::error::get_misc_category() || ec.category() == asio::error::get_addrinfo_category())
        return {failure, "Could not connect to the endpoint URL: \"" + s.endpoint + "\": " + ec.message()};
    std::string what = d.to_string();
    return {failure, ec.message() + (what.empty() ? "" : ": " + what)};
}

int report_call_failure(session const& s, crml::error_code ec, crml::diagnostics const& d, std::string_view op)
{
    auto r = describe_call_failure(s, ec, d, op);
    return print_error(r.code, "\n" + r.text);
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

struct command {
    std::string name;  // "get-audience-model"
    crml::operation_info const* info;
    crd::type_info const* input;
    bool paginated;
    std::shared_ptr<void> (*build)(json::object const& input);
    asio::awaitable<int> (*run)(session& s, std::shared_ptr<void> request);
};

/// The request from the JSON input, checked against the model; throws usage_error.
template <class Request>
Request parse_request(json::object const& input)
{
    Request req{};
    fill_request(crd::type_of<Request>(), &req, input);
    crml::diagnostics diag;
    if (crml::validate(req, &diag))
        throw usage_error("Parameter validation failed:\nInvalid value for parameter " + option_of_path(diag.path) +
                          " (" + diag.path + "): " + diag.message);
    return req;
}

template <class Request>
std::shared_ptr<void> build_request(json::object const& input)
{
    return std::make_shared<Request>(parse_request<Request>(input));
}

// Resumption tokens of --max-items: the service's token when a page was
// used up, else (as botocore does) base64 of {"nextToken", "boto_truncate_amount"}.
struct resume_point {
    std::optional<std::string> token;
    std::size_t skip = 0;
};

resume_point decode_starting_token(std::string const& text)
{
    if (auto raw = crd::base64_decode(text)) {
        boost::system::error_code ec;
        auto v = json::parse(*raw, ec);
        if (!ec && v.is_object() && v.get_object().contains("boto_truncate_amount")) {
            auto const& o = v.get_object();
            resume_point r;
            if (auto const* t = o.if_contains("nextToken"); t && t->is_string()) r.token = std::string(t->get_string());
            if (auto const* n = o.if_contains("boto_truncate_amount"); n && n->is_int64() && n->get_int64() >= 0)
                r.skip = static_cast<std::size_t>(n->get_int64());
            return r;
        }
    }
    return {text, 0};
}

std::string encode_resume(std::optional<std::string> const& token, std::size_t skip)
{
    json::object o;
    o["nextToken"] = token ? json::value(json::string(*token)) : json::value(nullptr);
    o["boto_truncate_amount"] = static_cast<std::int64_t>(skip);
    return crd::base64_encode(json::serialize(o));
}

// Every page, merged into one document (the item lists concatenated), as
// the AWS CLI does; --max-items stops early and adds "NextToken".
template <class Request>
asio::awaitable<int> run_paginated(session& s, Request req)
{
    using traits = crml::paginator_traits<Request>;
    using response = typename traits::response;
    auto const op = crml::operation_traits<Request>::info.name;

    resume_point start;
    if (s.g.starting_token) start = decode_starting_token(*s.g.starting_token);
    if (start.token) req.*traits::input_token = *start.token;
    if (s.g.page_size) req.*traits::limit = *s.g.page_size;

    auto pages = s.client->paginate(std::move(req), s.call);
    response merged{};
    std::size_t total = 0;
    std::optional<std::string> page_token = start.token;  // the token that fetched the current page
    std::optional<std::string> resume;
    bool first = true;
    for (;;) {
        crml::diagnostics diag;
        auto [ec, page] = co_await pages.async_next(diag, use_tuple);
        if (ec) co_return report_call_failure(s, ec, diag, op);
        if (!page) break;
        s.debug(std::string(op) + " page " + std::to_string(pages.pages()));
        auto& items = (*page).*traits::items;
        std::size_t skip = first ? start.skip : 0;
        if (skip > 0) items.erase(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(std::min(skip, items.size())));
        auto next = (*page).*traits::output_token;
        if (s.g.max_items && total + items.size() >= *s.g.max_items) {
            std::size_t keep = *s.g.max_items - total;
            bool rest_of_page = keep < items.size();
            items.resize(keep);
            if (rest_of_page) resume = encode_resume(page_token, skip + keep);
            else if (next && !next->empty()) resume = *next;
        }
        total += items.size();
        if (first) {
            merged = std::move(*page);
            first = false;
        } else {
            auto& all = merged.*traits::items;
            for (auto& i : items) all.push_back(std::move(i));
        }
        if (resume) break;
        page_token = next;
    }
    (merged.*traits::output_token).reset();
    json::value out = to_json_value(merged);
    if (resume) out.as_object()["NextToken"] = *resume;
    print_json(out);
    co_return success;
}

template <class Request, class Caller>
asio::awaitable<int> run_operation(session& s, std::shared_ptr<void> erased)
{
    Request req = std::move(*static_cast<Request*>(erased.get()));
    s.debug(std::string("request ") + std::string(crml::operation_traits<Request>::info.name) + " " + wire_form(req));
    if constexpr (crml::paginated_request<Request>) {
        using traits = crml::paginator_traits<Request>;
        if (!s.g.no_paginate) {
            auto all_pages = run_paginated(s, std::move(req));  // not inside co_await: see the GCC 12 note
            co_return co_await std::move(all_pages);
        }
        if (s.g.starting_token) req.*traits::input_token = *s.g.starting_token;
        if (s.g.page_size) req.*traits::limit = *s.g.page_size;
    }
    crml::diagnostics diag;
    // The request is moved in its own statement: GCC 12 mishandles temporaries inside co_await.
    auto call = Caller::call(*s.client, std::move(req), s.call, diag);
    auto [ec, out] = co_await std::move(call);
    if (ec) co_return report_call_failure(s, ec, diag, crml::operation_traits<Request>::info.name);
    s.debug("attempts: " + std::to_string(diag.attempts) + (diag.request_id.empty() ? "" : ", request id " + diag.request_id));
    print_json(to_json_value(out));
    co_return success;
}

template <class Request, class Caller>
command make_command()
{
    auto const& info = crml::operation_traits<Request>::info;
    return {kebab(info.name), &info, &crd::type_of<Request>(), crml::paginated_request<Request>,
            &build_request<Request>, &run_operation<Request, Caller>};
}

std::vector<command> const& commands()
{
#define CLEANROOMSML_CLI_COMMAND(op, Request) make_command<Request, call_##op>(),
    static std::vector<command> const table{CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_CLI_COMMAND)};
#undef CLEANROOMSML_CLI_COMMAND
    return table;
}

// ---- waiters -----------------------------------------------------------------------------------------------

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
    asio::awaitable<int> (*run)(session& s, waiter_command const& w, json::object const& input,
                                crml::wait_options const& o);
};

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
    return {title, kebab(title), op, options_of(crd::type_of<Request>()), &run_get_wait<Request, Waiter>};
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
    return {title, kebab(title), crml::operation_traits<ListRequest>::info.name, std::move(options),
            &run_listed_wait<ListRequest, Waiter>};
}

std::vector<waiter_command> const& waiters()
{
#define CLEANROOMSML_CLI_GET_ENTRY(resource, Request, goal) make_get_waiter<Request, wait_##resource##_##goal>(#goal),
#define CLEANROOMSML_CLI_LISTED_ENTRY(resource, ListRequest)                                                       \
    make_listed_waiter<ListRequest, wait_##resource##_active>(#resource),
    static std::vector<waiter_command> const table{CLEANROOMSML_FOR_EACH_WAITER(CLEANROOMSML_CLI_GET_ENTRY)
                                                       CLEANROOMSML_FOR_EACH_LISTED_WAITER(CLEANROOMSML_CLI_LISTED_ENTRY)};
#undef CLEANROOMSML_CLI_LISTED_ENTRY
#undef CLEANROOMSML_CLI_GET_ENTRY
    return table;
}

// ---- help --------------------------------------------------------------------------------------------------

constexpr char global_help[] =
    "Global options (before or after the command):\n"
    "  --endpoint-url URL         send requests to URL instead of the service's endpoint\n"
    "  --region REGION            the AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile)\n"
    "  --profile NAME             the shared-config profile (default: AWS_PROFILE, \"default\")\n"
    "  --output json|text         output format: JSON with 4-space indentation (default, or\n"
    "                             AWS_DEFAULT_OUTPUT), or the AWS CLI's tab-separated text\n"
    "  --no-paginate              list commands: one page only, with its nextToken\n"
    "  --max-items N              list commands: at most N items in all; prints NextToken to resume\n"
    "  --starting-token TOKEN     list commands: start from a NextToken (or a service nextToken)\n"
    "  --page-size N              list commands: items per request (the request's maxResults)\n"
    "  --cli-input-json JSON      the whole request as JSON, or file://path (options override its members)\n"
    "  --generate-cli-skeleton    print a JSON skeleton of the request for --cli-input-json, and exit\n"
    "  --cli-read-timeout S       seconds to wait for a response (0: no limit)\n"
    "  --cli-connect-timeout S    seconds to wait for a connection (0: no limit)\n"
    "  --ca-bundle FILE           CA certificates (PEM) to verify TLS peers with\n"
    "  --no-verify-ssl            do not verify TLS certificates\n"
    "  --debug                    print the configuration, requests and diagnostics on stderr\n"
    "  --version                  print the version\n";

void print_usage(std::ostream& os)
{
    os << "usage: " << program << " [global options] <command> [options]\n"
       << "       " << program << " <command> help\n"
       << "       " << program << " wait <waiter> [options]\n\n"
       << "Commands:\n";
    for (auto const& c : commands()) os << "  " << c.name << '\n';
    os << "  wait\n\n" << global_help;
}

void print_member_help(option_list const& options)
{
    std::cout << "Options:\n";
    for (auto const& o : options) {
        auto const& m = *o.member;
        auto const& t = m.type();
        std::string line = "  --" + kebab(m.name) + " <" + describe_type(t, m.rules) + ">";
        if (line.size() < 58) line.append(58 - line.size(), ' ');
        else line += "  ";
        std::string notes = o.required ? "required" : "optional";
        if (auto r = describe_rules(m.rules); !r.empty()) notes += ", " + r;
        if (t.kind == crd::value_kind::boolean) notes += ", a flag: --" + kebab(m.name) + " / --no-" + kebab(m.name);
        else if (t.kind == crd::value_kind::timestamp) notes += ", ISO 8601 or epoch seconds";
        else if (!scalar_kind(t.kind)) notes += t.kind == crd::value_kind::list && scalar_kind(t.element().kind)
                                                    ? ", JSON or values"
                                                    : ", JSON";
        std::cout << line << notes << '\n';
    }
}

void print_command_help(command const& c)
{
    std::cout << c.name << "  (" << c.info->name << ": " << c.info->method << ' ' << c.info->uri << ")\n\n"
              << "usage: " << program << " " << c.name << " [options]\n\n";
    print_member_help(options_of(*c.input));
    if (c.paginated)
        std::cout << "\nPaginated: every page is fetched and merged unless --no-paginate; see --max-items,\n"
                     "--starting-token and --page-size.\n";
    std::cout << "\nStructures, lists and maps take JSON ('{\"k\":\"v\"}', '[\"a\"]') or file://path.\n"
                 "Run '"
              << program << " help' for the global options.\n";
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
    print_member_help(w->options);
    std::cout << "  --min-delay <seconds>                                   optional, first delay between polls (2)\n"
                 "  --max-delay <seconds>                                   optional, longest delay (120)\n"
                 "  --max-wait <seconds>                                    optional, give up after (3600)\n";
}

// ---- arguments and configuration ---------------------------------------------------------------------------

double parse_seconds(std::string const& option, std::string const& text)
{
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size() || !(v >= 0) || v > 1e9)
        throw usage_error("argument " + option + ": expected a number of seconds, got '" + text + "'");
    return v;
}

template <class Int>
Int parse_count(std::string const& option, std::string const& text)
{
    Int v{};
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || v <= 0)
        throw usage_error("argument " + option + ": expected a positive integer, got '" + text + "'");
    return v;
}

std::chrono::milliseconds to_ms(double seconds)
{
    if (seconds == 0) return std::chrono::hours(24 * 365);  // 0: no limit, as the AWS CLI means it
    return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000 + 0.5));
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
        if (arg == "--endpoint-url") g.endpoint_url = value();
        else if (arg == "--region") g.region = value();
        else if (arg == "--profile") g.profile = value();
        else if (arg == "--output") g.output = value();
        else if (arg == "--ca-bundle") g.ca_bundle = value();
        else if (arg == "--starting-token") g.starting_token = value();
        else if (arg == "--cli-input-json") g.cli_input_json = value();
        else if (arg == "--max-items") g.max_items = parse_count<std::size_t>(arg, value());
        else if (arg == "--page-size") g.page_size = parse_count<std::int32_t>(arg, value());
        else if (arg == "--cli-read-timeout") g.read_timeout = parse_seconds(arg, value());
        else if (arg == "--cli-connect-timeout") g.connect_timeout = parse_seconds(arg, value());
        else if (arg == "--no-paginate") g.no_paginate = true;
        else if (arg == "--debug") g.debug = true;
        else if (arg == "--no-verify-ssl") g.no_verify_ssl = true;
        else if (arg == "--generate-cli-skeleton") g.generate_skeleton = true;
        else if (arg == "--version") g.version = true;
        else if (arg == "--help" || arg == "-h") g.help = true;
        else rest.push_back(argv[i]);
    }
    if (g.output != "json" && g.output != "text")
        throw usage_error("argument --output: invalid choice '" + g.output + "' (choose from 'json', 'text')");
    output_format = g.output;
    return rest;
}

/// The client's configuration: load_config() (environment, shared files,
/// profile), then the command line. Throws on a configuration error.
crml::client_config make_config(session& s)
{
    crml::load_config_options lo;
    if (s.g.profile) lo.profile = *s.g.profile;
    crml::client_config cfg = crml::load_config(lo);
    if (s.g.region) cfg.region = *s.g.region;
    if (s.g.endpoint_url) cfg.endpoint_url = *s.g.endpoint_url;
    if (s.g.ca_bundle) cfg.tls.ca_file = *s.g.ca_bundle;
    if (s.g.no_verify_ssl) cfg.tls.verify = false;
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

/// Runs `body` on an io_context with a client; returns its exit code.
template <class Body>
int with_client(session& s, Body body)
{
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
        return print_error(config_failure, "\nYou must specify a region: --region, AWS_REGION, AWS_DEFAULT_REGION or "
                                           "the profile's region setting.");
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

/// argparse's message for a word that is none of `names`, with a hint at the closest.
std::string invalid_choice(std::string const& argument, std::string const& word, std::vector<std::string> const& names)
{
    auto hint = closest(word, names);
    std::string msg = "argument " + argument + ": Invalid choice '" + word + "'" +
                      (hint ? " (did you mean " + *hint + "?)" : "") + ", valid choices are:";
    for (auto const& n : names) msg += "\n  " + n;
    return msg;
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
        return print_error(usage_failure, "\n" + invalid_choice("wait", args[0], names));
    }
    args.erase(args.begin());
    if (wants_help(args)) {
        print_wait_help(w);
        return success;
    }
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
    parse_options(w->options, member_args, input);
    check_required(w->options, input);
    return with_client(s, [&s, &input, &wo, w] {
        wo.call = s.call;  // make_config has filled the timeouts by now
        return w->run(s, *w, input, wo);
    });
}

int run_command(session& s, command const& c, std::vector<std::string> const& args)
{
    if (s.g.help || wants_help(args)) {
        print_command_help(c);
        return success;
    }
    if (s.g.generate_skeleton) {
        print_json(skeleton(*c.input));
        return success;
    }
    if (!c.paginated && (s.g.max_items || s.g.starting_token || s.g.page_size))
        throw usage_error(std::string("Unknown options: ") +
                          (s.g.max_items ? "--max-items" : s.g.starting_token ? "--starting-token" : "--page-size") +
                          " (" + c.name + " is not paginated)");
    json::object input;
    if (s.g.cli_input_json) input = parse_input_json(read_value(*s.g.cli_input_json, "--cli-input-json"));
    parse_options(options_of(*c.input), args, input);
    auto request = c.build(input);
    auto run = c.run;
    return with_client(s, [&s, request, run] { return run(s, request); });
}

int main_impl(int argc, char** argv)
{
    session s;
    std::vector<std::string> rest = parse_globals(argc, argv, s.g);
    if (s.g.version) {
        std::cout << program << "/" << CLEANROOMSML_VERSION << '\n';
        return success;
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
    if (name == "wait") return run_wait(s, std::move(rest));
    for (auto const& c : commands())
        if (c.name == name) return run_command(s, c, rest);

    std::vector<std::string> names;
    for (auto const& c : commands()) names.push_back(c.name);
    names.push_back("wait");
    return print_error(usage_failure, "\nusage: " + std::string(program) + " [global options] <command> [options]\n" +
                                          "To see help text, run: " + std::string(program) + " help\n\n" +
                                          std::string(program) + ": error: " + invalid_choice("command", name, names));
}

} // namespace cli

int main(int argc, char** argv)
{
    try {
        return cli::main_impl(argc, argv);
    } catch (cli::usage_error const& e) {
        return cli::report_usage(e);
    } catch (std::exception const& e) {
        return cli::print_error(cli::failure, "\n" + std::string(cli::program) + ": " + e.what());
    }
}
