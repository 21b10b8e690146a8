#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_TRAINING_DATASETS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_TRAINING_DATASETS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Training datasets: ACTIVE at once, deleted at once, not while an
// audience model uses them.

CLEANROOMSML_DECL result service::serve(create_training_dataset_request const& in, create_training_dataset_response& out)
{
    if (auto e = check_quota(training_datasets_.size(), "training datasets")) return e;
    if (in.tags)
        if (auto e = check_tags(*in.tags)) return e;
    training_dataset_record r;
    init(r, make_arn("training-dataset"), in.name, in.description, in.tags, false);
    r.role_arn = in.role_arn;
    r.training_data = in.training_data;
    out.training_dataset_arn = r.arn;
    auto key = r.arn;
    training_datasets_.emplace(std::move(key), std::move(r));
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(get_training_dataset_request const& in, get_training_dataset_response& out)
{
    auto it = training_datasets_.find(in.training_dataset_arn);
    if (it == training_datasets_.end())
        return service_impl::not_found_error("training dataset", in.training_dataset_arn);
    auto const& r = it->second;
    service_impl::fill(r, observe(r), out);
    out.training_dataset_arn = r.arn;
    out.role_arn = r.role_arn;
    out.training_data = r.training_data;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(list_training_datasets_request const& in, list_training_datasets_response& out)
{
    return list(
        training_datasets_, "training-datasets", in.max_results, in.next_token, out.next_token,
        [](auto const&) { return true; },
        [&](training_dataset_record const& r) {
            auto& s = out.training_datasets.emplace_back();
            service_impl::fill(r, observe(r), s);
            s.training_dataset_arn = r.arn;
        });
}

CLEANROOMSML_DECL result service::serve(delete_training_dataset_request const& in, delete_training_dataset_response&)
{
    auto it = training_datasets_.find(in.training_dataset_arn);
    if (it == training_datasets_.end())
        return service_impl::not_found_error("training dataset", in.training_dataset_arn);
    for (auto const& [arn, m] : audience_models_)
        if (m.training_dataset_arn == in.training_dataset_arn)
            return service_impl::error(service_impl::conflict,
                                       "training dataset " + in.training_dataset_arn + " is used by audience model " + arn);
    training_datasets_.erase(it);
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
