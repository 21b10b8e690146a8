#ifndef CLEANROOMSML_SHAPE_HPP
#define CLEANROOMSML_SHAPE_HPP

// Compile-time description of the model's structures. Every generated shape
// has a shape_traits specialization listing its members once; JSON, HTTP
// binding and validation are generic code driven by that list.

#include <cleanroomsml/box.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace cleanroomsml {

namespace detail { class pattern; }

/// Where a member travels in an HTTP request or response.
enum class http_location : unsigned char {
    body,         ///< a member of the JSON document
    label,        ///< one percent-encoded path segment
    greedy_label, ///< a path label that may contain '/'
    query,        ///< a query parameter (lists repeat the key)
    query_map,    ///< a map whose entries become query parameters
    header,       ///< an HTTP header
};

/// The model's constraints on one value; for lists and maps, `element` and
/// `key` constrain the entries. Lengths count Unicode code points for
/// strings and entries for lists and maps; -1 means no bound.
struct value_rules {
    std::int64_t min_length = -1;
    std::int64_t max_length = -1;
    bool has_min = false;
    bool has_max = false;
    double min = 0;
    double max = 0;
    detail::pattern const& (*pattern)() = nullptr;
    std::string_view reserved_prefix{}; ///< e.g. "aws:" for tag keys
    bool enumeration = false;           ///< an open enum: the value must not be empty
    value_rules const* element = nullptr;
    value_rules const* key = nullptr;
};

/// One member of a shape: its wire name, where it goes, and its rules.
template <class Owner, class T>
struct member_descriptor {
    using owner_type = Owner;
    using value_type = T;
    std::string_view name;
    T Owner::*pointer;
    /// offsetof(Owner, member): the same member as `pointer`, in the form the
    /// codec's runtime tables use (a member pointer is no constant offset).
    std::size_t offset = 0;
    http_location location = http_location::body;
    timestamp_format format = timestamp_format::date_time;
    value_rules const* rules = nullptr;
    bool idempotency_token = false;
    std::string_view model_name{};  ///< the model's member name when it differs from the wire name
};

template <class Owner, class T>
constexpr member_descriptor<Owner, T> member(std::string_view name, T Owner::*pointer, std::size_t offset,
                                             http_location where = http_location::body,
                                             timestamp_format format = timestamp_format::date_time,
                                             value_rules const* rules = nullptr, bool idempotency_token = false,
                                             std::string_view model_name = {})
{
    return {name, pointer, offset, where, format, rules, idempotency_token, model_name.empty() ? name : model_name};
}

namespace detail {
template <std::size_t I, class D>
struct member_slot {
    D value;
};
template <class Indexes, class... D>
struct member_slots;
template <std::size_t... I, class... D>
struct member_slots<std::index_sequence<I...>, D...> : member_slot<I, D>... {};
} // namespace detail

/// The member descriptors of a shape, in declaration order: a minimal tuple
/// (std::tuple costs far more to instantiate, and there is one per shape).
template <class... D>
struct member_list : detail::member_slots<std::index_sequence_for<D...>, D...> {
    static constexpr std::size_t size = sizeof...(D);
};

/// Makes a shape's member list: `members(member(...), member(...))`.
template <class... D>
constexpr member_list<D...> members(D const&... d)
{
    return {{{d}...}};
}

/// Calls f(descriptor) for each descriptor of `list`, in order.
template <std::size_t... I, class... D, class F>
constexpr void for_each_descriptor(detail::member_slots<std::index_sequence<I...>, D...> const& list, F&& f)
{
    (f(static_cast<detail::member_slot<I, D> const&>(list).value), ...);
}

/// Specialized by the generator for every structure of the model:
///   static constexpr std::string_view name;   // the model's shape name
///   static constexpr auto members;            // member_list of member_descriptor
///   static constexpr int http_status;         // error shapes only
///   static constexpr bool is_union = true;    // unions only: exactly one member is set
template <class T>
struct shape_traits;

template <class T>
concept described_shape = requires { shape_traits<T>::members; };

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

/// A member is required exactly when it is not a std::optional.
template <class M>
constexpr bool is_required_member = !is_optional<typename M::value_type>::value;

template <described_shape T>
constexpr std::size_t member_count = std::remove_cvref_t<decltype(shape_traits<T>::members)>::size;

/// Calls f(descriptor) for each member of T, in declaration order.
template <described_shape T, class F>
constexpr void for_each_member(F&& f)
{
    for_each_descriptor(shape_traits<T>::members, f);
}

} // namespace cleanroomsml

#endif
