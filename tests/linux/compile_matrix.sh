#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile everything the project generates or ships in C with BOTH gcc and clang, as strict C11
# with every warning an error: the generated glue for every spec we have, the demo allocator and
# the C runtime; the heaps' C++ headers too. Also specs whose every name is close to a name of a
# header the generated code includes (tests/gen/near_names.py: printf_, xsleep, ...): whatever
# the generator accepts must compile. The specs that list windows or musl: their output for that
# platform too, with mingw-w64 (and clang) or musl-gcc.
# The compiles are independent: they are queued, then run $(nproc) at a time.
# Usage: compile_matrix.sh <repo root> <python with jinja2+yaml>
set -euo pipefail
repo=$1 python=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/gen" "$work/obj"
flags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -fPIC -fvisibility=hidden
       -ftls-model=initial-exec -fexceptions -c)
specs=("$repo/spec/allocator.yaml" "$repo"/tests/specs/build/*.yaml "$repo"/bindings/*.yaml)
# the near-name specs (written by the helper from this machine's headers), compiled once each below
(cd "$repo/tests/gen" && PYTHONPATH="$repo/gen" "$python" near_names.py "$work/near")
near_specs=("$work"/near/*.yaml)
compilers=()
for cc in gcc clang; do
  if command -v "$cc" >/dev/null; then compilers+=("$cc"); else echo "FAIL: $cc is not installed"; exit 1; fi
done
mingw=x86_64-w64-mingw32-gcc
have_mingw=0
command -v $mingw >/dev/null && have_mingw=1
have_musl=0
command -v musl-gcc >/dev/null && have_musl=1

# Generate every spec (linux, and windows or musl for the specs whose `alloc8-gen --describe` lists
# it when mingw-w64 or musl-gcc is here) in one interpreter: a start-up per spec and platform used
# to cost more than the generation. Each spec's answer stays in $work/gen/<spec>/describe.
gen_args=()
for spec in "${specs[@]}" "${near_specs[@]}"; do
  gen_args+=("$spec" "$work/gen/$(basename "$spec" .yaml)")
done
PYTHONPATH="$repo/gen" "$python" - $have_mingw $have_musl "${gen_args[@]}" <<'PY'
import contextlib
import io
import os
import sys
from alloc8gen.cli import main  # the CLI itself, called once per spec and platform
with_windows, with_musl, args = sys.argv[1] == "1", sys.argv[2] == "1", sys.argv[3:]
for spec, out in zip(args[0::2], args[1::2]):
    answer = io.StringIO()
    with contextlib.redirect_stdout(answer):
        status = main([spec, "--describe", "--out", out])
    if status != 0:
        sys.exit(f"FAIL: alloc8-gen {spec} --describe --out {out}")
    listed = dict(line.split("=", 1) for line in answer.getvalue().splitlines())["platforms"].split(",")
    for platform in (["linux"] + (["windows"] if with_windows and "windows" in listed else [])
                     + (["musl"] if with_musl and "musl" in listed else [])):
        if main([spec, "--platform", platform, "--out", out]) != 0:
            sys.exit(f"FAIL: alloc8-gen {spec} --platform {platform} --out {out}")
    with open(os.path.join(out, "describe"), "w") as f:
        f.write(answer.getvalue())
PY
# lists <generated dir> <platform>: whether the spec lists <platform> (the generator's answer)
lists() { [[ ,$(sed -n 's/^platforms=//p' "$1/describe"), == *,$2,* ]]; }
# has_hooks <generated dir> <platform>: whether the generator tags one of its files `threads`
has_hooks() { grep -Eq "^output=([a-z]+,)*threads(,[a-z]+)* .*/$2/[^/]*\$" "$1/describe"; }

# queue <command...> and run_queue; a compile that writes an object passes -o "$work/obj/$count.o":
# a file of its own, as they run at once
# shellcheck source=../support/compile_pool.sh
source "$repo/tests/support/compile_pool.sh"

for spec in "${specs[@]}"; do
  out="$work/gen/$(basename "$spec" .yaml)"
  variants=("")
  if has_hooks "$out" linux; then
    # the build-time switches of the thread hooks: off, and on without the pthread_create wrappers
    variants+=("-DALLOC8_THREAD_HOOKS=0" "-DALLOC8_THREAD_HOOKS=1 -DALLOC8_NO_THREAD_WRAPPERS=1")
  fi
  for cc in "${compilers[@]}"; do
    for variant in "${variants[@]}"; do
      for src in "$out"/linux/*.c; do
        # shellcheck disable=SC2086 # a variant is zero or more separate flags
        queue "$cc" "${flags[@]}" $variant -I"$out/linux" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
      done
    done
    # the checked build (docs/spec.md, "Checked build"): the checks and, through the malloc family's
    # calls of every core operation, each checked adapter of the glue header
    for src in "$out"/linux/*_malloc.c; do
      [ -e "$src" ] || continue
      queue "$cc" "${flags[@]}" -DALLOC8_CHECKED=1 -I"$out/linux" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
    done
  done
done
# the heaps' C++ headers, as C++11 and C++17 (each included from a file of its own)
for hpp in "$work"/gen/*/linux/*.hpp; do
  [ -e "$hpp" ] || continue
  unit="$work/obj/$(basename "$(dirname "$(dirname "$hpp")")")-$(basename "$hpp").cpp"
  echo "#include \"$hpp\"" >"$unit"
  for cxx in g++ clang++; do
    for std in c++11 c++17; do
      queue "$cxx" -x c++ -std=$std -Wall -Wextra -Werror -Wpedantic -fsyntax-only \
        -I"$(dirname "$hpp")" -I"$repo/runtime/include" "$unit"
    done
  done
done
# the near-name specs: each source once per compiler (the names, not the switches, are under test;
# their C++ headers are compiled with the others' above)
for spec in "${near_specs[@]}"; do
  out="$work/gen/$(basename "$spec" .yaml)"
  for cc in "${compilers[@]}"; do
    for src in "$out"/linux/*.c; do
      queue "$cc" "${flags[@]}" -I"$out/linux" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
    done
  done
done
for cc in "${compilers[@]}"; do
  for src in "$repo"/examples/demo_allocator/*.c "$repo"/tests/alloc/*.c; do
    queue "$cc" "${flags[@]}" -I"$repo/examples/demo_allocator" "$src" -o "$work/obj/$count.o"
  done
done
for cc in "${compilers[@]}"; do
  for src in "$repo"/runtime/src/*.c; do
    # with and without the Boehm GC (when its header is there)
    for gc in "" -DALLOC8_RT_HAVE_GC=1; do
      [ -n "$gc" ] && [ ! -f /usr/include/gc/gc.h ] && continue
      # shellcheck disable=SC2086 # zero or one flag
      queue "$cc" "${flags[@]}" $gc -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
    done
  done
done
# Windows: the glue of every spec that lists windows, and the demo allocator, with mingw-w64
if [ $have_mingw = 1 ]; then
  wflags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -c)
  for spec in "${specs[@]}"; do
    out="$work/gen/$(basename "$spec" .yaml)"
    lists "$out" windows || continue
    # the DLL and the link-time mode (ALLOC8_STATIC), with the hooks as built and switched
    for variant in "" -DALLOC8_THREAD_HOOKS=0 -DALLOC8_THREAD_HOOKS=1 -DALLOC8_STATIC=1 \
                   "-DALLOC8_STATIC=1 -DALLOC8_THREAD_HOOKS=0"; do
      for src in "$out"/windows/*.c; do
        # shellcheck disable=SC2086 # a variant is zero to two flags
        queue $mingw "${wflags[@]}" $variant -I"$out/windows" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
        # clang too, for the same target (syntax and warnings only)
        # shellcheck disable=SC2086
        queue clang --target=x86_64-w64-mingw32 "${wflags[@]/-c/-fsyntax-only}" $variant -I"$out/windows" "$src"
      done
    done
  done
  for spec in "${near_specs[@]}"; do
    out="$work/gen/$(basename "$spec" .yaml)"
    lists "$out" windows || continue
    for src in "$out"/windows/*.c; do
      queue $mingw "${wflags[@]}" -I"$out/windows" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
      queue clang --target=x86_64-w64-mingw32 "${wflags[@]/-c/-fsyntax-only}" -I"$out/windows" \
        -I"$repo/runtime/include" "$src"
    done
  done
  for src in "$repo"/examples/demo_allocator/*.c; do
    queue $mingw "${wflags[@]}" -I"$repo/examples/demo_allocator" "$src" -o "$work/obj/$count.o"
  done
  compilers+=("$mingw")
else
  echo "compile matrix: $mingw is not installed; the Windows sources were not compiled (scripts/deps.sh installs it)"
fi

# musl: the glue of every spec that lists musl, with musl-gcc (musl's headers), as built and with
# the hooks switched, and as a static archive
if [ $have_musl = 1 ]; then
  for spec in "${specs[@]}"; do
    out="$work/gen/$(basename "$spec" .yaml)"
    lists "$out" musl || continue
    for variant in "" -DALLOC8_THREAD_HOOKS=0 "-DALLOC8_THREAD_HOOKS=1 -DALLOC8_NO_THREAD_WRAPPERS=1" -DALLOC8_STATIC=1; do
      for src in "$out"/musl/*.c; do
        # shellcheck disable=SC2086 # a variant is zero to two flags
        queue musl-gcc "${flags[@]}" $variant -I"$out/musl" -I"$repo/runtime/include" "$src" -o "$work/obj/$count.o"
      done
    done
  done
  compilers+=(musl-gcc)
else
  echo "compile matrix: musl-gcc is not installed; the musl sources were not compiled (scripts/deps.sh installs it)"
fi

run_queue "compile matrix"
echo "compile matrix: $count compilations (${compilers[*]}; ${#specs[@]} specs and ${#near_specs[@]} near-name specs) without a warning"
