#ifndef CLEANROOMSML_MODEL_HPP
#define CLEANROOMSML_MODEL_HPP

// Every shape, enumeration and operation of the Clean Rooms ML API
// (2023-09-06), with its reflection metadata. Light: standard headers only.

#include <cleanroomsml/model/operations.hpp>

#endif
