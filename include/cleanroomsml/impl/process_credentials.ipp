#ifndef CLEANROOMSML_IMPL_PROCESS_CREDENTIALS_IPP
#define CLEANROOMSML_IMPL_PROCESS_CREDENTIALS_IPP

#include <cleanroomsml/process_credentials.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/asio/append.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <memory>
#include <utility>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern "C" char** environ;

namespace cleanroomsml {

namespace detail::process_credentials_impl {

// Completes through the handler's associated executor (default: `ex`),
// never inside the initiating call.
inline void complete(asio::any_io_executor const& ex, credentials_source::handler_type handler, error_code ec,
                     credentials c)
{
    asio::post(ex, asio::append(std::move(handler), ec, std::move(c)));
}


inline error_code errno_code(int e) { return error_code(e, boost::system::system_category()); }

// The command's first word, for diagnostics: the rest of a command line may
// carry secrets (tokens passed as arguments), a program name hardly does.
inline std::string program_of(std::string_view command)
{
    std::size_t b = command.find_first_not_of(" \t\n");
    if (b == std::string_view::npos) return "(empty)";
    std::size_t e = command.find_first_of(" \t\n", b);
    std::string r(command.substr(b, e == std::string_view::npos ? std::string_view::npos : e - b));
    if (r.size() > 80) r = r.substr(0, 77) + "...";
    return r;
}

// The first lines of stderr, control characters replaced, bounded.
inline std::string stderr_excerpt(std::string_view err)
{
    std::string r;
    int lines = 0;
    while (!err.empty() && lines < 3 && r.size() < 400) {
        std::size_t nl = err.find('\n');
        std::string_view line = err.substr(0, nl);
        err = nl == std::string_view::npos ? std::string_view{} : err.substr(nl + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
        if (line.empty()) continue;
        if (!r.empty()) r += " | ";
        for (char ch : line) r += (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ? '?' : ch;
        ++lines;
    }
    if (r.size() > 400) r = r.substr(0, 400) + "...";
    return r;
}

struct spawned_child {
    pid_t pid = -1;
    int out_fd = -1;
    int err_fd = -1;
};

// posix_spawn("/bin/sh", "-c", command) with stdout and stderr on pipes,
// stdin on /dev/null, in a new process group.
inline error_code spawn_shell(std::string const& command, spawned_child& child, std::string& what)
{
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (::pipe2(out, O_CLOEXEC) != 0) {
        what = "pipe";
        return errno_code(errno);
    }
    if (::pipe2(err, O_CLOEXEC) != 0) {
        int const e = errno;
        ::close(out[0]);
        ::close(out[1]);
        what = "pipe";
        return errno_code(e);
    }

    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attr);
    int rc = ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (rc == 0) rc = ::posix_spawn_file_actions_adddup2(&actions, err[1], 2);

    sigset_t mask;
    sigemptyset(&mask);
    sigset_t defaults;
    sigemptyset(&defaults);
    for (int s : {SIGPIPE, SIGCHLD, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU})
        sigaddset(&defaults, s);
    if (rc == 0) rc = ::posix_spawnattr_setsigmask(&attr, &mask);
    if (rc == 0) rc = ::posix_spawnattr_setsigdefault(&attr, &defaults);
    if (rc == 0) rc = ::posix_spawnattr_setpgroup(&attr, 0);
    if (rc == 0)
        rc = ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = -1;
    if (rc == 0) {
        std::string arg0 = "sh", arg1 = "-c", arg2 = command;
        char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
        rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, environ);
        what = "/bin/sh";
    } else {
        what = "posix_spawn attributes";
    }
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        return errno_code(rc);
    }
    child.pid = pid;
    child.out_fd = out[0];
    child.err_fd = err[0];
    return {};
}

inline bool get_string(boost::json::object const& o, std::string_view key, bool required, std::string& out,
                       std::string& message)
{
    auto const* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) {
        if (required) message = "its output has no \"" + std::string(key) + "\"";
        return !required;
    }
    if (!v->is_string()) {
        message = "its output's \"" + std::string(key) + "\" is not a string";
        return false;
    }
    out.assign(v->get_string().data(), v->get_string().size());
    if (required && out.empty()) {
        message = "its output's \"" + std::string(key) + "\" is empty";
        return false;
    }
    return true;
}

// Interprets the command's stdout. Messages never quote the values.
inline bool parse_output(std::string_view text, credentials& c, std::string& message)
{
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        message = "it wrote nothing to stdout";
        return false;
    }
    boost::system::error_code jec;
    boost::json::value v = boost::json::parse(boost::json::string_view(text.data(), text.size()), jec);
    if (jec) {
        message = "its output is not valid JSON (" + jec.message() + ")";
        return false;
    }
    if (!v.is_object()) {
        message = "its output is not a JSON object";
        return false;
    }
    auto const& o = v.get_object();
    auto const* ver = o.if_contains("Version");
    if (ver == nullptr) {
        message = "its output has no \"Version\" (must be 1)";
        return false;
    }
    if (ver->is_int64() || ver->is_uint64()) {
        bool const one = ver->is_int64() ? ver->get_int64() == 1 : ver->get_uint64() == 1;
        if (!one) {
            message = "its output has \"Version\": " +
                      (ver->is_int64() ? std::to_string(ver->get_int64()) : std::to_string(ver->get_uint64())) +
                      ", only 1 is supported";
            return false;
        }
    } else {
        message = "its output's \"Version\" is not the number 1";
        return false;
    }
    credentials r;
    if (!get_string(o, "AccessKeyId", true, r.access_key_id, message) ||
        !get_string(o, "SecretAccessKey", true, r.secret_access_key, message) ||
        !get_string(o, "SessionToken", false, r.session_token, message))
        return false;
    std::string exp;
    if (!get_string(o, "Expiration", false, exp, message)) return false;
    if (!exp.empty()) {
        timestamp t;
        if (!detail::parse_date_time(exp, t)) {
            message = "its output's \"Expiration\" is not an RFC 3339 date-time";
            return false;
        }
        r.expiration = t;
    }
    std::string account;
    if (!get_string(o, "AccountId", false, account, message)) return false;
    if (!account.empty()) r.account_id = std::move(account);
    c = std::move(r);
    return true;
}

// One run of the command. Every member is used on the strand only.
class process_op : public std::enable_shared_from_this<process_op> {
public:
    using handler_type = credentials_source::handler_type;

    process_op(asio::any_io_executor ex, diagnostics* diag, handler_type handler, std::string program,
               process_options const& opts, spawned_child child)
        : ex_(ex), strand_(asio::make_strand(ex)), out_(strand_), err_(strand_), deadline_(strand_), poll_(strand_),
          diag_(diag), handler_(std::move(handler)), program_(std::move(program)), opts_(opts), pid_(child.pid)
    {
        error_code ec;
        out_.assign(child.out_fd, ec);
        if (ec) ::close(child.out_fd);
        error_code ec2;
        err_.assign(child.err_fd, ec2);
        if (ec2) ::close(child.err_fd);
        if (!ec) ec = ec2;
        setup_error_ = ec;
    }

    process_op(process_op const&) = delete;
    process_op& operator=(process_op const&) = delete;

    ~process_op()
    {
        // Destroyed before the child was reaped: its io_context was stopped
        // or destroyed mid-fetch. Do not leave it running or as a zombie;
        // SIGKILL ends it within moments, so the wait is short and bounded.
        if (!reaped_ && pid_ > 0) {
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);
            for (int i = 0; i < 200; ++i) {
                pid_t const r = ::waitpid(pid_, nullptr, WNOHANG);
                if (r == pid_ || (r == -1 && errno != EINTR)) break;
                ::usleep(1000);
            }
        }
        if (!out_buf_.empty()) OPENSSL_cleanse(out_buf_.data(), out_buf_.size());
        OPENSSL_cleanse(chunk_.data(), chunk_.size());
    }

    void start()
    {
        asio::post(strand_, [self = shared_from_this()] { self->begin(); });
    }

private:
    void begin()
    {
        if (setup_error_) {
            read_error_ = setup_error_;
            abort_child();
            return;
        }
        deadline_.expires_after(opts_.timeout);
        deadline_.async_wait([self = shared_from_this()](error_code ec) { self->on_deadline(ec); });
        read_out();
        read_err();
    }

    void read_out()
    {
        out_.async_read_some(asio::buffer(chunk_),
                             [self = shared_from_this()](error_code ec, std::size_t n) { self->on_out(ec, n); });
    }

    void read_err()
    {
        err_.async_read_some(asio::buffer(err_chunk_),
                             [self = shared_from_this()](error_code ec, std::size_t n) { self->on_err(ec, n); });
    }

    void on_out(error_code ec, std::size_t n)
    {
        if (!out_open_) return;  // closed by abort_child()
        out_buf_.append(chunk_.data(), n);
        if (out_buf_.size() > opts_.max_output) {
            too_large_ = true;
            abort_child();
            return;
        }
        if (ec) {
            if (ec != asio::error::eof && !read_error_) read_error_ = ec;
            out_open_ = false;
            close_quietly(out_);
            maybe_reap();
            return;
        }
        read_out();
    }

    void on_err(error_code ec, std::size_t n)
    {
        if (!err_open_) return;
        if (err_buf_.size() < 4096) err_buf_.append(err_chunk_.data(), std::min(n, 4096 - err_buf_.size()));
        if (ec) {
            if (ec != asio::error::eof && !read_error_) read_error_ = ec;
            err_open_ = false;
            close_quietly(err_);
            maybe_reap();
            return;
        }
        read_err();
    }

    void on_deadline(error_code ec)
    {
        if (ec || finished_ || reaped_) return;
        timed_out_ = true;
        abort_child();
    }

    static void close_quietly(asio::posix::stream_descriptor& d)
    {
        error_code ignored;
        d.close(ignored);
    }

    // Kills the whole process group (the shell and what it started) and
    // stops reading; the exit status is still collected.
    void abort_child()
    {
        if (!reaped_ && pid_ > 0) {
            // The child is not reaped yet, so its pid (and process group id)
            // cannot have been reused.
            ::kill(-pid_, SIGKILL);
            ::kill(pid_, SIGKILL);  // in case setpgid had not happened yet
        }
        out_open_ = false;
        err_open_ = false;
        close_quietly(out_);
        close_quietly(err_);
        maybe_reap();
    }

    void maybe_reap()
    {
        if (out_open_ || err_open_ || reaping_) return;
        reaping_ = true;
        poll_exit();
    }

    void poll_exit()
    {
        int status = 0;
        pid_t r;
        do r = ::waitpid(pid_, &status, WNOHANG);
        while (r == -1 && errno == EINTR);
        if (r == pid_) {
            reaped_ = true;
            status_ = status;
            finish();
            return;
        }
        if (r == -1) {
            // ECHILD: the program ignores SIGCHLD, so the kernel reaped the
            // child and its exit status is lost.
            reaped_ = true;
            status_known_ = false;
            finish();
            return;
        }
        poll_.expires_after(poll_delay_);
        poll_delay_ = std::min(poll_delay_ * 2, std::chrono::milliseconds(50));
        poll_.async_wait([self = shared_from_this()](error_code) { self->poll_exit(); });
    }

    void finish()
    {
        finished_ = true;
        deadline_.cancel();
        credentials c;
        error_code ec;
        std::string message = "credential_process `" + program_ + "` ";
        if (timed_out_) {
            ec = client_errc::operation_timeout;
            message += "did not finish within " + std::to_string(opts_.timeout.count()) +
                       " ms; its process group was killed";
            if (diag_) diag_->timeout = "operation";
        } else if (too_large_) {
            ec = client_errc::response_too_large;
            message += "wrote more than " + std::to_string(opts_.max_output) + " bytes to stdout; it was killed";
        } else if (read_error_) {
            ec = read_error_;
            message += "could not be read from: " + read_error_.message();
        } else if (status_known_ && WIFSIGNALED(status_)) {
            ec = boost::system::errc::make_error_code(boost::system::errc::io_error);
            message += "was killed by signal " + std::to_string(WTERMSIG(status_));
            append_stderr(message);
        } else if (status_known_ && (!WIFEXITED(status_) || WEXITSTATUS(status_) != 0)) {
            ec = boost::system::errc::make_error_code(boost::system::errc::io_error);
            message += "exited with code " + std::to_string(WIFEXITED(status_) ? WEXITSTATUS(status_) : -1);
            append_stderr(message);
        } else if (std::string why; !parse_output(out_buf_, c, why)) {
            ec = client_errc::unparsable_response;
            message += "failed: " + why;
        }
        if (ec && diag_) diag_->message = std::move(message);
        complete(ex_, std::move(handler_), ec, std::move(c));
    }

    void append_stderr(std::string& message) const
    {
        std::string const e = stderr_excerpt(err_buf_);
        if (e.empty())
            message += " (stderr was empty)";
        else
            message += ": " + e;
    }

    asio::any_io_executor ex_;
    asio::strand<asio::any_io_executor> strand_;
    asio::posix::stream_descriptor out_;
    asio::posix::stream_descriptor err_;
    asio::steady_timer deadline_;
    asio::steady_timer poll_;
    diagnostics* diag_;
    handler_type handler_;
    std::string program_;
    process_options opts_;
    pid_t pid_;
    error_code setup_error_;

    std::array<char, 4096> chunk_{};
    std::array<char, 1024> err_chunk_{};
    std::string out_buf_;
    std::string err_buf_;
    bool out_open_ = true;
    bool err_open_ = true;
    bool reaping_ = false;
    bool reaped_ = false;
    bool finished_ = false;
    bool timed_out_ = false;
    bool too_large_ = false;
    bool status_known_ = true;
    int status_ = 0;
    error_code read_error_;
    std::chrono::milliseconds poll_delay_{1};
};

class process_credentials_source final : public credentials_source {
public:
    process_credentials_source(std::string command, process_options opts)
        : command_(std::move(command)), opts_(opts)
    {
    }

    std::string_view name() const noexcept override { return "process"; }

    void async_fetch(asio::any_io_executor ex, diagnostics* diag, handler_type handler) override
    {
        std::string const program = program_of(command_);
        error_code ec;
        std::string message;
        spawned_child child;
        if (command_.find_first_not_of(" \t\n") == std::string::npos) {
            ec = client_errc::invalid_configuration;
            message = "credential_process: the command is empty";
        } else {
            std::string what;
            ec = spawn_shell(command_, child, what);
            if (ec) message = "credential_process `" + program + "` could not be started (" + what + "): " + ec.message();
        }
        if (ec) {
            if (diag) diag->message = std::move(message);
            complete(ex, std::move(handler), ec, credentials{});
            return;
        }
        std::make_shared<process_op>(std::move(ex), diag, std::move(handler), program, opts_, child)->start();
    }

private:
    std::string command_;
    process_options opts_;
};

} // namespace detail::process_credentials_impl

CLEANROOMSML_DECL credentials_provider process_credentials(std::string command, process_options opts)
{
    return credentials_provider(
        std::make_shared<detail::process_credentials_impl::process_credentials_source>(std::move(command), opts));
}

} // namespace cleanroomsml

#endif
