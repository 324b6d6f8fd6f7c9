/**
 * Shared-memory transport: each process owns one inbox file ({@code mpi4j-<jobId>-<processIndex>} in
 * {@code /dev/shm}, mode 0600, sparse) holding a slot table and one single-producer ring per slot
 * ({@link io.mpi4j.shm.RingProducer}, {@link io.mpi4j.shm.RingConsumer}, whose consumer never zeroes what it read).
 * A sender claims a slot with a CAS and is then the ring's only producer, so frames of one connection arrive in
 * commit order without any lock; the owner polls the claimed rings round-robin. Layout: {@link io.mpi4j.shm.InboxDescriptor}.
 * Settings: {@link io.mpi4j.shm.ShmConfiguration}.
 */
package io.mpi4j.shm;
