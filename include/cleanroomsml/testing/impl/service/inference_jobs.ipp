#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_INFERENCE_JOBS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_INFERENCE_JOBS_IPP

#include <cleanroomsml/testing/impl/service.ipp>
#include <cleanroomsml/testing/impl/service/trained_models.ipp>

namespace cleanroomsml::testing::detail {

// Trained model inference jobs: an ACTIVE trained model version (the base
// one unless named) run over an ACTIVE ML input channel of the same
// membership. Cancelling (only while creating) leaves them INACTIVE.

namespace service_impl {

template <class Out>
void describe(inference_job_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.trained_model_inference_job_arn = r.arn;
    out.trained_model_arn = r.trained_model_arn;
    out.trained_model_version_identifier = r.version_id;
    out.configured_model_algorithm_association_arn = r.association_arn;
    out.output_configuration = r.output_configuration;
    out.ml_model_inference_payer_account_id = r.payer_account_id;
    if constexpr (requires { out.data_source; }) {
        out.resource_config = r.resource_config;
        out.data_source = r.data_source;
        out.container_execution_parameters = r.container_execution_parameters;
        out.environment = r.environment;
        out.kms_key_arn = r.kms_key_arn;
        if (seen.status != "CREATE_PENDING") out.inference_container_image_digest = r.image_digest;
    }
}

} // namespace service_impl

CLEANROOMSML_DECL result service::serve(start_trained_model_inference_job_request const& in,
                                        start_trained_model_inference_job_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(inference_jobs_.size(), "trained model inference jobs")) return e;
    auto const& membership = in.membership_identifier;
    auto* m = in_membership(trained_models_, in.trained_model_arn, membership);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.trained_model_version_identifier, default_version::base, v))
        return e;
    if (auto s = status_of(v->life); s != "ACTIVE")
        return error(conflict, version_name(*m, *v) + " is " + std::string(s) + ", not ACTIVE");
    std::string association = v->association_arn;
    if (in.configured_model_algorithm_association_arn) {
        association = *in.configured_model_algorithm_association_arn;
        if (!in_membership(associations_, association, membership))
            return not_found_error("configured model algorithm association", association);
    }
    auto const* channel = in_membership(input_channels_, in.data_source.ml_input_channel_arn, membership);
    if (!channel) return not_found_error("ML input channel", in.data_source.ml_input_channel_arn);
    if (auto s = status_of(channel->life); s != "ACTIVE")
        return error(conflict, "ML input channel " + channel->arn + " is " + std::string(s) + ", not ACTIVE");
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;

    inference_job_record r;
    static_cast<membership_scope&>(r) = scope_of(membership);
    init(r, make_arn("trained-model-inference-job", &r), in.name, in.description, in.tags, true);
    r.trained_model_arn = m->arn;
    r.version_id = v->version_id;
    r.resource_config = in.resource_config;
    r.output_configuration = in.output_configuration;
    r.data_source = in.data_source;
    r.container_execution_parameters = in.container_execution_parameters;
    r.environment = in.environment;
    r.kms_key_arn = in.kms_key_arn;
    r.payer_account_id = in.ml_model_inference_payer_account_id;
    if (auto a = associations_.find(association); a != associations_.end())
        if (auto alg = algorithms_.find(a->second.configured_model_algorithm_arn);
            alg != algorithms_.end() && alg->second.inference_container_config)
            r.image_digest = image_digest(alg->second.inference_container_config->image_uri);
    r.association_arn = std::move(association);
    out.trained_model_inference_job_arn = r.arn;
    auto key = r.arn;
    inference_jobs_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_trained_model_inference_job_request const& in,
                                        get_trained_model_inference_job_response& out)
{
    auto const* r =
        service_impl::in_membership(inference_jobs_, in.trained_model_inference_job_arn, in.membership_identifier);
    if (!r) return service_impl::not_found_error("trained model inference job", in.trained_model_inference_job_arn);
    service_impl::describe(*r, observe(*r), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_trained_model_inference_jobs_request const& in,
                                        list_trained_model_inference_jobs_response& out)
{
    auto const& model = in.trained_model_arn;
    auto const& version = in.trained_model_version_identifier;
    return list(
        inference_jobs_,
        "inference-jobs\t" + in.membership_identifier + "\t" + model.value_or("") + "\t" + version.value_or(""),
        in.max_results, in.next_token, out.next_token,
        [&](inference_job_record const& r) {
            return r.membership_id == in.membership_identifier && (!model || r.trained_model_arn == *model) &&
                   (!version || r.version_id == version);
        },
        [&](inference_job_record const& r) {
            service_impl::describe(r, observe(r), out.trained_model_inference_jobs.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(list_collaboration_trained_model_inference_jobs_request const& in,
                                        list_collaboration_trained_model_inference_jobs_response& out)
{
    auto const& model = in.trained_model_arn;
    auto const& version = in.trained_model_version_identifier;
    return list(
        inference_jobs_,
        "collaboration-inference-jobs\t" + in.collaboration_identifier + "\t" + model.value_or("") + "\t" +
            version.value_or(""),
        in.max_results, in.next_token, out.next_token,
        [&](inference_job_record const& r) {
            return r.collaboration_id == in.collaboration_identifier && (!model || r.trained_model_arn == *model) &&
                   (!version || r.version_id == version);
        },
        [&](inference_job_record const& r) {
            service_impl::describe(r, observe(r), out.collaboration_trained_model_inference_jobs.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(cancel_trained_model_inference_job_request const& in,
                                        cancel_trained_model_inference_job_response&)
{
    using namespace service_impl;
    auto* r = in_membership(inference_jobs_, in.trained_model_inference_job_arn, in.membership_identifier);
    if (!r) return not_found_error("trained model inference job", in.trained_model_inference_job_arn);
    return begin(r->life, phase::cancel, "trained model inference job " + r->arn);
}

} // namespace cleanroomsml::testing::detail

#endif
