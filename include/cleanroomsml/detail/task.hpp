#ifndef CLEANROOMSML_DETAIL_TASK_HPP
#define CLEANROOMSML_DETAIL_TASK_HPP

// The coroutine type of the client's I/O driver. asio::awaitable and
// co_spawn cost, per call, a thread of awaitable frames, a type-erased
// executor per handler, work guards and several frames that Asio's
// two-slot frame cache cannot hold when many calls are in flight. The
// driver needs less: a task is started by the coroutine awaiting it and
// resumes that coroutine when it ends (symmetric transfer, no scheduler);
// an Asio operation is awaited through asio::deferred with a handler that
// resumes the coroutine, carrying the call's executor and cancellation
// slot; frames come from a per-thread cache.
//
//   task<error_code> step(op_context& io) {
//       auto [ec, n] = co_await io(socket.async_read_some(buf, asio::deferred));
//       co_return ec;
//   }
//   detached_task root(...) { op_context io(ex); ... co_await step(io); ... }
//
// Cancellation: op_context forwards terminal and partial cancellation
// from the caller's slot to the operation in progress and remembers it
// (cancelled()), as an awaitable with enable_partial_cancellation would.
// Everything runs on one executor (the client's serial one).

#include <cleanroomsml/detail/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/cancellation_type.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/system/system_error.hpp>

#include <coroutine>
#include <cstddef>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace cleanroomsml::detail {

namespace asio = boost::asio;

#if defined(__SANITIZE_ADDRESS__) && !defined(CLEANROOMSML_NO_FRAME_CACHE)
#define CLEANROOMSML_NO_FRAME_CACHE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) && !defined(CLEANROOMSML_NO_FRAME_CACHE)
#define CLEANROOMSML_NO_FRAME_CACHE 1
#endif
#endif

/// Recycles coroutine frames per thread, by size class. Under
/// AddressSanitizer frames go straight to the heap, so that a frame used
/// after its end is still reported.
class frame_cache {
public:
    static void* allocate(std::size_t n)
    {
#ifndef CLEANROOMSML_NO_FRAME_CACHE
        std::size_t const c = size_class(n);
        if (c < classes && !dead()) {
            auto& l = lists::local();
            if (node* p = l.head[c]) {
                l.head[c] = p->next;
                --l.count[c];
                return p;
            }
            return ::operator new(c * granule);
        }
#endif
        return ::operator new(n);
    }

    static void deallocate(void* p, [[maybe_unused]] std::size_t n) noexcept
    {
#ifndef CLEANROOMSML_NO_FRAME_CACHE
        std::size_t const c = size_class(n);
        if (c < classes && !dead()) {
            auto& l = lists::local();
            if (l.count[c] < kept) {
                l.head[c] = ::new (p) node{l.head[c]};
                ++l.count[c];
                return;
            }
        }
#endif
        ::operator delete(p);
    }

private:
    static constexpr std::size_t granule = 64;
    static constexpr std::size_t classes = 40;  // frames up to 2.5 KiB
    static constexpr std::size_t kept = 256;    // per class and thread
    struct node {
        node* next;
    };
    static std::size_t size_class(std::size_t n) noexcept { return (n + granule - 1) / granule; }

    // Set once the thread's lists are gone: frames freed later (by other
    // thread_local destructors) go back to the heap.
    static bool& dead() noexcept
    {
        thread_local bool d = false;
        return d;
    }
    struct lists {
        node* head[classes] = {};
        std::size_t count[classes] = {};
        static lists& local()
        {
            thread_local lists l;
            return l;
        }
        ~lists()
        {
            dead() = true;
            for (auto*& h : head)
                while (h) ::operator delete(std::exchange(h, h->next));
        }
    };
};

template <class T>
class task {
public:
    struct promise_type {
        std::coroutine_handle<> continuation;
        std::optional<T> value;
        std::exception_ptr error;

        task get_return_object() noexcept { return task(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept
            {
                return h.promise().continuation;
            }
            void await_resume() noexcept {}
        };
        final_awaiter final_suspend() noexcept { return {}; }
        template <class V>
        void return_value(V&& v)
        {
            value.emplace(std::forward<V>(v));
        }
        void unhandled_exception() noexcept { error = std::current_exception(); }

        static void* operator new(std::size_t n) { return frame_cache::allocate(n); }
        static void operator delete(void* p, std::size_t n) noexcept { frame_cache::deallocate(p, n); }
    };

    task(task&& other) noexcept : h_(std::exchange(other.h_, {})) {}
    task& operator=(task&&) = delete;
    ~task()
    {
        if (h_) h_.destroy();
    }

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiting) noexcept
    {
        h_.promise().continuation = awaiting;
        return h_;  // starts it; it resumes `awaiting` when it ends
    }
    T await_resume()
    {
        auto& p = h_.promise();
        if (p.error) std::rethrow_exception(p.error);
        return std::move(*p.value);
    }

private:
    explicit task(std::coroutine_handle<promise_type> h) noexcept : h_(h) {}
    std::coroutine_handle<promise_type> h_;
};

/// The executor and cancellation of one call, for the operations it awaits.
/// It lives in the call's root coroutine (detached_task), which it can
/// destroy: when Asio destroys a pending operation's handler without
/// running it (the io_context is destroyed), the whole call goes with it,
/// as an asio::awaitable's would.
class op_context {
public:
    explicit op_context(asio::any_io_executor ex) : ex_(std::move(ex)) {}
    op_context(op_context const&) = delete;
    op_context& operator=(op_context const&) = delete;
    ~op_context() { disconnect(); }

    asio::any_io_executor const& get_executor() const noexcept { return ex_; }

    /// Terminal or partial cancellation asked for so far.
    bool cancelled() const noexcept { return cancelled_ != asio::cancellation_type::none; }

    /// Whether any operation has suspended the call yet.
    bool suspended() const noexcept { return suspended_; }

    /// The root coroutine's frame, destroyed if the call is abandoned.
    void set_root(std::coroutine_handle<> root) noexcept { root_ = root; }

    /// Forwards cancellation from `slot` (the caller's) until disconnect().
    void connect(asio::cancellation_slot slot)
    {
        if (!slot.is_connected()) return;
        slot_ = slot;
        slot_.assign([this](asio::cancellation_type t) {
            t = t & (asio::cancellation_type::terminal | asio::cancellation_type::partial);
            if (t == asio::cancellation_type::none) return;
            cancelled_ = cancelled_ | t;
            signal_.emit(t);
        });
    }
    void disconnect() noexcept
    {
        if (slot_.is_connected()) slot_.clear();
        slot_ = {};
    }

    /// Awaits an operation started with asio::deferred; the result is the
    /// tuple of its completion arguments, e.g. tuple<error_code, size_t>.
    template <class... Ts, class Initiation, class... Args>
    auto operator()(asio::deferred_async_operation<void(Ts...), Initiation, Args...> op)
    {
        return awaiter<std::tuple<std::decay_t<Ts>...>, decltype(op)>(*this, std::move(op));
    }

private:
    template <class Result, class Op>
    class awaiter {
    public:
        awaiter(op_context& io, Op&& op) : io_(io), op_(std::move(op)) {}
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h)
        {
            io_.suspended_ = true;
            starting_ = true;  // a handler dropped by a throwing initiation abandons nothing
            std::move(op_)(handler(this, h));
            starting_ = false;
        }
        Result await_resume() { return std::move(*result_); }

    private:
        class handler {
        public:
            handler(awaiter* self, std::coroutine_handle<> h) noexcept : self_(self), h_(h) {}
            handler(handler&& o) noexcept : self_(std::exchange(o.self_, nullptr)), h_(o.h_) {}
            handler& operator=(handler&&) = delete;
            ~handler()
            {
                // Destroyed without having run: the operation was dropped.
                if (self_ && !self_->starting_) {
                    if (auto root = self_->io_.root_) root.destroy();
                }
            }

            using executor_type = asio::any_io_executor;
            executor_type get_executor() const noexcept { return self_->io_.ex_; }
            using cancellation_slot_type = asio::cancellation_slot;
            cancellation_slot_type get_cancellation_slot() const noexcept
            {
                return self_->io_.signal_.slot();
            }

            template <class... Vs>
            void operator()(Vs&&... vs)
            {
                auto* const self = std::exchange(self_, nullptr);
                self->result_.emplace(std::forward<Vs>(vs)...);
                h_.resume();
            }

        private:
            awaiter* self_;
            std::coroutine_handle<> h_;
        };

        op_context& io_;
        Op op_;
        std::optional<Result> result_;
        bool starting_ = false;
    };

    asio::any_io_executor ex_;
    asio::cancellation_signal signal_;
    asio::cancellation_slot slot_;
    asio::cancellation_type cancelled_ = asio::cancellation_type::none;
    std::coroutine_handle<> root_;
    bool suspended_ = false;
};

/// co_await current_coroutine{} gives the awaiting coroutine's own handle.
struct current_coroutine {
    current_coroutine() noexcept {}  // not an aggregate: see the GCC 12 note in the README
    std::coroutine_handle<> h;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> self) noexcept
    {
        h = self;
        return false;  // carries on at once
    }
    std::coroutine_handle<> await_resume() const noexcept { return h; }
};

/// What a root coroutine reports for an exception its body let out, so that
/// nothing is lost silently: a system_error's own code, not_enough_memory
/// for bad_alloc, io_error for anything else; `message` gets what() or a
/// fixed text.
inline boost::system::error_code error_from_exception(std::exception_ptr const& x, std::string& message)
{
    using boost::system::errc::make_error_code;
    try {
        std::rethrow_exception(x);
    } catch (boost::system::system_error const& e) {
        message = e.what();
        return e.code();
    } catch (std::bad_alloc const&) {
        message = "out of memory";
        return make_error_code(boost::system::errc::not_enough_memory);
    } catch (std::exception const& e) {
        message = e.what();
    } catch (...) {
        message = "an unknown exception";
    }
    return make_error_code(boost::system::errc::io_error);
}

/// A coroutine that starts at once and frees itself at its end: the root
/// of a call, which catches everything its body can throw.
struct detached_task {
    struct promise_type {
        detached_task get_return_object() noexcept { return {}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_never final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }

        static void* operator new(std::size_t n) { return frame_cache::allocate(n); }
        static void operator delete(void* p, std::size_t n) noexcept { frame_cache::deallocate(p, n); }
    };
};

} // namespace cleanroomsml::detail

#endif
