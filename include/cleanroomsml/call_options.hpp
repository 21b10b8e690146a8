#ifndef CLEANROOMSML_CALL_OPTIONS_HPP
#define CLEANROOMSML_CALL_OPTIONS_HPP

#include <chrono>
#include <optional>

namespace cleanroomsml {

/// Per-call overrides of client_config; unset members keep the client's value.
///
///   cleanroomsml::call_options quick{.operation_timeout = std::chrono::seconds{2}};
///   auto out = co_await client.async_get_audience_model(std::move(req), quick);
struct call_options {
    std::optional<std::chrono::milliseconds> connect_timeout{};
    std::optional<std::chrono::milliseconds> attempt_timeout{};
    std::optional<std::chrono::milliseconds> operation_timeout{};
    std::optional<int> max_attempts{};  ///< 1: no retries
};

} // namespace cleanroomsml

#endif
