// The build-cost floor with one operation: see api_floor.cpp.
#define BUILD_COST_ONE_OPERATION
#include "api_floor.cpp"
