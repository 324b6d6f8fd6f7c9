/*
 * NativeDispatcher's connection-manager half: event channels, rdma_cm ids, their QPs and connection setup.
 *
 * Every id is created on an event channel (asynchronous mode), so no call here waits for the network: progress
 * is reported through _getCmEvent, which polls the channel with the caller's timeout and acknowledges each event
 * itself (DiSNI's _ackCmEvent only carries the event type, not the event). Acknowledging at once also keeps
 * rdma_destroy_id from waiting forever for an event Java never acknowledged.
 */
#include "disni.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include <rdma/rdma_cma.h>

/* The most RDMA READs we let a connection have in flight in each direction; the device limits may be lower. */
#define MAX_RDMA_READ_DEPTH 16
/* QPs get this many scatter/gather entries per work request (DiSNI passes no SGE counts), capped by the device. */
#define DEFAULT_MAX_SGE 4
/* The CM carries at most 56 bytes of private data in an RC connect request. */
#define MAX_CONNECT_PRIVATE_DATA 56

static int copy_sockaddr_in(JNIEnv *env, jlong address, struct sockaddr_in *out, const char *method)
{
    const struct sockaddr_in *given = require_address(env, address, "socket address", method);
    if (given == NULL) {
        return -1;
    }
    /* DiSNI's pooled buffers are not cleared between uses: take the three fields it writes, zero the rest. */
    memset(out, 0, sizeof *out);
    out->sin_family = given->sin_family;
    out->sin_port = given->sin_port;
    out->sin_addr = given->sin_addr;
    if (out->sin_family != AF_INET) {
        throw_io(env, "%s: address family %d is not AF_INET", method, out->sin_family);
        return -1;
    }
    return 0;
}

static void register_cm_id(struct rdma_cm_id *id)
{
    handle_register(id, HANDLE_CM_ID);
    if (id->channel != NULL) {
        handle_add_users(id->channel, HANDLE_EVENT_CHANNEL, 1);
    }
    if (id->verbs != NULL) {
        handle_register(id->verbs, HANDLE_CONTEXT);
    }
}

static void unregister_cm_id(struct rdma_cm_id *id)
{
    if (id->qp != NULL) {
        handle_unregister(id->qp, HANDLE_QP);
    }
    handle_unregister(id, HANDLE_CM_ID);
    if (id->channel != NULL) {
        handle_add_users(id->channel, HANDLE_EVENT_CHANNEL, -1);
    }
}

static uint8_t clamp_retry(jint count)
{
    /* Both retry counters are 3-bit fields on the wire; 7 means "retry forever" for rnr_retry. */
    return (uint8_t) (count < 0 ? 0 : count > 7 ? 7 : count);
}

/* Depths for RDMA READ so that rendezvous reads work; librdmacm lowers them to what the peer offers. */
static int fill_read_depths(JNIEnv *env, struct rdma_cm_id *id, struct rdma_conn_param *param)
{
    struct ibv_device_attr attr;
    memset(&attr, 0, sizeof attr);
    int err = ibv_query_device(id->verbs, &attr);
    if (err != 0) {
        throw_errno(env, "ibv_query_device", err);
        return -1;
    }
    param->responder_resources = (uint8_t) (attr.max_qp_rd_atom < MAX_RDMA_READ_DEPTH
                                            ? attr.max_qp_rd_atom : MAX_RDMA_READ_DEPTH);
    param->initiator_depth = (uint8_t) (attr.max_qp_init_rd_atom < MAX_RDMA_READ_DEPTH
                                        ? attr.max_qp_init_rd_atom : MAX_RDMA_READ_DEPTH);
    return 0;
}

JNIEXPORT jlong JNICALL DISPATCHER(createEventChannel)(JNIEnv *env, jobject self)
{
    (void) self;
    struct rdma_event_channel *channel = rdma_create_event_channel();
    if (channel == NULL) {
        /* Typical here: ENODEV/ENOENT when /dev/infiniband/rdma_cm is missing (no RDMA stack). */
        throw_errno(env, "rdma_create_event_channel", errno);
        return -1;
    }
    if (handle_register(channel, HANDLE_EVENT_CHANNEL) != 0) {
        rdma_destroy_event_channel(channel);
        throw_io(env, "_createEventChannel: out of memory for the handle registry");
        return -1;
    }
    return HANDLE_TO_JLONG(channel);
}

JNIEXPORT jlong JNICALL DISPATCHER(createId)(JNIEnv *env, jobject self, jlong channel_handle, jshort port_space)
{
    (void) self;
    struct rdma_event_channel *channel = require_handle(env, channel_handle, HANDLE_EVENT_CHANNEL, "_createId");
    if (channel == NULL) {
        return -1;
    }
    struct rdma_cm_id *id = NULL;
    if (rdma_create_id(channel, &id, NULL, (enum rdma_port_space) (uint16_t) port_space) != 0) {
        throw_errno(env, "rdma_create_id", errno);
        return -1;
    }
    register_cm_id(id);
    return HANDLE_TO_JLONG(id);
}

JNIEXPORT jlong JNICALL DISPATCHER(createQP)(JNIEnv *env, jobject self, jlong id_handle, jlong pd_handle,
                                             jlong send_cq_handle, jlong recv_cq_handle, jint qp_type,
                                             jint max_send_wr, jint max_recv_wr, jint max_inline_data)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_createQP");
    if (id == NULL) {
        return -1;
    }
    struct ibv_pd *pd = require_handle(env, pd_handle, HANDLE_PD, "_createQP");
    if (pd == NULL) {
        return -1;
    }
    struct ibv_cq *send_cq = require_handle(env, send_cq_handle, HANDLE_CQ, "_createQP");
    if (send_cq == NULL) {
        return -1;
    }
    struct ibv_cq *recv_cq = require_handle(env, recv_cq_handle, HANDLE_CQ, "_createQP");
    if (recv_cq == NULL) {
        return -1;
    }
    if (id->verbs == NULL) {
        throw_io(env, "_createQP: the rdma_cm id is not bound to a device yet (bind or resolve its address first)");
        return -1;
    }
    if (id->qp != NULL) {
        throw_io(env, "_createQP: the rdma_cm id already has a queue pair");
        return -1;
    }
    if (max_send_wr < 0 || max_recv_wr < 0 || max_inline_data < 0) {
        throw_io(env, "_createQP: negative capacity (send %d, recv %d, inline %d)",
                 max_send_wr, max_recv_wr, max_inline_data);
        return -1;
    }
    struct ibv_device_attr device;
    memset(&device, 0, sizeof device);
    int err = ibv_query_device(id->verbs, &device);
    if (err != 0) {
        throw_errno(env, "ibv_query_device", err);
        return -1;
    }
    uint32_t max_sge = device.max_sge < DEFAULT_MAX_SGE ? (uint32_t) device.max_sge : DEFAULT_MAX_SGE;

    struct ibv_qp_init_attr init;
    memset(&init, 0, sizeof init);
    init.send_cq = send_cq;
    init.recv_cq = recv_cq;
    init.qp_type = (enum ibv_qp_type) qp_type;
    init.cap.max_send_wr = (uint32_t) max_send_wr;
    init.cap.max_recv_wr = (uint32_t) max_recv_wr;
    init.cap.max_send_sge = max_sge;
    init.cap.max_recv_sge = max_sge;
    init.cap.max_inline_data = (uint32_t) max_inline_data;
    init.sq_sig_all = 0;
    if (rdma_create_qp(id, pd, &init) != 0) {
        throw_errno(env, "rdma_create_qp", errno);
        return -1;
    }
    handle_register(id->qp, HANDLE_QP);
    return HANDLE_TO_JLONG(id->qp);
}

JNIEXPORT void JNICALL DISPATCHER(bindAddr)(JNIEnv *env, jobject self, jlong id_handle, jlong address)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_bindAddr");
    struct sockaddr_in local;
    if (id == NULL || copy_sockaddr_in(env, address, &local, "_bindAddr") != 0) {
        return;
    }
    if (rdma_bind_addr(id, (struct sockaddr *) &local) != 0) {
        throw_errno(env, "rdma_bind_addr", errno);
        return;
    }
    if (id->verbs != NULL) {
        handle_register(id->verbs, HANDLE_CONTEXT);
    }
}

JNIEXPORT void JNICALL DISPATCHER(listen)(JNIEnv *env, jobject self, jlong id_handle, jint backlog)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_listen");
    if (id != NULL && rdma_listen(id, backlog) != 0) {
        throw_errno(env, "rdma_listen", errno);
    }
}

JNIEXPORT void JNICALL DISPATCHER(resolveAddr)(JNIEnv *env, jobject self, jlong id_handle, jlong source,
                                               jlong destination, jint timeout_ms)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_resolveAddr");
    if (id == NULL) {
        return;
    }
    struct sockaddr_in from;
    struct sockaddr_in to;
    if (source != 0 && copy_sockaddr_in(env, source, &from, "_resolveAddr") != 0) {
        return;
    }
    if (copy_sockaddr_in(env, destination, &to, "_resolveAddr") != 0) {
        return;
    }
    if (rdma_resolve_addr(id, source != 0 ? (struct sockaddr *) &from : NULL, (struct sockaddr *) &to,
                          timeout_ms) != 0) {
        throw_errno(env, "rdma_resolve_addr", errno);
    }
}

JNIEXPORT void JNICALL DISPATCHER(resolveRoute)(JNIEnv *env, jobject self, jlong id_handle, jint timeout_ms)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_resolveRoute");
    if (id != NULL && rdma_resolve_route(id, timeout_ms) != 0) {
        throw_errno(env, "rdma_resolve_route", errno);
    }
}

/*
 * Waits up to timeout_ms (negative: forever) for the next event and writes event->listen_id at listen_out and
 * event->id at id_out, as RdmaCmNat.getCmEvent reads them. Returns the event type, or -1 when none arrived.
 */
JNIEXPORT jint JNICALL DISPATCHER(getCmEvent)(JNIEnv *env, jobject self, jlong channel_handle, jlong listen_out,
                                              jlong id_out, jint timeout_ms)
{
    (void) self;
    struct rdma_event_channel *channel = require_handle(env, channel_handle, HANDLE_EVENT_CHANNEL, "_getCmEvent");
    if (channel == NULL) {
        return -1;
    }
    jlong *listen_slot = require_address(env, listen_out, "listen id output", "_getCmEvent");
    jlong *id_slot = listen_slot == NULL ? NULL : require_address(env, id_out, "id output", "_getCmEvent");
    if (id_slot == NULL) {
        return -1;
    }
    struct pollfd ready = { .fd = channel->fd, .events = POLLIN, .revents = 0 };
    int polled = poll(&ready, 1, timeout_ms < 0 ? -1 : timeout_ms);
    if (polled <= 0) {
        return -1; /* timeout, or a signal: the caller polls again */
    }
    struct rdma_cm_event *event = NULL;
    if (rdma_get_cm_event(channel, &event) != 0) {
        return -1;
    }
    int type = (int) event->event;
    if (type == RDMA_CM_EVENT_CONNECT_REQUEST) {
        /* librdmacm created the passive side's id: from now on Java may hand it back to us. */
        register_cm_id(event->id);
    }
    jlong listen_id = HANDLE_TO_JLONG(event->listen_id);
    jlong id = HANDLE_TO_JLONG(event->id);
    memcpy(listen_slot, &listen_id, sizeof listen_id);
    memcpy(id_slot, &id, sizeof id);
    rdma_ack_cm_event(event);
    return type;
}

JNIEXPORT void JNICALL DISPATCHER(connect)(JNIEnv *env, jobject self, jlong id_handle, jint retry_count,
                                           jint rnr_retry_count, jlong private_data, jbyte private_data_len)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_connect");
    if (id == NULL) {
        return;
    }
    /*
     * Connecting an id whose route is not resolved never produces an event, and a caller waiting for
     * ESTABLISHED then waits forever: refuse it here with the reason instead.
     */
    if (id->verbs == NULL) {
        throw_io(env, "_connect: the address is not resolved (no RDMA device for it); resolve address and route first");
        return;
    }
    if (id->verbs->device->transport_type == IBV_TRANSPORT_IB && id->route.num_paths == 0) {
        throw_io(env, "_connect: the route is not resolved (route resolution failed or was not done)");
        return;
    }
    if (id->qp == NULL) {
        throw_io(env, "_connect: the rdma_cm id has no queue pair");
        return;
    }
    uint8_t length = (uint8_t) private_data_len;
    if (length > MAX_CONNECT_PRIVATE_DATA || (length > 0 && private_data == 0)) {
        throw_io(env, "_connect: private data of %u bytes at 0x%llx is not allowed (at most %d bytes)",
                 length, (unsigned long long) private_data, MAX_CONNECT_PRIVATE_DATA);
        return;
    }
    struct rdma_conn_param param;
    memset(&param, 0, sizeof param);
    if (fill_read_depths(env, id, &param) != 0) {
        return;
    }
    param.private_data = length > 0 ? JLONG_TO_PTR(private_data) : NULL;
    param.private_data_len = length;
    param.retry_count = clamp_retry(retry_count);
    param.rnr_retry_count = clamp_retry(rnr_retry_count);
    if (rdma_connect(id, &param) != 0) {
        throw_errno(env, "rdma_connect", errno);
    }
}

JNIEXPORT void JNICALL DISPATCHER(accept)(JNIEnv *env, jobject self, jlong id_handle, jint retry_count,
                                          jint rnr_retry_count)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_accept");
    if (id == NULL) {
        return;
    }
    if (id->qp == NULL) {
        throw_io(env, "_accept: the rdma_cm id has no queue pair");
        return;
    }
    struct rdma_conn_param param;
    memset(&param, 0, sizeof param);
    if (fill_read_depths(env, id, &param) != 0) {
        return;
    }
    param.retry_count = clamp_retry(retry_count);
    param.rnr_retry_count = clamp_retry(rnr_retry_count);
    if (rdma_accept(id, &param) != 0) {
        throw_errno(env, "rdma_accept", errno);
    }
}

JNIEXPORT jint JNICALL DISPATCHER(ackCmEvent)(JNIEnv *env, jobject self, jint event_type)
{
    (void) env; (void) self; (void) event_type;
    return 0; /* _getCmEvent acknowledged the event already */
}

JNIEXPORT jint JNICALL DISPATCHER(disconnect)(JNIEnv *env, jobject self, jlong id_handle)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_disconnect");
    if (id == NULL) {
        return -1;
    }
    return rdma_disconnect(id) == 0 ? 0 : -errno;
}

JNIEXPORT jint JNICALL DISPATCHER(destroyEventChannel)(JNIEnv *env, jobject self, jlong channel_handle)
{
    (void) self;
    struct rdma_event_channel *channel =
        require_handle(env, channel_handle, HANDLE_EVENT_CHANNEL, "_destroyEventChannel");
    if (channel == NULL) {
        return -1;
    }
    if (handle_users(channel, HANDLE_EVENT_CHANNEL) > 0) {
        return -EBUSY; /* ids on it still point at it; destroy them first */
    }
    handle_unregister(channel, HANDLE_EVENT_CHANNEL);
    rdma_destroy_event_channel(channel);
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(destroyCmId)(JNIEnv *env, jobject self, jlong id_handle)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_destroyCmId");
    if (id == NULL) {
        return -1;
    }
    /* rdma_destroy_id requires the QP gone; a forgotten QP would otherwise leak with a dangling id. */
    if (id->qp != NULL) {
        handle_unregister(id->qp, HANDLE_QP);
        rdma_destroy_qp(id);
    }
    /* Unregister before freeing, so an address reused by a concurrent create is not unregistered by us. */
    unregister_cm_id(id);
    if (rdma_destroy_id(id) != 0) {
        int err = errno;
        register_cm_id(id);
        return -err;
    }
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(destroyQP)(JNIEnv *env, jobject self, jlong id_handle)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_destroyQP");
    if (id == NULL) {
        return -1;
    }
    if (id->qp == NULL) {
        return -EINVAL;
    }
    handle_unregister(id->qp, HANDLE_QP);
    rdma_destroy_qp(id);
    return 0;
}

static jint copy_out_address(JNIEnv *env, jlong id_handle, jlong out, int local, const char *method)
{
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, method);
    if (id == NULL) {
        return -1;
    }
    void *target = require_address(env, out, "socket address output", method);
    if (target == NULL) {
        return -1;
    }
    struct sockaddr *address = local ? rdma_get_local_addr(id) : rdma_get_peer_addr(id);
    if (address->sa_family != AF_INET) {
        return -1; /* DiSNI models IPv4 only; it turns -1 into a null address */
    }
    memcpy(target, address, sizeof(struct sockaddr_in));
    return 0;
}

JNIEXPORT jint JNICALL DISPATCHER(getSrcAddr)(JNIEnv *env, jobject self, jlong id_handle, jlong out)
{
    (void) self;
    return copy_out_address(env, id_handle, out, 1, "_getSrcAddr");
}

JNIEXPORT jint JNICALL DISPATCHER(getDstAddr)(JNIEnv *env, jobject self, jlong id_handle, jlong out)
{
    (void) self;
    return copy_out_address(env, id_handle, out, 0, "_getDstAddr");
}

JNIEXPORT jint JNICALL DISPATCHER(destroyEp)(JNIEnv *env, jobject self, jlong id_handle)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_destroyEp");
    if (id == NULL) {
        return -1;
    }
    unregister_cm_id(id);
    rdma_destroy_ep(id); /* destroys the QP too */
    return 0;
}

/* The device context the id is bound to, or -1 while it is bound to none (DiSNI then reports no context). */
JNIEXPORT jlong JNICALL DISPATCHER(getContext)(JNIEnv *env, jobject self, jlong id_handle)
{
    (void) self;
    struct rdma_cm_id *id = require_handle(env, id_handle, HANDLE_CM_ID, "_getContext");
    if (id == NULL) {
        return -1;
    }
    if (id->verbs == NULL) {
        return -1;
    }
    handle_register(id->verbs, HANDLE_CONTEXT);
    return HANDLE_TO_JLONG(id->verbs);
}
