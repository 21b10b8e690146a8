#ifndef CLEANROOMSML_VALIDATE_HPP
#define CLEANROOMSML_VALIDATE_HPP

#include <cleanroomsml/detail/validate.hpp>
#include <cleanroomsml/diagnostics.hpp>

namespace cleanroomsml {

/// Checks v against the service model's constraints, as the client does
/// before sending (unless client_config turns it off). Returns
/// client_errc::invalid_request; `diag`, when given, names the member path
/// ("outputConfig.destination.s3Destination.s3Uri") and the broken rule.
template <described_shape T>
error_code validate(T const& v, diagnostics* diag = nullptr)
{
    detail::read_error err;
    auto ec = detail::validate_shape(detail::type_of<T>(), &v, err);
    if (ec && diag) {
        diag->path = std::move(err.path);
        diag->message = std::move(err.message);
    }
    return ec;
}

} // namespace cleanroomsml

#endif
