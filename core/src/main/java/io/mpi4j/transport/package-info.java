/**
 * Transport SPI: frames and connections between processes. Transports know frames, addresses and memory, never
 * ranks, tags or communicators; the point-to-point layer above owns matching and protocols.
 */
package io.mpi4j.transport;
