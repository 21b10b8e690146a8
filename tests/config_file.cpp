#include <cleanroomsml/config_file.hpp>

#include <boost/test/unit_test.hpp>

#include "support/environment.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

namespace {

using cleanroomsml::config_file_error;
using cleanroomsml::config_files;
using cleanroomsml::profile_section;

constexpr std::string_view config_name = "~/.aws/config";
constexpr std::string_view credentials_name = "~/.aws/credentials";

struct result {
    bool ok = false;
    config_files files;
    config_file_error err;
};

result parse(std::string_view config, std::string_view credentials = {})
{
    result r;
    r.ok = cleanroomsml::parse_config_files(config, config_name, credentials, credentials_name, r.files, r.err);
    return r;
}

// "k=v k2=v2 s3.sub=x", newlines shown as "\n".
std::string dump(profile_section const& s)
{
    auto esc = [](std::string_view v) {
        std::string r;
        for (char c : v) r += c == '\n' ? std::string("\\n") : std::string(1, c);
        return r;
    };
    std::string r;
    for (auto const& [k, v] : s.properties) r += (r.empty() ? "" : " ") + k + "=" + esc(v);
    for (auto const& [k, subs] : s.sub_properties)
        for (auto const& [sk, sv] : subs) r += (r.empty() ? "" : " ") + k + "." + sk + "=" + esc(sv);
    return r;
}

// "[a] k=v | [b]" for every section of the map.
std::string dump(std::map<std::string, profile_section, std::less<>> const& sections)
{
    std::string r;
    for (auto const& [name, s] : sections) {
        if (!r.empty()) r += " | ";
        r += "[" + name + "]";
        BOOST_TEST(s.name == name);
        std::string const body = dump(s);
        if (!body.empty()) r += " " + body;
    }
    return r;
}

// Parses, which must succeed; returns the profiles.
std::string profiles(std::string_view config, std::string_view credentials = {})
{
    result r = parse(config, credentials);
    BOOST_TEST_REQUIRE(r.ok, r.err.to_string());
    return dump(r.files.profiles);
}

// Parses, which must fail; returns the error.
std::string error(std::string_view config, std::string_view credentials = {})
{
    result r = parse(config, credentials);
    BOOST_TEST_REQUIRE(!r.ok);
    BOOST_TEST(r.files.profiles.empty());
    return r.err.to_string();
}

std::vector<std::string> warnings(std::string_view config, std::string_view credentials = {})
{
    result r = parse(config, credentials);
    BOOST_TEST_REQUIRE(r.ok, r.err.to_string());
    return r.files.warnings;
}

using strings = std::vector<std::string>;

// Sets environment variables for a test and restores them afterwards.
using env_guard = test_support::scoped_env;
using test_support::temp_dir;

} // namespace

BOOST_AUTO_TEST_SUITE(config_file)

// --- sections -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(empty_files)
{
    result r = parse("", "");
    BOOST_TEST(r.ok);
    BOOST_TEST(r.files.profiles.empty());
    BOOST_TEST(r.files.sso_sessions.empty());
    BOOST_TEST(r.files.services.empty());
    BOOST_TEST(r.files.warnings.empty());
    BOOST_TEST(profiles("\n\n  \t\n# only comments\n; here\n") == "");
}

BOOST_AUTO_TEST_CASE(empty_section)
{
    BOOST_TEST(profiles("[profile alpha]") == "[alpha]");
    BOOST_TEST(profiles("[profile alpha]\n[profile beta]\n") == "[alpha] | [beta]");
}

BOOST_AUTO_TEST_CASE(section_name_characters)
{
    BOOST_TEST(profiles("[profile Dev-01_x.y/z%w@q:r+s]") == "[Dev-01_x.y/z%w@q:r+s]");
    BOOST_TEST(profiles("[profile bad*name]\nregion = x\n[profile ok]") == "[ok]");
    BOOST_TEST(warnings("[profile bad*name]\nregion = x") ==
               strings{"~/.aws/config:1: section [profile bad*name] ignored: 'bad*name' is not a valid name "
                       "(letters, digits and _-/.%@:+ only)"});
}

BOOST_AUTO_TEST_CASE(section_names_are_case_sensitive)
{
    BOOST_TEST(profiles("[profile Prod]\na = 1\n[profile prod]\na = 2") == "[Prod] a=1 | [prod] a=2");
}

BOOST_AUTO_TEST_CASE(section_header_whitespace)
{
    BOOST_TEST(profiles("[profile \t beta \t]") == "[beta]");
    BOOST_TEST(profiles("[profile\tgamma]") == "[gamma]");
    BOOST_TEST(profiles("[   profile   delta   ]\nk = v") == "[delta] k=v");
    BOOST_TEST(profiles("[profile two words]\nk = v") == "");
    BOOST_TEST(profiles("", "[  epsilon  ]\nk = v") == "[epsilon] k=v");
    BOOST_TEST(profiles("[profile zeta]   \t") == "[zeta]");
}

BOOST_AUTO_TEST_CASE(section_header_without_closing_bracket)
{
    BOOST_TEST(error("[profile ok]\n[profile broken\nk = v") ==
               "~/.aws/config:2: section header must end with ']'");
    BOOST_TEST(error("", "[broken") == "~/.aws/credentials:1: section header must end with ']'");
    // A comment character inside the brackets ends the header early.
    BOOST_TEST(error("[profile a#b]") == "~/.aws/config:1: section header must end with ']'");
    BOOST_TEST(error("[") == "~/.aws/config:1: section header must end with ']'");
}

BOOST_AUTO_TEST_CASE(empty_section_name)
{
    BOOST_TEST(profiles("[]\nk = v", "[]\nk = v") == "");
    BOOST_TEST(warnings("", "[ ]") ==
               strings{"~/.aws/credentials:1: section [] ignored: '' is not a valid name (letters, digits and "
                       "_-/.%@:+ only)"});
    // "[profile ]" is "[profile]": a section without prefix.
    BOOST_TEST(profiles("[profile ]\nk = v") == "");
}

BOOST_AUTO_TEST_CASE(indented_header_is_a_continuation)
{
    BOOST_TEST(profiles("[profile a]\nk = v\n [profile b]") == "[a] k=v\\n[profile b]");
}

// --- properties -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(simple_properties)
{
    BOOST_TEST(profiles("[profile a]\nregion = eu-west-1\noutput = json") == "[a] output=json region=eu-west-1");
}

BOOST_AUTO_TEST_CASE(property_before_any_section)
{
    BOOST_TEST(error("region = us-east-1\n[profile a]") ==
               "~/.aws/config:1: property line before any section header");
    BOOST_TEST(error("# comment\n\n; another\nregion = us-east-1") ==
               "~/.aws/config:4: property line before any section header");
    BOOST_TEST(error("", "\naws_access_key_id = x") ==
               "~/.aws/credentials:2: property line before any section header");
}

BOOST_AUTO_TEST_CASE(whitespace_around_names_and_equals)
{
    BOOST_TEST(profiles("[profile a]\nregion\t =  \tus-east-2 \t") == "[a] region=us-east-2");
    BOOST_TEST(profiles("[profile a]\nregion=us-east-2") == "[a] region=us-east-2");
}

BOOST_AUTO_TEST_CASE(empty_value)
{
    BOOST_TEST(profiles("[profile a]\nregion =") == "[a] region=");
    BOOST_TEST(profiles("[profile a]\nregion =   \t") == "[a] region=");
}

BOOST_AUTO_TEST_CASE(values_may_contain_equals)
{
    BOOST_TEST(profiles("[profile a]\ntoken = abc==\nquery = x=1&y=2") == "[a] query=x=1&y=2 token=abc==");
}

BOOST_AUTO_TEST_CASE(non_ascii_values)
{
    BOOST_TEST(profiles("[profile a]\nnote = caf\xC3\xA9 \xE2\x9C\x93") == "[a] note=caf\xC3\xA9 \xE2\x9C\x93");
}

BOOST_AUTO_TEST_CASE(windows_line_endings)
{
    BOOST_TEST(profiles("[profile a]\r\nregion = us-west-1\r\n\r\n[profile b]\r\n") == "[a] region=us-west-1 | [b]");
    BOOST_TEST(error("[profile a]\r\nbroken\r\n") == "~/.aws/config:2: expected '=' in property line");
}

BOOST_AUTO_TEST_CASE(byte_order_mark)
{
    BOOST_TEST(profiles("\xEF\xBB\xBF[default]\nregion = x") == "[default] region=x");
}

BOOST_AUTO_TEST_CASE(missing_equals_is_an_error)
{
    BOOST_TEST(error("[profile a]\nregion = x\n\n# c\n\n\nregion us-east-1") ==
               "~/.aws/config:7: expected '=' in property line");
    BOOST_TEST(error("[profile a]\nregion : x") == "~/.aws/config:2: expected '=' in property line");
    // The '=' must come before a comment.
    BOOST_TEST(error("[profile a]\nregion # = x") == "~/.aws/config:2: expected '=' in property line");
}

BOOST_AUTO_TEST_CASE(missing_name_is_an_error)
{
    BOOST_TEST(error("[profile a]\n= value") == "~/.aws/config:2: property line has no name before '='");
}

BOOST_AUTO_TEST_CASE(property_names_are_case_insensitive)
{
    BOOST_TEST(profiles("[profile a]\nRegion = x\nAWS_Access_Key_ID = y") == "[a] aws_access_key_id=y region=x");
    BOOST_TEST(profiles("[profile a]\nRegion = x\nREGION = y") == "[a] region=y");
    BOOST_TEST(profiles("[profile a]\nregion = x\n[profile a]\nREGION = y") == "[a] region=y");
    result r = parse("[profile a]\nRegion = x");
    BOOST_TEST_REQUIRE(r.ok);
    profile_section const* a = r.files.find_profile("a");
    BOOST_TEST_REQUIRE(a != nullptr);
    BOOST_TEST(a->get("region").value_or("?") == "x");
    BOOST_TEST(a->get("REGION").value_or("?") == "x");
    BOOST_TEST(!a->get("output").has_value());
}

BOOST_AUTO_TEST_CASE(property_name_characters)
{
    BOOST_TEST(profiles("[profile a]\nAz09-_/.%@:+ = v") == "[a] az09-_/.%@:+=v");
}

BOOST_AUTO_TEST_CASE(invalid_property_names_are_ignored)
{
    BOOST_TEST(profiles("[profile a]\nmy key = v\nok = 1") == "[a] ok=1");
    BOOST_TEST(warnings("[profile a]\n\nmy key = v") ==
               strings{"~/.aws/config:3: property 'my key' ignored: not a valid name (letters, digits and _-/.%@:+ "
                       "only)"});
    // Its continuation lines go with it.
    BOOST_TEST(profiles("[profile a]\nmy key = v\n  more\nok = 1") == "[a] ok=1");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_later_wins)
{
    BOOST_TEST(profiles("[profile a]\nregion = one\nregion = two") == "[a] region=two");
}

BOOST_AUTO_TEST_CASE(duplicate_sections_merge)
{
    BOOST_TEST(profiles("[profile a]\nregion = one\noutput = json\n[profile b]\nk = v\n[profile a]\nregion = two") ==
               "[a] output=json region=two | [b] k=v");
    BOOST_TEST(profiles("", "[a]\nx = 1\n[a]\ny = 2") == "[a] x=1 y=2");
}

// --- comments -------------------------------------------------------------

BOOST_AUTO_TEST_CASE(comment_lines)
{
    BOOST_TEST(profiles("# hash\n; semicolon\n[profile a]\n#region = no\n;output = no\nk = v") == "[a] k=v");
    BOOST_TEST(profiles("#\n;\n[profile a]") == "[a]");
}

BOOST_AUTO_TEST_CASE(comments_after_section_headers)
{
    BOOST_TEST(profiles("[profile a] # hash\n[profile b] ; semicolon\n[profile c]#adjacent\n[profile d];adjacent\n"
                        "[profile e];") == "[a] | [b] | [c] | [d] | [e]");
    BOOST_TEST(profiles("", "[a] # x\n[b];y") == "[a] | [b]");
}

BOOST_AUTO_TEST_CASE(comments_in_property_values)
{
    BOOST_TEST(profiles("[profile a]\nk = v # a # comment") == "[a] k=v");
    BOOST_TEST(profiles("[profile a]\nk = v\t; comment ; more") == "[a] k=v");
    BOOST_TEST(profiles("[profile a]\nk = v ;") == "[a] k=v");
    BOOST_TEST(profiles("[profile a]\nk = a#b") == "[a] k=a#b");
    BOOST_TEST(profiles("[profile a]\nk = a;b") == "[a] k=a;b");
    BOOST_TEST(profiles("[profile a]\nk = a#b #c") == "[a] k=a#b");
    BOOST_TEST(profiles("[profile a]\nk = # only a comment") == "[a] k=");
    BOOST_TEST(profiles("[profile a]\nk =#x") == "[a] k=#x");
}

// --- continuation lines ---------------------------------------------------

BOOST_AUTO_TEST_CASE(continuation_lines)
{
    BOOST_TEST(profiles("[profile a]\nk = first\n second") == "[a] k=first\\nsecond");
    BOOST_TEST(profiles("[profile a]\nk = first\n second\n\tthird\nz = 1") == "[a] k=first\\nsecond\\nthird z=1");
}

BOOST_AUTO_TEST_CASE(continuation_lines_are_trimmed_and_keep_comments)
{
    BOOST_TEST(profiles("[profile a]\nk = first\n \t second \t ") == "[a] k=first\\nsecond");
    BOOST_TEST(profiles("[profile a]\nk = first\n  second # not a comment") == "[a] k=first\\nsecond # not a comment");
    BOOST_TEST(profiles("[profile a]\nk = first\n  ; also kept") == "[a] k=first\\n; also kept");
}

BOOST_AUTO_TEST_CASE(continuation_skips_blank_and_comment_lines)
{
    BOOST_TEST(profiles("[profile a]\nk = first\n\n# c\n second") == "[a] k=first\\nsecond");
}

BOOST_AUTO_TEST_CASE(continuation_before_any_section)
{
    BOOST_TEST(error("  orphan") == "~/.aws/config:1: continuation line before any section header");
}

BOOST_AUTO_TEST_CASE(continuation_without_property)
{
    BOOST_TEST(error("[profile a]\n  orphan") == "~/.aws/config:2: continuation line without a property to continue");
    // A section header ends the property above it, even when it reopens the same section.
    BOOST_TEST(error("[profile a]\nk = v\n[profile a]\n  orphan") ==
               "~/.aws/config:4: continuation line without a property to continue");
}

// --- sub-properties -------------------------------------------------------

BOOST_AUTO_TEST_CASE(sub_properties)
{
    BOOST_TEST(profiles("[profile a]\ns3 =\n  max_concurrent_requests = 10\n  multipart_threshold = 64MB") ==
               "[a] s3=\\nmax_concurrent_requests = 10\\nmultipart_threshold = 64MB "
               "s3.max_concurrent_requests=10 s3.multipart_threshold=64MB");
    result r = parse("[profile a]\nS3 =\n  Max_Concurrent_Requests=10");
    BOOST_TEST_REQUIRE(r.ok);
    profile_section const& a = r.files.profiles.at("a");
    BOOST_TEST(a.get("s3", "max_concurrent_requests").value_or("?") == "10");
    BOOST_TEST(a.get("S3", "MAX_CONCURRENT_REQUESTS").value_or("?") == "10");
    BOOST_TEST(!a.get("s3", "other").has_value());
    BOOST_TEST(!a.get("dynamodb", "max_concurrent_requests").has_value());
}

BOOST_AUTO_TEST_CASE(sub_properties_skip_blank_lines)
{
    BOOST_TEST(profiles("[profile a]\ns3 =\n x = 1\n \t \n\n y = 2") == "[a] s3=\\nx = 1\\ny = 2 s3.x=1 s3.y=2");
}

BOOST_AUTO_TEST_CASE(sub_property_values)
{
    BOOST_TEST(profiles("[profile a]\ns3 =\n x =") == "[a] s3=\\nx = s3.x=");
    BOOST_TEST(profiles("[profile a]\ns3 =\n url = http://h/?a=b") == "[a] s3=\\nurl = http://h/?a=b s3.url=http://h/?a=b");
    BOOST_TEST(profiles("[profile a]\ns3 =\n x = 1\n x = 2") == "[a] s3=\\nx = 1\\nx = 2 s3.x=2");
}

BOOST_AUTO_TEST_CASE(sub_property_without_equals)
{
    BOOST_TEST(error("[profile a]\ns3 =\n  x = 1\n  broken") == "~/.aws/config:4: expected '=' in sub-property line");
    // A comment after "key =" still leaves the value empty.
    BOOST_TEST(error("[profile a]\ns3 = # nested\n  broken") == "~/.aws/config:3: expected '=' in sub-property line");
}

BOOST_AUTO_TEST_CASE(sub_property_without_name)
{
    BOOST_TEST(error("[profile a]\ns3 =\n  = 1") == "~/.aws/config:3: sub-property line has no name before '='");
}

BOOST_AUTO_TEST_CASE(invalid_sub_property_names)
{
    // Kept in the raw value, left out of sub_properties.
    BOOST_TEST(profiles("[profile a]\ns3 =\n  bad name = 1\n  ok = 2") == "[a] s3=\\nbad name = 1\\nok = 2 s3.ok=2");
    BOOST_TEST(warnings("[profile a]\ns3 =\n  bad name = 1") ==
               strings{"~/.aws/config:3: sub-property 'bad name' of 's3' ignored: not a valid name (letters, digits "
                       "and _-/.%@:+ only)"});
}

BOOST_AUTO_TEST_CASE(redefined_property_drops_its_sub_properties)
{
    BOOST_TEST(profiles("[profile a]\ns3 =\n  x = 1\ns3 = plain") == "[a] s3=plain");
    BOOST_TEST(profiles("[profile a]\ns3 =\n  x = 1\n[profile a]\ns3 =\n  y = 2") == "[a] s3=\\ny = 2 s3.y=2");
}

// --- default profile ------------------------------------------------------

BOOST_AUTO_TEST_CASE(default_section)
{
    BOOST_TEST(profiles("[default]\nregion = x") == "[default] region=x");
    BOOST_TEST(profiles("[profile default]\nregion = x") == "[default] region=x");
    BOOST_TEST(profiles("", "[default]\nregion = x") == "[default] region=x");
}

BOOST_AUTO_TEST_CASE(profile_default_wins_over_default)
{
    BOOST_TEST(profiles("[profile default]\na = 1\n[default]\nb = 2") == "[default] a=1");
    BOOST_TEST(profiles("[default]\nb = 2\n[profile default]\na = 1") == "[default] a=1");
    BOOST_TEST(profiles("[profile default]\na = 1\n[default]\nb = 2\n[profile default]\nc = 3") == "[default] a=1 c=3");
    BOOST_TEST(warnings("[default]\nb = 2\n[profile default]\na = 1\n[default]") ==
               strings{"~/.aws/config:1: section [default] ignored: the file also has [profile default], which wins"});
}

BOOST_AUTO_TEST_CASE(default_merges_with_credentials)
{
    BOOST_TEST(profiles("[profile default]\na = 1\n[default]\nb = 2", "[default]\nc = 3") == "[default] a=1 c=3");
}

// --- section kinds per file -----------------------------------------------

BOOST_AUTO_TEST_CASE(config_section_without_prefix_is_ignored)
{
    BOOST_TEST(profiles("[dev]\nregion = x\n[profile ok]") == "[ok]");
    BOOST_TEST(warnings("[dev]\nregion = x") ==
               strings{"~/.aws/config:1: section [dev] ignored: profiles in the config file need the 'profile' "
                       "prefix (only [default] may omit it)"});
    // "profile" must be followed by whitespace.
    BOOST_TEST(profiles("[profiledev]\nregion = x\n[profile ok]") == "[ok]");
}

BOOST_AUTO_TEST_CASE(credentials_section_with_prefix_is_ignored)
{
    BOOST_TEST(profiles("", "[profile dev]\nk = v\n[ok]") == "[ok]");
    BOOST_TEST(warnings("", "[profile dev]\nk = v") ==
               strings{"~/.aws/credentials:1: section [profile dev] ignored: profiles in the credentials file are "
                       "named without the 'profile' prefix"});
    result r = parse("", "[sso-session s]\nk = v\n[services x]\nk = v");
    BOOST_TEST_REQUIRE(r.ok);
    BOOST_TEST(r.files.profiles.empty());
    BOOST_TEST(r.files.sso_sessions.empty());
    BOOST_TEST(r.files.services.empty());
    BOOST_TEST(r.files.warnings ==
               (strings{"~/.aws/credentials:1: section [sso-session s] ignored: the credentials file holds only "
                        "profile sections",
                        "~/.aws/credentials:3: section [services x] ignored: the credentials file holds only profile "
                        "sections"}));
}

BOOST_AUTO_TEST_CASE(invalid_names_in_both_files)
{
    BOOST_TEST(profiles("[profile in valid]\nk = v", "[in valid 2]\nk2 = v2") == "");
    // Properties of an ignored section do not leak into the section above it.
    BOOST_TEST(profiles("[profile a]\nx = 1\n[profile in valid]\ny = 2\n[profile b]\nz = 3") == "[a] x=1 | [b] z=3");
}

BOOST_AUTO_TEST_CASE(ignored_sections_are_still_checked)
{
    BOOST_TEST(error("[dev]\nbroken") == "~/.aws/config:2: expected '=' in property line");
}

BOOST_AUTO_TEST_CASE(sso_session_sections)
{
    result r = parse("[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n"
                     "[profile dev]\nsso_session = corp\n[sso-session\tother ]");
    BOOST_TEST_REQUIRE(r.ok);
    BOOST_TEST(dump(r.files.sso_sessions) ==
               "[corp] sso_region=us-east-1 sso_start_url=https://corp.awsapps.com/start | [other]");
    BOOST_TEST(dump(r.files.profiles) == "[dev] sso_session=corp");
    BOOST_TEST(r.files.warnings.empty());
}

BOOST_AUTO_TEST_CASE(sso_session_lookalikes)
{
    // Without a space "sso-sessionx" is a plain name: a profile in the credentials file...
    BOOST_TEST(profiles("", "[sso-sessionx]\nk = v") == "[sso-sessionx] k=v");
    // ...and an unprefixed (ignored) section in the config file.
    result r = parse("[sso-sessionx]\nk = v\n[sso-sesion y]\nk = v\n[sso-session bad name]");
    BOOST_TEST_REQUIRE(r.ok);
    BOOST_TEST(r.files.sso_sessions.empty());
    BOOST_TEST(r.files.profiles.empty());
    BOOST_TEST(r.files.warnings ==
               (strings{"~/.aws/config:1: section [sso-sessionx] ignored: profiles in the config file need the "
                        "'profile' prefix (only [default] may omit it)",
                        "~/.aws/config:3: section [sso-sesion y] ignored: unknown section type 'sso-sesion'",
                        "~/.aws/config:5: section [sso-session bad name] ignored: 'bad name' is not a valid name "
                        "(letters, digits and _-/.%@:+ only)"}));
}

BOOST_AUTO_TEST_CASE(services_sections)
{
    result r = parse("[profile dev]\nservices = local\n"
                     "[services local]\n"
                     "cleanroomsml =\n"
                     "  endpoint_url = http://localhost:4566\n"
                     "s3 =\n"
                     "  endpoint_url = http://localhost:9000\n"
                     "  addressing_style = path\n");
    BOOST_TEST_REQUIRE(r.ok, r.err.to_string());
    BOOST_TEST_REQUIRE(r.files.services.size() == 1u);
    profile_section const& local = r.files.services.at("local");
    BOOST_TEST(local.name == "local");
    BOOST_TEST(local.get("cleanroomsml", "endpoint_url").value_or("?") == "http://localhost:4566");
    BOOST_TEST(local.get("s3", "endpoint_url").value_or("?") == "http://localhost:9000");
    BOOST_TEST(local.get("s3", "addressing_style").value_or("?") == "path");
    BOOST_TEST(local.get("cleanroomsml").value_or("?") == "\nendpoint_url = http://localhost:4566");
    BOOST_TEST(r.files.find_profile("dev")->get("services").value_or("?") == "local");
}

// --- merging the two files ------------------------------------------------

BOOST_AUTO_TEST_CASE(credentials_override_config)
{
    BOOST_TEST(profiles("[profile dev]\nregion = us-east-1\naws_access_key_id = from-config\n[profile cfg]",
                        "[dev]\naws_access_key_id = from-credentials\naws_secret_access_key = s\n[credonly]\nk = v") ==
               "[cfg] | [credonly] k=v | [dev] aws_access_key_id=from-credentials aws_secret_access_key=s "
               "region=us-east-1");
}

BOOST_AUTO_TEST_CASE(credentials_override_sub_properties)
{
    BOOST_TEST(profiles("[profile a]\ns3 =\n  x = 1\nt =\n  y = 2", "[a]\ns3 = flat\nt =\n  z = 3") ==
               "[a] s3=flat t=\\nz = 3 t.z=3");
}

BOOST_AUTO_TEST_CASE(errors_name_the_file)
{
    BOOST_TEST(error("[profile a]\nk = v", "[a]\n\nbroken") == "~/.aws/credentials:3: expected '=' in property line");
    result r = parse("[profile a]\n\nbroken");
    BOOST_TEST(!r.ok);
    BOOST_TEST(r.err.file == "~/.aws/config");
    BOOST_TEST(r.err.line == 3);
    BOOST_TEST(r.err.message == "expected '=' in property line");
}

BOOST_AUTO_TEST_CASE(error_to_string)
{
    BOOST_TEST((config_file_error{"f", 7, "m"}.to_string()) == "f:7: m");
    BOOST_TEST((config_file_error{"f", 0, "m"}.to_string()) == "f: m");
}

BOOST_AUTO_TEST_CASE(find_profile)
{
    result r = parse("[profile a]\nk = v");
    BOOST_TEST_REQUIRE(r.ok);
    BOOST_TEST(r.files.find_profile("a") != nullptr);
    BOOST_TEST(r.files.find_profile("A") == nullptr);
    BOOST_TEST(r.files.find_profile("default") == nullptr);
}

BOOST_AUTO_TEST_CASE(output_is_replaced)
{
    config_files out;
    config_file_error err;
    out.warnings.push_back("stale");
    out.profiles["stale"].name = "stale";
    BOOST_TEST(cleanroomsml::parse_config_files("[profile a]", "c", "", "k", out, err));
    BOOST_TEST(dump(out.profiles) == "[a]");
    BOOST_TEST(out.warnings.empty());
    BOOST_TEST(!cleanroomsml::parse_config_files("[profile a]\nbroken", "c", "", "k", out, err));
    BOOST_TEST(out.profiles.empty());
    BOOST_TEST(err.to_string() == "c:2: expected '=' in property line");
}

// --- environment and files ------------------------------------------------

BOOST_AUTO_TEST_CASE(selected_profile_name)
{
    env_guard env;
    env_guard::unset("AWS_PROFILE");
    BOOST_TEST(cleanroomsml::selected_profile_name() == "default");
    BOOST_TEST(cleanroomsml::selected_profile_name("mine") == "mine");
    env_guard::set("AWS_PROFILE", "from-env");
    BOOST_TEST(cleanroomsml::selected_profile_name() == "from-env");
    BOOST_TEST(cleanroomsml::selected_profile_name("mine") == "mine");
    env_guard::set("AWS_PROFILE", "");
    BOOST_TEST(cleanroomsml::selected_profile_name() == "default");
}

BOOST_AUTO_TEST_CASE(load_from_environment_paths)
{
    env_guard env;
    temp_dir dir;
    std::string const cfg = dir.write("elsewhere/cfg", "[profile dev]\nregion = eu-west-1\n");
    std::string const cred = dir.write("elsewhere/cred", "[dev]\naws_access_key_id = AKID\n");
    env_guard::set("AWS_CONFIG_FILE", cfg);
    env_guard::set("AWS_SHARED_CREDENTIALS_FILE", cred);
    env_guard::set("HOME", (dir.path() / "nohome").string());
    config_files out;
    config_file_error err;
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(dump(out.profiles) == "[dev] aws_access_key_id=AKID region=eu-west-1");
}

BOOST_AUTO_TEST_CASE(load_from_home)
{
    env_guard env;
    temp_dir dir;
    dir.write("home/.aws/config", "[default]\nregion = us-west-2\n[services s]\ncleanroomsml =\n  endpoint_url = "
                                  "http://localhost:1234\n");
    dir.write("home/.aws/credentials", "[default]\naws_access_key_id = AKID\n");
    env_guard::unset("AWS_CONFIG_FILE");
    env_guard::unset("AWS_SHARED_CREDENTIALS_FILE");
    env_guard::set("HOME", (dir.path() / "home").string());
    config_files out;
    config_file_error err;
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(dump(out.profiles) == "[default] aws_access_key_id=AKID region=us-west-2");
    BOOST_TEST(out.services.at("s").get("cleanroomsml", "endpoint_url").value_or("?") == "http://localhost:1234");

    // A trailing slash on HOME changes nothing.
    env_guard::set("HOME", (dir.path() / "home").string() + "/");
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(dump(out.profiles) == "[default] aws_access_key_id=AKID region=us-west-2");
}

BOOST_AUTO_TEST_CASE(tilde_in_environment_paths)
{
    env_guard env;
    temp_dir dir;
    dir.write("h/my/cfg", "[profile t]\nk = v\n");
    env_guard::set("HOME", (dir.path() / "h").string());
    env_guard::set("AWS_CONFIG_FILE", "~/my/cfg");
    env_guard::set("AWS_SHARED_CREDENTIALS_FILE", "~/my/missing");
    config_files out;
    config_file_error err;
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(dump(out.profiles) == "[t] k=v");
}

BOOST_AUTO_TEST_CASE(missing_files_are_empty)
{
    env_guard env;
    temp_dir dir;
    env_guard::set("AWS_CONFIG_FILE", (dir.path() / "no-such-config").string());
    env_guard::set("AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "no-such-dir" / "credentials").string());
    config_files out;
    config_file_error err;
    out.profiles["stale"].name = "stale";
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(out.profiles.empty());
    BOOST_TEST(out.warnings.empty());

    // Default locations under a HOME without .aws.
    env_guard::unset("AWS_CONFIG_FILE");
    env_guard::unset("AWS_SHARED_CREDENTIALS_FILE");
    env_guard::set("HOME", dir.path().string());
    BOOST_TEST_REQUIRE(cleanroomsml::load_config_files(out, err), err.to_string());
    BOOST_TEST(out.profiles.empty());
}

BOOST_AUTO_TEST_CASE(unreadable_file_is_an_error)
{
    // Tests may run as root, which reads through chmod 000: a directory is unreadable for everyone.
    env_guard env;
    temp_dir dir;
    std::filesystem::create_directories(dir.path() / "adir");
    std::string const cfg = dir.write("config", "[profile a]\n");
    env_guard::set("AWS_CONFIG_FILE", cfg);
    env_guard::set("AWS_SHARED_CREDENTIALS_FILE", (dir.path() / "adir").string());
    config_files out;
    config_file_error err;
    BOOST_TEST_REQUIRE(!cleanroomsml::load_config_files(out, err));
    BOOST_TEST(out.profiles.empty());
    BOOST_TEST(err.file == (dir.path() / "adir").string());
    BOOST_TEST(err.line == 0);
    BOOST_TEST(err.to_string() == (dir.path() / "adir").string() + ": cannot read: Is a directory");

    // Through "~": the message names the expanded path too.
    env_guard::set("HOME", dir.path().string());
    env_guard::set("AWS_SHARED_CREDENTIALS_FILE", "~/adir");
    BOOST_TEST_REQUIRE(!cleanroomsml::load_config_files(out, err));
    BOOST_TEST(err.to_string() == "~/adir: cannot read " + (dir.path() / "adir").string() + ": Is a directory");
}

BOOST_AUTO_TEST_CASE(syntax_error_in_loaded_file)
{
    env_guard env;
    temp_dir dir;
    dir.write("home/.aws/config", "[default]\nregion = x\n\n# comment\n[profile b]\nk = v\nbroken line\n");
    env_guard::unset("AWS_CONFIG_FILE");
    env_guard::unset("AWS_SHARED_CREDENTIALS_FILE");
    env_guard::set("HOME", (dir.path() / "home").string());
    config_files out;
    config_file_error err;
    BOOST_TEST_REQUIRE(!cleanroomsml::load_config_files(out, err));
    BOOST_TEST(err.to_string() == "~/.aws/config:7: expected '=' in property line");
}

BOOST_AUTO_TEST_SUITE_END()
