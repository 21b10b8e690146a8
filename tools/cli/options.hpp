#ifndef CLEANROOMSML_TOOLS_CLI_OPTIONS_HPP
#define CLEANROOMSML_TOOLS_CLI_OPTIONS_HPP

// From command-line options to a request, for any request type: option
// names are the members' wire names in kebab-case, found in the type tables;
// the values become one JSON object (wire names as keys) that the library's
// own JSON reader turns into the request. Nothing here knows a shape.

#include "json_io.hpp"

#include <cleanroomsml/detail/json_read.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

/// A usage or parameter error: the CLI prints it and exits with 252.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// "audienceModelArn" -> "audience-model-arn", "GetAudienceModel" -> "get-audience-model",
/// "s3Uri" -> "s3-uri", "KMSKeyArn" -> "kms-key-arn".
inline std::string kebab(std::string_view name)
{
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto lower_or_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        char c = name[i];
        if (upper(c)) {
            bool after_word = i > 0 && lower_or_digit(name[i - 1]);
            bool acronym_end = i > 0 && upper(name[i - 1]) && i + 1 < name.size() && lower_or_digit(name[i + 1]) &&
                               !(name[i + 1] >= '0' && name[i + 1] <= '9');
            if (after_word || acronym_end) out.push_back('-');
            out.push_back(static_cast<char>(c - 'A' + 'a'));
        } else {
            out.push_back(c == '_' ? '-' : c);
        }
    }
    return out;
}

/// Levenshtein distance, for "did you mean" hints.
inline std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

/// The closest of `names` to `word`, if close enough to be a likely typo.
inline std::optional<std::string> closest(std::string_view word, std::vector<std::string> const& names)
{
    std::optional<std::string> best;
    std::size_t best_d = std::max<std::size_t>(2, word.size() / 3) + 1;
    for (auto const& n : names) {
        auto d = edit_distance(word, n);
        if (d < best_d) { best_d = d; best = n; }
    }
    return best;
}

/// A value as given, or the contents of the file for "file://path" (as the AWS CLI reads it).
inline std::string read_value(std::string_view text, std::string_view option)
{
    constexpr std::string_view scheme = "file://";
    if (text.substr(0, scheme.size()) != scheme) return std::string(text);
    std::string path(text.substr(scheme.size()));
    std::ifstream in(path, std::ios::binary);
    if (!in) throw usage_error("Error parsing parameter '" + std::string(option) + "': Unable to load paramfile " +
                               std::string(text) + ": cannot read " + path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline bool scalar_kind(crd::value_kind k)
{
    return k != crd::value_kind::structure && k != crd::value_kind::list && k != crd::value_kind::map;
}

/// How help names a member's type: "string", "enum", "list of string", "structure (JSON)".
inline std::string describe_type(crd::type_info const& ti, cleanroomsml::value_rules const* r)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::string: return r && r->enumeration ? "enum" : "string";
    case value_kind::boolean: return "boolean";
    case value_kind::int8: case value_kind::int16: case value_kind::int32: return "integer";
    case value_kind::int64: return "long";
    case value_kind::float32: return "float";
    case value_kind::float64: return "double";
    case value_kind::timestamp: return "timestamp";
    case value_kind::structure: return std::string("structure ") + std::string(ti.name);
    case value_kind::list: return "list of " + describe_type(ti.element(), r ? r->element : nullptr);
    case value_kind::map: return "map of string to " + describe_type(ti.element(), r ? r->element : nullptr);
    }
    return "value";
}

/// The model's bounds on a member, for help: "length 1..63", "range 1..100".
inline std::string describe_rules(cleanroomsml::value_rules const* r)
{
    if (!r) return {};
    auto num = [](double v) {
        std::string s = std::to_string(v);
        s.erase(s.find_last_not_of('0') + 1);
        if (!s.empty() && s.back() == '.') s.pop_back();
        return s;
    };
    std::string out;
    if (r->min_length >= 0 || r->max_length >= 0)
        out += "length " + (r->min_length >= 0 ? std::to_string(r->min_length) : std::string("0")) + ".." +
               (r->max_length >= 0 ? std::to_string(r->max_length) : std::string(""));
    if (r->has_min || r->has_max) {
        if (!out.empty()) out += ", ";
        out += "range " + (r->has_min ? num(r->min) : std::string("")) + ".." + (r->has_max ? num(r->max) : "");
    }
    return out;
}

/// One option a command takes: a member of its request (or, for a waiter
/// that finds a resource in a listing, of the listed item), and whether the
/// command needs it.
struct option_spec {
    crd::member_info const* member;
    bool required;
};
using option_list = std::vector<option_spec>;

/// The options of a request: its members, required as the model says.
inline option_list options_of(crd::type_info const& ti)
{
    option_list out;
    for (std::size_t i = 0; i < ti.member_count; ++i) out.push_back({&ti.members[i], ti.members[i].required});
    return out;
}

/// The member a command option names, or null.
inline crd::member_info const* find_option(option_list const& options, std::string_view option)
{
    for (auto const& o : options)
        if (kebab(o.member->name) == option) return o.member;
    return nullptr;
}

inline crd::member_info const* find_wire(crd::type_info const& ti, std::string_view name)
{
    for (std::size_t i = 0; i < ti.member_count; ++i)
        if (ti.members[i].name == name) return &ti.members[i];
    return nullptr;
}

/// "trainingData[0].inputConfig" -> "--training-data", for error messages.
inline std::string option_of_path(std::string_view path)
{
    auto end = path.find_first_of(".[");
    return "--" + kebab(path.substr(0, end));
}

/// Timestamps on the command line: ISO 8601 (RFC 3339, or a date, or a
/// date-time without a zone, meaning UTC) or epoch seconds.
inline std::optional<cleanroomsml::timestamp> parse_cli_timestamp(std::string_view text)
{
    cleanroomsml::timestamp t;
    if (crd::parse_epoch_seconds(text, t) || crd::parse_date_time(text, t) || crd::parse_http_date(text, t)) return t;
    std::string s(text);
    if (s.size() >= 11 && s[10] == ' ') s[10] = 'T';
    if (s.size() == 10) s += "T00:00:00";
    if (s.size() == 16) s += ":00";  // no seconds
    if (crd::parse_date_time(s, t) || crd::parse_date_time(s + "Z", t)) return t;
    return std::nullopt;
}

/// One option value as the JSON the reader expects for the member's type.
inline json::value value_from_text(crd::type_info const& ti, std::string_view text, std::string const& option)
{
    using crd::value_kind;
    auto bad = [&](std::string const& what) -> usage_error {
        return usage_error("argument " + option + ": " + what + ", got '" + std::string(text) + "'");
    };
    switch (ti.kind) {
    case value_kind::string: return json::string(text);
    case value_kind::boolean:
        if (text == "true" || text == "True") return true;
        if (text == "false" || text == "False") return false;
        throw bad("expected true or false");
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64: {
        std::int64_t v{};
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc::result_out_of_range) throw bad("integer out of range");
        if (ec != std::errc{} || p != text.data() + text.size()) throw bad("expected an integer");
        return v;
    }
    case value_kind::float32: case value_kind::float64: {
        std::string s(text);
        char* end = nullptr;
        double v = std::strtod(s.c_str(), &end);
        if (s.empty() || end != s.c_str() + s.size()) throw bad("expected a number");
        return v;
    }
    case value_kind::timestamp: {
        auto t = parse_cli_timestamp(text);
        if (!t) throw bad("expected a timestamp (ISO 8601, e.g. 2024-05-01T12:00:00Z, or epoch seconds)");
        std::string s;
        crd::format_timestamp(s, *t, cleanroomsml::timestamp_format::date_time);
        return json::string(s);
    }
    case value_kind::structure: case value_kind::list: case value_kind::map: {
        boost::system::error_code ec;
        json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
        if (ec) throw usage_error("argument " + option + ": invalid JSON (" + ec.message() + "): " + std::string(text));
        bool object = ti.kind != value_kind::list;
        if (object && !v.is_object()) throw usage_error("argument " + option + ": expected a JSON object");
        if (!object && !v.is_array()) throw usage_error("argument " + option + ": expected a JSON array");
        return v;
    }
    }
    return nullptr;
}

/// Reads the command's options (`args`, global options already removed)
/// into `input`, a JSON object keyed by wire names that may already hold
/// --cli-input-json's members (the options win). Booleans are flags
/// (--x, --no-x, or --x true|false); lists of scalars take one or more
/// values (--tag-keys a b, repeatable) or a JSON array.
inline void parse_options(option_list const& options, std::vector<std::string> const& args, json::object& input)
{
    std::vector<std::string> unknown;
    std::vector<std::string> seen_lists;  // list options given on this command line (repeats append)
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string arg = args[i];
        if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
            unknown.push_back(arg);
            continue;
        }
        std::optional<std::string> inline_value;
        if (auto eq = arg.find('='); eq != std::string::npos) {
            inline_value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        std::string name = arg.substr(2);
        auto const* m = find_option(options, name);
        bool negated = false;
        if (!m && name.compare(0, 3, "no-") == 0) {
            if (auto const* b = find_option(options, name.substr(3)); b && b->type().kind == crd::value_kind::boolean) {
                m = b;
                negated = true;
            }
        }
        if (!m) {
            unknown.push_back(arg);
            // Skip its values so they are not reported as well.
            while (!inline_value && i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0) ++i;
            continue;
        }
        auto const& type = m->type();
        std::string option = "--" + kebab(m->name);
        json::string_view key(m->name.data(), m->name.size());
        auto next_is_value = [&] { return i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0; };

        if (type.kind == crd::value_kind::boolean) {
            bool v = !negated;
            std::optional<std::string> text = inline_value;
            if (!text && !negated && next_is_value() && (args[i + 1] == "true" || args[i + 1] == "false"))
                text = args[++i];
            if (text) {
                if (negated) throw usage_error("argument " + arg + ": takes no value");
                v = value_from_text(type, *text, option).as_bool();
            }
            input[key] = v;
            continue;
        }

        std::vector<std::string> values;
        if (inline_value) values.push_back(*inline_value);
        else if (type.kind == crd::value_kind::list && scalar_kind(type.element().kind))
            while (next_is_value()) values.push_back(args[++i]);
        else if (next_is_value())
            values.push_back(args[++i]);  // a value starting with "--" needs the --option=value form
        if (values.empty()) throw usage_error("argument " + option + ": expected one argument");
        for (auto& v : values) v = read_value(v, option);

        if (type.kind == crd::value_kind::list && scalar_kind(type.element().kind)) {
            json::array items;
            if (values.size() == 1 && !values[0].empty() && values[0].front() == '[')
                items = value_from_text(type, values[0], option).as_array();
            else
                for (auto const& v : values) items.push_back(value_from_text(type.element(), v, option));
            bool repeat = std::find(seen_lists.begin(), seen_lists.end(), option) != seen_lists.end();
            if (repeat) {
                auto& prev = input[key].as_array();
                for (auto& x : items) prev.push_back(std::move(x));
            } else {
                input[key] = std::move(items);
                seen_lists.push_back(option);
            }
        } else {
            input[key] = value_from_text(type, values[0], option);
        }
    }
    if (!unknown.empty()) {
        std::string msg = "Unknown options: ";
        for (std::size_t i = 0; i < unknown.size(); ++i) msg += (i ? ", " : "") + unknown[i];
        if (unknown.size() == 1 && unknown[0].compare(0, 2, "--") == 0) {
            std::vector<std::string> names;
            for (auto const& o : options) names.push_back(kebab(o.member->name));
            if (auto hint = closest(unknown[0].substr(2), names)) msg += " (did you mean --" + *hint + "?)";
        }
        throw usage_error(msg);
    }
}

/// Reads --cli-input-json's document: a JSON object (fill_request checks its members).
inline json::object parse_input_json(std::string_view text)
{
    boost::system::error_code ec;
    json::value v = json::parse(json::string_view(text.data(), text.size()), ec);
    if (ec) throw usage_error("argument --cli-input-json: invalid JSON (" + ec.message() + ")");
    if (!v.is_object()) throw usage_error("argument --cli-input-json: expected a JSON object");
    return std::move(v.get_object());
}

/// Rejects members the model does not have, at any depth, as botocore does
/// ("Unknown parameter in inputChannel.dataSource: ..."): the library's
/// reader passes over them, and a misspelt union member would read as none.
inline void check_members(crd::type_info const& ti, json::value const& v, std::string const& path)
{
    using crd::value_kind;
    if (ti.kind == value_kind::list && v.is_array()) {
        auto const& a = v.get_array();
        for (std::size_t i = 0; i < a.size(); ++i) check_members(ti.element(), a[i], path + "[" + std::to_string(i) + "]");
        return;
    }
    if ((ti.kind != value_kind::structure && ti.kind != value_kind::map) || !v.is_object()) return;
    for (auto const& kv : v.get_object()) {
        std::string key(kv.key());
        std::string at = path.empty() ? key : path + "." + key;
        if (ti.kind == value_kind::map) {
            check_members(ti.element(), kv.value(), at);
            continue;
        }
        auto const* m = find_wire(ti, key);
        if (!m) {
            std::string names;
            for (std::size_t i = 0; i < ti.member_count; ++i) names += (i ? ", " : "") + std::string(ti.members[i].name);
            throw usage_error("Parameter validation failed:\nUnknown parameter in " + (path.empty() ? "input" : path) +
                              ": \"" + key + "\", must be one of: " + names);
        }
        check_members(m->type(), kv.value(), at);
    }
}

/// Throws argparse's message when `input` lacks a required option.
inline void check_required(option_list const& options, json::object const& input)
{
    std::string missing;
    for (auto const& o : options) {
        auto it = input.find(json::string_view(o.member->name.data(), o.member->name.size()));
        if (o.required && (it == input.end() || it->value().is_null()))
            missing += (missing.empty() ? "--" : ", --") + kebab(o.member->name);
    }
    if (!missing.empty()) throw usage_error("the following arguments are required: " + missing);
}

/// Fills the request at `out` (of type `ti`, default-constructed) from
/// `input`: known and required members first, then everything through the library's
/// JSON reader (body, URI, query and header members alike).
inline void fill_request(crd::type_info const& ti, void* out, json::object const& input)
{
    check_members(ti, input, "");
    check_required(options_of(ti), input);
    crd::read_error err;
    if (auto ec = crd::read_json_members(json::serialize(input), ti, out, err)) {
        if (err.path.empty()) throw usage_error("Parameter validation failed:\n" + err.message);
        throw usage_error("Parameter validation failed:\nInvalid value for parameter " + option_of_path(err.path) +
                          " (" + err.path + "): " + err.message);
    }
}

} // namespace cli

#endif
