#ifndef CLEANROOMSML_DETAIL_JSON_EXCHANGE_HPP
#define CLEANROOMSML_DETAIL_JSON_EXCHANGE_HPP

// One JSON request to a sign-in service (SSO portal, SSO-OIDC, sign-in) on
// the credential providers' HTTP client, its answer parsed and its errors
// described without the secrets that travelled in it.

#include <cleanroomsml/detail/http_fetch.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace cleanroomsml::detail {

struct json_exchange_result {
    error_code ec;
    int status = 0;
    boost::json::object body;  ///< the response's JSON object (also for error statuses, when it is one)
    diagnostics diag;          ///< on failure: what went wrong, for the caller to prefix
};

/// Sends `request`; `what` names the call in messages ("SSO-OIDC CreateToken").
/// Fails with the transport's error, with credentials_http_error(status) for
/// an error status (type and message as parse_error_response() reads them,
/// else OAuth's `error` and `error_description`), or with
/// client_errc::unparsable_response for a 2xx body that is not a JSON object.
/// Every string in `secrets` is redacted from quoted messages.
CLEANROOMSML_DECL asio::awaitable<json_exchange_result> json_exchange(http_fetch_request request, std::string what,
                                                                      std::vector<std::string> secrets);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/json_exchange.ipp>
#endif

#endif
