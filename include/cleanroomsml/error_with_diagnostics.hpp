#ifndef CLEANROOMSML_ERROR_WITH_DIAGNOSTICS_HPP
#define CLEANROOMSML_ERROR_WITH_DIAGNOSTICS_HPP

#include <cleanroomsml/detail/config.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/error.hpp>

#include <boost/system/system_error.hpp>

#include <exception>
#include <utility>

namespace cleanroomsml {

/// What a failed call throws when awaited with the default token: the
/// error_code (`code()` compares equal to service_errc / client_errc values)
/// plus what the service said. what() reads e.g.
/// "ValidationException, name is too long, HTTP 400, request id 4f1c...: validation error".
class error_with_diagnostics : public boost::system::system_error {
public:
    error_with_diagnostics(error_code ec, cleanroomsml::diagnostics diag)
        : boost::system::system_error(ec, diag.to_string()), diag_(std::move(diag))
    {
    }

    cleanroomsml::diagnostics const& diagnostics() const noexcept { return diag_; }

private:
    cleanroomsml::diagnostics diag_;
};

namespace detail {
/// An error_with_diagnostics as an exception_ptr, made out of line: the
/// operations' throwing completion does not repeat this code per operation.
CLEANROOMSML_DECL std::exception_ptr make_error_with_diagnostics(error_code ec, cleanroomsml::diagnostics const& diag);
} // namespace detail

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/error_with_diagnostics.ipp>
#endif

#endif
