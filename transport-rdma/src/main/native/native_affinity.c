/*
 * com.ibm.disni.util.NativeAffinity: pin the calling thread to the CPUs in a 64-bit mask, and read its mask.
 * Neither method declares a checked exception, so failures raise unchecked ones.
 */
#define _GNU_SOURCE
#include "disni.h"

#include <errno.h>
#include <sched.h>
#include <string.h>

#define MASK_BITS 64

JNIEXPORT void JNICALL Java_com_ibm_disni_util_NativeAffinity__1setAffinity(JNIEnv *env, jclass type, jlong mask)
{
    (void) type;
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    for (int cpu = 0; cpu < MASK_BITS; cpu++) {
        if (((uint64_t) mask >> cpu) & 1u) {
            CPU_SET(cpu, &cpus);
        }
    }
    /* pid 0: the calling thread, not the whole JVM. */
    if (sched_setaffinity(0, sizeof cpus, &cpus) != 0) {
        int err = errno;
        throw_unchecked(env, "java/lang/IllegalArgumentException", "sched_setaffinity(0x%llx): %s (errno %d)",
                        (unsigned long long) mask, strerror(err), err);
    }
}

JNIEXPORT jlong JNICALL Java_com_ibm_disni_util_NativeAffinity__1getAffinity(JNIEnv *env, jclass type)
{
    (void) type;
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    if (sched_getaffinity(0, sizeof cpus, &cpus) != 0) {
        int err = errno;
        throw_unchecked(env, "java/lang/IllegalStateException", "sched_getaffinity: %s (errno %d)",
                        strerror(err), err);
        return 0;
    }
    uint64_t mask = 0;
    for (int cpu = 0; cpu < MASK_BITS; cpu++) {
        if (CPU_ISSET(cpu, &cpus)) {
            mask |= UINT64_C(1) << cpu;
        }
    }
    return (jlong) mask;
}
