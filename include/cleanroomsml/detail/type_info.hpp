#ifndef CLEANROOMSML_DETAIL_TYPE_INFO_HPP
#define CLEANROOMSML_DETAIL_TYPE_INFO_HPP

// A runtime table per C++ value type, built at compile time from
// shape_traits. The JSON reader/writer, the HTTP binder and the validator
// are ordinary (non-template) functions walking these tables, so adding
// shapes costs data, not instantiations of the codec.

#include <cleanroomsml/open_enum.hpp>
#include <cleanroomsml/shape.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace cleanroomsml::detail {

enum class value_kind : unsigned char {
    string, boolean, int8, int16, int32, int64, float32, float64, timestamp, structure, list, map,
};

struct member_info;

struct type_info {
    value_kind kind;
    std::string_view name{};                          // structures: model shape name
    member_info const* members = nullptr;             // structures
    std::size_t member_count = 0;
    std::uint64_t required_body_mask = 0;             // structures: bit i = member i required in the body
    bool has_body_members = false;
    std::string& (*string_ref)(void*) = nullptr;      // strings and open enums
    std::string const& (*string_cref)(void const*) = nullptr;
    type_info const& (*element)() = nullptr;          // lists: element; maps: value
    void* (*append)(void*) = nullptr;                 // lists: emplace_back
    std::size_t (*size)(void const*) = nullptr;       // lists and maps
    void const* (*at)(void const*, std::size_t) = nullptr;  // lists
    void (*clear)(void*) = nullptr;                   // lists and maps
    void* (*slot)(void*, std::string_view) = nullptr; // maps: the value for key (created)
    void (*erase)(void*, std::string_view) = nullptr; // maps: drop key
    void (*for_each)(void const*, void*, void (*)(void*, std::string const&, void const*)) = nullptr;  // maps
};

struct member_info {
    std::string_view name;
    type_info const& (*type)();
    void* (*emplace)(void*);             // makes the member present, returns the value
    void const* (*get)(void const*);     // the value, or nullptr for an empty optional
    void (*reset)(void*);                // back to "absent" (optional members only)
    http_location location;
    timestamp_format format;
    value_rules const* rules;
    bool required;
    bool idempotency_token;
    std::string_view model_name;
};

template <class T>
type_info const& type_of() noexcept;

// Unwraps std::optional<T> and box<T> to the T the tables describe.
template <class T> struct value_of { using type = T; };
template <class T> struct value_of<std::optional<T>> : value_of<T> {};
template <class T> struct value_of<box<T>> { using type = T; };
template <class T> using value_of_t = typename value_of<T>::type;

template <class T> T& deref(T& v) noexcept { return v; }
template <class T> T& deref(box<T>& v) noexcept { return *v; }
template <class T> T const& deref(T const& v) noexcept { return v; }
template <class T> T const& deref(box<T> const& v) noexcept { return *v; }

template <class M>
void* emplace_member(M& m)
{
    if constexpr (is_optional<M>::value) {
        if (!m) m.emplace();
        return &deref(*m);
    } else {
        return &deref(m);
    }
}

template <class M>
void const* get_member(M const& m) noexcept
{
    if constexpr (is_optional<M>::value)
        return m ? static_cast<void const*>(&deref(*m)) : nullptr;
    else
        return &deref(m);
}

template <class T, std::size_t I>
constexpr member_info make_member_info() noexcept
{
    constexpr auto const& d = std::get<I>(shape_traits<T>::members);
    using M = typename std::remove_cvref_t<decltype(d)>::value_type;
    // The lambdas fetch the member pointer again instead of capturing `d`:
    // they must convert to plain function pointers.
    return member_info{
        d.name,
        &type_of<value_of_t<M>>,
        [](void* o) -> void* {
            constexpr auto p = std::get<I>(shape_traits<T>::members).pointer;
            return emplace_member(static_cast<T*>(o)->*p);
        },
        [](void const* o) -> void const* {
            constexpr auto p = std::get<I>(shape_traits<T>::members).pointer;
            return get_member(static_cast<T const*>(o)->*p);
        },
        [](void* o) {
            // JSON null: an optional member becomes absent; a required one is
            // left alone and reported missing at the end of its object.
            if constexpr (is_optional<M>::value) {
                constexpr auto p = std::get<I>(shape_traits<T>::members).pointer;
                (static_cast<T*>(o)->*p).reset();
            } else {
                (void)o;
            }
        },
        d.location,
        d.format,
        d.rules,
        !is_optional<M>::value,
        d.idempotency_token,
        d.model_name,
    };
}

template <class T, std::size_t... I>
constexpr std::array<member_info, sizeof...(I)> make_member_table(std::index_sequence<I...>) noexcept
{
    return {make_member_info<T, I>()...};
}

template <class T>
inline constexpr auto member_table = make_member_table<T>(std::make_index_sequence<member_count<T>>{});

template <class T>
constexpr type_info make_structure_info() noexcept
{
    type_info ti{value_kind::structure};
    ti.name = shape_traits<T>::name;
    ti.members = member_table<T>.data();
    ti.member_count = member_table<T>.size();
    static_assert(member_table<T>.size() <= 64, "required-member bitmask holds 64 members");
    for (std::size_t i = 0; i < ti.member_count; ++i) {
        auto const& m = ti.members[i];
        if (m.location != http_location::body) continue;
        ti.has_body_members = true;
        if (m.required) ti.required_body_mask |= std::uint64_t{1} << i;
    }
    return ti;
}

template <class T> struct type_info_for;

template <> struct type_info_for<std::string> {
    static constexpr type_info value = [] {
        type_info ti{value_kind::string};
        ti.string_ref = [](void* p) -> std::string& { return *static_cast<std::string*>(p); };
        ti.string_cref = [](void const* p) -> std::string const& { return *static_cast<std::string const*>(p); };
        return ti;
    }();
};

template <class T> requires open_enumeration<T>
struct type_info_for<T> {
    static constexpr type_info value = [] {
        type_info ti{value_kind::string};
        ti.string_ref = [](void* p) -> std::string& { return enum_access::str(*static_cast<T*>(p)); };
        ti.string_cref = [](void const* p) -> std::string const& { return enum_access::str(*static_cast<T const*>(p)); };
        return ti;
    }();
};

template <> struct type_info_for<bool> { static constexpr type_info value{value_kind::boolean}; };
template <> struct type_info_for<std::int8_t> { static constexpr type_info value{value_kind::int8}; };
template <> struct type_info_for<std::int16_t> { static constexpr type_info value{value_kind::int16}; };
template <> struct type_info_for<std::int32_t> { static constexpr type_info value{value_kind::int32}; };
template <> struct type_info_for<std::int64_t> { static constexpr type_info value{value_kind::int64}; };
template <> struct type_info_for<float> { static constexpr type_info value{value_kind::float32}; };
template <> struct type_info_for<double> { static constexpr type_info value{value_kind::float64}; };
template <> struct type_info_for<timestamp> { static constexpr type_info value{value_kind::timestamp}; };

template <class E>
struct type_info_for<std::vector<E>> {
    using V = std::vector<E>;
    static constexpr type_info value = [] {
        type_info ti{value_kind::list};
        ti.element = &type_of<value_of_t<E>>;
        ti.append = [](void* p) -> void* { return &deref(static_cast<V*>(p)->emplace_back()); };
        ti.size = [](void const* p) { return static_cast<V const*>(p)->size(); };
        ti.at = [](void const* p, std::size_t i) -> void const* { return &deref((*static_cast<V const*>(p))[i]); };
        ti.clear = [](void* p) { static_cast<V*>(p)->clear(); };
        return ti;
    }();
};

template <class E>
struct type_info_for<std::map<std::string, E>> {
    using V = std::map<std::string, E>;
    static constexpr type_info value = [] {
        type_info ti{value_kind::map};
        ti.element = &type_of<value_of_t<E>>;
        ti.size = [](void const* p) { return static_cast<V const*>(p)->size(); };
        ti.clear = [](void* p) { static_cast<V*>(p)->clear(); };
        ti.slot = [](void* p, std::string_view k) -> void* {
            auto [it, inserted] = static_cast<V*>(p)->try_emplace(std::string(k));
            if (!inserted) it->second = E{};  // a repeated key keeps the last value, as JSON readers do
            return &deref(it->second);
        };
        ti.erase = [](void* p, std::string_view k) { static_cast<V*>(p)->erase(std::string(k)); };
        ti.for_each = [](void const* p, void* ctx, void (*fn)(void*, std::string const&, void const*)) {
            for (auto const& [k, v] : *static_cast<V const*>(p)) fn(ctx, k, &deref(v));
        };
        return ti;
    }();
};

template <class T> requires described_shape<T>
struct type_info_for<T> {
    static constexpr type_info value = make_structure_info<T>();
};

template <class T>
type_info const& type_of() noexcept
{
    return type_info_for<T>::value;
}

} // namespace cleanroomsml::detail

#endif
