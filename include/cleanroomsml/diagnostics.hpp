#ifndef CLEANROOMSML_DIAGNOSTICS_HPP
#define CLEANROOMSML_DIAGNOSTICS_HPP

#include <cleanroomsml/detail/config.hpp>

#include <string>

namespace cleanroomsml {

/// What is known about a failed call beyond its error_code. Filled by the
/// `async_<op>(request, diagnostics&, token)` overloads and carried by the
/// exception of the throwing form. Never holds secrets.
struct diagnostics {
    int http_status = 0;     ///< 0 when no response was received
    std::string error_type;  ///< AWS error type ("ValidationException")
    std::string message;     ///< the service's message, or ours for client-side errors
    std::string request_id;  ///< x-amzn-RequestId
    int attempts = 0;        ///< attempts made, retries included
    std::string path;        ///< member or JSON path of a client-side error ("tags[aws:x]")
    std::string timeout;     ///< which timeout fired: "connect", "attempt" or "operation"

    void clear() { *this = diagnostics{}; }

    /// One line for logs and exception texts.
    CLEANROOMSML_DECL std::string to_string() const;
};

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/diagnostics.ipp>
#endif

#endif
