#ifndef CLEANROOMSML_IMPL_CONFIG_FILE_IPP
#define CLEANROOMSML_IMPL_CONFIG_FILE_IPP

#include <cleanroomsml/config_file.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace cleanroomsml {

namespace detail::config_file_impl {

inline bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
    return s;
}

inline bool has_upper(std::string_view s) noexcept
{
    for (char c : s)
        if (c >= 'A' && c <= 'Z') return true;
    return false;
}

inline std::string to_lower(std::string_view s)
{
    std::string r(s);
    for (char& c : r)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return r;
}

// Section, property and sub-property names: [A-Za-z0-9_\-/.%@:+]+
inline bool is_identifier(std::string_view s) noexcept
{
    if (s.empty()) return false;
    for (char c : s) {
        bool const ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                        c == '-' || c == '/' || c == '.' || c == '%' || c == '@' || c == ':' || c == '+';
        if (!ok) return false;
    }
    return true;
}

// Cuts a trailing comment and trims. In section headers any `#` or `;` starts
// one; in property lines only one preceded by whitespace.
inline std::string_view strip_comment(std::string_view line, bool needs_blank_before) noexcept
{
    line = trim(line);
    for (std::size_t i = 0; i < line.size(); ++i) {
        if ((line[i] == '#' || line[i] == ';') && (!needs_blank_before || (i > 0 && is_blank(line[i - 1])))) {
            line = line.substr(0, i);
            break;
        }
    }
    return trim(line);
}

enum class file_kind { config, credentials };

using section_map = std::map<std::string, profile_section, std::less<>>;

struct parsed_file {
    section_map profiles, sso_sessions, services;
    profile_section bare_default;  // [default] of a config file, kept apart from [profile default]
    int bare_default_line = 0;     // its first header; 0: none
    bool has_profile_default = false;
};

class parser {
public:
    parser(std::string_view name, file_kind kind, parsed_file& out, std::vector<std::string>& warnings,
           config_file_error& err)
        : name_(name), kind_(kind), out_(out), warnings_(warnings), err_(err)
    {}

    bool parse(std::string_view text)
    {
        if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte order mark
        std::size_t pos = 0;
        while (pos < text.size()) {
            std::size_t const nl = text.find('\n', pos);
            std::size_t const end = nl == std::string_view::npos ? text.size() : nl;
            std::string_view line = text.substr(pos, end - pos);
            pos = end + 1;
            ++line_;
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (trim(line).empty() || line.front() == '#' || line.front() == ';') continue;
            bool ok = false;
            if (line.front() == '[')
                ok = section_line(line);
            else if (is_blank(line.front()))
                ok = continuation_line(line);
            else
                ok = property_line(line);
            if (!ok) return false;
        }
        return true;
    }

private:
    bool fail(std::string message)
    {
        err_.file = std::string(name_);
        err_.line = line_;
        err_.message = std::move(message);
        return false;
    }

    void warn(std::string_view message)
    {
        std::string w(name_);
        w += ':';
        w += std::to_string(line_);
        w += ": ";
        w += message;
        warnings_.push_back(std::move(w));
    }

    static std::string bracketed(std::string_view prefix, std::string_view suffix)
    {
        std::string s = "[";
        s += prefix;
        if (!prefix.empty()) s += ' ';
        s += suffix;
        s += ']';
        return s;
    }

    bool section_line(std::string_view line)
    {
        std::string_view const s = strip_comment(line, false);
        if (s.size() < 2 || s.back() != ']') return fail("section header must end with ']'");
        std::string_view const inner = trim(s.substr(1, s.size() - 2));
        std::string_view prefix, suffix = inner;
        for (std::size_t i = 0; i < inner.size(); ++i) {
            if (is_blank(inner[i])) {
                prefix = inner.substr(0, i);
                suffix = trim(inner.substr(i));
                break;
            }
        }

        in_section_ = true;
        section_ = nullptr;
        has_property_ = false;

        auto ignore_invalid_name = [&] {
            warn("section " + bracketed(prefix, suffix) + " ignored: '" + std::string(suffix) +
                 "' is not a valid name (letters, digits and _-/.%@:+ only)");
        };
        auto select = [&](section_map& m) {
            if (!is_identifier(suffix)) return ignore_invalid_name();
            auto it = m.try_emplace(std::string(suffix)).first;
            it->second.name = it->first;
            section_ = &it->second;
        };

        if (kind_ == file_kind::credentials) {
            if (prefix.empty())
                select(out_.profiles);
            else if (prefix == "profile")
                warn("section " + bracketed(prefix, suffix) +
                     " ignored: profiles in the credentials file are named without the 'profile' prefix");
            else
                warn("section " + bracketed(prefix, suffix) +
                     " ignored: the credentials file holds only profile sections");
            return true;
        }

        if (prefix.empty()) {
            if (suffix == "default") {
                if (out_.bare_default_line == 0) out_.bare_default_line = line_;
                out_.bare_default.name = "default";
                section_ = &out_.bare_default;
            } else {
                warn("section " + bracketed(prefix, suffix) +
                     " ignored: profiles in the config file need the 'profile' prefix (only [default] may omit it)");
            }
        } else if (prefix == "profile") {
            select(out_.profiles);
            if (section_ && suffix == "default") out_.has_profile_default = true;
        } else if (prefix == "sso-session") {
            select(out_.sso_sessions);
        } else if (prefix == "services") {
            select(out_.services);
        } else {
            warn("section " + bracketed(prefix, suffix) + " ignored: unknown section type '" + std::string(prefix) +
                 "'");
        }
        return true;
    }

    bool property_line(std::string_view line)
    {
        if (!in_section_) return fail("property line before any section header");
        std::string_view const s = strip_comment(line, true);
        std::size_t const eq = s.find('=');
        if (eq == std::string_view::npos) return fail("expected '=' in property line");
        std::string_view const raw_key = trim(s.substr(0, eq));
        std::string_view const value = trim(s.substr(eq + 1));
        if (raw_key.empty()) return fail("property line has no name before '='");

        key_ = to_lower(raw_key);
        has_property_ = true;
        sub_mode_ = value.empty();
        key_valid_ = is_identifier(key_);
        if (section_ == nullptr) return true;  // in an ignored section
        if (!key_valid_) {
            warn("property '" + std::string(raw_key) + "' ignored: not a valid name (letters, digits and _-/.%@:+ only)");
            return true;
        }
        section_->properties.insert_or_assign(key_, std::string(value));
        section_->sub_properties.erase(key_);
        return true;
    }

    bool continuation_line(std::string_view line)
    {
        if (!in_section_) return fail("continuation line before any section header");
        if (!has_property_) return fail("continuation line without a property to continue");
        std::string_view const text = trim(line);
        bool const keep = section_ != nullptr && key_valid_;

        if (sub_mode_) {
            std::size_t const eq = text.find('=');
            if (eq == std::string_view::npos) return fail("expected '=' in sub-property line");
            std::string_view const raw_sub = trim(text.substr(0, eq));
            if (raw_sub.empty()) return fail("sub-property line has no name before '='");
            if (keep) {
                std::string sub = to_lower(raw_sub);
                if (is_identifier(sub))
                    section_->sub_properties[key_].insert_or_assign(std::move(sub),
                                                                    std::string(trim(text.substr(eq + 1))));
                else
                    warn("sub-property '" + std::string(raw_sub) + "' of '" + key_ +
                         "' ignored: not a valid name (letters, digits and _-/.%@:+ only)");
            }
        }

        if (keep) {
            std::string& v = section_->properties[key_];
            v += '\n';
            v += text;
        }
        return true;
    }

    std::string_view name_;
    file_kind kind_;
    parsed_file& out_;
    std::vector<std::string>& warnings_;
    config_file_error& err_;

    int line_ = 0;
    bool in_section_ = false;
    profile_section* section_ = nullptr;  // null in an ignored section
    bool has_property_ = false;           // a property line since the section header
    std::string key_;                     // that property's (lower-case) name
    bool key_valid_ = false;
    bool sub_mode_ = false;  // its value was empty: continuations are sub-properties
};

// Credentials properties override config properties, sub-properties included.
inline void merge_profile(profile_section& into, profile_section&& from)
{
    for (auto& [k, v] : from.properties) {
        into.sub_properties.erase(k);
        into.properties.insert_or_assign(k, std::move(v));
    }
    for (auto& [k, subs] : from.sub_properties) into.sub_properties.insert_or_assign(k, std::move(subs));
}

inline std::optional<std::string> env(char const* name)
{
    char const* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return std::nullopt;
    return std::string(v);
}

// A leading "~" component stands for $HOME; without HOME the path stays as it is.
inline std::string expand_home(std::string const& path)
{
    if (path.empty() || path[0] != '~' || (path.size() > 1 && path[1] != '/')) return path;
    std::optional<std::string> home = env("HOME");
    if (!home) return path;
    std::string r = std::move(*home);
    std::string_view rest = std::string_view(path).substr(1);
    if (!r.empty() && r.back() == '/' && !rest.empty()) rest.remove_prefix(1);
    r += rest;
    return r;
}

// Reads the whole file; a file that does not exist reads as empty.
inline bool read_file(std::string const& name, std::string& text, config_file_error& err)
{
    text.clear();
    std::string const path = expand_home(name);
    auto failed = [&](int code) {
        err.file = name;
        err.line = 0;
        err.message = "cannot read";
        if (path != name) err.message += " " + path;
        err.message += ": " + std::generic_category().message(code);
        return false;
    };
    errno = 0;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
        int const code = errno;
        if (code == ENOENT || code == ENOTDIR) return true;
        return failed(code != 0 ? code : EIO);
    }
    char buf[16384];
    for (;;) {
        std::size_t const n = std::fread(buf, 1, sizeof buf, f);
        text.append(buf, n);
        if (n < sizeof buf) break;
    }
    int const code = errno;
    bool const bad = std::ferror(f) != 0;
    std::fclose(f);
    if (bad) {
        text.clear();
        return failed(code != 0 ? code : EIO);
    }
    return true;
}

} // namespace detail::config_file_impl

CLEANROOMSML_DECL std::optional<std::string_view> profile_section::get(std::string_view key) const
{
    namespace impl = detail::config_file_impl;
    auto it = impl::has_upper(key) ? properties.find(impl::to_lower(key)) : properties.find(key);
    if (it == properties.end()) return std::nullopt;
    return std::string_view(it->second);
}

CLEANROOMSML_DECL std::optional<std::string_view> profile_section::get(std::string_view key,
                                                                       std::string_view sub) const
{
    namespace impl = detail::config_file_impl;
    auto it = impl::has_upper(key) ? sub_properties.find(impl::to_lower(key)) : sub_properties.find(key);
    if (it == sub_properties.end()) return std::nullopt;
    auto const& m = it->second;
    auto jt = impl::has_upper(sub) ? m.find(impl::to_lower(sub)) : m.find(sub);
    if (jt == m.end()) return std::nullopt;
    return std::string_view(jt->second);
}

CLEANROOMSML_DECL profile_section const* config_files::find_profile(std::string_view name) const
{
    auto it = profiles.find(name);
    return it == profiles.end() ? nullptr : &it->second;
}

CLEANROOMSML_DECL std::string config_file_error::to_string() const
{
    std::string s = file;
    if (line > 0) {
        s += ':';
        s += std::to_string(line);
    }
    s += ": ";
    s += message;
    return s;
}

CLEANROOMSML_DECL bool parse_config_files(std::string_view config_text, std::string_view config_name,
                                          std::string_view credentials_text, std::string_view credentials_name,
                                          config_files& out, config_file_error& err)
{
    namespace impl = detail::config_file_impl;
    out = config_files{};
    err = config_file_error{};

    impl::parsed_file config, credentials;
    if (!impl::parser(config_name, impl::file_kind::config, config, out.warnings, err).parse(config_text)) {
        out = config_files{};
        return false;
    }
    if (config.bare_default_line != 0) {
        if (config.has_profile_default)
            out.warnings.push_back(std::string(config_name) + ":" + std::to_string(config.bare_default_line) +
                                   ": section [default] ignored: the file also has [profile default], which wins");
        else
            config.profiles.insert_or_assign("default", std::move(config.bare_default));
    }
    if (!impl::parser(credentials_name, impl::file_kind::credentials, credentials, out.warnings, err)
             .parse(credentials_text)) {
        out = config_files{};
        return false;
    }

    out.profiles = std::move(config.profiles);
    out.sso_sessions = std::move(config.sso_sessions);
    out.services = std::move(config.services);
    for (auto& [name, section] : credentials.profiles) {
        auto it = out.profiles.try_emplace(name).first;
        it->second.name = name;
        section.name = name;
        out.credentials_file_profiles.insert_or_assign(name, section);
        impl::merge_profile(it->second, std::move(section));
    }
    return true;
}

CLEANROOMSML_DECL bool load_config_files(config_files& out, config_file_error& err)
{
    namespace impl = detail::config_file_impl;
    std::string const config_name = impl::env("AWS_CONFIG_FILE").value_or("~/.aws/config");
    std::string const credentials_name = impl::env("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials");
    std::string config_text, credentials_text;
    if (!impl::read_file(config_name, config_text, err) || !impl::read_file(credentials_name, credentials_text, err)) {
        out = config_files{};
        return false;
    }
    return parse_config_files(config_text, config_name, credentials_text, credentials_name, out, err);
}

CLEANROOMSML_DECL std::string selected_profile_name(std::string_view explicit_name)
{
    if (!explicit_name.empty()) return std::string(explicit_name);
    return detail::config_file_impl::env("AWS_PROFILE").value_or("default");
}

} // namespace cleanroomsml

#endif
