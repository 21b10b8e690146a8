#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_AUDIENCE_JOBS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_AUDIENCE_JOBS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Audience generation jobs (stepped to ACTIVE; deleting steps them out of
// existence, with their export jobs) and the export jobs of their results.

namespace service_impl {

template <class Out>
void describe(audience_generation_job_record const& r, observed const& seen, Out& out)
{
    fill(r, seen, out);
    out.audience_generation_job_arn = r.arn;
    out.configured_audience_model_arn = r.configured_audience_model_arn;
    out.collaboration_id = r.collaboration_id;
    out.started_by = r.started_by;
    if constexpr (requires { out.seed_audience; }) {
        out.seed_audience = r.seed_audience;
        out.include_seed_in_output = r.include_seed_in_output;
        out.protected_query_identifier = r.protected_query_id;
    }
}

} // namespace service_impl

// ---- audience generation jobs ----

CLEANROOMSML_DECL result service::serve(start_audience_generation_job_request const& in, start_audience_generation_job_response& out)
{
    using namespace service_impl;
    if (auto e = check_quota(generation_jobs_.size(), "audience generation jobs")) return e;
    if (!in.seed_audience.data_source && !in.seed_audience.sql_parameters)
        return error(validation, "seedAudience needs a dataSource or sqlParameters");
    auto cm = configured_models_.find(in.configured_audience_model_arn);
    if (cm == configured_models_.end())
        return not_found_error("configured audience model", in.configured_audience_model_arn);
    auto am = audience_models_.find(cm->second.audience_model_arn);
    if (am == audience_models_.end() || status_of(am->second.life) != "ACTIVE")
        return error(conflict, "the audience model of " + in.configured_audience_model_arn + " is not ACTIVE");
    // Tags from the parent first, so the job's own tags win.
    std::map<std::string, std::string> tags;
    if (cm->second.child_resource_tag_on_create_policy == tag_on_create_policy::from_parent_resource)
        tags = cm->second.tags;
    if (in.tags)
        for (auto const& [k, v] : *in.tags) tags[k] = v;
    if (auto e = check_tags(tags)) return e;
    audience_generation_job_record r;
    init(r, make_arn("audience-generation-job"), in.name, in.description, tags, true);
    r.configured_audience_model_arn = in.configured_audience_model_arn;
    r.collaboration_id = in.collaboration_id;
    r.seed_audience = in.seed_audience;
    r.include_seed_in_output = in.include_seed_in_output;
    r.started_by = options_.account_id;
    if (in.seed_audience.sql_parameters) r.protected_query_id = core::default_idempotency_token();
    out.audience_generation_job_arn = r.arn;
    auto key = r.arn;
    generation_jobs_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_audience_generation_job_request const& in, get_audience_generation_job_response& out)
{
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return service_impl::not_found_error("audience generation job", in.audience_generation_job_arn);
    auto const& r = it->second;
    auto const seen = observe(r);
    service_impl::describe(r, seen, out);
    // Quality metrics exist once the job is done, and only when the
    // configured model shares them.
    auto cm = configured_models_.find(r.configured_audience_model_arn);
    if (seen.status == "ACTIVE" && cm != configured_models_.end() &&
        std::find(cm->second.shared_audience_metrics.begin(), cm->second.shared_audience_metrics.end(),
                  shared_audience_metrics::all) != cm->second.shared_audience_metrics.end()) {
        audience_quality_metrics m;
        auto const& cfg = cm->second.audience_size_config;
        std::vector<std::int32_t> bins = cfg ? cfg->audience_size_bins : std::vector<std::int32_t>{};
        auto type = cfg ? cfg->audience_size_type : audience_size_type::absolute;
        for (std::size_t i = 0; i < bins.size(); ++i)
            m.relevance_metrics.push_back({.audience_size = {.type = type, .value = bins[i]},
                                           .score = 1.0 - 0.5 * static_cast<double>(i) / static_cast<double>(bins.size())});
        m.recall_metric = 0.8;
        out.metrics = std::move(m);
    }
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_generation_jobs_request const& in, list_audience_generation_jobs_response& out)
{
    std::string listing = "generation-jobs\t" + in.configured_audience_model_arn.value_or("") + "\t" +
                          in.collaboration_id.value_or("");
    return list(
        generation_jobs_, listing, in.max_results, in.next_token, out.next_token,
        [&](audience_generation_job_record const& r) {
            return (!in.configured_audience_model_arn ||
                    r.configured_audience_model_arn == *in.configured_audience_model_arn) &&
                   (!in.collaboration_id || r.collaboration_id == in.collaboration_id);
        },
        [&](audience_generation_job_record const& r) {
            service_impl::describe(r, observe(r), out.audience_generation_jobs.emplace_back());
        });
}

CLEANROOMSML_DECL result service::serve(delete_audience_generation_job_request const& in, delete_audience_generation_job_response&)
{
    using namespace service_impl;
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return not_found_error("audience generation job", in.audience_generation_job_arn);
    auto& r = it->second;
    for (auto const& x : export_jobs_)
        if (x.audience_generation_job_arn == r.arn && is_running(status_of(x.life)))
            return error(conflict, "export job '" + x.name + "' of this generation job is still running");
    return begin(r.life, phase::remove, "audience generation job " + r.arn);
}

// ---- audience export jobs ----

CLEANROOMSML_DECL result service::serve(start_audience_export_job_request const& in, start_audience_export_job_response&)
{
    using namespace service_impl;
    auto it = generation_jobs_.find(in.audience_generation_job_arn);
    if (it == generation_jobs_.end())
        return not_found_error("audience generation job", in.audience_generation_job_arn);
    auto const& job = it->second;
    if (auto s = status_of(job.life); s != "ACTIVE")
        return error(conflict, "audience generation job " + job.arn + " is " + std::string(s) + ", not ACTIVE");
    for (auto const& x : export_jobs_)
        if (x.audience_generation_job_arn == job.arn && x.name == in.name)
            return error(conflict, "an export job named '" + in.name + "' already exists for this generation job");
    // The size must be one the configured model offers.
    auto cm = configured_models_.find(job.configured_audience_model_arn);
    if (cm != configured_models_.end() && cm->second.audience_size_config) {
        auto const& cfg = *cm->second.audience_size_config;
        if (in.audience_size.type != cfg.audience_size_type)
            return error(validation, "audienceSize.type must be " + std::string(cfg.audience_size_type.value()));
        if (std::find(cfg.audience_size_bins.begin(), cfg.audience_size_bins.end(), in.audience_size.value) ==
            cfg.audience_size_bins.end())
            return error(validation, "audienceSize.value " + std::to_string(in.audience_size.value) +
                                         " is not one of the configured audience size bins");
    } else if (in.audience_size.type == audience_size_type::percentage &&
               (in.audience_size.value < 1 || in.audience_size.value > 100)) {
        return error(validation, "a PERCENTAGE audience size must be between 1 and 100");
    }
    audience_export_job_record r;
    init(r, {}, in.name, in.description, std::nullopt, true);
    r.audience_generation_job_arn = job.arn;
    r.audience_size = in.audience_size;
    if (cm != configured_models_.end()) {
        std::string base = cm->second.output_config.destination.s3_destination.s3_uri;
        if (!base.empty() && base.back() != '/') base += '/';
        r.output_location = base + job.arn.substr(job.arn.rfind('/') + 1) + "/" + in.name + "/";
    }
    export_jobs_.push_back(std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_audience_export_jobs_request const& in, list_audience_export_jobs_response& out)
{
    std::string listing = "export-jobs\t" + in.audience_generation_job_arn.value_or("");
    return list(
        export_jobs_, listing, in.max_results, in.next_token, out.next_token,
        [&](audience_export_job_record const& x) {
            return !in.audience_generation_job_arn || x.audience_generation_job_arn == *in.audience_generation_job_arn;
        },
        [&](audience_export_job_record const& x) {
            auto& s = out.audience_export_jobs.emplace_back();
            auto const seen = observe(x);
            service_impl::fill(x, seen, s);
            s.audience_generation_job_arn = x.audience_generation_job_arn;
            s.audience_size = x.audience_size;
            if (seen.status == "ACTIVE") s.output_location = x.output_location;
        });
}

} // namespace cleanroomsml::testing::detail

#endif
