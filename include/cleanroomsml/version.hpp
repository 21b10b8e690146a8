#ifndef CLEANROOMSML_VERSION_HPP
#define CLEANROOMSML_VERSION_HPP

// This library's version: the one declared in meson.build (the test
// `version_header` fails when the two differ), also in the user agent.

#define CLEANROOMSML_VERSION_MAJOR 0
#define CLEANROOMSML_VERSION_MINOR 1
#define CLEANROOMSML_VERSION_PATCH 0
#define CLEANROOMSML_VERSION "0.1.0"

#endif
