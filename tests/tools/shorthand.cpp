// Tests of tools/cli/shorthand.hpp and of how tools/cli/options.hpp reads
// option values with it: the AWS CLI v2's shorthand grammar and messages,
// its choice between shorthand and JSON, the conversion by member type,
// file:// and fileb://, botocore's validation messages, and the skeletons of
// --generate-cli-skeleton against what the AWS CLI prints
// (tests/data/cli_skeleton/, see SOURCE.md). The expected values and
// messages were checked against the AWS CLI 2.9.19's own code.
#include "cli/options.hpp"

#include <cleanroomsml/model.hpp>

#include "cli_test_support.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
namespace json = boost::json;
namespace crml = cleanroomsml;
namespace crd = cleanroomsml::detail;

namespace shorthand_tests {

// What a call threw: "usage: <message>" (exit 252), "python: <message>"
// (exit 255), or "none".
std::string thrown(std::function<void()> const& f)
{
    try {
        f();
    } catch (cli::usage_error const& e) {
        return "usage: " + std::string(e.what());
    } catch (cli::python_error const& e) {
        return "python: " + std::string(e.what());
    }
    return "none";
}

json::value parsed(std::string_view expected_json) { return json::parse(expected_json); }

// A member's option as the AWS CLI reads a single word or file for it.
json::value unpack(crd::type_info const& request, std::string_view member, cli::option_value v)
{
    auto const* m = cli::find_wire(request, member);
    BOOST_REQUIRE(m);
    return cli::unpack_option(m->type(), v, "--" + cli::kebab(m->name));
}

json::value unpack_text(crd::type_info const& request, std::string_view member, std::string text)
{
    return unpack(request, member, cli::option_value::of_text(std::move(text)));
}

template <class Request>
crd::type_info const& type() { return crd::type_of<Request>(); }

using cli_test::slurp;

// A directory of its own under the system's temporary directory, removed at the end.
struct temp_dir {
    fs::path path;
    temp_dir()
    {
        std::string templ = (fs::temp_directory_path() / "cli-shorthand-XXXXXX").string();
        BOOST_REQUIRE(::mkdtemp(templ.data()));
        path = templ;
    }
    ~temp_dir() { fs::remove_all(path); }
    std::string write(std::string const& name, std::string const& data) const
    {
        std::ofstream(path / name, std::ios::binary) << data;
        return (path / name).string();
    }
};

struct grammar_case {
    char const* input;
    char const* expected;  // JSON, or the error message
};

} // namespace shorthand_tests

using namespace shorthand_tests;

BOOST_AUTO_TEST_SUITE(shorthand)

BOOST_AUTO_TEST_CASE(grammar)
{
    static grammar_case const cases[] = {
        {"a=b", "{\"a\":\"b\"}"},
        {"a=b,c=d", "{\"a\":\"b\",\"c\":\"d\"}"},
        // A comma after a value starts a list, up to the next key.
        {"a=b,c", "{\"a\":[\"b\",\"c\"]}"},
        {"a=b,c,d=e,f", "{\"a\":[\"b\",\"c\"],\"d\":[\"e\",\"f\"]}"},
        {"a=", "{\"a\":\"\"}"},
        {"a=,b=c", "{\"a\":\"\",\"b\":\"c\"}"},
        {"=", "{\"\":\"\"}"},
        {"a:b=c", "{\"a:b\":\"c\"}"},
        {"k#/.-_=v", "{\"k#/.-_\":\"v\"}"},
        // Quotes, escaped quotes, escaped commas.
        {"a='x,y',b=\"q\\\"r\",c=d\\,e", "{\"a\":\"x,y\",\"b\":\"q\\\"r\",\"c\":\"d,e\"}"},
        {"a='it\\'s'", "{\"a\":\"it's\"}"},
        {"a='\\\\'", "{\"a\":\"\\\\\"}"},
        {"a=\"\\\\\\\"\"", "{\"a\":\"\\\\\\\"\"}"},
        {"a='b\\'", "{\"a\":\"b\\\\\"}"},
        {"a=x\\y", "{\"a\":\"x\\\\y\"}"},
        // Whitespace: around '=' and ',', inside values, trailing.
        {"a=b c ,d=e", "{\"a\":\"b c\",\"d\":\"e\"}"},
        {"a = b , c = d ", "{\"a\":\"b\",\"c\":\"d\"}"},
        {"a=b\t,c=d\n", "{\"a\":\"b\",\"c\":\"d\"}"},
        {"a=b=c", "{\"a\":\"b=c\"}"},
        // Nested structures and lists.
        {"a={b=c,d=[e,f]}", "{\"a\":{\"b\":\"c\",\"d\":[\"e\",\"f\"]}}"},
        {"a={b={c=d}}", "{\"a\":{\"b\":{\"c\":\"d\"}}}"},
        {"a=[b,[c,d],{e=f}]", "{\"a\":[\"b\",[\"c\",\"d\"],{\"e\":\"f\"}]}"},
        {"a=[],b={}", "{\"a\":[],\"b\":{}}"},
        {"a=[ b , c ]", "{\"a\":[\"b\",\"c\"]}"},
        {"a={b=c d}", "{\"a\":{\"b\":\"c d\"}}"},
        {"a={b=c,b=d}", "{\"a\":{\"b\":\"d\"}}"},
        // Trailing commas: taken inside [] and {}, an empty value between two commas skipped.
        {"a={b=c,}", "{\"a\":{\"b\":\"c\"}}"},
        {"a=[b,]", "{\"a\":[\"b\"]}"},
        {"a=b,,c=d", "{\"a\":\"b\",\"c\":\"d\"}"},
        {"a=b,'c',d=e", "{\"a\":[\"b\",\"c\"],\"d\":\"e\"}"},
        {"a=é,ü", "{\"a\":[\"é\",\"ü\"]}"},
        {"a=ü b", "{\"a\":\"ü b\"}"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT("input: " << c.input)
        {
            json::value v;
            BOOST_CHECK_NO_THROW(v = cli::shorthand::parse(c.input));
            BOOST_TEST(v == parsed(c.expected));
        }
    }
}

BOOST_AUTO_TEST_CASE(grammar_errors)
{
    static grammar_case const cases[] = {
        {" a=b", "Expected: '=', received: 'a' for input:\n a=b\n ^"},
        {"a", "Expected: '=', received: 'EOF' for input:\na\n ^"},
        {"", "Expected: '=', received: 'EOF' for input:\n\n^"},
        {"a=b,", "Expected: '<second>', received: '<none>' for input:\na=b,\n    ^"},
        {"a=b, ", "Expected: '<second>', received: '<none>' for input:\na=b, \n     ^"},
        {"a=b,a=c", "Second instance of key \"a\" encountered for input:\na=b,a=c\n    ^\n"
                    "This is often because there is a preceding \",\" instead of a space."},
        {"a=[b", "Expected: ',', received: 'EOF' for input:\na=[b\n    ^"},
        {"a=[b,", "Expected: ',', received: 'EOF' for input:\na=[b,\n     ^"},
        {"a={b=c", "Expected: ',', received: 'EOF' for input:\na={b=c\n      ^"},
        {"a='b", "Expected: '<singled quoted>', received: '<none>' for input:\na='b\n  ^"},
        {"a=\"b", "Expected: '<double quoted>', received: '<none>' for input:\na=\"b\n  ^"},
        // Positions count characters, not bytes.
        {"é=ü", "Expected: '=', received: 'é' for input:\né=ü\n^"},
        {"a=😀", "Expected: ',', received: '😀' for input:\na=😀\n  ^"},
        // On several lines, the caret is under the line in error.
        {"a=b,\nc==d", "Expected: ',', received: '=' for input:\na=b,\nc==d\n  ^"},
        {"x=1,\nx=2\n", "Second instance of key \"x\" encountered for input:\nx=1,\n    ^\nx=2\n\n"
                        "This is often because there is a preceding \",\" instead of a space."},
        {"a=[b]]", "Expected: ',', received: ']' for input:\na=[b]]\n     ^"},
        {"a=[b}", "Expected: ',', received: '}' for input:\na=[b}\n    ^"},
    };
    for (auto const& c : cases) {
        BOOST_TEST_CONTEXT("input: " << c.input)
        {
            std::string got = "no error";
            try {
                cli::shorthand::parse(c.input);
            } catch (cli::shorthand::syntax_error const& e) {
                got = e.what();
            }
            BOOST_TEST(got == c.expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(quoted_values_do_not_backtrack_forever)
{
    // Backslashes without a closing quote: a backtracking matcher takes
    // exponential time here; the parser must answer at once.
    std::string input = "a='" + std::string(20000, '\\');
    BOOST_TEST(thrown([&] { cli::parse_shorthand(input, type<crml::tag_resource_request>(), "--tags"); })
                   .find("Expected: '<singled quoted>', received: '<none>'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(conversion_by_member_type)
{
    auto const& export_job = type<crml::start_audience_export_job_request>();
    BOOST_TEST(unpack_text(export_job, "audienceSize", "type=ABSOLUTE,value=5000") ==
               parsed(R"({"type":"ABSOLUTE","value":5000})"));
    // int() takes spaces, signs and underscores between digits.
    BOOST_TEST(unpack_text(export_job, "audienceSize", "type=ABSOLUTE,value=' -1_000 '") ==
               parsed(R"({"type":"ABSOLUTE","value":-1000})"));
    // Members the type lacks stay for validation to report.
    BOOST_TEST(unpack_text(export_job, "audienceSize", "value=1,bogus=x") == parsed(R"({"value":1,"bogus":"x"})"));

    // A single value where a list belongs becomes a one-element list, not converted.
    auto const& audience = type<crml::create_configured_audience_model_request>();
    BOOST_TEST(unpack_text(audience, "audienceSizeConfig", "audienceSizeType=ABSOLUTE,audienceSizeBins=1000,2000") ==
               parsed(R"({"audienceSizeType":"ABSOLUTE","audienceSizeBins":[1000,2000]})"));
    BOOST_TEST(unpack_text(audience, "audienceSizeConfig", "audienceSizeType=ABSOLUTE,audienceSizeBins=1000") ==
               parsed(R"({"audienceSizeType":"ABSOLUTE","audienceSizeBins":["1000"]})"));
    BOOST_TEST(unpack_text(audience, "tags", "team=ads,env=prod") == parsed(R"({"team":"ads","env":"prod"})"));

    // Doubles deep inside.
    auto const& association = type<crml::create_configured_model_algorithm_association_request>();
    BOOST_TEST(unpack_text(association, "privacyConfiguration",
                           "policies={trainedModels={maxArtifactSize={unit=GB,value=1.5}}}") ==
               parsed(R"({"policies":{"trainedModels":{"maxArtifactSize":{"unit":"GB","value":1.5}}}})"));
    BOOST_TEST(unpack_text(association, "privacyConfiguration",
                           "policies={trainedModels={maxArtifactSize={value=1e-5}}}") ==
               parsed(R"({"policies":{"trainedModels":{"maxArtifactSize":{"value":1e-5}}}})"));

    // Booleans: "true"/"false" in any case; anything else is left for validation.
    auto const& job = type<crml::get_audience_generation_job_response>();
    json::value v = cli::parse_shorthand("includeSeedInOutput=TRUE", job, "--x");
    BOOST_TEST(v == parsed(R"({"includeSeedInOutput":true})"));
    v = cli::parse_shorthand("includeSeedInOutput=yes", job, "--x");
    BOOST_TEST(v == parsed(R"({"includeSeedInOutput":"yes"})"));

    // int() and float() failures are Python exceptions the AWS CLI does not catch: exit 255.
    BOOST_TEST(thrown([&] { unpack_text(export_job, "audienceSize", "type=ABSOLUTE,value=abc"); }) ==
               "python: invalid literal for int() with base 10: 'abc'");
    BOOST_TEST(thrown([&] { unpack_text(export_job, "audienceSize", "value=1.5"); }) ==
               "python: invalid literal for int() with base 10: '1.5'");
    BOOST_TEST(thrown([&] { unpack_text(export_job, "audienceSize", "value=1,2"); }) ==
               "python: int() argument must be a string, a bytes-like object or a real number, not 'list'");
    BOOST_TEST(thrown([&] { unpack_text(export_job, "audienceSize", "value={a=b}"); }) ==
               "python: int() argument must be a string, a bytes-like object or a real number, not 'dict'");
    BOOST_TEST(thrown([&] { unpack_text(audience, "audienceSizeConfig", "audienceSizeBins=[1000,x]"); }) ==
               "python: invalid literal for int() with base 10: 'x'");
    BOOST_TEST(thrown([&] {
                   unpack_text(association, "privacyConfiguration", "policies={trainedModels={maxArtifactSize={value=x}}}");
               }) == "python: could not convert string to float: 'x'");
    BOOST_TEST(thrown([&] { cli::parse_shorthand("includeSeedInOutput=[a]", job, "--x"); }) ==
               "python: 'list' object has no attribute 'lower'");

    // Syntax errors name the option.
    BOOST_TEST(thrown([&] { unpack_text(audience, "tags", "a=b,a=c"); }) ==
               "usage: Error parsing parameter '--tags': Second instance of key \"a\" encountered for input:\n"
               "a=b,a=c\n    ^\nThis is often because there is a preceding \",\" instead of a space.");
    BOOST_TEST(thrown([&] { unpack_text(audience, "tags", ""); }) ==
               "usage: Error parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\n\n^");
}

BOOST_AUTO_TEST_CASE(shorthand_or_json)
{
    auto const& audience = type<crml::create_configured_audience_model_request>();
    // JSON when the value starts with '{' or '[' (after spaces).
    BOOST_TEST(unpack_text(audience, "tags", " {\"a\": \"b\", \"a\": \"c\"}") == parsed(R"({"a":"c"})"));
    // JSON is not converted: a string where a number belongs stays for validation.
    BOOST_TEST(unpack_text(audience, "audienceSizeConfig", R"({"audienceSizeBins": ["1", 2]})") ==
               parsed(R"({"audienceSizeBins":["1",2]})"));
    // A structure given '[': not JSON for it.
    BOOST_TEST(thrown([&] { unpack_text(audience, "tags", "[1]"); }) ==
               "usage: Error parsing parameter '--tags': Invalid JSON:\n[1]");
    // Python's json.loads messages.
    BOOST_TEST(thrown([&] { unpack_text(audience, "tags", "{\"a\":"); }) ==
               "usage: Error parsing parameter '--tags': Invalid JSON: Expecting value: line 1 column 6 (char 5)\n"
               "JSON received: {\"a\":");

    // A list of structures: several words, each shorthand, or each a JSON object, or one JSON array.
    auto const& dataset = type<crml::create_training_dataset_request>();
    auto words = [&](std::vector<std::string> w) {
        return unpack(dataset, "trainingData", cli::option_value::of_words(std::move(w)));
    };
    BOOST_TEST(words({"type=INTERACTIONS,inputConfig={schema=[{columnName=a,columnTypes=[USER_ID]}],"
                      "dataSource={glueDataSource={tableName=t,databaseName=d}}}",
                      "type=INTERACTIONS"}) ==
               parsed(R"([{"type":"INTERACTIONS","inputConfig":{"schema":[{"columnName":"a","columnTypes":["USER_ID"]}],
                          "dataSource":{"glueDataSource":{"tableName":"t","databaseName":"d"}}}},{"type":"INTERACTIONS"}])"));
    BOOST_TEST(words({R"({"type":"INTERACTIONS"})", R"({"type":"x"})"}) ==
               parsed(R"([{"type":"INTERACTIONS"},{"type":"x"}])"));
    BOOST_TEST(words({R"([{"type":"INTERACTIONS"}])"}) == parsed(R"([{"type":"INTERACTIONS"}])"));
    BOOST_TEST(words({}) == parsed("[]"));
    BOOST_TEST(thrown([&] { words({R"({"type":"INTERACTIONS"})", "type=INTERACTIONS"}); }) ==
               "usage: Error parsing parameter '--training-data': Invalid JSON:\ntype=INTERACTIONS");
    BOOST_TEST(thrown([&] { words({"type=INTERACTIONS", R"({"type":"x"})"}); }) ==
               "usage: Error parsing parameter '--training-data': Expected: '=', received: '{' for input:\n"
               "{\"type\":\"x\"}\n^");
    BOOST_TEST(thrown([&] { words({"[{"}); }) ==
               "usage: Error parsing parameter '--training-data': Invalid JSON: Expecting property name enclosed "
               "in double quotes: line 1 column 3 (char 2)\nJSON received: [{");

    // A list of strings: words, or one JSON array; never shorthand.
    auto const& untag = type<crml::untag_resource_request>();
    auto keys = [&](std::vector<std::string> w) { return unpack(untag, "tagKeys", cli::option_value::of_words(std::move(w))); };
    BOOST_TEST(keys({"a", "b=c"}) == parsed(R"(["a","b=c"])"));
    BOOST_TEST(keys({" [\"a\", 1]"}) == parsed(R"(["a",1])"));
    BOOST_TEST(keys({"[\"a\"]", "b"}) == parsed(R"(["[\"a\"]","b"])"));
}

BOOST_AUTO_TEST_CASE(python_behaviours)
{
    using namespace cli::py;
    BOOST_TEST(repr(std::string_view("it's")) == "\"it's\"");
    BOOST_TEST(repr(std::string_view("a'\"\\\n\x01é")) == "'a\\'\"\\\\\\n\\x01é'");
    BOOST_TEST(repr_bytes("ab'c\\\n\x01\xff") == "b\"ab'c\\\\\\n\\x01\\xff\"");
    BOOST_TEST(float_repr(1.0) == "1.0");
    BOOST_TEST(float_repr(0.1) == "0.1");
    BOOST_TEST(float_repr(1e16) == "1e+16");
    BOOST_TEST(float_repr(1e15) == "1000000000000000.0");
    BOOST_TEST(float_repr(0.0001) == "0.0001");
    BOOST_TEST(float_repr(0.00001) == "1e-05");
    BOOST_TEST(float_repr(-2.5e-300) == "-2.5e-300");
    BOOST_TEST(repr(parsed(R"({"a":[1,2.5,true,null,"x"]})")) == "{'a': [1, 2.5, True, None, 'x']}");
    BOOST_TEST(parse_int(" +12 ").value() == json::value(12));
    BOOST_TEST(parse_int("1_000").value() == json::value(1000));
    BOOST_TEST(!parse_int("1__0"));
    BOOST_TEST(!parse_int("_1"));
    BOOST_TEST(!parse_int("0x10"));
    BOOST_TEST(parse_int("-9223372036854775808").value() == json::value(std::numeric_limits<std::int64_t>::min()));
    BOOST_TEST(parse_float(" .5 ").value() == 0.5);
    BOOST_TEST(parse_float("5.").value() == 5.0);
    BOOST_TEST(std::isinf(parse_float("-Infinity").value()));
    BOOST_TEST(!parse_float("1e"));
    BOOST_TEST(!parse_float("e1"));

    struct json_case {
        char const* input;
        char const* message;
    };
    static json_case const errors[] = {
        {"", "Expecting value: line 1 column 1 (char 0)"},
        {"{", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"},
        {"{\"a\" 1}", "Expecting ':' delimiter: line 1 column 6 (char 5)"},
        {"{\"a\":1,}", "Expecting property name enclosed in double quotes: line 1 column 8 (char 7)"},
        {"[1,]", "Expecting value: line 1 column 4 (char 3)"},
        {"[1 2]", "Expecting ',' delimiter: line 1 column 4 (char 3)"},
        {"{\"a\":1} x", "Extra data: line 1 column 9 (char 8)"},
        {"01", "Extra data: line 1 column 2 (char 1)"},
        {"\"abc", "Unterminated string starting at: line 1 column 1 (char 0)"},
        {"\"a\\qb\"", "Invalid \\escape: line 1 column 3 (char 2)"},
        {"\"\\u12\"", "Invalid \\uXXXX escape: line 1 column 3 (char 2)"},
        {"\"a\nb\"", "Invalid control character at: line 1 column 3 (char 2)"},
        {" \n  {\"a\":\n x}", "Expecting value: line 3 column 2 (char 11)"},
        {"{\"é\":x}", "Expecting value: line 1 column 6 (char 5)"},
        {"\xef\xbb\xbf{}", "Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)"},
    };
    for (auto const& c : errors) {
        BOOST_TEST_CONTEXT("input: " << c.input)
        {
            std::string got = "no error";
            try {
                json_loads(c.input);
            } catch (json_error const& e) {
                got = e.what();
            }
            BOOST_TEST(got == c.message);
        }
    }
    BOOST_TEST(json_loads("[NaN, -Infinity, 12345678901234567890, 1E+2, \"\\ud83d\\ude00\"]").as_array().size() == 5u);
    BOOST_TEST(json_loads("\"\\ud83d\\ude00\"") == json::value("😀"));
    std::string deep(2000, '[');
    BOOST_TEST(thrown([&] { json_loads(deep); }) ==
               "python: maximum recursion depth exceeded while decoding a JSON array from a unicode string");
}

BOOST_AUTO_TEST_CASE(files)
{
    temp_dir dir;
    std::string text = dir.write("tags.txt", "k1=v1,\r\nk2=v2\r");
    std::string json_file = dir.write("tags.json", R"({"a": "b"})");
    std::string bytes = dir.write("bin.dat", "\xff\xfe");
    std::string arn = dir.write("arn.txt", "arn:aws:x'y");
    std::string empty = dir.write("empty.txt", "");

    // file://: text, line ends as Python's text mode makes them.
    auto v = cli::load_paramfile("file://" + text, "--tags");
    BOOST_REQUIRE(v);
    BOOST_TEST(v->value == "k1=v1,\nk2=v2\n");
    BOOST_TEST(!cli::load_paramfile("tags.txt", "--tags"));
    BOOST_TEST(thrown([&] { cli::load_paramfile("file://" + dir.path.string() + "/missing.json", "--tags"); }) ==
               "usage: Error parsing parameter '--tags': Unable to load paramfile file://" + dir.path.string() +
                   "/missing.json: [Errno 2] No such file or directory: '" + dir.path.string() + "/missing.json'");
    BOOST_TEST(thrown([&] { cli::load_paramfile("file://" + dir.path.string(), "--tags"); }) ==
               "usage: Error parsing parameter '--tags': Unable to load paramfile file://" + dir.path.string() +
                   ": [Errno 21] Is a directory: '" + dir.path.string() + "'");
    // --cli-input-json: json.loads() drops the BOM of bytes (fileb://), not of text.
    std::string bom = dir.write("bom.json", "\xEF\xBB\xBF{\"a\": 1}");
    BOOST_TEST(json::value(cli::load_input_json("fileb://" + bom)) == parsed(R"({"a":1})"));
    BOOST_TEST(thrown([&] { cli::load_input_json("file://" + bom); }) ==
               "usage: Error parsing parameter 'cli-input-json': Invalid JSON received.");
    BOOST_TEST(thrown([&] { cli::load_paramfile("file://" + bytes, "--tags"); }) ==
               "usage: Error parsing parameter '--tags': Unable to load paramfile (" + bytes +
                   "), text contents could not be decoded.  If this is a binary file, please use the fileb:// "
                   "prefix instead of the file:// prefix.");
    auto b = cli::load_paramfile("fileb://" + bytes, "--tags");
    BOOST_REQUIRE(b);
    BOOST_TEST((b->kind == cli::option_value::form::bytes && b->value == "\xff\xfe"));

    // ~ and $NAME, as Python's expanduser and expandvars.
    char const* old_home = std::getenv("HOME");
    std::string saved = old_home ? old_home : "";
    ::setenv("HOME", dir.path.c_str(), 1);
    ::setenv("CLI_SHORTHAND_TEST_DIR", dir.path.c_str(), 1);
    BOOST_TEST(cli::expand_path("~/x") == dir.path.string() + "/x");
    BOOST_TEST(cli::expand_path("$CLI_SHORTHAND_TEST_DIR/x${CLI_SHORTHAND_TEST_DIR}") ==
               dir.path.string() + "/x" + dir.path.string());
    BOOST_TEST(cli::expand_path("$CLI_SHORTHAND_TEST_NOT_SET/${x") == "$CLI_SHORTHAND_TEST_NOT_SET/${x");
    BOOST_TEST(cli::load_paramfile("file://~/tags.json", "--tags")->value == R"({"a": "b"})");
    BOOST_TEST(thrown([] { cli::load_paramfile("file://~/nope", "--x"); }) ==
               "usage: Error parsing parameter '--x': Unable to load paramfile file://~/nope: [Errno 2] No such file "
               "or directory: '" + dir.path.string() + "/nope'");
    if (old_home) ::setenv("HOME", saved.c_str(), 1);
    else ::unsetenv("HOME");
    ::unsetenv("CLI_SHORTHAND_TEST_DIR");

    // Through parse_options: every option takes file:// and fileb://.
    auto const options = cli::options_of(type<crml::tag_resource_request>());
    json::object input;
    cli::parse_options(options, {"--resource-arn", "file://" + arn, "--tags", "file://" + text}, input);
    BOOST_TEST(json::value(input) == parsed(R"({"resourceArn":"arn:aws:x'y","tags":{"k1":"v1","k2":"v2"}})"));
    input = {};
    cli::parse_options(options, {"--tags", "file://" + json_file, "--resource-arn", "r"}, input);
    BOOST_TEST(json::value(input) == parsed(R"({"resourceArn":"r","tags":{"a":"b"}})"));
    // The bytes of fileb:// are no string: botocore's refusal, once every option is read.
    input = {};
    BOOST_TEST(thrown([&] { cli::parse_options(options, {"--resource-arn", "fileb://" + arn, "--tags", "a=b"}, input); }) ==
               "usage: Parameter validation failed:\nInvalid type for parameter resourceArn, value: b\"arn:aws:x'y\", "
               "type: <class 'bytes'>, valid types: <class 'str'>");
    // ... and Python's shorthand parser fails on bytes.
    BOOST_TEST(thrown([&] { cli::parse_options(options, {"--resource-arn", "r", "--tags", "fileb://" + text}, input); }) ==
               "python: 'in <string>' requires string as left operand, not int");
    BOOST_TEST(thrown([&] { cli::parse_options(options, {"--resource-arn", "r", "--tags", "fileb://" + empty}, input); }) ==
               "python: a bytes-like object is required, not 'str'");
    BOOST_TEST(thrown([&] { cli::parse_options(options, {"--resource-arn", "r", "--tags", "file://" + empty}, input); }) ==
               "usage: Error parsing parameter '--tags': Expected: '=', received: 'EOF' for input:\n\n^");

    // A list option's single word is loaded; the text is then taken one
    // character at a time (or as JSON), the bytes one byte at a time.
    auto const untag = cli::options_of(type<crml::untag_resource_request>());
    std::string two = dir.write("two.txt", "ab");
    std::string list = dir.write("list.json", "[\"x\", \"y\"]");
    input = {};
    cli::parse_options(untag, {"--resource-arn", "r", "--tag-keys", "file://" + two}, input);
    BOOST_TEST(input["tagKeys"] == parsed(R"(["a","b"])"));
    cli::parse_options(untag, {"--resource-arn", "r", "--tag-keys", "file://" + list}, input);
    BOOST_TEST(input["tagKeys"] == parsed(R"(["x","y"])"));
    cli::parse_options(untag, {"--resource-arn", "r", "--tag-keys", "fileb://" + two}, input);
    BOOST_TEST(input["tagKeys"] == parsed("[97,98]"));
    // With several words, none is loaded.
    cli::parse_options(untag, {"--resource-arn", "r", "--tag-keys", "file://" + two, "b"}, input);
    BOOST_TEST(input["tagKeys"] == json::value(json::array{json::string("file://" + two), "b"}));
    BOOST_TEST(thrown([&] { cli::parse_options(untag, {"--resource-arn", "r", "--tag-keys", "file://" + empty}, input); }) ==
               "python: string index out of range");
}

BOOST_AUTO_TEST_CASE(options_as_argparse_reads_them)
{
    auto const options = cli::options_of(type<crml::create_configured_audience_model_request>());
    auto read = [&](std::vector<std::string> args) {
        json::object input;
        cli::parse_options(options, args, input);
        return json::value(std::move(input));
    };
    // Members come out in the request's order; the last of a repeated option is kept.
    BOOST_TEST(read({"--tags", "a=b", "--name", "n", "--min-matching-seed-size", "30", "--tags", "c=d"}) ==
               parsed(R"({"name":"n","minMatchingSeedSize":30,"tags":{"c":"d"}})"));
    BOOST_TEST(read({"--shared-audience-metrics", "ALL", "NONE", "--shared-audience-metrics", "ALL"}) ==
               parsed(R"({"sharedAudienceMetrics":["ALL"]})"));
    BOOST_TEST(read({"--shared-audience-metrics"}) == parsed(R"({"sharedAudienceMetrics":[]})"));
    BOOST_TEST(read({"--audience-size-config=audienceSizeType=ABSOLUTE,audienceSizeBins=[1,2]"}) ==
               parsed(R"({"audienceSizeConfig":{"audienceSizeType":"ABSOLUTE","audienceSizeBins":[1,2]}})"));
    // An integer option is int()'s: its ValueError is uncaught, exit 255.
    BOOST_TEST(thrown([&] { read({"--min-matching-seed-size", "abc"}); }) ==
               "python: invalid literal for int() with base 10: 'abc'");
    BOOST_TEST(thrown([&] { read({"--name"}); }) == "usage: argument --name: expected one argument");
    BOOST_TEST(thrown([&] { read({"--audience-size-config", "audienceSizeType=ABSOLUTE", "x=1"}) ; }) ==
               "usage: Unknown options: x=1");
    // Errors come in the request's member order, whatever the command line's.
    BOOST_TEST(thrown([&] { read({"--tags", "a", "--output-config", "b"}) ; })
                   .find("Error parsing parameter '--output-config'") != std::string::npos);
    // With `require`, argparse's check comes before any value is read.
    json::object input;
    BOOST_TEST(thrown([&] { cli::parse_options(options, {"--tags", "a"}, input, true); }) ==
               "usage: the following arguments are required: --name, --audience-model-arn, --output-config, "
               "--shared-audience-metrics");
    // --cli-input-json's members stay after the options' (which win).
    input = json::object{{"zzz", 1}, {"name", "from-json"}};
    cli::parse_options(options, {"--name", "n"}, input);
    BOOST_TEST(json::value(input) == parsed(R"({"name":"n","zzz":1})"));

    // argparse converts "long" and double options itself.
    crd::type_info long_type{crd::value_kind::int64};
    crd::type_info double_type{crd::value_kind::float64};
    BOOST_TEST(cli::argparse_number(long_type, "12", "--n") == json::value(12));
    BOOST_TEST(thrown([&] { cli::argparse_number(long_type, "1.5", "--n"); }) == "usage: argument --n: invalid int value: '1.5'");
    BOOST_TEST(thrown([&] { cli::argparse_number(double_type, "x", "--d"); }) == "usage: argument --d: invalid float value: 'x'");

    // --cli-input-json's own messages.
    BOOST_TEST(thrown([] { cli::parse_input_json("{bad"); }) ==
               "usage: Error parsing parameter 'cli-input-json': Invalid JSON received.");
    BOOST_TEST(thrown([] { cli::parse_input_json("[1]"); }) ==
               "usage: Error parsing parameter '--cli-input-json': Invalid type: expecting map, received <class 'list'>");
}

BOOST_AUTO_TEST_CASE(botocore_validation)
{
    auto const& ti = type<crml::create_configured_audience_model_request>();
    auto errors = [&](std::string_view doc, bool top_required = false) {
        std::string out;
        for (auto const& e : cli::param_errors(ti, parsed(doc), top_required)) out += e + "\n";
        return out;
    };
    BOOST_TEST(errors(R"({"name":"n","audienceModelArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:x",
                          "outputConfig":{"destination":{"s3Destination":{"s3Uri":"x","bad":1}}},
                          "sharedAudienceMetrics":["ALL"],
                          "audienceSizeConfig":{"audienceSizeType":1,"audienceSizeBins":["1",2.5,true,null,{"a":[1]}]},
                          "tags":{"a":["x","y"],"":"v"}})") ==
               "Missing required parameter in outputConfig: \"roleArn\"\n"
               "Unknown parameter in outputConfig.destination.s3Destination: \"bad\", must be one of: s3Uri\n"
               "Invalid type for parameter audienceSizeConfig.audienceSizeType, value: 1, type: <class 'int'>, valid "
               "types: <class 'str'>\n"
               "Invalid type for parameter audienceSizeConfig.audienceSizeBins[0], value: 1, type: <class 'str'>, valid "
               "types: <class 'int'>\n"
               "Invalid type for parameter audienceSizeConfig.audienceSizeBins[1], value: 2.5, type: <class 'float'>, "
               "valid types: <class 'int'>\n"
               "Invalid type for parameter audienceSizeConfig.audienceSizeBins[3], value: None, type: <class "
               "'NoneType'>, valid types: <class 'int'>\n"
               "Invalid type for parameter audienceSizeConfig.audienceSizeBins[4], value: {'a': [1]}, type: <class "
               "'dict'>, valid types: <class 'int'>\n"
               "Invalid type for parameter tags.a, value: ['x', 'y'], type: <class 'list'>, valid types: <class 'str'>\n"
               "Invalid length for parameter tags (key: ), value: 0, valid min length: 1\n");
    // Minimums only (botocore checks no maximum).
    BOOST_TEST(errors(R"({"sharedAudienceMetrics":[],"minMatchingSeedSize":12})") ==
               "Invalid length for parameter sharedAudienceMetrics, value: 0, valid min length: 1\n"
               "Invalid value for parameter minMatchingSeedSize, value: 12, valid min value: 25\n");
    BOOST_TEST(errors(R"({"minMatchingSeedSize":999999999})") == "");
    BOOST_TEST(errors("{}", true) ==
               "Missing required parameter in input: \"name\"\nMissing required parameter in input: \"audienceModelArn\"\n"
               "Missing required parameter in input: \"outputConfig\"\n"
               "Missing required parameter in input: \"sharedAudienceMetrics\"\n");

    // fill_request: botocore's report first, then argparse's for missing options.
    crml::create_configured_audience_model_request req;
    BOOST_TEST(thrown([&] { cli::fill_request(ti, &req, json::object{{"name", 5}}); }) ==
               "usage: Parameter validation failed:\nInvalid type for parameter name, value: 5, type: <class 'int'>, "
               "valid types: <class 'str'>");
    BOOST_TEST(thrown([&] { cli::fill_request(ti, &req, json::object{{"name", "n"}}); }) ==
               "usage: the following arguments are required: --audience-model-arn, --output-config, "
               "--shared-audience-metrics");
    BOOST_TEST(thrown([&] { cli::fill_request(ti, &req, json::object{{"name", "n"}}, false); })
                   .find("usage: Parameter validation failed:\nMissing required parameter in input: \"audienceModelArn\"") == 0u);
    json::object full = parsed(R"({"name":"n","audienceModelArn":"arn:aws:cleanrooms-ml:us-east-1:123456789012:x",
        "outputConfig":{"destination":{"s3Destination":{"s3Uri":"s3://b/p"}},"roleArn":"arn:aws:iam::1:role/r"},
        "sharedAudienceMetrics":["ALL"],"tags":{"a":"b"}})").as_object();
    BOOST_TEST(thrown([&] { cli::fill_request(ti, &req, full); }) == "none");
    BOOST_TEST(req.name == "n");
    BOOST_TEST(req.output_config.destination.s3_destination.s3_uri == "s3://b/p");
    BOOST_TEST(req.tags.value().at("a") == "b");

    // Timestamps: ISO 8601 or epoch seconds, else botocore's words.
    auto const& model = type<crml::create_audience_model_request>();
    crml::create_audience_model_request m;
    json::object times{{"name", "m"}, {"trainingDatasetArn", "arn:aws:cleanrooms-ml:us-east-1:123456789012:training-dataset/x"}, {"trainingDataStartTime", "2024-01-01"},
                       {"trainingDataEndTime", "1717200000"}};
    BOOST_TEST(thrown([&] { cli::fill_request(model, &m, times); }) == "none");
    auto iso = [](crml::timestamp t) {
        std::string out;
        crd::format_timestamp(out, t, crml::timestamp_format::date_time);
        return out;
    };
    BOOST_TEST(iso(m.training_data_start_time.value()) == "2024-01-01T00:00:00Z");
    BOOST_TEST(iso(m.training_data_end_time.value()) == "2024-06-01T00:00:00Z");
    times["trainingDataStartTime"] = "yesterday";
    BOOST_TEST(thrown([&] { cli::fill_request(model, &m, times); }) ==
               "usage: Parameter validation failed:\nInvalid type for parameter trainingDataStartTime, value: yesterday, "
               "type: <class 'str'>, valid types: <class 'datetime.datetime'>, timestamp-string");
}

BOOST_AUTO_TEST_CASE(skeletons_as_the_aws_cli_prints_them)
{
    fs::path dir = fs::path(CLEANROOMSML_TEST_DATA) / "cli_skeleton";
    int commands = 0;
    auto check = [&](std::string const& name, crd::type_info const& request, crd::type_info const& response) {
        ++commands;
        BOOST_TEST_CONTEXT("command: " << name)
        {
            std::string in;
            cli::write_pretty(in, cli::skeleton(request));
            in += '\n';
            auto expected = slurp(dir / "input" / (name + ".json"));
            BOOST_REQUIRE(expected);
            BOOST_TEST(in == *expected);

            // The output form: the fake response, or botocore's refusal of it.
            json::value fake = cli::skeleton_output(response);
            auto errors = cli::param_errors(response, fake);
            if (errors.empty()) {
                std::string out;
                if (!(fake.is_object() && fake.get_object().empty())) {
                    cli::write_pretty(out, fake);
                    out += '\n';
                }
                auto stdout_text = slurp(dir / "output" / (name + ".stdout"));
                BOOST_REQUIRE(stdout_text);
                BOOST_TEST(out == *stdout_text);
            } else {
                std::string err = "\nParameter validation failed:";
                for (auto const& e : errors) err += "\n" + e;
                err += "\n";
                auto stderr_text = slurp(dir / "output" / (name + ".stderr"));
                BOOST_REQUIRE(stderr_text);
                BOOST_TEST(err == *stderr_text);
            }
        }
    };
#define CLEANROOMSML_SKELETON_CHECK(op, Request)                                                              \
    check(cli::kebab(crml::operation_traits<Request>::info.name), crd::type_of<Request>(),                    \
          crd::type_of<crml::operation_traits<Request>::response>());
    CLEANROOMSML_FOR_EACH_OPERATION(CLEANROOMSML_SKELETON_CHECK)
#undef CLEANROOMSML_SKELETON_CHECK
    BOOST_TEST(commands == 59);
    // Enumerations show their first value, numbers 0, nested lists and maps one entry.
    json::value s = cli::skeleton(type<crml::create_trained_model_request>());
    BOOST_TEST(s.at("resourceConfig") == parsed(R"({"instanceCount":0,"instanceType":"ml.m4.xlarge","volumeSizeInGB":0})"));
    BOOST_TEST(s.at("tags") == parsed(R"({"KeyName":""})"));
    BOOST_TEST(s.at("trainingInputMode") == json::value("File"));
}

BOOST_AUTO_TEST_SUITE_END()
