#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_ML_INPUT_CHANNELS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_ML_INPUT_CHANNELS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// ML input channels: created in a membership from its associations, filled
// by a protected query while creating. Deleting their data leaves them
// INACTIVE, still listed.

namespace service_impl {

// What the protected query produced, once it has run.
inline constexpr std::int64_t channel_records = 100000;
inline constexpr double channel_files = 4;
inline constexpr double channel_size_in_gb = 0.25;

// Get outputs and summaries, of the membership and the collaboration alike.
template <class Out>
void describe(ml_input_channel_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.ml_input_channel_arn = r.arn;
    out.configured_model_algorithm_associations = r.associations;
    out.payer_configuration = r.payer_configuration;
    bool const filled = !seen.status.starts_with("CREATE_");  // the query ran
    bool const holds_data = filled && seen.status != "INACTIVE";
    if constexpr (requires { out.protected_query_identifier; })
        if (filled) out.protected_query_identifier = r.protected_query_id;
    if constexpr (requires { out.retention_in_days; }) {
        out.retention_in_days = r.retention_in_days;
        if (holds_data) out.number_of_records = channel_records;
    }
    if constexpr (requires { out.input_channel; }) {
        out.input_channel = r.input_channel;
        out.kms_key_arn = r.kms_key_arn;
        if (holds_data) {
            out.number_of_files = channel_files;
            out.size_in_gb = channel_size_in_gb;
        }
    }
}

} // namespace service_impl

CLEANROOMSML_DECL result service::serve(create_ml_input_channel_request const& in,
                                        create_ml_input_channel_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(input_channels_.size(), "ML input channels")) return e;
    for (auto const& a : in.configured_model_algorithm_associations)
        if (!in_membership(associations_, a, in.membership_identifier))
            return not_found_error("configured model algorithm association", a);
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    ml_input_channel_record r;
    static_cast<membership_scope&>(r) = scope_of(in.membership_identifier);
    init(r, make_arn("ml-input-channel", &r), in.name, in.description, in.tags, true);
    r.life.kept = true;
    r.associations = in.configured_model_algorithm_associations;
    r.input_channel = in.input_channel;
    r.retention_in_days = in.retention_in_days;
    r.kms_key_arn = in.kms_key_arn;
    r.payer_configuration = in.payer_configuration;
    r.protected_query_id = core::default_idempotency_token();
    out.ml_input_channel_arn = r.arn;
    auto key = r.arn;
    input_channels_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_ml_input_channel_request const& in, get_ml_input_channel_response& out)
{
    auto const* r = service_impl::in_membership(input_channels_, in.ml_input_channel_arn, in.membership_identifier);
    if (!r) return service_impl::not_found_error("ML input channel", in.ml_input_channel_arn);
    service_impl::describe(*r, observe(*r), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_collaboration_ml_input_channel_request const& in,
                                        get_collaboration_ml_input_channel_response& out)
{
    using namespace service_impl;
    auto const* r = in_collaboration(input_channels_, in.ml_input_channel_arn, in.collaboration_identifier);
    if (!r) return not_found_error("ML input channel", in.ml_input_channel_arn);
    describe(*r, observe(*r), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_ml_input_channels_request const& in, list_ml_input_channels_response& out)
{
    return list(
        input_channels_, "ml-input-channels\t" + in.membership_identifier, in.max_results, in.next_token,
        out.next_token, [&](ml_input_channel_record const& r) { return r.membership_id == in.membership_identifier; },
        [&](ml_input_channel_record const& r) {
            service_impl::describe(r, observe(r), out.ml_input_channels_list.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(list_collaboration_ml_input_channels_request const& in,
                                        list_collaboration_ml_input_channels_response& out)
{
    return list(
        input_channels_, "collaboration-ml-input-channels\t" + in.collaboration_identifier, in.max_results,
        in.next_token, out.next_token,
        [&](ml_input_channel_record const& r) { return r.collaboration_id == in.collaboration_identifier; },
        [&](ml_input_channel_record const& r) {
            service_impl::describe(r, observe(r), out.collaboration_ml_input_channels_list.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(delete_ml_input_channel_data_request const& in,
                                        delete_ml_input_channel_data_response&)
{
    using namespace service_impl;
    auto* r = in_membership(input_channels_, in.ml_input_channel_arn, in.membership_identifier);
    if (!r) return not_found_error("ML input channel", in.ml_input_channel_arn);
    // Not while a training or an inference job reads it (they read while creating).
    for (auto const& [model, m] : trained_models_)
        for (auto const& v : m.versions)
            for (auto const& c : v.data_channels)
                if (c.ml_input_channel_arn == r->arn && is_creating(status_of(v.life)))
                    return error(conflict, "ML input channel " + r->arn + " is being read by trained model " + model);
    for (auto const& [job, j] : inference_jobs_)
        if (j.data_source.ml_input_channel_arn == r->arn && is_creating(status_of(j.life)))
            return error(conflict, "ML input channel " + r->arn + " is being read by inference job " + job);
    return begin(r->life, phase::remove, "ML input channel " + r->arn);
}

} // namespace cleanroomsml::testing::detail

#endif
