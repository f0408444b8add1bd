#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Prove that a binary's VERSIONED reference binds to the interposer's unversioned definition:
# the binary must reference SYMBOL@VERSION, and the dynamic linker (LD_DEBUG=bindings) must bind
# it to the interposer under LD_PRELOAD.
# Usage: check_binding.sh <lib.so> <binary> <symbol> <version> [binary args...]
set -euo pipefail
lib=$1 bin=$2 sym=$3 ver=$4; shift 4
refs=$(readelf --dyn-syms -W "$bin" | awk '$7 == "UND" {print $8}' | grep -c "^$sym@$ver" || true)
if [ "$refs" = 0 ]; then
  echo "FAIL: $bin does not reference $sym@$ver (the test binary is not what it should be)"; exit 1
fi
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
LD_DEBUG=bindings LD_DEBUG_OUTPUT="$log/ld" LD_PRELOAD="$lib" "$bin" "$@" >/dev/null
# count first: grep -q would close the pipe early, which pipefail reports as a failure
bound=$(grep -hF "to $lib " "$log"/ld.* | grep -c "symbol \`$sym' \[$ver\]" || true)
if [ "$bound" = 0 ]; then
  echo "FAIL: $sym@$ver in $bin did not bind to $lib:"
  grep -hF "\`$sym'" "$log"/ld.* | head -5 || true
  exit 1
fi
echo "binding: $(basename "$bin")'s $sym@$ver binds to $(basename "$lib")"
