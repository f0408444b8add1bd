#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The glue declares the allocator's functions itself (from the spec's entries and args). This
# compiles its header after the allocator's own header, with gcc and clang: a parameter type that
# differs from the allocator's (an int constant where it takes a size_t, void * where it takes
# const void *) is a conflicting declaration, an error.
# With `library:` in the spec the glue calls the library's functions through pointers; those are
# checked against the header's declarations the same way (an assignment of the function).
# Usage: declarations.sh <allocator's header> <generated glue header> <include dir>...
set -uo pipefail
header=$1 glue=$2
shift 2
includes=()
for dir in "$@"; do includes+=(-I"$dir"); done
unit=$(mktemp --suffix=.c) || exit 1
trap 'rm -f "$unit"' EXIT
printf '#include <%s> /* the allocator'"'"'s declarations */\n#include "%s" /* then the glue'"'"'s */\n' \
  "$header" "$glue" >"$unit"
# spec: library: the glue declares pointers (alloc8_lib_<name>) that its init sets to the library's
# own functions: each must have the type of the function the header declares
for pointer in $(grep -o 'alloc8_lib_[A-Za-z0-9_][A-Za-z0-9_]*' "$glue" | sort -u); do
  printf 'void check_%s(void) {\n    __typeof__(%s) declared = &%s;\n    (void)declared;\n}\n' \
    "$pointer" "$pointer" "${pointer#alloc8_lib_}" >>"$unit"
done
compilers=0
for cc in gcc clang; do
  command -v "$cc" >/dev/null || continue
  compilers=$((compilers + 1))
  if ! "$cc" -std=c11 -fsyntax-only -Wall -Wextra -Werror "${includes[@]}" "$unit"; then
    echo "FAIL: $cc: $(basename "$glue") declares a function of <$header> differently"
    exit 1
  fi
done
[ "$compilers" -gt 0 ] || { echo "FAIL: neither gcc nor clang found"; exit 1; }
echo "PASS: $(basename "$glue") declares the functions it calls as <$header> does ($compilers compilers)"
