#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_AUDIENCE_MODELS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_AUDIENCE_MODELS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Audience models: trained from an ACTIVE training dataset, stepped to
// ACTIVE; deleting steps them out of existence.

namespace service_impl {

template <class Out>
void describe(audience_model_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.audience_model_arn = r.arn;
    out.training_dataset_arn = r.training_dataset_arn;
    if constexpr (requires { out.kms_key_arn; }) {
        out.kms_key_arn = r.kms_key_arn;
        out.training_data_start_time = r.training_data_start_time;
        out.training_data_end_time = r.training_data_end_time;
    }
}

} // namespace service_impl

CLEANROOMSML_DECL result service::serve(create_audience_model_request const& in, create_audience_model_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(audience_models_.size(), "audience models")) return e;
    auto td = training_datasets_.find(in.training_dataset_arn);
    if (td == training_datasets_.end())
        return not_found_error("training dataset", in.training_dataset_arn);
    if (status_of(td->second.life) != "ACTIVE")
        return error(conflict, "training dataset " + in.training_dataset_arn + " is not ACTIVE");
    if (in.training_data_start_time && in.training_data_end_time &&
        *in.training_data_start_time >= *in.training_data_end_time)
        return error(validation, "trainingDataStartTime must be before trainingDataEndTime");
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    audience_model_record r;
    init(r, make_arn("audience-model"), in.name, in.description, in.tags, true);
    r.kms_key_arn = in.kms_key_arn;
    r.training_dataset_arn = in.training_dataset_arn;
    r.training_data_start_time = in.training_data_start_time;
    r.training_data_end_time = in.training_data_end_time;
    out.audience_model_arn = r.arn;
    auto key = r.arn;
    audience_models_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_audience_model_request const& in, get_audience_model_response& out)
{
    auto it = audience_models_.find(in.audience_model_arn);
    if (it == audience_models_.end())
        return service_impl::not_found_error("audience model", in.audience_model_arn);
    service_impl::describe(it->second, observe(it->second), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_models_request const& in, list_audience_models_response& out)
{
    return list(
        audience_models_, "audience-models", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](audience_model_record const& r) {
            service_impl::describe(r, observe(r), out.audience_models.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(delete_audience_model_request const& in, delete_audience_model_response&)
{
    using namespace service_impl;
    auto it = audience_models_.find(in.audience_model_arn);
    if (it == audience_models_.end()) return not_found_error("audience model", in.audience_model_arn);
    for (auto const& [arn, c] : configured_models_)
        if (c.audience_model_arn == in.audience_model_arn)
            return error(conflict, "audience model " + in.audience_model_arn +
                                       " is used by configured audience model " + arn);
    return begin(it->second.life, phase::remove, "audience model " + in.audience_model_arn);
}

} // namespace cleanroomsml::testing::detail

#endif
