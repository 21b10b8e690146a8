#ifndef CLEANROOMSML_HPP
#define CLEANROOMSML_HPP

// Everything public of the cleanroomsml library.

#include <cleanroomsml/assume_role_credentials.hpp>
#include <cleanroomsml/cached_credentials.hpp>
#include <cleanroomsml/call_options.hpp>
#include <cleanroomsml/client.hpp>
#include <cleanroomsml/client_config.hpp>
#include <cleanroomsml/config_file.hpp>
#include <cleanroomsml/container_credentials.hpp>
#include <cleanroomsml/credentials.hpp>
#include <cleanroomsml/credentials_chain.hpp>
#include <cleanroomsml/credentials_provider.hpp>
#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/endpoint.hpp>
#include <cleanroomsml/environment_credentials.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/error_with_diagnostics.hpp>
#include <cleanroomsml/imds_credentials.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/login_credentials.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/operation.hpp>
#include <cleanroomsml/paginator.hpp>
#include <cleanroomsml/process_credentials.hpp>
#include <cleanroomsml/profile_credentials.hpp>
#include <cleanroomsml/shape.hpp>
#include <cleanroomsml/sso_credentials.hpp>
#include <cleanroomsml/timestamp.hpp>
#include <cleanroomsml/validate.hpp>
#include <cleanroomsml/version.hpp>
#include <cleanroomsml/wait_options.hpp>
#include <cleanroomsml/web_identity_credentials.hpp>
#include <cleanroomsml/with_diagnostics.hpp>

#endif
