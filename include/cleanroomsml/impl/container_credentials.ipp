#ifndef CLEANROOMSML_IMPL_CONTAINER_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_CONTAINER_CREDENTIALS_IPP

#include <cleanroomsml/container_credentials.hpp>
#include <cleanroomsml/detail/http_fetch.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <memory>

namespace cleanroomsml {

namespace detail::container_impl {

// The endpoint's own error words, when its error body is JSON:
// {"code": "...", "message": "..."} (either capitalisation). Trimmed.
inline std::string error_detail(std::string_view body)
{
    error_code ec;
    boost::json::value const doc = boost::json::parse(body, ec);
    if (ec || !doc.is_object()) return {};
    auto const& obj = doc.get_object();
    auto text = [&obj](std::string_view a, std::string_view b) -> std::string {
        auto const* v = obj.if_contains(a);
        if (!v) v = obj.if_contains(b);
        if (!v || !v->is_string()) return {};
        std::string s(v->get_string().data(), v->get_string().size());
        if (s.size() > 256) s.resize(256);
        return s;
    };
    std::string const code = text("code", "Code");
    std::string const message = text("message", "Message");
    if (code.empty()) return message;
    if (message.empty()) return code;
    return code + ": " + message;
}

class container_source final : public credentials_source, public std::enable_shared_from_this<container_source> {
public:
    explicit container_source(container_options options) : options_(std::move(options)) {}

    std::string_view name() const noexcept override { return "container"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        spawn_credentials_fetch(ex, diag, fetch(shared_from_this()), std::move(handler));
    }

private:
    static asio::awaitable<credentials_fetch_result> fetch(std::shared_ptr<container_source> self);

    container_options const options_;
};

inline asio::awaitable<credentials_fetch_result> container_source::fetch(std::shared_ptr<container_source> self)
{
    credentials_fetch_result out;
    auto const& o = self->options_;
    std::string url, why;
    out.ec = container_credentials_url(o, url, why);
    if (out.ec) {
        out.diag.message = "container: " + why;
        co_return out;
    }

    std::optional<std::string> token;
    if (o.authorization_token_file && !o.authorization_token_file->empty()) {
        std::string text;
        if (!read_token_file(*o.authorization_token_file, 16 * 1024, text, out.ec, why)) {
            out.diag.message = "container: the authorization token file: " + why;
            co_return out;
        }
        token = std::move(text);
    } else if (o.authorization_token && !o.authorization_token->empty()) {
        token = *o.authorization_token;
    }
    if (token) {
        if (token->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
            out.ec = client_errc::invalid_configuration;
            out.diag.message = "container: the authorization token contains a CR, LF or NUL character";
            co_return out;
        }
    }

    http_fetch_request req;
    req.url = url;
    req.timeout = o.timeout;
    req.ca_file = o.ca_file;
    req.headers.emplace_back("Accept", "application/json");
    if (token) req.headers.emplace_back("Authorization", *token);

    int const attempts = o.attempts < 1 ? 1 : o.attempts;
    http_fetch_result r;
    for (int i = 1; i <= attempts; ++i) {
        out.diag.attempts = i;
        http_fetch_request attempt = req;
        r = co_await http_fetch(std::move(attempt));
        if (r.ec == client_errc::invalid_endpoint) break;
        if (!r.ec && r.response.status < 500) break;
    }
    if (r.ec) {
        out.ec = r.ec;
        // Only scheme, host and port: the path of a relative URI is a per-task capability.
        http_url where;
        std::string ignored;
        parse_http_url(url, where, ignored);
        out.diag.message = "container: fetching credentials from " + std::string(where.https ? "https://" : "http://") +
                           where.host_header() + " failed (" + r.ec.message() + ")";
        if (r.ec == client_errc::connect_timeout) out.diag.timeout = "connect";
        if (r.ec == client_errc::attempt_timeout) out.diag.timeout = "attempt";
        co_return out;
    }
    if (r.response.status != 200) {
        out.ec = credentials_http_error(r.response.status);
        out.diag.http_status = r.response.status;
        out.diag.message = "container: the credentials endpoint refused the request";
        std::string detail = error_detail(r.response.body);
        if (token) redact(detail, *token);  // an endpoint may echo the token it refused
        if (!detail.empty()) out.diag.message += ": " + detail;
        co_return out;
    }
    if (!parse_credentials_json(r.response.body, false, out.creds, why)) {
        out.ec = client_errc::unparsable_response;
        out.diag.message = "container: " + why;
        co_return out;
    }
    out.diag = {};
    co_return out;
}

} // namespace detail::container_impl

CLEANROOMSML_DECL error_code detail::container_credentials_url(container_options const& options, std::string& url,
                                                               std::string& why)
{
    if (options.relative_uri && !options.relative_uri->empty()) {
        std::string const& rel = *options.relative_uri;
        if (rel.front() != '/') {
            why = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with '/'";
            return client_errc::invalid_configuration;
        }
        std::string host = options.relative_uri_host;
        while (!host.empty() && host.back() == '/') host.pop_back();
        url = host + rel;
        http_url parsed;
        if (!parse_http_url(url, parsed, why)) {
            why = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI does not make a valid URL: " + why;
            return client_errc::invalid_configuration;
        }
        return {};
    }
    if (options.full_uri && !options.full_uri->empty()) {
        http_url parsed;
        if (!parse_http_url(*options.full_uri, parsed, why)) {
            why = "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL: " + why;
            return client_errc::invalid_configuration;
        }
        if (!parsed.https) {
            std::string const& h = parsed.host;
            bool const allowed = is_loopback_host(h) || h == "169.254.170.2" || h == "169.254.170.23" ||
                                 (parsed.ipv6_literal && h == "fd00:ec2::23");
            if (!allowed) {
                why = "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https, or http to a loopback host or an ECS/EKS "
                      "container host (169.254.170.2, 169.254.170.23, [fd00:ec2::23]); its host is " +
                      (parsed.ipv6_literal ? "[" + h + "]" : h);
                return client_errc::invalid_configuration;
            }
        }
        url = *options.full_uri;
        return {};
    }
    why = "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set";
    return client_errc::missing_credentials;
}

CLEANROOMSML_DECL container_options container_options::from_environment()
{
    container_options o;
    o.relative_uri = detail::credentials_env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    o.full_uri = detail::credentials_env("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    o.authorization_token = detail::credentials_env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    o.authorization_token_file = detail::credentials_env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    return o;
}

CLEANROOMSML_DECL credentials_provider container_credentials(container_options options)
{
    return credentials_provider(std::make_shared<detail::container_impl::container_source>(std::move(options)));
}

} // namespace cleanroomsml

#endif
