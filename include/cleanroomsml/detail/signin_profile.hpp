#ifndef CLEANROOMSML_DETAIL_SIGNIN_PROFILE_HPP
#define CLEANROOMSML_DETAIL_SIGNIN_PROFILE_HPP

// Profiles that sign in (IAM Identity Center, `aws login`) read from the
// shared config files into their providers' options, with the AWS SDKs'
// rules and messages; shared by the options' from_profile() and the
// profile provider.

#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/detail/config.hpp>

#include <string>

namespace cleanroomsml {
struct sso_options;
struct login_options;
}

namespace cleanroomsml::detail {

/// Whether the profile asks for SSO credentials (sso_account_id or
/// sso_role_name, as botocore decides).
CLEANROOMSML_DECL bool is_sso_profile(profile_section const& p);

/// The SSO options of profile `p`; false with the SDKs' message in `why` when
/// settings are missing or conflict with its sso-session (empty `why`: `p`
/// is not an SSO profile).
CLEANROOMSML_DECL bool sso_options_for(config_files const& files, profile_section const& p, sso_options& out,
                                       std::string& why);

/// The login options of profile `p` (one with login_session); false with the
/// reason in `why` otherwise.
CLEANROOMSML_DECL bool login_options_for(config_files const& files, profile_section const& p, login_options& out,
                                         std::string& why);

} // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/signin_profile.ipp>
#endif

#endif
