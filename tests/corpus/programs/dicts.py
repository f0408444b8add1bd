# SPDX-License-Identifier: MIT
"""Corpus: Python with threads, json and large dicts; deterministic output."""
import json
import threading

results = {}


def work(index):
    table = {f"k{(i * 7919 + index) % 1000003}": [i, str(i) * (i % 5)] for i in range(60000)}
    text = json.dumps(table, sort_keys=True)
    back = json.loads(text)
    grouped = {}
    for key, (number, _) in back.items():
        grouped.setdefault(number % 97, []).append(key)
    results[index] = (len(text), len(back), sum(len(v) for v in grouped.values()), max(grouped))


threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
big = {i: "x" * (i % 300) for i in range(200000)}
for i in range(0, 200000, 3):
    del big[i]
for index in sorted(results):
    print(index, *results[index])
print(len(big), sum(map(len, big.values())))
