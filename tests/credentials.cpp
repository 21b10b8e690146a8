// Credential providers: environment, credential_process (real child
// processes), shared profile files, the cache and the chains. No network:
// nothing here reaches a provider that would open a socket.

#include <cleanroomsml/cached_credentials.hpp>
#include <cleanroomsml/credentials_chain.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/process_credentials.hpp>
#include <cleanroomsml/profile_credentials.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/test/unit_test.hpp>

#include "support/environment.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using cleanroomsml::cache_options;
using cleanroomsml::client_errc;
using creds_t = cleanroomsml::credentials;  // the suite is named `credentials`
using cleanroomsml::credentials_provider;
using cleanroomsml::credentials_source;
using cleanroomsml::diagnostics;
using cleanroomsml::error_code;
using cleanroomsml::process_options;
using cleanroomsml::profile_options;
using sys_clock = std::chrono::system_clock;

// Secret values used by every failure path below: no diagnostics may show them.
constexpr char secret_key[] = "wJalrXUtnFEMIsecretKEYexample4711";
constexpr char secret_token[] = "FwoGZXIvYXdzEXAMPLEsessionTOKEN0815";

void check_no_secrets(diagnostics const& d)
{
    std::string const all = d.to_string() + "|" + d.message + "|" + d.error_type + "|" + d.path;
    BOOST_TEST(all.find(secret_key) == std::string::npos, "secret key in diagnostics: " << d.message);
    BOOST_TEST(all.find(secret_token) == std::string::npos, "session token in diagnostics: " << d.message);
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

error_code code(client_errc e) { return e; }

using test_support::scoped_env;
using test_support::temp_dir;

struct fetch_result {
    bool done = false;
    bool inline_call = true;
    bool on_io_thread = false;
    error_code ec;
    creds_t creds;
    diagnostics diag;
    std::chrono::steady_clock::duration elapsed{};
};

// One fetch on an io_context run by a thread of its own. The initiating call
// is made on that thread and a flag is set when it returns, so a handler
// invoked from inside it is seen as inline.
fetch_result fetch(credentials_provider const& p, std::chrono::seconds limit = 20s)
{
    asio::io_context ioc;
    auto guard = asio::make_work_guard(ioc);
    fetch_result r;
    std::promise<void> done;
    std::thread::id io_thread;
    bool initiated = false;
    auto const start = std::chrono::steady_clock::now();
    asio::post(ioc, [&] {
        io_thread = std::this_thread::get_id();
        p.async_get_credentials(ioc.get_executor(), r.diag, [&](error_code ec, creds_t c) {
            r.inline_call = !initiated;
            r.on_io_thread = std::this_thread::get_id() == io_thread;
            r.ec = ec;
            r.creds = std::move(c);
            r.elapsed = std::chrono::steady_clock::now() - start;
            r.done = true;
            done.set_value();
        });
        initiated = true;
    });
    std::thread t([&] { ioc.run(); });
    bool const finished = done.get_future().wait_for(limit) == std::future_status::ready;
    guard.reset();
    ioc.stop();
    t.join();
    BOOST_TEST_REQUIRE(finished, "the fetch did not complete within " << limit.count() << " s");
    BOOST_TEST(!r.inline_call, "the handler ran inside the initiating call");
    BOOST_TEST(r.on_io_thread, "the handler did not run on the io_context's thread");
    if (r.ec) {
        BOOST_TEST_MESSAGE(r.ec.message() << ": " << r.diag.message);
        check_no_secrets(r.diag);
    }
    return r;
}

std::string process_json(std::string_view extra = {})
{
    return std::string(R"({"Version": 1, "AccessKeyId": "AKIDPROCESS", "SecretAccessKey": ")") + secret_key + "\"" +
           std::string(extra) + "}";
}

// printf-able single-quoted shell text
std::string sh_quote(std::string_view s)
{
    std::string r = "'";
    for (char c : s) {
        if (c == '\'')
            r += "'\\''";
        else
            r += c;
    }
    return r + "'";
}

std::string echo(std::string_view s) { return "printf '%s\\n' " + sh_quote(s); }

sys_clock::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0)
{
    using namespace std::chrono;
    return sys_days(year(y) / month(mo) / day(d)) + hours(h) + minutes(mi) + seconds(s);
}

// ---------------------------------------------------------------------------
// Test sources for the cache and the chain.

struct fake_result {
    error_code ec;
    creds_t creds;
    std::string message;
};

class fake_source final : public credentials_source {
public:
    fake_source(std::string name, std::function<fake_result()> next, std::chrono::milliseconds delay = 0ms)
        : name_(std::move(name)), next_(std::move(next)), delay_(delay)
    {
    }

    std::string_view name() const noexcept override { return name_; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        ++calls;
        fake_result r = next_();
        auto timer = std::make_shared<asio::steady_timer>(ex, delay_);
        timer->async_wait([timer, diag, r = std::move(r), h = std::move(handler)](error_code) mutable {
            if (r.ec && diag) diag->message = r.message;
            std::move(h)(r.ec, r.ec ? creds_t{} : std::move(r.creds));
        });
    }

    std::atomic<int> calls{0};

private:
    std::string name_;
    std::function<fake_result()> next_;
    std::chrono::milliseconds delay_;
};

creds_t creds_of(std::string id, std::optional<sys_clock::time_point> exp = std::nullopt)
{
    creds_t c;
    c.access_key_id = std::move(id);
    c.secret_access_key = secret_key;
    c.session_token = secret_token;
    c.expiration = exp;
    return c;
}

fake_result ok(std::string id, std::optional<sys_clock::time_point> exp = std::nullopt)
{
    return {error_code(), creds_of(std::move(id), exp), {}};
}

fake_result missing(std::string message) { return {code(client_errc::missing_credentials), {}, std::move(message)}; }

fake_result failure(std::string message)
{
    return {boost::system::errc::make_error_code(boost::system::errc::io_error), {}, std::move(message)};
}

// A settable wall clock for the cache.
struct test_clock {
    std::shared_ptr<std::atomic<std::int64_t>> ns = std::make_shared<std::atomic<std::int64_t>>(0);

    void set(sys_clock::time_point t) const
    {
        *ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    }
    std::function<sys_clock::time_point()> fn() const
    {
        return [n = ns] {
            return sys_clock::time_point(std::chrono::duration_cast<sys_clock::duration>(std::chrono::nanoseconds(n->load())));
        };
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(credentials)

// ---------------------------------------------------------------------------
// Environment

BOOST_AUTO_TEST_CASE(environment_all_variables)
{
    scoped_env env;
    auto const p = cleanroomsml::environment_credentials();  // made before the variables are set
    BOOST_TEST(p.name() == "environment");
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    env.set("AWS_SESSION_TOKEN", secret_token);
    env.set("AWS_CREDENTIAL_EXPIRATION", "2030-01-02T03:04:05Z");
    env.set("AWS_ACCOUNT_ID", "123456789012");
    auto r = fetch(p);
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.creds.access_key_id == "AKIDENV");
    BOOST_TEST(r.creds.secret_access_key == secret_key);
    BOOST_TEST(r.creds.session_token == secret_token);
    BOOST_TEST_REQUIRE(r.creds.expiration.has_value());
    BOOST_TEST((*r.creds.expiration == utc(2030, 1, 2, 3, 4, 5)));
    BOOST_TEST(r.creds.account_id.value_or("") == "123456789012");
}

BOOST_AUTO_TEST_CASE(environment_keys_only)
{
    scoped_env env;
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    env.set("AWS_SESSION_TOKEN", "");  // empty counts as unset
    auto r = fetch(cleanroomsml::environment_credentials());
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.creds.session_token.empty());
    BOOST_TEST(!r.creds.expiration.has_value());
    BOOST_TEST(!r.creds.account_id.has_value());
}

BOOST_AUTO_TEST_CASE(environment_none_is_missing)
{
    scoped_env env;
    auto r = fetch(cleanroomsml::environment_credentials());
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(contains(r.diag.message, "AWS_ACCESS_KEY_ID"));
}

BOOST_AUTO_TEST_CASE(environment_half_a_pair_is_an_error)
{
    scoped_env env;
    env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    env.set("AWS_SESSION_TOKEN", secret_token);
    auto r = fetch(cleanroomsml::environment_credentials());
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "AWS_ACCESS_KEY_ID is not"), r.diag.message);

    env.unset("AWS_SECRET_ACCESS_KEY");
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    r = fetch(cleanroomsml::environment_credentials());
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "AWS_SECRET_ACCESS_KEY is not"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(environment_bad_expiration)
{
    scoped_env env;
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    env.set("AWS_CREDENTIAL_EXPIRATION", "tomorrow");
    auto r = fetch(cleanroomsml::environment_credentials());
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "AWS_CREDENTIAL_EXPIRATION"));
}

// ---------------------------------------------------------------------------
// credential_process, with real child processes

BOOST_AUTO_TEST_CASE(process_with_expiration)
{
    temp_dir dir;
    std::string const cmd = dir.script(
        "valid.sh", echo(process_json(std::string(R"(, "SessionToken": ")") + secret_token +
                                      R"(", "Expiration": "2030-01-02T03:04:05Z", "AccountId": "123456789012")")));
    auto const p = cleanroomsml::process_credentials(cmd, process_options{.timeout = 10s});
    BOOST_TEST(p.name() == "process");
    auto r = fetch(p);
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDPROCESS");
    BOOST_TEST(r.creds.secret_access_key == secret_key);
    BOOST_TEST(r.creds.session_token == secret_token);
    BOOST_TEST_REQUIRE(r.creds.expiration.has_value());
    BOOST_TEST((*r.creds.expiration == utc(2030, 1, 2, 3, 4, 5)));
    BOOST_TEST(r.creds.account_id.value_or("") == "123456789012");
}

BOOST_AUTO_TEST_CASE(process_without_expiration)
{
    temp_dir dir;
    // Arguments pass through /bin/sh -c; noise on stderr does not matter.
    std::string const cmd =
        dir.script("valid.sh", "echo 'just a warning' >&2\n" + echo(process_json())) + " ignored-argument";
    auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 10s}));
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDPROCESS");
    BOOST_TEST(r.creds.session_token.empty());
    BOOST_TEST(!r.creds.expiration.has_value());
    BOOST_TEST(!r.creds.account_id.has_value());
}

BOOST_AUTO_TEST_CASE(process_nonzero_exit_quotes_stderr_not_stdout)
{
    temp_dir dir;
    std::string const cmd = dir.script("exit3.sh", echo(process_json()) +
                                                       "\necho 'boom: access denied' >&2\n"
                                                       "echo 'second line' >&2\nexit 3");
    auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 10s}));
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(contains(r.diag.message, "exited with code 3"), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "boom: access denied"), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "second line"), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "exit3.sh"), r.diag.message);
    BOOST_TEST(!contains(r.diag.message, "AKIDPROCESS"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(process_command_not_found)
{
    temp_dir dir;
    auto r = fetch(cleanroomsml::process_credentials((dir.path() / "no-such-program").string() + " --token " +
                                                         secret_token,
                                                     process_options{.timeout = 10s}));
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(contains(r.diag.message, "exited with code 127"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(process_killed_by_signal)
{
    // The shell that runs the command kills itself.
    auto r = fetch(cleanroomsml::process_credentials("kill -9 $$", process_options{.timeout = 10s}));
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(contains(r.diag.message, "killed by signal 9"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(process_bad_output)
{
    temp_dir dir;
    struct bad_case {
        char const* name;
        std::string output;
        char const* expected;
    };
    std::string const truncated = process_json();
    bad_case const cases[] = {
        {"bad_json.sh", truncated.substr(0, truncated.size() - 1), "not valid JSON"},
        {"version2.sh", R"({"Version": 2, "AccessKeyId": "AKID", "SecretAccessKey": ")" + std::string(secret_key) + "\"}",
         "\"Version\": 2, only 1 is supported"},
        {"no_version.sh", R"({"AccessKeyId": "AKID", "SecretAccessKey": ")" + std::string(secret_key) + "\"}",
         "no \"Version\""},
        {"string_version.sh",
         R"({"Version": "1", "AccessKeyId": "AKID", "SecretAccessKey": ")" + std::string(secret_key) + "\"}",
         "\"Version\" is not the number 1"},
        {"no_key_id.sh", R"({"Version": 1, "SecretAccessKey": ")" + std::string(secret_key) + "\"}",
         "no \"AccessKeyId\""},
        {"no_secret.sh", R"({"Version": 1, "AccessKeyId": "AKID", "SessionToken": ")" + std::string(secret_token) + "\"}",
         "no \"SecretAccessKey\""},
        {"bad_expiration.sh", process_json(R"(, "Expiration": "next tuesday")"), "\"Expiration\" is not an RFC 3339"},
        {"array.sh", "[1, 2]", "not a JSON object"},
        {"nothing.sh", "", "wrote nothing"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.name)
        {
            std::string const cmd = dir.script(c.name, c.output.empty() ? std::string("true") : echo(c.output));
            auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 10s}));
            BOOST_TEST(r.ec == code(client_errc::unparsable_response));
            BOOST_TEST(contains(r.diag.message, c.expected), r.diag.message);
        }
    }
}

BOOST_AUTO_TEST_CASE(process_time_limit_kills_the_process_group)
{
    temp_dir dir;
    std::string const pid_file = (dir.path() / "sleep.pid").string();
    std::string const cmd =
        dir.script("sleep.sh", echo(process_json()) + "\nsleep 30 &\necho $! > " + pid_file + "\nwait");
    auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 300ms}));
    BOOST_TEST(r.ec == code(client_errc::operation_timeout));
    BOOST_TEST(r.diag.timeout == "operation");
    BOOST_TEST(contains(r.diag.message, "300 ms"), r.diag.message);
    BOOST_TEST((r.elapsed >= 250ms));
    BOOST_TEST((r.elapsed < 5s));

    // The background `sleep` (same process group) was killed too.
    std::ifstream f(pid_file);
    pid_t sleeper = 0;
    f >> sleeper;
    BOOST_TEST_REQUIRE(sleeper > 0);
    bool gone = false;
    for (int i = 0; i < 200 && !gone; ++i) {
        if (::kill(sleeper, 0) != 0) {
            gone = true;
            break;
        }
        // A zombie waiting for a reaper that may never come (no init in a container) is dead enough.
        std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
        std::string pid, comm, state;
        stat >> pid >> comm >> state;
        if (state == "Z" || state == "X") gone = true;
        else std::this_thread::sleep_for(10ms);
    }
    BOOST_TEST(gone, "the child's background process survived");
}

BOOST_AUTO_TEST_CASE(process_abandoned_fetch_kills_and_reaps_the_child)
{
    temp_dir dir;
    std::string const pid_file = (dir.path() / "sh.pid").string();
    auto const p = cleanroomsml::process_credentials("echo $$ > " + pid_file + "; sleep 30",
                                                     process_options{.timeout = 60s});
    bool called = false;
    pid_t shell = 0;
    {
        asio::io_context ioc;
        p.async_get_credentials(ioc.get_executor(), [&](error_code, creds_t) { called = true; });
        for (int i = 0; i < 500 && shell <= 0; ++i) {
            ioc.run_for(10ms);
            std::ifstream f(pid_file);
            f >> shell;
        }
        BOOST_TEST_REQUIRE(shell > 0);
    }  // the io_context goes away with the fetch pending
    BOOST_TEST(!called);
    errno = 0;
    BOOST_TEST(::kill(shell, 0) == -1);  // not running, not a zombie: reaped
    BOOST_TEST(errno == ESRCH);
}

BOOST_AUTO_TEST_CASE(process_output_limit)
{
    temp_dir dir;
    std::string const cmd = dir.script("big.sh", echo(process_json()) + "\nhead -c 1048576 /dev/zero | tr '\\0' a");
    auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 20s}));
    BOOST_TEST(r.ec == code(client_errc::response_too_large));
    BOOST_TEST(contains(r.diag.message, "65536 bytes"), r.diag.message);
    BOOST_TEST((r.elapsed < 10s));
}

BOOST_AUTO_TEST_CASE(process_large_stderr_is_drained)
{
    temp_dir dir;
    std::string const cmd =
        dir.script("chatty.sh", "head -c 1048576 /dev/zero | tr '\\0' e >&2\n" + echo(process_json()));
    auto r = fetch(cleanroomsml::process_credentials(cmd, process_options{.timeout = 20s}));
    BOOST_TEST(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDPROCESS");
}

BOOST_AUTO_TEST_CASE(process_empty_command)
{
    auto r = fetch(cleanroomsml::process_credentials("  "));
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
}

BOOST_AUTO_TEST_CASE(process_concurrent_on_a_multithreaded_io_context)
{
    temp_dir dir;
    std::string const cmd = dir.script("valid.sh", "sleep 0.05\n" + echo(process_json()));
    auto const p = cleanroomsml::process_credentials(cmd, process_options{.timeout = 20s});
    asio::io_context ioc;
    std::atomic<int> ok_count{0}, done_count{0};
    std::mutex m;
    std::set<std::thread::id> handler_threads;
    for (int i = 0; i < 8; ++i)
        p.async_get_credentials(ioc.get_executor(), [&](error_code ec, creds_t c) {
            if (!ec && c.access_key_id == "AKIDPROCESS") ++ok_count;
            std::lock_guard lock(m);
            handler_threads.insert(std::this_thread::get_id());
            ++done_count;
        });
    std::thread a([&] { ioc.run_for(20s); });
    std::thread b([&] { ioc.run_for(20s); });
    a.join();
    b.join();
    BOOST_TEST(done_count.load() == 8);
    BOOST_TEST(ok_count.load() == 8);
    BOOST_TEST(handler_threads.count(std::this_thread::get_id()) == 0u);
}

// ---------------------------------------------------------------------------
// Shared profile files

namespace {

struct profile_files {
    scoped_env env;
    temp_dir dir;
    std::string config_path = (dir.path() / "config").string();
    std::string credentials_path = (dir.path() / "credentials").string();

    profile_files(std::string_view config, std::string_view creds)
    {
        if (!config.empty()) dir.write("config", config);
        if (!creds.empty()) dir.write("credentials", creds);
        env.set("AWS_CONFIG_FILE", config_path);
        env.set("AWS_SHARED_CREDENTIALS_FILE", credentials_path);
    }
};

fetch_result fetch_profile(std::string profile = {})
{
    return fetch(cleanroomsml::profile_credentials(profile_options{.profile = std::move(profile)}));
}

} // namespace

// Like the AWS SDKs and CLI, a world-readable credentials file is read as
// it is, without a warning: the library writes nothing to stdout or stderr,
// and the fetch succeeds with empty diagnostics.
BOOST_AUTO_TEST_CASE(profile_files_with_loose_permissions_are_read)
{
    profile_files f("", std::string("[default]\naws_access_key_id = AKIDLOOSE\naws_secret_access_key = ") + secret_key +
                            "\n");
    std::filesystem::permissions(f.credentials_path, std::filesystem::perms::all);
    auto r = fetch_profile();
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDLOOSE");
    BOOST_TEST(r.diag.message.empty());
}

BOOST_AUTO_TEST_CASE(profile_static_keys_in_credentials_file)
{
    profile_files f("[default]\nregion = us-east-1\n",
                    std::string("[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = ") + secret_key +
                        "\naws_session_token = " + secret_token + "\naws_account_id = 123456789012\n");
    auto r = fetch_profile();
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDDEFAULT");
    BOOST_TEST(r.creds.secret_access_key == secret_key);
    BOOST_TEST(r.creds.session_token == secret_token);
    BOOST_TEST(r.creds.account_id.value_or("") == "123456789012");
}

BOOST_AUTO_TEST_CASE(profile_static_keys_in_config_file_and_selection)
{
    profile_files f(std::string("[profile cfg]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = ") +
                        secret_key + "\n[profile other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n",
                    std::string("[other]\naws_access_key_id = AKIDOTHERCREDS\n"));
    auto r = fetch_profile("cfg");
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDCONFIG");

    f.env.set("AWS_PROFILE", "cfg");  // read at fetch time
    r = fetch_profile();
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDCONFIG");

    // The credentials file wins over the config file for the same profile.
    r = fetch_profile("other");
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDOTHERCREDS");
}

BOOST_AUTO_TEST_CASE(profile_credential_process)
{
    temp_dir scripts;
    std::string const good = scripts.script("good.sh", echo(process_json(R"(, "Expiration": "2031-05-06T07:08:09Z")")));
    std::string const bad = scripts.script("bad.sh", echo(process_json()) + "\necho 'no session' >&2\nexit 2");
    profile_files f("[profile proc]\ncredential_process = " + good + "\n[profile procfail]\ncredential_process = " +
                        bad + " --secret " + secret_key + "\n",
                    "");
    auto r = fetch_profile("proc");
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDPROCESS");
    BOOST_TEST_REQUIRE(r.creds.expiration.has_value());
    BOOST_TEST((*r.creds.expiration == utc(2031, 5, 6, 7, 8, 9)));

    r = fetch_profile("procfail");
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(contains(r.diag.message, "profile 'procfail': "), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "exited with code 2: no session"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(profile_source_profile_cycle)
{
    profile_files f("[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
                    "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = c\n"
                    "[profile c]\nrole_arn = arn:aws:iam::123456789012:role/c\nsource_profile = a\n"
                    "[profile d]\nrole_arn = arn:aws:iam::123456789012:role/d\nsource_profile = b\n",
                    std::string("[unrelated]\naws_access_key_id = AKID\naws_secret_access_key = ") + secret_key + "\n");
    auto r = fetch_profile("a");
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "source_profile cycle: a -> b -> c -> a"), r.diag.message);

    r = fetch_profile("d");
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "source_profile cycle: b -> c -> a -> b"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(profile_missing_or_empty_is_missing)
{
    profile_files f("[profile regional]\nregion = eu-west-1\n", "");
    auto r = fetch_profile("nope");
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(contains(r.diag.message, "'nope'"), r.diag.message);

    r = fetch_profile("regional");
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(contains(r.diag.message, "has no credentials"), r.diag.message);

    // Neither file exists: the default profile is missing.
    f.env.set("AWS_CONFIG_FILE", (f.dir.path() / "absent-config").string());
    f.env.set("AWS_SHARED_CREDENTIALS_FILE", (f.dir.path() / "absent-credentials").string());
    r = fetch_profile();
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
}

BOOST_AUTO_TEST_CASE(profile_bad_ini_names_file_and_line)
{
    profile_files f("[default]\nregion = us-east-1\naws_secret_access_key " + std::string(secret_key) + "\n",
                    std::string("[default]\naws_access_key_id = AKID\naws_secret_access_key = ") + secret_key + "\n");
    auto r = fetch_profile();
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, f.config_path + ":3"), r.diag.message);

    profile_files g("", "[default\naws_access_key_id = AKID\n");
    r = fetch_profile();
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, g.credentials_path + ":1"), r.diag.message);
}

BOOST_AUTO_TEST_CASE(profile_inconsistent_settings)
{
    std::string const s(secret_key);
    profile_files f("[profile half]\naws_secret_access_key = " + s + "\naws_session_token = " + secret_token +
                        "\n"
                        "[profile halfid]\naws_access_key_id = AKID\n"
                        "[profile norole]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                        "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = half\n"
                        "credential_source = Environment\n"
                        "[profile dangling]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = ghost\n"
                        "[profile badsource]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Moon\n"
                        "[profile badduration]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                        "credential_source = Environment\nduration_seconds = 12h\n"
                        "[profile tokenonly]\nweb_identity_token_file = /tmp/token\n"
                        "[profile emptysource]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = regional\n"
                        "[profile regional]\nregion = eu-west-1\n"
                        "[profile halfsource]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = half\n"
                        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = dev\n",
                    "");
    struct expectation {
        char const* profile;
        error_code ec;
        char const* text;
    };
    expectation const cases[] = {
        {"half", client_errc::invalid_configuration, "has aws_secret_access_key but no aws_access_key_id"},
        {"halfid", client_errc::invalid_configuration, "has aws_access_key_id but no aws_secret_access_key"},
        {"norole", client_errc::invalid_configuration, "has role_arn but no source_profile"},
        {"both", client_errc::invalid_configuration, "both source_profile and credential_source"},
        {"dangling", client_errc::invalid_configuration, "'ghost', which does not exist"},
        {"badsource", client_errc::invalid_configuration, "credential_source 'Moon'"},
        {"badduration", client_errc::invalid_configuration, "duration_seconds '12h'"},
        {"tokenonly", client_errc::invalid_configuration, "web_identity_token_file but no role_arn"},
        {"emptysource", client_errc::invalid_configuration, "source profile 'regional' (of profile 'emptysource')"},
        {"halfsource", client_errc::invalid_configuration, "has aws_secret_access_key but no aws_access_key_id"},
        // IAM Identity Center settings are checked as botocore checks them.
        {"sso", client_errc::invalid_configuration, "The specified sso-session does not exist: \"corp\""},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT(c.profile)
        {
            auto r = fetch_profile(c.profile);
            BOOST_TEST(r.ec == c.ec);
            BOOST_TEST(contains(r.diag.message, c.text), r.diag.message);
        }
    }
}

BOOST_AUTO_TEST_CASE(profile_credential_source_environment_missing_stops)
{
    // The role's base credentials are explicitly the environment's: their
    // absence is an error, not "try the next source".
    profile_files f("[profile envrole]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Environment\n",
                    "");
    auto r = fetch_profile("envrole");
    BOOST_TEST(r.ec != code(client_errc::missing_credentials));
    BOOST_TEST(!!r.ec);
    BOOST_TEST(contains(r.diag.message, "profile 'envrole': "), r.diag.message);
}

// ---------------------------------------------------------------------------
// Cache

namespace {

// Runs one fetch through `p` on a fresh io_context; `clock` must be set before.
fetch_result fetch_at(credentials_provider const& p, test_clock const& clock, sys_clock::time_point t)
{
    clock.set(t);
    return fetch(p);
}

} // namespace

BOOST_AUTO_TEST_CASE(cache_without_expiration_is_forever)
{
    test_clock clock;
    auto inner = std::make_shared<fake_source>("fake", [] { return ok("AKIDFOREVER"); });
    auto const p = cleanroomsml::cached_credentials(credentials_provider(inner),
                                                     cache_options{.jitter = 0s, .clock = clock.fn()});
    auto const t0 = utc(2030, 1, 1);
    BOOST_TEST(fetch_at(p, clock, t0).creds.access_key_id == "AKIDFOREVER");
    BOOST_TEST(fetch_at(p, clock, t0 + 24h).creds.access_key_id == "AKIDFOREVER");
    BOOST_TEST(fetch_at(p, clock, t0 + 24h * 3650).creds.access_key_id == "AKIDFOREVER");
    BOOST_TEST(inner->calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(current_credentials_skip_the_fetch_only_while_fresh)
{
    // current() is the client's fast path: the cached keys without a fetch,
    // but never ones that are missing or due for a refresh.
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    auto inner = std::make_shared<fake_source>("fake", [&] { return ok("AKIDNOW", t0 + 1h); });
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner), cache_options{.refresh_before = 300s, .jitter = 0s, .clock = clock.fn()});
    clock.set(t0);
    BOOST_TEST(p.current() == nullptr);
    fetch_at(p, clock, t0);
    auto const now = p.current();
    BOOST_REQUIRE(now != nullptr);
    BOOST_TEST(now->access_key_id == "AKIDNOW");
    clock.set(t0 + 1h - 299s);
    BOOST_TEST(p.current() == nullptr);
    BOOST_TEST(inner->calls.load() == 1);

    credentials_provider const fixed(cleanroomsml::credentials{"AKIDSTATIC", "secret"});
    BOOST_REQUIRE(fixed.current() != nullptr);
    BOOST_TEST(fixed.current()->access_key_id == "AKIDSTATIC");
    credentials_provider const incomplete(cleanroomsml::credentials{"AKIDSTATIC", ""});
    BOOST_TEST(incomplete.current() == nullptr);  // the fetch reports why
    BOOST_TEST(credentials_provider(inner).current() == nullptr);  // a source without a fast path
}

BOOST_AUTO_TEST_CASE(cache_refreshes_just_before_expiry)
{
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    int n = 0;
    auto inner = std::make_shared<fake_source>("fake", [&] {
        ++n;
        return ok("AKID" + std::to_string(n), t0 + n * 1h);
    });
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner), cache_options{.refresh_before = 300s, .jitter = 0s, .clock = clock.fn()});
    BOOST_TEST(fetch_at(p, clock, t0).creds.access_key_id == "AKID1");
    BOOST_TEST(fetch_at(p, clock, t0 + 1h - 301s).creds.access_key_id == "AKID1");
    BOOST_TEST(inner->calls.load() == 1);
    BOOST_TEST(fetch_at(p, clock, t0 + 1h - 299s).creds.access_key_id == "AKID2");
    BOOST_TEST(inner->calls.load() == 2);
    BOOST_TEST(fetch_at(p, clock, t0 + 2h - 301s).creds.access_key_id == "AKID2");
    BOOST_TEST(inner->calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(cache_jitter_refreshes_within_the_window)
{
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    auto inner = std::make_shared<fake_source>("fake", [&] { return ok("AKIDJ", t0 + 1h); });
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner), cache_options{.refresh_before = 300s, .jitter = 60s, .clock = clock.fn()});
    fetch_at(p, clock, t0);
    fetch_at(p, clock, t0 + 1h - 361s);  // before the earliest refresh point
    BOOST_TEST(inner->calls.load() == 1);
    fetch_at(p, clock, t0 + 1h - 299s);  // after the latest
    BOOST_TEST(inner->calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(cache_short_lived_credentials_are_reused_for_half_their_life)
{
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    auto inner = std::make_shared<fake_source>("fake", [&] { return ok("AKIDSHORT", t0 + 60s); });
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner), cache_options{.refresh_before = 300s, .jitter = 0s, .clock = clock.fn()});
    fetch_at(p, clock, t0);
    fetch_at(p, clock, t0 + 20s);
    BOOST_TEST(inner->calls.load() == 1);
    fetch_at(p, clock, t0 + 40s);
    BOOST_TEST(inner->calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(cache_coalesces_concurrent_callers)
{
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    std::atomic<int> n{0};
    auto inner = std::make_shared<fake_source>(
        "fake", [&] { return ok("AKIDC" + std::to_string(++n), t0 + 1h); }, 50ms);
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner), cache_options{.refresh_before = 300s, .jitter = 0s, .clock = clock.fn()});

    auto round = [&](std::string const& expected) {
        asio::io_context ioc;
        std::mutex m;
        std::set<std::thread::id> threads;
        std::atomic<int> good{0}, done{0};
        std::vector<diagnostics> diags(50);
        for (int i = 0; i < 50; ++i)
            p.async_get_credentials(ioc.get_executor(), diags[static_cast<std::size_t>(i)],
                                    [&](error_code ec, creds_t c) {
                                        if (!ec && c.access_key_id == expected) ++good;
                                        std::lock_guard lock(m);
                                        threads.insert(std::this_thread::get_id());
                                        ++done;
                                    });
        std::vector<std::thread> pool;
        for (int i = 0; i < 4; ++i) pool.emplace_back([&] { ioc.run_for(10s); });
        for (auto& t : pool) t.join();
        BOOST_TEST(done.load() == 50);
        BOOST_TEST(good.load() == 50);
        BOOST_TEST(threads.count(std::this_thread::get_id()) == 0u, "a handler ran inside its initiating call");
    };
    clock.set(t0);
    round("AKIDC1");
    BOOST_TEST(inner->calls.load() == 1);
    clock.set(t0 + 1h - 200s);
    round("AKIDC2");
    BOOST_TEST(inner->calls.load() == 2);
}

BOOST_AUTO_TEST_CASE(cache_failed_refresh_serves_still_valid_credentials)
{
    test_clock clock;
    auto const t0 = utc(2030, 1, 1);
    bool fail = false;
    auto inner = std::make_shared<fake_source>("fake", [&] {
        return fail ? failure(std::string("sts unavailable")) : ok("AKIDOLD", t0 + 1h);
    });
    auto const p = cleanroomsml::cached_credentials(
        credentials_provider(inner),
        cache_options{.refresh_before = 300s, .jitter = 0s, .retry_after_failure = 30s, .clock = clock.fn()});
    BOOST_TEST(fetch_at(p, clock, t0).creds.access_key_id == "AKIDOLD");
    fail = true;

    auto r = fetch_at(p, clock, t0 + 1h - 100s);  // refresh due, fails, old ones still valid
    BOOST_TEST(!r.ec);
    BOOST_TEST(r.creds.access_key_id == "AKIDOLD");
    BOOST_TEST(inner->calls.load() == 2);

    r = fetch_at(p, clock, t0 + 1h - 90s);  // within retry_after_failure: no new attempt
    BOOST_TEST(!r.ec);
    BOOST_TEST(inner->calls.load() == 2);

    r = fetch_at(p, clock, t0 + 1h - 60s);  // retried, fails again, still valid
    BOOST_TEST(!r.ec);
    BOOST_TEST(r.creds.access_key_id == "AKIDOLD");
    BOOST_TEST(inner->calls.load() == 3);

    r = fetch_at(p, clock, t0 + 1h + 1s);  // expired: the failure is passed on
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(r.diag.message == "sts unavailable");
    BOOST_TEST(r.creds.access_key_id.empty());
    BOOST_TEST(inner->calls.load() == 4);

    fail = false;  // recovers
    r = fetch_at(p, clock, t0 + 1h + 2s);
    BOOST_TEST(!r.ec);
    BOOST_TEST(inner->calls.load() == 5);
}

BOOST_AUTO_TEST_CASE(cache_first_failure_propagates)
{
    test_clock clock;
    auto inner = std::make_shared<fake_source>("fake", [] { return missing("nothing here"); });
    auto const p = cleanroomsml::cached_credentials(credentials_provider(inner),
                                                     cache_options{.jitter = 0s, .clock = clock.fn()});
    auto r = fetch_at(p, clock, utc(2030, 1, 1));
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(r.diag.message == "nothing here");
    r = fetch_at(p, clock, utc(2030, 1, 1));
    BOOST_TEST(inner->calls.load() == 2);  // failures are not cached
}

// ---------------------------------------------------------------------------
// Chains

BOOST_AUTO_TEST_CASE(chain_moves_on_only_when_missing)
{
    auto a = std::make_shared<fake_source>("a", [] { return missing("a is not configured"); });
    auto b = std::make_shared<fake_source>("b", [] { return missing("b is not configured"); });
    auto c = std::make_shared<fake_source>("c", [] { return ok("AKIDC"); });
    auto d = std::make_shared<fake_source>("d", [] { return ok("AKIDD"); });
    auto const chain = cleanroomsml::credentials_chain(
        {credentials_provider(a), credentials_provider(), credentials_provider(b), credentials_provider(c),
         credentials_provider(d)});
    auto r = fetch(chain);
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.creds.access_key_id == "AKIDC");
    BOOST_TEST(a->calls.load() == 1);
    BOOST_TEST(b->calls.load() == 1);
    BOOST_TEST(c->calls.load() == 1);
    BOOST_TEST(d->calls.load() == 0);
}

BOOST_AUTO_TEST_CASE(chain_stops_at_an_error)
{
    auto a = std::make_shared<fake_source>("a", [] { return missing("a is not configured"); });
    auto b = std::make_shared<fake_source>("b", [] { return failure("b is broken"); });
    auto c = std::make_shared<fake_source>("c", [] { return ok("AKIDC"); });
    auto r = fetch(cleanroomsml::credentials_chain({credentials_provider(a), credentials_provider(b),
                                                    credentials_provider(c)}));
    BOOST_TEST(r.ec == boost::system::errc::make_error_code(boost::system::errc::io_error));
    BOOST_TEST(r.diag.message == "b: b is broken");
    BOOST_TEST(c->calls.load() == 0);
}

BOOST_AUTO_TEST_CASE(chain_all_missing_lists_what_was_tried)
{
    auto a = std::make_shared<fake_source>("a", [] { return missing("a is not configured"); });
    auto b = std::make_shared<fake_source>("b", [] { return missing("b is not configured"); });
    auto r = fetch(cleanroomsml::credentials_chain({credentials_provider(a), credentials_provider(b)}));
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(r.diag.message == "no credentials found; tried a (a is not configured), b (b is not configured)");

    r = fetch(cleanroomsml::credentials_chain({}));
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
}

BOOST_AUTO_TEST_CASE(chain_of_real_providers)
{
    profile_files f("", std::string("[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = ") +
                            secret_key + "\n");
    auto const chain = cleanroomsml::credentials_chain(
        {cleanroomsml::environment_credentials(), cleanroomsml::profile_credentials()});
    auto r = fetch(chain);
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDPROFILE");

    f.env.set("AWS_ACCESS_KEY_ID", "AKIDENV");  // the environment comes first
    f.env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    r = fetch(chain);
    BOOST_TEST(r.creds.access_key_id == "AKIDENV");

    f.env.unset("AWS_SECRET_ACCESS_KEY");  // half a pair stops the chain
    r = fetch(chain);
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "environment: AWS_ACCESS_KEY_ID is set"), r.diag.message);

    f.env.unset("AWS_ACCESS_KEY_ID");
    f.env.set("AWS_SHARED_CREDENTIALS_FILE", (f.dir.path() / "absent").string());
    r = fetch(chain);
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    BOOST_TEST(contains(r.diag.message, "tried environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set), "
                                        "profile (profile 'default' is not in"),
               r.diag.message);
}

BOOST_AUTO_TEST_CASE(default_chain_environment_and_profile)
{
    // Both cases are answered before web identity, container and IMDS, so no
    // network is involved.
    profile_files f("", std::string("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = ") + secret_key +
                            "\n");
    f.env.set("AWS_EC2_METADATA_DISABLED", "true");
    auto r = fetch(cleanroomsml::default_credentials_chain("dev"));
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDDEV");

    f.env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    f.env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    r = fetch(cleanroomsml::default_credentials_chain("dev"));
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDENV");
}

BOOST_AUTO_TEST_CASE(default_chain_nothing_configured)
{
    // IMDS disabled and no web identity or container variables: every source
    // answers "missing" without touching the network.
    profile_files f("", "");
    f.env.set("AWS_EC2_METADATA_DISABLED", "true");
    auto r = fetch(cleanroomsml::default_credentials_chain());
    BOOST_TEST(r.ec == code(client_errc::missing_credentials));
    // The web identity of the environment is the profile provider's second step now, as in the SDKs.
    for (char const* name : {"tried environment (", ", profile (", ", container", ", imds"})
        BOOST_TEST(contains(r.diag.message, name), r.diag.message);
}

BOOST_AUTO_TEST_CASE(default_chain_malformed_setting_fails_only_when_reached)
{
    profile_files f("", "");
    f.env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5");
    auto const chain = cleanroomsml::default_credentials_chain();  // does not throw
    auto r = fetch(chain);
    BOOST_TEST(r.ec == code(client_errc::invalid_configuration));
    BOOST_TEST(contains(r.diag.message, "imds: "), r.diag.message);
    BOOST_TEST(contains(r.diag.message, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"), r.diag.message);

    f.env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    f.env.set("AWS_SECRET_ACCESS_KEY", secret_key);
    r = fetch(cleanroomsml::default_credentials_chain());
    BOOST_TEST_REQUIRE(!r.ec, r.diag.message);
    BOOST_TEST(r.creds.access_key_id == "AKIDENV");
}

BOOST_AUTO_TEST_SUITE_END()
