#!/bin/sh
# SPDX-License-Identifier: MIT
# The compiler and linker launcher of targets alloc8 builds for musl with a toolchain that is not
# musl's (alloc8_add_interposer(... PLATFORM musl), alloc8_build_with_musl): CMake runs
#   alloc8_musl_cc.sh <musl-gcc> <the project's C compiler> <command...>
# for every compile and link of such a target. A command that runs the project's C compiler runs
# musl-gcc instead, with the same arguments; any other (ar, ranlib) runs unchanged.
musl=$1
host=$2
shift 2
if [ "$1" = "$host" ]; then
  shift
  exec "$musl" "$@"
fi
exec "$@"
