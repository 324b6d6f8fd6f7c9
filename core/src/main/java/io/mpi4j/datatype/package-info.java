/**
 * The datatype engine, independent of the {@code mpi} facade: type maps in bytes ({@link io.mpi4j.datatype.TypeMap}:
 * the constructors of MPI's derived datatypes, bounds, and a flattened form of runs in packed order), the
 * predefined types' maps ({@link io.mpi4j.datatype.BasicTypes}), a resumable pack/unpack cursor over user memory
 * ({@link io.mpi4j.datatype.PackCursor}) for chunked transfers, and whole-buffer packing
 * ({@link io.mpi4j.datatype.Packer}). Nothing here imports package {@code mpi}.
 */
package io.mpi4j.datatype;
