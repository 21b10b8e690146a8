#ifndef CLEANROOMSML_DETAIL_PATTERN_HPP
#define CLEANROOMSML_DETAIL_PATTERN_HPP

// A small matcher for the regular expressions that AWS service models put in
// Smithy @pattern traits (Java / ECMAScript syntax), used to validate requests
// before they are sent. It depends on the standard library only, because the
// generated model headers include it.
//
// Patterns are compiled once into a Thompson NFA and simulated with a set of
// states per input position, so matching costs O(input * pattern) and cannot
// blow up exponentially the way a backtracking engine can. A lookahead runs a
// sub-match where it is reached, at most once per position (memoized), so it
// adds at most a factor of the input length. match() keeps no state in the
// object: one pattern may be used from several threads.
//
// Most model patterns have no lookahead; for those a DFA over ASCII is built
// at construction too (bounded in size), and ASCII input without line
// terminators, the usual case, is matched with one table step per byte.
//
// Validation must never reject a value the service might accept, so whatever
// is not understood makes the pattern unsupported() and match() permissive.

#include <cleanroomsml/detail/config.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

enum class pattern_result : unsigned char { match, no_match };

namespace pattern_impl {

enum class op : unsigned char {
    literal,              // value: code point
    any,                  // '.'
    char_class,           // value: index into program::classes
    split,                // continue at both next and alt
    line_begin,           // '^'
    line_end,             // '$'
    look_ahead,           // '(?=': alt starts the sub-program, value: memo slot
    negative_look_ahead,  // '(?!'
    accept,               // end of the program or of a lookahead sub-program
};

struct node {
    op kind;
    std::uint32_t next = 0;
    std::uint32_t alt = 0;
    std::uint32_t value = 0;
};

struct char_class {
    std::vector<std::pair<char32_t, char32_t>> ranges;  // sorted, disjoint, inclusive
    bool negated = false;
    bool supplementary = false;  // matches every code point above U+FFFF (surrogate rule)
};

struct program {
    std::vector<node> nodes;
    std::vector<char_class> classes;
    std::uint32_t start = 0;
    std::uint32_t look_count = 0;  // lookaheads in the source, i.e. memo slots
};

// The program as a deterministic automaton over ASCII bytes.
struct dfa {
    static constexpr std::int32_t dead = -1;   // no match can follow
    static constexpr std::int32_t found = -2;  // a match was seen
    unsigned char byte_class[128] = {};        // bytes no node tells apart share a class
    std::uint32_t classes = 0;
    std::vector<std::int32_t> next;            // [row + class]: the next row (state * classes) or dead/found
    std::vector<unsigned char> accept_at_end;  // per state: input ending here matches
    std::int32_t start = dead;                 // a row, or dead/found
    bool empty() const noexcept { return classes == 0; }
};

}  // namespace pattern_impl

class pattern {
public:
    enum class engine : unsigned char { automatic, nfa_only };

    // Compiles once; never throws on supported syntax. nfa_only skips the
    // DFA (tests compare the two engines).
    explicit pattern(std::string_view source, engine e = engine::automatic);

    // Matches the UTF-8 input the way Java's Matcher::find() does: the model's
    // patterns carry their own ^...$ anchors. Invalid UTF-8 never matches.
    pattern_result match(std::string_view utf8) const;

    std::string_view source() const noexcept { return source_; }

    // false if the syntax was not understood; match() then always succeeds.
    bool supported() const noexcept { return supported_; }

    // Whether ASCII input is matched by the DFA.
    bool has_dfa() const noexcept { return !dfa_.empty(); }

private:
    std::string source_;
    pattern_impl::program program_;
    pattern_impl::dfa dfa_;
    bool supported_ = false;
};

}  // namespace cleanroomsml::detail

#ifdef CLEANROOMSML_HEADER_ONLY
#include <cleanroomsml/impl/pattern.ipp>
#endif

#endif
