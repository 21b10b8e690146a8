// The embedded emulator's non-template code, for CLEANROOMSML_SEPARATE_COMPILATION
// (see separate.cpp).
#include <cleanroomsml/testing/src.hpp>
