#include <cleanroomsml/detail/pattern.hpp>

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstddef>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// The suite below declares a namespace called "pattern".
namespace detail = cleanroomsml::detail;

namespace {

// Some UTF-8 code points (kept apart from following hex-like characters).
constexpr char e_acute[] = "\xC3\xA9";              // U+00E9
constexpr char nbsp[] = "\xC2\xA0";                 // U+00A0
constexpr char last_before_surrogates[] = "\xED\x9F\xBF";  // U+D7FF
constexpr char private_use[] = "\xEE\x80\x80";      // U+E000
constexpr char replacement[] = "\xEF\xBF\xBD";      // U+FFFD
constexpr char nonchar_fffe[] = "\xEF\xBF\xBE";     // U+FFFE
constexpr char nonchar_ffff[] = "\xEF\xBF\xBF";     // U+FFFF
constexpr char grinning[] = "\xF0\x9F\x98\x80";     // U+1F600
constexpr char beaming[] = "\xF0\x9F\x98\x81";      // U+1F601
constexpr char after_emoticons[] = "\xF0\x9F\x99\x90";  // U+1F650

std::vector<std::string> const invalid_utf8 = {
    "\xC3",              // truncated
    "a\x80",             // stray continuation byte
    "\xC0\xAF",          // overlong '/'
    "\xE0\x80\xAF",      // overlong '/'
    "\xED\xA0\x80",      // encoded surrogate U+D800
    "\xF4\x90\x80\x80",  // above U+10FFFF
    "\xFF",
    "ok\xE2\x82",        // truncated at the end
};

bool matches(detail::pattern const& p, std::string_view input)
{
    return p.match(input) == detail::pattern_result::match;
}

// Both engines: the DFA (where the pattern has one and the input suits it)
// and the NFA alone.
void check(detail::pattern const& p, std::vector<std::string> const& good, std::vector<std::string> const& bad)
{
    BOOST_TEST_REQUIRE(p.supported(), "pattern " << p.source());
    detail::pattern const nfa(p.source(), detail::pattern::engine::nfa_only);
    BOOST_TEST(!nfa.has_dfa());
    for (auto const* q : {&p, &nfa}) {
        for (auto const& input : good)
            BOOST_TEST(matches(*q, input), "pattern " << q->source() << " should match \"" << input << "\"");
        for (auto const& input : bad)
            BOOST_TEST(!matches(*q, input), "pattern " << q->source() << " should not match \"" << input << "\"");
    }
}

std::string operator*(std::string const& s, std::size_t n)
{
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += s;
    return out;
}

template <class F>
double seconds(F f)
{
    auto const start = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pattern)

// ---------------------------------------------------------------- the model's patterns

BOOST_AUTO_TEST_CASE(account_id)
{
    check(detail::pattern(R"re(^[0-9]{12}$)re"),
          {"123456789012", "000000000000"},
          {"", "12345678901", "1234567890123", "12345678901a", " 123456789012", "123456789012 ", "1234 5678901"});
}

BOOST_AUTO_TEST_CASE(audience_generation_job_arn)
{
    check(detail::pattern(R"re(^arn:aws[-a-z]*:cleanrooms-ml:[-a-z0-9]+:[0-9]{12}:audience-generation-job/[-a-zA-Z0-9_/.]+$)re"),
          {"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/abc-123",
           "arn:aws-us-gov:cleanrooms-ml:us-gov-west-1:123456789012:audience-generation-job/a",
           "arn:aws:cleanrooms-ml:eu-west-2:123456789012:audience-generation-job/A_b/c.d-E"},
          {"arn:aws:cleanrooms:us-east-1:123456789012:audience-generation-job/abc",  // wrong service
           "arn:aws:cleanrooms-ml:us-east-1:12345678901:audience-generation-job/abc",  // 11 digits
           "arn:aws:cleanrooms-ml:us-east-1:1234567890123:audience-generation-job/abc",
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/",  // empty name
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/abc",  // wrong resource
           "arn:aws:cleanrooms-ml:US-EAST-1:123456789012:audience-generation-job/abc",
           "arn:aws:cleanrooms-ml::123456789012:audience-generation-job/abc",  // no region
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/a b",
           "arn:awz:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/abc",
           "xarn:aws:cleanrooms-ml:us-east-1:123456789012:audience-generation-job/abc"});
}

BOOST_AUTO_TEST_CASE(audience_model_arn)
{
    check(detail::pattern(R"re(^arn:aws[-a-z]*:cleanrooms-ml:[-a-z0-9]+:[0-9]{12}:audience-model/[-a-zA-Z0-9_/.]+$)re"),
          {"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/1234abcd-12ab",
           "arn:aws-cn:cleanrooms-ml:cn-north-1:123456789012:audience-model/x"},
          {"arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/",
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-models/x",
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:configured-audience-model/x",
           "arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/x*",
           std::string("arn:aws:cleanrooms-ml:us-east-1:123456789012:audience-model/") + e_acute});
}

BOOST_AUTO_TEST_CASE(column_name)
{
    // The first character stands alone, so a '-' may only follow a run of at
    // least one character after it: "a-b c" does not match (Java agrees).
    check(detail::pattern(R"re(^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$)re"),
          {"a", "ab", "ab-c d", "a b-c d", "Z_9 - x", "ab-c-d", "a ", "_ -_"},
          {"", "a-", "abc-", "ab-c-", "a-b c", "a-b", "-a", " a", "ab--c", "a.b", "a\tb", "ab-\xC3"});
}

BOOST_AUTO_TEST_CASE(name_without_spaces)
{
    check(detail::pattern(R"re(^[a-zA-Z0-9_](([a-zA-Z0-9_]+-)*([a-zA-Z0-9_]+))?$)re"),
          {"a", "ab-c", "abc-def-g_1", "_"},
          {"", "a b", "ab-c d", "ab-", "a-b", "ab--c", "-", e_acute});
}

BOOST_AUTO_TEST_CASE(hex_string)
{
    check(detail::pattern(R"re(^[0-9a-f]+$)re"),
          {"0", "deadbeef", "0123456789abcdef"},
          {"", "DEADBEEF", "abcg", "ab cd", "0x12"});
}

BOOST_AUTO_TEST_CASE(iam_role_arn)
{
    check(detail::pattern(R"re(^arn:aws[-a-z]*:iam::[0-9]{12}:role/.+$)re"),
          {"arn:aws:iam::123456789012:role/my-role",
           "arn:aws:iam::123456789012:role/service-role/My Role+=,.@",
           std::string("arn:aws:iam::123456789012:role/") + e_acute + grinning},
          {"arn:aws:iam::123456789012:role/",
           "arn:aws:iam:us-east-1:123456789012:role/x",  // IAM ARNs have no region
           "arn:aws:iam::123456789012:user/x",
           "arn:aws:iam::12345678901:role/x",
           "arn:aws:sts::123456789012:role/x",
           "arn:aws:iam::123456789012:role/a\nb",  // '.' does not match a newline
           "arn:aws:iam::123456789012:role/a\rb"});
}

BOOST_AUTO_TEST_CASE(kms_key_arn)
{
    check(detail::pattern(R"re(^arn:aws[-a-z]*:kms:[-a-z0-9]+:[0-9]{12}:key/.+$)re"),
          {"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
           "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-1"},
          {"arn:aws:kms::123456789012:key/x",  // region required
           "arn:aws:kms:us-east-1:123456789012:alias/x",
           "arn:aws:kms:us-east-1:123456789012:key/",
           "arn:aws:s3:us-east-1:123456789012:key/x"});
}

BOOST_AUTO_TEST_CASE(name_string)
{
    std::vector<std::string> bad = {
        "",                   // (?!\s*$) rejects empty...
        " ", "   ", "\t", " \t ", "\n", " \r\n",  // ...and whitespace-only names
        "\x01", "a\x01", "a\x1F" "b", "a\nb", "a\rb", "a\x0B" "b",
        std::string("a") + nonchar_fffe, nonchar_ffff,
    };
    bad.insert(bad.end(), invalid_utf8.begin(), invalid_utf8.end());
    check(detail::pattern(R"re(^(?!\s*$)[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t]*$)re"),
          {"name", "My name", " leading", "a\tb", "\tx", "a\x7F", std::string("caf") + e_acute,
           std::string("hi ") + grinning, grinning, last_before_surrogates, private_use, replacement, nbsp,
           "~!@#$%^&*()"},
          bad);
}

BOOST_AUTO_TEST_CASE(description_string)
{
    std::vector<std::string> bad = {"\x01", "a\x08", "a\x0B", std::string("a") + nonchar_fffe, nonchar_ffff};
    bad.insert(bad.end(), invalid_utf8.begin(), invalid_utf8.end());
    check(detail::pattern(R"re(^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t\r\n]*$)re"),
          {"", " ", "line one\r\nline two\tend\n", "\n", std::string(e_acute) + grinning + beaming, replacement,
           last_before_surrogates, private_use},
          bad);
}

BOOST_AUTO_TEST_CASE(s3_uri)
{
    check(detail::pattern(R"re(^s3://.+$)re"),
          {"s3://bucket", "s3://bucket/prefix/key.csv", "s3:// "},
          {"s3://", "S3://bucket", "https://bucket", " s3://bucket", "s3:/bucket", "s3://\n"});
}

BOOST_AUTO_TEST_CASE(cleanrooms_ml_arn)
{
    std::string const prefix = "arn:aws:cleanrooms-ml:us-east-1:123456789012:";
    check(detail::pattern(R"re(^arn:aws[-a-z]*:cleanrooms-ml:[-a-z0-9]+:[0-9]{12}:(training-dataset|audience-model|configured-audience-model|audience-generation-job)/[-a-zA-Z0-9_/.]+$)re"),
          {prefix + "training-dataset/x", prefix + "audience-model/x", prefix + "configured-audience-model/x",
           prefix + "audience-generation-job/x-1/y.z"},
          {prefix + "training-datasets/x", prefix + "model/x", prefix + "audience-generation-jobs/x",
           prefix + "training-dataset/", prefix + "training-datasetaudience-model/x", prefix + "/x",
           "arn:aws:cleanrooms:us-east-1:123456789012:training-dataset/x"});
}

BOOST_AUTO_TEST_CASE(uuid)
{
    check(detail::pattern(R"re(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)re"),
          {"123e4567-e89b-12d3-a456-426614174000", "00000000-0000-0000-0000-000000000000"},
          {"123E4567-E89B-12D3-A456-426614174000", "123e4567-e89b-12d3-a456-42661417400",
           "123e4567-e89b-12d3-a456-4266141740000", "123e4567e89b-12d3-a456-426614174000",
           "{123e4567-e89b-12d3-a456-426614174000}", ""});
}

// ---------------------------------------------------------------- syntax

BOOST_AUTO_TEST_CASE(anchors)
{
    check(detail::pattern("b"), {"b", "abc"}, {"", "xyz"});  // no anchors: search anywhere
    check(detail::pattern("^b"), {"bc"}, {"abc"});
    check(detail::pattern("c$"), {"abc"}, {"abcd"});
    check(detail::pattern("^$"), {""}, {"a"});
    check(detail::pattern("a^b"), {}, {"ab", "a^b"});
    // Java's '$' also matches before a line terminator that ends the input.
    check(detail::pattern("^abc$"), {"abc", "abc\n", "abc\r\n", "abc\r"}, {"abcd", "xabc", "abc\n\n", "abc\nx", "ab"});
    check(detail::pattern(""), {"", "anything"}, {});
}

BOOST_AUTO_TEST_CASE(alternation_and_groups)
{
    check(detail::pattern("^(cat|dog)s?$"), {"cat", "dogs"}, {"cow", "catdog", "cats?", ""});
    check(detail::pattern("^a|b$"), {"ax", "xb", "b"}, {"xa", "bx"});
    check(detail::pattern("^(|x)$"), {"", "x"}, {"y", "xx"});
    check(detail::pattern("^(?:ab|a)(?:bc|c)$"), {"abc", "abbc", "ac"}, {"ab", "abcc"});
    check(detail::pattern("^((a|b)(c|d))+$"), {"ac", "bdad"}, {"", "ab", "acb"});
    check(detail::pattern("^()(?:)$"), {""}, {"x"});
}

BOOST_AUTO_TEST_CASE(counted_repetition)
{
    check(detail::pattern("^a{2,3}$"), {"aa", "aaa"}, {"", "a", "aaaa"});
    check(detail::pattern("^a{2}$"), {"aa"}, {"a", "aaa"});
    check(detail::pattern("^a{2,}$"), {"aa", std::string(50, 'a')}, {"a"});
    check(detail::pattern("^a{0}b$"), {"b"}, {"ab"});
    check(detail::pattern("^(ab){1,2}c$"), {"abc", "ababc"}, {"c", "abababc", "abac"});
    check(detail::pattern("^[0-9]{2,4}-x{0,2}$"), {"12-", "1234-xx"}, {"1-", "12345-", "12-xxx"});
    check(detail::pattern("^a{1,3}?b+?c??$"), {"ab", "aaabbc"}, {"b", "aaaab"});  // lazy = greedy here
    check(detail::pattern("^(a?){3}b$"), {"b", "ab", "aaab"}, {"aaaab"});
}

BOOST_AUTO_TEST_CASE(lookahead)
{
    check(detail::pattern("^(?=.*[0-9])(?=.*[a-z])[a-z0-9]{4,}$"), {"abc1", "1abc", "a1b2c3"}, {"abcd", "1234", "ab1"});
    check(detail::pattern("^(?!foo)[a-z]+$"), {"bar", "fo", "xfoo"}, {"foo", "foobar"});
    check(detail::pattern("^(?:(?!ab).)*$"), {"", "aacbb", "ba"}, {"ab", "aab", "xxabxx"});
    check(detail::pattern("^a(?=$)"), {"a"}, {"ab"});
    check(detail::pattern("^(?=a(?!b))."), {"ac", "a"}, {"ab", "b"});
    check(detail::pattern("(?=b)"), {"abc"}, {"ac"});
}

BOOST_AUTO_TEST_CASE(classes_and_escapes)
{
    check(detail::pattern("^[-a]+$"), {"-a-"}, {"b"});
    check(detail::pattern("^[a-]+$"), {"-a-"}, {"b"});
    check(detail::pattern(R"re(^[\-.]+$)re"), {"-.", "."}, {"a"});
    check(detail::pattern("^[.]$"), {"."}, {"a"});
    check(detail::pattern("^[^a-c]$"), {"d", "\n", e_acute}, {"b", "", "dd"});
    check(detail::pattern("^[a-cx-z]+$"), {"abxz"}, {"d", "w"});
    check(detail::pattern(R"re(^\d\w\s$)re"), {"1a ", "9_\t", "0Z\x0B"}, {"a1 ", "1a", "1-"});
    check(detail::pattern(R"re(^\D\W\S$)re"), {"a-x", "--."}, {"1-x", "a_x", "a- ", "a-\t"});
    check(detail::pattern(R"re(^[\d\s]+$)re"), {"1 2\t3"}, {"1a"});
    check(detail::pattern(R"re(^[^\d\s]+$)re"), {"ab-"}, {"a1", "a b"});
    check(detail::pattern(R"re(^[\D]$)re"), {"a"}, {"1"});
    check(detail::pattern(R"re(^\s$)re"), {" ", "\t", "\n", "\x0B", "\f", "\r"}, {nbsp, "a"});  // Java's ASCII \s
    check(detail::pattern(R"re(^\w+$)re"), {"a_Z9"}, {e_acute, "a-b"});
    check(detail::pattern(R"re(^a\.b$)re"), {"a.b"}, {"axb"});
    check(detail::pattern("^a.b$"), {"axb", "a b", std::string("a") + e_acute + "b", std::string("a") + grinning + "b"},
          {"a\nb", "a\rb", "ab"});
    check(detail::pattern(R"re(^\u0041\t\n\r\f$)re"), {"A\t\n\r\f"}, {"a\t\n\r\f"});
    check(detail::pattern(R"re(^[\u00e0-\u00FF]$)re"), {e_acute}, {"e"});
    check(detail::pattern(R"re(^\/\-\\\$\^\*\+\?\(\)\[\]\{\}\|$)re"), {R"(/-\$^*+?()[]{}|)"}, {"/-"});
    check(detail::pattern("^a]}$"), {"a]}"}, {"a"});
    check(detail::pattern("^caf\xC3\xA9$"), {std::string("caf") + e_acute}, {"cafe"});
    check(detail::pattern(R"re(^[\]\[\\^]+$)re"), {R"(][\^)"}, {"a"});
    check(detail::pattern("^[a^$]+$"), {"^$a"}, {"b"});
}

// Supplementary characters against classes written for UTF-16 (see the rule
// in pattern.ipp): a class naming a surrogate accepts them; a negated class
// keeps Java's code-point test.
BOOST_AUTO_TEST_CASE(supplementary_code_points)
{
    check(detail::pattern(R"re(^[\uD800-\uDFFF]$)re"), {grinning}, {"a", e_acute});
    check(detail::pattern(R"re(^[a\uDC00]$)re"), {"a", grinning}, {"b"});
    check(detail::pattern("^[a-z]$"), {"a"}, {grinning});
    check(detail::pattern("^[^a-z]$"), {grinning}, {"a"});
    check(detail::pattern(R"re(^[^\uD800-\uDFFF]$)re"), {grinning, "a"}, {});
    check(detail::pattern("^.$"), {grinning}, {});
    check(detail::pattern("^..$"), {}, {grinning});
    // Java joins an escaped surrogate pair into one code point, in and out of classes.
    check(detail::pattern(R"re(^\uD83D\uDE00$)re"), {grinning}, {beaming, "a"});
    check(detail::pattern(R"re(^[\uD83D\uDE00-\uD83D\uDE4F]$)re"), {grinning, beaming}, {after_emoticons, "a"});
}

BOOST_AUTO_TEST_CASE(unsupported_syntax_accepts_everything)
{
    char const* const sources[] = {
        R"((a)\1)",  R"((?i)abc)",   R"((?<=a)b)",  R"((?<n>a))",  R"((?>a))",   "a*+",      "a++",
        R"(\p{L})",  R"(\bfoo)",     "[[a-z]]",     "[a-z&&[^e]]", "a{2,1}",    "a{,2}",    "a{",
        "{2}",       "*a",           "a**",         "(abc",        "abc)",      "[abc",     "[]a]",
        "[^]a]",     R"([\d-z])",    R"([a-\d])",   "[z-a]",       "[a-c-e]",   R"(\Qa\E)", R"(\x41)",
        R"(\0)",     R"(\cA)",       "(?=a)*",      "^*",          "\\",        "a{1001}",  "\xC3",
        R"(\uZZZZ)", "\\\xC3\xA9",   "((a{1000}){1000})",           "[a",        "a|*",      R"([\b])",
    };
    for (char const* source : sources) {
        detail::pattern const p(source);
        BOOST_TEST(!p.supported(), "should be unsupported: " << source);
        BOOST_TEST(p.source() == source);
        BOOST_TEST(matches(p, ""));
        BOOST_TEST(matches(p, "anything"));
        BOOST_TEST(matches(p, "\xC3"));  // even invalid UTF-8: validation must not reject
    }
}

BOOST_AUTO_TEST_CASE(copies_keep_the_source)
{
    detail::pattern const original("^[0-9]{12}$");
    detail::pattern const copy = original;
    detail::pattern moved = detail::pattern(std::string("^[0-9]{12}$"));
    BOOST_TEST(copy.source() == "^[0-9]{12}$");
    BOOST_TEST(moved.source() == "^[0-9]{12}$");
    BOOST_TEST(matches(copy, "123456789012"));
    BOOST_TEST(!matches(moved, "12345678901"));
}

// ---------------------------------------------------------------- cost

BOOST_AUTO_TEST_CASE(no_catastrophic_backtracking)
{
    auto expect_fast = [](detail::pattern const& p, std::string const& input, bool expected, double bound) {
        bool matched = false;
        double const elapsed = seconds([&] { matched = matches(p, input); });
        BOOST_TEST(matched == expected, p.source() << " on " << input.size() << " characters");
        BOOST_TEST(elapsed < bound, p.source() << " took " << elapsed << " s on " << input.size() << " characters");
    };

    // A backtracking matcher needs exponential time to fail on these.
    detail::pattern const column(R"re(^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$)re");
    std::string const long_bad = std::string(9999, 'a') + "!";
    BOOST_TEST(long_bad.size() == 10000u);
    expect_fast(column, long_bad, false, 0.5);
    expect_fast(column, "a" + std::string("b -") * 3333, false, 0.5);  // ends in '-'
    expect_fast(column, "a" + std::string("b c-d") * 4000, true, 0.5);

    // Classic blow-ups on 20 KiB. Exponential time would never end; the
    // bound only has to hold under sanitizers on a busy machine.
    std::string const as(20000, 'a');
    expect_fast(detail::pattern("^(a+)+$"), as + "!", false, 2.0);
    expect_fast(detail::pattern("^(a|aa)*b$"), as, false, 2.0);
    expect_fast(detail::pattern("(a*)*b"), as, false, 2.0);  // unanchored: tried at every position
    detail::pattern const name(R"re(^(?!\s*$)[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t]*$)re");
    expect_fast(name, std::string(20000, ' ') + "\x01", false, 2.0);
    expect_fast(name, std::string(20000, ' ') + "x", true, 2.0);
    expect_fast(detail::pattern("^(?:(?!ab).)*$"), as + "b", false, 2.0);  // a lookahead at every position
}

// ---------------------------------------------------------------- cross-check

// Random patterns over a small alphabet, compared with std::regex (ECMAScript)
// on every short input. Inputs hold no line terminators, where Java's '$'
// differs from ECMAScript's; '^' stays out of lookaheads, where libstdc++
// anchors it at the start of the lookahead.
BOOST_AUTO_TEST_CASE(agrees_with_std_regex)
{
    std::mt19937 rng(20240611);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    // Loops over groups that can match empty are left out: they send
    // std::regex's backtracking into exponential time (not this matcher).
    struct generated {
        std::string text;
        bool nullable;
    };
    static char const* const atoms[] = {"a", "b", "-", ".", "[ab]", "[^a]", R"(\s)", "[a-b-]", R"(\w)"};
    static char const* const quantifiers[] = {"*", "?", "{0,}", "*?", "+", "{2}", "{1,2}", "", "", ""};
    auto quantifier = [&](bool nullable_body) -> std::pair<std::string, bool> {
        int const q = nullable_body ? 7 - 6 * (pick(4) == 0) : pick(10);  // only "?" or none
        return {quantifiers[q], nullable_body || q < 4};
    };
    auto generate = [&](auto& self, int depth, bool in_look) -> generated {
        generated out{"", true};
        for (int i = 0, n = 1 + pick(3); i < n; ++i) {
            int const kind = pick(depth > 0 ? 13 : 9);
            if (kind < 9) {
                auto const [q, nullable] = quantifier(false);
                out.text += atoms[kind] + q;
                out.nullable = out.nullable && nullable;
            } else if (kind < 11) {
                // one call per statement: the same sequence on every compiler
                generated const left = self(self, depth - 1, in_look);
                generated const right = kind == 9 ? left : self(self, depth - 1, in_look);
                std::string const body = kind == 9 ? "(" + left.text : "(?:" + left.text + "|" + right.text;
                auto const [q, nullable] = quantifier(left.nullable || right.nullable);
                out.text += body + ")" + q;
                out.nullable = out.nullable && nullable;
            } else {
                out.text += (kind == 11 ? "(?=" : "(?!") + self(self, depth - 1, true).text + ")";
            }
        }
        if (!in_look && pick(5) == 0)
            out.text = "^" + out.text;
        if (pick(5) == 0)
            out.text += "$";
        if (depth > 0 && pick(6) == 0) {
            generated const other = self(self, depth - 1, in_look);
            out.text += "|" + other.text;
            out.nullable = out.nullable || other.nullable;
        }
        return out;
    };

    std::vector<std::string> inputs = {""};
    for (std::size_t begin = 0, length = 1; length <= 4; ++length) {
        std::size_t const end = inputs.size();
        for (std::size_t i = begin; i < end; ++i)
            for (char c : std::string("ab- "))
                inputs.push_back(inputs[i] + c);
        begin = end;
    }

    int compared = 0;
    for (int round = 0; round < 300; ++round) {
        std::string const source = generate(generate, 2, false).text;
        std::regex reference;
        try {
            reference = std::regex(source, std::regex::ECMAScript);
        } catch (std::regex_error const&) {
            continue;
        }
        detail::pattern const p(source);
        BOOST_TEST_REQUIRE(p.supported(), source);
        for (auto const& input : inputs) {
            if (matches(p, input) != std::regex_search(input, reference))
                BOOST_ERROR("pattern " << source << " disagrees on \"" << input << "\"");
        }
        ++compared;
    }
    BOOST_TEST(compared > 250);
}

// The DFA against the NFA on the same random patterns, with inputs that hold
// line terminators and non-ASCII text too (where the DFA hands over).
BOOST_AUTO_TEST_CASE(dfa_agrees_with_nfa)
{
    std::mt19937 rng(20261203);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    static char const* const atoms[] = {"a", "b", ".", "[ab]", "[^a]", R"(\s)", R"(\w)", "(?:a|b-)", "(?:^a)", "(?:b$)", "(?=a)"};
    static char const* const quantifiers[] = {"*", "?", "+", "{2}", "{1,3}", "", "", ""};
    std::vector<std::string> inputs = {""};
    for (std::size_t begin = 0, length = 1; length <= 4; ++length) {
        std::size_t const end = inputs.size();
        for (std::size_t i = begin; i < end; ++i)
            for (char c : std::string("ab- "))
                inputs.push_back(inputs[i] + c);
        begin = end;
    }
    for (char const* extra : {"a\n", "ab\r\n", "\n", "a\rb", "\xC3\xA9" "a", "a\xC3\xA9", "\xC3", "ab\x80"})
        inputs.emplace_back(extra);

    int with_dfa = 0;
    for (int round = 0; round < 400; ++round) {
        std::string source = pick(2) ? "^" : "";
        for (int i = 0, n = 1 + pick(5); i < n; ++i) {
            int const atom = pick(11);
            source += atoms[atom];
            if (atom != 10) source += quantifiers[pick(8)];  // a lookahead takes no quantifier
        }
        if (pick(2)) source += "$";
        if (pick(5) == 0) source += "|b+";
        detail::pattern const p(source);
        detail::pattern const nfa(source, detail::pattern::engine::nfa_only);
        BOOST_TEST_REQUIRE(p.supported(), source);
        BOOST_TEST(p.has_dfa() == (source.find("(?=") == std::string::npos), source);
        with_dfa += p.has_dfa();
        for (auto const& input : inputs)
            if (matches(p, input) != matches(nfa, input))
                BOOST_ERROR("engines disagree on " << source << " with \"" << input << "\"");
    }
    BOOST_TEST(with_dfa > 100);
}

// A pattern whose DFA would be exponential keeps the NFA alone and still matches.
BOOST_AUTO_TEST_CASE(dfa_size_is_bounded)
{
    detail::pattern const p("^(a|b)*a(a|b){12}$");
    BOOST_TEST(p.supported());
    BOOST_TEST(!p.has_dfa());
    BOOST_TEST(matches(p, "bbba" + std::string(12, 'b')));
    BOOST_TEST(!matches(p, "bbbb" + std::string(12, 'b')));
    // The model's patterns have one, except those with a lookahead.
    BOOST_TEST(detail::pattern("^arn:aws[-a-z]*:iam::[0-9]{12}:role/.+$").has_dfa());
    BOOST_TEST(detail::pattern(R"re(^[a-zA-Z0-9_](([a-zA-Z0-9_ ]+-)*([a-zA-Z0-9_ ]+))?$)re").has_dfa());
    BOOST_TEST(!detail::pattern(R"re(^(?!\s*$)[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t]*$)re").has_dfa());
}

BOOST_AUTO_TEST_SUITE_END()
