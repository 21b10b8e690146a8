#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_TRAINED_MODELS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_TRAINED_MODELS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Trained models, their versions and their export jobs. A model is its
// versions: the base one (no version identifier) and one more per
// incremental training under the same name. Without an identifier, reads
// and incremental training take the latest version, everything else the
// base one (which could not be named otherwise). Cancelling or deleting the
// output leaves a version INACTIVE, still listed.

namespace service_impl {

// Get outputs and summaries of one version, of the membership and the
// collaboration alike.
template <class Out>
void describe(trained_model_record const& m, trained_model_version const& v, observed const& seen, Out& out)
{
    fill(v, seen, out);
    fill_scope(m, out);
    out.trained_model_arn = m.arn;
    out.version_identifier = v.version_id;
    out.incremental_training_data_channels = v.incremental_channels;
    out.configured_model_algorithm_association_arn = v.association_arn;
    out.ml_model_training_payer_account_id = v.payer_account_id;
    if constexpr (requires { out.resource_config; }) {
        out.resource_config = v.resource_config;
        out.training_input_mode = v.training_input_mode;
        out.stopping_condition = v.stopping_condition;
        if (seen.status != "CREATE_PENDING") out.training_container_image_digest = v.image_digest;
    }
    if constexpr (requires { out.data_channels; }) {
        out.data_channels = v.data_channels;
        out.hyperparameters = v.hyperparameters;
        out.environment = v.environment;
        out.kms_key_arn = v.kms_key_arn;
        if (!m.tags.empty()) out.tags = m.tags;
    }
}

// The version a request names: the given one, or without one the latest
// or the base one. `m` null: no model.
enum class default_version { latest, base };

inline result pick_version(trained_model_record* m, std::string const& arn, std::optional<std::string> const& version,
                           default_version fallback, trained_model_version*& found)
{
    if (!m) return not_found_error("trained model", arn);
    if (!version) {
        found = fallback == default_version::latest ? &m->latest() : &m->versions.front();
        return std::nullopt;
    }
    for (auto& v : m->versions)
        if (v.version_id == version) {
            found = &v;
            return std::nullopt;
        }
    return not_found_error("trained model " + arn + " version", *version);
}

inline std::string version_name(trained_model_record const& m, trained_model_version const& v)
{
    return "trained model " + m.arn + (v.version_id ? " version " + *v.version_id : std::string());
}

// "sha256:<hex>" of an algorithm's container image, as a run reports it.
inline std::string image_digest(std::string_view image_uri) { return "sha256:" + sha256_hex(image_uri); }

} // namespace service_impl

// ---- trained models ----

CLEANROOMSML_DECL result service::serve(create_trained_model_request const& in, create_trained_model_response& out)
{
    using namespace service_impl;
    std::size_t versions = 0;
    for (auto const& [arn, m] : trained_models_) versions += m.versions.size();
    if (auto e = check_quota(versions, "trained models")) return e;
    auto const& membership = in.membership_identifier;
    auto const* association = in_membership(associations_, in.configured_model_algorithm_association_arn, membership);
    if (!association)
        return not_found_error("configured model algorithm association", in.configured_model_algorithm_association_arn);

    // Channel names are unique across both kinds, at most 20 in all.
    auto const& incremental = in.incremental_training_data_channels;
    std::set<std::string_view> names;
    for (auto const& c : in.data_channels) names.insert(c.channel_name);
    if (incremental)
        for (auto const& c : *incremental) names.insert(c.channel_name);
    std::size_t const channels = in.data_channels.size() + (incremental ? incremental->size() : 0);
    if (names.size() != channels) return error(validation, "channel names must be unique within the training");
    if (channels > 20) return error(validation, "a training takes at most 20 channels, data and incremental together");
    for (auto const& c : in.data_channels) {
        auto const* channel = in_membership(input_channels_, c.ml_input_channel_arn, membership);
        if (!channel) return not_found_error("ML input channel", c.ml_input_channel_arn);
        if (auto s = status_of(channel->life); s != "ACTIVE")
            return error(conflict, "ML input channel " + channel->arn + " is " + std::string(s) + ", not ACTIVE");
    }

    // Incremental training: from an ACTIVE version of a model of this
    // membership; under that model's name it makes a new version of it.
    trained_model_record* base = nullptr;
    trained_model_version* base_version = nullptr;
    if (incremental) {
        auto const& c = incremental->front();
        base = in_membership(trained_models_, c.trained_model_arn, membership);
        if (auto e = pick_version(base, c.trained_model_arn, c.version_identifier, default_version::latest,
                                  base_version))
            return e;
        if (auto s = status_of(base_version->life); s != "ACTIVE")
            return error(conflict, version_name(*base, *base_version) + " is " + std::string(s) + ", not ACTIVE");
    }
    bool const new_version = base && base->latest().name == in.name;

    auto tags = new_version ? base->tags : std::map<std::string, std::string>{};
    if (in.tags)
        for (auto const& [k, v] : *in.tags) tags[k] = v;
    if (auto e = check_tags(tags)) return e;

    trained_model_version v;
    init(v, {}, in.name, in.description, std::nullopt, true);
    v.life.kept = true;
    v.association_arn = association->arn;
    v.hyperparameters = in.hyperparameters;
    v.environment = in.environment;
    v.resource_config = in.resource_config;
    v.stopping_condition = in.stopping_condition;
    v.data_channels = in.data_channels;
    v.training_input_mode = in.training_input_mode;
    v.kms_key_arn = in.kms_key_arn;
    v.payer_account_id = in.ml_model_training_payer_account_id;
    if (auto a = algorithms_.find(association->configured_model_algorithm_arn);
        a != algorithms_.end() && a->second.training_container_config)
        v.image_digest = image_digest(a->second.training_container_config->image_uri);
    if (base)
        v.incremental_channels = std::vector<incremental_training_data_channel_output>{
            {.channel_name = incremental->front().channel_name,
             .version_identifier = base_version->version_id,
             .model_name = base->latest().name}};

    if (new_version) {
        v.arn = base->arn;
        v.version_id = core::default_idempotency_token();
        base->tags = std::move(tags);
        out.trained_model_arn = base->arn;
        out.version_identifier = v.version_id;
        base->versions.push_back(std::move(v));
        return std::nullopt;
    }
    trained_model_record m;
    static_cast<membership_scope&>(m) = scope_of(membership);
    m.arn = v.arn = make_arn("trained-model", &m);
    m.tags = std::move(tags);
    m.seq = v.seq;
    m.versions.push_back(std::move(v));
    out.trained_model_arn = m.arn;
    auto key = m.arn;
    trained_models_.emplace(std::move(key), std::move(m));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_trained_model_request const& in, get_trained_model_response& out)
{
    using namespace service_impl;
    auto* m = in_membership(trained_models_, in.trained_model_arn, in.membership_identifier);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.version_identifier, default_version::latest, v)) return e;
    describe(*m, *v, observe(*v), out);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_collaboration_trained_model_request const& in,
                                        get_collaboration_trained_model_response& out)
{
    using namespace service_impl;
    auto* m = in_collaboration(trained_models_, in.trained_model_arn, in.collaboration_identifier);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.version_identifier, default_version::latest, v)) return e;
    describe(*m, *v, observe(*v), out);
    return std::nullopt;
}

// Models are listed once each, as their latest version.
CLEANROOMSML_DECL result service::serve(list_trained_models_request const& in, list_trained_models_response& out)
{
    return list(
        trained_models_, "trained-models\t" + in.membership_identifier, in.max_results, in.next_token, out.next_token,
        [&](trained_model_record const& m) { return m.membership_id == in.membership_identifier; },
        [&](trained_model_record const& m) {
            service_impl::describe(m, m.latest(), observe(m.latest()), out.trained_models.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(list_collaboration_trained_models_request const& in,
                                        list_collaboration_trained_models_response& out)
{
    return list(
        trained_models_, "collaboration-trained-models\t" + in.collaboration_identifier, in.max_results, in.next_token,
        out.next_token,
        [&](trained_model_record const& m) { return m.collaboration_id == in.collaboration_identifier; },
        [&](trained_model_record const& m) {
            service_impl::describe(m, m.latest(), observe(m.latest()), out.collaboration_trained_models.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(list_trained_model_versions_request const& in,
                                        list_trained_model_versions_response& out)
{
    auto const* m = service_impl::in_membership(trained_models_, in.trained_model_arn, in.membership_identifier);
    if (!m) return service_impl::not_found_error("trained model", in.trained_model_arn);
    std::string_view const status = in.status ? in.status->value() : std::string_view{};
    return list(
        m->versions, "trained-model-versions\t" + m->arn + "\t" + std::string(status), in.max_results, in.next_token,
        out.next_token, [&](trained_model_version const& v) { return !in.status || status_of(v.life) == status; },
        [&](trained_model_version const& v) {
            service_impl::describe(*m, v, observe(v), out.trained_models.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(cancel_trained_model_request const& in, cancel_trained_model_response&)
{
    using namespace service_impl;
    auto* m = in_membership(trained_models_, in.trained_model_arn, in.membership_identifier);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.version_identifier, default_version::base, v)) return e;
    return begin(v->life, phase::cancel, version_name(*m, *v));
}

CLEANROOMSML_DECL result service::serve(delete_trained_model_output_request const& in,
                                        delete_trained_model_output_response&)
{
    using namespace service_impl;
    auto* m = in_membership(trained_models_, in.trained_model_arn, in.membership_identifier);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.version_identifier, default_version::base, v)) return e;
    // Not while a job reads the artifacts.
    for (auto const& [job, j] : inference_jobs_)
        if (j.trained_model_arn == m->arn && j.version_id == v->version_id && is_running(status_of(j.life)))
            return error(conflict, version_name(*m, *v) + " is used by the running inference job " + job);
    for (auto const& x : model_export_jobs_)
        if (x.trained_model_arn == m->arn && x.version_id == v->version_id && is_running(status_of(x.life)))
            return error(conflict, version_name(*m, *v) + " is being exported by the job '" + x.name + "'");
    return begin(v->life, phase::remove, version_name(*m, *v));
}

// ---- export jobs: known by model version and name ----

CLEANROOMSML_DECL result service::serve(start_trained_model_export_job_request const& in,
                                        start_trained_model_export_job_response&)
{
    using namespace service_impl;
    // The membership is the receiving member's: the model may be another
    // member's of the same collaboration.
    auto const scope = scope_of(in.membership_identifier);
    auto* m = in_collaboration(trained_models_, in.trained_model_arn, scope.collaboration_id);
    trained_model_version* v = nullptr;
    if (auto e = pick_version(m, in.trained_model_arn, in.trained_model_version_identifier, default_version::base, v))
        return e;
    if (auto s = status_of(v->life); s != "ACTIVE")
        return error(conflict, version_name(*m, *v) + " is " + std::string(s) + ", not ACTIVE");
    for (auto const& x : model_export_jobs_)
        if (x.trained_model_arn == m->arn && x.version_id == v->version_id && x.name == in.name)
            return error(conflict, "an export job named '" + in.name + "' already exists for " + version_name(*m, *v));
    trained_model_export_job_record x;
    static_cast<membership_scope&>(x) = scope;
    init(x, {}, in.name, in.description, std::nullopt, true);
    x.trained_model_arn = m->arn;
    x.version_id = v->version_id;
    x.output_configuration = in.output_configuration;
    model_export_jobs_.push_back(std::move(x));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_collaboration_trained_model_export_jobs_request const& in,
                                        list_collaboration_trained_model_export_jobs_response& out)
{
    auto const& version = in.trained_model_version_identifier;
    std::string listing = "trained-model-export-jobs\t" + in.collaboration_identifier + "\t" + in.trained_model_arn +
                          "\t" + version.value_or("");
    return list(
        model_export_jobs_, listing, in.max_results, in.next_token, out.next_token,
        [&](trained_model_export_job_record const& x) {
            return x.collaboration_id == in.collaboration_identifier && x.trained_model_arn == in.trained_model_arn &&
                   (!version || x.version_id == version);
        },
        [&](trained_model_export_job_record const& x) {
            auto& s = out.collaboration_trained_model_export_jobs.emplace_back();
            service_impl::fill(x, observe(x), s);
            s.output_configuration = x.output_configuration;
            s.trained_model_arn = x.trained_model_arn;
            s.trained_model_version_identifier = x.version_id;
        });
}

} // namespace cleanroomsml::testing::detail

#endif
