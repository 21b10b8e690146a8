#ifndef CLEANROOMSML_IMPL_URI_IPP
#define CLEANROOMSML_IMPL_URI_IPP

#include <cleanroomsml/detail/uri.hpp>

namespace cleanroomsml::detail {

CLEANROOMSML_DECL void percent_encode(std::string& out, std::string_view s, bool keep_slash)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    // Written through a pointer into room for the worst case: this runs for
    // every path and query on every call and every signature.
    auto const start = out.size();
    out.resize(start + 3 * s.size());
    char* w = out.data() + start;
    for (char ch : s) {
        auto const c = static_cast<unsigned char>(ch);
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            *w++ = ch;
        } else {
            *w++ = '%';
            *w++ = hex[c >> 4];
            *w++ = hex[c & 0xf];
        }
    }
    out.resize(static_cast<std::size_t>(w - out.data()));
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
