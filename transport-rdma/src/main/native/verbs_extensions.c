/*
 * mpi4j's own native methods beside DiSNI's contract (io.mpi4j.rdma.natives.VerbsExtensions): what DiSNI 2.1
 * cannot express. DiSNI lays out only the first 56 bytes of a send work request (the rdma union), so the atomic
 * union (compare_add, swap, rkey at 48..71) is unreachable through SVCPostSend; and it has no ibv_query_device.
 * Handles are checked against the same registry as every DiSNI method.
 */
#include "disni.h"

#include <errno.h>
#include <string.h>

#include <infiniband/verbs.h>

#define EXTENSION(name) Java_io_mpi4j_rdma_natives_VerbsExtensions_##name

/* ibv_device_attr.atomic_cap of the context's device: 0 none, 1 atomic within the HCA, 2 global; -errno on failure. */
JNIEXPORT jint JNICALL EXTENSION(atomicCapability)(JNIEnv *env, jclass type, jlong context_handle)
{
    (void) type;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "atomicCapability");
    if (context == NULL) {
        return -EINVAL;
    }
    struct ibv_device_attr attributes;
    memset(&attributes, 0, sizeof attributes);
    int err = ibv_query_device(context, &attributes);
    if (err != 0) {
        return -err;
    }
    return (jint) attributes.atomic_cap;
}

/*
 * Post one signaled 8-byte atomic (IBV_WR_ATOMIC_FETCH_AND_ADD or IBV_WR_ATOMIC_CMP_AND_SWP) whose old value lands at
 * result_address (registered, lkey). Built on the stack: nothing is kept.
 */
JNIEXPORT void JNICALL EXTENSION(postAtomic)(JNIEnv *env, jclass type, jlong qp_handle, jlong wr_id, jint opcode,
                                             jlong result_address, jint lkey, jlong remote_address, jint rkey,
                                             jlong compare_add, jlong swap)
{
    (void) type;
    struct ibv_qp *qp = require_handle(env, qp_handle, HANDLE_QP, "postAtomic");
    if (qp == NULL) {
        return;
    }
    if (opcode != IBV_WR_ATOMIC_FETCH_AND_ADD && opcode != IBV_WR_ATOMIC_CMP_AND_SWP) {
        throw_io(env, "postAtomic: opcode %d is not an atomic", (int) opcode);
        return;
    }
    if (require_address(env, result_address, "result", "postAtomic") == NULL) {
        return;
    }
    if ((remote_address & 7) != 0 || (result_address & 7) != 0) {
        throw_io(env, "postAtomic: addresses must be 8-byte aligned (remote 0x%llx, result 0x%llx)",
                 (unsigned long long) remote_address, (unsigned long long) result_address);
        return;
    }
    struct ibv_sge sge = {
        .addr = (uint64_t) result_address,
        .length = 8,
        .lkey = (uint32_t) lkey,
    };
    struct ibv_send_wr wr;
    memset(&wr, 0, sizeof wr);
    wr.wr_id = (uint64_t) wr_id;
    wr.sg_list = &sge;
    wr.num_sge = 1;
    wr.opcode = (enum ibv_wr_opcode) opcode;
    wr.send_flags = IBV_SEND_SIGNALED;
    wr.wr.atomic.remote_addr = (uint64_t) remote_address;
    wr.wr.atomic.compare_add = (uint64_t) compare_add;
    wr.wr.atomic.swap = (uint64_t) swap;
    wr.wr.atomic.rkey = (uint32_t) rkey;
    struct ibv_send_wr *bad = NULL;
    int err = ibv_post_send(qp, &wr, &bad);
    if (err != 0) {
        throw_io(env, "ibv_post_send (atomic): %s (errno %d)", strerror(err), err);
    }
}
