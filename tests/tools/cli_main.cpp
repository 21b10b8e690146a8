// The cleanroomsml-cli parts' test module (tools/cli/*.hpp), run without a server.
#define BOOST_TEST_MODULE cleanroomsml_cli
#include <boost/test/unit_test.hpp>
