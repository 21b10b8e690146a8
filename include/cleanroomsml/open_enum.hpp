#ifndef CLEANROOMSML_OPEN_ENUM_HPP
#define CLEANROOMSML_OPEN_ENUM_HPP

#include <string>
#include <string_view>
#include <utility>

namespace cleanroomsml {

namespace detail { struct enum_access; }

/// A known value of the open enumeration E (`audience_size_type::absolute`):
/// a constant, made at compile time (no static initialization per value in
/// every translation unit), that converts to E and compares with it.
template <class E>
class enum_constant {
public:
    constexpr explicit enum_constant(std::string_view wire) noexcept : value_(wire) {}

    /// The wire string ("ABSOLUTE").
    constexpr std::string_view value() const noexcept { return value_; }
    /// Always true: the constants are the known values.
    constexpr bool is_known() const noexcept { return true; }

    operator E() const { return E(value_); }

    friend bool operator==(E const& a, enum_constant b) noexcept { return a.value() == b.value_; }
    friend constexpr bool operator==(enum_constant a, enum_constant b) noexcept { return a.value_ == b.value_; }

private:
    std::string_view value_;
};

/// Base of the model's enumerations. They are open: a value the service
/// adds after this library was generated is carried as its wire string
/// instead of failing the whole response.
template <class Derived>
class open_enum {
public:
    open_enum() = default;
    explicit open_enum(std::string wire) : value_(std::move(wire)) {}
    explicit open_enum(char const* wire) : value_(wire) {}
    explicit open_enum(std::string_view wire) : value_(wire) {}

    /// The wire string ("ABSOLUTE"); empty for a default-constructed value.
    std::string_view value() const noexcept { return value_; }

    /// True when the value is one of the constants this library knows.
    bool is_known() const noexcept
    {
        for (std::string_view v : Derived::known_values)
            if (v == value_) return true;
        return false;
    }

    friend bool operator==(Derived const& a, Derived const& b) noexcept { return a.value_ == b.value_; }
    friend bool operator==(Derived const& a, std::string_view b) noexcept { return a.value_ == b; }

private:
    friend struct detail::enum_access;
    std::string value_;
};

namespace detail {
struct enum_access {
    template <class E> static std::string& str(open_enum<E>& e) noexcept { return e.value_; }
    template <class E> static std::string const& str(open_enum<E> const& e) noexcept { return e.value_; }
};
template <class T>
concept open_enumeration = requires { typename T::open_enum; } &&
                           std::is_base_of_v<open_enum<T>, T>;
} // namespace detail

} // namespace cleanroomsml

#endif
