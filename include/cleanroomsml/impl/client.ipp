#ifndef CLEANROOMSML_IMPL_CLIENT_IPP
#define CLEANROOMSML_IMPL_CLIENT_IPP

// The one I/O driver of every operation.

#include <cleanroomsml/client.hpp>
#include <cleanroomsml/credentials_chain.hpp>
#include <cleanroomsml/detail/base64.hpp>
#include <cleanroomsml/detail/client_impl.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/task.hpp>
#include <cleanroomsml/detail/uri.hpp>
#include <cleanroomsml/detail/validate.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/asio/write.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/container/small_vector.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <initializer_list>
#include <new>
#include <span>
#include <tuple>

namespace cleanroomsml::detail {

namespace client_impl_detail {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using clock = std::chrono::steady_clock;

// The three deadlines of a call; an attempt's is never past the operation's.
struct deadlines {
    clock::time_point operation;
    clock::time_point attempt;
};

inline clock::time_point after(std::chrono::milliseconds d)
{
    if (d.count() <= 0) return clock::time_point::max();
    return clock::now() + d;
}

// Which timeout a deadline that passed was, for diagnostics and the code.
inline error_code timeout_error(clock::time_point hit, deadlines const& dl, bool connecting, diagnostics& d)
{
    if (hit >= dl.operation) {
        d.timeout = "operation";
        return client_errc::operation_timeout;
    }
    if (connecting && hit < dl.attempt) {
        d.timeout = "connect";
        return client_errc::connect_timeout;
    }
    d.timeout = "attempt";
    return client_errc::attempt_timeout;
}

// What one attempt produced, besides its error code.
struct attempt_outcome {
    int status = 0;
    std::string error_type;
    std::optional<std::chrono::milliseconds> retry_after;
    std::optional<timestamp> server_date;
    bool final = false;  // not retryable whatever the code says (credentials, response parsing)
};

inline bool one_of(std::string_view name, std::initializer_list<std::string_view> names)
{
    for (auto n : names)
        if (beast::iequals(name, n)) return true;
    return false;
}

// Headers the signer writes; any copy in the request gives way to its.
inline bool signer_header(std::string_view name)
{
    return one_of(name, {"authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256"});
}

// A call's request as it goes on the wire, built once per call: the headers
// are views into strings the call or the client owns. Beast's request type
// would allocate each field; here an attempt only adds its counter and
// signature and serializes the head once.
struct outgoing_request {
    std::string_view method;
    std::string target;
    boost::container::small_vector<sigv4_header, 16> headers;
    std::string_view body;

    // Replaces a header of the same name (any case), like fields::set.
    // Those each attempt writes itself are left out here.
    void set(std::string_view name, std::string_view value)
    {
        if (signer_header(name) || beast::iequals(name, "amz-sdk-request")) return;
        for (auto& h : headers)
            if (beast::iequals(h.first, name)) {
                h = {name, value};
                return;
            }
        headers.emplace_back(name, value);
    }
};

// The head of one attempt: the request line, the call's headers, the
// attempt counter and the signature, into `out` (reused across attempts).
inline void serialize_head(outgoing_request const& req, std::string_view attempt_header,
                           std::span<sigv4_header const> signed_headers, std::string& out)
{
    std::size_t size = req.method.size() + req.target.size() + 13 + attempt_header.size() + 19 + 2;
    for (auto const& [name, value] : req.headers) size += name.size() + value.size() + 4;
    for (auto const& [name, value] : signed_headers) size += name.size() + value.size() + 4;
    out.clear();
    out.reserve(size);  // one allocation at most, none once the connection's buffer has grown
    out.append(req.method).append(" ").append(req.target).append(" HTTP/1.1\r\n");
    auto line = [&](std::string_view name, std::string_view value) {
        out.append(name).append(": ").append(value).append("\r\n");
    };
    for (auto const& [name, value] : req.headers) line(name, value);
    line("amz-sdk-request", attempt_header);
    for (auto const& [name, value] : signed_headers) line(name, value);
    out.append("\r\n");
}

// Signs the request for one attempt (its own time and counter) and writes
// the head into `head`. Runs once a connection is at hand, so that the
// signature is fresh and the head goes into the connection's buffer; the
// signer's views are used before anything else can sign.
inline void sign_head(client_impl& self, outgoing_request const& req, credentials const& creds, int attempt,
                      int max_attempts, std::string& head)
{
    char counter[48];
    auto const n = std::snprintf(counter, sizeof counter, "attempt=%d; max=%d", attempt, max_attempts);
    std::string_view const attempt_header(counter, static_cast<std::size_t>(n));
    if (!self.config.sign_requests) {
        serialize_head(req, attempt_header, {}, head);
        return;
    }
    // Every header is signed but those a proxy may rewrite or the signer sets.
    boost::container::small_vector<sigv4_header, 16> headers;
    for (auto const& h : req.headers)
        if (!one_of(h.first, {"user-agent", "proxy-authorization"})) headers.push_back(h);
    headers.emplace_back("amz-sdk-request", attempt_header);
    std::string_view target = req.target;
    if (!self.absolute_prefix.empty()) target.remove_prefix(self.absolute_prefix.size());
    auto const q = target.find('?');
    sigv4_request sr{req.method, target.substr(0, q),
                     q == std::string_view::npos ? std::string_view{} : target.substr(q + 1),
                     std::span<sigv4_header const>(headers.data(), headers.size()), req.body};
    sigv4_params sp{self.ep.signing_region, self.ep.signing_name,
                    std::chrono::system_clock::now() + std::chrono::milliseconds(self.clock_offset_ms.load())};
    serialize_head(req, attempt_header, self.sig.sign_headers(creds, sr, sp), head);
}

// What a complete response means for the call: the output decoded, or the
// service's error. Runs before the connection goes back to the pool, whose
// buffers `res` is.
inline error_code read_outcome(call_base& c, response_store const& res, attempt_outcome& out)
{
    auto& d = c.diag;
    out.status = res.status;
    d.http_status = out.status;
    if (auto id = res.header("x-amzn-RequestId")) d.request_id = std::string(*id);
    else if (auto id2 = res.header("x-amz-request-id")) d.request_id = std::string(*id2);
    if (auto ra = res.header("x-amz-retry-after")) out.retry_after = parse_retry_after(*ra);
    if (auto date = res.header("Date")) {
        timestamp t;
        if (parse_http_date(*date, t)) out.server_date = t;
    }

    if (out.status == c.op->success_status || (out.status >= 200 && out.status < 300)) {
        read_error err;
        if (auto dec = decode_response(*c.output, c.response, res.body, header_source{&res, &response_store::lookup},
                                       err)) {
            d.path = std::move(err.path);
            d.message = "the response does not match the model: " + err.message;
            out.final = true;
            return dec;
        }
        return error_code{};
    }
    aws_error err = parse_error_response(res.header("X-Amzn-ErrorType"), res.body);
    out.error_type = err.type;
    d.error_type = err.type;
    d.message = err.message;
    if (d.message.empty() && err.type.empty()) d.message = "HTTP " + std::to_string(out.status) + " without an AWS error";
    return make_error_code(service_errc_from_type(err.type));
}

inline task<error_code> sleep_until(op_context& io, clock::time_point t)
{
    asio::steady_timer timer(io.get_executor());
    timer.expires_at(t);
    auto [ec] = co_await io(timer.async_wait(asio::deferred));
    co_return ec;
}

// One attempt: credentials, signature, a connection, the exchange, the answer.
inline task<error_code> run_attempt(client_impl& self, call_base& c, op_context& io, outgoing_request const& req,
                                    int attempt, int max_attempts, deadlines const& dl, attempt_outcome& out)
{
    auto& d = c.diag;

    // Fresh credentials at hand are used as they are; otherwise fetched
    // (unsigned requests need none).
    bool const sign = self.config.sign_requests;
    auto const snapshot = sign ? self.credentials.current() : nullptr;
    credentials fetched;
    if (sign && !snapshot) {
        auto [cec, creds] = co_await io(self.credentials.async_get_credentials(self.serial, d, asio::deferred));
        if (io.cancelled()) co_return asio::error::operation_aborted;
        if (cec) {
            out.final = true;
            if (d.message.empty()) d.message = "no credentials";
            co_return cec;
        }
        fetched = std::move(creds);
    }
    credentials const& creds = snapshot ? *snapshot : fetched;

    if (self.config.retry.mode == retry_mode::adaptive) {
        double const now = std::chrono::duration<double>(clock::now() - self.created).count();
        auto const wait = self.limiter.acquire(now);
        if (wait.count() > 0) {
            auto const until = clock::now() + std::chrono::duration_cast<clock::duration>(wait);
            if (until >= dl.operation) {
                d.timeout = "operation";
                d.message = "the adaptive rate limiter's wait passes the operation deadline";
                out.final = true;
                co_return client_errc::operation_timeout;
            }
            if (auto ec = co_await sleep_until(io, until); io.cancelled()) co_return ec;
        }
    }

    // A pooled connection the server closed unnoticed fails before any byte
    // of a response: such failures are tried again on a new connection,
    // without counting as an attempt.
    for (int stale = 0;; ++stale) {
        std::unique_ptr<connection> conn;
        bool reused = false;
        std::string why;
        auto const connect_deadline =
            std::min(after(c.options.connect_timeout.value_or(self.config.timeouts.connect)), dl.attempt);
        error_code ec;
        if ((conn = self.pool->take_idle()))
            reused = true;  // the usual case, without a coroutine of the pool's
        else
            ec = co_await self.pool->acquire(io, conn, reused, dl.attempt, connect_deadline, why);
        if (io.cancelled()) {
            if (conn) self.pool->release(std::move(conn), false);
            co_return asio::error::operation_aborted;
        }
        if (ec) {
            if (ec == beast::error::timeout) ec = timeout_error(connect_deadline, dl, true, d);
            else if (ec == asio::error::timed_out) ec = timeout_error(dl.attempt, dl, false, d);
            d.message = why + ": " + ec.message();
            co_return ec;
        }

        std::array<asio::const_buffer, 2> bufs;
        try {
            sign_head(self, req, creds, attempt, max_attempts, conn->head);
            ec = conn->prepare_request(req.body, bufs);
        } catch (...) {
            self.pool->release(std::move(conn), false);  // the slot is not lost with the call
            throw;
        }
        response_reader parser(conn->response);
        parser.body_limit(self.config.max_response_bytes);
        parser.eager(true);
        {
            // The exchange, before the attempt's deadline, which the client's
            // deadline_watch enforces (no timer per read and write): past it
            // the socket is cancelled and this reports beast::error::timeout.
            deadline_watch::entry watched{dl.attempt, conn.get()};
            deadline_watch::scope in_flight(self.watch, watched);
            if (!ec) ec = co_await exchange(io, *conn, bufs, parser);
            if (ec && watched.expired) ec = beast::error::timeout;
        }
        if (io.cancelled()) {
            self.pool->release(std::move(conn), false);
            co_return asio::error::operation_aborted;
        }
        if (ec) {
            bool const got_some = parser.got_some();
            self.pool->release(std::move(conn), false);
            if (ec == http::error::body_limit) {
                d.message = "the response body exceeds max_response_bytes (" +
                            std::to_string(self.config.max_response_bytes) + ")";
                out.final = true;
                co_return client_errc::response_too_large;
            }
            if (ec == beast::error::timeout) {
                ec = timeout_error(dl.attempt, dl, false, d);
                d.message = "no complete response before the deadline";
                co_return ec;
            }
            if (reused && !got_some && stale < 4) continue;
            d.message = std::string(got_some ? "reading the response: " : "sending the request: ") + ec.message();
            co_return ec;
        }

        bool const keep = parser.keep_alive() && conn->buffer.size() == 0;
        try {
            ec = read_outcome(c, conn->response, out);
        } catch (...) {
            self.pool->release(std::move(conn), false);  // the slot is not lost with the call
            throw;
        }
        self.pool->release(std::move(conn), keep);
        co_return ec;
    }
}

inline task<error_code> run_call(client_impl& self, call_base& c, op_context& io)
{
    auto& d = c.diag;

    if (self.config_error) {
        d.message = self.config_message;
        co_return self.config_error;
    }
    read_error err;
    if (self.config.validate_requests) {
        if (auto ec = validate_shape(*c.input, c.request, err)) {
            d.path = std::move(err.path);
            d.message = std::move(err.message);
            co_return ec;
        }
    }
    // Encoded once: idempotency tokens are drawn once per call, not per attempt.
    // The path is encoded after the endpoint's own prefix: it is the target.
    encoded_request enc;
    encode_options eo;
    eo.path_prefix = self.target_prefix;
    if (auto ec = encode_request(*c.op, *c.input, c.request, enc, err, eo)) {
        d.path = std::move(err.path);
        d.message = std::move(err.message);
        co_return ec;
    }

    outgoing_request req;
    req.method = enc.method;
    req.target = std::move(enc.path);
    if (!enc.query.empty()) req.target.append("?").append(enc.query);
    char invocation_id[36];
    write_uuid4(invocation_id);
    req.set("Host", self.host_header);
    req.set("User-Agent", self.user_agent);
    req.set("x-amz-user-agent", self.user_agent);
    req.set("amz-sdk-invocation-id", std::string_view(invocation_id, sizeof invocation_id));
    for (auto const& [k, v] : enc.headers) req.set(k, v);
    for (auto const& [k, v] : self.ep.headers) req.set(k, v);
    // Absolute-form requests go to the proxy itself: each carries its
    // credentials (left out of the signature: the proxy strips them).
    if (!self.absolute_prefix.empty() && !self.pool->settings().proxy_authorization.empty())
        req.set("Proxy-Authorization", self.pool->settings().proxy_authorization);
    char length[24];
    if (enc.has_body) {
        req.set("Content-Type", "application/json");
        req.body = enc.body;
        auto const n = std::snprintf(length, sizeof length, "%zu", enc.body.size());
        req.set("Content-Length", std::string_view(length, static_cast<std::size_t>(n)));
    } else if (enc.method == "POST" || enc.method == "PUT" || enc.method == "PATCH") {
        req.set("Content-Length", "0");
    }

    int const max_attempts = std::max(1, c.options.max_attempts.value_or(self.config.retry.max_attempts));
    deadlines dl;
    dl.operation = after(c.options.operation_timeout.value_or(self.config.timeouts.operation));
    auto const attempt_timeout = c.options.attempt_timeout.value_or(self.config.timeouts.attempt);
    int last_cost = 0;

    for (int attempt = 1;; ++attempt) {
        d.attempts = attempt;
        d.http_status = 0;
        d.error_type.clear();
        d.message.clear();
        d.request_id.clear();
        d.path.clear();
        d.timeout.clear();
        dl.attempt = std::min(after(attempt_timeout), dl.operation);

        attempt_outcome out;
        auto ec = co_await run_attempt(self, c, io, req, attempt, max_attempts, dl, out);
        if (io.cancelled() || ec == asio::error::operation_aborted) {
            d.message = "the call was cancelled";
            co_return asio::error::operation_aborted;
        }
        failure_kind const kind = ec ? classify_failure(ec, out.status, out.error_type) : failure_kind::fatal;
        if (self.config.retry.mode == retry_mode::adaptive && out.status != 0) {
            double const now = std::chrono::duration<double>(clock::now() - self.created).count();
            self.limiter.on_response(now, kind == failure_kind::throttling);
        }
        if (!ec) {
            self.quota.on_success(last_cost);
            co_return ec;
        }
        if (out.final || kind == failure_kind::fatal || ec == client_errc::operation_timeout) co_return ec;
        if (attempt >= max_attempts) co_return ec;

        if (kind == failure_kind::clock_skew) {
            // Retry at once with the server's clock if ours is off by more than
            // a few minutes; otherwise the signature is really wrong.
            if (!out.server_date) co_return ec;
            auto const local = std::chrono::system_clock::now() + std::chrono::milliseconds(self.clock_offset_ms.load());
            auto const skew = std::chrono::duration_cast<std::chrono::milliseconds>(*out.server_date - local);
            if (std::chrono::abs(skew) < std::chrono::minutes(4)) co_return ec;
            self.clock_offset_ms.fetch_add(skew.count());
            continue;
        }

        int cost = 0;
        if (!self.quota.try_acquire(kind, cost)) {
            d.message = "retry quota exhausted after: " + (d.message.empty() ? ec.message() : d.message);
            co_return client_errc::retry_quota_exceeded;
        }
        last_cost = cost;
        std::uniform_real_distribution<double> jitter(0.0, 1.0);
        auto const delay = backoff_delay(kind, attempt, jitter(self.rng), out.retry_after);
        auto const until = clock::now() + delay;
        if (until >= dl.operation) {
            d.timeout = "operation";
            d.message = "the next retry would start after the operation deadline; last error: " +
                        (d.message.empty() ? ec.message() : d.message);
            co_return client_errc::operation_timeout;
        }
        co_await sleep_until(io, until);
        if (io.cancelled()) {
            d.message = "the call was cancelled";
            co_return asio::error::operation_aborted;
        }
    }
}

// Whether handlers of `ex` may run here and now, as asio::dispatch would.
inline bool runs_here(asio::any_io_executor const& ex) noexcept
{
    if (auto const* io = ex.target<asio::io_context::executor_type>()) return io->running_in_this_thread();
    if (auto const* s = ex.target<asio::strand<asio::io_context::executor_type>>()) return s->running_in_this_thread();
    if (auto const* s = ex.target<asio::strand<asio::any_io_executor>>()) return s->running_in_this_thread();
    return false;
}

// A call from start to completion, on the client's serial executor. A call
// that ends without waiting for anything (an invalid request) completes
// through a post: a handler never runs inside the initiating function.
inline detached_task run_root(std::shared_ptr<client_impl> impl, call_ptr call)
{
    op_context io(impl->serial);
    io.set_root(co_await current_coroutine());
    io.connect(call->cancellation_slot());
    error_code ec;
    try {
        ec = co_await run_call(*impl, *call, io);
    } catch (...) {
        // Only a bug or an allocation failure gets here.
        ec = error_from_exception(std::current_exception(), call->diag.message);
    }
    io.disconnect();
    if (!io.suspended()) co_await io(asio::post(io.get_executor(), asio::deferred));
    io.set_root({});

    // After the handler (even if it throws): one that starts the next call
    // at once has its exchange watched by then, and the timer stays.
    struct let_go {
        deadline_watch& watch;
        ~let_go() { watch.idle(); }
    } const after_handler{impl->watch};
    auto const ex = impl->executor;
    try {
        call.release()->complete(ec, ex);  // frees the call
    } catch (...) {
        // Out of the io_context's run(), as any Asio handler's exception.
        asio::post(ex, [x = std::current_exception()] { std::rethrow_exception(x); });
    }
}

} // namespace client_impl_detail

CLEANROOMSML_DECL void start_call(std::shared_ptr<client_impl> const& impl, call_ptr call)
{
    using namespace client_impl_detail;
    if (runs_here(impl->serial)) {
        run_root(impl, std::move(call));
        return;
    }
    asio::dispatch(impl->serial, [impl, c = std::move(call)]() mutable { run_root(std::move(impl), std::move(c)); });
}

CLEANROOMSML_DECL asio::any_io_executor client_executor(client_impl const& impl) noexcept { return impl.executor; }

CLEANROOMSML_DECL void call_base::complete(error_code ec, asio::any_io_executor const& fallback)
{
    if (user_diag) *user_diag = std::move(diag);  // the call's copy is not read again
    result = ec;
    // What dispatch would do, without a trip through the executor.
    if (inline_ctx && inline_ctx->get_executor().running_in_this_thread()) return invoke();
    dispatch(fallback);
}

CLEANROOMSML_DECL std::string make_user_agent(std::optional<std::string> const& app_id)
{
#if defined(__linux__)
    constexpr std::string_view os = "linux";
#elif defined(__APPLE__)
    constexpr std::string_view os = "macos";
#elif defined(_WIN32)
    constexpr std::string_view os = "windows";
#else
    constexpr std::string_view os = "other";
#endif
    std::string ua = "cleanroomsml-cpp/" CLEANROOMSML_VERSION " ua/2.1 os/";
    ua += os;
    ua += " lang/cpp#" + std::to_string(__cplusplus / 100 % 100);
    ua += " md/boost#" + std::to_string(BOOST_VERSION / 100000) + '.' + std::to_string(BOOST_VERSION / 100 % 1000);
    ua += " api/cleanroomsml#" CLEANROOMSML_VERSION;
    if (app_id && !app_id->empty()) {
        // Token characters only, at most 50 of them; anything else becomes '_'.
        std::string id;
        for (char ch : app_id->substr(0, 50)) {
            bool const tchar = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                               std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
            id += tchar ? ch : '_';
        }
        ua += " app/" + id;
    }
    return ua;
}

CLEANROOMSML_DECL std::string take_proxy_credentials(std::string& url)
{
    auto const scheme = url.find("://");
    auto const start = scheme == std::string::npos ? 0 : scheme + 3;
    auto const end = std::min(url.find_first_of("/?#", start), url.size());
    auto const at = url.rfind('@', end);
    if (at == std::string::npos || at < start) return {};
    std::string user_info;
    if (!percent_decode(user_info, std::string_view(url).substr(start, at - start)))
        user_info.assign(url, start, at - start);  // a stray '%' is taken literally
    url.erase(start, at + 1 - start);
    return "Basic " + base64_encode(user_info);
}

CLEANROOMSML_DECL bool no_proxy_matches(std::string_view list, std::string_view host, std::uint16_t port)
{
    auto lower = [](std::string_view s) {
        std::string r(s);
        for (auto& ch : r)
            if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
        return r;
    };
    std::string const h = lower(host);
    while (!list.empty()) {
        auto const comma = list.find(',');
        std::string_view entry = list.substr(0, comma);
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) entry.remove_prefix(1);
        while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) entry.remove_suffix(1);
        if (entry.empty()) continue;
        if (entry == "*") return true;
        // An optional ":port" (not for bare IPv6 literals, which hold colons).
        std::optional<std::uint16_t> entry_port;
        if (auto colon = entry.rfind(':'); colon != std::string_view::npos && entry.find(':') == colon) {
            entry_port = static_cast<std::uint16_t>(std::atoi(std::string(entry.substr(colon + 1)).c_str()));
            entry = entry.substr(0, colon);
        }
        if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') entry = entry.substr(1, entry.size() - 2);
        if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
        if (entry_port && *entry_port != port) continue;
        std::string const e = lower(entry);
        if (h == e) return true;
        if (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 && h[h.size() - e.size() - 1] == '.')
            return true;
    }
    return false;
}

namespace client_impl_detail {

inline asio::any_io_executor serial_executor(asio::any_io_executor const& ex, bool single_threaded)
{
    // A strand of a strand would only add a second queue to go through.
    if (single_threaded || ex.target<asio::strand<asio::io_context::executor_type>>() ||
        ex.target<asio::strand<asio::any_io_executor>>())
        return ex;
    if (auto const* io = ex.target<asio::io_context::executor_type>()) return asio::make_strand(*io);
    return asio::make_strand(ex);
}

} // namespace client_impl_detail

CLEANROOMSML_DECL client_impl::client_impl(asio::any_io_executor ex, client_config cfg)
    : executor(ex), serial(client_impl_detail::serial_executor(ex, cfg.single_threaded)), config(std::move(cfg)), rng(std::random_device{}())
{
    user_agent = make_user_agent(config.app_id);
    credentials = config.credentials ? config.credentials : default_credentials_chain(config.profile);

    auto fail = [&](error_code ec, std::string msg) {
        if (config_error) return;
        config_error = ec;
        config_message = std::move(msg);
    };
    if (config.region.empty()) {
        fail(client_errc::missing_region,
             "no region: set client_config::region, AWS_REGION or the profile's region");
    } else {
        diagnostics dd;
        endpoint_params p{config.region, config.use_fips, config.use_dual_stack, config.endpoint_url};
        auto r = resolve_endpoint(p, dd);
        if (!r) fail(r.error(), "endpoint resolution: " + dd.message);
        else ep = std::move(*r);
    }
    std::string why;
    if (!config_error && !parse_http_url(ep.url, url, why)) fail(client_errc::invalid_endpoint, "endpoint URL: " + why);
    if (!config_error && url.target.find('?') != std::string::npos)
        fail(client_errc::invalid_endpoint, "endpoint URL: a query is not allowed");
    if (config_error) {
        url = http_url{};
        url.host = "invalid";
        url.port = 1;
    }
    base_path = url.target;
    while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
    host_header = url.host_header();

    pool_settings ps;
    ps.target = url;
    ps.max_connections = config.max_connections;
    ps.idle_timeout = config.idle_timeout;
    ps.verify = config.tls.verify;

    // TLS 1.2 or later, verifying the peer and its name unless told not to.
    if (url.https) {
        tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
        error_code ec;
        tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                             asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                             asio::ssl::context::no_tlsv1_1,
                         ec);
        // Any failure here fails every call: a context that could not be set
        // up must never connect with weaker verification than asked for.
        if (ec) fail(ec, "cannot set up TLS: " + ec.message());
        else if (config.tls.ca_file) {
            tls->load_verify_file(*config.tls.ca_file, ec);
            if (ec) fail(ec, "cannot load the CA file '" + *config.tls.ca_file + "': " + ec.message());
        } else {
            tls->set_default_verify_paths(ec);
            if (ec) fail(ec, "cannot load the system's trust store: " + ec.message());
        }
        if (!ec) {
            tls->set_verify_mode(config.tls.verify ? asio::ssl::verify_peer : asio::ssl::verify_none, ec);
            if (ec) fail(ec, "cannot set the TLS verification mode: " + ec.message());
        }
        ps.tls = tls.get();
    }

    // The proxy for this endpoint, unless NO_PROXY exempts it.
    auto const& proxy_url = url.https ? config.proxy.https : config.proxy.http;
    if (proxy_url && !proxy_url->empty() && !config_error &&
        !no_proxy_matches(config.proxy.no_proxy, url.host, url.port)) {
        http_url p;
        std::string text = *proxy_url;
        if (text.find("://") == std::string::npos) text = "http://" + text;
        std::string authorization = take_proxy_credentials(text);
        if (!parse_http_url(text, p, why)) fail(client_errc::invalid_configuration, "proxy URL: " + why);
        else if (p.https) fail(client_errc::invalid_configuration, "proxy URL: only http:// proxies are supported");
        else {
            ps.proxy = p;
            ps.proxy_authorization = std::move(authorization);
            if (!url.https) absolute_prefix = "http://" + host_header;
        }
    }
    target_prefix = absolute_prefix + base_path;
    pool = std::make_unique<connection_pool>(serial, std::move(ps));
}

} // namespace cleanroomsml::detail

namespace cleanroomsml {

CLEANROOMSML_DECL client::client(asio::any_io_executor ex, client_config config)
{
    impl_ = std::make_shared<detail::client_impl>(std::move(ex), std::move(config));
}

CLEANROOMSML_DECL client::~client() { shutdown(); }

CLEANROOMSML_DECL void client::shutdown() noexcept
{
    if (!impl_) return;
    asio::dispatch(impl_->serial, [impl = impl_] { impl->pool->shutdown(); });
}

CLEANROOMSML_DECL void client::close_idle()
{
    asio::dispatch(impl_->serial, [impl = impl_] { impl->pool->close_idle(); });
}

CLEANROOMSML_DECL client::executor_type client::get_executor() const noexcept { return impl_->executor; }

CLEANROOMSML_DECL client_config const& client::config() const noexcept { return impl_->config; }

CLEANROOMSML_DECL pool_stats client::stats() const
{
    auto const& p = *impl_->pool;
    return pool_stats{p.open(), p.idle(), p.opened(), p.waiting()};
}

} // namespace cleanroomsml

#endif
