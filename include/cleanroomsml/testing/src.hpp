#ifndef CLEANROOMSML_TESTING_SRC_HPP
#define CLEANROOMSML_TESTING_SRC_HPP

// With CLEANROOMSML_SEPARATE_COMPILATION: include this (besides
// <cleanroomsml/src.hpp>) in one translation unit of a program that uses the
// emulator.

#ifndef CLEANROOMSML_SEPARATE_COMPILATION
#error "define CLEANROOMSML_SEPARATE_COMPILATION in every translation unit to use <cleanroomsml/testing/src.hpp>"
#endif

#include <cleanroomsml/impl/sigv4_verify.ipp>
#include <cleanroomsml/testing/impl/emulator.ipp>
#include <cleanroomsml/testing/impl/service.ipp>

#endif
