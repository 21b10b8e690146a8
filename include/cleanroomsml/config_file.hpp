#ifndef CLEANROOMSML_CONFIG_FILE_HPP
#define CLEANROOMSML_CONFIG_FILE_HPP

// The AWS shared `config` and `credentials` files (~/.aws/config,
// ~/.aws/credentials), parsed as the AWS SDKs do (their shared profile
// parser conformance tests and the SDKs and Tools reference guide):
//
//  - Lines are `[section]` headers, `name = value` properties, continuation
//    lines (starting with a space or tab), blank lines, or comments (starting
//    with `#` or `;` in the first column). After a section header a comment may
//    follow directly (`[profile a]# x`); in a property line a comment starts
//    only at a `#` or `;` preceded by whitespace (`key = a#b` keeps `a#b`).
//    Continuation lines keep `#` and `;` as text.
//  - Config file sections: `[profile name]`, `[default]` (`[profile default]`
//    wins over `[default]` when the file has both), `[sso-session name]`,
//    `[services name]`. Other sections are ignored with a warning.
//    Credentials file sections: `[name]` only (`[profile name]` is ignored with
//    a warning).
//  - Section names consist of ASCII letters, digits and `_-/.%@:+`; a section
//    with another name is ignored with a warning. Sections that appear twice
//    are merged, a later property replacing an earlier one.
//  - Property names are case-insensitive (stored in lower case) and consist of
//    the same characters; a property with another name is ignored with a
//    warning. Values are trimmed and may be empty or contain `=`.
//  - A continuation line appends "\n" and its trimmed text to the value of the
//    property above it. After a property with an empty value, continuation
//    lines must be `name = value` sub-properties (`s3 =` then
//    `  max_concurrent_requests = 10`); they are kept both in the raw value
//    and, parsed, in `sub_properties`.
//  - The credentials file's properties override the config file's properties of
//    the same profile.
//
// Syntax errors (a property line without `=`, a property before any section,
// a section header without `]`, ...) fail the whole parse with the file name
// and 1-based line number.

#include <cleanroomsml/detail/config.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cleanroomsml {

/// One profile, sso-session or services section, after merging.
struct profile_section {
    using property_map = std::map<std::string, std::string, std::less<>>;

    std::string name;
    /// Lower-case name -> value. A property with sub-properties has its raw
    /// text as value ("\nname = value\n...").
    property_map properties;
    /// Lower-case property name -> lower-case sub-property name -> value.
    std::map<std::string, property_map, std::less<>> sub_properties;

    /// The property's value; the name is case-insensitive.
    CLEANROOMSML_DECL std::optional<std::string_view> get(std::string_view key) const;
    /// The sub-property's value; both names are case-insensitive.
    CLEANROOMSML_DECL std::optional<std::string_view> get(std::string_view key, std::string_view sub) const;
};

/// The merged contents of the config and credentials files.
struct config_files {
    std::map<std::string, profile_section, std::less<>> profiles;      ///< by profile name ("default", ...)
    std::map<std::string, profile_section, std::less<>> sso_sessions;  ///< [sso-session name]
    std::map<std::string, profile_section, std::less<>> services;      ///< [services name]
    /// The credentials file's profiles alone (also merged into `profiles`): the
    /// SDKs' chain looks at its keys before some of the config file's settings.
    std::map<std::string, profile_section, std::less<>> credentials_file_profiles;
    /// Ignored sections and properties, as "file:line: what and why".
    std::vector<std::string> warnings;

    /// The profile of that (case-sensitive) name, or nullptr.
    CLEANROOMSML_DECL profile_section const* find_profile(std::string_view name) const;
};

/// Why the files could not be parsed or read.
struct config_file_error {
    std::string file;  ///< the file's name as configured ("~/.aws/config")
    int line = 0;      ///< 1-based; 0 when the file could not be read
    std::string message;

    /// "file:line: message", or "file: message" without a line.
    CLEANROOMSML_DECL std::string to_string() const;
};

/// Parses the texts of a config file and a credentials file (either may be
/// empty) and merges them into `out`, which is replaced. The names are used
/// only in warnings and errors. On a syntax error returns false, fills `err`
/// and leaves `out` empty.
CLEANROOMSML_DECL bool parse_config_files(std::string_view config_text, std::string_view config_name,
                                          std::string_view credentials_text, std::string_view credentials_name,
                                          config_files& out, config_file_error& err);

/// Reads and parses the files where the environment puts them:
/// AWS_CONFIG_FILE (default "~/.aws/config") and AWS_SHARED_CREDENTIALS_FILE
/// (default "~/.aws/credentials"), a leading "~/" standing for $HOME. A file
/// that does not exist counts as empty; one that cannot be read is an error.
CLEANROOMSML_DECL bool load_config_files(config_files& out, config_file_error& err);

/// The profile to use: `explicit_name` when not empty, else $AWS_PROFILE when
/// set and not empty, else "default".
CLEANROOMSML_DECL std::string selected_profile_name(std::string_view explicit_name = {});

} // namespace cleanroomsml

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/config_file.ipp>
#endif

#endif
