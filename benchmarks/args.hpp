#ifndef CLEANROOMSML_BENCH_ARGS_HPP
#define CLEANROOMSML_BENCH_ARGS_HPP

// The benchmark programs' command lines: "--flag" or "--flag value".
//
//   for (bench::args a(argc, argv); a.next();)
//       if (a.flag() == "--calls") calls = std::atol(a.value());

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace bench {

class args {
public:
    args(int argc, char** argv) : argc_(argc), argv_(argv) {}

    /// Moves to the next argument; false after the last.
    bool next() { return ++i_ < argc_; }
    std::string_view flag() const { return argv_[i_]; }
    /// The argument after the flag; exits with status 2 when there is none.
    char const* value()
    {
        if (i_ + 1 >= argc_) {
            std::fprintf(stderr, "%s needs a value\n", argv_[i_]);
            std::exit(2);
        }
        return argv_[++i_];
    }
    /// Reports the current argument as unknown; false, for `return a.unknown();`.
    bool unknown() const
    {
        std::fprintf(stderr, "unknown argument %s\n", argv_[i_]);
        return false;
    }

private:
    int argc_;
    char** argv_;
    int i_ = 0;
};

} // namespace bench

#endif
