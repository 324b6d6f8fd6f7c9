/*
 * Copies for io.mpi4j.datatype.NativeCopy through the C library's memmove, which picks the processor's fastest way
 * (rep movsb where it is fast, wide vector loops elsewhere). HotSpot's own copy stub (Unsafe.copyMemory) loses to it
 * from a few tens of KiB, where source and destination no longer fit the first-level cache together. memmove, not
 * memcpy: Unsafe.copyMemory allows overlapping locations, and so must its replacement.
 */
#include <jni.h>
#include <stdint.h>
#include <string.h>

JNIEXPORT void JNICALL Java_io_mpi4j_datatype_NativeCopy_copy(
    JNIEnv *env, jclass cls, jlong src, jlong dst, jlong bytes)
{
    (void)env;
    (void)cls;
    memmove((void *)(intptr_t)dst, (const void *)(intptr_t)src, (size_t)bytes);
}

/*
 * Between a primitive array, at byte offset `at` from its first element, and a native address: toArray says which
 * way. The array is held for the copy only (a critical region: the collector waits for it, a microsecond or so at
 * the sizes the Java side sends here), so a copy into it is released with mode 0 when the JVM made it a copy.
 */
JNIEXPORT jboolean JNICALL Java_io_mpi4j_datatype_NativeCopy_copyArray0(
    JNIEnv *env, jclass cls, jarray array, jlong at, jlong address, jlong bytes, jboolean toArray)
{
    (void)cls;
    char *elements = (*env)->GetPrimitiveArrayCritical(env, array, NULL);
    if (elements == NULL)
    {
        /* out of memory: the caller copies through Unsafe.copyMemory instead, with no exception pending */
        (*env)->ExceptionClear(env);
        return JNI_FALSE;
    }
    if (toArray)
    {
        memmove(elements + at, (const void *)(intptr_t)address, (size_t)bytes);
    }
    else
    {
        memmove((void *)(intptr_t)address, elements + at, (size_t)bytes);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, array, elements, toArray ? 0 : JNI_ABORT);
    return JNI_TRUE;
}
