#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compile the generated macOS sources of every spec that lists macos (and of a copy of the
# reference spec in prefixed mode) with clang for x86_64-apple-macos11 and arm64-apple-macos11,
# as C11 with every warning an error, against the minimal Apple declarations in this directory
# (there is no macOS SDK here: -nostdinc, then clang's own headers and these).
# The compiles are independent: they are queued, then run $(nproc) at a time.
# Usage: compile.sh <repo root> <python with jinja2+yaml>
set -euo pipefail
repo=$1 python=$2
here="$repo/tests/platform/macos"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/gen"
command -v clang >/dev/null || { echo "FAIL: clang is not installed"; exit 1; }
resource=$(clang -print-resource-dir)
# Ask the generator (`alloc8-gen SPEC --describe`) which specs list macos, and generate those, in
# one interpreter: a start-up per spec used to cost more than the generation. Each spec's answer
# stays in $work/gen/<spec>/describe (its `output=` lines say which file is the thread-hook source).
PYTHONPATH="$repo/gen" "$python" - "$work/specs" "$work/gen" "$repo/spec/allocator.yaml" \
  "$repo"/tests/specs/build/*.yaml "$repo"/bindings/*.yaml <<'PY'
import contextlib
import io
import os
import sys
from alloc8gen.cli import main  # the CLI itself, called once per spec
from alloc8gen.validate import load_spec
listed = []
for spec in sys.argv[3:]:
    out = os.path.join(sys.argv[2], os.path.basename(spec)[:-len(".yaml")])
    answer = io.StringIO()
    with contextlib.redirect_stdout(answer):
        status = main([spec, "--describe", "--out", out])
    if status != 0:
        sys.exit(f"FAIL: alloc8-gen {spec} --describe --out {out}")
    facts = dict(line.split("=", 1) for line in answer.getvalue().splitlines())
    if "macos" not in facts["platforms"].split(","):
        continue
    if main([spec, "--platform", "macos", "--out", out]) != 0:
        sys.exit(f"FAIL: alloc8-gen {spec} --platform macos --out {out}")
    with open(os.path.join(out, "describe"), "w") as f:
        f.write(answer.getvalue())
    threads = load_spec(spec).threads
    if threads and threads.created_flag:  # marks the specs the created_flag check below covers
        open(os.path.join(out, "created_flag"), "w").close()
    listed.append(spec + "\n")
with open(sys.argv[1], "w") as f:
    f.writelines(listed)
PY
mapfile -t specs <"$work/specs"
[ ${#specs[@]} -gt 0 ] || { echo "FAIL: no spec lists macos"; exit 1; }

# hook_sources <generated dir>: its macOS thread-hook source, as the generator tags it (none without threads:)
hook_sources() {
  local line
  while IFS= read -r line; do
    if [[ $line =~ ^output=([a-z,]+)\ (.*/macos/[^/]*)$ ]] && [[ ,${BASH_REMATCH[1]}, == *,threads,* ]]; then
      echo "${BASH_REMATCH[2]}"
    fi
  done <"$1/describe"
}

# shellcheck source=../../support/compile_pool.sh
source "$repo/tests/support/compile_pool.sh"
for spec in "${specs[@]}"; do
  out="$work/gen/$(basename "$spec" .yaml)"
  variants=("")
  if [ -n "$(hook_sources "$out")" ]; then
    variants+=("-DALLOC8_THREAD_HOOKS=0" "-DALLOC8_THREAD_HOOKS=1 -DALLOC8_NO_THREAD_WRAPPERS=1")
  fi
  for target in x86_64-apple-macos11 arm64-apple-macos11; do
    for variant in "${variants[@]}"; do
      for src in "$out"/macos/*.c; do
        # shellcheck disable=SC2086 # a variant is zero or more separate flags
        queue clang -target "$target" -std=c11 -fsyntax-only -Wall -Wextra -Werror -nostdinc \
          -isystem "$resource/include" -isystem "$here" $variant -I"$out/macos" "$src"
      done
    done
  done
done

run_queue "macos compile check"

# threads.created_flag with the hooks compiled out: the pthread_create interposer still sets it
flagged=0
for spec in "${specs[@]}"; do
  out="$work/gen/$(basename "$spec" .yaml)"
  [ -e "$out/created_flag" ] || continue
  mapfile -t hooks < <(hook_sources "$out")
  for src in "${hooks[@]}"; do
    expanded=$(clang -target arm64-apple-macos11 -std=c11 -E -nostdinc -isystem "$resource/include" \
               -isystem "$here" -DALLOC8_THREAD_HOOKS=0 -I"$out/macos" "$src")
    if ! grep -q "_interpose_pthread_create" <<<"$expanded" || ! grep -q "alloc8_mark_threaded();" <<<"$expanded"; then
      echo "FAIL: $(basename "$src") with ALLOC8_THREAD_HOOKS=0 does not interpose pthread_create to set created_flag"
      exit 1
    fi
    flagged=$((flagged + 1))
  done
done
[ "$flagged" -gt 0 ] || { echo "FAIL: no macOS spec binds threads.created_flag"; exit 1; }
echo "macos compile check: $count compilations (${#specs[@]} specs; x86_64 and arm64) without a warning"
