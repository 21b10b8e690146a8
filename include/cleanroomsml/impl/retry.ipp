#ifndef CLEANROOMSML_IMPL_RETRY_IPP
#define CLEANROOMSML_IMPL_RETRY_IPP

#include <cleanroomsml/detail/retry.hpp>

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL bool is_clock_skew_error_type(std::string_view type) noexcept
{
    static constexpr std::array<std::string_view, 9> skew{
        "RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException", "SignatureDoesNotMatch",
        "AuthFailure", "RequestInTheFuture", "RequestTimeTooSkewedException", "InvalidSignature",
        "RequestExpiredException"};
    return std::find(skew.begin(), skew.end(), type) != skew.end();
}

CLEANROOMSML_DECL failure_kind classify_failure(error_code ec, int status, std::string_view type) noexcept
{
    if (!ec) return failure_kind::fatal;
    if (ec.category() == service_category()) {
        if (is_throttling_error_type(type) || status == 429) return failure_kind::throttling;
        static constexpr std::array<std::string_view, 3> transient{"RequestTimeout", "RequestTimeoutException",
                                                                   "PriorRequestNotComplete"};
        if (std::find(transient.begin(), transient.end(), type) != transient.end()) return failure_kind::transient;
        if (is_clock_skew_error_type(type)) return failure_kind::clock_skew;
        if (status == 500 || status == 502 || status == 503 || status == 504) return failure_kind::transient;
        return failure_kind::fatal;
    }
    if (ec.category() == client_category()) {
        auto const e = static_cast<client_errc>(ec.value());
        return (e == client_errc::connect_timeout || e == client_errc::attempt_timeout) ? failure_kind::transient
                                                                                        : failure_kind::fatal;
    }
    // Transport: cancellation and TLS verification failures are final, any
    // other I/O error (reset, refused, EOF before a full response, a TLS
    // stream cut short) is worth another attempt.
    if (ec == boost::asio::error::operation_aborted) return failure_kind::fatal;
    if (ec.category() == boost::asio::error::get_ssl_category()) return failure_kind::fatal;
    return failure_kind::transient;
}

CLEANROOMSML_DECL std::chrono::milliseconds backoff_delay(failure_kind kind, int retry, double r,
                                                          std::optional<std::chrono::milliseconds> retry_after)
{
    using namespace std::chrono;
    double const base = kind == failure_kind::throttling ? 1000.0 : 50.0;
    double const cap = 20000.0;
    double const exp = std::ldexp(base, std::clamp(retry, 1, 32) - 1);
    double const t = std::clamp(r, 0.0, 1.0) * std::min(exp, cap);
    auto delay = milliseconds(static_cast<std::int64_t>(t));
    if (retry_after) delay = std::clamp(*retry_after, delay, delay + milliseconds(5000));
    return delay;
}

CLEANROOMSML_DECL std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view text) noexcept
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    std::int64_t v = 0;
    auto const r = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < 0) return std::nullopt;
    return std::chrono::milliseconds(v);
}

CLEANROOMSML_DECL std::chrono::duration<double> adaptive_rate_limiter::acquire(double now)
{
    if (!enabled_) return std::chrono::duration<double>(0);
    refill(now);
    // Tokens are reserved even when none is there yet: concurrent callers
    // queue up behind each other instead of all waking together.
    capacity_ -= 1;
    if (capacity_ >= 0) return std::chrono::duration<double>(0);
    return std::chrono::duration<double>(-capacity_ / fill_rate_);
}

CLEANROOMSML_DECL void adaptive_rate_limiter::on_response(double now, bool throttled)
{
    update_measured_rate(now);
    double rate;
    if (throttled) {
        double const use = enabled_ ? std::min(measured_rate_, fill_rate_) : measured_rate_;
        last_max_rate_ = use;
        time_window_ = std::cbrt(last_max_rate_ * (1 - beta) / scale);
        last_throttle_ = now;
        rate = use * beta;
        enabled_ = true;
    } else {
        time_window_ = std::cbrt(last_max_rate_ * (1 - beta) / scale);
        double const t = now - last_throttle_ - time_window_;
        rate = scale * t * t * t + last_max_rate_;
    }
    set_rate(now, std::min(rate, 2 * measured_rate_));
}

CLEANROOMSML_DECL void adaptive_rate_limiter::refill(double now)
{
    if (last_refill_ < 0) {
        last_refill_ = now;
        return;
    }
    capacity_ = std::min(max_capacity_, capacity_ + (now - last_refill_) * fill_rate_);
    last_refill_ = now;
}

CLEANROOMSML_DECL void adaptive_rate_limiter::update_measured_rate(double now)
{
    double const bucket = std::floor(now * 2) / 2;
    if (last_tx_bucket_ < 0) last_tx_bucket_ = std::floor(now);
    request_count_ += 1;
    if (bucket > last_tx_bucket_) {
        double const current = request_count_ / (bucket - last_tx_bucket_);
        measured_rate_ = current * smooth + measured_rate_ * (1 - smooth);
        request_count_ = 0;
        last_tx_bucket_ = bucket;
    }
}

CLEANROOMSML_DECL void adaptive_rate_limiter::set_rate(double now, double rate)
{
    refill(now);
    fill_rate_ = std::max(rate, min_fill_rate);
    max_capacity_ = std::max(rate, 1.0);
    capacity_ = std::min(capacity_, max_capacity_);
}

} // namespace cleanroomsml::detail

#endif
