// Build-cost probe: all_operations.cpp with GetAudienceModel only, to show
// what a program that uses one call pays in compile time and binary size.
#define BUILD_COST_ONE_OPERATION
#include "all_operations.cpp"
