#ifndef CLEANROOMSML_BENCH_ALLOC_COUNTER_HPP
#define CLEANROOMSML_BENCH_ALLOC_COUNTER_HPP

// Counts every global operator new in the benchmark binary, so figures can
// report allocations per call, and the blocks still live, so a run can show
// that memory goes back to where it was. Include in exactly one TU of a benchmark.

#include <atomic>
#include <cstdlib>
#include <new>

namespace bench {
inline std::atomic<unsigned long long> allocations{0};
inline std::atomic<long long> live{0};
}

void* operator new(std::size_t n)
{
    bench::allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(n ? n : 1)) {
        bench::live.fetch_add(1, std::memory_order_relaxed);
        return p;
    }
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept
{
    if (p) bench::live.fetch_sub(1, std::memory_order_relaxed);
    std::free(p);
}
void operator delete[](void* p) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void operator delete[](void* p, std::size_t) noexcept { operator delete(p); }

#endif
