#!/usr/bin/env bash
# Compile everything the project generates or ships in C with BOTH gcc and clang, as strict C11
# with every warning an error: the generated glue for every spec we have, the demo allocator and
# the C runtime; the heaps' C++ headers too.
# Usage: compile_matrix.sh <repo root> <python with jinja2+yaml>
set -euo pipefail
repo=$1 python=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -fPIC -fvisibility=hidden
       -ftls-model=initial-exec -fexceptions -c)
specs=("$repo/spec/allocator.yaml" "$repo"/tests/specs/build/*.yaml "$repo"/bindings/*.yaml)
[ -d "$repo/tests/specs/good" ] && specs+=("$repo"/tests/specs/good/*.yaml)
compilers=()
for cc in gcc clang; do
  if command -v "$cc" >/dev/null; then compilers+=("$cc"); else echo "FAIL: $cc is not installed"; exit 1; fi
done
count=0
for spec in "${specs[@]}"; do
  out="$work/$(basename "$spec" .yaml)"
  PYTHONPATH="$repo/gen" "$python" -m alloc8gen "$spec" --platform linux --out "$out"
  variants=("")
  if compgen -G "$out/linux/*_threads.c" >/dev/null; then
    # the build-time switches of the thread hooks: off, and on without the pthread_create wrappers
    variants+=("-DALLOC8_THREAD_HOOKS=0" "-DALLOC8_THREAD_HOOKS=1 -DALLOC8_NO_THREAD_WRAPPERS=1")
  fi
  for cc in "${compilers[@]}"; do
    for variant in "${variants[@]}"; do
      for src in "$out"/linux/*.c; do
        # shellcheck disable=SC2086 # a variant is zero or more separate flags
        "$cc" "${flags[@]}" $variant -I"$out/linux" -I"$repo/runtime/include" "$src" -o "$work/obj.o"
        count=$((count + 1))
      done
    done
  done
done
# the heaps' C++ headers, as C++11 and C++17
for cxx in g++ clang++; do
  for hpp in "$work"/*/linux/*.hpp; do
    [ -e "$hpp" ] || continue
    for std in c++11 c++17; do
      echo "#include \"$hpp\"" | "$cxx" -x c++ -std=$std -Wall -Wextra -Werror -Wpedantic -fsyntax-only \
        -I"$(dirname "$hpp")" -I"$repo/runtime/include" -
      count=$((count + 1))
    done
  done
done
for cc in "${compilers[@]}"; do
  for src in "$repo"/examples/demo_allocator/*.c "$repo"/tests/alloc/*.c; do
    "$cc" "${flags[@]}" -I"$repo/examples/demo_allocator" "$src" -o "$work/obj.o"
    count=$((count + 1))
  done
done
for cc in "${compilers[@]}"; do
  for src in "$repo"/runtime/src/*.c; do
    # with and without the Boehm GC (when its header is there)
    for gc in "" -DALLOC8_RT_HAVE_GC=1; do
      [ -n "$gc" ] && [ ! -f /usr/include/gc/gc.h ] && continue
      # shellcheck disable=SC2086 # zero or one flag
      "$cc" "${flags[@]}" $gc -I"$repo/runtime/include" "$src" -o "$work/obj.o"
      count=$((count + 1))
    done
  done
done
# Windows: the glue of every spec that lists windows, and the demo allocator, with mingw-w64
mingw=x86_64-w64-mingw32-gcc
if command -v $mingw >/dev/null; then
  wflags=(-std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -c)
  for spec in "${specs[@]}"; do
    grep -Eq '^platforms:[^#]*windows' "$spec" || continue
    out="$work/win-$(basename "$spec" .yaml)"
    PYTHONPATH="$repo/gen" "$python" -m alloc8gen "$spec" --platform windows --out "$out"
    # the DLL and the link-time mode (ALLOC8_STATIC), with the hooks as built and switched
    for variant in "" -DALLOC8_THREAD_HOOKS=0 -DALLOC8_THREAD_HOOKS=1 -DALLOC8_STATIC=1 \
                   "-DALLOC8_STATIC=1 -DALLOC8_THREAD_HOOKS=0"; do
      for src in "$out"/windows/*.c; do
        # shellcheck disable=SC2086 # a variant is zero to two flags
        $mingw "${wflags[@]}" $variant -I"$out/windows" -I"$repo/runtime/include" "$src" -o "$work/obj.o"
        # clang too, for the same target (syntax and warnings only)
        # shellcheck disable=SC2086
        clang --target=x86_64-w64-mingw32 "${wflags[@]/-c/-fsyntax-only}" $variant -I"$out/windows" "$src"
        count=$((count + 2))
      done
    done
  done
  for src in "$repo"/examples/demo_allocator/*.c; do
    $mingw "${wflags[@]}" -I"$repo/examples/demo_allocator" "$src" -o "$work/obj.o"
    count=$((count + 1))
  done
  compilers+=("$mingw")
else
  echo "compile matrix: $mingw is not installed; the Windows sources were not compiled (scripts/deps.sh installs it)"
fi
echo "compile matrix: $count compilations (${compilers[*]}; ${#specs[@]} specs) without a warning"
