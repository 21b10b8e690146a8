#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_CONFIGURED_AUDIENCE_MODELS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_CONFIGURED_AUDIENCE_MODELS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Configured audience models (ACTIVE at once, deleted at once, not while a
// generation job uses them) and their resource policies.

namespace service_impl {

template <class Out>
void describe(configured_audience_model_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.configured_audience_model_arn = r.arn;
    out.audience_model_arn = r.audience_model_arn;
    out.output_config = r.output_config;
    if constexpr (requires { out.shared_audience_metrics; }) {
        out.shared_audience_metrics = r.shared_audience_metrics;
        out.min_matching_seed_size = r.min_matching_seed_size;
        out.audience_size_config = r.audience_size_config;
        out.child_resource_tag_on_create_policy = r.child_resource_tag_on_create_policy;
    }
}

} // namespace service_impl

CLEANROOMSML_DECL result service::serve(create_configured_audience_model_request const& in, create_configured_audience_model_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(configured_models_.size(), "configured audience models")) return e;
    auto am = audience_models_.find(in.audience_model_arn);
    if (am == audience_models_.end()) return not_found_error("audience model", in.audience_model_arn);
    if (auto s = status_of(am->second.life); s != "ACTIVE")
        return error(conflict, "audience model " + in.audience_model_arn + " is " + std::string(s) + ", not ACTIVE");
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    configured_audience_model_record r;
    init(r, make_arn("configured-audience-model"), in.name, in.description, in.tags, false);
    r.audience_model_arn = in.audience_model_arn;
    r.output_config = in.output_config;
    r.shared_audience_metrics = in.shared_audience_metrics;
    r.min_matching_seed_size = in.min_matching_seed_size;
    r.audience_size_config = in.audience_size_config;
    r.child_resource_tag_on_create_policy = in.child_resource_tag_on_create_policy;
    out.configured_audience_model_arn = r.arn;
    auto key = r.arn;
    configured_models_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_audience_model_request const& in, get_configured_audience_model_response& out)
{
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return service_impl::not_found_error("configured audience model", in.configured_audience_model_arn);
    service_impl::describe(it->second, observe(it->second), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_configured_audience_models_request const& in, list_configured_audience_models_response& out)
{
    return list(
        configured_models_, "configured-audience-models", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](configured_audience_model_record const& r) {
            service_impl::describe(r, observe(r), out.configured_audience_models.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(update_configured_audience_model_request const& in, update_configured_audience_model_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    if (in.audience_model_arn) {
        auto am = audience_models_.find(*in.audience_model_arn);
        if (am == audience_models_.end()) return not_found_error("audience model", *in.audience_model_arn);
        if (auto s = status_of(am->second.life); s != "ACTIVE")
            return error(conflict, "audience model " + *in.audience_model_arn + " is " + std::string(s) + ", not ACTIVE");
    }
    auto& r = it->second;
    if (in.audience_model_arn) r.audience_model_arn = *in.audience_model_arn;
    if (in.audience_size_config) r.audience_size_config = in.audience_size_config;
    if (in.description) r.description = in.description;
    if (in.min_matching_seed_size) r.min_matching_seed_size = in.min_matching_seed_size;
    if (in.output_config) r.output_config = *in.output_config;
    if (in.shared_audience_metrics) r.shared_audience_metrics = *in.shared_audience_metrics;
    r.update_time = now_;
    out.configured_audience_model_arn = r.arn;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(delete_configured_audience_model_request const& in, delete_configured_audience_model_response&)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    for (auto const& [arn, j] : generation_jobs_)
        if (j.configured_audience_model_arn == in.configured_audience_model_arn)
            return error(conflict, "configured audience model " + in.configured_audience_model_arn +
                                       " is used by audience generation job " + arn);
    configured_models_.erase(it);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(put_configured_audience_model_policy_request const& in,
                      put_configured_audience_model_policy_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    auto& r = it->second;
    boost::system::error_code ec;
    auto doc = boost::json::parse(in.configured_audience_model_policy, ec);
    if (ec || !doc.is_object())
        return error(validation, "configuredAudienceModelPolicy is not a JSON policy document");
    if (in.policy_existence_condition == policy_existence_condition::policy_must_exist && !r.policy)
        return error(conflict, "the configured audience model has no policy (POLICY_MUST_EXIST)");
    if (in.policy_existence_condition == policy_existence_condition::policy_must_not_exist && r.policy)
        return error(conflict, "the configured audience model already has a policy (POLICY_MUST_NOT_EXIST)");
    if (in.previous_policy_hash) {
        if (!r.policy) return error(conflict, "previousPolicyHash given but there is no policy");
        if (sha256_hex(*r.policy) != *in.previous_policy_hash)
            return error(conflict, "previousPolicyHash does not match the current policy");
    }
    r.policy = in.configured_audience_model_policy;
    out.configured_audience_model_policy = *r.policy;
    out.policy_hash = sha256_hex(*r.policy);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_audience_model_policy_request const& in,
                      get_configured_audience_model_policy_response& out)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    if (!it->second.policy)
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " has no policy");
    out.configured_audience_model_arn = it->second.arn;
    out.configured_audience_model_policy = *it->second.policy;
    out.policy_hash = sha256_hex(*it->second.policy);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(delete_configured_audience_model_policy_request const& in,
                      delete_configured_audience_model_policy_response&)
{
    using namespace service_impl;
    auto it = configured_models_.find(in.configured_audience_model_arn);
    if (it == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    if (!it->second.policy)
        return error(not_found, "configured audience model " + in.configured_audience_model_arn + " has no policy");
    it->second.policy.reset();
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
