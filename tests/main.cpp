#define BOOST_TEST_MODULE cleanroomsml
#include <boost/test/unit_test.hpp>
