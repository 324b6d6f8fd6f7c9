package mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;

import org.junit.jupiter.api.Test;

/**
 * Collective calls as a program written against Open MPI's Java binding v5.0.x makes them: that it compiles is
 * the test. It runs only up to the first MPI call, which fails because no job is running.
 */
class CollectiveSourceCompatibilityTest
{
    static void program(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        final int size = world.getSize();
        final int[] a = new int[4 * size];
        final int[] b = new int[4 * size];
        final int[] counts = new int[size];
        final int[] displs = new int[size];
        world.bcast(a, 4, MPI.INT, 0);
        world.reduce(a, b, 4, MPI.INT, MPI.SUM, 0);
        world.reduce(a, 4, MPI.INT, MPI.MAX, 0);
        world.allReduce(a, b, 4, MPI.INT, MPI.MIN);
        world.allReduce(a, 4, MPI.INT, MPI.BXOR);
        world.gather(a, 1, MPI.INT, b, 1, MPI.INT, 0);
        world.gather(a, 1, MPI.INT, 0);
        world.gatherv(a, 1, MPI.INT, b, counts, displs, MPI.INT, 0);
        world.gatherv(b, counts, displs, MPI.INT, 0);
        world.gatherv(a, 1, MPI.INT, 0);
        world.scatter(a, 1, MPI.INT, b, 1, MPI.INT, 0);
        world.scatter(a, 1, MPI.INT, 0);
        world.scatterv(a, counts, displs, MPI.INT, b, 1, MPI.INT, 0);
        world.scatterv(a, counts, displs, MPI.INT, 0);
        world.scatterv(b, 1, MPI.INT, 0);
        world.allGather(a, 1, MPI.INT, b, 1, MPI.INT);
        world.allGather(b, 1, MPI.INT);
        world.allGatherv(a, 1, MPI.INT, b, counts, displs, MPI.INT);
        world.allGatherv(b, counts, displs, MPI.INT);
        world.allToAll(a, 1, MPI.INT, b, 1, MPI.INT);
        world.allToAllv(a, counts, displs, MPI.INT, b, counts, displs, MPI.INT);
        world.reduceScatter(a, b, counts, MPI.INT, MPI.SUM);
        world.reduceScatter(a, counts, MPI.INT, MPI.SUM);
        world.reduceScatterBlock(a, b, 1, MPI.INT, MPI.PROD);
        world.reduceScatterBlock(a, 1, MPI.INT, MPI.PROD);
        world.scan(a, b, 4, MPI.INT, MPI.SUM);
        world.scan(a, 4, MPI.INT, MPI.SUM);
        world.exScan(a, b, 4, MPI.INT, MPI.SUM);
        world.exScan(a, 4, MPI.INT, MPI.SUM);

        final IntBuffer ib = MPI.newIntBuffer(4 * size);
        final IntBuffer ob = MPI.newIntBuffer(4 * size);
        final DoubleBuffer pairs = MPI.newDoubleBuffer(8);
        final Request[] requests = {
            world.iBarrier(),
            world.iBcast(ib, 4, MPI.INT, 0),
            world.iReduce(ib, ob, 4, MPI.INT, MPI.LAND, 0),
            world.iReduce(ib, 4, MPI.INT, MPI.LOR, 0),
            world.iAllReduce(ib, ob, 4, MPI.INT, MPI.LXOR),
            world.iAllReduce(ib, 4, MPI.INT, MPI.BAND),
            world.iAllGather(ib, 1, MPI.INT, ob, 1, MPI.INT),
            world.iAllGather(ob, 1, MPI.INT),
            world.iAllToAll(ib, 1, MPI.INT, ob, 1, MPI.INT),
        };
        Request.waitAll(requests);

        final ByteBuffer loc = MPI.newByteBuffer(16);
        world.allReduce(loc, MPI.newByteBuffer(16), 1, MPI.DOUBLE_INT, MPI.MAXLOC);
        world.allReduce(new int[2], new int[2], 1, MPI.INT2, MPI.MINLOC);
        final Datatype[] pairTypes = {MPI.SHORT_INT, MPI.LONG_INT, MPI.FLOAT_INT, MPI.DOUBLE_INT, MPI.INT2};
        final Op bor = MPI.BOR;

        final Op user = new Op(new UserFunction()
        {
            @Override
            public void call(final Object inVec, final Object inOutVec, final int count, final Datatype datatype)
                throws MPIException
            {
                final double[] in = (double[])inVec;
                final double[] io = (double[])inOutVec;
                for (int i = 0; i < count; i++)
                {
                    io[i] += in[i];
                }
            }
        }, true);
        world.allReduce(pairs, MPI.newDoubleBuffer(8), 8, MPI.DOUBLE, user);
        final boolean commutes = user.isCommutative();
        user.free();
        MPI.Finalize();
    }

    @Test
    void openMpiCollectiveProgramCompiles()
    {
        final MPIException ex = assertThrows(MPIException.class, () -> program(new String[0]));
        assertEquals(MPI.ERR_OTHER, ex.getErrorClass());
    }

    @Test
    void predefinedOperatorsAreCommutativeAndNotFreeable()
    {
        assertFalse(MPI.SUM.isNull());
        assertEquals(true, MPI.MAXLOC.isCommutative());
        assertFalse(new Op(new UserFunction()
        {
        }, false).isCommutative());
    }
}
