/* SPDX-License-Identifier: MIT */
// The generated C++ heaps (rt_heap.hpp: fallback gc, on_exhaustion abort; sys_heap.hpp: fallback
// system, on_exhaustion null) used the way immer uses a heap policy's heap: static allocate(n),
// allocate(n, norefs_tag), deallocate(n, p), deallocate(n, p, norefs_tag). Debian ships no immer
// package, so the node types here make exactly the calls immer's nodes make, including immer's
// shared empty nodes: immer::vector (and immer::array) allocate the empty root and tail of each
// type from the heap on first use and keep them in a function-local static. Also: std::bad_alloc
// from both heaps whatever on_exhaustion says, and the scoped with_allocator/without_allocator.
#include "alloc8/arena.h"
#include "alloc8/current.h"
#include "alloc8/gc.h"
#include "alloc8/registry.h"
#include "check.h"
#include "rt_heap.hpp"
#include "sys_heap.hpp"

#include <gc/gc.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <sys/wait.h>
#include <unistd.h>

namespace {

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

// immer::vector's shape with a refcounting policy: a root and a tail node, and every empty vector
// of one type shares one empty root and one empty tail, which (as immer's rbtree::empty_root and
// empty_tail do) are allocated from the heap the first time the type is used and then live in a
// function-local static for the rest of the program. Kind tells types apart, as immer's element
// types and memory policies do.
constexpr std::uint64_t empty_magic = 0x656d7074796e6f64ull; // "emptynod"

template <typename Policy, int Kind>
class pvec {
    using heap = typename Policy::type;

  public:
    struct vnode {
        long refs; // immer's refcount_policy keeps the count in the node
        std::uint64_t magic;
        std::size_t count;
        long items[1];
    };

    pvec() : root_(inc(empty_root())), tail_(inc(empty_tail())) {}
    pvec(const pvec &) = delete;
    pvec &operator=(const pvec &) = delete;
    pvec(pvec &&other) noexcept : root_(other.root_), tail_(other.tail_) { other.root_ = other.tail_ = nullptr; }
    ~pvec() {
        dec(root_);
        dec(tail_);
    }

    pvec push_back(long value) const { // a new tail, the root shared
        vnode *t = make(tail_->count + 1);
        std::memcpy(t->items, tail_->items, tail_->count * sizeof(long));
        t->items[tail_->count] = value;
        return pvec(inc(root_), t);
    }
    long back() const { return tail_->items[tail_->count - 1]; }
    const vnode *root() const { return root_; }
    const vnode *tail() const { return tail_; }

    static vnode *empty_root() {
        static vnode *const empty_ = make(0);
        return empty_;
    }
    static vnode *empty_tail() {
        static vnode *const empty_ = make(0);
        return empty_;
    }
    static std::size_t node_size(std::size_t count) { return sizeof(vnode) + count * sizeof(long); }

  private:
    pvec(vnode *root, vnode *tail) : root_(root), tail_(tail) {}
    static vnode *make(std::size_t count) {
        auto *n = static_cast<vnode *>(heap::allocate(node_size(count)));
        n->refs = 1;
        n->magic = empty_magic;
        n->count = count;
        return n;
    }
    static vnode *inc(vnode *n) {
        n->refs++;
        return n;
    }
    static void dec(vnode *n) {
        if (n != nullptr && --n->refs == 0)
            heap::deallocate(node_size(n->count), n);
    }
    vnode *root_, *tail_;
};

template <typename V>
bool empties_intact(long root_users, long tail_users) { // referenced by the static and that many vectors
    auto *r = V::empty_root(), *t = V::empty_tail();
    return r->magic == empty_magic && t->magic == empty_magic && r->count == 0 && t->count == 0 &&
           r->refs == 1 + root_users && t->refs == 1 + tail_users;
}

// The hazard the primed types avoid: a type first used inside an arena gets its shared empty nodes
// from the arena, and after the reset the arena hands their memory out again.
void unprimed_type_shows_the_hazard() {
    using v = pvec<heap_policy<rt_heap>, 1>;
    alloc8_allocator *arena = alloc8_arena_create(nullptr);
    ALLOC8_WITH_ALLOCATOR(arena) {
        v a;
        v b = a.push_back(1);
    }
    CHECK(alloc8_owns(arena, v::empty_root()) && alloc8_owns(arena, v::empty_tail()),
          "the mimic is faithful: an unprimed type first used inside an arena has its empty nodes there");
    alloc8_reset(arena);
    void *again = nullptr;
    ALLOC8_WITH_ALLOCATOR(arena) {
        again = rt_heap::allocate(v::node_size(0));
    }
    CHECK(again == v::empty_root() && v::empty_root()->magic == 0,
          "after the reset the unprimed empty root is zeroed and handed out again (the hazard)");
    alloc8_destroy(arena); // the unprimed type is not used again: its statics dangle now
}

// Leave no stray pointer to the shared nodes in dead stack frames, then collect and allocate a lot:
// a GC block that only the function-local static refers to must survive it.
__attribute__((noinline)) void clear_stack() {
    volatile char buffer[16384];
    std::memset(const_cast<char *>(buffer), 0, sizeof buffer);
}

template <typename V>
bool survives_collections() {
    // the addresses, hidden from the GC's conservative scan of this frame
    const std::uintptr_t root = ~reinterpret_cast<std::uintptr_t>(V::empty_root()),
                         tail = ~reinterpret_cast<std::uintptr_t>(V::empty_tail());
    clear_stack();
    GC_gcollect();
    for (int i = 0; i < 200000; i++) {
        auto p = ~reinterpret_cast<std::uintptr_t>(GC_malloc(V::node_size(0)));
        if (p == root || p == tail)
            return false; // the GC freed it and hands it out again
    }
    GC_gcollect();
    return empties_intact<V>(0, 0);
}

template <typename Heap>
bool primed_type_survives_arenas(const char *which) {
    using v = pvec<heap_policy<Heap>, 0>;
    alloc8_allocator *arena = alloc8_arena_create(nullptr);
    ALLOC8_WITH_ALLOCATOR(arena) { // the worst place to prime: the first use would put them in the arena
        Heap::template prime<v>();
        CHECK(alloc8_current() == arena, "prime leaves the current allocator as it was");
    }
    bool outside =
        empties_intact<v>(0, 0) && alloc8_owner(v::empty_root()) == nullptr && alloc8_owner(v::empty_tail()) == nullptr;
    CHECK(outside, "%s", which);
    if (!outside) { // in the arena: the type cannot be used after the reset or destroy
        alloc8_destroy(arena);
        return false;
    }
    for (int round = 0; round < 3; round++) {
        ALLOC8_WITH_ALLOCATOR(arena) {
            v a;
            v b = a.push_back(round);
            v c = b.push_back(round + 1);
            CHECK(alloc8_owns(arena, c.tail()) && c.root() == v::empty_root() && c.back() == round + 1 &&
                      !alloc8_owns(arena, v::empty_root()) && !alloc8_owns(arena, v::empty_tail()),
                  "inside the arena: new nodes from the arena, the shared empties from outside it");
            bool aliased = false;
            for (int i = 0; i < 100; i++) {
                void *p = Heap::allocate(v::node_size(0));
                aliased |= p == v::empty_root() || p == v::empty_tail();
            }
            CHECK(!aliased, "no arena block aliases a shared empty node");
            CHECK(empties_intact<v>(3, 1), "the shared empties count the live vectors that use them");
        }
        alloc8_reset(arena);
        CHECK(empties_intact<v>(0, 0), "after the reset the shared empties are intact");
    }
    alloc8_destroy(arena);
    v after;
    CHECK(after.root() == v::empty_root() && empties_intact<v>(1, 1), "after the destroy: intact and still shared");
    return true;
}

// A std::bad_alloc must leave a with_allocator scope with the previous allocator restored.
void scopes() {
    alloc8_allocator *arena = alloc8_arena_create(nullptr);
    alloc8_arena_options small{};
    small.chunk_size = 1024;
    small.limit = 4096;
    alloc8_allocator *tiny = alloc8_arena_create(&small);
    void *outside = nullptr, *inside = nullptr;
    bool threw = false;
    {
        rt_heap::with_allocator in(arena);
        inside = rt_heap::allocate(32);
        {
            rt_heap::without_allocator none;
            outside = rt_heap::allocate(32);
            CHECK(alloc8_current() == nullptr, "without_allocator: no allocator current");
        }
        CHECK(alloc8_current() == arena, "without_allocator: the arena is back after the scope");
        try {
            sys_heap::with_allocator exhausted(tiny);
            sys_heap::allocate(1 << 20);
        } catch (const std::bad_alloc &) {
            threw = true;
        }
        CHECK(threw && alloc8_current() == arena,
              "an exception leaving with_allocator restores the previous allocator");
        rt_heap::prime<pvec<heap_policy<rt_heap>, 2>>();
        CHECK(alloc8_current() == arena && !alloc8_owns(arena, pvec<heap_policy<rt_heap>, 2>::empty_root()),
              "prime called inside an arena scope still allocates outside it, and the arena stays current");
    }
    CHECK(alloc8_current() == nullptr && alloc8_owns(arena, inside) && GC_base(outside) == outside,
          "with_allocator: the arena serves inside; without_allocator: the GC");
    alloc8_destroy(tiny);
    alloc8_destroy(arena);
}

// rt_heap's spec says on_exhaustion: abort; its C++ header must throw all the same. Run in a child,
// so that an abort is reported as a failure, not a crash of the whole test.
void exhaust_abort_heap() {
    alloc8_arena_options small{};
    small.chunk_size = 1024;
    small.limit = 4096;
    alloc8_allocator *tiny = alloc8_arena_create(&small);
    int caught = 0;
    {
        rt_heap::with_allocator in(tiny);
        try {
            rt_heap::allocate(1 << 20);
        } catch (const std::bad_alloc &) {
            caught |= 1;
        }
        try {
            rt_heap::allocate(1 << 20, norefs_tag{});
        } catch (const std::bad_alloc &) {
            caught |= 2;
        }
    }
    volatile std::size_t impossible = SIZE_MAX - 3; // the GC fallback returns NULL for it
    GC_set_warn_proc(GC_ignore_warn_proc);          // and would warn "Out of Memory!"
    try {
        rt_heap::allocate(impossible);
    } catch (const std::bad_alloc &) {
        caught |= 4;
    }
    std::fflush(stdout);
    _exit(caught == 7 ? 0 : 10 + caught);
}

void abort_heap_throws() {
    std::fflush(stdout);
    pid_t child = fork();
    if (child == 0)
        exhaust_abort_heap();
    int status = 0;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        std::printf("the child ended with signal %d\n", WTERMSIG(status));
    else if (WEXITSTATUS(status) != 0)
        std::printf("the child exited with %d (10 + bit mask of the failures that threw)\n", WEXITSTATUS(status));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "on_exhaustion: abort: the C++ header throws std::bad_alloc (arena limit, norefs, GC fallback) "
          "instead of aborting");
}

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
    ALLOC8_WITH_ALLOCATOR(arena) {
        in_arena = gc_node::make(list, 100);
    }
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

    abort_heap_throws();
    unprimed_type_shows_the_hazard();
    if (primed_type_survives_arenas<rt_heap>("rt_heap::prime inside an arena: the shared empties come from the GC")) {
        bool survived = survives_collections<pvec<heap_policy<rt_heap>, 0>>();
        CHECK(survived, "GC-backed shared empties, referenced only by their static, survive collections intact");
    }
    primed_type_survives_arenas<sys_heap>("sys_heap::prime inside an arena: the shared empties come from malloc");
    scopes();
    return check_report("heap c++");
}
