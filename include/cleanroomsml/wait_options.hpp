#ifndef CLEANROOMSML_WAIT_OPTIONS_HPP
#define CLEANROOMSML_WAIT_OPTIONS_HPP

#include <cleanroomsml/call_options.hpp>

#include <chrono>

namespace cleanroomsml {

/// How a waiter (`client::async_wait_until_*`) polls.
///
///   using namespace std::chrono_literals;
///   cleanroomsml::wait_options opts{.min_delay = 1s, .max_delay = 30s, .max_wait = 2h};
///
/// The delay before poll n+1 is drawn uniformly from
/// [min_delay, min(max_delay, min_delay * 2^(n-1))], the AWS SDK waiters'
/// backoff, and is cut short so that the last poll happens at `max_wait`;
/// a resource still not there after that poll fails the waiter with
/// client_errc::waiter_timeout. The defaults are the SDKs' waiter delays
/// (2 s to 120 s) with one hour of waiting. A `max_delay` below `min_delay`
/// counts as `min_delay`; a `max_wait` of zero or less polls once.
struct wait_options {
    std::chrono::milliseconds min_delay{std::chrono::seconds(2)};
    std::chrono::milliseconds max_delay{std::chrono::seconds(120)};
    std::chrono::milliseconds max_wait{std::chrono::hours(1)};
    call_options call{};  ///< for each poll's request(s)
};

} // namespace cleanroomsml

#endif
