#ifndef CLEANROOMSML_IMPL_DIAGNOSTICS_IPP
#define CLEANROOMSML_IMPL_DIAGNOSTICS_IPP

#include <cleanroomsml/diagnostics.hpp>

namespace cleanroomsml {

CLEANROOMSML_DECL std::string diagnostics::to_string() const
{
    std::string s;
    auto add = [&s](std::string_view label, std::string_view v) {
        if (v.empty()) return;
        if (!s.empty()) s += ", ";
        s += label;
        s += v;
    };
    add("", error_type);
    add("", message);
    add("at ", path);
    if (http_status != 0) add("HTTP ", std::to_string(http_status));
    add("request id ", request_id);
    add("timeout: ", timeout);
    if (attempts > 1) add("attempts: ", std::to_string(attempts));
    return s;
}

} // namespace cleanroomsml

#endif
