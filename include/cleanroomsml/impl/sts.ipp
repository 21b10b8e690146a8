#ifndef CLEANROOMSML_IMPL_STS_IPP
#define CLEANROOMSML_IMPL_STS_IPP

#include <cleanroomsml/detail/sigv4.hpp>
#include <cleanroomsml/detail/sts.hpp>
#include <cleanroomsml/timestamp.hpp>

#include <array>
#include <cstdint>

namespace cleanroomsml::detail {

namespace sts_impl {

constexpr int max_xml_depth = 32;

inline bool is_name_start(char c) noexcept
{
    auto const u = static_cast<unsigned char>(c);
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || u >= 0x80;
}

inline bool is_name_char(char c) noexcept
{
    return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

inline bool is_xml_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

inline void append_utf8(std::string& out, std::uint32_t cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

inline bool is_xml_char(std::uint32_t cp) noexcept
{
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

class xml_parser {
public:
    xml_parser(std::string_view doc, std::string& why) : d_(doc), why_(why) {}

    bool parse(xml_element& root)
    {
        if (d_.starts_with("\xEF\xBB\xBF")) pos_ = 3;
        if (!skip_misc()) return false;
        if (pos_ >= d_.size() || d_[pos_] != '<') return fail("expected the root element", pos_);
        if (!parse_element(root, 1)) return false;
        if (!skip_misc()) return false;
        if (pos_ != d_.size()) return fail("content after the root element", pos_);
        return true;
    }

private:
    bool fail(std::string_view what, std::size_t at)
    {
        why_ = std::string(what) + " at byte " + std::to_string(at);
        return false;
    }

    bool starts(std::string_view s) const noexcept { return d_.substr(pos_).starts_with(s); }

    bool skip_ws()
    {
        std::size_t const start = pos_;
        while (pos_ < d_.size() && is_xml_space(d_[pos_])) ++pos_;
        return pos_ != start;
    }

    bool skip_until(std::string_view end, std::string_view what)
    {
        std::size_t const e = d_.find(end, pos_);
        if (e == std::string_view::npos) return fail(what, pos_);
        pos_ = e + end.size();
        return true;
    }

    // Whitespace, comments and processing instructions (the XML declaration
    // included) outside the root element. Any <!DOCTYPE or other declaration
    // is refused.
    bool skip_misc()
    {
        for (;;) {
            skip_ws();
            if (starts("<!--")) {
                pos_ += 4;
                if (!skip_until("-->", "unterminated comment")) return false;
            } else if (starts("<?")) {
                pos_ += 2;
                if (!skip_until("?>", "unterminated processing instruction")) return false;
            } else if (starts("<!")) {
                return fail("a DOCTYPE or markup declaration (not accepted)", pos_);
            } else {
                return true;
            }
        }
    }

    bool parse_name(std::string& out)
    {
        std::size_t const start = pos_;
        if (pos_ >= d_.size() || !is_name_start(d_[pos_])) return false;
        while (pos_ < d_.size() && is_name_char(d_[pos_])) ++pos_;
        out.assign(d_.substr(start, pos_ - start));
        return true;
    }

    // Character data with entity and character references, at offset `at`.
    bool decode(std::string_view raw, std::size_t at, std::string& out)
    {
        for (std::size_t i = 0; i < raw.size(); ++i) {
            char const c = raw[i];
            auto const u = static_cast<unsigned char>(c);
            if (c == '&') {
                std::size_t const semi = raw.find(';', i);
                if (semi == std::string_view::npos || semi - i > 12)
                    return fail("unterminated entity reference", at + i);
                std::string_view const name = raw.substr(i + 1, semi - i - 1);
                if (name == "amp")
                    out += '&';
                else if (name == "lt")
                    out += '<';
                else if (name == "gt")
                    out += '>';
                else if (name == "quot")
                    out += '"';
                else if (name == "apos")
                    out += '\'';
                else if (name.size() >= 2 && name[0] == '#') {
                    bool const hex = name[1] == 'x';
                    std::string_view digits = name.substr(hex ? 2 : 1);
                    if (digits.empty() || digits.size() > 8) return fail("malformed character reference", at + i);
                    std::uint32_t cp = 0;
                    for (char d : digits) {
                        std::uint32_t v;
                        if (d >= '0' && d <= '9')
                            v = static_cast<std::uint32_t>(d - '0');
                        else if (hex && d >= 'a' && d <= 'f')
                            v = static_cast<std::uint32_t>(d - 'a' + 10);
                        else if (hex && d >= 'A' && d <= 'F')
                            v = static_cast<std::uint32_t>(d - 'A' + 10);
                        else
                            return fail("malformed character reference", at + i);
                        cp = cp * (hex ? 16 : 10) + v;
                        if (cp > 0x10FFFF) return fail("character reference out of range", at + i);
                    }
                    if (!is_xml_char(cp)) return fail("character reference to a character XML does not allow", at + i);
                    append_utf8(out, cp);
                } else {
                    return fail("unknown entity reference", at + i);
                }
                i = semi;
            } else if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return fail("control character", at + i);
            } else if (u == 0x7F) {
                return fail("control character", at + i);
            } else {
                out += c;
            }
        }
        return true;
    }

    bool parse_element(xml_element& e, int depth)
    {
        if (depth > max_xml_depth) return fail("elements nested deeper than 32 levels", pos_);
        ++pos_;  // '<'
        if (!parse_name(e.name)) return fail("expected an element name", pos_);
        // Attributes: checked, then dropped.
        for (;;) {
            bool const spaced = skip_ws();
            if (pos_ >= d_.size()) return fail("unexpected end of document in a start tag", pos_);
            if (starts("/>")) {
                pos_ += 2;
                return true;
            }
            if (d_[pos_] == '>') {
                ++pos_;
                break;
            }
            if (!spaced) return fail("expected whitespace, '>' or '/>' in a start tag", pos_);
            std::string attribute;
            if (!parse_name(attribute)) return fail("malformed attribute name", pos_);
            skip_ws();
            if (pos_ >= d_.size() || d_[pos_] != '=') return fail("expected '=' after an attribute name", pos_);
            ++pos_;
            skip_ws();
            if (pos_ >= d_.size() || (d_[pos_] != '"' && d_[pos_] != '\'')) return fail("expected a quoted attribute value", pos_);
            char const quote = d_[pos_++];
            std::size_t const end = d_.find(quote, pos_);
            if (end == std::string_view::npos) return fail("unterminated attribute value", pos_);
            std::string_view const raw = d_.substr(pos_, end - pos_);
            if (auto lt = raw.find('<'); lt != std::string_view::npos) return fail("'<' in an attribute value", pos_ + lt);
            std::string ignored;
            if (!decode(raw, pos_, ignored)) return false;
            pos_ = end + 1;
        }
        // Content.
        for (;;) {
            if (pos_ >= d_.size()) return fail("unexpected end of document inside an element", pos_);
            if (starts("</")) {
                std::size_t const at = pos_;
                pos_ += 2;
                std::string name;
                if (!parse_name(name) || name != e.name) return fail("end tag does not match its start tag", at);
                skip_ws();
                if (pos_ >= d_.size() || d_[pos_] != '>') return fail("expected '>' closing an end tag", pos_);
                ++pos_;
                return true;
            }
            if (starts("<!--")) {
                pos_ += 4;
                if (!skip_until("-->", "unterminated comment")) return false;
            } else if (starts("<![CDATA[")) {
                pos_ += 9;
                std::size_t const end = d_.find("]]>", pos_);
                if (end == std::string_view::npos) return fail("unterminated CDATA section", pos_);
                for (std::size_t i = pos_; i < end; ++i) {
                    auto const u = static_cast<unsigned char>(d_[i]);
                    if ((u < 0x20 && u != '\t' && u != '\n' && u != '\r') || u == 0x7F) return fail("control character", i);
                }
                e.text.append(d_.substr(pos_, end - pos_));
                pos_ = end + 3;
            } else if (starts("<?")) {
                pos_ += 2;
                if (!skip_until("?>", "unterminated processing instruction")) return false;
            } else if (starts("<!")) {
                return fail("a markup declaration inside an element (not accepted)", pos_);
            } else if (d_[pos_] == '<') {
                e.children.emplace_back();
                if (!parse_element(e.children.back(), depth + 1)) return false;
            } else {
                std::size_t end = d_.find('<', pos_);
                if (end == std::string_view::npos) end = d_.size();
                if (!decode(d_.substr(pos_, end - pos_), pos_, e.text)) return false;
                pos_ = end;
            }
        }
    }

    std::string_view d_;
    std::string& why_;
    std::size_t pos_ = 0;
};

inline std::string_view trim(std::string_view s) noexcept
{
    while (!s.empty() && is_xml_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_xml_space(s.back())) s.remove_suffix(1);
    return s;
}

inline std::string clip(std::string_view s, std::size_t n)
{
    std::string r(s.substr(0, n));
    if (s.size() > n) r += "...";
    return r;
}

// POSTs the form and interprets the answer.
inline asio::awaitable<credentials_fetch_result> sts_post(std::string action, std::string url,
                                                          sts_call_options options, http_header_list headers,
                                                          std::string body)
{
    credentials_fetch_result out;
    http_fetch_request req;
    req.method = "POST";
    req.url = url;
    req.headers = std::move(headers);
    req.body = std::move(body);
    req.timeout = options.timeout;
    req.ca_file = options.ca_file;
    auto r = co_await http_fetch(std::move(req));
    out.diag.attempts = 1;
    if (r.ec) {
        out.ec = r.ec;
        out.diag.message = "STS " + action + ": the request to " + url_origin(url) + " failed (" + r.ec.message() + ")";
        set_timeout_field(out.diag, r.ec);
        co_return out;
    }
    out.ec = parse_sts_response(action, r.response.status, r.response.body, out.creds, out.diag);
    if (out.ec && out.diag.request_id.empty())
        if (auto id = r.response.header("x-amzn-RequestId")) out.diag.request_id = std::string(*id);
    co_return out;
}

} // namespace sts_impl

CLEANROOMSML_DECL xml_element const* xml_element::child(std::string_view name) const
{
    for (auto const& c : children)
        if (c.local_name() == name) return &c;
    return nullptr;
}

CLEANROOMSML_DECL xml_element const* xml_element::find(std::initializer_list<std::string_view> path) const
{
    xml_element const* e = this;
    for (auto step : path) {
        e = e->child(step);
        if (!e) return nullptr;
    }
    return e;
}

CLEANROOMSML_DECL std::string_view xml_element::local_name() const
{
    std::string_view n = name;
    std::size_t const colon = n.find(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

CLEANROOMSML_DECL bool parse_xml(std::string_view document, xml_element& root, std::string& why)
{
    xml_element r;
    sts_impl::xml_parser p(document, why);
    if (!p.parse(r)) return false;
    root = std::move(r);
    return true;
}

CLEANROOMSML_DECL std::string form_encode(std::string_view s)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        bool const unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out += c;
        } else {
            auto const u = static_cast<unsigned char>(c);
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
    return out;
}

CLEANROOMSML_DECL std::string sts_web_identity_body(sts_web_identity_params const& p)
{
    std::string b = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=" + form_encode(p.role_arn) +
                    "&RoleSessionName=" + form_encode(p.session_name) +
                    "&WebIdentityToken=" + form_encode(p.web_identity_token);
    if (p.duration) b += "&DurationSeconds=" + std::to_string(p.duration->count());
    return b;
}

CLEANROOMSML_DECL std::string sts_assume_role_body(sts_assume_role_params const& p)
{
    std::string b = "Action=AssumeRole&Version=2011-06-15&RoleArn=" + form_encode(p.role_arn) +
                    "&RoleSessionName=" + form_encode(p.session_name);
    if (p.external_id) b += "&ExternalId=" + form_encode(*p.external_id);
    b += "&DurationSeconds=" + std::to_string(p.duration.count());
    return b;
}

CLEANROOMSML_DECL bool sts_endpoint(sts_call_options const& options, std::string& url, std::string& signing_region,
                                    std::string& why)
{
    std::string const& region = options.region;
    for (char c : region) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            why = "the region \"" + sts_impl::clip(region, 64) + "\" is not a valid region name";
            return false;
        }
    }
    signing_region = region.empty() ? "us-east-1" : region;
    if (options.endpoint && !options.endpoint->empty()) {
        http_url u;
        if (!parse_http_url(*options.endpoint, u, why)) {
            why = "the STS endpoint is not a valid URL: " + why;
            return false;
        }
        url = *options.endpoint;
        return true;
    }
    if (region.empty())
        url = "https://sts.amazonaws.com";
    else
        url = "https://sts." + region + (region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com");
    return true;
}

CLEANROOMSML_DECL error_code parse_sts_response(std::string_view action, int status, std::string_view body,
                                                credentials& out, diagnostics& diag)
{
    using sts_impl::trim;
    std::string const what = "STS " + std::string(action);
    xml_element root;
    std::string why;
    bool const well_formed = parse_xml(body, root, why);

    if (status == 200) {
        if (!well_formed) {
            diag.message = what + ": the answer is not well-formed XML: " + why;
            return client_errc::unparsable_response;
        }
        std::string const response_name = std::string(action) + "Response";
        std::string const result_name = std::string(action) + "Result";
        if (root.local_name() != response_name) {
            diag.message = what + ": the answer's root element is not " + response_name;
            return client_errc::unparsable_response;
        }
        xml_element const* result = root.child(result_name);
        xml_element const* creds = result ? result->child("Credentials") : nullptr;
        if (!creds) {
            diag.message = what + ": the answer has no " + result_name + "/Credentials";
            return client_errc::unparsable_response;
        }
        credentials c;
        std::string_view id, secret, token, expiration;
        std::array<std::pair<char const*, std::string_view*>, 4> const fields{{{"AccessKeyId", &id},
                                                                              {"SecretAccessKey", &secret},
                                                                              {"SessionToken", &token},
                                                                              {"Expiration", &expiration}}};
        for (auto const& [name, view] : fields) {
            xml_element const* e = creds->child(name);
            if (!e || !e->children.empty() || trim(e->text).empty()) {
                diag.message = what + ": the answer's Credentials has no " + name;
                return client_errc::unparsable_response;
            }
            *view = trim(e->text);
        }
        c.access_key_id = std::string(id);
        c.secret_access_key = std::string(secret);
        c.session_token = std::string(token);
        timestamp t;
        if (!parse_date_time(expiration, t)) {
            diag.message = what + ": the answer's Expiration is not an RFC 3339 date-time";
            return client_errc::unparsable_response;
        }
        c.expiration = t;
        if (xml_element const* arn = result->find({"AssumedRoleUser", "Arn"})) {
            // arn:partition:sts::account:assumed-role/role/session
            std::string_view a = trim(arn->text);
            std::size_t pos = 0;
            for (int i = 0; i < 4 && pos != std::string_view::npos; ++i) {
                pos = a.find(':', pos);
                if (pos != std::string_view::npos) ++pos;
            }
            if (pos != std::string_view::npos) {
                std::string_view account = a.substr(pos, a.find(':', pos) - pos);
                if (!account.empty() && a.find(':', pos) != std::string_view::npos) c.account_id = std::string(account);
            }
        }
        out = std::move(c);
        return {};
    }

    diag.http_status = status;
    xml_element const* error = well_formed && root.local_name() == "ErrorResponse" ? root.child("Error") : nullptr;
    xml_element const* code = error ? error->child("Code") : nullptr;
    if (code && !trim(code->text).empty()) {
        std::string const code_text = sts_impl::clip(trim(code->text), 128);
        xml_element const* message = error->child("Message");
        diag.error_type = code_text;
        diag.message = what + " failed: " + code_text;
        if (message && !trim(message->text).empty()) diag.message += ": " + sts_impl::clip(trim(message->text), 512);
        if (xml_element const* id = root.child("RequestId")) diag.request_id = sts_impl::clip(trim(id->text), 128);
        if (is_throttling_error_type(code_text)) return service_errc::throttling;
        service_errc const e = service_errc_from_type(code_text);
        return e == service_errc::unknown ? credentials_http_error(status) : error_code(e);
    }
    diag.message = what + " answered HTTP " + std::to_string(status);
    if (!well_formed) diag.message += " with a body that is not well-formed XML (" + why + ")";
    else diag.message += " without an ErrorResponse";
    return credentials_http_error(status);
}

CLEANROOMSML_DECL std::string generated_session_name()
{
    auto const ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    return "cleanroomsml-" + std::to_string(ms);
}

CLEANROOMSML_DECL asio::awaitable<credentials_fetch_result>
sts_assume_role_with_web_identity(sts_call_options options, sts_web_identity_params params)
{
    std::string url, region, why;
    if (!sts_endpoint(options, url, region, why)) {
        credentials_fetch_result out;
        out.ec = client_errc::invalid_configuration;
        out.diag.message = "STS AssumeRoleWithWebIdentity: " + why;
        co_return out;
    }
    http_header_list headers;
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    headers.emplace_back("Accept", "text/xml");
    std::string body = sts_web_identity_body(params);
    std::string action = "AssumeRoleWithWebIdentity";
    co_return co_await sts_impl::sts_post(std::move(action), std::move(url), std::move(options), std::move(headers),
                                          std::move(body));
}

CLEANROOMSML_DECL asio::awaitable<credentials_fetch_result>
sts_assume_role(sts_call_options options, sts_assume_role_params params, credentials source)
{
    std::string url, region, why;
    http_url parsed;
    if (!sts_endpoint(options, url, region, why) || !parse_http_url(url, parsed, why)) {
        credentials_fetch_result out;
        out.ec = client_errc::invalid_configuration;
        out.diag.message = "STS AssumeRole: " + why;
        co_return out;
    }
    if (source.access_key_id.empty() || source.secret_access_key.empty()) {
        credentials_fetch_result out;
        out.ec = client_errc::missing_credentials;
        out.diag.message = "STS AssumeRole: the source credentials have no access key id or secret";
        co_return out;
    }
    std::string body = sts_assume_role_body(params);
    std::string const host = parsed.host_header();
    std::string const content_type = "application/x-www-form-urlencoded; charset=utf-8";
    std::string_view target = parsed.target;
    std::size_t const q = target.find('?');
    std::array<sigv4_header, 2> const to_sign{{{"Host", host}, {"Content-Type", content_type}}};
    sigv4_request sreq;
    sreq.method = "POST";
    sreq.path = target.substr(0, q);
    sreq.query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
    sreq.headers = to_sign;
    sreq.payload = body;
    sigv4_params sp;
    sp.region = region;
    sp.service = "sts";
    sp.time = std::chrono::system_clock::now();

    http_header_list headers;
    headers.emplace_back("Host", host);
    headers.emplace_back("Content-Type", content_type);
    headers.emplace_back("Accept", "text/xml");
    {
        signer s;
        for (auto const& [name, value] : s.sign_headers(source, sreq, sp))
            headers.emplace_back(std::string(name), std::string(value));
    }
    std::string action = "AssumeRole";
    co_return co_await sts_impl::sts_post(std::move(action), std::move(url), std::move(options), std::move(headers),
                                          std::move(body));
}

} // namespace cleanroomsml::detail

#endif
