// Tests of tools/cli/output.hpp: every format against what the AWS CLI's own
// formatters print for the same value (tests/data/cli_output/, see SOURCE.md).
#include "cli/output.hpp"

#include "cli_test_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

fs::path data_dir() { return fs::path(CLEANROOMSML_TEST_DATA) / "cli_output"; }

using cli_test::slurp;

// Control characters spelled out, so that a failure shows what differs.
std::string visible(std::string_view s)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\\') out += "\\\\";
        else if (c < 0x20 || c == 0x7f) { out += "\\x"; out += hex[c >> 4]; out += hex[c & 15]; }
        else out += ch;
    }
    return out;
}

std::vector<std::string_view> lines(std::string_view s)
{
    std::vector<std::string_view> v;
    while (!s.empty()) {
        auto n = s.find('\n');
        v.push_back(s.substr(0, n == std::string_view::npos ? s.size() : n + 1));
        s.remove_prefix(v.back().size());
    }
    return v;
}

// Byte equality; on failure the first differing line of each side, then both
// documents, escaped.
void check_same(std::string const& what, std::string const& expected, std::string const& actual)
{
    if (expected == actual) {
        BOOST_TEST(true);
        return;
    }
    auto e = lines(expected), a = lines(actual);
    std::size_t i = 0;
    while (i < e.size() && i < a.size() && e[i] == a[i]) ++i;
    std::ostringstream msg;
    msg << what << ": differs from line " << i + 1 << "\n"
        << "  expected: " << (i < e.size() ? visible(e[i]) : "(end)") << "\n"
        << "  actual:   " << (i < a.size() ? visible(a[i]) : "(end)") << "\n"
        << "--- expected (" << expected.size() << " bytes)\n";
    for (auto l : e) msg << visible(l) << "\n";
    msg << "--- actual (" << actual.size() << " bytes)\n";
    for (auto l : a) msg << visible(l) << "\n";
    BOOST_ERROR(msg.str());
}

struct outcome {
    std::string printed;
    std::optional<std::string> error;
};

template <class F>
outcome run(F&& f)
{
    outcome r;
    try {
        r.printed = f();
    } catch (cli::output_error const& e) {
        r.printed = e.printed();
        r.error = e.what();
    }
    return r;
}

// One expected output (NAME.out, and NAME.err when the AWS CLI failed).
// Returns whether the case has it.
template <class F>
bool check_expected(fs::path const& dir, std::string const& name, F&& produce)
{
    auto out = slurp(dir / (name + ".out"));
    auto err = slurp(dir / (name + ".err"));
    if (!out && !err) return false;
    auto what = dir.filename().string() + "/" + name;
    auto r = run(produce);
    check_same(what + " (stdout)", out.value_or(""), r.printed);
    if (err != r.error)
        BOOST_ERROR(what << ": error " << (r.error ? "\"" + *r.error + "\"" : "none") << ", expected "
                         << (err ? "\"" + *err + "\"" : "none"));
    return true;
}

std::vector<fs::path> case_dirs()
{
    std::vector<fs::path> v;
    for (auto const& e : fs::directory_iterator(data_dir()))
        if (fs::exists(e.path() / "input.json")) v.push_back(e.path());
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

BOOST_AUTO_TEST_SUITE(cli_output)

BOOST_AUTO_TEST_CASE(captured_from_the_aws_cli)
{
    std::size_t checked = 0, cases = 0;
    for (auto const& dir : case_dirs()) {
        ++cases;
        auto text = slurp(dir / "input.json");
        BOOST_REQUIRE(text);
        auto input = json::parse(*text).as_object();
        std::string title(input.at("title").as_string());

        if (auto const* pages = input.if_contains("pages")) {
            std::vector<std::string> keys;
            for (auto const& k : input.at("result_keys").as_array()) keys.emplace_back(k.as_string());
            auto const* token = input.if_contains("resume_token");
            checked += check_expected(dir, "text", [&] {
                cli::output_stream s(cli::output_format::text, {title});
                std::string out;
                try {
                    for (auto const& p : pages->as_array()) out += s.page(cli::text_page(p, keys));
                    if (token) out += s.page(cli::text_resume_token(token->as_string()));
                } catch (cli::output_error const& e) {
                    throw cli::output_error(e.what(), out + e.printed());
                }
                return out + s.finish();
            });
            checked += check_expected(dir, "yaml-stream", [&] {
                cli::output_stream s(cli::output_format::yaml_stream);
                std::string out;
                for (auto const& p : pages->as_array()) out += s.page(p);
                return out + s.finish();
            });
            continue;
        }

        auto const& value = input.at("value");
        for (auto name : {"json", "text", "table", "yaml", "yaml-stream"}) {
            auto f = *cli::parse_output_format(name);
            checked += check_expected(dir, name, [&] { return cli::format_output(value, f, {title}); });
        }
        checked += check_expected(dir, "table-color", [&] {
            return cli::format_output(value, cli::output_format::table, {title, true});
        });
        if (auto const* widths = input.if_contains("widths")) {
            for (auto const& w : widths->as_array()) {
                auto n = static_cast<std::size_t>(w.as_int64());
                bool has = check_expected(dir, "table-w" + std::to_string(n), [&] {
                    return cli::format_output(value, cli::output_format::table, {title, false, n});
                });
                BOOST_TEST(has, dir.filename().string() << ": no table-w" << n << ".out");
                checked += has;
            }
        }
    }
    // The directory is really there and read: dozens of cases, a few formats each.
    BOOST_TEST(cases >= 40u);
    BOOST_TEST(checked >= 150u);
}

BOOST_AUTO_TEST_CASE(format_names)
{
    BOOST_TEST((cli::parse_output_format("json") == cli::output_format::json));
    BOOST_TEST((cli::parse_output_format("text") == cli::output_format::text));
    BOOST_TEST((cli::parse_output_format("table") == cli::output_format::table));
    BOOST_TEST((cli::parse_output_format("yaml") == cli::output_format::yaml));
    BOOST_TEST((cli::parse_output_format("yaml-stream") == cli::output_format::yaml_stream));
    for (auto bad : {"", "JSON", "yaml_stream", "yamlstream", "tsv", "json "})
        BOOST_TEST(!cli::parse_output_format(bad), bad);
}

BOOST_AUTO_TEST_CASE(which_formats_print_page_by_page)
{
    BOOST_TEST(cli::prints_pages(cli::output_format::text));
    BOOST_TEST(cli::prints_pages(cli::output_format::yaml_stream));
    for (auto f : {cli::output_format::json, cli::output_format::table, cli::output_format::yaml}) {
        BOOST_TEST(!cli::prints_pages(f));
        BOOST_CHECK_THROW(cli::output_stream{f}, std::invalid_argument);
    }
}

BOOST_AUTO_TEST_CASE(text_page_keeps_only_the_result_keys)
{
    auto page = json::parse(R"({"nextToken":"t","items":[1,2],"a":{"b":{"c":"x"}},"z":3})");
    std::vector<std::string> keys{"items", "missing", "a.b.c", "a.q"};
    auto v = cli::text_page(page, keys);
    BOOST_TEST(json::serialize(v) == R"({"items":[1,2],"missing":null,"a":{"b":{"c":"x"},"q":null}})");
    BOOST_TEST(json::serialize(cli::text_page(page, std::string("z"))) == R"({"z":3})");
    BOOST_TEST(json::serialize(cli::text_resume_token("abc")) == R"({"NextToken":{"NextToken":"abc"}})");
}

// yaml-stream prints an empty page ({}), where format_output prints nothing.
BOOST_AUTO_TEST_CASE(yaml_stream_empty_page)
{
    json::value empty = json::object();
    BOOST_TEST(cli::format_output(empty, cli::output_format::yaml_stream, {}) == "");
    BOOST_TEST(cli::output_stream(cli::output_format::yaml_stream).page(empty) == "- {}\n");
    BOOST_TEST(cli::output_stream(cli::output_format::text).page(empty) == "");
}

// Strings are UTF-8 when they come from a parser, but a value built in code
// may hold anything: no crash; json, text and table pass the bytes through,
// YAML's double quotes escape each malformed sequence as \uFFFD.
BOOST_AUTO_TEST_CASE(malformed_utf8)
{
    json::value v = {{"k\xff", {"\xc3", std::string("a\xe2\x80", 3), "\xf0\x9f\x98", "\x80x y"}}};
    for (auto f : {cli::output_format::json, cli::output_format::text, cli::output_format::table})
        BOOST_TEST(cli::format_output(v, f, {"T", true, 20}).find("\x80x y") != std::string::npos);
    for (auto f : {cli::output_format::yaml, cli::output_format::yaml_stream}) {
        auto out = cli::format_output(v, f, {});
        BOOST_TEST(out.find("\"\\uFFFDx y\"\n") != std::string::npos, visible(out));
        BOOST_TEST(out.find("\"k\\uFFFD\":") != std::string::npos, visible(out));
    }
}

BOOST_AUTO_TEST_SUITE_END()
