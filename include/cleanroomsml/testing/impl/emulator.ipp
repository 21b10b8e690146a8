#ifndef CLEANROOMSML_TESTING_IMPL_EMULATOR_IPP
#define CLEANROOMSML_TESTING_IMPL_EMULATOR_IPP

#include <cleanroomsml/testing/detail/certificate.hpp>
#include <cleanroomsml/testing/detail/service.hpp>
#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unistd.h>

namespace cleanroomsml::testing::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// What the listener and its connections share; coroutines hold it, so it
// outlives the emulator object when they are still unwinding.
struct server_state {
    server_state(asio::any_io_executor ex, emulator_options opts)
        : strand(asio::make_strand(ex)), acceptor(strand), svc(std::move(opts))
    {
    }

    asio::strand<asio::any_io_executor> strand;
    asio::ip::tcp::acceptor acceptor;
    service svc;
    std::optional<asio::ssl::context> tls;
    std::string cert_pem;
    std::string ca_file;
    bool stopped = false;                             // on the strand
    std::uint64_t next_session = 0;                   // on the strand
    struct live {
        beast::tcp_stream* stream;
        asio::steady_timer* delay;  // an injected delay in progress, or null
    };
    std::map<std::uint64_t, live> sessions;  // on the strand
    // Its size, and the largest it was, for readers on any thread.
    std::atomic<std::size_t> open{0}, peak{0};
};

namespace emulator_impl {

inline constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

inline std::string http_date(timestamp t)
{
    std::string s;
    cleanroomsml::detail::format_timestamp(s, t, timestamp_format::http_date);
    return s;
}

template <class Stream>
asio::awaitable<void> serve_connection(std::shared_ptr<server_state> st, Stream& stream, beast::tcp_stream& tcp,
                                       std::uint64_t id)
{
    auto const& opts = st->svc.options();
    beast::flat_buffer buffer;
    std::vector<std::pair<std::string_view, std::string_view>> headers;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(opts.max_request_bytes);
        tcp.expires_after(std::chrono::minutes(5));  // idle keep-alive connections end eventually
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
        (void)n;
        if (ec == http::error::body_limit) {
            http::response<http::string_body> res{http::status::payload_too_large, 11};
            res.set(http::field::content_type, "application/json");
            res.set("x-amzn-ErrorType", "ValidationException");
            res.body() = "{\"message\":\"the request body exceeds " + std::to_string(opts.max_request_bytes) +
                         " bytes\"}";
            res.keep_alive(false);
            res.prepare_payload();
            co_await http::async_write(stream, res, use_tuple);
            co_return;
        }
        if (ec) co_return;
        tcp.expires_never();
        auto const& req = parser.get();
        headers.clear();
        for (auto const& f : req) headers.emplace_back(f.name_string(), f.value());
        std::string_view const target = req.target();
        incoming in{req.method_string(), target, headers, req.body()};
        reply r = st->svc.handle(in);
        if (r.what == reply::action::close) {
            tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
            co_return;
        }
        if (r.delay.count() > 0) {
            asio::steady_timer timer(st->strand, r.delay);
            st->sessions.at(id).delay = &timer;  // stop() cancels it
            co_await timer.async_wait(use_tuple);
            st->sessions.at(id).delay = nullptr;
            if (st->stopped) co_return;
        }
        http::response<http::string_body> res{static_cast<http::status>(r.status), req.version()};
        res.set(http::field::date, http_date(st->svc.now()));
        res.set("x-amzn-RequestId", r.request_id);
        res.set(http::field::content_type, "application/json");
        for (auto const& [k, v] : r.headers) res.set(k, v);
        res.body() = std::move(r.body);
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        if (opts.on_request)
            opts.on_request(request_log{std::string(req.method_string()), std::string(target), r.operation, r.status, r.error_type,
                                        r.request_id});
        auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
        (void)wn;
        if (wec || !res.keep_alive()) co_return;
    }
}

inline asio::awaitable<void> session(std::shared_ptr<server_state> st, asio::ip::tcp::socket socket)
{
    beast::tcp_stream tcp(std::move(socket));
    auto const id = st->next_session++;
    st->sessions.emplace(id, server_state::live{&tcp, nullptr});
    auto const open = ++st->open;
    if (open > st->peak) st->peak = open;  // only the strand writes
    struct unregister {
        server_state& st;
        std::uint64_t id;
        bool counted = true;
        // Not open any more once its exchanges are over: a client that saw
        // it end may connect again before TLS's closing courtesies are done.
        void closed() noexcept
        {
            if (counted) --st.open;
            counted = false;
        }
        ~unregister()
        {
            st.sessions.erase(id);
            closed();
        }
    } guard{*st, id};
    if (!st->tls) {
        co_await serve_connection(st, tcp, tcp, id);
    } else {
        asio::ssl::stream<beast::tcp_stream&> tls(tcp, *st->tls);
        tcp.expires_after(std::chrono::seconds(30));
        auto [ec] = co_await tls.async_handshake(asio::ssl::stream_base::server, use_tuple);
        if (ec) co_return;
        co_await serve_connection(st, tls, tcp, id);
        guard.closed();
        tcp.expires_after(std::chrono::seconds(5));
        co_await tls.async_shutdown(use_tuple);
    }
    beast::error_code ignored;
    tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

inline asio::awaitable<void> accept_loop(std::shared_ptr<server_state> st)
{
    while (!st->stopped) {
        auto [ec, socket] = co_await st->acceptor.async_accept(use_tuple);
        if (st->stopped) co_return;
        if (ec) {
            // Out of descriptors and the like: wait a little instead of spinning.
            asio::steady_timer pause(st->strand, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        asio::co_spawn(st->strand, session(st, std::move(socket)), asio::detached);
    }
}

inline void stop_on_strand(server_state& st)
{
    if (st.stopped) return;
    st.stopped = true;
    beast::error_code ignored;
    st.acceptor.close(ignored);
    for (auto& [id, s] : st.sessions) {
        s.stream->socket().close(ignored);
        if (s.delay) s.delay->cancel();
    }
}

} // namespace emulator_impl
} // namespace cleanroomsml::testing::detail

namespace cleanroomsml::testing {

CLEANROOMSML_DECL emulator::emulator(boost::asio::any_io_executor ex, emulator_options options)
{
    namespace asio = boost::asio;
    bool const tls = options.tls;
    std::string cert = options.certificate_pem, key = options.private_key_pem;
    auto const host = options.host;
    auto const port = options.port;
    state_ = std::make_shared<detail::server_state>(ex, std::move(options));
    auto& st = *state_;
    if (tls) {
        if (cert.empty() || key.empty()) {
            auto made = detail::make_certificate("IP:127.0.0.1,DNS:localhost");
            cert = std::move(made.cert_pem);
            key = std::move(made.key_pem);
        }
        st.tls.emplace(asio::ssl::context::tls_server);
        st.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                            asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                            asio::ssl::context::no_tlsv1_1);
        st.tls->use_certificate_chain(asio::buffer(cert));
        st.tls->use_private_key(asio::buffer(key), asio::ssl::context::pem);
        st.cert_pem = cert;
        // The client takes a CA file: write one next to nothing else.
        auto path = std::filesystem::temp_directory_path() / "cleanroomsml-emulator-XXXXXX";
        std::string name = path.string();
        int fd = ::mkstemp(name.data());
        if (fd < 0) throw std::runtime_error("emulator: cannot create a temporary CA file");
        ::close(fd);
        std::ofstream(name, std::ios::binary) << cert;
        st.ca_file = name;
    }
    asio::ip::tcp::endpoint ep(asio::ip::make_address(host), port);
    st.acceptor.open(ep.protocol());
    st.acceptor.set_option(asio::socket_base::reuse_address(true));
    st.acceptor.bind(ep);
    st.acceptor.listen(asio::socket_base::max_listen_connections);
    asio::co_spawn(st.strand, detail::emulator_impl::accept_loop(state_), asio::detached);
}

CLEANROOMSML_DECL emulator::~emulator()
{
    stop();
    if (!state_->ca_file.empty()) {
        std::error_code ignored;
        std::filesystem::remove(state_->ca_file, ignored);
    }
}

CLEANROOMSML_DECL void emulator::stop()
{
    boost::asio::post(state_->strand, [st = state_] { detail::emulator_impl::stop_on_strand(*st); });
}

CLEANROOMSML_DECL std::uint16_t emulator::port() const noexcept
{
    boost::system::error_code ec;
    return state_->acceptor.local_endpoint(ec).port();
}

CLEANROOMSML_DECL std::string emulator::endpoint_url() const
{
    boost::system::error_code ec;
    auto ep = state_->acceptor.local_endpoint(ec);
    std::string host = ep.address().is_v6() ? "[" + ep.address().to_string() + "]" : ep.address().to_string();
    return std::string(state_->tls ? "https://" : "http://") + host + ":" + std::to_string(ep.port());
}

CLEANROOMSML_DECL cleanroomsml::client_config emulator::client_config() const
{
    auto const& opts = state_->svc.options();
    cleanroomsml::client_config cfg;
    cfg.region = opts.region;
    cfg.endpoint_url = endpoint_url();
    cfg.credentials = opts.credentials ? *opts.credentials : credentials{"AKIDEMULATOR", "emulator-secret"};
    if (state_->tls) cfg.tls.ca_file = state_->ca_file;
    return cfg;
}

CLEANROOMSML_DECL std::string const& emulator::certificate_pem() const noexcept { return state_->cert_pem; }
CLEANROOMSML_DECL std::string const& emulator::ca_file() const noexcept { return state_->ca_file; }

CLEANROOMSML_DECL void emulator::throttle_next(std::size_t count)
{
    state_->svc.inject({detail::fault::kind::throttle}, count);
}

CLEANROOMSML_DECL void emulator::fail_next(std::size_t count, int status)
{
    state_->svc.inject({detail::fault::kind::error, status}, count);
}

CLEANROOMSML_DECL void emulator::delay_next(std::size_t count, std::chrono::milliseconds delay)
{
    state_->svc.inject({detail::fault::kind::delay, 0, delay}, count);
}

CLEANROOMSML_DECL void emulator::clear_faults() { state_->svc.clear_faults(); }

CLEANROOMSML_DECL void emulator::close_next(std::size_t count)
{
    state_->svc.inject({detail::fault::kind::close}, count);
}

CLEANROOMSML_DECL void emulator::fail_resource(std::string_view arn, status_details details)
{
    state_->svc.fail_resource(arn, std::move(details));
}

CLEANROOMSML_DECL void emulator::fail_resource(std::string_view trained_model_arn, std::string_view version_identifier,
                                               status_details details)
{
    state_->svc.fail_resource(trained_model_arn, version_identifier, std::move(details));
}

CLEANROOMSML_DECL std::uint64_t emulator::requests() const { return state_->svc.requests(); }

CLEANROOMSML_DECL std::size_t emulator::connections() const noexcept { return state_->open; }
CLEANROOMSML_DECL std::size_t emulator::peak_connections() const noexcept { return state_->peak; }

} // namespace cleanroomsml::testing

#endif
