#ifndef CLEANROOMSML_BENCH_ALLOC_COUNTER_HPP
#define CLEANROOMSML_BENCH_ALLOC_COUNTER_HPP

// Counts every global operator new in the benchmark binary, so figures can
// report allocations per call. With CLEANROOMSML_BENCH_COUNT_LIVE defined
// first it also counts the blocks still live, so a run can show that memory
// goes back to where it was; that costs an atomic per delete, which the
// throughput figures should not carry. Include in exactly one TU of a benchmark.

#include <atomic>
#include <cstdlib>
#include <new>

namespace bench {
inline std::atomic<unsigned long long> allocations{0};
#ifdef CLEANROOMSML_BENCH_COUNT_LIVE
inline std::atomic<long long> live{0};
#endif

inline void note_new() noexcept
{
    allocations.fetch_add(1, std::memory_order_relaxed);
#ifdef CLEANROOMSML_BENCH_COUNT_LIVE
    live.fetch_add(1, std::memory_order_relaxed);
#endif
}
inline void note_delete([[maybe_unused]] void* p) noexcept
{
#ifdef CLEANROOMSML_BENCH_COUNT_LIVE
    if (p) live.fetch_sub(1, std::memory_order_relaxed);
#endif
}
} // namespace bench

void* operator new(std::size_t n)
{
    if (void* p = std::malloc(n ? n : 1)) {
        bench::note_new();
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept
{
    bench::note_delete(p);
    std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

#endif
