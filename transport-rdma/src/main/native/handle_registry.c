/*
 * The set of live native objects handed to Java, keyed by address, with the kind of each.
 *
 * Open addressing with linear probing under one mutex: the set holds tens to a few thousand entries (ids, QPs,
 * MRs of one process), a lookup is a hash and a probe or two, and the mutex is uncontended except when several
 * Java threads issue verbs at once. The registry guards against stale and forged handles; it cannot make a
 * destroy racing a use of the same object on another thread safe, which stays the caller's job as in C.
 */
#include "disni.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY_KEY ((uintptr_t) 0)
#define TOMBSTONE_KEY ((uintptr_t) 1)
#define INITIAL_CAPACITY 256u

struct handle_slot {
    uintptr_t key;
    enum handle_kind kind;
    int users;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle_slot *slots;
static size_t capacity;
static size_t occupied; /* live entries plus tombstones: what makes probe chains long */
static size_t live;

static size_t hash_of(uintptr_t key)
{
    /* Allocations are 16-byte aligned: drop the always-zero bits, then spread with the 64-bit golden ratio. */
    uint64_t h = (uint64_t) (key >> 4) * UINT64_C(0x9E3779B97F4A7C15);
    return (size_t) (h ^ (h >> 29));
}

static struct handle_slot *find_slot(uintptr_t key)
{
    if (capacity == 0) {
        return NULL;
    }
    size_t mask = capacity - 1;
    for (size_t i = hash_of(key) & mask, probes = 0; probes < capacity; i = (i + 1) & mask, probes++) {
        if (slots[i].key == key) {
            return &slots[i];
        }
        if (slots[i].key == EMPTY_KEY) {
            return NULL;
        }
    }
    return NULL;
}

static void insert_fresh(struct handle_slot *table, size_t table_capacity, struct handle_slot entry)
{
    size_t mask = table_capacity - 1;
    size_t i = hash_of(entry.key) & mask;
    while (table[i].key != EMPTY_KEY) {
        i = (i + 1) & mask;
    }
    table[i] = entry;
}

static int grow_if_needed(void)
{
    if (capacity != 0 && (occupied + 1) * 2 <= capacity) {
        return 0;
    }
    size_t new_capacity = capacity == 0 ? INITIAL_CAPACITY : capacity;
    while ((live + 1) * 4 > new_capacity) {
        new_capacity *= 2;
    }
    struct handle_slot *table = calloc(new_capacity, sizeof *table);
    if (table == NULL) {
        return -1;
    }
    for (size_t i = 0; i < capacity; i++) {
        if (slots[i].key != EMPTY_KEY && slots[i].key != TOMBSTONE_KEY) {
            insert_fresh(table, new_capacity, slots[i]);
        }
    }
    free(slots);
    slots = table;
    capacity = new_capacity;
    occupied = live;
    return 0;
}

int handle_register(const void *object, enum handle_kind kind)
{
    uintptr_t key = (uintptr_t) object;
    if (key == EMPTY_KEY || key == TOMBSTONE_KEY) {
        return -1;
    }
    int result = 0;
    pthread_mutex_lock(&registry_lock);
    struct handle_slot *existing = find_slot(key);
    if (existing != NULL) {
        /* The allocator may hand out the address of an object destroyed behind our back (e.g. by
         * rdma_destroy_ep): the newest kind wins. */
        if (existing->kind != kind) {
            existing->kind = kind;
            existing->users = 0;
        }
    } else if (grow_if_needed() != 0) {
        result = -1;
    } else {
        size_t mask = capacity - 1;
        size_t i = hash_of(key) & mask;
        while (slots[i].key != EMPTY_KEY && slots[i].key != TOMBSTONE_KEY) {
            i = (i + 1) & mask;
        }
        if (slots[i].key == EMPTY_KEY) {
            occupied++;
        }
        slots[i].key = key;
        slots[i].kind = kind;
        slots[i].users = 0;
        live++;
    }
    pthread_mutex_unlock(&registry_lock);
    return result;
}

void handle_unregister(const void *object, enum handle_kind kind)
{
    pthread_mutex_lock(&registry_lock);
    struct handle_slot *slot = find_slot((uintptr_t) object);
    if (slot != NULL && slot->kind == kind) {
        slot->key = TOMBSTONE_KEY;
        slot->kind = HANDLE_NONE;
        slot->users = 0;
        live--;
    }
    pthread_mutex_unlock(&registry_lock);
}

enum handle_kind handle_lookup(jlong handle)
{
    uintptr_t key = (uintptr_t) handle;
    if (key == EMPTY_KEY || key == TOMBSTONE_KEY) {
        return HANDLE_NONE;
    }
    pthread_mutex_lock(&registry_lock);
    struct handle_slot *slot = find_slot(key);
    enum handle_kind kind = slot != NULL ? slot->kind : HANDLE_NONE;
    pthread_mutex_unlock(&registry_lock);
    return kind;
}

void handle_add_users(const void *object, enum handle_kind kind, int delta)
{
    pthread_mutex_lock(&registry_lock);
    struct handle_slot *slot = find_slot((uintptr_t) object);
    if (slot != NULL && slot->kind == kind) {
        slot->users += delta;
        if (slot->users < 0) {
            slot->users = 0;
        }
    }
    pthread_mutex_unlock(&registry_lock);
}

int handle_users(const void *object, enum handle_kind kind)
{
    pthread_mutex_lock(&registry_lock);
    struct handle_slot *slot = find_slot((uintptr_t) object);
    int users = slot != NULL && slot->kind == kind ? slot->users : 0;
    pthread_mutex_unlock(&registry_lock);
    return users;
}

const char *handle_kind_name(enum handle_kind kind)
{
    switch (kind) {
    case HANDLE_EVENT_CHANNEL: return "rdma event channel";
    case HANDLE_CM_ID: return "rdma_cm id";
    case HANDLE_QP: return "queue pair";
    case HANDLE_CONTEXT: return "verbs context";
    case HANDLE_PD: return "protection domain";
    case HANDLE_COMP_CHANNEL: return "completion channel";
    case HANDLE_CQ: return "completion queue";
    case HANDLE_MR: return "memory region";
    case HANDLE_NONE: break;
    }
    return "unknown object";
}

void *require_handle(JNIEnv *env, jlong handle, enum handle_kind kind, const char *method)
{
    enum handle_kind actual = handle_lookup(handle);
    if (actual == kind) {
        return JLONG_TO_PTR(handle);
    }
    if (actual == HANDLE_NONE) {
        throw_io(env, "%s: 0x%llx is not a live %s handle", method, (unsigned long long) handle,
                 handle_kind_name(kind));
    } else {
        throw_io(env, "%s: 0x%llx is a %s handle, not a %s handle", method, (unsigned long long) handle,
                 handle_kind_name(actual), handle_kind_name(kind));
    }
    return NULL;
}

void *require_address(JNIEnv *env, jlong address, const char *what, const char *method)
{
    if (address == 0) {
        throw_io(env, "%s: %s address is 0", method, what);
        return NULL;
    }
    return JLONG_TO_PTR(address);
}
