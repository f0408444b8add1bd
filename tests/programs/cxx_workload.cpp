/* SPDX-License-Identifier: MIT */
// A C++ workload with deterministic output, run with and without the interposer by realprog.sh:
// 4 threads churning vectors, maps, unordered_maps, strings and over-aligned objects.
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct alignas(64) Cell {
    std::uint64_t value;
};

static std::uint64_t work(unsigned seed) {
    std::uint64_t sum = 0;
    for (int round = 0; round < 40; round++) {
        std::vector<std::string> words;
        std::map<std::string, int> counts;
        std::unordered_map<int, std::vector<int>> buckets;
        for (int i = 0; i < 2000; i++) {
            seed = seed * 1103515245u + 12345u;
            std::string word = "w" + std::to_string(seed % 997) + std::string(seed % 40, 'x');
            words.push_back(word);
            counts[word]++;
            buckets[static_cast<int>(seed % 101)].push_back(i);
        }
        std::vector<std::unique_ptr<Cell>> cells;
        for (int i = 0; i < 500; i++)
            cells.push_back(std::unique_ptr<Cell>(new Cell{static_cast<std::uint64_t>(i) * seed}));
        for (const auto &kv : counts)
            sum += kv.first.size() * static_cast<std::uint64_t>(kv.second);
        for (const auto &cell : cells)
            sum ^= cell->value + (reinterpret_cast<std::uintptr_t>(cell.get()) % 64);
        sum += buckets.size() + words.size();
    }
    return sum;
}

int main() {
    std::uint64_t results[4] = {};
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < 4; t++)
        threads.emplace_back([t, &results] { results[t] = work(t + 1); });
    for (auto &thread : threads)
        thread.join();
    for (unsigned t = 0; t < 4; t++)
        std::printf("thread %u: %llu\n", t, static_cast<unsigned long long>(results[t]));
    return 0;
}
