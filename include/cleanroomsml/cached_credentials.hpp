#ifndef CLEANROOMSML_CACHED_CREDENTIALS_HPP
#define CLEANROOMSML_CACHED_CREDENTIALS_HPP

// A caching layer over any provider: fetches rarely, refreshes early,
// coalesces concurrent refreshes and rides out a failed refresh.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <functional>

namespace cleanroomsml {

struct cache_options {
    /// Credentials are refreshed this long before they expire.
    std::chrono::seconds refresh_before{300};

    /// Plus a random extra in [0, jitter], drawn once per credentials, so
    /// that many processes started together do not refresh together. 0 in
    /// tests.
    std::chrono::seconds jitter{60};

    /// After a failed refresh while the cached credentials are still valid,
    /// callers get the cached credentials and no new refresh is tried for
    /// this long (or until they expire, whichever comes first).
    std::chrono::seconds retry_after_failure{30};

    /// The wall clock compared with the expiration; empty:
    /// std::chrono::system_clock::now.
    std::function<std::chrono::system_clock::time_point()> clock{};
};

/// Wraps `inner` in a cache. For each fetch, under a mutex:
///
///  - credentials without an expiration, once obtained, are served forever;
///  - credentials are served from the cache until
///    `expiration - refresh_before - jitter`; if that point is already past
///    when they arrive (credentials that live shorter than refresh_before),
///    until halfway between their arrival and their expiration;
///  - after that, a fetch waits for a refresh of `inner`. All callers that
///    arrive while a refresh runs are queued behind that single fetch of
///    `inner` (coalescing) and completed with its result;
///  - a refresh that fails while the cached credentials have not expired yet
///    (now < expiration) completes the waiting callers with the cached
///    credentials, and the next refresh is tried no sooner than
///    `retry_after_failure` later; once they have expired the failure is
///    passed on to the callers (code and diagnostics of `inner`).
///
/// Thread-safe: it may be shared by many threads and used with a
/// multi-threaded io_context. Handlers are always invoked outside the lock,
/// through a post to their associated executor (default: the fetch's), which
/// is kept busy (outstanding work) while they wait.
CLEANROOMSML_DECL credentials_provider cached_credentials(credentials_provider inner, cache_options opts = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/cached_credentials.ipp>
#endif

#endif
