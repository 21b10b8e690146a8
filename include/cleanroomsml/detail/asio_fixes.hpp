#ifndef CLEANROOMSML_DETAIL_ASIO_FIXES_HPP
#define CLEANROOMSML_DETAIL_ASIO_FIXES_HPP

// Asio 1.26 (Boost 1.81) cannot co_await, inside an asio::awaitable, an
// async operation whose signature is `void(std::exception_ptr, T)`: its
// awaitable_async_op_handler for that signature tests `*result` (a struct)
// instead of the stored exception, so it does not compile. That is exactly
// what `co_await client.async_x(req)` is with the default token
// (with_diagnostics(deferred)). This more specialized version, for `void`
// results, is what the broken one meant. Since the original never compiles,
// no other translation unit can hold a conflicting instantiation.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/version.hpp>

#if BOOST_ASIO_VERSION == 102600

#include <exception>
#include <utility>

namespace boost::asio::detail {

template <typename T, typename Executor>
class awaitable_async_op_handler<void(std::exception_ptr, T), Executor> : public awaitable_thread<Executor> {
public:
    struct result_type {
        std::exception_ptr* ex_;
        T* value_;
    };

    awaitable_async_op_handler(awaitable_thread<Executor>* h, result_type& result)
        : awaitable_thread<Executor>(std::move(*h)), result_(result)
    {
    }

    void operator()(std::exception_ptr ex, T value)
    {
        result_.ex_ = &ex;
        result_.value_ = &value;
        this->entry_point()->top_of_stack_->attach_thread(this);
        this->entry_point()->top_of_stack_->clear_cancellation_slot();
        this->pump();
    }

    static T resume(result_type& result)
    {
        if (*result.ex_) std::rethrow_exception(std::exchange(*result.ex_, nullptr));
        return std::move(*result.value_);
    }

private:
    result_type& result_;
};

} // namespace boost::asio::detail

#endif

#endif
