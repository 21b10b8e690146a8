// The one translation unit that compiles the library's non-template code for
// targets built with CLEANROOMSML_SEPARATE_COMPILATION (the examples and
// tools always, the tests with -Dseparate_compilation=true).
#include <cleanroomsml/src.hpp>
#include <cleanroomsml/testing/src.hpp>
