// load_config(): every setting from the environment and the shared files,
// in the AWS SDKs' order of precedence, and clear errors for bad values.

#include <cleanroomsml/client_config.hpp>

#include <boost/system/system_error.hpp>
#include <boost/test/unit_test.hpp>

#include "support/environment.hpp"

#include <string>

namespace crml = cleanroomsml;
using test_support::scoped_env;
using test_support::temp_dir;

namespace {

// Points the shared files at a temp dir with the given contents.
void use_files(temp_dir const& dir, std::string const& config, std::string const& credentials = "")
{
    scoped_env::set("AWS_CONFIG_FILE", dir.write("config", config));
    scoped_env::set("AWS_SHARED_CREDENTIALS_FILE", dir.write("credentials", credentials));
}

std::string load_error(crml::load_config_options const& o = {})
{
    try {
        (void)crml::load_config(o);
    } catch (boost::system::system_error const& e) {
        BOOST_TEST((e.code() == crml::client_errc::invalid_configuration));
        return e.what();
    }
    return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(client_config)

BOOST_AUTO_TEST_CASE(defaults_without_any_configuration)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir, "");
    auto cfg = crml::load_config();
    BOOST_TEST(cfg.region.empty());  // no silent default region
    BOOST_TEST(!cfg.endpoint_url.has_value());
    BOOST_TEST(cfg.retry.max_attempts == 3);
    BOOST_TEST((cfg.retry.mode == crml::retry_mode::standard));
    BOOST_TEST(cfg.timeouts.connect.count() == 3100);
    BOOST_TEST(cfg.tls.verify);
    BOOST_TEST(cfg.profile == "default");
    BOOST_TEST(static_cast<bool>(cfg.credentials));
}

BOOST_AUTO_TEST_CASE(region_precedence)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir, "[default]\nregion = eu-west-1\n[profile dev]\nregion = ap-south-1\n");
    BOOST_TEST(crml::load_config().region == "eu-west-1");
    scoped_env::set("AWS_PROFILE", "dev");
    BOOST_TEST(crml::load_config().region == "ap-south-1");
    BOOST_TEST(crml::load_config(crml::load_config_options{.profile = "default"}).region == "eu-west-1");
    scoped_env::set("AWS_DEFAULT_REGION", "us-west-2");
    BOOST_TEST(crml::load_config().region == "us-west-2");
    scoped_env::set("AWS_REGION", "us-east-2");
    BOOST_TEST(crml::load_config().region == "us-east-2");
}

BOOST_AUTO_TEST_CASE(endpoint_url_precedence)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir,
              "[default]\nservices = local\nendpoint_url = http://profile:1\n"
              "[services local]\ncleanroomsml =\n  endpoint_url = http://services:2\n"
              "[profile plain]\nendpoint_url = http://plain:3\n");
    BOOST_TEST(crml::load_config().endpoint_url.value_or("") == "http://services:2");
    BOOST_TEST(crml::load_config(crml::load_config_options{.profile = "plain"}).endpoint_url.value_or("") ==
               "http://plain:3");
    scoped_env::set("AWS_ENDPOINT_URL", "http://global:4");
    BOOST_TEST(crml::load_config().endpoint_url.value_or("") == "http://global:4");
    scoped_env::set("AWS_ENDPOINT_URL_CLEANROOMSML", "http://service:5");
    BOOST_TEST(crml::load_config().endpoint_url.value_or("") == "http://service:5");
    scoped_env::set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE");
    BOOST_TEST(!crml::load_config().endpoint_url.has_value());
    scoped_env::set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false");
    BOOST_TEST(crml::load_config().endpoint_url.value_or("") == "http://service:5");
}

BOOST_AUTO_TEST_CASE(profile_can_ignore_configured_endpoints)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir, "[default]\nendpoint_url = http://profile:1\nignore_configured_endpoint_urls = true\n");
    scoped_env::set("AWS_ENDPOINT_URL", "http://global:4");
    BOOST_TEST(!crml::load_config().endpoint_url.has_value());
}

BOOST_AUTO_TEST_CASE(other_settings_from_environment_and_profile)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir,
              "[default]\nmax_attempts = 5\nretry_mode = adaptive\nuse_fips_endpoint = true\n"
              "use_dualstack_endpoint = TRUE\nsdk_ua_app_id = from-profile\nca_bundle = /etc/profile.pem\n");
    auto cfg = crml::load_config();
    BOOST_TEST(cfg.retry.max_attempts == 5);
    BOOST_TEST((cfg.retry.mode == crml::retry_mode::adaptive));
    BOOST_TEST(cfg.use_fips);
    BOOST_TEST(cfg.use_dual_stack);
    BOOST_TEST(cfg.app_id.value_or("") == "from-profile");
    BOOST_TEST(cfg.tls.ca_file.value_or("") == "/etc/profile.pem");

    scoped_env::set("AWS_MAX_ATTEMPTS", "1");
    scoped_env::set("AWS_RETRY_MODE", "standard");
    scoped_env::set("AWS_USE_FIPS_ENDPOINT", "false");
    scoped_env::set("AWS_SDK_UA_APP_ID", "from-env");
    scoped_env::set("AWS_CA_BUNDLE", "/etc/env.pem");
    cfg = crml::load_config();
    BOOST_TEST(cfg.retry.max_attempts == 1);
    BOOST_TEST((cfg.retry.mode == crml::retry_mode::standard));
    BOOST_TEST(!cfg.use_fips);
    BOOST_TEST(cfg.app_id.value_or("") == "from-env");
    BOOST_TEST(cfg.tls.ca_file.value_or("") == "/etc/env.pem");
}

BOOST_AUTO_TEST_CASE(malformed_settings_are_errors_naming_their_source)
{
    scoped_env env;
    temp_dir dir;
    use_files(dir, "[default]\nmax_attempts = 0\n");
    auto e = load_error();
    BOOST_TEST(e.find("profile default: max_attempts") != std::string::npos, e);

    use_files(dir, "");
    scoped_env::set("AWS_MAX_ATTEMPTS", "abc");
    e = load_error();
    BOOST_TEST(e.find("AWS_MAX_ATTEMPTS") != std::string::npos, e);
    scoped_env::unset("AWS_MAX_ATTEMPTS");

    scoped_env::set("AWS_RETRY_MODE", "sometimes");
    e = load_error();
    BOOST_TEST(e.find("AWS_RETRY_MODE") != std::string::npos, e);
    scoped_env::unset("AWS_RETRY_MODE");

    scoped_env::set("AWS_USE_DUALSTACK_ENDPOINT", "yes");
    e = load_error();
    BOOST_TEST(e.find("AWS_USE_DUALSTACK_ENDPOINT") != std::string::npos, e);
    scoped_env::unset("AWS_USE_DUALSTACK_ENDPOINT");

    scoped_env::set("AWS_PROFILE", "nope");
    e = load_error();
    BOOST_TEST(e.find("\"nope\"") != std::string::npos, e);
    scoped_env::unset("AWS_PROFILE");

    use_files(dir, "[default]\nservices = missing\n");
    e = load_error();
    BOOST_TEST(e.find("missing") != std::string::npos, e);

    use_files(dir, "[default]\nregion\n");
    e = load_error();
    BOOST_TEST(e.find("config:2") != std::string::npos, e);
}

BOOST_AUTO_TEST_SUITE_END()
