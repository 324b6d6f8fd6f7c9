/**
 * Process topologies ({@code MPI_Cart_*}, {@code MPI_Graph_*}, {@code MPI_Dims_create}): the rank arithmetic of
 * Cartesian grids and general graphs, independent of how the communicator carrying them was built. Ranks handed
 * in are ranks of the communicator the topology is attached to; nothing here communicates.
 */
package io.mpi4j.comm.topo;
