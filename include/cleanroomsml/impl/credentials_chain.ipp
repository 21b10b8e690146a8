#ifndef CLEANROOMSML_IMPL_CREDENTIALS_CHAIN_IPP
#define CLEANROOMSML_IMPL_CREDENTIALS_CHAIN_IPP

#include <cleanroomsml/cached_credentials.hpp>
#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/container_credentials.hpp>
#include <cleanroomsml/credentials_chain.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/imds_credentials.hpp>
#include <cleanroomsml/profile_credentials.hpp>
#include <cleanroomsml/web_identity_credentials.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/system_error.hpp>

#include <memory>
#include <utility>

namespace cleanroomsml {

namespace detail::credentials_chain_impl {

// Completes through the handler's associated executor (default: `ex`),
// never inside the initiating call.
inline void complete(asio::any_io_executor const& ex, credentials_source::handler_type handler, error_code ec,
                     credentials c)
{
    asio::post(ex, asio::append(std::move(handler), ec, std::move(c)));
}


class chain_op : public std::enable_shared_from_this<chain_op> {
public:
    using handler_type = credentials_source::handler_type;

    chain_op(std::vector<credentials_provider> const& providers, asio::any_io_executor ex, diagnostics* diag,
             handler_type handler)
        : providers_(providers), ex_(std::move(ex)), diag_(diag), handler_(std::move(handler))
    {
    }

    void step()
    {
        while (next_ < providers_.size() && !providers_[next_]) ++next_;
        if (next_ == providers_.size()) {
            diagnostics d;
            d.message = tried_.empty() ? "no credentials provider in the chain"
                                       : "no credentials found; tried " + tried_;
            finish(client_errc::missing_credentials, credentials{}, d);
            return;
        }
        auto const& src = providers_[next_++].source();
        inner_.clear();
        src->async_fetch(ex_, &inner_, [self = shared_from_this()](error_code ec, credentials c) mutable {
            self->on_result(ec, std::move(c));
        });
    }

private:
    void on_result(error_code ec, credentials c)
    {
        std::string_view const name = providers_[next_ - 1].name();
        if (ec == client_errc::missing_credentials) {
            if (!tried_.empty()) tried_ += ", ";
            tried_ += name;
            if (!inner_.message.empty()) {
                tried_ += " (";
                tried_ += inner_.message;
                tried_ += ")";
            }
            step();
            return;
        }
        if (ec) {
            diagnostics d = inner_;
            d.message = std::string(name) + ": " + (d.message.empty() ? ec.message() : d.message);
            finish(ec, credentials{}, d);
            return;
        }
        finish(ec, std::move(c), diagnostics{});
    }

    void finish(error_code ec, credentials c, diagnostics const& d)
    {
        if (ec && diag_) *diag_ = d;
        complete(ex_, std::move(handler_), ec, std::move(c));
    }

    std::vector<credentials_provider> providers_;
    std::size_t next_ = 0;
    asio::any_io_executor ex_;
    diagnostics* diag_;
    handler_type handler_;
    diagnostics inner_;
    std::string tried_;
};

// Stands for a provider that could not be built (a malformed setting read
// when it was made): fails each fetch with that error, so that the problem
// shows only when the chain gets that far.
class failing_source final : public credentials_source {
public:
    failing_source(std::string name, error_code ec, std::string message)
        : name_(std::move(name)), ec_(ec), message_(std::move(message))
    {
    }

    std::string_view name() const noexcept override { return name_; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        if (diag) diag->message = message_;
        complete(ex, std::move(handler), ec_, credentials{});
    }

private:
    std::string name_;
    error_code ec_;
    std::string message_;
};

template <class MakeProvider>
credentials_provider or_failing(std::string name, MakeProvider make)
{
    try {
        return make();
    } catch (boost::system::system_error const& e) {
        return credentials_provider(std::make_shared<failing_source>(std::move(name), e.code(), e.what()));
    }
}

class chain_source final : public credentials_source {
public:
    explicit chain_source(std::vector<credentials_provider> providers) : providers_(std::move(providers)) {}

    std::string_view name() const noexcept override { return "chain"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        std::make_shared<chain_op>(providers_, std::move(ex), diag, std::move(handler))->step();
    }

private:
    std::vector<credentials_provider> providers_;
};

} // namespace detail::credentials_chain_impl

CLEANROOMSML_DECL credentials_provider credentials_chain(std::vector<credentials_provider> providers)
{
    return credentials_provider(std::make_shared<detail::credentials_chain_impl::chain_source>(std::move(providers)));
}

CLEANROOMSML_DECL credentials_provider default_credentials_chain(std::string profile)
{
    using detail::credentials_chain_impl::or_failing;
    // IMDS settings may also come from the selected profile; the files are
    // read again, with errors reported, by the profile provider at each fetch.
    config_files files;
    config_file_error err;
    profile_section const* selected = nullptr;
    if (load_config_files(files, err)) selected = files.find_profile(selected_profile_name(profile));

    profile_options popts;
    popts.profile = std::move(profile);
    return cached_credentials(credentials_chain({
        environment_credentials(),
        profile_credentials(std::move(popts)),
        or_failing("container", [] { return container_credentials(); }),
        or_failing("imds", [&] { return imds_credentials(imds_options::from_environment(selected)); }),
    }));
}

} // namespace cleanroomsml

#endif
