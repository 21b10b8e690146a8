#ifndef CLEANROOMSML_IMPL_ENVIRONMENT_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_ENVIRONMENT_CREDENTIALS_IPP

#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>

#include <cstdlib>
#include <memory>
#include <utility>

namespace cleanroomsml {

namespace detail {

CLEANROOMSML_DECL std::optional<std::string> getenv_nonempty(char const* name)
{
    char const* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

class environment_credentials_source final : public credentials_source {
public:
    std::string_view name() const noexcept override { return "environment"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        credentials c;
        std::string message;
        error_code const ec = read(c, message);
        if (ec && diag) diag->message = std::move(message);
        asio::post(ex, asio::append(std::move(handler), ec, std::move(c)));
    }

private:
    static error_code read(credentials& c, std::string& message)
    {
        auto id = getenv_nonempty("AWS_ACCESS_KEY_ID");
        auto secret = getenv_nonempty("AWS_SECRET_ACCESS_KEY");
        if (!id && !secret) {
            message = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set";
            return client_errc::missing_credentials;
        }
        if (!id || !secret) {
            message = std::string(id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                     : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not") +
                      "; set both or neither";
            return error_code(client_errc::invalid_configuration);
        }
        if (auto exp = getenv_nonempty("AWS_CREDENTIAL_EXPIRATION")) {
            timestamp t;
            if (!detail::parse_date_time(*exp, t)) {
                message = "AWS_CREDENTIAL_EXPIRATION is not an RFC 3339 date-time (e.g. 2030-01-01T00:00:00Z)";
                return error_code(client_errc::invalid_configuration);
            }
            c.expiration = t;
        }
        c.access_key_id = std::move(*id);
        c.secret_access_key = std::move(*secret);
        c.session_token = getenv_nonempty("AWS_SESSION_TOKEN").value_or(std::string());
        c.account_id = getenv_nonempty("AWS_ACCOUNT_ID");
        return {};
    }
};

} // namespace detail

CLEANROOMSML_DECL credentials_provider environment_credentials()
{
    return credentials_provider(std::make_shared<detail::environment_credentials_source>());
}

} // namespace cleanroomsml

#endif
