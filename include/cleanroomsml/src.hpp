#ifndef CLEANROOMSML_SRC_HPP
#define CLEANROOMSML_SRC_HPP

// Include this in exactly one translation unit of a program that defines
// CLEANROOMSML_SEPARATE_COMPILATION everywhere: it compiles the library's
// non-template code once instead of in every translation unit.

#ifndef CLEANROOMSML_SEPARATE_COMPILATION
#error "define CLEANROOMSML_SEPARATE_COMPILATION in every translation unit to use <cleanroomsml/src.hpp>"
#endif

#include <cleanroomsml/impl/assume_role_credentials.ipp>
#include <cleanroomsml/impl/base64.ipp>
#include <cleanroomsml/impl/cached_credentials.ipp>
#include <cleanroomsml/impl/client.ipp>
#include <cleanroomsml/impl/client_config.ipp>
#include <cleanroomsml/impl/config_file.ipp>
#include <cleanroomsml/impl/configured_endpoint.ipp>
#include <cleanroomsml/impl/connection.ipp>
#include <cleanroomsml/impl/connection_pool.ipp>
#include <cleanroomsml/impl/container_credentials.ipp>
#include <cleanroomsml/impl/credentials_chain.ipp>
#include <cleanroomsml/impl/credentials_provider.ipp>
#include <cleanroomsml/impl/deadline_watch.ipp>
#include <cleanroomsml/impl/diagnostics.ipp>
#include <cleanroomsml/impl/dpop.ipp>
#include <cleanroomsml/impl/endpoint.ipp>
#include <cleanroomsml/impl/environment_credentials.ipp>
#include <cleanroomsml/impl/error.ipp>
#include <cleanroomsml/impl/error_with_diagnostics.ipp>
#include <cleanroomsml/impl/http_fetch.ipp>
#include <cleanroomsml/impl/imds_credentials.ipp>
#include <cleanroomsml/impl/json_exchange.ipp>
#include <cleanroomsml/impl/json_read.ipp>
#include <cleanroomsml/impl/json_write.ipp>
#include <cleanroomsml/impl/login_credentials.ipp>
#include <cleanroomsml/impl/pattern.ipp>
#include <cleanroomsml/impl/process_credentials.ipp>
#include <cleanroomsml/impl/profile_credentials.ipp>
#include <cleanroomsml/impl/rest_json.ipp>
#include <cleanroomsml/impl/retry.ipp>
#include <cleanroomsml/impl/sha256.ipp>
#include <cleanroomsml/impl/signin_profile.ipp>
#include <cleanroomsml/impl/sigv4.ipp>
#include <cleanroomsml/impl/sso_credentials.ipp>
#include <cleanroomsml/impl/sts.ipp>
#include <cleanroomsml/impl/timestamp.ipp>
#include <cleanroomsml/impl/tls_session.ipp>
#include <cleanroomsml/impl/token_cache.ipp>
#include <cleanroomsml/impl/uri.ipp>
#include <cleanroomsml/impl/validate.ipp>
#include <cleanroomsml/impl/waiter.ipp>
#include <cleanroomsml/impl/web_identity_credentials.ipp>
#include <cleanroomsml/model/client_operations.ipp>
#include <cleanroomsml/model/type_tables.ipp>

#endif
