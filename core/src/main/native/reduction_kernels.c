/*
 * The predefined reductions of long vectors for io.mpi4j.coll.NativeKernels: inout[i] = in[i] op inout[i].
 * The loops are plain C that the compiler vectorises, built for AVX2 and for the baseline instruction set and
 * chosen when the library loads (target_clones), so one library runs on any x86-64. Results are those of the Java
 * kernels bit for bit: integer sums and products wrap (computed unsigned, where C's signed overflow would be
 * undefined), floating-point sums and products are single IEEE operations in the same order (no fast-math), and
 * the floating-point MIN/MAX, whose Java semantics (NaN, -0.0) C's comparisons do not have, are left to Java.
 */
#include <jni.h>
#include <stdint.h>
#include <stddef.h>

/* Codes of io.mpi4j.coll.ReductionOp and io.mpi4j.coll.ReductionType; NativeKernelsTest checks they agree. */
enum { SUM = 1, PROD = 2, MIN = 3, MAX = 4, BAND = 8, BOR = 9, BXOR = 10 };
enum { BYTE = 1, SHORT = 3, INT = 5, LONG = 6, FLOAT = 7, DOUBLE = 8 };

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(MPI4J_NO_TARGET_CLONES)
#define CLONES __attribute__((target_clones("avx2", "default")))
#else
#define CLONES
#endif

#define LOOP(name, T, EXPR) \
    CLONES static void name(const T *restrict x, T *restrict y, size_t n) \
    { \
        for (size_t i = 0; i < n; i++) \
        { \
            const T a = x[i]; \
            const T b = y[i]; \
            y[i] = (EXPR); \
        } \
    }

#define INTEGER_LOOPS(S, T, U) \
    LOOP(sum_##S, T, (T)(U)((U)a + (U)b)) \
    LOOP(prod_##S, T, (T)(U)((U)a * (U)b)) \
    LOOP(min_##S, T, a < b ? a : b) \
    LOOP(max_##S, T, a > b ? a : b) \
    LOOP(band_##S, T, a & b) \
    LOOP(bor_##S, T, a | b) \
    LOOP(bxor_##S, T, a ^ b)

INTEGER_LOOPS(i8, int8_t, uint8_t)
INTEGER_LOOPS(i16, int16_t, uint16_t)
INTEGER_LOOPS(i32, int32_t, uint32_t)
INTEGER_LOOPS(i64, int64_t, uint64_t)
LOOP(sum_f32, float, a + b)
LOOP(prod_f32, float, a * b)
LOOP(sum_f64, double, a + b)
LOOP(prod_f64, double, a * b)

#define INTEGER_CASES(S, T) \
    switch (op) \
    { \
        case SUM: sum_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case PROD: prod_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case MIN: min_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case MAX: max_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case BAND: band_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case BOR: bor_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        case BXOR: bxor_##S((const T *)in, (T *)inout, bytes / sizeof(T)); return 1; \
        default: return 0; \
    }

/* 1 when (op, type) was applied, 0 when this library does not have it (nothing touched). */
static int reduce(const jint op, const jint type, const void *in, void *inout, const size_t bytes)
{
    switch (type)
    {
        case BYTE: INTEGER_CASES(i8, int8_t)
        case SHORT: INTEGER_CASES(i16, int16_t)
        case INT: INTEGER_CASES(i32, int32_t)
        case LONG: INTEGER_CASES(i64, int64_t)
        case FLOAT:
            if (SUM == op) { sum_f32((const float *)in, (float *)inout, bytes / sizeof(float)); return 1; }
            if (PROD == op) { prod_f32((const float *)in, (float *)inout, bytes / sizeof(float)); return 1; }
            return 0;
        case DOUBLE:
            if (SUM == op) { sum_f64((const double *)in, (double *)inout, bytes / sizeof(double)); return 1; }
            if (PROD == op) { prod_f64((const double *)in, (double *)inout, bytes / sizeof(double)); return 1; }
            return 0;
        default:
            return 0;
    }
}

/*
 * Each operand is a primitive array (pinned for the loop, at a byte offset from its first element) or, with a null
 * array, native memory at an absolute address. The caller bounds `bytes` so that a pinned array holds the
 * collector up briefly.
 */
JNIEXPORT jboolean JNICALL Java_io_mpi4j_coll_NativeKernels_reduce(
    JNIEnv *env, jclass cls, jint op, jint type, jobject inArray, jlong in, jobject inoutArray, jlong inout,
    jlong bytes)
{
    (void)cls;
    char *inPinned = NULL;
    char *inoutPinned = NULL;
    if (NULL != inArray)
    {
        inPinned = (*env)->GetPrimitiveArrayCritical(env, (jarray)inArray, NULL);
        if (NULL == inPinned)
        {
            return JNI_FALSE;
        }
    }
    if (NULL != inoutArray)
    {
        inoutPinned = (*env)->GetPrimitiveArrayCritical(env, (jarray)inoutArray, NULL);
        if (NULL == inoutPinned)
        {
            if (NULL != inPinned)
            {
                (*env)->ReleasePrimitiveArrayCritical(env, (jarray)inArray, inPinned, JNI_ABORT);
            }
            return JNI_FALSE;
        }
    }
    const void *x = NULL != inPinned ? (const void *)(inPinned + in) : (const void *)(intptr_t)in;
    void *y = NULL != inoutPinned ? (void *)(inoutPinned + inout) : (void *)(intptr_t)inout;
    const int done = reduce(op, type, x, y, (size_t)bytes);
    if (NULL != inoutPinned)
    {
        (*env)->ReleasePrimitiveArrayCritical(env, (jarray)inoutArray, inoutPinned, 0);
    }
    if (NULL != inPinned)
    {
        (*env)->ReleasePrimitiveArrayCritical(env, (jarray)inArray, inPinned, JNI_ABORT);
    }
    return done ? JNI_TRUE : JNI_FALSE;
}
