#ifndef CLEANROOMSML_IMPL_URI_IPP
#define CLEANROOMSML_IMPL_URI_IPP

#include <cleanroomsml/detail/uri.hpp>

#include <array>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL void percent_encode(std::string& out, std::string_view s, bool keep_slash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    // This runs for every path and query on every call and every signature:
    // a table instead of a chain of comparisons, and unreserved runs (most
    // of an ARN) appended whole into room reserved for the worst case.
    static constexpr auto keep = [] {
        std::array<bool, 256> t{};
        for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = is_unreserved(static_cast<unsigned char>(c));
        return t;
    }();
    out.reserve(out.size() + 3 * s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t run = i;
        while (run < s.size()) {
            auto const c = static_cast<unsigned char>(s[run]);
            if (!keep[c] && !(keep_slash && c == '/')) break;
            ++run;
        }
        out.append(s.data() + i, run - i);
        if (run == s.size()) break;
        auto const c = static_cast<unsigned char>(s[run]);
        char const escaped[3] = {'%', hex[c >> 4], hex[c & 0xf]};
        out.append(escaped, 3);
        i = run + 1;
    }
}

CLEANROOMSML_DECL bool percent_decode(std::string& out, std::string_view s)
{
    auto hexval = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    out.reserve(out.size() + s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') { out.push_back(s[i]); continue; }
        if (i + 2 >= s.size()) return false;
        int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return true;
}

} // namespace cleanroomsml::detail

#endif
