// cleanroomsml-emulator: the embedded emulator as a standalone server, so
// any AWS SDK or the AWS CLI can be pointed at it with --endpoint-url.
//
//   cleanroomsml-emulator --port 8080 --access-key-id AKID --secret-access-key S
//   cleanroomsml-emulator --collaboration C=M1,M2:111122223333   (instead of the default one)
//
// The first line on stdout is the endpoint URL (useful with --port 0); each
// request is then logged on stderr. SIGINT or SIGTERM stops it.

#include <cleanroomsml/testing/emulator.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <charconv>
#include <csignal>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::string usage()
{
    namespace t = cleanroomsml::testing;
    return "usage: cleanroomsml-emulator [--host H] [--port N] [--tls [--cert FILE --key FILE]]\n"
           "                             [--access-key-id K --secret-access-key S] [--region R]\n"
           "                             [--account-id A] [--lifecycle-delay-ms D] [--quiet]\n"
           "                             [--collaboration ID=MEMBERSHIP[:ACCOUNT][,MEMBERSHIP[:ACCOUNT]...]]...\n"
           "\n"
           "--collaboration declares a collaboration and the caller's memberships in it (ids are\n"
           "lower-case UUIDs; ACCOUNT, 12 digits, is the member's account, default --account-id).\n"
           "Repeatable; given at least once, it replaces the default collaboration\n" +
           std::string(t::default_collaboration_id) + " with membership " + std::string(t::default_membership_id) +
           ".\n";
}

std::string read_file(std::string const& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

template <class Int>
Int number(std::string_view flag, std::string_view text)
{
    Int v{};
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size())
        throw std::invalid_argument(std::string(flag) + ": not a number: " + std::string(text));
    return v;
}

// "ID=MEMBERSHIP[:ACCOUNT][,MEMBERSHIP[:ACCOUNT]...]"; the ids themselves
// are checked by the emulator.
cleanroomsml::testing::emulated_collaboration collaboration(std::string_view text)
{
    auto fail = [&](std::string why) {
        return std::invalid_argument("--collaboration " + std::string(text) + ": " + why);
    };
    auto eq = text.find('=');
    if (eq == std::string_view::npos || eq == 0) throw fail("expected ID=MEMBERSHIP[:ACCOUNT][,...]");
    cleanroomsml::testing::emulated_collaboration c{std::string(text.substr(0, eq)), {}};
    std::string_view rest = text.substr(eq + 1);
    for (;;) {
        auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        auto colon = item.find(':');
        std::string_view id = item.substr(0, colon);
        std::string_view account = colon == std::string_view::npos ? std::string_view{} : item.substr(colon + 1);
        if (id.empty() || (colon != std::string_view::npos && account.empty()))
            throw fail("empty membership or account in '" + std::string(item) + "'");
        c.memberships.push_back({std::string(id), std::string(account)});
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return c;
}

} // namespace

int main(int argc, char** argv)
{
    cleanroomsml::testing::emulator_options opts;
    std::string cert_file, key_file, access_key, secret_key;
    bool quiet = false;
    std::vector<cleanroomsml::testing::emulated_collaboration> collaborations;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string_view arg = argv[i];
            auto value = [&]() -> std::string_view {
                if (i + 1 >= argc) throw std::invalid_argument(std::string(arg) + " needs a value");
                return argv[++i];
            };
            if (arg == "--host") opts.host = value();
            else if (arg == "--port") opts.port = number<std::uint16_t>(arg, value());
            else if (arg == "--tls") opts.tls = true;
            else if (arg == "--cert") cert_file = value();
            else if (arg == "--key") key_file = value();
            else if (arg == "--access-key-id") access_key = value();
            else if (arg == "--secret-access-key") secret_key = value();
            else if (arg == "--region") opts.region = value();
            else if (arg == "--account-id") opts.account_id = value();
            else if (arg == "--lifecycle-delay-ms") opts.lifecycle_delay = std::chrono::milliseconds(number<long>(arg, value()));
            else if (arg == "--collaboration") collaborations.push_back(collaboration(value()));
            else if (arg == "--quiet") quiet = true;
            else if (arg == "--help" || arg == "-h") { std::cout << usage(); return 0; }
            else throw std::invalid_argument("unknown option " + std::string(arg));
        }
        if (access_key.empty() != secret_key.empty())
            throw std::invalid_argument("--access-key-id and --secret-access-key go together");
        if (!collaborations.empty()) opts.collaborations = std::move(collaborations);
        if (!access_key.empty()) opts.credentials = cleanroomsml::credentials{access_key, secret_key};
        if (cert_file.empty() != key_file.empty()) throw std::invalid_argument("--cert and --key go together");
        if (!cert_file.empty()) {
            opts.certificate_pem = read_file(cert_file);
            opts.private_key_pem = read_file(key_file);
        }
    } catch (std::exception const& e) {
        std::cerr << "cleanroomsml-emulator: " << e.what() << "\n" << usage();
        return 2;
    }
    if (!quiet)
        opts.on_request = [](cleanroomsml::testing::request_log const& r) {
            std::cerr << r.method << ' ' << r.target << " -> " << r.status << ' '
                      << (r.operation.empty() ? "-" : r.operation)
                      << (r.error_type.empty() ? "" : " " + r.error_type) << " (" << r.request_id << ")\n";
        };

    try {
        boost::asio::io_context ioc;
        std::optional<cleanroomsml::testing::emulator> made;
        try {
            made.emplace(ioc.get_executor(), opts);
        } catch (std::invalid_argument const& e) {  // the collaborations given
            std::cerr << "cleanroomsml-emulator: --collaboration: " << e.what() << "\n" << usage();
            return 2;
        }
        auto& emu = *made;
        boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](boost::system::error_code, int) { emu.stop(); });
        std::cout << emu.endpoint_url() << std::endl;
        if (opts.tls && cert_file.empty() && !quiet) std::cerr << "CA file: " << emu.ca_file() << '\n';
        ioc.run();
    } catch (std::exception const& e) {
        std::cerr << "cleanroomsml-emulator: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
