#ifndef CLEANROOMSML_BOX_HPP
#define CLEANROOMSML_BOX_HPP

#include <memory>
#include <utility>

namespace cleanroomsml {

/// A heap-held value with value semantics. Generated code uses it only for
/// members that would otherwise make a shape contain itself.
template <class T>
class box {
public:
    box() : p_(std::make_unique<T>()) {}
    box(T v) : p_(std::make_unique<T>(std::move(v))) {}
    box(box const& o) : p_(std::make_unique<T>(*o.p_)) {}
    box(box&&) noexcept = default;
    box& operator=(box const& o) { p_ = std::make_unique<T>(*o.p_); return *this; }
    box& operator=(box&& o) noexcept = default;
    ~box() = default;

    T& operator*() noexcept { return *p_; }
    T const& operator*() const noexcept { return *p_; }
    T* operator->() noexcept { return p_.get(); }
    T const* operator->() const noexcept { return p_.get(); }

    friend bool operator==(box const& a, box const& b) { return *a.p_ == *b.p_; }

private:
    // Never null: a moved-from box is only assigned to or destroyed.
    std::unique_ptr<T> p_;
};

} // namespace cleanroomsml

#endif
