// The one translation unit that compiles the library in separate-compilation mode.
#include <cleanroomsml/src.hpp>
