#ifndef CLEANROOMSML_TESTS_TOOLS_CLI_TEST_SUPPORT_HPP
#define CLEANROOMSML_TESTS_TOOLS_CLI_TEST_SUPPORT_HPP

// Helpers shared by the CLI's unit tests (tests/tools/*.cpp).

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace cli_test {

/// A file's bytes; nullopt when it cannot be opened.
inline std::optional<std::string> slurp(std::filesystem::path const& p)
{
    std::ifstream in(p, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

} // namespace cli_test

#endif
