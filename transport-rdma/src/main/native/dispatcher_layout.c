/*
 * Library load, exceptions, and the sizes/offsets NativeDispatcher's constructor asks for.
 *
 * DiSNI's Java side lays out ibv_send_wr, ibv_recv_wr, ibv_sge, ibv_wc and sockaddr_in itself in direct
 * buffers, reading only the total sizes and two offsets from here. The field offsets it assumes are fixed in its
 * bytecode, so they are pinned below with static assertions: a libibverbs whose layout moved fails the build
 * instead of corrupting work requests.
 */
#include "disni.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <infiniband/verbs.h>

/* Offsets NatIbvSendWR.writeBack writes at (putLong/putInt sequence in the class file). */
_Static_assert(offsetof(struct ibv_send_wr, wr_id) == 0, "send wr_id");
_Static_assert(offsetof(struct ibv_send_wr, next) == 8, "send next");
_Static_assert(offsetof(struct ibv_send_wr, sg_list) == 16, "send sg_list");
_Static_assert(offsetof(struct ibv_send_wr, num_sge) == 24, "send num_sge");
_Static_assert(offsetof(struct ibv_send_wr, opcode) == 28, "send opcode");
_Static_assert(offsetof(struct ibv_send_wr, send_flags) == 32, "send send_flags");
_Static_assert(offsetof(struct ibv_send_wr, imm_data) == 36, "send imm_data");
_Static_assert(offsetof(struct ibv_send_wr, wr.rdma.remote_addr) == 40, "send remote_addr");
_Static_assert(offsetof(struct ibv_send_wr, wr.rdma.rkey) == 48, "send rkey");
/* NatIbvRecvWR.writeBack. */
_Static_assert(offsetof(struct ibv_recv_wr, wr_id) == 0, "recv wr_id");
_Static_assert(offsetof(struct ibv_recv_wr, next) == 8, "recv next");
_Static_assert(offsetof(struct ibv_recv_wr, sg_list) == 16, "recv sg_list");
_Static_assert(offsetof(struct ibv_recv_wr, num_sge) == 24, "recv num_sge");
/* NatIbvSge.writeBack. */
_Static_assert(sizeof(struct ibv_sge) == 16, "sge size");
_Static_assert(offsetof(struct ibv_sge, length) == 8, "sge length");
_Static_assert(offsetof(struct ibv_sge, lkey) == 12, "sge lkey");
/* NatPollCqCall.update reads a packed 48-byte record in this order. */
_Static_assert(sizeof(struct ibv_wc) == 48, "wc size");
_Static_assert(offsetof(struct ibv_wc, status) == 8, "wc status");
_Static_assert(offsetof(struct ibv_wc, opcode) == 12, "wc opcode");
_Static_assert(offsetof(struct ibv_wc, vendor_err) == 16, "wc vendor_err");
_Static_assert(offsetof(struct ibv_wc, byte_len) == 20, "wc byte_len");
_Static_assert(offsetof(struct ibv_wc, imm_data) == 24, "wc imm_data");
_Static_assert(offsetof(struct ibv_wc, qp_num) == 28, "wc qp_num");
_Static_assert(offsetof(struct ibv_wc, src_qp) == 32, "wc src_qp");
_Static_assert(offsetof(struct ibv_wc, wc_flags) == 36, "wc wc_flags");
_Static_assert(offsetof(struct ibv_wc, pkey_index) == 40, "wc pkey_index");
_Static_assert(offsetof(struct ibv_wc, slid) == 42, "wc slid");
_Static_assert(offsetof(struct ibv_wc, sl) == 44, "wc sl");
_Static_assert(offsetof(struct ibv_wc, dlid_path_bits) == 45, "wc dlid_path_bits");
/* SockAddrIn.writeBack: family, port, address, in that order. */
_Static_assert(offsetof(struct sockaddr_in, sin_port) == 2, "sin_port");
_Static_assert(offsetof(struct sockaddr_in, sin_addr) == 4, "sin_addr");

static jclass io_exception_class;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved)
{
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_6) != JNI_OK) {
        return JNI_ERR;
    }
    jclass local = (*env)->FindClass(env, "java/io/IOException");
    if (local == NULL) {
        return JNI_ERR;
    }
    io_exception_class = (*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return io_exception_class == NULL ? JNI_ERR : JNI_VERSION_1_6;
}

void throw_io(JNIEnv *env, const char *format, ...)
{
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    if (!(*env)->ExceptionCheck(env)) {
        (*env)->ThrowNew(env, io_exception_class, message);
    }
}

void throw_errno(JNIEnv *env, const char *call, int err)
{
    if (err < 0) {
        err = -err;
    }
    throw_io(env, "%s: %s (errno %d)", call, err == 0 ? "failed" : strerror(err), err);
}

void throw_unchecked(JNIEnv *env, const char *class_name, const char *format, ...)
{
    char message[512];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jclass type = (*env)->FindClass(env, class_name);
    if (type != NULL) {
        (*env)->ThrowNew(env, type, message);
    }
}

JNIEXPORT jint JNICALL DISPATCHER(getVersion)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return DISNI_JNI_VERSION;
}

JNIEXPORT jint JNICALL DISPATCHER(getSockAddrInSize)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) sizeof(struct sockaddr_in);
}

JNIEXPORT jint JNICALL DISPATCHER(getIbvRecvWRSize)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) sizeof(struct ibv_recv_wr);
}

JNIEXPORT jint JNICALL DISPATCHER(getIbvSendWRSize)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) sizeof(struct ibv_send_wr);
}

JNIEXPORT jint JNICALL DISPATCHER(getIbvSgeSize)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) sizeof(struct ibv_sge);
}

JNIEXPORT jint JNICALL DISPATCHER(getIbvWCSize)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) sizeof(struct ibv_wc);
}

JNIEXPORT jint JNICALL DISPATCHER(getRemoteAddressOffset)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) offsetof(struct ibv_send_wr, wr.rdma.remote_addr);
}

JNIEXPORT jint JNICALL DISPATCHER(getRKeyOffset)(JNIEnv *env, jobject self)
{
    (void) env; (void) self;
    return (jint) offsetof(struct ibv_send_wr, wr.rdma.rkey);
}
