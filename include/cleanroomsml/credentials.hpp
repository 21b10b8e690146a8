#ifndef CLEANROOMSML_CREDENTIALS_HPP
#define CLEANROOMSML_CREDENTIALS_HPP

#include <chrono>
#include <optional>
#include <string>

namespace cleanroomsml {

/// AWS credentials: a plain aggregate, e.g.
/// `credentials{"AKIDEXAMPLE", "wJalr...", ""}` or
/// `credentials{.access_key_id = id, .secret_access_key = secret, .session_token = token}`.
///
/// On purpose there is no `operator<<`, no `to_string` and no `operator==`:
/// the secret key and the session token cannot be printed or logged by
/// accident (Boost.Test, fmt and iostreams all fail to compile on it), and
/// comparing secrets is left to code that does it in constant time.
struct credentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token{};                                          ///< empty: long-term credentials
    std::optional<std::chrono::system_clock::time_point> expiration{};   ///< none: they do not expire
    std::optional<std::string> account_id{};
};

} // namespace cleanroomsml

#endif
