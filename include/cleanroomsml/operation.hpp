#ifndef CLEANROOMSML_OPERATION_HPP
#define CLEANROOMSML_OPERATION_HPP

// Per-operation metadata. The generator specializes the traits below for
// every operation; the client has one code path that reads them.

#include <string_view>

namespace cleanroomsml {

/// The HTTP binding of one operation, as the service model states it.
struct operation_info {
    std::string_view name;        ///< "GetAudienceModel"
    std::string_view method;      ///< "GET"
    std::string_view uri;         ///< "/audience-model/{audienceModelArn}"
    int success_status = 200;
    bool idempotent = false;      ///< safe to retry after an ambiguous failure
};

/// Specialized per request type:
///   using response = <op>_response;
///   static constexpr operation_info info;
///   static constexpr std::string_view errors[];   // modeled error shape names
template <class Request>
struct operation_traits;

template <class Request>
concept operation_request = requires { operation_traits<Request>::info; };

/// Specialized for the paginated operations' request types:
///   using response = ...; using item = ...;
///   static constexpr auto input_token, output_token, limit, items;  // member pointers
template <class Request>
struct paginator_traits;

template <class Request>
concept paginated_request = requires { paginator_traits<Request>::items; };

} // namespace cleanroomsml

#endif
