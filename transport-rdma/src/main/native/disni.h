/*
 * mpi4j's own implementation of DiSNI 2.1's native contract (libdisni).
 *
 * DiSNI's Java side (com.ibm.disni.verbs.impl.NativeDispatcher) passes every verbs/rdma_cm object as the C
 * pointer cast to a Java long. A stale or made-up long must never reach libibverbs/librdmacm, so every object
 * this library hands out is recorded in a typed registry (handle_registry.c) and every incoming handle is checked
 * against it; a handle that is not live, or is live but of another kind, raises java.io.IOException.
 */
#ifndef MPI4J_DISNI_H
#define MPI4J_DISNI_H

#include <jni.h>
#include <stdint.h>

/* NativeDispatcher refuses to start unless the library reports this version (JVERBS_VERSION in the class). */
#define DISNI_JNI_VERSION 32

enum handle_kind {
    HANDLE_NONE = 0,
    HANDLE_EVENT_CHANNEL,
    HANDLE_CM_ID,
    HANDLE_QP,
    HANDLE_CONTEXT,
    HANDLE_PD,
    HANDLE_COMP_CHANNEL,
    HANDLE_CQ,
    HANDLE_MR,
};

const char *handle_kind_name(enum handle_kind kind);

/* Returns 0, or -1 when memory for the table cannot be found. Adding a live handle again is a no-op. */
int handle_register(const void *object, enum handle_kind kind);

/* Forgets the handle if it is registered with that kind. */
void handle_unregister(const void *object, enum handle_kind kind);

/* The kind the handle is registered with, HANDLE_NONE if it is not live (0 is never live). */
enum handle_kind handle_lookup(jlong handle);

/*
 * Event channels are freed by rdma_destroy_event_channel while ids created on them still dereference them, so
 * the registry counts the live ids per channel and refuses to destroy a channel in use.
 */
void handle_add_users(const void *object, enum handle_kind kind, int delta);
int handle_users(const void *object, enum handle_kind kind);

/*
 * The handle as a pointer if it is live and of the expected kind; otherwise NULL with a pending IOException
 * naming the native method (the caller must return at once).
 */
void *require_handle(JNIEnv *env, jlong handle, enum handle_kind kind, const char *method);

/* A non-zero address of caller-owned memory, or NULL with a pending IOException. */
void *require_address(JNIEnv *env, jlong address, const char *what, const char *method);

/* Raises java.io.IOException with a printf-style message. */
void throw_io(JNIEnv *env, const char *format, ...) __attribute__((format(printf, 2, 3)));

/* Raises java.io.IOException "<call>: <strerror(err)> (errno <err>)". */
void throw_errno(JNIEnv *env, const char *call, int err);

/* Raises the given unchecked exception class (for NativeAffinity, which declares no checked exception). */
void throw_unchecked(JNIEnv *env, const char *class_name, const char *format, ...) __attribute__((format(printf, 3, 4)));

/* JNI symbol of a NativeDispatcher method: the leading '_' of DiSNI's method names is mangled to "_1". */
#define DISPATCHER(name) Java_com_ibm_disni_verbs_impl_NativeDispatcher__1##name

#define HANDLE_TO_JLONG(p) ((jlong) (uintptr_t) (p))
#define JLONG_TO_PTR(j) ((void *) (uintptr_t) (j))

#endif
