// Build-cost floor: what awaiting the API's typed operations costs without
// any of the library's I/O, codec or call machinery. Each operation is the
// model's request and response types behind the default token (the
// diagnostics adapter over asio::deferred, as API.md requires), awaited in an
// asio::awaitable; the initiation completes at once with an empty response.
// What a TU pays per operation here, no implementation of the API can avoid.
// ONE: GetAudienceModel only, as one_operation.cpp.
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/with_diagnostics.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <utility>
namespace asio = boost::asio;
namespace crml = cleanroomsml;

struct fake_init {
    static constexpr bool lends_diagnostics = true;
    template <class Handler, class Request>
    void operator()(Handler&& h, crml::diagnostics* /*given*/, Request&& r) const
    {
        using Response = typename crml::operation_traits<std::decay_t<Request>>::response;
        Request kept(std::move(r));
        crml::diagnostics lent;
        std::move(h).complete_with(lent, boost::system::error_code{}, Response{});
    }
};

template <class Request>
auto async_fake(Request&& r)
{
    using Response = typename crml::operation_traits<std::decay_t<Request>>::response;
    crml::default_token token;
    return asio::async_initiate<crml::default_token, void(boost::system::error_code, Response)>(
        fake_init{}, token, static_cast<crml::diagnostics*>(nullptr), std::forward<Request>(r));
}

asio::awaitable<void> call_all()
{
    // Named request variables, not temporaries in the co_await (GCC 12 bug).
#define CALL(op, Request)                              \
    {                                                  \
        Request r;                                     \
        auto x = co_await async_fake(std::move(r));    \
        (void)x;                                       \
    }
#ifdef BUILD_COST_ONE_OPERATION
    CALL(get_audience_model, crml::get_audience_model_request)
#else
    CLEANROOMSML_FOR_EACH_OPERATION(CALL)
#endif
#undef CALL
}

int main()
{
    asio::io_context ioc;
    asio::co_spawn(ioc, call_all(), asio::detached);
    ioc.run();
}
