/**
 * Dynamic process management: ports ({@code MPI_Open_port}, {@code MPI_Comm_accept}, {@code MPI_Comm_connect}),
 * name publishing, {@code MPI_Comm_spawn} built on them as the C MPIs do, and {@code MPI_Comm_disconnect}.
 */
package io.mpi4j.dpm;
