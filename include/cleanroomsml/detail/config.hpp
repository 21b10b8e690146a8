#ifndef CLEANROOMSML_DETAIL_CONFIG_HPP
#define CLEANROOMSML_DETAIL_CONFIG_HPP

// Header-only by default. Define CLEANROOMSML_SEPARATE_COMPILATION in every
// translation unit and include <cleanroomsml/src.hpp> in exactly one of them
// to compile the non-template parts once.
#ifdef CLEANROOMSML_SEPARATE_COMPILATION
#define CLEANROOMSML_DECL
#else
#define CLEANROOMSML_DECL inline
#define CLEANROOMSML_HEADER_ONLY 1
#endif

#include <cleanroomsml/version.hpp>

#endif
