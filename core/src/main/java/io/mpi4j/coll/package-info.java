/**
 * Collective operations written on point-to-point: algorithms ({@link io.mpi4j.coll.Collectives}) append steps to
 * a {@link io.mpi4j.coll.CollectiveSchedule} (rounds of local copies/reductions, then sends and receives in the
 * communicator's collective context, under a tag unique to the call), which the blocking facade runs to completion
 * and the non-blocking one hands to the progress engine. Reduction kernels ({@code ReductionKernels}) are flat
 * loops over raw memory per (operator, type). Nothing here imports package {@code mpi}.
 */
package io.mpi4j.coll;
