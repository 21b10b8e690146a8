#ifndef CLEANROOMSML_TOOLS_CLI_OPTIONS_HPP
#define CLEANROOMSML_TOOLS_CLI_OPTIONS_HPP

// From command-line options to a request, for any request type: option
// names are the members' wire names in kebab-case, found in the type tables;
// the values, read as the AWS CLI reads them (argparse, file:// and
// fileb://, then shorthand.hpp's shorthand or JSON), become one JSON object
// (wire names as keys), checked as botocore checks a request, that the
// library's own JSON reader turns into the request. Nothing here knows a
// shape.

#include "json_io.hpp"
#include "shorthand.hpp"

#include <cleanroomsml/detail/json_read.hpp>
#include <cleanroomsml/detail/type_info.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <boost/json.hpp>

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

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

/// A path as the AWS CLI opens a file:// value: Python's os.path.expanduser
/// (~, ~user), then os.path.expandvars ($NAME, ${NAME}; unknown names stay).
inline std::string expand_path(std::string_view path)
{
    std::string p(path);
    if (!p.empty() && p[0] == '~') {
        auto slash = p.find('/', 1);
        if (slash == std::string::npos) slash = p.size();
        std::optional<std::string> home;
        if (slash == 1) {
            if (char const* h = std::getenv("HOME")) home = h;
            else if (passwd const* pw = ::getpwuid(::getuid())) home = pw->pw_dir;
        } else if (passwd const* pw = ::getpwnam(p.substr(1, slash - 1).c_str())) {
            home = pw->pw_dir;
        }
        if (home) {
            while (!home->empty() && home->back() == '/') home->pop_back();
            p = *home + p.substr(slash);
            if (p.empty()) p = "/";
        }
    }
    if (p.find('$') == std::string::npos) return p;
    auto word = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; };
    std::string out;
    std::size_t i = 0;
    while (i < p.size()) {
        if (p[i] != '$') {
            out += p[i++];
            continue;
        }
        std::size_t j = i + 1;
        std::string name;
        if (j < p.size() && p[j] == '{') {
            auto close = p.find('}', j + 1);
            if (close == std::string::npos) {
                out += p[i++];
                continue;
            }
            name = p.substr(j + 1, close - j - 1);
            j = close + 1;
        } else {
            while (j < p.size() && word(p[j])) ++j;
            if (j == i + 1) {
                out += p[i++];
                continue;
            }
            name = p.substr(i + 1, j - i - 1);
        }
        if (char const* v = std::getenv(name.c_str())) out += v;
        else out += p.substr(i, j - i);
        i = j;
    }
    return out;
}

/// The option value a file:// or fileb:// names, loaded as the AWS CLI
/// loads it (nullopt for any other value): file:// as UTF-8 text, its line
/// ends made "\n" (Python's text mode); fileb:// as bytes. The errors are
/// the AWS CLI's: "Unable to load paramfile file://x: [Errno 2] No such
/// file or directory: 'x'", or text that is not UTF-8.
inline std::optional<option_value> load_paramfile(std::string_view value, std::string const& option)
{
    bool binary = false;
    std::size_t prefix = 0;
    if (value.substr(0, 7) == "file://") prefix = 7;
    else if (value.substr(0, 8) == "fileb://") { prefix = 8; binary = true; }
    else return std::nullopt;
    std::string path = expand_path(value.substr(prefix));
    auto fail = [&](int err) -> usage_error {
        return usage_error("Error parsing parameter '" + option + "': Unable to load paramfile " + std::string(value) +
                           ": [Errno " + std::to_string(err) + "] " + std::strerror(err) + ": " + py::repr(path));
    };
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fail(errno);
    std::string data;
    struct stat st{};
    int err = 0;
    if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) err = EISDIR;
    char buf[65536];
    while (err == 0) {
        auto n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) err = errno;
        if (n <= 0) break;
        data.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    if (err != 0) throw fail(err);
    if (binary) return option_value::of_bytes(std::move(data));
    for (char32_t c : py::decode(data))
        if (c >= 0xDC80 && c <= 0xDCFF)
            throw usage_error("Error parsing parameter '" + option + "': Unable to load paramfile (" + path +
                              "), text contents could not be decoded.  If this is a binary file, please use the "
                              "fileb:// prefix instead of the file:// prefix.");
    std::string text;
    text.reserve(data.size());
    for (std::size_t i = 0; i < data.size(); ++i) {
        if (data[i] != '\r') text += data[i];
        else {
            text += '\n';
            if (i + 1 < data.size() && data[i + 1] == '\n') ++i;
        }
    }
    return option_value::of_text(std::move(text));
}

/// A value as given, or what its file:// or fileb:// names (the bytes of
/// a fileb:// as they are).
inline std::string read_value(std::string_view text, std::string_view option)
{
    if (auto loaded = load_paramfile(text, std::string(option))) return std::move(loaded->value);
    return std::string(text);
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

/// Whether a member's type is an integer the model calls "long": argparse
/// converts those (and doubles) itself, the others come to int() later.
inline bool argparse_converts(crd::value_kind k)
{
    return k == crd::value_kind::int64 || k == crd::value_kind::float32 || k == crd::value_kind::float64;
}

/// argparse's conversion of a "long" or double option's word: int() or
/// float(), with argparse's message.
inline json::value argparse_number(crd::type_info const& ti, std::string const& word, std::string const& option)
{
    if (ti.kind == crd::value_kind::int64) {
        if (auto v = py::parse_int(word)) return *v;
        throw usage_error("argument " + option + ": invalid int value: " + py::repr(word));
    }
    if (auto v = py::parse_float(word)) return *v;
    throw usage_error("argument " + option + ": invalid float value: " + py::repr(word));
}

/// botocore's report of a value of the wrong type: "Invalid type for
/// parameter name, value: v, type: <class 'str'>, valid types: <class 'int'>".
inline std::string invalid_type(std::string const& name, std::string const& value, std::string const& type,
                                std::string const& valid)
{
    return "Invalid type for parameter " + name + ", value: " + value + ", type: " + type + ", valid types: " + valid;
}

/// A top-level scalar option once loaded, as the AWS CLI unpacks it:
/// int() for integers (its ValueError uncaught: exit 255), the text of a
/// string or timestamp as it is (validation judges it). The bytes of a
/// fileb:// where a string belongs are no str: botocore's message for that
/// goes to `deferred`, and nullopt is returned.
inline std::optional<json::value> scalar_option(crd::member_info const& m, option_value const& v, std::string const& option,
                                                std::vector<std::string>& deferred)
{
    using crd::value_kind;
    auto const& ti = m.type();
    bool bytes = v.kind == option_value::form::bytes;
    switch (ti.kind) {
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
        if (auto r = py::parse_int(v.value, bytes)) return *r;
        throw py::value_error("invalid literal for int() with base 10: " +
                              (bytes ? py::repr_bytes(v.value) : py::repr(v.value)));
    case value_kind::float32: case value_kind::float64:
        if (auto r = py::parse_float(v.value)) return json::value(*r);
        throw py::value_error("could not convert string to float: " + (bytes ? py::repr_bytes(v.value) : py::repr(v.value)));
    case value_kind::boolean:
        // bool(value), "false" aside (booleans are flags: only value_from_text comes here).
        return !(v.value.empty() || (!bytes && shorthand::ascii_lower(v.value) == "false"));
    case value_kind::timestamp:
        if (bytes && !parse_cli_timestamp(v.value)) {
            deferred.push_back(invalid_type(std::string(m.name), py::repr_bytes(v.value), "<class 'bytes'>",
                                            "<class 'datetime.datetime'>, timestamp-string"));
            return std::nullopt;
        }
        return json::string(v.value);
    case value_kind::string:
        if (bytes) {
            deferred.push_back(invalid_type(std::string(m.name), py::repr_bytes(v.value), "<class 'bytes'>", "<class 'str'>"));
            return std::nullopt;
        }
        return json::string(v.value);
    default:
        return unpack_option(ti, v, option);
    }
}

/// One option value (a single word, no file) as the AWS CLI reads it for
/// a member of type `ti`: shorthand or JSON for structures, maps and lists,
/// a scalar by its type.
inline json::value value_from_text(crd::type_info const& ti, std::string_view text, std::string const& option)
{
    if (!scalar_kind(ti.kind)) return unpack_option(ti, option_value::of_text(std::string(text)), option);
    if (argparse_converts(ti.kind)) return argparse_number(ti, std::string(text), option);
    switch (ti.kind) {
    case crd::value_kind::string: case crd::value_kind::timestamp: return json::string(text);
    case crd::value_kind::boolean: {
        auto l = shorthand::ascii_lower(text);
        if (l == "true") return true;
        if (l == "false") return false;
        throw usage_error("argument " + option + ": expected true or false, got '" + std::string(text) + "'");
    }
    default:
        if (auto r = py::parse_int(text)) return *r;
        throw py::value_error("invalid literal for int() with base 10: " + py::repr(text));
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

/// Reads the command's options (`args`, global options already removed)
/// into `input`, a JSON object keyed by wire names that may already hold
/// --cli-input-json's members (the options win), as the AWS CLI reads them:
///  - argparse first: unknown options, a missing value, "long" and double
///    words converted, the last of a repeated option kept; booleans are flags
///    (--x, --no-x, or --x true|false); a list option takes zero or more
///    words (--tag-keys a b). With `require`, missing required options
///    fail here with argparse's message (what the AWS CLI does unless
///    --cli-input-json is given);
///  - then each option in the request's member order: a file:// or
///    fileb:// value loaded (a list option's, when it is its only word),
///    then unpack_option: shorthand, JSON, words or a scalar.
/// The members come out in that order, --cli-input-json's others after them.
/// Throws usage_error (252) or python_error (255) with the AWS CLI's text.
inline void parse_options(option_list const& options, std::vector<std::string> const& args, json::object& input,
                          bool require = false)
{
    struct given {
        bool present = false;
        std::optional<bool> flag;           // booleans
        std::vector<std::string> words;     // the option's words: one, or any number for a list
        std::optional<json::value> number;  // "long" and double options, converted by argparse
    };
    std::vector<given> got(options.size());
    std::vector<std::string> unknown;
    auto index_of = [&](std::string_view name) -> std::optional<std::size_t> {
        for (std::size_t k = 0; k < options.size(); ++k)
            if (kebab(options[k].member->name) == name) return k;
        return std::nullopt;
    };
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
        auto k = index_of(name);
        bool negated = false;
        if (!k && name.compare(0, 3, "no-") == 0) {
            if (auto b = index_of(name.substr(3)); b && options[*b].member->type().kind == crd::value_kind::boolean) {
                k = b;
                negated = true;
            }
        }
        if (!k) {
            unknown.push_back(arg);
            // Skip its values so they are not reported as well.
            while (!inline_value && i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0) ++i;
            continue;
        }
        auto const& m = *options[*k].member;
        auto const& type = m.type();
        std::string option = "--" + kebab(m.name);
        auto next_is_value = [&] { return i + 1 < args.size() && args[i + 1].compare(0, 2, "--") != 0; };
        given g;
        g.present = true;
        if (type.kind == crd::value_kind::boolean) {
            bool v = !negated;
            std::optional<std::string> text = inline_value;
            if (!text && !negated && next_is_value() && (args[i + 1] == "true" || args[i + 1] == "false"))
                text = args[++i];
            if (text) {
                if (negated) throw usage_error("argument " + arg + ": takes no value");
                v = value_from_text(type, *text, option).as_bool();
            }
            g.flag = v;
        } else if (type.kind == crd::value_kind::list) {
            if (inline_value) g.words.push_back(*inline_value);
            else
                while (next_is_value()) g.words.push_back(args[++i]);
        } else {
            if (inline_value) g.words.push_back(*inline_value);
            else if (next_is_value()) g.words.push_back(args[++i]);  // a value starting with "--" needs --option=value
            else throw usage_error("argument " + option + ": expected one argument");
            if (argparse_converts(type.kind)) g.number = argparse_number(type, g.words[0], option);
        }
        got[*k] = std::move(g);
    }
    if (require) {
        std::string missing;
        for (std::size_t k = 0; k < options.size(); ++k)
            if (options[k].required && !got[k].present) missing += (missing.empty() ? "--" : ", --") + kebab(options[k].member->name);
        if (!missing.empty()) throw usage_error("the following arguments are required: " + missing);
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

    json::object out;
    std::vector<std::string> deferred;  // validation errors the AWS CLI reports after unpacking
    for (std::size_t k = 0; k < options.size(); ++k) {
        auto& g = got[k];
        if (!g.present) continue;
        auto const& m = *options[k].member;
        auto const& type = m.type();
        std::string option = "--" + kebab(m.name);
        json::string_view key(m.name.data(), m.name.size());
        if (g.flag) {
            out[key] = *g.flag;
            continue;
        }
        if (g.number) {
            out[key] = std::move(*g.number);
            continue;
        }
        std::optional<option_value> v;
        if (type.kind != crd::value_kind::list || g.words.size() == 1) v = load_paramfile(g.words[0], option);
        if (!v) v = type.kind == crd::value_kind::list ? option_value::of_words(std::move(g.words))
                                                       : option_value::of_text(std::move(g.words[0]));
        if (scalar_kind(type.kind)) {
            if (auto x = scalar_option(m, *v, option, deferred)) out[key] = std::move(*x);
        } else {
            out[key] = unpack_option(type, *v, option);
        }
    }
    for (auto& kv : input)
        if (!out.contains(kv.key())) out[kv.key()] = std::move(kv.value());
    input = std::move(out);
    if (!deferred.empty()) {
        std::string msg = "Parameter validation failed:";
        for (auto const& d : deferred) msg += "\n" + d;
        throw usage_error(msg);
    }
}

/// Reads --cli-input-json's document (its text, a file already loaded) as
/// the AWS CLI does: a JSON object, else its messages.
inline json::object parse_input_json(std::string_view text)
{
    json::value v;
    try {
        v = py::json_loads(text);
    } catch (py::json_error const&) {
        throw usage_error("Error parsing parameter 'cli-input-json': Invalid JSON received.");
    }
    if (!v.is_object())
        throw usage_error("Error parsing parameter '--cli-input-json': Invalid type: expecting map, received " +
                          py::type_name(v));
    return std::move(v.get_object());
}

/// --cli-input-json's value as given: inline JSON, or a file:// or fileb://.
inline json::object load_input_json(std::string_view value)
{
    std::string text = read_value(value, "--cli-input-json");
    // json.loads() of bytes (fileb://) decodes them as "utf-8-sig": a BOM is dropped.
    if (value.substr(0, 8) == "fileb://" && text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
    return parse_input_json(text);
}

/// Python's text for a number bound of the model (int for integer shapes).
inline std::string bound_text(double v, crd::value_kind k)
{
    bool integral = k != crd::value_kind::float32 && k != crd::value_kind::float64;
    if (integral && std::abs(v) < 9.0e18) return std::to_string(static_cast<std::int64_t>(v));
    return py::float_repr(v);
}

inline std::size_t code_points(std::string_view s)
{
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

/// botocore's validation of a request's parameters (its ParamValidator),
/// on the JSON the options made: every error, in its order and words —
/// missing required members, unknown members, values of the wrong type,
/// lengths and numbers under the model's minimum (botocore checks no
/// maximum), union members. `name` is the path so far ("" at the top,
/// reported as "input"). `top_required` false leaves the top level's
/// required members to argparse's check.
inline void param_errors(crd::type_info const& ti, cleanroomsml::value_rules const* rules, json::value const& v,
                         std::string const& name, std::vector<std::string>& out, bool top_required = true)
{
    using crd::value_kind;
    std::string shown = name.empty() ? "input" : name[0] == '.' ? name.substr(1) : name;
    auto type_error = [&](std::string const& valid) {
        out.push_back(invalid_type(shown, py::str(v), py::type_name(v), valid));
    };
    auto length_check = [&](std::size_t n) {
        if (rules && rules->min_length >= 0 && static_cast<std::int64_t>(n) < rules->min_length)
            out.push_back("Invalid length for parameter " + shown + ", value: " + std::to_string(n) +
                          ", valid min length: " + std::to_string(rules->min_length));
    };
    auto range_check = [&] {
        if (!rules || !rules->has_min) return;
        double x = v.is_bool() ? (v.get_bool() ? 1.0 : 0.0) : v.to_number<double>();
        bool below = v.is_int64() ? static_cast<double>(v.get_int64()) < rules->min : x < rules->min;
        if (below)
            out.push_back("Invalid value for parameter " + shown + ", value: " + py::str(v) +
                          ", valid min value: " + bound_text(rules->min, ti.kind));
    };
    switch (ti.kind) {
    case value_kind::structure: {
        if (!v.is_object()) return type_error("<class 'dict'>");
        auto const& o = v.get_object();
        if (ti.is_union && o.size() != 1) {
            std::string names;
            for (std::size_t i = 0; i < ti.member_count; ++i) names += (i ? ". " : "") + std::string(ti.members[i].name);
            if (o.empty()) out.push_back("Must set one of the following keys for tagged unionstructure " + shown + ": " + names + ".");
            else out.push_back("Invalid number of parameters set for tagged union structure " + shown +
                               ". Can only set one of the following keys: " + names + ".");
        }
        if (top_required || !name.empty())
            for (std::size_t i = 0; i < ti.member_count; ++i)
                if (ti.members[i].required && !o.contains(ti.members[i].name))
                    out.push_back("Missing required parameter in " + shown + ": \"" + std::string(ti.members[i].name) + "\"");
        std::vector<crd::member_info const*> known;
        for (auto const& kv : o) {
            auto const* m = find_wire(ti, kv.key());
            if (!m) {
                std::string names;
                for (std::size_t i = 0; i < ti.member_count; ++i) names += (i ? ", " : "") + std::string(ti.members[i].name);
                out.push_back("Unknown parameter in " + shown + ": \"" + std::string(kv.key()) + "\", must be one of: " + names);
            } else {
                known.push_back(m);
            }
        }
        for (auto const* m : known)
            param_errors(m->type(), m->rules, o.at(m->name), name + "." + std::string(m->name), out);
        return;
    }
    case value_kind::list: {
        if (!v.is_array()) return type_error("<class 'list'>, <class 'tuple'>");
        auto const& a = v.get_array();
        length_check(a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            param_errors(ti.element(), rules ? rules->element : nullptr, a[i], name + "[" + std::to_string(i) + "]", out);
        return;
    }
    case value_kind::map: {
        if (!v.is_object()) return type_error("<class 'dict'>");
        for (auto const& kv : v.get_object()) {
            std::string key(kv.key());
            cleanroomsml::value_rules const* key_rules = rules ? rules->key : nullptr;
            if (key_rules && key_rules->min_length >= 0 && static_cast<std::int64_t>(code_points(key)) < key_rules->min_length)
                out.push_back("Invalid length for parameter " + shown + " (key: " + key + "), value: " +
                              std::to_string(code_points(key)) + ", valid min length: " + std::to_string(key_rules->min_length));
            param_errors(ti.element(), rules ? rules->element : nullptr, kv.value(), name + "." + key, out);
        }
        return;
    }
    case value_kind::string:
        if (!v.is_string()) return type_error("<class 'str'>");
        return length_check(code_points(v.get_string()));
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
        if (!v.is_int64() && !v.is_uint64() && !v.is_bool()) return type_error("<class 'int'>");
        return range_check();
    case value_kind::float32: case value_kind::float64:
        if (!v.is_number() && !v.is_bool()) return type_error("<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>");
        return range_check();
    case value_kind::boolean:
        if (!v.is_bool()) return type_error("<class 'bool'>");
        return;
    case value_kind::timestamp:
        if (v.is_number() || v.is_bool() || (v.is_string() && parse_cli_timestamp(v.get_string()))) return;
        return type_error("<class 'datetime.datetime'>, timestamp-string");
    }
}

/// The errors of param_errors for a whole request.
inline std::vector<std::string> param_errors(crd::type_info const& ti, json::value const& v, bool top_required = true)
{
    std::vector<std::string> out;
    param_errors(ti, nullptr, v, "", out, top_required);
    return out;
}

/// What validation accepted, in the forms the library's reader takes:
/// timestamps in RFC 3339 (ISO dates and epoch seconds as strings are
/// taken on the command line), booleans where numbers belong (Python's
/// bool is an int) as numbers.
inline void normalize(crd::type_info const& ti, json::value& v)
{
    using crd::value_kind;
    switch (ti.kind) {
    case value_kind::structure:
        if (v.is_object())
            for (auto& kv : v.get_object())
                if (auto const* m = find_wire(ti, kv.key())) normalize(m->type(), kv.value());
        return;
    case value_kind::list:
        if (v.is_array())
            for (auto& x : v.get_array()) normalize(ti.element(), x);
        return;
    case value_kind::map:
        if (v.is_object())
            for (auto& kv : v.get_object()) normalize(ti.element(), kv.value());
        return;
    case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
        if (v.is_bool()) v = static_cast<std::int64_t>(v.get_bool());
        return;
    case value_kind::float32: case value_kind::float64:
        if (v.is_bool()) v = v.get_bool() ? 1.0 : 0.0;
        return;
    case value_kind::timestamp:
        if (v.is_bool()) v = static_cast<std::int64_t>(v.get_bool());
        if (v.is_string())
            if (auto t = parse_cli_timestamp(v.get_string())) {
                std::string s;
                crd::format_timestamp(s, *t, cleanroomsml::timestamp_format::date_time);
                v = json::string(s);
            }
        return;
    default:
        return;
    }
}

/// Fills the request at `out` (of type `ti`, default-constructed) from
/// `input`: botocore's checks of what is there first (param_errors, all
/// errors at once), then, with `argparse_required`, argparse's message
/// for a missing option (the AWS CLI's unless --cli-input-json is given;
/// without it, missing members are among botocore's errors), then the
/// library's JSON reader (body, URI, query and header members alike).
inline void fill_request(crd::type_info const& ti, void* out, json::object const& input, bool argparse_required = true)
{
    json::value doc = input;
    auto errors = param_errors(ti, doc, !argparse_required);
    if (!errors.empty()) {
        std::string msg = "Parameter validation failed:";
        for (auto const& e : errors) msg += "\n" + e;
        throw usage_error(msg);
    }
    if (argparse_required) check_required(options_of(ti), input);
    normalize(ti, doc);
    crd::read_error err;
    if (auto ec = crd::read_json_members(json::serialize(doc), ti, out, err)) {
        if (err.path.empty()) throw usage_error("Parameter validation failed:\n" + err.message);
        throw usage_error("Parameter validation failed:\nInvalid value for parameter " + option_of_path(err.path) +
                          " (" + err.path + "): " + err.message);
    }
}

} // namespace cli

#endif
