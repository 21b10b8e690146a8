#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_CONFIGURED_MODEL_ALGORITHMS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_CONFIGURED_MODEL_ALGORITHMS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Configured model algorithms belong to the account; associations bring one
// into a membership, and the collaboration views show the associations of
// all its memberships. Neither has a status: created and deleted at once.

namespace service_impl {

template <class Out>
void describe(algorithm_association_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.configured_model_algorithm_association_arn = r.arn;
    out.configured_model_algorithm_arn = r.configured_model_algorithm_arn;
    if constexpr (requires { out.privacy_configuration; }) out.privacy_configuration = r.privacy_configuration;
}

} // namespace service_impl

// ---- configured model algorithms ----

CLEANROOMSML_DECL result service::serve(create_configured_model_algorithm_request const& in,
                                        create_configured_model_algorithm_response& out)
{
    if (auto e = check_quota(algorithms_.size(), "configured model algorithms")) return e;
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    configured_model_algorithm_record r;
    init(r, make_arn("configured-model-algorithm"), in.name, in.description, in.tags, false);
    r.role_arn = in.role_arn;
    r.training_container_config = in.training_container_config;
    r.inference_container_config = in.inference_container_config;
    r.kms_key_arn = in.kms_key_arn;
    out.configured_model_algorithm_arn = r.arn;
    auto key = r.arn;
    algorithms_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_model_algorithm_request const& in,
                                        get_configured_model_algorithm_response& out)
{
    auto it = algorithms_.find(in.configured_model_algorithm_arn);
    if (it == algorithms_.end())
        return service_impl::not_found_error("configured model algorithm", in.configured_model_algorithm_arn);
    auto const& r = it->second;
    service_impl::fill(r, observe(r), out);
    out.configured_model_algorithm_arn = r.arn;
    out.role_arn = r.role_arn;
    out.training_container_config = r.training_container_config;
    out.inference_container_config = r.inference_container_config;
    out.kms_key_arn = r.kms_key_arn;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_configured_model_algorithms_request const& in,
                                        list_configured_model_algorithms_response& out)
{
    return list(
        algorithms_, "configured-model-algorithms", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](configured_model_algorithm_record const& r) {
            auto& s = out.configured_model_algorithms.emplace_back();
            service_impl::fill(r, observe(r), s);
            s.configured_model_algorithm_arn = r.arn;
        });
}

CLEANROOMSML_DECL result service::serve(delete_configured_model_algorithm_request const& in,
                                        delete_configured_model_algorithm_response&)
{
    using namespace service_impl;
    auto it = algorithms_.find(in.configured_model_algorithm_arn);
    if (it == algorithms_.end())
        return not_found_error("configured model algorithm", in.configured_model_algorithm_arn);
    for (auto const& [arn, a] : associations_)
        if (a.configured_model_algorithm_arn == it->first)
            return error(conflict, "configured model algorithm " + it->first + " is associated as " + arn);
    algorithms_.erase(it);
    return std::nullopt;
}

// ---- associations ----

CLEANROOMSML_DECL result service::serve(create_configured_model_algorithm_association_request const& in,
                                        create_configured_model_algorithm_association_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(associations_.size(), "configured model algorithm associations")) return e;
    if (!algorithms_.contains(in.configured_model_algorithm_arn))
        return not_found_error("configured model algorithm", in.configured_model_algorithm_arn);
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    algorithm_association_record r;
    static_cast<membership_scope&>(r) = scope_of(in.membership_identifier);
    init(r, make_arn("configured-model-algorithm-association", &r), in.name, in.description, in.tags, false);
    r.configured_model_algorithm_arn = in.configured_model_algorithm_arn;
    r.privacy_configuration = in.privacy_configuration;
    out.configured_model_algorithm_association_arn = r.arn;
    auto key = r.arn;
    associations_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_configured_model_algorithm_association_request const& in,
                                        get_configured_model_algorithm_association_response& out)
{
    auto const* r = service_impl::in_membership(associations_, in.configured_model_algorithm_association_arn,
                                                in.membership_identifier);
    if (!r)
        return service_impl::not_found_error("configured model algorithm association",
                                             in.configured_model_algorithm_association_arn);
    service_impl::describe(*r, observe(*r), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_collaboration_configured_model_algorithm_association_request const& in,
                                        get_collaboration_configured_model_algorithm_association_response& out)
{
    auto const* r = service_impl::in_collaboration(associations_, in.configured_model_algorithm_association_arn,
                                                   in.collaboration_identifier);
    if (!r)
        return service_impl::not_found_error("configured model algorithm association",
                                             in.configured_model_algorithm_association_arn);
    service_impl::describe(*r, observe(*r), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_configured_model_algorithm_associations_request const& in,
                                        list_configured_model_algorithm_associations_response& out)
{
    return list(
        associations_, "associations\t" + in.membership_identifier, in.max_results, in.next_token, out.next_token,
        [&](algorithm_association_record const& r) { return r.membership_id == in.membership_identifier; },
        [&](algorithm_association_record const& r) {
            service_impl::describe(r, observe(r), out.configured_model_algorithm_associations.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(list_collaboration_configured_model_algorithm_associations_request const& in,
                                        list_collaboration_configured_model_algorithm_associations_response& out)
{
    return list(
        associations_, "collaboration-associations\t" + in.collaboration_identifier, in.max_results, in.next_token,
        out.next_token,
        [&](algorithm_association_record const& r) { return r.collaboration_id == in.collaboration_identifier; },
        [&](algorithm_association_record const& r) {
            auto& s = out.collaboration_configured_model_algorithm_associations.emplace_back();
            service_impl::describe(r, observe(r), s);
        });
}

CLEANROOMSML_DECL result service::serve(delete_configured_model_algorithm_association_request const& in,
                                        delete_configured_model_algorithm_association_response&)
{
    using namespace service_impl;
    auto const& arn = in.configured_model_algorithm_association_arn;
    auto* r = in_membership(associations_, arn, in.membership_identifier);
    if (!r) return not_found_error("configured model algorithm association", arn);
    // Channels and trained models use it until their data is deleted;
    // inference jobs while they run.
    auto used_by = [&](std::string_view what, std::string_view user) {
        return error(conflict, "configured model algorithm association " + arn + " is used by " + std::string(what) +
                                   " " + std::string(user));
    };
    for (auto const& [channel, c] : input_channels_)
        if (std::ranges::find(c.associations, arn) != c.associations.end() && status_of(c.life) != "INACTIVE")
            return used_by("ML input channel", channel);
    for (auto const& [model, m] : trained_models_)
        for (auto const& v : m.versions)
            if (v.association_arn == arn && status_of(v.life) != "INACTIVE") return used_by("trained model", model);
    for (auto const& [job, j] : inference_jobs_)
        if (j.association_arn == arn && is_running(status_of(j.life))) return used_by("inference job", job);
    associations_.erase(arn);
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
