#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_ML_CONFIGURATIONS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_ML_CONFIGURATIONS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// One ML configuration per membership, without a status. Put replaces it
// and keeps its creation time.

CLEANROOMSML_DECL result service::serve(put_ml_configuration_request const& in, put_ml_configuration_response&)
{
    auto [it, created] = ml_configurations_.try_emplace(in.membership_identifier);
    if (created) it->second.create_time = now_;
    it->second.update_time = now_;
    it->second.default_output_location = in.default_output_location;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_ml_configuration_request const& in, get_ml_configuration_response& out)
{
    auto it = ml_configurations_.find(in.membership_identifier);
    if (it == ml_configurations_.end())
        return service_impl::not_found_error("ML configuration of membership", in.membership_identifier);
    out.membership_identifier = in.membership_identifier;
    out.default_output_location = it->second.default_output_location;
    out.create_time = it->second.create_time;
    out.update_time = it->second.update_time;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(delete_ml_configuration_request const& in, delete_ml_configuration_response&)
{
    if (!ml_configurations_.erase(in.membership_identifier))
        return service_impl::not_found_error("ML configuration of membership", in.membership_identifier);
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
