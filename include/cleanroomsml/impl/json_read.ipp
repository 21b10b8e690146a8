#ifndef CLEANROOMSML_IMPL_JSON_READ_IPP
#define CLEANROOMSML_IMPL_JSON_READ_IPP

#include <cleanroomsml/detail/json_read.hpp>

#include <boost/json/basic_parser_impl.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace cleanroomsml::detail {

// SAX handler that writes each JSON event into the C++ object the frame
// stack points at. One instantiation of basic_parser serves every shape.
class shape_json_handler {
public:
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);

    shape_json_handler(type_info const& root, void* out, read_error& err, bool root_any_location) noexcept
        : root_(&root), out_(out), err_(&err), root_any_location_(root_any_location) {}

    /// Starts over for another document (the handler is reused per thread).
    void bind(type_info const& root, void* out, read_error& err, bool root_any_location) noexcept
    {
        root_ = &root;
        out_ = out;
        err_ = &err;
        root_any_location_ = root_any_location;
        depth_ = 0;
        skip_ = 0;
        skip_next_ = false;
        skipping_string_ = false;
        str_ = nullptr;
        key_.clear();
        number_.clear();
    }

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }

    bool on_object_begin(error_code& ec)
    {
        if (begin_skipped()) return true;
        if (depth_ == 0) {
            push(*root_, out_, timestamp_format::date_time);
            return true;
        }
        target t;
        if (!resolve(t)) return true;
        if (t.type->kind != value_kind::structure && t.type->kind != value_kind::map)
            return mismatch(ec, *t.type, "an object");
        if (depth_ == frames_.size()) return fail(ec, "nesting too deep");
        if (t.type->kind == value_kind::map) t.type->clear(t.ptr);  // a repeated member replaces
        push(*t.type, t.ptr, t.format);
        return true;
    }

    bool on_object_end(std::size_t, error_code& ec)
    {
        if (skip_ > 0) { --skip_; return true; }
        frame& f = top();
        if (f.type->kind == value_kind::structure) {
            std::uint64_t missing = f.type->required_body_mask & ~f.seen;
            if (missing != 0) {
                std::size_t i = 0;
                while (!(missing & (std::uint64_t{1} << i))) ++i;
                f.member = &f.type->members[i];
                return fail(ec, "missing required member");
            }
            // A union member this version does not know was skipped: that
            // leaves none set, which is fine. Two known ones are not.
            if (f.type->is_union && (f.seen & (f.seen - 1)) != 0) {
                std::size_t first = 0;
                while (!(f.seen & (std::uint64_t{1} << first))) ++first;
                std::size_t second = first + 1;
                while (!(f.seen & (std::uint64_t{1} << second))) ++second;
                f.member = &f.type->members[second];
                return fail(ec, "a union holds one member, but \"" + std::string(f.type->members[first].name) +
                                    "\" is set too");
            }
        }
        pop();
        return true;
    }

    bool on_array_begin(error_code& ec)
    {
        if (begin_skipped()) return true;
        if (depth_ == 0) return fail(ec, "expected a JSON object at the top level, got an array");
        target t;
        if (!resolve(t)) return true;
        if (t.type->kind != value_kind::list) return mismatch(ec, *t.type, "an array");
        if (depth_ == frames_.size()) return fail(ec, "nesting too deep");
        t.type->clear(t.ptr);  // a repeated member replaces
        push(*t.type, t.ptr, t.format);
        return true;
    }

    bool on_array_end(std::size_t, error_code&)
    {
        if (skip_ > 0) { --skip_; return true; }
        pop();
        return true;
    }

    bool on_key_part(boost::json::string_view s, std::size_t, error_code&)
    {
        if (skip_ > 0) return true;
        key_.append(s.data(), s.size());
        return true;
    }

    bool on_key(boost::json::string_view s, std::size_t n, error_code&)
    {
        if (skip_ > 0) return true;
        std::string_view key{s.data(), s.size()};
        if (n != s.size()) {  // the key arrived in pieces
            key_.append(s.data(), s.size());
            key = key_;
        }
        frame& f = top();
        if (f.type->kind == value_kind::map) {
            f.key.assign(key);
            f.has_key = true;
        } else {
            // Members mostly arrive in the same order as the model lists them
            // (or close to it): the search starts after the last one found.
            f.member = nullptr;
            std::size_t const n = f.type->member_count;
            for (std::size_t k = 0, i = f.next; k < n; ++k, i = i + 1 == n ? 0 : i + 1) {
                auto const& m = f.type->members[i];
                bool const readable = m.location == http_location::body || (root_any_location_ && depth_ == 1);
                if (readable && m.name == key) {
                    f.member = &m;
                    f.member_index = i;
                    f.next = i + 1 == n ? 0 : i + 1;
                    break;
                }
            }
            if (!f.member) skip_next_ = true;  // unknown members are ignored
        }
        key_.clear();
        return true;
    }

    bool on_string_part(boost::json::string_view s, std::size_t n, error_code& ec)
    {
        return string_piece(s, n, false, ec);
    }

    bool on_string(boost::json::string_view s, std::size_t n, error_code& ec)
    {
        return string_piece(s, n, true, ec);
    }

    bool on_number_part(boost::json::string_view s, error_code&)
    {
        if (skip_ == 0 && !skip_next_) number_.append(s.data(), s.size());
        return true;
    }

    bool on_int64(std::int64_t v, boost::json::string_view s, error_code& ec)
    {
        return number(s, ec, [&](target const& t) -> char const* {
            switch (t.type->kind) {
            case value_kind::int8: return store_int<std::int8_t>(t.ptr, v);
            case value_kind::int16: return store_int<std::int16_t>(t.ptr, v);
            case value_kind::int32: return store_int<std::int32_t>(t.ptr, v);
            case value_kind::int64: *static_cast<std::int64_t*>(t.ptr) = v; return nullptr;
            default: return "";
            }
        });
    }

    bool on_uint64(std::uint64_t, boost::json::string_view s, error_code& ec)
    {
        return number(s, ec, [&](target const& t) -> char const* {
            switch (t.type->kind) {
            case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
                return "integer out of range";
            default: return "";
            }
        });
    }

    bool on_double(double v, boost::json::string_view s, error_code& ec)
    {
        return number(s, ec, [&](target const& t) -> char const* {
            switch (t.type->kind) {
            case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
                // Accept integral values written with a fraction or exponent (1.0, 1e3).
                if (std::isfinite(v) && v != std::trunc(v)) return "expected an integer, got a fraction";
                if (!std::isfinite(v) || std::abs(v) > 9.0e18) return "integer out of range";
                return integral_double(t, static_cast<std::int64_t>(v));
            default: return "";
            }
        });
    }

    bool on_bool(bool b, error_code& ec)
    {
        if (skip_scalar()) return true;
        if (depth_ == 0) return fail(ec, "expected a JSON object at the top level, got a boolean");
        target t;
        if (!resolve(t)) return true;
        if (t.type->kind != value_kind::boolean) return mismatch(ec, *t.type, "a boolean");
        *static_cast<bool*>(t.ptr) = b;
        return true;
    }

    bool on_null(error_code& ec)
    {
        if (skip_scalar()) return true;
        if (depth_ == 0) return fail(ec, "expected a JSON object at the top level, got null");
        frame& f = top();
        // null means absent: an optional member stays empty; a required one
        // is then reported missing at the end of its object.
        switch (f.type->kind) {
        case value_kind::structure:
            if (f.member) {
                f.member->reset(f.obj);
                f.seen &= ~(std::uint64_t{1} << f.member_index);  // a later null undoes an earlier value
            }
            break;
        case value_kind::list:
            ++f.count;  // keeps indexes in error paths true to the document
            break;
        case value_kind::map:
            f.type->erase(f.obj, f.key);
            break;
        default: break;
        }
        // Lists and maps of this model are dense: a null entry is dropped.
        return true;
    }

    bool on_comment_part(boost::json::string_view, error_code&) { return true; }
    bool on_comment(boost::json::string_view, error_code&) { return true; }

    // Builds "a.b[2].c" from the frames, for error messages.
    std::string path() const
    {
        std::string p;
        for (std::size_t i = 0; i < depth_; ++i) {
            frame const& f = frames_[i];
            switch (f.type->kind) {
            case value_kind::structure:
                if (!f.member) return p;
                if (!p.empty()) p.push_back('.');
                p.append(f.member->name);
                break;
            case value_kind::list:
                if (f.count == 0) return p;
                p.push_back('[');
                p += std::to_string(f.count - 1);
                p.push_back(']');
                break;
            case value_kind::map:
                if (!f.has_key) return p;
                p.push_back('[');
                p += f.key;
                p.push_back(']');
                break;
            default: break;
            }
        }
        return p;
    }

private:
    struct frame {
        type_info const* type;
        void* obj;
        timestamp_format format;           // for list and map entries
        member_info const* member = nullptr;
        std::size_t member_index = 0;
        std::size_t next = 0;              // structures: where the next key's search starts
        std::uint64_t seen = 0;            // structures: members that got a value
        std::size_t count = 0;             // lists: entries so far
        std::string key;                   // maps: key of the pending entry
        bool has_key = false;
    };

    struct target {
        type_info const* type;
        void* ptr;
        timestamp_format format;
    };

    frame& top() noexcept { return frames_[depth_ - 1]; }

    void push(type_info const& ti, void* obj, timestamp_format fmt)
    {
        frame& f = frames_[depth_++];
        f.type = &ti;
        f.obj = obj;
        f.format = fmt;
        f.member = nullptr;
        f.next = 0;
        f.seen = 0;
        f.count = 0;
        f.key.clear();
        f.has_key = false;
    }

    void pop() noexcept
    {
        --depth_;
        if (depth_ > 0 && top().type->kind == value_kind::structure) top().member = nullptr;
    }

    // A value in a skipped subtree, or the value of an unknown member.
    bool skip_scalar() noexcept
    {
        if (skip_ > 0) return true;
        if (skip_next_) { skip_next_ = false; return true; }
        return false;
    }

    bool begin_skipped() noexcept
    {
        if (skip_ > 0) { ++skip_; return true; }
        if (skip_next_) { skip_next_ = false; skip_ = 1; return true; }
        return false;
    }

    // The C++ object the next value goes to. Returns false if there is none.
    bool resolve(target& t)
    {
        frame& f = top();
        switch (f.type->kind) {
        case value_kind::structure: {
            auto bit = std::uint64_t{1} << f.member_index;
            t.type = &f.member->type();
            t.ptr = f.member->emplace(f.obj);
            t.format = f.member->format;
            if (f.seen & bit) clear_value(*t.type, t.ptr);  // a repeated member replaces the first
            f.seen |= bit;
            return true;
        }
        case value_kind::list:
            t.type = &f.type->element();
            t.ptr = f.type->append(f.obj);
            t.format = f.format;
            ++f.count;
            return true;
        case value_kind::map:
            t.type = &f.type->element();
            t.ptr = f.type->slot(f.obj, f.key);
            t.format = f.format;
            return true;
        default:
            return false;
        }
    }

    bool string_piece(boost::json::string_view s, std::size_t n, bool last, error_code& ec)
    {
        bool first = n == s.size();
        if (first) {
            if (skip_scalar()) { skipping_string_ = !last; return true; }
            skipping_string_ = false;
            if (depth_ == 0) return fail(ec, "expected a JSON object at the top level, got a string");
            if (!resolve(str_target_)) return true;
            auto k = str_target_.type->kind;
            if (k == value_kind::string) {
                str_ = &str_target_.type->string_ref(str_target_.ptr);
                str_->assign(s.data(), s.size());
            } else if (k == value_kind::timestamp || k == value_kind::float32 || k == value_kind::float64) {
                str_ = &scratch_;
                scratch_.assign(s.data(), s.size());
            } else {
                return mismatch(ec, *str_target_.type, "a string");
            }
        } else {
            if (skipping_string_) { skipping_string_ = !last; return true; }
            str_->append(s.data(), s.size());
        }
        if (!last) return true;
        switch (str_target_.type->kind) {
        case value_kind::timestamp: {
            auto* out = static_cast<timestamp*>(str_target_.ptr);
            // Be liberal in what we accept: any of the three formats.
            if (parse_timestamp(scratch_, str_target_.format, *out) ||
                parse_date_time(scratch_, *out) || parse_http_date(scratch_, *out) ||
                parse_epoch_seconds(scratch_, *out))
                return true;
            return fail(ec, "malformed timestamp \"" + scratch_ + "\"");
        }
        case value_kind::float32:
        case value_kind::float64: {
            double v;
            if (scratch_ == "NaN") v = std::numeric_limits<double>::quiet_NaN();
            else if (scratch_ == "Infinity") v = std::numeric_limits<double>::infinity();
            else if (scratch_ == "-Infinity") v = -std::numeric_limits<double>::infinity();
            else return fail(ec, "expected a number, got the string \"" + scratch_ + "\"");
            if (str_target_.type->kind == value_kind::float32) *static_cast<float*>(str_target_.ptr) = static_cast<float>(v);
            else *static_cast<double*>(str_target_.ptr) = v;
            return true;
        }
        default:
            return true;
        }
    }

    template <class Store>
    bool number(boost::json::string_view s, error_code& ec, Store store)
    {
        if (skip_scalar()) { number_.clear(); return true; }
        if (depth_ == 0) return fail(ec, "expected a JSON object at the top level, got a number");
        target t;
        if (!resolve(t)) { number_.clear(); return true; }
        std::string_view text{s.data(), s.size()};
        if (!number_.empty()) { number_.append(s.data(), s.size()); text = number_; }
        auto k = t.type->kind;
        if (k == value_kind::timestamp) {
            bool ok = parse_epoch_seconds(text, *static_cast<timestamp*>(t.ptr));
            if (!ok) return fail(ec, "timestamp out of range: " + std::string(text));
            number_.clear();
            return true;
        }
        if (k == value_kind::float32 || k == value_kind::float64) {
            // Convert the text ourselves: std::from_chars rounds correctly (and
            // keeps -0), where the parser's own double may be off by one ulp.
            if (k == value_kind::float64) *static_cast<double*>(t.ptr) = to_floating<double>(text);
            else *static_cast<float*>(t.ptr) = to_floating<float>(text);
            number_.clear();
            return true;
        }
        number_.clear();
        char const* problem = store(t);
        if (!problem) return true;
        if (*problem == 0) return mismatch(ec, *t.type, "a number");
        return fail(ec, problem);
    }

    // A JSON number's text as F, correctly rounded; beyond F's range it
    // becomes an infinity or a zero, as Java's parsers (the service's) do.
    template <class F>
    static F to_floating(std::string_view text) noexcept
    {
        F v{};
        auto r = std::from_chars(text.data(), text.data() + text.size(), v);
        if (r.ec == std::errc::result_out_of_range) {
            bool negative = !text.empty() && text.front() == '-';
            auto e = text.find_first_of("eE");
            bool underflow = e != std::string_view::npos && e + 1 < text.size() && text[e + 1] == '-';
            v = underflow ? F(0) : std::numeric_limits<F>::infinity();
            if (negative) v = -v;
        }
        return v;
    }

    // Empties a value so that a repeated member does not merge into the first.
    static void clear_value(type_info const& ti, void* p)
    {
        switch (ti.kind) {
        case value_kind::string: ti.string_ref(p).clear(); return;
        case value_kind::list:
        case value_kind::map: ti.clear(p); return;
        case value_kind::structure:
            for (std::size_t i = 0; i < ti.member_count; ++i) {
                auto const& m = ti.members[i];
                if (m.required) clear_value(m.type(), m.emplace(p));
                else m.reset(p);
            }
            return;
        default: return;  // scalars are overwritten by the value that follows
        }
    }

    template <class I>
    static char const* store_int(void* p, std::int64_t v) noexcept
    {
        if (v < std::numeric_limits<I>::min() || v > std::numeric_limits<I>::max()) return "integer out of range";
        *static_cast<I*>(p) = static_cast<I>(v);
        return nullptr;
    }

    static char const* integral_double(target const& t, std::int64_t v) noexcept
    {
        switch (t.type->kind) {
        case value_kind::int8: return store_int<std::int8_t>(t.ptr, v);
        case value_kind::int16: return store_int<std::int16_t>(t.ptr, v);
        case value_kind::int32: return store_int<std::int32_t>(t.ptr, v);
        default: *static_cast<std::int64_t*>(t.ptr) = v; return nullptr;
        }
    }

    static char const* kind_name(value_kind k) noexcept
    {
        switch (k) {
        case value_kind::string: return "a string";
        case value_kind::boolean: return "a boolean";
        case value_kind::int8: case value_kind::int16: case value_kind::int32: case value_kind::int64:
            return "an integer";
        case value_kind::float32: case value_kind::float64: return "a number";
        case value_kind::timestamp: return "a timestamp";
        case value_kind::structure: case value_kind::map: return "an object";
        case value_kind::list: return "an array";
        }
        return "a value";
    }

    bool mismatch(error_code& ec, type_info const& want, char const* got)
    {
        return fail(ec, std::string("expected ") + kind_name(want.kind) + ", got " + got);
    }

    bool fail(error_code& ec, std::string message)
    {
        err_->path = path();
        err_->message = std::move(message);
        ec = client_errc::unparsable_response;
        return false;
    }

    type_info const* root_;
    void* out_;
    read_error* err_;
    std::array<frame, max_json_depth + 1> frames_{};
    std::size_t depth_ = 0;
    bool root_any_location_ = false;  // the root's label, query and header members are read too
    std::size_t skip_ = 0;     // depth inside a skipped object or array
    bool skip_next_ = false;   // the next value belongs to an unknown member
    bool skipping_string_ = false;
    target str_target_{};
    std::string* str_ = nullptr;
    std::string key_;
    std::string scratch_;
    std::string number_;
};

namespace json_read_impl {

inline error_code read_document(std::string_view body, type_info const& ti, void* out, read_error& err,
                                bool root_any_location)
{
    std::size_t i = 0;
    while (i < body.size() && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) ++i;
    if (i == body.size()) body = "{}";  // restJson1: an empty payload reads as an empty object

    // A parser per thread, reused: building one (its handler keeps a frame
    // per nesting level) costs more than parsing a small response. One
    // busy (a parse inside a parse, which nothing does today) is not shared.
    using parser_type = boost::json::basic_parser<shape_json_handler>;
    struct reusable {
        std::optional<parser_type> parser;
        bool busy = false;
    };
    thread_local reusable cache;
    std::optional<parser_type> own;
    boost::json::parse_options opt;
    opt.max_depth = max_json_depth;
    bool const shared = !cache.busy;
    if (shared) {
        if (!cache.parser) cache.parser.emplace(opt, ti, out, err, root_any_location);
        else cache.parser->reset();
        cache.busy = true;
    } else {
        own.emplace(opt, ti, out, err, root_any_location);
    }
    struct release {
        reusable* c;
        ~release()
        {
            if (c) c->busy = false;
        }
    } const done{shared ? &cache : nullptr};
    parser_type* pp = shared ? &*cache.parser : &*own;
    auto& p = *pp;
    p.handler().bind(ti, out, err, root_any_location);
    error_code ec;
    std::size_t n = p.write_some(false, body.data(), body.size(), ec);
    if (!ec && n != body.size()) ec = boost::json::error::extra_data;
    if (ec) {
        if (ec != client_errc::unparsable_response) {
            // A syntax error: say where, and what Boost.JSON found.
            err.path = p.handler().path();
            err.message = "invalid JSON at byte " + std::to_string(n) + ": " + ec.message();
            ec = client_errc::unparsable_response;
        }
        return ec;
    }
    return {};
}

} // namespace json_read_impl

CLEANROOMSML_DECL error_code read_json_body(std::string_view body, type_info const& ti, void* out, read_error& err)
{
    return json_read_impl::read_document(body, ti, out, err, false);
}

CLEANROOMSML_DECL error_code read_json_members(std::string_view doc, type_info const& ti, void* out, read_error& err)
{
    return json_read_impl::read_document(doc, ti, out, err, true);
}

} // namespace cleanroomsml::detail

#endif
