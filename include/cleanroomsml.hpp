#ifndef CLEANROOMSML_HPP
#define CLEANROOMSML_HPP

// Everything public of the cleanroomsml library.

#include <cleanroomsml/diagnostics.hpp>
#include <cleanroomsml/endpoint.hpp>
#include <cleanroomsml/error.hpp>
#include <cleanroomsml/json.hpp>
#include <cleanroomsml/model.hpp>
#include <cleanroomsml/operation.hpp>
#include <cleanroomsml/shape.hpp>
#include <cleanroomsml/timestamp.hpp>
#include <cleanroomsml/validate.hpp>

#endif
