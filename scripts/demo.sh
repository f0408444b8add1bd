#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job: generate the glue for spec/allocator.yaml, build the demo interposer, run real
# programs under it and print what the demo allocator served them.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$repo/build
bash "$repo/scripts/deps.sh"
echo "== generate and build: spec/allocator.yaml -> liballoc8demo.so"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target alloc8demo -j "$(nproc)"
lib=$build/liballoc8demo.so
echo "generated files:"
ls -1 "$build"/alloc8/alloc8demo/linux/ | sed 's/^/  /'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stats=$work/stats.txt
run() { # run a real program under the interposer; print its own output and the allocator's counters
  echo; echo "== LD_PRELOAD=liballoc8demo.so $*"
  : >"$stats"
  LD_PRELOAD=$lib ALLOC8_DEMO_STATS=$stats "$@"
  echo "-- served by the demo allocator (one line per process):"
  sed 's/^/  /' "$stats"
}
seq 200000 | awk '{ print ($1 * 7919) % 100003 }' >"$work/numbers.txt"
run sh -c "sort -n '$work/numbers.txt' | tail -n 3"
run /usr/bin/python3 -c 'import json, threading
out = []
def work(i): out.append(len(json.dumps({str(k): list(range(k % 50)) for k in range(20000)})))
threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
[t.start() for t in threads]; [t.join() for t in threads]
print("python: 4 threads serialised", sum(out), "bytes of JSON")'
run git --version
