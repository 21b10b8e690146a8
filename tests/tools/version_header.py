#!/usr/bin/env python3
"""include/cleanroomsml/version.hpp must carry meson.build's version.

usage: version_header.py PATH/TO/version.hpp VERSION"""

import re
import sys


def main(header, version):
    text = open(header).read()
    major, minor, patch = version.split(".")
    want = {"_MAJOR": major, "_MINOR": minor, "_PATCH": patch, "": f'"{version}"'}
    for suffix, value in want.items():
        name = "CLEANROOMSML_VERSION" + suffix
        got = re.search(rf"#define {name} (\S+)", text)
        assert got and got.group(1) == value, f"{name} is {got and got.group(1)}, meson.build says {value}"
    print(f"version.hpp says {version}, as meson.build does")


if __name__ == "__main__":
    main(*sys.argv[1:3])
