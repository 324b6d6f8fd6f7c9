/**
 * TCP transport: each process listens on one address (published with a per-process key through the key-value
 * exchange) and opens one non-blocking socket per peer it sends to. Frames travel as length-prefixed records
 * ({@link io.mpi4j.tcp.FrameRecord}) claimed in a bounded direct send buffer and written without a copy; an accepted
 * socket must answer a challenge ({@link io.mpi4j.tcp.TcpHandshake}) before any of its bytes are read as frames.
 * Settings: {@link io.mpi4j.tcp.TcpConfiguration}.
 */
package io.mpi4j.tcp;
