#ifndef CLEANROOMSML_PROCESS_CREDENTIALS_HPP
#define CLEANROOMSML_PROCESS_CREDENTIALS_HPP

// Credentials printed by an external command (`credential_process` in the
// shared config file), with the AWS SDKs' output format:
//
//   {"Version": 1, "AccessKeyId": "...", "SecretAccessKey": "...",
//    "SessionToken": "...", "Expiration": "2030-01-01T00:00:00Z", "AccountId": "..."}
//
// SessionToken, Expiration (RFC 3339; absent: the credentials never expire)
// and AccountId are optional. POSIX only.

#include <cleanroomsml/credentials_provider.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace cleanroomsml {

struct process_options {
    /// How long the command may run, from its start until it has exited and
    /// closed its output. 60 s leaves room for commands that prompt for MFA
    /// or open a browser for single sign-on, and still never hangs a fetch.
    /// When it expires the command's whole process group gets SIGKILL and the
    /// fetch fails with client_errc::operation_timeout.
    std::chrono::milliseconds timeout = std::chrono::seconds(60);

    /// Most bytes accepted on stdout (the AWS SDKs' 64 KiB). More: the
    /// process group gets SIGKILL and the fetch fails with
    /// client_errc::response_too_large.
    std::size_t max_output = 64 * 1024;
};

/// Runs `/bin/sh -c command` at each fetch (no caching: wrap it in
/// cached_credentials()) without blocking a thread:
///
///  - the child is started with posix_spawn in a process group of its own,
///    with stdin on /dev/null, the caller's environment, an empty signal mask
///    and default dispositions for the signals a parent often ignores
///    (SIGPIPE, SIGCHLD, ...);
///  - stdout and stderr are read through asio::posix::stream_descriptor on a
///    strand of the fetch's executor;
///  - after both reach end of file, the exit status is collected with
///    waitpid(WNOHANG), retried on a timer (1 ms, doubling up to 50 ms). No
///    SIGCHLD handler is installed. If the program has set SIGCHLD to
///    SIG_IGN the kernel reaps the child itself; the exit status is then
///    unknown and the output is judged alone.
///
/// Errors (the diagnostics name the command's first word only, as the rest
/// of the command line may carry secrets, and never quote stdout):
///  - empty command: client_errc::invalid_configuration;
///  - the shell cannot be started: the posix_spawn error (system category);
///  - time limit: client_errc::operation_timeout (diagnostics timeout
///    "operation");
///  - too much output: client_errc::response_too_large;
///  - non-zero exit or death by a signal: boost::system::errc::io_error, the
///    diagnostics giving the exit code or signal and the first lines of
///    stderr;
///  - output that is not JSON, not an object, without `"Version": 1`, without
///    a non-empty AccessKeyId or SecretAccessKey, or with a malformed
///    Expiration: client_errc::unparsable_response.
/// The provider never reports missing_credentials: a configured command
/// that fails stops a chain.
CLEANROOMSML_DECL credentials_provider process_credentials(std::string command, process_options opts = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/process_credentials.ipp>
#endif

#endif
