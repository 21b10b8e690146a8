#ifndef CLEANROOMSML_IMPL_PATTERN_IPP
#define CLEANROOMSML_IMPL_PATTERN_IPP

#include <cleanroomsml/detail/pattern.hpp>

#include <algorithm>
#include <cstddef>
#include <map>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail::pattern_impl {

// Beyond these limits a pattern is reported unsupported rather than made
// expensive to compile or to run.
inline constexpr unsigned max_depth = 64;            // nested groups (recursion depth)
inline constexpr std::uint32_t max_count = 1000;     // bounds in {n,m}
inline constexpr std::size_t max_nodes = 1u << 16;   // compiled program size
inline constexpr std::uint32_t unbounded = 0xFFFFFFFFu;
inline constexpr char32_t max_code_point = 0x10FFFF;
inline constexpr char32_t end_of_text = 0xFFFFFFFFu;  // never a code point

// ---------------------------------------------------------------- UTF-8

// Strict decoding: overlong forms, encoded surrogates and values above
// U+10FFFF are rejected, as the service would reject them.
CLEANROOMSML_DECL bool decode_utf8(std::string_view in, std::vector<char32_t>& out)
{
    out.clear();
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        auto const lead = static_cast<unsigned char>(in[i]);
        if (lead < 0x80) {
            out.push_back(lead);
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t cp = 0;
        char32_t smallest = 0;
        if ((lead & 0xE0) == 0xC0) {
            length = 2, cp = lead & 0x1F, smallest = 0x80;
        } else if ((lead & 0xF0) == 0xE0) {
            length = 3, cp = lead & 0x0F, smallest = 0x800;
        } else if ((lead & 0xF8) == 0xF0) {
            length = 4, cp = lead & 0x07, smallest = 0x10000;
        } else {
            return false;
        }
        if (in.size() - i < length)
            return false;
        for (std::size_t k = 1; k < length; ++k) {
            auto const trail = static_cast<unsigned char>(in[i + k]);
            if ((trail & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (trail & 0x3F);
        }
        if (cp < smallest || cp > max_code_point || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        out.push_back(cp);
        i += length;
    }
    return true;
}

// ---------------------------------------------------------------- parser

enum class term_kind : unsigned char {
    empty, literal, any, char_class, line_begin, line_end,
    concat, alternation, repeat, look_ahead, negative_look_ahead,
};

struct term {
    term_kind kind = term_kind::empty;
    std::uint32_t value = 0;  // literal: code point; char_class: class index; lookahead: memo slot
    std::uint32_t min = 0;    // repeat
    std::uint32_t max = 0;    // repeat; unbounded for * and +
    std::vector<std::uint32_t> children;
};

struct parser {
    std::vector<char32_t> text;
    std::size_t pos = 0;
    unsigned depth = 0;
    std::vector<term> terms;
    program* out = nullptr;
};

// The result of an escape: one code point, or one of \d \w \s \D \W \S.
struct escape {
    char32_t code_point = 0;
    char32_t set = 0;
};

using range_list = std::vector<std::pair<char32_t, char32_t>>;

CLEANROOMSML_DECL bool parse_alternation(parser& p, std::uint32_t& out);

CLEANROOMSML_DECL char32_t peek(parser const& p, std::size_t ahead = 0)
{
    std::size_t const i = p.pos + ahead;
    return i < p.text.size() ? p.text[i] : end_of_text;
}

CLEANROOMSML_DECL std::uint32_t add_term(parser& p, term_kind kind, std::uint32_t value = 0)
{
    term t;
    t.kind = kind;
    t.value = value;
    p.terms.push_back(std::move(t));
    return static_cast<std::uint32_t>(p.terms.size() - 1);
}

CLEANROOMSML_DECL std::uint32_t add_parent(parser& p, term_kind kind, std::vector<std::uint32_t> children)
{
    std::uint32_t const index = add_term(p, kind);
    p.terms[index].children = std::move(children);
    return index;
}

CLEANROOMSML_DECL bool is_ascii_alnum(char32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

CLEANROOMSML_DECL bool read_hex4(parser& p, char32_t& out)
{
    out = 0;
    for (int k = 0; k < 4; ++k) {
        char32_t const c = peek(p);
        char32_t digit = 0;
        if (c >= '0' && c <= '9')
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return false;
        out = (out << 4) | digit;
        ++p.pos;
    }
    return true;
}

// Called after the backslash. Only escapes with the same meaning in Java and
// ECMAScript are accepted; backreferences, octal, \p{..}, \b, \Q.. etc. are not.
CLEANROOMSML_DECL bool parse_escape(parser& p, escape& e)
{
    char32_t const c = peek(p);
    if (c == end_of_text)
        return false;
    ++p.pos;
    switch (c) {
    case 't': e.code_point = '\t'; return true;
    case 'n': e.code_point = '\n'; return true;
    case 'r': e.code_point = '\r'; return true;
    case 'f': e.code_point = '\f'; return true;
    case 'd': case 'w': case 's': case 'D': case 'W': case 'S':
        e.set = c;
        return true;
    case 'u': {
        if (!read_hex4(p, e.code_point))
            return false;
        // Java joins an escaped surrogate pair into one supplementary code point.
        if (e.code_point >= 0xD800 && e.code_point <= 0xDBFF && peek(p) == '\\' && peek(p, 1) == 'u') {
            std::size_t const saved = p.pos;
            p.pos += 2;
            char32_t low = 0;
            if (read_hex4(p, low) && low >= 0xDC00 && low <= 0xDFFF)
                e.code_point = 0x10000 + ((e.code_point - 0xD800) << 10) + (low - 0xDC00);
            else
                p.pos = saved;
        }
        return true;
    }
    default:
        // Java reserves every escaped ASCII letter and digit; punctuation is literal.
        if (c < 0x80 && !is_ascii_alnum(c)) {
            e.code_point = c;
            return true;
        }
        return false;
    }
}

// Java's (not ECMAScript's Unicode-wide) definitions, as the brief requires.
CLEANROOMSML_DECL void add_escape_set(range_list& ranges, char32_t letter)
{
    range_list base;
    switch (letter) {
    case 'd': case 'D': base = {{'0', '9'}}; break;
    case 'w': case 'W': base = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}; break;
    default: base = {{'\t', '\r'}, {' ', ' '}}; break;  // \t \n \x0B \f \r and space
    }
    if (letter >= 'a') {
        ranges.insert(ranges.end(), base.begin(), base.end());
        return;
    }
    char32_t low = 0;
    for (auto const& [first, last] : base) {
        if (first > low)
            ranges.emplace_back(low, first - 1);
        low = last + 1;
    }
    ranges.emplace_back(low, max_code_point);
}

CLEANROOMSML_DECL void normalize(range_list& ranges)
{
    std::sort(ranges.begin(), ranges.end());
    range_list merged;
    for (auto const& r : ranges) {
        if (!merged.empty() && r.first <= merged.back().second + 1)
            merged.back().second = std::max(merged.back().second, r.second);
        else
            merged.push_back(r);
    }
    ranges = std::move(merged);
}

// Surrogate rule. Model patterns are written for Java's UTF-16 strings, and
// some list surrogates to admit characters beyond the BMP (for instance
// "\uD800\uDBFF-\uDC00\uDFFF"). Java tests such a character as one code point
// and would not find it in those ranges, but a UTF-16 engine sees two
// surrogates, and we cannot know which the service uses. So a class that
// names any surrogate accepts every code point above U+FFFF. A negated class
// keeps the plain code-point test: that is what Java does, and it already
// accepts every supplementary character the class does not list, so any
// stricter rule could only reject values Java accepts.
CLEANROOMSML_DECL std::uint32_t add_class(parser& p, char_class cc)
{
    normalize(cc.ranges);
    cc.supplementary = !cc.negated && std::any_of(cc.ranges.begin(), cc.ranges.end(), [](auto const& r) {
        return r.first <= 0xDFFF && r.second >= 0xD800;
    });
    p.out->classes.push_back(std::move(cc));
    return add_term(p, term_kind::char_class, static_cast<std::uint32_t>(p.out->classes.size() - 1));
}

CLEANROOMSML_DECL bool read_class_atom(parser& p, escape& e)
{
    char32_t const c = peek(p);
    if (c == end_of_text || c == '[')
        return false;
    ++p.pos;
    if (c == '\\')
        return parse_escape(p, e);
    e.code_point = c;
    return true;
}

// Called after '['. Constructs that Java and ECMAScript read differently
// ("[]", nested classes, "&&", a '-' after a range) are unsupported.
CLEANROOMSML_DECL bool parse_class(parser& p, std::uint32_t& out)
{
    char_class cc;
    if (peek(p) == '^') {
        cc.negated = true;
        ++p.pos;
    }
    if (peek(p) == ']')
        return false;
    for (bool first = true;; first = false) {
        char32_t const c = peek(p);
        if (c == end_of_text || c == '[')
            return false;
        if (c == ']') {
            ++p.pos;
            break;
        }
        if (c == '&' && peek(p, 1) == '&')
            return false;
        if (c == '-' && !first && peek(p, 1) != ']')
            return false;
        escape low;
        if (!read_class_atom(p, low))
            return false;
        if (peek(p) == '-' && peek(p, 1) != ']') {
            ++p.pos;
            escape high;
            if (low.set != 0 || !read_class_atom(p, high) || high.set != 0 || high.code_point < low.code_point)
                return false;
            cc.ranges.emplace_back(low.code_point, high.code_point);
        } else if (low.set != 0) {
            add_escape_set(cc.ranges, low.set);
        } else {
            cc.ranges.emplace_back(low.code_point, low.code_point);
        }
    }
    out = add_class(p, std::move(cc));
    return true;
}

CLEANROOMSML_DECL bool read_count(parser& p, std::uint32_t& out)
{
    out = 0;
    bool any = false;
    for (char32_t c = peek(p); c >= '0' && c <= '9'; c = peek(p)) {
        out = out * 10 + (c - '0');
        if (out > max_count)
            return false;
        any = true;
        ++p.pos;
    }
    return any;
}

CLEANROOMSML_DECL bool parse_quantifier(parser& p, std::uint32_t& atom, bool quantifiable)
{
    std::uint32_t min = 0;
    std::uint32_t max = 0;
    switch (peek(p)) {
    case '*': min = 0, max = unbounded; ++p.pos; break;
    case '+': min = 1, max = unbounded; ++p.pos; break;
    case '?': min = 0, max = 1; ++p.pos; break;
    case '{':
        ++p.pos;
        if (!read_count(p, min))
            return false;
        max = min;
        if (peek(p) == ',') {
            ++p.pos;
            if (peek(p) == '}')
                max = unbounded;
            else if (!read_count(p, max) || max < min)
                return false;
        }
        if (peek(p) != '}')
            return false;
        ++p.pos;
        break;
    default:
        return true;
    }
    if (!quantifiable)
        return false;
    // Lazy and greedy accept the same inputs when only existence matters;
    // possessive ones do not, and ECMAScript has none.
    if (peek(p) == '?')
        ++p.pos;
    else if (peek(p) == '+')
        return false;
    std::uint32_t const repeat = add_parent(p, term_kind::repeat, std::vector<std::uint32_t>{atom});
    p.terms[repeat].min = min;
    p.terms[repeat].max = max;
    atom = repeat;
    return true;
}

CLEANROOMSML_DECL bool parse_atom(parser& p, std::uint32_t& out, bool& quantifiable)
{
    char32_t const c = peek(p);
    ++p.pos;
    quantifiable = true;
    switch (c) {
    case '(': {
        term_kind kind = term_kind::empty;  // a plain group
        if (peek(p) == '?') {
            char32_t const k = peek(p, 1);
            if (k == '=')
                kind = term_kind::look_ahead;
            else if (k == '!')
                kind = term_kind::negative_look_ahead;
            else if (k != ':')  // lookbehind, named and atomic groups, inline flags
                return false;
            p.pos += 2;
        }
        if (++p.depth > max_depth)
            return false;
        std::uint32_t inner = 0;
        if (!parse_alternation(p, inner) || peek(p) != ')')
            return false;
        ++p.pos;
        --p.depth;
        if (kind == term_kind::empty) {
            out = inner;
        } else {
            out = add_parent(p, kind, std::vector<std::uint32_t>{inner});
            p.terms[out].value = p.out->look_count++;
            quantifiable = false;  // Java and ECMAScript disagree; never seen in models
        }
        return true;
    }
    case '[':
        return parse_class(p, out);
    case '.':
        out = add_term(p, term_kind::any);
        return true;
    case '^':
    case '$':
        out = add_term(p, c == '^' ? term_kind::line_begin : term_kind::line_end);
        quantifiable = false;
        return true;
    case '\\': {
        escape e;
        if (!parse_escape(p, e))
            return false;
        if (e.set == 0) {
            out = add_term(p, term_kind::literal, e.code_point);
        } else {
            char_class cc;
            add_escape_set(cc.ranges, e.set | 0x20);  // the lower-case set...
            cc.negated = e.set < 'a';                 // ...negated for \D \W \S
            out = add_class(p, std::move(cc));
        }
        return true;
    }
    case '*': case '+': case '?': case '{': case ')': case '|':
        return false;  // dangling quantifier, stray ')', or Java's "illegal repetition"
    default:
        out = add_term(p, term_kind::literal, c);  // includes ']' and '}', literal in both
        return true;
    }
}

CLEANROOMSML_DECL bool parse_sequence(parser& p, std::uint32_t& out)
{
    std::vector<std::uint32_t> items;
    for (char32_t c = peek(p); c != end_of_text && c != '|' && c != ')'; c = peek(p)) {
        std::uint32_t atom = 0;
        bool quantifiable = false;
        if (!parse_atom(p, atom, quantifiable) || !parse_quantifier(p, atom, quantifiable))
            return false;
        items.push_back(atom);
    }
    out = items.size() == 1 ? items.front() : add_parent(p, term_kind::concat, std::move(items));
    return true;
}

CLEANROOMSML_DECL bool parse_alternation(parser& p, std::uint32_t& out)
{
    std::vector<std::uint32_t> branches;
    for (;;) {
        std::uint32_t branch = 0;
        if (!parse_sequence(p, branch))
            return false;
        branches.push_back(branch);
        if (peek(p) != '|')
            break;
        ++p.pos;
    }
    out = branches.size() == 1 ? branches.front() : add_parent(p, term_kind::alternation, std::move(branches));
    return true;
}

// ---------------------------------------------------------------- NFA construction

// Code is emitted back to front: emit() returns the entry of code that
// matches a term and then continues at `next`. Counted repetitions are
// expanded into copies.
struct emitter {
    std::vector<term> const* terms = nullptr;
    program* out = nullptr;
    bool overflow = false;
};

CLEANROOMSML_DECL std::uint32_t add_node(emitter& e, op kind, std::uint32_t next, std::uint32_t alt, std::uint32_t value)
{
    if (e.out->nodes.size() >= max_nodes) {
        e.overflow = true;
        return next;
    }
    e.out->nodes.push_back(node{kind, next, alt, value});
    return static_cast<std::uint32_t>(e.out->nodes.size() - 1);
}

CLEANROOMSML_DECL std::uint32_t emit(emitter& e, std::uint32_t index, std::uint32_t next)
{
    if (e.overflow)
        return next;
    term const& t = (*e.terms)[index];
    switch (t.kind) {
    case term_kind::empty:
        return next;
    case term_kind::literal:
        return add_node(e, op::literal, next, 0, t.value);
    case term_kind::any:
        return add_node(e, op::any, next, 0, 0);
    case term_kind::char_class:
        return add_node(e, op::char_class, next, 0, t.value);
    case term_kind::line_begin:
        return add_node(e, op::line_begin, next, 0, 0);
    case term_kind::line_end:
        return add_node(e, op::line_end, next, 0, 0);
    case term_kind::concat:
        for (auto it = t.children.rbegin(); it != t.children.rend(); ++it)
            next = emit(e, *it, next);
        return next;
    case term_kind::alternation: {
        std::uint32_t rest = emit(e, t.children.back(), next);
        for (std::size_t i = t.children.size() - 1; i-- > 0;)
            rest = add_node(e, op::split, emit(e, t.children[i], next), rest, 0);
        return rest;
    }
    case term_kind::repeat: {
        std::uint32_t const body = t.children.front();
        std::uint32_t entry = next;
        if (t.max == unbounded) {
            std::uint32_t const loop = add_node(e, op::split, 0, next, 0);
            if (e.overflow)
                return next;
            std::uint32_t const start = emit(e, body, loop);
            e.out->nodes[loop].next = start;
            entry = loop;
        } else {
            // x{0,k} as (x(x(x)?)?)?: every skip leaves the whole repetition at
            // once, so a simulation holds few states however large k is.
            for (std::uint32_t k = t.min; k < t.max && !e.overflow; ++k)
                entry = add_node(e, op::split, emit(e, body, entry), next, 0);
        }
        for (std::uint32_t k = 0; k < t.min && !e.overflow; ++k)
            entry = emit(e, body, entry);
        return entry;
    }
    case term_kind::look_ahead:
    case term_kind::negative_look_ahead: {
        std::uint32_t const accept = add_node(e, op::accept, 0, 0, 0);
        std::uint32_t const sub = emit(e, t.children.front(), accept);
        op const kind = t.kind == term_kind::look_ahead ? op::look_ahead : op::negative_look_ahead;
        return add_node(e, kind, next, sub, t.value);
    }
    }
    return next;
}

CLEANROOMSML_DECL bool compile(std::string_view source, program& out)
{
    parser p;
    p.out = &out;
    if (!decode_utf8(source, p.text))
        return false;
    std::uint32_t root = 0;
    if (!parse_alternation(p, root) || peek(p) != end_of_text)
        return false;  // also a stray ')'
    emitter e;
    e.terms = &p.terms;
    e.out = &out;
    std::uint32_t const accept = add_node(e, op::accept, 0, 0, 0);
    out.start = emit(e, root, accept);
    return !e.overflow;
}

// ---------------------------------------------------------------- simulation

CLEANROOMSML_DECL bool class_matches(char_class const& cc, char32_t c)
{
    auto const after = std::upper_bound(cc.ranges.begin(), cc.ranges.end(), c,
                                        [](char32_t v, auto const& r) { return v < r.first; });
    bool in = after != cc.ranges.begin() && c <= std::prev(after)->second;
    if (cc.negated)
        in = !in;
    return in || (c > 0xFFFF && cc.supplementary);
}

CLEANROOMSML_DECL bool consumes(program const& prog, node const& n, char32_t c)
{
    switch (n.kind) {
    case op::literal:
        return c == n.value;
    case op::any:
        // Java also excludes U+0085, U+2028 and U+2029; accepting them errs
        // on the side of never rejecting what the service accepts.
        return c != '\n' && c != '\r';
    case op::char_class:
        return class_matches(prog.classes[n.value], c);
    default:
        return false;
    }
}

// Java's '$' without MULTILINE: at the end, or before a line terminator that
// ends the input (so "^a$" finds a match in "a\n").
CLEANROOMSML_DECL bool at_line_end(std::vector<char32_t> const& text, std::size_t pos)
{
    std::size_t const size = text.size();
    if (pos == size)
        return true;
    if (pos + 1 == size) {
        char32_t const c = text[pos];
        if (c == '\n')
            return pos == 0 || text[pos - 1] != '\r';  // not between \r and \n
        return c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029;
    }
    return pos + 2 == size && text[pos] == '\r' && text[pos + 1] == '\n';
}

// The states reached at one input position. mark[s] == stamp means state s
// was already visited there, which keeps the set small and ends epsilon loops.
struct state_set {
    std::vector<std::uint32_t> consuming;
    std::vector<std::uint32_t> mark;
    std::uint32_t stamp = 0;
};

CLEANROOMSML_DECL void reset(state_set& set)
{
    set.consuming.clear();
    if (++set.stamp == 0) {
        std::fill(set.mark.begin(), set.mark.end(), 0);
        set.stamp = 1;
    }
}

// Working storage of one run(); kept for reuse, one per lookahead nesting
// level, so that a lookahead tried at every position allocates nothing.
struct frame {
    state_set current;
    state_set following;
    std::vector<std::uint32_t> stack;
};

struct matcher {
    program const* prog = nullptr;
    std::vector<char32_t> const* text = nullptr;
    std::vector<signed char> look_memo;  // [slot * (size + 1) + pos]: -1 unknown, 0, 1
    std::vector<std::unique_ptr<frame>> frames;  // by depth; pointers stay put as it grows
};

CLEANROOMSML_DECL bool run(matcher& m, std::uint32_t start, std::size_t pos, bool anchored, std::size_t depth);

CLEANROOMSML_DECL bool look(matcher& m, node const& n, std::size_t pos, std::size_t depth)
{
    std::size_t const width = m.text->size() + 1;
    if (m.look_memo.empty())
        m.look_memo.assign(m.prog->look_count * width, -1);
    std::size_t const slot = n.value * width + pos;
    if (m.look_memo[slot] < 0)
        m.look_memo[slot] = run(m, n.alt, pos, true, depth + 1) ? 1 : 0;
    return m.look_memo[slot] == 1;
}

// Adds state `from` and everything reachable from it without consuming input.
// Returns true once an accept state is reached.
CLEANROOMSML_DECL bool add_state(matcher& m, std::size_t depth, state_set& set, std::uint32_t from, std::size_t pos)
{
    node const* const nodes = m.prog->nodes.data();
    std::uint32_t* const mark = set.mark.data();
    std::vector<std::uint32_t>& pending = m.frames[depth]->stack;  // second branches of splits
    pending.clear();
    for (std::uint32_t s = from;;) {
        if (mark[s] != set.stamp) {
            mark[s] = set.stamp;
            node const& n = nodes[s];
            bool follow = false;
            switch (n.kind) {
            case op::accept:
                return true;
            case op::split:
                pending.push_back(n.alt);
                follow = true;
                break;
            case op::line_begin:
                follow = pos == 0;
                break;
            case op::line_end:
                follow = at_line_end(*m.text, pos);
                break;
            case op::look_ahead:
            case op::negative_look_ahead:
                follow = look(m, n, pos, depth) == (n.kind == op::look_ahead);
                break;
            default:
                set.consuming.push_back(s);
                break;
            }
            if (follow) {
                s = n.next;
                continue;
            }
        }
        if (pending.empty())
            return false;
        s = pending.back();
        pending.pop_back();
    }
}

// Whether the code at `start` matches from `pos` onwards (anchored), or from
// `pos` or any later position (find()). Ends as soon as any match is seen.
CLEANROOMSML_DECL bool run(matcher& m, std::uint32_t start, std::size_t pos, bool anchored, std::size_t depth)
{
    program const& prog = *m.prog;
    std::vector<char32_t> const& text = *m.text;
    // A program that opens with '^' cannot match later on.
    bool const restart = !anchored && prog.nodes[start].kind != op::line_begin;
    if (m.frames.size() <= depth) m.frames.push_back(std::make_unique<frame>());
    state_set& current = m.frames[depth]->current;
    state_set& following = m.frames[depth]->following;
    // Frames are reused across patterns: marks only grow (stamps keep old
    // entries stale), so a larger program just extends them.
    if (current.mark.size() < prog.nodes.size()) {
        current.mark.resize(prog.nodes.size(), 0);
        following.mark.resize(prog.nodes.size(), 0);
    }
    reset(current);
    if (add_state(m, depth, current, start, pos))
        return true;
    for (; pos < text.size(); ++pos) {
        if (!restart && current.consuming.empty())
            return false;
        reset(following);
        for (std::uint32_t const s : current.consuming) {
            node const& n = prog.nodes[s];
            if (consumes(prog, n, text[pos]) && add_state(m, depth, following, n.next, pos + 1))
                return true;
        }
        if (restart && add_state(m, depth, following, start, pos + 1))
            return true;
        std::swap(current, following);
    }
    return false;
}


// ---------------------------------------------------------------- DFA

// Subset construction over ASCII for programs without lookahead. Only used
// on input of ASCII bytes other than '\r' and '\n' that is not empty, so '^'
// holds at position 0 alone and '$' at the end alone; what '$' would accept
// at the end is kept per state (accept_at_end).
inline constexpr std::size_t max_dfa_states = 256;

struct dfa_closure {
    std::vector<std::uint32_t> consuming;  // sorted
    std::vector<std::uint32_t> ends;       // '$' nodes reached, sorted
    bool accept = false;
};

CLEANROOMSML_DECL void close_over(program const& prog, std::vector<std::uint32_t> seeds, bool at_begin,
                                  std::vector<unsigned char>& seen, dfa_closure& out)
{
    std::fill(seen.begin(), seen.end(), 0);
    out = dfa_closure{};
    while (!seeds.empty()) {
        std::uint32_t const s = seeds.back();
        seeds.pop_back();
        if (seen[s]) continue;
        seen[s] = 1;
        node const& n = prog.nodes[s];
        switch (n.kind) {
        case op::accept: out.accept = true; break;
        case op::split: seeds.push_back(n.alt); seeds.push_back(n.next); break;
        case op::line_begin: if (at_begin) seeds.push_back(n.next); break;
        case op::line_end: out.ends.push_back(s); break;
        case op::literal:
        case op::any:
        case op::char_class: out.consuming.push_back(s); break;
        default: break;  // lookaheads: no DFA is built for them
        }
    }
    std::sort(out.consuming.begin(), out.consuming.end());
    std::sort(out.ends.begin(), out.ends.end());
}

// Whether '$' nodes reached just before the end lead to accept there.
CLEANROOMSML_DECL bool accepts_at_end(program const& prog, std::vector<std::uint32_t> seeds, std::vector<unsigned char>& seen)
{
    std::fill(seen.begin(), seen.end(), 0);
    while (!seeds.empty()) {
        std::uint32_t const s = seeds.back();
        seeds.pop_back();
        if (seen[s]) continue;
        seen[s] = 1;
        node const& n = prog.nodes[s];
        if (n.kind == op::accept) return true;
        if (n.kind == op::split) seeds.push_back(n.alt);
        if (n.kind == op::split || n.kind == op::line_end) seeds.push_back(n.next);
    }
    return false;
}

CLEANROOMSML_DECL bool build_dfa(program const& prog, dfa& out)
{
    out = dfa{};
    if (prog.look_count != 0 || prog.nodes.empty()) return false;

    // Byte classes: bytes every consuming node treats alike.
    std::vector<std::uint32_t> consumers;
    for (std::uint32_t i = 0; i < prog.nodes.size(); ++i)
        if (prog.nodes[i].kind == op::literal || prog.nodes[i].kind == op::any || prog.nodes[i].kind == op::char_class)
            consumers.push_back(i);
    std::map<std::vector<bool>, unsigned char> signatures;
    unsigned char representative[128] = {};
    for (unsigned b = 0; b < 128; ++b) {
        std::vector<bool> sig(consumers.size());
        for (std::size_t k = 0; k < consumers.size(); ++k) sig[k] = consumes(prog, prog.nodes[consumers[k]], char32_t(b));
        auto const [it, fresh] = signatures.emplace(std::move(sig), static_cast<unsigned char>(signatures.size()));
        if (fresh) representative[it->second] = static_cast<unsigned char>(b);
        out.byte_class[b] = it->second;
    }
    std::uint32_t const classes = static_cast<std::uint32_t>(signatures.size());

    // As in run(): unless the program opens with '^', a match may begin at
    // any position, so every step also starts the program afresh.
    bool const restart = prog.nodes[prog.start].kind != op::line_begin;
    std::vector<unsigned char> seen(prog.nodes.size());
    std::map<std::vector<std::uint32_t>, std::int32_t> ids;
    std::vector<dfa_closure> states;
    auto intern = [&](dfa_closure&& c) -> std::int32_t {
        if (c.accept) return dfa::found;
        if (!restart && c.consuming.empty() && c.ends.empty()) return dfa::dead;
        std::vector<std::uint32_t> key = c.consuming;
        key.push_back(0xFFFFFFFFu);
        key.insert(key.end(), c.ends.begin(), c.ends.end());
        auto const [it, fresh] = ids.emplace(std::move(key), static_cast<std::int32_t>(states.size()));
        if (fresh) states.push_back(std::move(c));
        return it->second;
    };

    dfa_closure c;
    close_over(prog, {prog.start}, true, seen, c);
    std::int32_t const start = intern(std::move(c));
    std::vector<std::int32_t> next;
    std::vector<unsigned char> at_end;
    for (std::size_t i = 0; i < states.size(); ++i) {
        if (states.size() > max_dfa_states) return false;
        at_end.push_back(accepts_at_end(prog, states[i].ends, seen) ? 1 : 0);
        for (std::uint32_t k = 0; k < classes; ++k) {
            std::vector<std::uint32_t> seeds;
            for (std::uint32_t const s : states[i].consuming)
                if (consumes(prog, prog.nodes[s], char32_t(representative[k]))) seeds.push_back(prog.nodes[s].next);
            if (restart) seeds.push_back(prog.start);
            close_over(prog, std::move(seeds), false, seen, c);
            std::int32_t const to = intern(std::move(c));  // may grow `states`
            next.push_back(to);
        }
    }
    // States become row offsets: one add per byte instead of a multiply.
    auto const row = [classes](std::int32_t to) { return to < 0 ? to : to * static_cast<std::int32_t>(classes); };
    for (auto& to : next) to = row(to);
    out.classes = classes;
    out.next = std::move(next);
    out.accept_at_end = std::move(at_end);
    out.start = row(start);
    return true;
}

// pattern_result as a tri-state: no answer when the input is not for the DFA.
enum class dfa_answer : unsigned char { match, no_match, not_applicable };

CLEANROOMSML_DECL dfa_answer run_dfa(dfa const& d, std::string_view in)
{
    if (in.empty()) return dfa_answer::not_applicable;
    for (char const ch : in) {
        auto const b = static_cast<unsigned char>(ch);
        if (b >= 0x80 || b == '\r' || b == '\n') return dfa_answer::not_applicable;
    }
    // Locals: a char store could alias the members, which would reload them per byte.
    std::int32_t const* const table = d.next.data();
    unsigned char const* const cls = d.byte_class;
    std::int32_t s = d.start;
    for (char const ch : in) {
        if (s < 0) break;
        s = table[static_cast<std::size_t>(s) + cls[static_cast<unsigned char>(ch)]];
    }
    if (s == dfa::found) return dfa_answer::match;
    if (s == dfa::dead) return dfa_answer::no_match;
    return d.accept_at_end[static_cast<std::size_t>(s) / d.classes] ? dfa_answer::match : dfa_answer::no_match;
}

}  // namespace cleanroomsml::detail::pattern_impl

namespace cleanroomsml::detail {

CLEANROOMSML_DECL pattern::pattern(std::string_view source, engine e) : source_(source)
{
    supported_ = pattern_impl::compile(source_, program_);
    if (!supported_)
        program_ = pattern_impl::program{};
    else if (e == engine::automatic && !pattern_impl::build_dfa(program_, dfa_))
        dfa_ = pattern_impl::dfa{};
}

CLEANROOMSML_DECL pattern_result pattern::match(std::string_view utf8) const
{
    if (!supported_)
        return pattern_result::match;
    if (!dfa_.empty()) {
        auto const a = pattern_impl::run_dfa(dfa_, utf8);
        if (a != pattern_impl::dfa_answer::not_applicable)
            return a == pattern_impl::dfa_answer::match ? pattern_result::match : pattern_result::no_match;
    }
    // Every request member with a pattern is matched on every call: the
    // decoded text and the matcher's state sets are kept per thread, so a
    // match allocates nothing once they have grown.
    struct scratch {
        std::vector<char32_t> text;
        pattern_impl::matcher m;
    };
    thread_local scratch t;
    if (!pattern_impl::decode_utf8(utf8, t.text))
        return pattern_result::no_match;
    t.m.prog = &program_;
    t.m.text = &t.text;
    t.m.look_memo.clear();
    return pattern_impl::run(t.m, program_.start, 0, false, 0) ? pattern_result::match : pattern_result::no_match;
}

}  // namespace cleanroomsml::detail

#endif
