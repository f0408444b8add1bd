# SPDX-License-Identifier: MIT
"""Python threads under LD_PRELOAD of liballoc8demo.so: each thread reads the demo allocator's
per-thread view (through ctypes) as the first thing its target does. init must have run exactly
once, and cleanup not yet; after the joins, the global counts must show one init per thread."""
import ctypes
import sys
import threading


class ThreadView(ctypes.Structure):
    _fields_ = [("state", ctypes.c_int), ("inits", ctypes.c_uint), ("cleanups", ctypes.c_uint)]


HOOKED = 1
process = ctypes.CDLL(None)
try:
    thread_get = process.alloc8_demo_thread_get
    stats_get = process.alloc8_demo_stats_get
except AttributeError:
    print("FAIL: alloc8_demo_thread_get not found (not running under LD_PRELOAD of the demo?)")
    sys.exit(1)
Stats = ctypes.c_uint64 * 15  # struct alloc8_demo_stats: thread_inits is field 8
seen = {}


def target(index):
    view = ThreadView()
    thread_get(ctypes.byref(view))
    seen[index] = (view.state, view.inits, view.cleanups)
    _ = [str(i) * 10 for i in range(1000)]


before = Stats()
stats_get(before)
threads = [threading.Thread(target=target, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
after = Stats()
stats_get(after)
bad = {i: v for i, v in seen.items() if v != (HOOKED, 1, 0)}
if len(seen) != 8 or bad:
    print(f"FAIL: threads without exactly one init before their target: {bad}")
    sys.exit(1)
if after[8] - before[8] != 8:
    print(f"FAIL: expected 8 thread inits, got {after[8] - before[8]}")
    sys.exit(1)
print("python threads: 8 threads, each initialised once before its target ran")
