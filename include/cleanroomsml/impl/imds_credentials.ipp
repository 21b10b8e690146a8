#ifndef CLEANROOMSML_IMPL_IMDS_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_IMDS_CREDENTIALS_IPP

#include <cleanroomsml/detail/http_fetch.hpp>
#include <cleanroomsml/imds_credentials.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/system/system_error.hpp>

#include <charconv>
#include <memory>
#include <mutex>

namespace cleanroomsml {

namespace detail::imds_impl {

[[noreturn]] inline void bad_setting(std::string const& origin, std::string_view what)
{
    throw boost::system::system_error(client_errc::invalid_configuration, origin + ": " + std::string(what));
}

using boost::beast::iequals;

// Seconds as "2" or "0.5" (at most millisecond precision), > 0.
inline bool parse_seconds(std::string_view s, std::chrono::milliseconds& out)
{
    std::size_t const dot = s.find('.');
    std::string_view whole = s.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
    if (whole.empty() && frac.empty()) return false;
    if (dot != std::string_view::npos && frac.empty()) return false;
    long long ms = 0;
    for (char c : whole) {
        if (c < '0' || c > '9' || ms > 86400000) return false;
        ms = ms * 10 + (c - '0');
    }
    ms *= 1000;
    long long scale = 100;
    for (char c : frac) {
        if (c < '0' || c > '9') return false;
        ms += (c - '0') * scale;
        scale /= 10;
    }
    if (ms <= 0) return false;
    out = std::chrono::milliseconds(ms);
    return true;
}

inline bool parse_positive_int(std::string_view s, int& out)
{
    int v = 0;
    auto const [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < 1) return false;
    out = v;
    return true;
}

class imds_source final : public credentials_source, public std::enable_shared_from_this<imds_source> {
public:
    explicit imds_source(imds_options options) : options_(std::move(options)), base_(options_.endpoint_url()) {}

    std::string_view name() const noexcept override { return "imds"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    struct token_result {
        error_code ec;
        std::string token;
    };

    struct get_result {
        error_code ec;
        http_fetch_response response;
    };

    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<imds_source> self);
    static asio::awaitable<http_fetch_result> request(std::shared_ptr<imds_source> self, http_fetch_request req,
                                                      int& tries);
    static asio::awaitable<token_result> get_token(std::shared_ptr<imds_source> self, bool refresh,
                                                   credentials_fetch_result& out);
    static asio::awaitable<get_result> get(std::shared_ptr<imds_source> self, std::string path,
                                           credentials_fetch_result& out);

    std::string cached_token()
    {
        std::lock_guard lock(mutex_);
        if (!token_.empty() && std::chrono::steady_clock::now() < token_valid_until_) return token_;
        return {};
    }

    void store_token(std::string token)
    {
        auto const ttl = std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.token_ttl);
        auto const margin = ttl >= std::chrono::minutes(2)
                                ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::minutes(1))
                                : ttl / 2;
        std::lock_guard lock(mutex_);
        token_ = std::move(token);
        token_valid_until_ = std::chrono::steady_clock::now() + ttl - margin;
    }

    void drop_token(std::string const& stale)
    {
        std::lock_guard lock(mutex_);
        if (token_ == stale) token_.clear();
    }

    imds_options const options_;
    std::string const base_;

    std::mutex mutex_;
    std::string token_;
    std::chrono::steady_clock::time_point token_valid_until_{};
};

// One HTTP request, tried up to options.attempts times on network errors and
// 5xx; `tries` receives the number of tries made.
inline asio::awaitable<http_fetch_result> imds_source::request(std::shared_ptr<imds_source> self,
                                                                http_fetch_request req, int& tries)
{
    int const attempts = self->options_.attempts < 1 ? 1 : self->options_.attempts;
    http_fetch_result r;
    for (int i = 1; i <= attempts; ++i) {
        tries = i;
        http_fetch_request attempt = req;
        r = co_await http_fetch(std::move(attempt));
        if (r.ec == client_errc::invalid_endpoint) break;
        if (!r.ec && r.response.status < 500) break;
    }
    co_return r;
}

inline asio::awaitable<imds_source::token_result>
imds_source::get_token(std::shared_ptr<imds_source> self, bool refresh, credentials_fetch_result& out)
{
    token_result t;
    if (!refresh) t.token = self->cached_token();
    if (!t.token.empty()) co_return t;

    http_fetch_request req;
    req.method = "PUT";
    req.url = self->base_ + "/latest/api/token";
    req.headers.emplace_back("x-aws-ec2-metadata-token-ttl-seconds", std::to_string(self->options_.token_ttl.count()));
    req.timeout = self->options_.timeout;
    auto r = co_await request(self, std::move(req), out.diag.attempts);
    if (r.ec) {
        // Not reachable: IMDS is not there (not on EC2, or blocked), so this
        // source is not configured rather than failing.
        t.ec = client_errc::missing_credentials;
        out.diag.message = "imds: no instance metadata service at " + self->base_ + " (" + r.ec.message() + ")";
        if (r.ec == client_errc::connect_timeout) out.diag.timeout = "connect";
        if (r.ec == client_errc::attempt_timeout) out.diag.timeout = "attempt";
        co_return t;
    }
    if (r.response.status != 200) {
        t.ec = credentials_http_error(r.response.status);
        out.diag.http_status = r.response.status;
        out.diag.message = "imds: the token request (PUT /latest/api/token) was refused";
        co_return t;
    }
    std::string token = std::move(r.response.body);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
    bool bad = token.empty();
    for (char c : token)
        if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) bad = true;
    if (bad) {
        t.ec = client_errc::unparsable_response;
        out.diag.message = "imds: the session token answer is empty or not printable ASCII";
        co_return t;
    }
    self->store_token(token);
    t.token = std::move(token);
    co_return t;
}

// A GET with the session token; on 401 the token is fetched again once.
inline asio::awaitable<imds_source::get_result> imds_source::get(std::shared_ptr<imds_source> self, std::string path,
                                                                 credentials_fetch_result& out)
{
    get_result g;
    for (int round = 0; round < 2; ++round) {
        auto t = co_await get_token(self, round > 0, out);
        if (t.ec) {
            g.ec = t.ec;
            co_return g;
        }
        http_fetch_request req;
        req.url = self->base_ + path;
        req.headers.emplace_back("x-aws-ec2-metadata-token", t.token);
        req.timeout = self->options_.timeout;
        auto r = co_await request(self, std::move(req), out.diag.attempts);
        if (r.ec) {
            g.ec = r.ec;
            out.diag.message = "imds: GET " + path + " failed (" + r.ec.message() + ")";
            if (r.ec == client_errc::connect_timeout) out.diag.timeout = "connect";
            if (r.ec == client_errc::attempt_timeout) out.diag.timeout = "attempt";
            co_return g;
        }
        if (r.response.status == 401 && round == 0) {
            self->drop_token(t.token);
            continue;
        }
        g.response = std::move(r.response);
        co_return g;
    }
    co_return g;
}

inline asio::awaitable<credentials_fetch_result> imds_source::fetch(std::shared_ptr<imds_source> self)
{
    credentials_fetch_result out;
    if (self->options_.disabled) {
        out.ec = client_errc::missing_credentials;
        out.diag.message = "imds: disabled (AWS_EC2_METADATA_DISABLED)";
        co_return out;
    }
    {
        http_url url;
        std::string why;
        if (!parse_http_url(self->base_, url, why)) {
            out.ec = client_errc::invalid_endpoint;
            out.diag.message = "imds: the endpoint is not a valid URL: " + why;
            co_return out;
        }
    }
    std::string const prefix = "/latest/meta-data/iam/security-credentials/";

    std::string role;
    if (self->options_.instance_profile_name) {
        role = *self->options_.instance_profile_name;
    } else {
        auto g = co_await get(self, prefix, out);
        if (g.ec) {
            out.ec = g.ec;
            co_return out;
        }
        if (g.response.status == 404) {
            out.ec = client_errc::missing_credentials;
            out.diag.http_status = 404;
            out.diag.message = "imds: the instance has no instance profile (role listing answered 404)";
            co_return out;
        }
        if (g.response.status != 200) {
            out.ec = credentials_http_error(g.response.status);
            out.diag.http_status = g.response.status;
            out.diag.message = "imds: the role listing (GET " + prefix + ") failed";
            co_return out;
        }
        std::string_view body = g.response.body;
        body = body.substr(0, body.find('\n'));
        while (!body.empty() && (body.back() == '\r' || body.back() == ' ' || body.back() == '\t')) body.remove_suffix(1);
        while (!body.empty() && (body.front() == ' ' || body.front() == '\t')) body.remove_prefix(1);
        if (body.empty()) {
            out.ec = client_errc::missing_credentials;
            out.diag.message = "imds: the instance has no instance profile (empty role listing)";
            co_return out;
        }
        role = std::string(body);
    }
    for (char c : role) {
        auto const u = static_cast<unsigned char>(c);
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        std::string_view("+=,.@_-").find(c) != std::string_view::npos;
        if (!ok || u >= 0x80) {
            out.ec = client_errc::unparsable_response;
            out.diag.message = "imds: the role name has a character that is not allowed in IAM role names";
            co_return out;
        }
    }

    std::string role_path = prefix + role;
    auto g = co_await get(self, std::move(role_path), out);
    if (g.ec) {
        out.ec = g.ec;
        co_return out;
    }
    if (g.response.status != 200) {
        out.ec = credentials_http_error(g.response.status);
        out.diag.http_status = g.response.status;
        out.diag.message = "imds: the credentials of role " + role + " could not be read";
        co_return out;
    }
    std::string why;
    if (!parse_credentials_json(g.response.body, true, out.creds, why)) {
        out.ec = client_errc::unparsable_response;
        out.diag.message = "imds: " + why;
        co_return out;
    }
    co_return out;
}

} // namespace detail::imds_impl

CLEANROOMSML_DECL std::string imds_options::endpoint_url() const
{
    if (endpoint && !endpoint->empty()) {
        std::string e = *endpoint;
        while (e.size() > 1 && e.back() == '/') e.pop_back();
        return e;
    }
    return mode == endpoint_mode::ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
}

CLEANROOMSML_DECL imds_options imds_options::from_environment(profile_section const* profile)
{
    using namespace detail::imds_impl;
    imds_options o;
    std::string origin;
    if (auto v = detail::credentials_setting("AWS_EC2_METADATA_DISABLED", nullptr, {}, origin))
        o.disabled = iequals(*v, "true");
    if (auto v = detail::credentials_setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", profile,
                                             "ec2_metadata_service_endpoint", origin)) {
        detail::http_url url;
        std::string why;
        if (!detail::parse_http_url(*v, url, why)) bad_setting(origin, why);
        o.endpoint = std::move(*v);
    }
    if (auto v = detail::credentials_setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", profile,
                                             "ec2_metadata_service_endpoint_mode", origin)) {
        if (iequals(*v, "ipv4"))
            o.mode = endpoint_mode::ipv4;
        else if (iequals(*v, "ipv6"))
            o.mode = endpoint_mode::ipv6;
        else
            bad_setting(origin, "expected IPv4 or IPv6");
    }
    if (auto v = detail::credentials_setting("AWS_METADATA_SERVICE_TIMEOUT", profile, "metadata_service_timeout",
                                             origin)) {
        if (!parse_seconds(*v, o.timeout)) bad_setting(origin, "expected a positive number of seconds");
    }
    if (auto v = detail::credentials_setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", profile,
                                             "metadata_service_num_attempts", origin)) {
        if (!parse_positive_int(*v, o.attempts)) bad_setting(origin, "expected a positive integer");
    }
    if (auto v = detail::credentials_setting("AWS_EC2_INSTANCE_PROFILE_NAME", profile, "ec2_instance_profile_name",
                                             origin))
        o.instance_profile_name = std::move(*v);
    return o;
}

CLEANROOMSML_DECL credentials_provider imds_credentials(imds_options options)
{
    return credentials_provider(std::make_shared<detail::imds_impl::imds_source>(std::move(options)));
}

} // namespace cleanroomsml

#endif
