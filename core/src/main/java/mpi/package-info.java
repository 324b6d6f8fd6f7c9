/**
 * The MPI API of mpi4j, source-compatible with Open MPI's Java binding (v5.0.x): {@link mpi.MPI} for the
 * environment and constants, {@link mpi.Comm}/{@link mpi.Intracomm} for communication, {@link mpi.Request},
 * {@link mpi.Status}, {@link mpi.Message}, {@link mpi.Datatype}, {@link mpi.Info}, {@link mpi.Group}.
 * <p>
 * These classes are thin: they check arguments, dispatch errors to the communicator's error handler and call the
 * engine in {@code io.mpi4j}. Differences from Open MPI: non-blocking calls accept arrays and heap buffers too, and
 * {@code MPI.slice} does not move the original buffer's position.
 */
package mpi;
