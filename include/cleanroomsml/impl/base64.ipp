#ifndef CLEANROOMSML_IMPL_BASE64_IPP
#define CLEANROOMSML_IMPL_BASE64_IPP

#include <cleanroomsml/detail/base64.hpp>

#include <cstdint>

namespace cleanroomsml::detail {

namespace base64_impl {
inline constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

CLEANROOMSML_DECL std::string base64_encode(std::string_view in)
{
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::uint32_t acc = 0;
    int bits = 0;
    for (unsigned char c : in) {
        acc = (acc << 8) | c;
        bits += 8;
        while (bits >= 6) out.push_back(base64_impl::alphabet[(acc >> (bits -= 6)) & 0x3f]);
    }
    if (bits > 0) out.push_back(base64_impl::alphabet[(acc << (6 - bits)) & 0x3f]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

CLEANROOMSML_DECL std::optional<std::string> base64_decode(std::string_view in)
{
    std::string out;
    std::uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        if (c == '=') break;
        auto p = base64_impl::alphabet.find(c);
        if (p == std::string_view::npos) return std::nullopt;
        acc = (acc << 6) | static_cast<std::uint32_t>(p);
        bits += 6;
        if (bits >= 8) out.push_back(static_cast<char>((acc >> (bits -= 8)) & 0xff));
    }
    return out;
}

} // namespace cleanroomsml::detail

#endif
