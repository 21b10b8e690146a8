#ifndef CLEANROOMSML_DETAIL_HTTP_RESPONSE_HPP
#define CLEANROOMSML_DETAIL_HTTP_RESPONSE_HPP

// The response side of the I/O driver. Beast's response_parser builds a
// basic_fields (one allocation per header) and a fresh body string for
// every response; this parser writes into storage its connection keeps,
// so in steady state a response is read without allocating.

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/basic_parser.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cleanroomsml::detail {

/// One response's status, headers (in arrival order, duplicates kept) and
/// body. Reused from response to response: clear() keeps the capacity.
struct response_store {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;  // the first `count` are this response's
    std::size_t count = 0;
    std::string body;

    // A body buffer grown by an unusually large response is given back
    // rather than kept for the connection's lifetime.
    static constexpr std::size_t kept_body_capacity = 256 * 1024;

    void clear() noexcept
    {
        status = 0;
        count = 0;
        if (body.capacity() > kept_body_capacity) std::string().swap(body);
        else body.clear();
    }

    /// The first header called `name` (case-insensitive), if any.
    std::optional<std::string_view> header(std::string_view name) const noexcept
    {
        for (std::size_t i = 0; i < count; ++i)
            if (boost::beast::iequals(headers[i].first, name)) return std::string_view(headers[i].second);
        return std::nullopt;
    }

    static std::optional<std::string_view> lookup(void const* self, std::string_view name)
    {
        return static_cast<response_store const*>(self)->header(name);
    }
};

/// Parses one response into a response_store (cleared first). Limits,
/// keep-alive and framing are basic_parser's.
class response_reader final : public boost::beast::http::basic_parser<false> {
public:
    explicit response_reader(response_store& store) : store_(store) { store_.clear(); }

private:
    using string_view = boost::beast::string_view;
    using error_code = boost::beast::error_code;

    void on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code&) override {}

    void on_response_impl(int code, string_view, int, error_code&) override { store_.status = code; }

    void on_field_impl(boost::beast::http::field, string_view name, string_view value, error_code&) override
    {
        auto& h = store_.headers;
        if (store_.count < h.size()) {
            h[store_.count].first.assign(name.data(), name.size());
            h[store_.count].second.assign(value.data(), value.size());
        } else {
            h.emplace_back(std::string(name.data(), name.size()), std::string(value.data(), value.size()));
        }
        ++store_.count;
    }

    void on_header_impl(error_code&) override {}

    void on_body_init_impl(boost::optional<std::uint64_t> const& length, error_code&) override
    {
        // basic_parser has checked a declared length against body_limit.
        if (length) store_.body.reserve(static_cast<std::size_t>(*length));
    }

    std::size_t on_body_impl(string_view data, error_code&) override
    {
        store_.body.append(data.data(), data.size());
        return data.size();
    }

    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}

    std::size_t on_chunk_body_impl(std::uint64_t, string_view data, error_code&) override
    {
        store_.body.append(data.data(), data.size());
        return data.size();
    }

    void on_finish_impl(error_code&) override {}

    response_store& store_;
};

} // namespace cleanroomsml::detail

#endif
