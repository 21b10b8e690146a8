#ifndef CLEANROOMSML_TESTING_IMPL_SERVICE_TAGS_IPP
#define CLEANROOMSML_TESTING_IMPL_SERVICE_TAGS_IPP

#include <cleanroomsml/testing/impl/service.ipp>

namespace cleanroomsml::testing::detail {

// Every resource with an ARN has tags: the ARN names it in whichever
// family it is. Trained models keep one set for all their versions.

CLEANROOMSML_DECL result service::serve(list_tags_for_resource_request const& in, list_tags_for_resource_response& out)
{
    auto found = locate(in.resource_arn);
    if (!found.tags) return service_impl::not_found_error("resource", in.resource_arn);
    out.tags = *found.tags;
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(tag_resource_request const& in, tag_resource_response&)
{
    auto found = locate(in.resource_arn);
    if (!found.tags) return service_impl::not_found_error("resource", in.resource_arn);
    auto merged = *found.tags;
    for (auto const& [k, v] : in.tags) merged[k] = v;
    if (auto e = check_tags(merged)) return e;
    *found.tags = std::move(merged);
    return std::nullopt;
}

CLEANROOMSML_DECL result service::serve(untag_resource_request const& in, untag_resource_response&)
{
    auto found = locate(in.resource_arn);
    if (!found.tags) return service_impl::not_found_error("resource", in.resource_arn);
    for (auto const& k : in.tag_keys) found.tags->erase(k);
    return std::nullopt;
}

} // namespace cleanroomsml::testing::detail

#endif
