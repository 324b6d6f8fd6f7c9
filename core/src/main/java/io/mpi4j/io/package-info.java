/**
 * Parallel I/O ({@code MPI_File}) below the {@code mpi} facade: access modes ({@link io.mpi4j.io.AccessMode}), the
 * mapping of a file view onto byte ranges of the file ({@link io.mpi4j.io.ViewLayout}, {@link io.mpi4j.io.Segments}),
 * an open file and its independent accesses ({@link io.mpi4j.io.OpenFile}), the shared file pointer
 * ({@link io.mpi4j.io.SharedFilePointer}), collective two-phase accesses through aggregators
 * ({@link io.mpi4j.io.TwoPhaseIo}) and the collectives they use on the file's own communicator
 * ({@link io.mpi4j.io.FileCollectives}). Files are Java NIO {@code FileChannel}s with positional reads and writes;
 * every rank opens the file itself, so ranks on several nodes need a shared file system. Nothing here imports
 * package {@code mpi}; failures are {@link io.mpi4j.errors.MpiError}s with the MPI error class.
 */
package io.mpi4j.io;
