#ifndef CLEANROOMSML_TESTS_SUPPORT_ENVIRONMENT_HPP
#define CLEANROOMSML_TESTS_SUPPORT_ENVIRONMENT_HPP

// Test fixtures for code that reads the process environment and files:
// a guard that clears every variable the library reads and restores them,
// and a temporary directory removed afterwards.

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <string_view>

#include <stdlib.h>
#include <sys/stat.h>

namespace test_support {

class scoped_env {
public:
    scoped_env()
    {
        for (char const* n : names) {
            if (char const* v = std::getenv(n)) saved_[n] = v;
            ::unsetenv(n);
        }
    }
    ~scoped_env()
    {
        for (char const* n : names) {
            auto it = saved_.find(n);
            if (it != saved_.end()) ::setenv(n, it->second.c_str(), 1);
            else ::unsetenv(n);
        }
    }
    scoped_env(scoped_env const&) = delete;
    scoped_env& operator=(scoped_env const&) = delete;

    static void set(char const* n, std::string const& v) { ::setenv(n, v.c_str(), 1); }
    static void unset(char const* n) { ::unsetenv(n); }

private:
    static constexpr char const* names[] = {
        "HOME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
        "AWS_ACCOUNT_ID", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION",
        "AWS_DEFAULT_REGION", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_EC2_METADATA_DISABLED",
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "AWS_METADATA_SERVICE_TIMEOUT",
        "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "AWS_EC2_INSTANCE_PROFILE_NAME", "AWS_EC2_METADATA_V1_DISABLED",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_CLEANROOMSML", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
        "AWS_SDK_UA_APP_ID", "AWS_CA_BUNDLE", "AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC",
        "AWS_ENDPOINT_URL_SIGNIN", "AWS_LOGIN_CACHE_DIRECTORY",
    };
    std::map<std::string, std::string> saved_;
};

class temp_dir {
public:
    temp_dir()
    {
        std::string tmpl = (std::filesystem::temp_directory_path() / "cleanroomsml-test-XXXXXX").string();
        char* p = ::mkdtemp(tmpl.data());
        BOOST_TEST_REQUIRE(p != nullptr);
        path_ = tmpl;
    }
    ~temp_dir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    temp_dir(temp_dir const&) = delete;
    temp_dir& operator=(temp_dir const&) = delete;

    std::filesystem::path const& path() const { return path_; }

    /// Writes `content` to `name` (parent folders created); returns the path.
    std::string write(std::string const& name, std::string_view content, bool executable = false) const
    {
        std::filesystem::path const p = path_ / name;
        std::filesystem::create_directories(p.parent_path());
        {
            std::ofstream f(p, std::ios::binary);
            f << content;
        }
        if (executable) ::chmod(p.c_str(), 0755);
        return p.string();
    }

    std::string script(std::string const& name, std::string_view body) const
    {
        return write(name, "#!/bin/sh\n" + std::string(body) + "\n", true);
    }

private:
    std::filesystem::path path_;
};

} // namespace test_support

#endif
