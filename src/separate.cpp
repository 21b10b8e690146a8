// The one translation unit that compiles the library's non-template code for
// targets built with CLEANROOMSML_SEPARATE_COMPILATION (the examples and
// tools always, the tests with -Dseparate_compilation=true). The emulator is
// in testing.cpp: its own object in the static library, so a program that
// does not use it neither links it nor waits for it to compile.
#include <cleanroomsml/src.hpp>
