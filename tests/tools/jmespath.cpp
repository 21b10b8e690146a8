// tools/cli/jmespath.hpp against the official JMESPath compliance suite
// (tests/data/jmespath, see SOURCE.md there), plus the limits and the
// queries the CLI's users write.
#include "cli/jmespath.hpp"

#include "cli_test_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace json = boost::json;
namespace jp = cli::jmespath;

namespace {

std::filesystem::path suite_dir() { return std::filesystem::path(CLEANROOMSML_TEST_DATA) / "jmespath"; }

std::vector<std::filesystem::path> suite_files()
{
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    for (auto const& e : std::filesystem::directory_iterator(suite_dir(), ec))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

json::value read_json(std::filesystem::path const& p)
{
    auto text = cli_test::slurp(p).value_or("");
    json::parse_options opt;
    opt.max_depth = 1000;  // benchmarks.json nests deeper than the default 32
    return json::parse(text, {}, opt);
}

// The suite's notion of equal results: deep, numbers by value (1 == 1.0),
// objects regardless of member order. Written here independently of the
// header's own equality.
bool same(json::value const& a, json::value const& b)
{
    auto number = [](json::value const& v) { return v.is_int64() || v.is_uint64() || v.is_double(); };
    if (number(a) && number(b)) {
        if (a.is_double() || b.is_double()) return json::value_to<double>(a) == json::value_to<double>(b);
        if (a.is_int64() && b.is_int64()) return a.get_int64() == b.get_int64();
        if (a.is_uint64() && b.is_uint64()) return a.get_uint64() == b.get_uint64();
        auto const& s = a.is_int64() ? a : b;
        auto const& u = a.is_int64() ? b : a;
        return s.get_int64() >= 0 && static_cast<std::uint64_t>(s.get_int64()) == u.get_uint64();
    }
    if (a.kind() != b.kind()) return false;
    if (a.is_array()) {
        auto const& x = a.get_array();
        auto const& y = b.get_array();
        if (x.size() != y.size()) return false;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (!same(x[i], y[i])) return false;
        return true;
    }
    if (a.is_object()) {
        auto const& x = a.get_object();
        auto const& y = b.get_object();
        if (x.size() != y.size()) return false;
        for (auto const& kv : x) {
            auto const* o = y.if_contains(kv.key());
            if (!o || !same(kv.value(), *o)) return false;
        }
        return true;
    }
    return a == b;
}

std::string shorten(std::string s)
{
    if (s.size() > 400) s = s.substr(0, 400) + "...";
    return s;
}

struct counts {
    int passed = 0;
    int failed = 0;
    int bench = 0;
};

// Runs one case; an empty string when it passes, else what went wrong.
std::string run_case(json::value const& given, json::object const& c, counts& n)
{
    std::string expr(c.at("expression").as_string());
    auto const* result = c.if_contains("result");
    auto const* error = c.if_contains("error");
    std::string outcome;
    std::optional<json::value> actual;
    std::string error_kind;
    try {
        actual = jp::search(expr, given);
    } catch (jp::error const& e) {
        error_kind = jp::kind_name(e.what_kind);
        outcome = std::string("error ") + error_kind + ": " + e.what();
    } catch (std::exception const& e) {
        outcome = std::string("foreign exception: ") + e.what();
    }
    if (actual) outcome = "result " + json::serialize(*actual);
    if (result) {
        if (actual && same(*actual, *result)) return "";
        return "expected result " + json::serialize(*result) + ", got " + outcome;
    }
    if (error) {
        if (error_kind == error->as_string()) return "";
        return "expected error " + std::string(error->as_string()) + ", got " + outcome;
    }
    // A benchmark case states no outcome: it must at least run without error.
    if (c.contains("bench")) {
        ++n.bench;
        return actual ? "" : "benchmark case failed: " + outcome;
    }
    return "case has neither result, error nor bench";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jmespath)

// A missing or partial copy of the suite must fail loudly, not pass empty.
BOOST_AUTO_TEST_CASE(compliance_suite_present)
{
    auto files = suite_files();
    BOOST_TEST_REQUIRE(!files.empty(), "no JMESPath compliance files in " << suite_dir());
    for (char const* name : {"basic", "benchmarks", "boolean", "current", "escape", "filters", "functions",
                             "identifiers", "indices", "literal", "multiselect", "pipe", "slice", "syntax", "unicode",
                             "wildcard"}) {
        auto p = suite_dir() / (std::string(name) + ".json");
        BOOST_TEST(std::filesystem::exists(p), p << " is missing");
    }
    BOOST_TEST(std::filesystem::exists(suite_dir() / "SOURCE.md"));
}

BOOST_AUTO_TEST_CASE(compliance_suite)
{
    counts total;
    for (auto const& file : suite_files()) {
        counts n;
        json::value doc = read_json(file);
        for (auto const& suite : doc.as_array()) {
            auto const& given = suite.at("given");
            for (auto const& c : suite.at("cases").as_array()) {
                std::string problem = run_case(given, c.as_object(), n);
                if (problem.empty()) {
                    ++n.passed;
                    continue;
                }
                ++n.failed;
                BOOST_ERROR(file.filename().string()
                            << ": expression " << c.at("expression") << "\n  given " << shorten(json::serialize(given))
                            << "\n  " << problem);
            }
        }
        std::string bench = n.bench ? " (" + std::to_string(n.bench) + " benchmark cases: run, no result stated)" : "";
        BOOST_TEST_MESSAGE(file.filename().string() << ": " << n.passed << " passed" << bench << ", " << n.failed
                                                    << " failed");
        total.passed += n.passed;
        total.failed += n.failed;
        total.bench += n.bench;
    }
    BOOST_TEST_MESSAGE("JMESPath compliance: " << total.passed << " passed, " << total.failed << " failed, of "
                                               << total.passed + total.failed);
    BOOST_TEST(total.failed == 0);
    BOOST_TEST(total.passed > 800);  // the suite has 908 cases
}

// Hostile nesting is a syntax error, not a stack overflow.
BOOST_AUTO_TEST_CASE(deep_nesting)
{
    auto expect_syntax = [](std::string const& text) {
        try {
            jp::expression::compile(text);
            BOOST_ERROR("compiled: " << text.substr(0, 40) << "...");
        } catch (jp::error const& e) {
            BOOST_TEST((e.what_kind == jp::error::kind::syntax), e.what());
        }
    };
    std::size_t const n = 10000;
    expect_syntax(std::string(n, '['));
    expect_syntax(std::string(n, '[') + "a" + std::string(n, ']'));
    expect_syntax(std::string(n, '(') + "a" + std::string(n, ')'));
    expect_syntax(std::string(n, '!') + "a");
    expect_syntax(std::string(n, '{') + std::string(n, '}'));
    std::string braces;
    for (std::size_t i = 0; i < n; ++i) braces += "{a:";
    expect_syntax(braces + "b" + std::string(n, '}'));
    std::string projections = "a";
    for (std::size_t i = 0; i < n; ++i) projections += "[*].a";
    expect_syntax(projections);
    // Chains the parser builds without recursing still make a deep tree.
    std::string flattens = "a";
    for (std::size_t i = 0; i < n; ++i) flattens += "[]";
    expect_syntax(flattens);
    std::string ors = "a";
    for (std::size_t i = 0; i < n; ++i) ors += " || a";
    expect_syntax(ors);
    expect_syntax("`" + std::string(n, '[') + std::string(n, ']') + "`");
    expect_syntax("sum(" + std::string(n, '[') + "`1`" + std::string(n, ']') + ")");

    // Long flat chains are legitimate and stay flat: no depth limit applies.
    std::string fields = "a";
    for (std::size_t i = 0; i < n; ++i) fields += ".a";
    BOOST_TEST(jp::search(fields, json::parse(R"({"a":{"a":1}})")).is_null());
    std::string pipes = "@";
    for (std::size_t i = 0; i < n; ++i) pipes += " | @";
    BOOST_TEST(jp::search(pipes, json::value(3)) == json::value(3));
    std::string indexes = "@";
    for (std::size_t i = 0; i < n; ++i) indexes += "[0]";
    BOOST_TEST(jp::search(indexes, json::parse("[[[7]]]")).is_null());

    // Nesting inside the limits still works.
    std::string index100;
    for (int i = 0; i < 100; ++i) index100 += "[0]";
    BOOST_TEST(jp::search(std::string(100, '[') + "`1`" + std::string(100, ']') + index100, json::object()) ==
               json::value(1));
}

// Each error class once, with jmespath.py 1.0.1's message (the AWS CLI's
// JMESPath): outputs captured from `python3 -c 'import jmespath; ...'`.
BOOST_AUTO_TEST_CASE(error_messages_as_jmespath_py)
{
    auto data = json::parse(R"({"people":[{"name":"a","age":1},{"name":"b","age":"x"}],"str":"Str","arr":[1,"two"]})");
    struct expectation {
        char const* expression;
        jp::error::kind kind;
        char const* message;
    };
    using k = jp::error::kind;
    expectation const cases[] = {
        {"foo[", k::syntax, "Invalid jmespath expression: Incomplete expression:\n\"foo[\"\n     ^"},
        {"foo.", k::syntax,
         "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: eof: Parse error at "
         "column 4, token \"\" (EOF), for expression:\n\"foo.\"\n     ^"},
        {"foo[0, 1]", k::syntax,
         "Expecting: rbracket, got: comma: Parse error at column 5, token \",\" (COMMA), for expression:\n"
         "\"foo[0, 1]\"\n      ^"},
        {"a{foo}", k::syntax,
         "invalid token: Parse error at column 1, token \"{\" (LBRACE), for expression:\n\"a{foo}\"\n  ^"},
        {"@(foo)", k::syntax,
         "Invalid function name '@': Parse error at column 0, token \"@\" (CURRENT), for expression:\n\"@(foo)\"\n ^"},
        {"\"foo\"(bar)", k::syntax,
         "Quoted identifier not allowed for function names.: Parse error at column 0, token \"(\" (LPAREN), for "
         "expression:\n\"\"foo\"(bar)\"\n ^"},
        {"", k::syntax, "Invalid JMESPath expression: cannot be empty."},
        {" ", k::syntax, "Invalid jmespath expression: Incomplete expression:\n\" \"\n  ^"},
        {"foo = bar", k::syntax, "Bad jmespath expression: Unknown token '=':\nfoo = bar\n    ^"},
        {"foo[-]", k::syntax, "Bad jmespath expression: Unknown token '-':\nfoo[-]\n    ^"},
        {"`{\"a\": 1}` foo", k::syntax,
         "Unexpected token: foo: Parse error at column 11, token \"foo\" (UNQUOTED_IDENTIFIER), for expression:\n"
         "\"`{\"a\": 1}` foo\"\n            ^"},
        {"'abc", k::syntax, "Bad jmespath expression: Unclosed ' delimiter:\n'abc\n^"},
        {"\"\\u\"", k::syntax, "Bad jmespath expression: Invalid \\uXXXX escape:\n\"\\u\"\n^"},
        {"foo#", k::syntax, "Bad jmespath expression: Unknown token #:\nfoo#\n   ^"},
        {"[:::]", k::syntax,
         "syntax error: Parse error at column 3, token \":\" (COLON), for expression:\n\"[:::]\"\n    ^"},
        {"a.{b: c,}", k::syntax,
         "Expecting: ['quoted_identifier', 'unquoted_identifier'], got: rbrace: Parse error at column 8, token \"}\" "
         "(RBRACE), for expression:\n\"a.{b: c,}\"\n         ^"},
        {"foo.`\"bar\"`", k::syntax,
         "Expecting: ['quoted_identifier', 'unquoted_identifier', 'lbracket', 'lbrace'], got: literal: Parse error at "
         "column 4, token \"bar\" (LITERAL), for expression:\n\"foo.`\"bar\"`\"\n     ^"},
        {"foo[*]bar", k::syntax,
         "Unexpected token: bar: Parse error at column 6, token \"bar\" (UNQUOTED_IDENTIFIER), for expression:\n"
         "\"foo[*]bar\"\n       ^"},
        {"bogus(@)", k::unknown_function, "Unknown function: bogus()"},
        {"abs(`1`, `2`)", k::invalid_arity, "Expected 1 argument for function abs(), received 2"},
        {"not_null()", k::invalid_arity, "Expected at least 1 argument for function not_null(), received 0"},
        {"length(`1`)", k::invalid_type,
         "In function length(), invalid type for value: 1, expected one of: ['string', 'array', 'object'], received: "
         "\"number\""},
        {"abs(str)", k::invalid_type,
         "In function abs(), invalid type for value: Str, expected one of: ['number'], received: \"string\""},
        {"sum(arr)", k::invalid_type,
         "In function sum(), invalid type for value: two, expected one of: ['array-number'], received: \"str\""},
        {"sort_by(people, &age)", k::invalid_type,
         "In function sort_by(), invalid type for value: x, expected one of: ['number'], received: \"string\""},
        {"keys(people)", k::invalid_type,
         "In function keys(), invalid type for value: [{'name': 'a', 'age': 1}, {'name': 'b', 'age': 'x'}], expected "
         "one of: ['object'], received: \"array\""},
        {"join(', ', arr)", k::invalid_type,
         "In function join(), invalid type for value: 1, expected one of: ['array-string'], received: \"int\""},
        {"max(arr)", k::invalid_type,
         "In function max(), invalid type for value: two, expected one of: ['array-number', 'array-string'], "
         "received: \"str\""},
        {"contains(`false`, 'd')", k::invalid_type,
         "In function contains(), invalid type for value: False, expected one of: ['array', 'string'], received: "
         "\"boolean\""},
    };
    for (auto const& c : cases) {
        try {
            auto r = jp::search(c.expression, data);
            BOOST_ERROR(c.expression << " gave " << json::serialize(r));
        } catch (jp::error const& e) {
            BOOST_TEST((e.what_kind == c.kind), c.expression << ": " << jp::kind_name(e.what_kind));
            BOOST_TEST(std::string(e.what()) == c.message);
        }
    }
    // Unknown functions and arity are known before any data is seen, but a
    // syntax error anywhere in the text is reported first.
    auto compile_error = [](char const* text) {
        try {
            jp::expression::compile(text);
        } catch (jp::error const& e) {
            return e.what_kind;
        }
        BOOST_ERROR(text << " compiled");
        return jp::error::kind::invalid_value;
    };
    BOOST_TEST((compile_error("bogus(@)") == k::unknown_function));
    BOOST_TEST((compile_error("abs()") == k::invalid_arity));
    BOOST_TEST((compile_error("abs() ||") == k::syntax));
    BOOST_TEST((compile_error("[bogus(@), foo{]") == k::syntax));
    BOOST_TEST((compile_error("abs() || bogus(@)") == k::invalid_arity));
    // A step of 0 is an error at search time, on any input.
    auto zero = jp::expression::compile("[::0]");
    for (auto const& input : {json::parse("[1,2]"), json::value(nullptr)}) {
        try {
            zero.search(input);
            BOOST_ERROR("[::0] did not fail");
        } catch (jp::error const& e) {
            BOOST_TEST((e.what_kind == jp::error::kind::invalid_value));
            BOOST_TEST(std::string(e.what()) == "slice step cannot be zero");
        }
    }
}

// Numbers keep their kind, so the CLI prints 2 and not 2.0; to_string()
// writes JSON like Python's json.dumps (which jmespath.py uses).
BOOST_AUTO_TEST_CASE(numbers_and_to_string)
{
    auto data = json::parse(R"({"a":[1,2,3],"f":[1.5,2.5],"s":"héllo","big":[9223372036854775807,1]})");
    BOOST_TEST(jp::search("length(a)", data).is_int64());
    BOOST_TEST(jp::search("length(s)", data) == json::value(5));
    BOOST_TEST(jp::search("sum(a)", data).is_int64());
    BOOST_TEST(jp::search("sum(a)", data) == json::value(6));
    BOOST_TEST(jp::search("sum(f)", data) == json::value(4.0));
    BOOST_TEST(jp::search("avg(a)", data).is_double());
    BOOST_TEST(jp::search("ceil(`1.5`)", data).is_int64());
    BOOST_TEST(jp::search("floor(`-1.5`)", data) == json::value(-2));
    BOOST_TEST(jp::search("abs(`-3`)", data).is_int64());
    BOOST_TEST(jp::search("sum(big)", data) == json::value(9223372036854775808.0));  // past int64: a double
    BOOST_TEST(jp::search("to_number('12')", data).is_int64());
    BOOST_TEST(jp::search("to_number(' 1.5 ')", data) == json::value(1.5));
    BOOST_TEST(jp::search("to_number('1.5x')", data).is_null());
    BOOST_TEST(jp::search("to_string(`1.0`)", data) == json::value("1.0"));
    BOOST_TEST(jp::search("to_string(`1e16`)", data) == json::value("1e+16"));
    BOOST_TEST(jp::search("to_string(`0.00001`)", data) == json::value("1e-05"));
    BOOST_TEST(jp::search("to_string(`123456.789`)", data) == json::value("123456.789"));
    BOOST_TEST(jp::search(R"(to_string(`{"a": [1, 2.0, "é\n", null, true]}`))", data) ==
               json::value(R"({"a":[1,2.0,"\u00e9\n",null,true]})"));
    BOOST_TEST(jp::search("to_string(`\"𝄞\"`) == '𝄞'", data) == json::value(true));
    BOOST_TEST(jp::search("to_string([`\"𝄞\"`])", data) == json::value(R"(["\ud834\udd1e"])"));
    BOOST_TEST(jp::search("reverse(s)", data) == json::value("olléh"));
}

// The shapes --query meets: list responses with nested structures.
BOOST_AUTO_TEST_CASE(cli_queries)
{
    auto response = json::parse(R"({
        "audienceModels": [
            {"name": "alpha", "status": "ACTIVE", "createTime": "2024-03-01T10:00:00Z", "trainingDatasetArn": "arn:1"},
            {"name": "beta", "status": "CREATE_FAILED", "createTime": "2024-01-15T09:30:00Z"},
            {"name": "gamma", "status": "ACTIVE", "createTime": "2024-05-20T08:00:00Z", "tags": {"team": "ml"}}
        ],
        "trainingDatasets": [{"name": "d1"}, {"name": "d2"}],
        "items": [
            {"name": "old", "createTime": 1700000000},
            {"name": "new", "createTime": 1710000000.5},
            {"name": "mid", "createTime": 1705000000}
        ],
        "nextToken": null
    })");
    auto q = [&](char const* text) { return jp::search(text, response); };
    BOOST_TEST(q("audienceModels[?status=='ACTIVE'].name") == json::parse(R"(["alpha","gamma"])"));
    BOOST_TEST(q("length(trainingDatasets)") == json::value(2));
    BOOST_TEST(q("length(trainingDatasets)").is_int64());
    BOOST_TEST(q("sort_by(items, &createTime)[-1].name") == json::value("new"));
    BOOST_TEST(q("max_by(items, &createTime).name") == json::value("new"));
    BOOST_TEST(q("min_by(audienceModels, &createTime).name") == json::value("beta"));
    // Timestamps compare as strings, as the AWS CLI (jmespath.py) allows.
    BOOST_TEST(q("audienceModels[?createTime > '2024-02'].name") == json::parse(R"(["alpha","gamma"])"));
    BOOST_TEST(q("audienceModels[?createTime > `5`]") == json::array());
    BOOST_TEST(q("audienceModels[].{Name: name, Team: tags.team}") ==
               json::parse(R"([{"Name":"alpha","Team":null},{"Name":"beta","Team":null},{"Name":"gamma","Team":"ml"}])"));
    BOOST_TEST(q("audienceModels[?tags].name | [0]") == json::value("gamma"));
    BOOST_TEST(q("audienceModels[?starts_with(name, 'a') || contains(name, 'mm')].name") ==
               json::parse(R"(["alpha","gamma"])"));
    BOOST_TEST(q("join(', ', audienceModels[*].name)") == json::value("alpha, beta, gamma"));
    BOOST_TEST(q("audienceModels[?!trainingDatasetArn] | length(@)") == json::value(2));
    BOOST_TEST(q("nextToken").is_null());
    BOOST_TEST(q("audienceModels[0:2].status") == json::parse(R"(["ACTIVE","CREATE_FAILED"])"));
    BOOST_TEST(q("keys(audienceModels[0])") ==
               json::parse(R"(["name","status","createTime","trainingDatasetArn"])"));

    // Sorting is stable, as Python's sorted().
    BOOST_TEST(q(R"(sort_by(`[{"k":1,"n":"a"},{"k":0,"n":"b"},{"k":1,"n":"c"},{"k":0,"n":"d"}]`, &k)[].n)") ==
               json::parse(R"(["b","d","a","c"])"));
    BOOST_TEST(q("sort(`[2, 1.0, 1, 0]`)") == json::parse("[0, 1.0, 1, 2]"));
    BOOST_TEST(q("sort(`[2, 1.0, 1, 0]`)").as_array()[1].is_double());

    // A compiled expression is reusable and copyable.
    auto e = jp::expression::compile("audienceModels[*].name");
    auto copy = e;
    BOOST_TEST(copy.search(response) == e.search(response));
    BOOST_TEST(e.text() == "audienceModels[*].name");
}

BOOST_AUTO_TEST_SUITE_END()
