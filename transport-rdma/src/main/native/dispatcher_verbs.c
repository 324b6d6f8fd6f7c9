/*
 * NativeDispatcher's verbs half: protection domains, completion channels and queues, memory regions, posting
 * work requests and polling completions.
 *
 * _postSend/_postRecv/_pollCQ are DiSNI's hot path (SVCPostSend/SVCPostRecv/SVCPollCq): Java has laid out the
 * ibv_*_wr chain (absolute next/sg_list pointers) or reserved the ibv_wc array in a direct buffer, so these
 * calls validate the handle and hand the memory to libibverbs as is.
 */
#include "disni.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <string.h>

#include <infiniband/verbs.h>

/*
 * NatIbvSendWR writes wr_id .. wr.rdma.rkey plus a 4-byte "reserved" word: the first 56 bytes. The rest of the
 * 128-byte rdma-core 44 ibv_send_wr (atomic/ud/xrc/bind_mw/tso unions) is whatever DiSNI's pooled buffer held
 * before, and providers may read it, so it is cleared before every post.
 */
#define JAVA_WRITTEN_SEND_WR_BYTES (offsetof(struct ibv_send_wr, wr.rdma.rkey) + 8)
_Static_assert(JAVA_WRITTEN_SEND_WR_BYTES == 56, "DiSNI writes 56 bytes of each send work request");

/* A chain longer than any send queue can only be a corrupted buffer: refuse rather than loop. */
#define MAX_CHAIN_LENGTH 65536

JNIEXPORT jlong JNICALL DISPATCHER(allocPd)(JNIEnv *env, jobject self, jlong context_handle)
{
    (void) self;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "_allocPd");
    if (context == NULL) {
        return -1;
    }
    struct ibv_pd *pd = ibv_alloc_pd(context);
    if (pd == NULL) {
        throw_errno(env, "ibv_alloc_pd", errno);
        return -1;
    }
    handle_register(pd, HANDLE_PD);
    return HANDLE_TO_JLONG(pd);
}

JNIEXPORT jlong JNICALL DISPATCHER(createCompChannel)(JNIEnv *env, jobject self, jlong context_handle)
{
    (void) self;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "_createCompChannel");
    if (context == NULL) {
        return -1;
    }
    struct ibv_comp_channel *channel = ibv_create_comp_channel(context);
    if (channel == NULL) {
        throw_errno(env, "ibv_create_comp_channel", errno);
        return -1;
    }
    handle_register(channel, HANDLE_COMP_CHANNEL);
    return HANDLE_TO_JLONG(channel);
}

JNIEXPORT jlong JNICALL DISPATCHER(createCQ)(JNIEnv *env, jobject self, jlong context_handle,
                                             jlong channel_handle, jint entries, jint comp_vector)
{
    (void) self;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "_createCQ");
    if (context == NULL) {
        return -1;
    }
    struct ibv_comp_channel *channel = require_handle(env, channel_handle, HANDLE_COMP_CHANNEL, "_createCQ");
    if (channel == NULL) {
        return -1;
    }
    if (entries <= 0 || comp_vector < 0) {
        throw_io(env, "_createCQ: invalid size %d or completion vector %d", entries, comp_vector);
        return -1;
    }
    struct ibv_cq *cq = ibv_create_cq(context, entries, NULL, channel, comp_vector);
    if (cq == NULL) {
        throw_errno(env, "ibv_create_cq", errno);
        return -1;
    }
    handle_register(cq, HANDLE_CQ);
    return HANDLE_TO_JLONG(cq);
}

/*
 * DiSNI only ever calls this with attributes 0, to move a QP to the error state so that outstanding work
 * requests complete as flushed before teardown. The attribute struct is zeroed: passing uninitialised fields
 * to ibv_modify_qp is a known upstream bug.
 */
JNIEXPORT jint JNICALL DISPATCHER(modifyQP)(JNIEnv *env, jobject self, jlong qp_handle, jlong attributes)
{
    (void) self;
    struct ibv_qp *qp = require_handle(env, qp_handle, HANDLE_QP, "_modifyQP");
    if (qp == NULL) {
        return -1;
    }
    if (attributes != 0) {
        throw_io(env, "_modifyQP: only attributes 0 (move to the error state) are supported");
        return -1;
    }
    struct ibv_qp_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.qp_state = IBV_QPS_ERR;
    int err = ibv_modify_qp(qp, &attr, IBV_QP_STATE);
    return err == 0 ? 0 : -err;
}

/* Registers [address, address+length) and writes lkey, rkey and the kernel handle (three ints) for Java. */
JNIEXPORT jlong JNICALL DISPATCHER(regMr)(JNIEnv *env, jobject self, jlong pd_handle, jlong address, jint length,
                                          jint access, jlong lkey_out, jlong rkey_out, jlong handle_out)
{
    (void) self;
    struct ibv_pd *pd = require_handle(env, pd_handle, HANDLE_PD, "_regMr");
    if (pd == NULL) {
        return -1;
    }
    void *lkey_slot = require_address(env, lkey_out, "lkey output", "_regMr");
    void *rkey_slot = lkey_slot == NULL ? NULL : require_address(env, rkey_out, "rkey output", "_regMr");
    void *handle_slot = rkey_slot == NULL ? NULL : require_address(env, handle_out, "handle output", "_regMr");
    if (handle_slot == NULL) {
        return -1;
    }
    if (address == 0 || length < 0) {
        throw_io(env, "_regMr: invalid buffer 0x%llx length %d", (unsigned long long) address, length);
        return -1;
    }
    struct ibv_mr *mr = ibv_reg_mr(pd, JLONG_TO_PTR(address), (size_t) length, access);
    if (mr == NULL) {
        throw_errno(env, "ibv_reg_mr", errno);
        return -1;
    }
    handle_register(mr, HANDLE_MR);
    uint32_t keys[3] = { mr->lkey, mr->rkey, mr->handle };
    memcpy(lkey_slot, &keys[0], sizeof keys[0]);
    memcpy(rkey_slot, &keys[1], sizeof keys[1]);
    memcpy(handle_slot, &keys[2], sizeof keys[2]);
    return HANDLE_TO_JLONG(mr);
}

/* The RC on-demand-paging capabilities (IbvContext.IBV_ODP_SUPPORT_* bits), or -1 without ODP. */
JNIEXPORT jint JNICALL DISPATCHER(queryOdpSupport)(JNIEnv *env, jobject self, jlong context_handle)
{
    (void) self;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "_queryOdpSupport");
    if (context == NULL) {
        return -1;
    }
    struct ibv_device_attr_ex attr;
    memset(&attr, 0, sizeof attr);
    if (ibv_query_device_ex(context, NULL, &attr) != 0) {
        return -1;
    }
    if ((attr.odp_caps.general_caps & IBV_ODP_SUPPORT) == 0) {
        return -1;
    }
    return (jint) attr.odp_caps.per_transport_caps.rc_odp_caps;
}

/* DiSNI's "experimental prefetch" maps onto today's ibv_advise_mr; devices without ODP return -EOPNOTSUPP. */
JNIEXPORT jint JNICALL DISPATCHER(expPrefetchMr)(JNIEnv *env, jobject self, jlong mr_handle, jlong address,
                                                 jint length)
{
    (void) self;
    struct ibv_mr *mr = require_handle(env, mr_handle, HANDLE_MR, "_expPrefetchMr");
    if (mr == NULL) {
        return -1;
    }
    if (address == 0 || length <= 0) {
        throw_io(env, "_expPrefetchMr: invalid range 0x%llx length %d", (unsigned long long) address, length);
        return -1;
    }
    struct ibv_sge range = { .addr = (uint64_t) address, .length = (uint32_t) length, .lkey = mr->lkey };
    int err = ibv_advise_mr(mr->pd, IBV_ADVISE_MR_ADVICE_PREFETCH, IBV_ADVISE_MR_FLAG_FLUSH, &range, 1);
    return err == 0 ? 0 : -err;
}

JNIEXPORT void JNICALL DISPATCHER(deregMr)(JNIEnv *env, jobject self, jlong mr_handle)
{
    (void) self;
    struct ibv_mr *mr = require_handle(env, mr_handle, HANDLE_MR, "_deregMr");
    if (mr == NULL) {
        return;
    }
    handle_unregister(mr, HANDLE_MR);
    int err = ibv_dereg_mr(mr);
    if (err != 0) {
        handle_register(mr, HANDLE_MR);
        throw_errno(env, "ibv_dereg_mr", err);
    }
}

JNIEXPORT void JNICALL DISPATCHER(postSend)(JNIEnv *env, jobject self, jlong qp_handle, jlong wr_address)
{
    (void) self;
    struct ibv_qp *qp = require_handle(env, qp_handle, HANDLE_QP, "_postSend");
    if (qp == NULL) {
        return;
    }
    struct ibv_send_wr *first = require_address(env, wr_address, "work request", "_postSend");
    if (first == NULL) {
        return;
    }
    int length = 0;
    for (struct ibv_send_wr *wr = first; wr != NULL; wr = wr->next) {
        if (++length > MAX_CHAIN_LENGTH) {
            throw_io(env, "_postSend: work request chain longer than %d (corrupted next pointers?)",
                     MAX_CHAIN_LENGTH);
            return;
        }
        memset((char *) wr + JAVA_WRITTEN_SEND_WR_BYTES, 0, sizeof *wr - JAVA_WRITTEN_SEND_WR_BYTES);
    }
    struct ibv_send_wr *bad = NULL;
    int err = ibv_post_send(qp, first, &bad);
    if (err != 0) {
        throw_io(env, "ibv_post_send: %s (errno %d) at work request wr_id %llu", strerror(err), err,
                 bad != NULL ? (unsigned long long) bad->wr_id : 0ULL);
    }
}

JNIEXPORT void JNICALL DISPATCHER(postRecv)(JNIEnv *env, jobject self, jlong qp_handle, jlong wr_address)
{
    (void) self;
    struct ibv_qp *qp = require_handle(env, qp_handle, HANDLE_QP, "_postRecv");
    if (qp == NULL) {
        return;
    }
    struct ibv_recv_wr *first = require_address(env, wr_address, "work request", "_postRecv");
    if (first == NULL) {
        return;
    }
    struct ibv_recv_wr *bad = NULL;
    int err = ibv_post_recv(qp, first, &bad);
    if (err != 0) {
        throw_io(env, "ibv_post_recv: %s (errno %d) at work request wr_id %llu", strerror(err), err,
                 bad != NULL ? (unsigned long long) bad->wr_id : 0ULL);
    }
}

/*
 * Waits up to timeout_ms (negative: forever) for a completion event on the channel. 0: an event was taken (the
 * caller acknowledges it with _ackCqEvent); -1: none arrived; other negatives: -errno.
 */
JNIEXPORT jint JNICALL DISPATCHER(getCqEvent)(JNIEnv *env, jobject self, jlong channel_handle, jint timeout_ms)
{
    (void) self;
    struct ibv_comp_channel *channel = require_handle(env, channel_handle, HANDLE_COMP_CHANNEL, "_getCqEvent");
    if (channel == NULL) {
        return -1;
    }
    struct pollfd ready = { .fd = channel->fd, .events = POLLIN, .revents = 0 };
    int polled = poll(&ready, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (polled <= 0) {
        return -1;
    }
    struct ibv_cq *cq = NULL;
    void *cq_context = NULL;
    if (ibv_get_cq_event(channel, &cq, &cq_context) != 0) {
        return errno > 0 ? -errno : -1;
    }
    return 0;
}

/* Fills up to max_entries 48-byte ibv_wc records at wc_address; returns how many, or a negative error. */
JNIEXPORT jint JNICALL DISPATCHER(pollCQ)(JNIEnv *env, jobject self, jlong cq_handle, jint max_entries,
                                          jlong wc_address)
{
    (void) self;
    struct ibv_cq *cq = require_handle(env, cq_handle, HANDLE_CQ, "_pollCQ");
    if (cq == NULL) {
        return -1;
    }
    struct ibv_wc *completions = require_address(env, wc_address, "work completion array", "_pollCQ");
    if (completions == NULL) {
        return -1;
    }
    if (max_entries < 0) {
        throw_io(env, "_pollCQ: negative entry count %d", max_entries);
        return -1;
    }
    return ibv_poll_cq(cq, max_entries, completions);
}

JNIEXPORT jint JNICALL DISPATCHER(reqNotifyCQ)(JNIEnv *env, jobject self, jlong cq_handle, jint solicited_only)
{
    (void) self;
    struct ibv_cq *cq = require_handle(env, cq_handle, HANDLE_CQ, "_reqNotifyCQ");
    if (cq == NULL) {
        return -1;
    }
    int err = ibv_req_notify_cq(cq, solicited_only != 0);
    return err == 0 ? 0 : -err;
}

JNIEXPORT jint JNICALL DISPATCHER(ackCqEvent)(JNIEnv *env, jobject self, jlong cq_handle, jint events)
{
    (void) self;
    struct ibv_cq *cq = require_handle(env, cq_handle, HANDLE_CQ, "_ackCqEvent");
    if (cq == NULL) {
        return -1;
    }
    if (events < 0) {
        return -EINVAL;
    }
    ibv_ack_cq_events(cq, (unsigned int) events);
    return 0;
}

/*
 * The destroy calls keep a handle registered when the verb refuses (EBUSY while QPs/CQs/MRs still use it):
 * the object still exists and Java may retry after releasing its users.
 */
JNIEXPORT jint JNICALL DISPATCHER(destroyCompChannel)(JNIEnv *env, jobject self, jlong channel_handle)
{
    (void) self;
    struct ibv_comp_channel *channel =
        require_handle(env, channel_handle, HANDLE_COMP_CHANNEL, "_destroyCompChannel");
    if (channel == NULL) {
        return -1;
    }
    handle_unregister(channel, HANDLE_COMP_CHANNEL);
    int err = ibv_destroy_comp_channel(channel);
    if (err != 0) {
        handle_register(channel, HANDLE_COMP_CHANNEL);
        return -err;
    }
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(deallocPd)(JNIEnv *env, jobject self, jlong pd_handle)
{
    (void) self;
    struct ibv_pd *pd = require_handle(env, pd_handle, HANDLE_PD, "_deallocPd");
    if (pd == NULL) {
        return -1;
    }
    handle_unregister(pd, HANDLE_PD);
    int err = ibv_dealloc_pd(pd);
    if (err != 0) {
        handle_register(pd, HANDLE_PD);
        return -err;
    }
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(destroyCQ)(JNIEnv *env, jobject self, jlong cq_handle)
{
    (void) self;
    struct ibv_cq *cq = require_handle(env, cq_handle, HANDLE_CQ, "_destroyCQ");
    if (cq == NULL) {
        return -1;
    }
    handle_unregister(cq, HANDLE_CQ);
    int err = ibv_destroy_cq(cq);
    if (err != 0) {
        handle_register(cq, HANDLE_CQ);
        return -err;
    }
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(getQpNum)(JNIEnv *env, jobject self, jlong qp_handle)
{
    (void) self;
    struct ibv_qp *qp = require_handle(env, qp_handle, HANDLE_QP, "_getQpNum");
    return qp == NULL ? -1 : (jint) qp->qp_num;
}

JNIEXPORT jint JNICALL DISPATCHER(getContextFd)(JNIEnv *env, jobject self, jlong context_handle)
{
    (void) self;
    struct ibv_context *context = require_handle(env, context_handle, HANDLE_CONTEXT, "_getContextFd");
    return context == NULL ? -1 : context->cmd_fd;
}

JNIEXPORT jint JNICALL DISPATCHER(getContextNumCompVectors)(JNIEnv *env, jobject self, jlong context_handle)
{
    (void) self;
    struct ibv_context *context =
        require_handle(env, context_handle, HANDLE_CONTEXT, "_getContextNumCompVectors");
    return context == NULL ? -1 : context->num_comp_vectors;
}

JNIEXPORT jint JNICALL DISPATCHER(getPdHandle)(JNIEnv *env, jobject self, jlong pd_handle)
{
    (void) self;
    struct ibv_pd *pd = require_handle(env, pd_handle, HANDLE_PD, "_getPdHandle");
    return pd == NULL ? -1 : (jint) pd->handle;
}
