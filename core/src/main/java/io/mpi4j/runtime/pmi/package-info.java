/**
 * Direct launch by a process manager through PMI-2 ({@code srun --mpi=pmi2}): {@link io.mpi4j.runtime.pmi.DirectLaunch}
 * reaches the manager over the inherited {@code PMI_FD} and gives {@code MPI_Init} the job's identity and a
 * {@link io.mpi4j.runtime.pmi.PmiKeyValueStore}; the wire protocol is {@code Pmi2Client} and {@code Pmi2Command}.
 */
package io.mpi4j.runtime.pmi;
