#ifndef CLEANROOMSML_IMPL_JSON_EXCHANGE_IPP
#define CLEANROOMSML_IMPL_JSON_EXCHANGE_IPP

#include <cleanroomsml/detail/json_exchange.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL std::string url_origin(std::string_view url)
{
    http_url u;
    std::string ignored;
    if (!parse_http_url(url, u, ignored)) return "the endpoint";
    return std::string(u.https ? "https://" : "http://") + u.host_header();
}

CLEANROOMSML_DECL asio::awaitable<json_exchange_result> json_exchange(http_fetch_request request, std::string what,
                                                                      std::vector<std::string> secrets)
{
    json_exchange_result out;
    std::string const origin = url_origin(request.url);
    auto r = co_await http_fetch(std::move(request));
    out.diag.attempts = 1;
    if (r.ec) {
        out.ec = r.ec;
        out.diag.message = what + ": the request to " + origin + " failed (" + r.ec.message() + ")";
        if (r.ec == client_errc::connect_timeout) out.diag.timeout = "connect";
        else if (r.ec == client_errc::attempt_timeout) out.diag.timeout = "attempt";
        co_return out;
    }
    out.status = r.response.status;
    out.diag.http_status = r.response.status;
    if (auto id = r.response.header("x-amzn-RequestId")) out.diag.request_id = std::string(*id);
    boost::system::error_code jec;
    boost::json::value v = boost::json::parse(r.response.body, jec);
    if (!jec && v.is_object()) out.body = std::move(v.get_object());
    bool const ok = out.status >= 200 && out.status < 300;
    if (ok) {
        if (jec || !v.is_object()) {
            out.ec = client_errc::unparsable_response;
            out.diag.message = what + ": the response of " + origin + " is not a JSON object";
        }
        co_return out;
    }
    out.ec = credentials_http_error(out.status);
    std::string type;
    if (auto t = r.response.header("X-Amzn-ErrorType")) type = std::string(*t);
    for (char const* key : {"__type", "error"})
        if (type.empty())
            if (auto const* t = out.body.if_contains(key); t && t->is_string()) type = std::string(t->get_string());
    if (auto colon = type.find(':'); colon != std::string::npos) type.resize(colon);
    if (auto hash = type.rfind('#'); hash != std::string::npos) type.erase(0, hash + 1);
    out.diag.error_type = type;
    std::string message;
    for (char const* key : {"message", "Message", "error_description"})
        if (message.empty())
            if (auto const* m = out.body.if_contains(key); m && m->is_string()) message = std::string(m->get_string());
    for (auto const& s : secrets)
        if (!s.empty()) redact(message, s);
    out.diag.message = what + ": " + origin + " answered HTTP " + std::to_string(out.status) +
                       (type.empty() ? "" : " " + type) + (message.empty() ? "" : ": " + message);
    co_return out;
}

} // namespace cleanroomsml::detail

#endif
