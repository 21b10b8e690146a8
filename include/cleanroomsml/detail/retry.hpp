#ifndef CLEANROOMSML_DETAIL_RETRY_HPP
#define CLEANROOMSML_DETAIL_RETRY_HPP

// The AWS SDKs' standard retry strategy (2026 revision) and the adaptive
// mode's client-side rate limiter, as plain state machines: no I/O, no
// clock of their own, so they are tested with made-up times.

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/error.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace cleanroomsml::detail {

/// Why a failed attempt may be tried again.
enum class failure_kind {
    fatal,       ///< not retryable
    transient,   ///< 5xx, I/O errors, timeouts, transient error codes
    throttling,  ///< throttling error codes (and HTTP 429)
    clock_skew,  ///< the signature's time is off: fix the offset and re-sign
};

/// Classifies an attempt's outcome: `ec` the transport or service error,
/// `status` the HTTP status (0 without a response), `type` the AWS error
/// type (empty without one).
CLEANROOMSML_DECL failure_kind classify_failure(error_code ec, int status, std::string_view type) noexcept;

/// Whether an AWS error type says the request's signing time is wrong.
CLEANROOMSML_DECL bool is_clock_skew_error_type(std::string_view type) noexcept;

/// Backoff before retry number `retry` (1 for the first retry):
/// `r * min(base * 2^(retry-1), 20 s)`, base 50 ms for transient failures and
/// 1 s for throttling, `r` uniform in [0, 1). A server's x-amz-retry-after
/// (milliseconds) is honoured but kept within [t, t + 5 s] of that delay.
CLEANROOMSML_DECL std::chrono::milliseconds backoff_delay(failure_kind kind, int retry, double r,
                                                          std::optional<std::chrono::milliseconds> retry_after);

/// Parses x-amz-retry-after: a non-negative integer of milliseconds.
CLEANROOMSML_DECL std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view text) noexcept;

/// The retry quota shared by all calls of one client: retries spend tokens,
/// successes give them back, an empty bucket stops retrying (so an outage
/// does not multiply the load by max_attempts).
class retry_quota {
public:
    static constexpr int capacity = 500;
    static constexpr int transient_cost = 14;
    static constexpr int throttling_cost = 5;
    static constexpr int success_refund = 1;  ///< a success without retries

    /// Takes the cost of one retry; false (and nothing taken) when the
    /// bucket cannot pay it.
    bool try_acquire(failure_kind kind, int& cost) noexcept
    {
        cost = kind == failure_kind::throttling ? throttling_cost : transient_cost;
        if (available_ < cost) return false;
        available_ -= cost;
        return true;
    }

    /// After a successful call: `last_cost` what its last retry cost (0 when
    /// it had none).
    void on_success(int last_cost) noexcept
    {
        available_ += last_cost > 0 ? last_cost : success_refund;
        if (available_ > capacity) available_ = capacity;
    }

    int available() const noexcept { return available_; }

private:
    int available_ = capacity;
};

/// Adaptive mode's client-side rate limiter: a token bucket whose rate
/// follows CUBIC (cut on throttling, grown back on success), as the AWS
/// SDKs define it. Times are seconds on any monotonic scale.
class adaptive_rate_limiter {
public:
    /// Takes a send token at `now`; returns how long to wait before sending
    /// (zero until the first throttling response turns the limiter on).
    CLEANROOMSML_DECL std::chrono::duration<double> acquire(double now);

    /// Reports an attempt's response at `now`.
    CLEANROOMSML_DECL void on_response(double now, bool throttled);

    bool enabled() const noexcept { return enabled_; }
    double fill_rate() const noexcept { return fill_rate_; }
    double measured_rate() const noexcept { return measured_rate_; }

private:
    void refill(double now);
    void update_measured_rate(double now);
    void set_rate(double now, double rate);

    static constexpr double min_fill_rate = 0.5;
    static constexpr double beta = 0.7;
    static constexpr double scale = 0.4;
    static constexpr double smooth = 0.8;

    bool enabled_ = false;
    double fill_rate_ = 0;
    double capacity_ = 0;
    double max_capacity_ = 0;
    double last_refill_ = -1;
    double last_max_rate_ = 0;
    double last_throttle_ = 0;
    double time_window_ = 0;
    double measured_rate_ = 0;
    double last_tx_bucket_ = -1;
    double request_count_ = 0;
};

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/retry.ipp>
#endif

#endif
