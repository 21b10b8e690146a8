#ifndef CLEANROOMSML_IMPL_ERROR_WITH_DIAGNOSTICS_IPP
#define CLEANROOMSML_IMPL_ERROR_WITH_DIAGNOSTICS_IPP

#include <cleanroomsml/error_with_diagnostics.hpp>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL std::exception_ptr make_error_with_diagnostics(error_code ec, cleanroomsml::diagnostics const& diag)
{
    return std::make_exception_ptr(error_with_diagnostics(ec, diag));
}

} // namespace cleanroomsml::detail

#endif
