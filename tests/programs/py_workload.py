# SPDX-License-Identifier: MIT
"""A Python workload with deterministic output, run with and without the interposer."""
import json
import threading

results = {}


def work(index):
    data = {f"key{i}": [i * index, str(i) * (i % 7), {"nested": list(range(i % 30))}] for i in range(8000)}
    text = json.dumps(data, sort_keys=True)
    back = json.loads(text)
    big = {i: "x" * (i % 500) for i in range(20000)}
    results[index] = (len(text), len(back), sum(len(v) for v in big.values()))


threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for index in sorted(results):
    print(index, *results[index])
