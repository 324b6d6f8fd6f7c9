/**
 * RDMA transport over DiSNI's verbs API (with mpi4j's own libdisni, see {@code io.mpi4j.rdma.natives}).
 * <ul>
 *   <li>Addressing: {@code rdma:<IPv4>:<port>}, an rdma_cm listening id on the IP of the RDMA device's network
 *       interface ({@link io.mpi4j.rdma.RdmaDevices}); rdma_cm resolves a peer's IP to its device, route and GID.</li>
 *   <li>One reliable-connected queue pair per ordered pair of processes: the sender connects
 *       ({@link io.mpi4j.rdma.RdmaConnection}), the receiver accepts ({@link io.mpi4j.rdma.RdmaInbound}). Setup is
 *       asynchronous and driven by {@link io.mpi4j.rdma.RdmaTransport#poll}; errors fail the connection with a
 *       reason instead of hanging.</li>
 *   <li>Frames: SENDs from a registered send ring into pre-posted receive buffers, small ones inline; credit-based
 *       flow control with the receiver writing its limit into the sender's credit word by RDMA WRITE; sends
 *       signaled every quarter ring ({@link io.mpi4j.rdma.SendQueue}). Wire layouts:
 *       {@link io.mpi4j.rdma.RdmaDescriptor}.</li>
 *   <li>Rendezvous: {@link io.mpi4j.transport.RemoteMemory} by RDMA READ, with a registration cache for pinned
 *       buffers ({@link io.mpi4j.rdma.RdmaRemoteMemory}).</li>
 *   <li>Settings: {@link io.mpi4j.rdma.RdmaConfiguration}. Runtime proof on a device:
 *       {@link io.mpi4j.rdma.RdmaSelfCheck}.</li>
 * </ul>
 * Registered memory is locked: processes need a large enough {@code ulimit -l} (unlimited is usual for RDMA).
 */
package io.mpi4j.rdma;
