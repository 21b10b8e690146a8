#ifndef CLEANROOMSML_IMPL_JSON_EXCHANGE_IPP
#define CLEANROOMSML_IMPL_JSON_EXCHANGE_IPP

#include <cleanroomsml/detail/json_exchange.hpp>
#include <cleanroomsml/detail/rest_json.hpp>
#include <cleanroomsml/detail/token_cache.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace cleanroomsml::detail {

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
        set_timeout_field(out.diag, r.ec);
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
    // AWS's error shapes first; the OAuth services answer with error / error_description.
    auto e = parse_error_response(r.response.header("X-Amzn-ErrorType"), r.response.body);
    if (e.type.empty())
        if (auto oauth = string_member(out.body, "error")) e.type = sanitize_error_type(*oauth);
    if (e.message.empty())
        if (auto oauth = string_member(out.body, "error_description")) e.message = std::string(*oauth);
    for (auto const& s : secrets)
        if (!s.empty()) redact(e.message, s);
    out.diag.error_type = e.type;
    out.diag.message = what + ": " + origin + " answered HTTP " + std::to_string(out.status) +
                       (e.type.empty() ? "" : " " + e.type) + (e.message.empty() ? "" : ": " + e.message);
    co_return out;
}

} // namespace cleanroomsml::detail

#endif
