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
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
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
    bool is_union = false;                            // structures: exactly one member is set
    std::string& (*string_ref)(void*) = nullptr;      // strings and open enums
    std::string const& (*string_cref)(void const*) = nullptr;
    std::string_view const* enum_values = nullptr;    // open enums: the known values, in model order
    std::size_t enum_value_count = 0;
    type_info const& (*element)() = nullptr;          // lists: element; maps: value
    void* (*append)(void*) = nullptr;                 // lists: emplace_back
    std::size_t (*size)(void const*) = nullptr;       // lists and maps
    void const* (*at)(void const*, std::size_t) = nullptr;  // lists
    void (*clear)(void*) = nullptr;                   // lists and maps
    void* (*slot)(void*, std::string_view) = nullptr; // maps: the value for key (created)
    void (*erase)(void*, std::string_view) = nullptr; // maps: drop key
    void (*for_each)(void const*, void*, void (*)(void*, std::string const&, void const*)) = nullptr;  // maps
};

// How a member's storage is reached from its address: a std::optional<T>
// (made present, looked at, emptied) or the T itself. One instance per
// member C++ type, shared by every member of that type.
struct slot_ops {
    void* (*emplace)(void*);          // makes it present, returns the value
    void const* (*get)(void const*);  // the value, or nullptr for an empty optional
    void (*reset)(void*);             // back to "absent" (optional members only)
};

struct member_info {
    std::string_view name;
    type_info const& (*type)();
    std::size_t offset;  // of the member in its structure
    slot_ops const* slot;
    http_location location;
    timestamp_format format;
    value_rules const* rules;
    bool required;
    bool idempotency_token;
    std::string_view model_name;

    void* emplace(void* o) const { return slot->emplace(static_cast<char*>(o) + offset); }
    void const* get(void const* o) const { return slot->get(static_cast<char const*>(o) + offset); }
    // JSON null: an optional member becomes absent; a required one is left
    // alone and reported missing at the end of its object.
    void reset(void* o) const { slot->reset(static_cast<char*>(o) + offset); }
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

// The functions behind a table are declared here and defined below, out of
// the class: with CLEANROOMSML_SEPARATE_COMPILATION the generated model
// declares them extern (model/reflection.hpp) and src.hpp instantiates them
// once for every type of the model (model/type_tables.ipp), so a program's
// translation units do not compile them again.
template <class M>
struct slot_ops_of {
    static void* emplace(void* p);
    static void const* get(void const* p) noexcept;
    static void reset(void* p) noexcept;
    static constexpr slot_ops value{&emplace, &get, &reset};
};

// A member's table entry, from its descriptor: data only, no code per member.
template <class Owner, class M>
constexpr member_info make_member_info(member_descriptor<Owner, M> const& d) noexcept
{
    return member_info{d.name, &type_of<value_of_t<M>>, d.offset, &slot_ops_of<M>::value, d.location, d.format,
                       d.rules, !is_optional<M>::value, d.idempotency_token, d.model_name};
}

template <std::size_t... I, class... D>
constexpr auto make_member_table(member_slots<std::index_sequence<I...>, D...> const& list) noexcept
{
    return std::array<member_info, sizeof...(D)>{make_member_info(static_cast<member_slot<I, D> const&>(list).value)...};
}

template <class T>
inline constexpr auto member_table = make_member_table(shape_traits<T>::members);

template <class T>
constexpr type_info make_structure_info() noexcept
{
    type_info ti{value_kind::structure};
    ti.name = shape_traits<T>::name;
    ti.members = member_table<T>.data();
    ti.member_count = member_table<T>.size();
    if constexpr (requires { shape_traits<T>::is_union; }) ti.is_union = shape_traits<T>::is_union;
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

template <class S>
struct string_ops_of {
    static std::string& ref(void* p) noexcept;
    static std::string const& cref(void const* p) noexcept;
};

template <class V>
struct list_ops_of {
    static void* append(void* p);
    static std::size_t size(void const* p) noexcept;
    static void const* at(void const* p, std::size_t i) noexcept;
    static void clear(void* p) noexcept;
};

template <class V>
struct map_ops_of {
    static std::size_t size(void const* p) noexcept;
    static void clear(void* p) noexcept;
    static void* slot(void* p, std::string_view key);
    static void erase(void* p, std::string_view key);
    static void for_each(void const* p, void* ctx, void (*fn)(void*, std::string const&, void const*));
};

template <class S>
constexpr type_info make_string_info() noexcept
{
    type_info ti{value_kind::string};
    ti.string_ref = &string_ops_of<S>::ref;
    ti.string_cref = &string_ops_of<S>::cref;
    if constexpr (open_enumeration<S>) {
        ti.enum_values = S::known_values.data();
        ti.enum_value_count = S::known_values.size();
    }
    return ti;
}

template <> struct type_info_for<std::string> {
    static constexpr type_info value = make_string_info<std::string>();
};

template <class T> requires open_enumeration<T>
struct type_info_for<T> {
    static constexpr type_info value = make_string_info<T>();
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
    using ops = list_ops_of<std::vector<E>>;
    static constexpr type_info value = [] {
        type_info ti{value_kind::list};
        ti.element = &type_of<value_of_t<E>>;
        ti.append = &ops::append;
        ti.size = &ops::size;
        ti.at = &ops::at;
        ti.clear = &ops::clear;
        return ti;
    }();
};

template <class E>
struct type_info_for<std::map<std::string, E>> {
    using ops = map_ops_of<std::map<std::string, E>>;
    static constexpr type_info value = [] {
        type_info ti{value_kind::map};
        ti.element = &type_of<value_of_t<E>>;
        ti.size = &ops::size;
        ti.clear = &ops::clear;
        ti.slot = &ops::slot;
        ti.erase = &ops::erase;
        ti.for_each = &ops::for_each;
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

// ---- the functions behind the tables

template <class M>
void* slot_ops_of<M>::emplace(void* p)
{
    M& m = *static_cast<M*>(p);
    if constexpr (is_optional<M>::value) {
        if (!m) m.emplace();
        return &deref(*m);
    } else {
        return &deref(m);
    }
}

template <class M>
void const* slot_ops_of<M>::get(void const* p) noexcept
{
    M const& m = *static_cast<M const*>(p);
    if constexpr (is_optional<M>::value)
        return m ? static_cast<void const*>(&deref(*m)) : nullptr;
    else
        return &deref(m);
}

template <class M>
void slot_ops_of<M>::reset(void* p) noexcept
{
    if constexpr (is_optional<M>::value) static_cast<M*>(p)->reset();
}

template <class S>
std::string& string_ops_of<S>::ref(void* p) noexcept
{
    if constexpr (std::is_same_v<S, std::string>)
        return *static_cast<std::string*>(p);
    else
        return enum_access::str(*static_cast<S*>(p));
}

template <class S>
std::string const& string_ops_of<S>::cref(void const* p) noexcept
{
    if constexpr (std::is_same_v<S, std::string>)
        return *static_cast<std::string const*>(p);
    else
        return enum_access::str(*static_cast<S const*>(p));
}

template <class V>
void* list_ops_of<V>::append(void* p)
{
    return &deref(static_cast<V*>(p)->emplace_back());
}

template <class V>
std::size_t list_ops_of<V>::size(void const* p) noexcept
{
    return static_cast<V const*>(p)->size();
}

template <class V>
void const* list_ops_of<V>::at(void const* p, std::size_t i) noexcept
{
    return &deref((*static_cast<V const*>(p))[i]);
}

template <class V>
void list_ops_of<V>::clear(void* p) noexcept
{
    static_cast<V*>(p)->clear();
}

template <class V>
std::size_t map_ops_of<V>::size(void const* p) noexcept
{
    return static_cast<V const*>(p)->size();
}

template <class V>
void map_ops_of<V>::clear(void* p) noexcept
{
    static_cast<V*>(p)->clear();
}

template <class V>
void* map_ops_of<V>::slot(void* p, std::string_view key)
{
    auto [it, inserted] = static_cast<V*>(p)->try_emplace(std::string(key));
    if (!inserted) it->second = typename V::mapped_type{};  // a repeated key keeps the last value, as JSON readers do
    return &deref(it->second);
}

template <class V>
void map_ops_of<V>::erase(void* p, std::string_view key)
{
    static_cast<V*>(p)->erase(std::string(key));
}

template <class V>
void map_ops_of<V>::for_each(void const* p, void* ctx, void (*fn)(void*, std::string const&, void const*))
{
    for (auto const& [k, v] : *static_cast<V const*>(p)) fn(ctx, k, &deref(v));
}

} // namespace cleanroomsml::detail

#endif
