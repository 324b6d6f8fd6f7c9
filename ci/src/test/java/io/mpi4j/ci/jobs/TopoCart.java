package io.mpi4j.ci.jobs;

import mpi.CartComm;
import mpi.CartParms;
import mpi.Comm;
import mpi.MPI;
import mpi.MPIException;
import mpi.ShiftParms;

/**
 * Cartesian topologies on any number of ranks: a balanced periodic grid from createDims, values shifted around the
 * torus in every dimension with sendRecv, rows of the grid summed over point-to-point inside sub-grids, a
 * non-periodic line whose edges see PROC_NULL, a grid smaller than the job (the rest get null), dup keeping the
 * grid, and bad arguments failing with the right class while the process stays usable.
 */
public final class TopoCart
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        Expect.equal(MPI.UNDEFINED, MPI.COMM_WORLD.getTopology(), "COMM_WORLD topology");

        final int[] dims = new int[2];
        CartComm.createDims(size, dims);
        Expect.equal(size, (long)dims[0] * dims[1], "createDims product");
        Expect.that(dims[0] >= dims[1], "createDims non-increasing");

        final CartComm torus = MPI.COMM_WORLD.createCart(dims, new boolean[] {true, true}, false);
        Expect.equal(MPI.CART, torus.getTopology(), "torus topology");
        Expect.equal(size, torus.getSize(), "torus size");
        Expect.equal(2, torus.getDim(), "torus getDim");
        final CartParms parms = torus.getTopo();
        Expect.equal(2, parms.getDimCount(), "getTopo dims");
        final int me = torus.getRank();
        final int[] coords = torus.getCoords(me);
        for (int d = 0; d < 2; d++)
        {
            Expect.equal(dims[d], parms.getDim(d), "getTopo dim " + d);
            Expect.that(parms.getPeriod(d), "getTopo period " + d);
            Expect.equal(coords[d], parms.getCoord(d), "getTopo coord " + d);
        }
        Expect.equal(me, torus.getRank(coords), "rank of own coords");
        Expect.equal(me, torus.getRank(new int[] {coords[0] + dims[0], coords[1] - dims[1]}), "periodic wrap");
        for (int r = 0; r < size; r++)
        {
            Expect.equal(r, torus.getRank(torus.getCoords(r)), "coords/rank round trip " + r);
        }

        // Shift values around the torus: after dims[d] steps of +1 along d every value is home again.
        for (int d = 0; d < 2; d++)
        {
            final ShiftParms step = torus.shift(d, 1);
            final int[] there = coords.clone();
            there[d] += 1;
            Expect.equal(torus.getRank(there), step.getRankDest(), "shift dest dim " + d);
            there[d] -= 2;
            Expect.equal(torus.getRank(there), step.getRankSource(), "shift source dim " + d);
            final int[] value = {me};
            final int[] incoming = new int[1];
            for (int s = 1; s <= dims[d]; s++)
            {
                torus.sendRecv(value, 1, MPI.INT, step.getRankDest(), 7, incoming, 1, MPI.INT,
                    step.getRankSource(), 7);
                value[0] = incoming[0];
                final int[] origin = coords.clone();
                origin[d] -= s;
                Expect.equal(torus.getRank(origin), value[0], "value after " + s + " shifts along " + d);
            }
        }

        // Rows (dimension 1 kept) sum their members' world ranks with point-to-point to the row's rank 0.
        final CartComm row = torus.sub(new boolean[] {false, true});
        Expect.equal(MPI.CART, row.getTopology(), "row topology");
        Expect.equal(dims[1], row.getSize(), "row size");
        Expect.equal(1, row.getDim(), "row getDim");
        Expect.equal(coords[1], row.getRank(), "row rank is the kept coordinate");
        Expect.that(row.getTopo().getPeriod(0), "row keeps periodicity");
        long expected = 0;
        for (int c = 0; c < dims[1]; c++)
        {
            expected += torus.getRank(new int[] {coords[0], c});
        }
        final long[] mine = {me};
        if (0 == row.getRank())
        {
            long sum = me;
            final long[] got = new long[1];
            for (int r = 1; r < row.getSize(); r++)
            {
                row.recv(got, 1, MPI.LONG, r, 9);
                sum += got[0];
            }
            Expect.equal(expected, sum, "row sum");
        }
        else
        {
            row.send(mine, 1, MPI.LONG, 0, 9);
        }
        final CartComm column = torus.sub(new boolean[] {true, false});
        Expect.equal(dims[0], column.getSize(), "column size");
        Expect.equal(coords[0], column.getRank(), "column rank");
        final CartComm point = torus.sub(new boolean[] {false, false});
        Expect.equal(1, point.getSize(), "zero-dimensional sub-grid size");
        Expect.equal(0, point.getDim(), "zero-dimensional sub-grid dims");

        // A dup has the same grid and its own traffic.
        final CartComm copy = torus.dup();
        Expect.equal(MPI.CART, copy.getTopology(), "dup topology");
        Expect.equal(me, copy.getRank(), "dup rank");
        final CartParms copied = copy.getTopo();
        for (int d = 0; d < 2; d++)
        {
            Expect.equal(dims[d], copied.getDim(d), "dup dim " + d);
            Expect.equal(coords[d], copied.getCoord(d), "dup coord " + d);
        }
        final Comm asComm = torus;
        final CartComm cloned = ((CartComm)asComm).clone();
        Expect.equal(MPI.CART, cloned.getTopology(), "clone topology");
        final ShiftParms copyStep = copy.shift(1, 1);
        final int[] got = new int[1];
        copy.sendRecv(new int[] {me + 1000}, 1, MPI.INT, copyStep.getRankDest(), 3, got, 1, MPI.INT,
            copyStep.getRankSource(), 3);
        Expect.equal(copyStep.getRankSource() + 1000, got[0], "dup exchange");

        // A non-periodic line over all ranks: the ends see PROC_NULL and sendRecv with it is a no-op.
        final CartComm line = MPI.COMM_WORLD.createCart(new int[] {size}, new boolean[] {false}, true);
        final ShiftParms lineStep = line.shift(0, 1);
        Expect.equal(rank == size - 1 ? MPI.PROC_NULL : rank + 1, lineStep.getRankDest(), "line dest");
        Expect.equal(rank == 0 ? MPI.PROC_NULL : rank - 1, lineStep.getRankSource(), "line source");
        final int[] fromLeft = {-5};
        line.sendRecv(new int[] {rank}, 1, MPI.INT, lineStep.getRankDest(), 4, fromLeft, 1, MPI.INT,
            lineStep.getRankSource(), 4);
        Expect.equal(rank == 0 ? -5 : rank - 1, fromLeft[0], "line exchange");
        Expect.equal(MPI.PROC_NULL, line.shift(0, size).getRankDest(), "shift past the end");
        line.setErrhandler(MPI.ERRORS_RETURN);
        Expect.error(MPI.ERR_RANK, "getRank off a non-periodic edge", () -> line.getRank(new int[] {size}));
        Expect.error(MPI.ERR_RANK, "getCoords of a bad rank", () -> line.getCoords(size));
        Expect.error(MPI.ERR_ARG, "shift along a missing dimension", () -> line.shift(1, 1));
        Expect.error(MPI.ERR_ARG, "getRank with too many coords", () -> line.getRank(new int[] {0, 0}));
        Expect.error(MPI.ERR_ARG, "sub with a wrong-length array", () -> line.sub(new boolean[] {true, true}));
        line.free();

        // A grid smaller than the job: the last rank is left out and gets null.
        final CartComm smaller = MPI.COMM_WORLD.createCart(new int[] {size - 1, 1}, new boolean[2], false);
        if (rank == size - 1)
        {
            Expect.that(smaller.isNull(), "rank beyond the grid gets a null communicator");
            Expect.error(MPI.ERR_COMM, "use of the null communicator", () -> smaller.getTopo());
        }
        else
        {
            Expect.equal(size - 1, smaller.getSize(), "smaller grid size");
            Expect.equal(rank, smaller.getRank(), "smaller grid rank");
            smaller.free();
        }

        // Bad arguments fail on every rank alike, and COMM_WORLD stays usable.
        Expect.error(MPI.ERR_DIMS, "negative dims",
            () -> MPI.COMM_WORLD.createCart(new int[] {-1, 2}, new boolean[2], false));
        Expect.error(MPI.ERR_TOPOLOGY, "grid larger than the job",
            () -> MPI.COMM_WORLD.createCart(new int[] {size, 2}, new boolean[2], false));
        Expect.error(MPI.ERR_ARG, "dims/periods length mismatch",
            () -> MPI.COMM_WORLD.createCart(new int[] {size}, new boolean[2], false));
        Expect.error(MPI.ERR_DIMS, "createDims that cannot divide",
            () -> CartComm.createDims(size, new int[] {size + 1, 0}));
        Expect.error(MPI.ERR_DIMS, "createDims with a negative entry",
            () -> CartComm.createDims(size, new int[] {-1, 0}));
        MPI.COMM_WORLD.barrier();

        copy.free();
        cloned.free();
        row.free();
        column.free();
        point.free();
        torus.free();
        System.out.println("OK topo-cart rank=" + rank + " size=" + size + " dims=" + dims[0] + "x" + dims[1]);
        MPI.Finalize();
    }
}
