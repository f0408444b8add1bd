// The generated C++ heaps (rt_heap.hpp, sys_heap.hpp) used the way immer uses a heap policy's heap:
// static allocate(n), allocate(n, norefs_tag), deallocate(n, p), deallocate(n, p, norefs_tag).
// Debian ships no immer package, so a node container written here makes exactly those calls.
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "rt_heap.hpp"
#include "sys_heap.hpp"

#include <gc/gc.h>

#include <cstdint>
#include <cstdio>
#include <new>

namespace {

int failures, checks;
#define CHECK(cond, msg)                                                                           \
    do {                                                                                           \
        checks++;                                                                                  \
        if (!(cond)) {                                                                             \
            std::printf("FAIL: %s [%s:%d]\n", msg, __FILE__, __LINE__);                            \
            failures++;                                                                            \
        }                                                                                          \
    } while (0)

struct norefs_tag {}; // stands for immer::norefs_tag

template <typename Heap>
struct heap_policy { // the part of immer::heap_policy<Heap> a node type uses
    using type = Heap;
};

// A node with a pointer-free payload, allocated the way immer's nodes are.
template <typename Policy>
struct node {
    using heap = typename Policy::type;
    node *next;
    long *payload;

    static node *make(node *next, long value) {
        void *mem = heap::allocate(sizeof(node));
        auto *n = new (mem) node{next, static_cast<long *>(heap::allocate(sizeof(long), norefs_tag{}))};
        *n->payload = value;
        return n;
    }
    static void destroy(node *n) {
        heap::deallocate(sizeof(long), n->payload, norefs_tag{});
        heap::deallocate(sizeof(node), n);
    }
};

} // namespace

int main() {
    alloc8_gc_init();
    using gc_node = node<heap_policy<rt_heap>>;
    gc_node *list = nullptr;
    for (long i = 0; i < 100; i++)
        list = gc_node::make(list, i);
    CHECK(GC_base(list) == list && *list->payload == 99, "no allocator: nodes from the GC");

    alloc8_allocator *arena = alloc8_arena_create(nullptr);
    gc_node *in_arena = nullptr;
    ALLOC8_WITH_ALLOCATOR(arena) { in_arena = gc_node::make(list, 100); }
    CHECK(alloc8_owns(arena, in_arena) && alloc8_owns(arena, in_arena->payload) && in_arena->next == list,
          "inside an arena: node and payload from the arena, sharing the GC list");
    gc_node::destroy(in_arena); // after the scope: by owner
    alloc8_allocator_stats s;
    alloc8_stats(arena, &s);
    CHECK(s.frees == 2, "freed to the arena after its scope");

    using sys_node = node<heap_policy<sys_heap>>;
    sys_node *sn = sys_node::make(nullptr, 7);
    CHECK((reinterpret_cast<std::uintptr_t>(sn) & 63) == 0 && *sn->payload == 7, "the system fallback, 64-aligned");
    sys_node::destroy(sn);

    // on_exhaustion: null in C becomes std::bad_alloc in C++
    alloc8_arena_options small{};
    small.chunk_size = 1024;
    small.limit = 4096;
    alloc8_allocator *tiny = alloc8_arena_create(&small);
    bool threw = false;
    ALLOC8_WITH_ALLOCATOR(tiny) {
        try {
            sys_heap::allocate(1 << 20);
        } catch (const std::bad_alloc &) {
            threw = true;
        }
    }
    CHECK(threw, "an exhausted arena makes the C++ heap throw std::bad_alloc");
    CHECK(sys_heap_allocate(1 << 20) != nullptr, "outside the arena the system serves the same request");
    alloc8_destroy(tiny);
    alloc8_destroy(arena);
    if (failures) {
        std::printf("heap c++: %d of %d checks failed\n", failures, checks);
        return 1;
    }
    std::printf("heap c++: %d checks passed\n", checks);
    return 0;
}
