package io.mpi4j.ci.jobs;

import mpi.Comm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;
import mpi.Status;

/** MPI_Comm_dup semantics: pending traffic, isolation, compare, names, error handlers, free, iDup, COMM_NULL. */
public final class CommDup
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int size = world.getSize();
        final int next = (rank + 1) % size;
        final int prev = (rank - 1 + size) % size;

        // dup while a receive is pending on the source: messages never cross between a comm and its dup
        final int[] onWorld = new int[1];
        final Request pending = world.iRecv(onWorld, 1, MPI.INT, prev, 5);
        final Intracomm dup = world.dup();
        final int[] onDup = new int[1];
        final Request dupRecv = dup.iRecv(onDup, 1, MPI.INT, prev, 5);
        dup.send(new int[]{ 1000 + rank }, 1, MPI.INT, next, 5);
        world.send(new int[]{ rank }, 1, MPI.INT, next, 5);
        dupRecv.waitFor();
        pending.waitFor();
        Expect.equal(1000 + prev, onDup[0], "message on the dup");
        Expect.equal(prev, onWorld[0], "message on the source");
        System.out.println("OK dup-pending-isolation rank=" + rank);

        // a message sent on world before the dup, received after: still on world only
        world.send(new int[]{ 7 }, 1, MPI.INT, next, 9);
        final Intracomm dup2 = world.dup();
        Expect.that(null == dup2.iProbe(MPI.ANY_SOURCE, MPI.ANY_TAG), "nothing visible on the new dup");
        final Status st = world.recv(onWorld, 1, MPI.INT, prev, 9);
        Expect.equal(prev, st.getSource(), "source on world");
        dup2.free();

        // compare
        Expect.equal(MPI.IDENT, Comm.compare(world, world), "compare world world");
        Expect.equal(MPI.CONGRUENT, Comm.compare(world, dup), "compare world dup");
        final Intracomm reversed = world.split(0, size - rank);
        Expect.equal(size == 1 ? MPI.CONGRUENT : MPI.SIMILAR, Comm.compare(world, reversed), "compare reversed");
        final Intracomm half = world.split(rank % 2, rank);
        Expect.equal(size == 1 ? MPI.CONGRUENT : MPI.UNEQUAL, Comm.compare(world, half), "compare half");
        Expect.equal(size == 1 ? MPI.CONGRUENT : MPI.UNEQUAL, Comm.compare(world, MPI.COMM_SELF), "compare self");
        System.out.println("OK compare rank=" + rank);

        // names are not inherited; error handlers are
        world.setName("my-world");
        dup.setName("the-dup");
        final Intracomm dup3 = dup.dup();
        Expect.that(!"the-dup".equals(dup3.getName()), "dup must not inherit the name");
        Expect.that(dup3.getErrhandler() == MPI.ERRORS_RETURN, "dup inherits ERRORS_RETURN");
        dup.setErrhandler(MPI.ERRORS_ARE_FATAL);
        final Intracomm dup4 = dup.dup();
        Expect.that(dup4.getErrhandler() == MPI.ERRORS_ARE_FATAL, "dup inherits ERRORS_ARE_FATAL");
        dup4.setErrhandler(MPI.ERRORS_RETURN);
        dup.setErrhandler(MPI.ERRORS_RETURN);
        System.out.println("OK name-errhandler rank=" + rank);

        // clone, dupWithInfo, iDup
        final Intracomm cloned = dup.clone();
        Expect.equal(MPI.CONGRUENT, Comm.compare(cloned, dup), "clone congruent");
        final Intracomm withInfo = dup.dupWithInfo(MPI.INFO_NULL);
        Expect.equal(MPI.CONGRUENT, Comm.compare(withInfo, dup), "dupWithInfo congruent");
        final Intracomm idup = world.iDup();
        final Intracomm idup2 = world.iDup();
        idup2.getRequest().waitFor();
        idup.getRequest().waitFor();
        final int[] got = new int[1];
        idup.sendRecv(new int[]{ rank }, 1, MPI.INT, next, 3, got, 1, MPI.INT, prev, 3);
        Expect.equal(prev, got[0], "traffic on the iDup communicator");
        idup2.sendRecv(new int[]{ -rank }, 1, MPI.INT, next, 3, got, 1, MPI.INT, prev, 3);
        Expect.equal(-prev, got[0], "traffic on the second iDup communicator");
        Expect.equal(MPI.CONGRUENT, Comm.compare(idup, idup2), "iDups congruent");
        System.out.println("OK clone-idup rank=" + rank);

        // an iDup still in flight while a blocking dup and a split run on the same communicator
        final Intracomm inFlight = world.iDup();
        final Intracomm meanwhile = world.dup();
        final Intracomm halves = world.split(rank % 2, rank);
        inFlight.getRequest().waitFor();
        final Request a = inFlight.iRecv(got, 1, MPI.INT, prev, 4);
        final int[] got2 = new int[1];
        final Request b = meanwhile.iRecv(got2, 1, MPI.INT, prev, 4);
        meanwhile.send(new int[]{ 2000 + rank }, 1, MPI.INT, next, 4);
        inFlight.send(new int[]{ 3000 + rank }, 1, MPI.INT, next, 4);
        b.waitFor();
        a.waitFor();
        Expect.equal(3000 + prev, got[0], "message on the iDup communicator");
        Expect.equal(2000 + prev, got2[0], "message on the blocking dup");
        Expect.equal(MPI.UNEQUAL, Comm.compare(inFlight, meanwhile) == MPI.CONGRUENT ? MPI.UNEQUAL : -1, "congruent");
        halves.barrier();
        inFlight.free();
        meanwhile.free();
        halves.free();
        System.out.println("OK idup-in-flight rank=" + rank);

        // free: isNull and ERR_COMM from every kind of call afterwards; COMM_NULL likewise
        for (final Comm c : new Comm[]{ dup, dup3, dup4, cloned, withInfo, idup, idup2, reversed, half })
        {
            c.free();
        }
        Expect.that(dup.isNull(), "freed dup tests null");
        Expect.that(MPI.COMM_NULL.isNull(), "COMM_NULL tests null");
        for (final Comm c : new Comm[]{ dup, MPI.COMM_NULL })
        {
            Expect.error(MPI.ERR_COMM, "size", c::getSize);
            Expect.error(MPI.ERR_COMM, "rank", c::getRank);
            Expect.error(MPI.ERR_COMM, "send", () -> c.send(new int[1], 1, MPI.INT, 0, 0));
            Expect.error(MPI.ERR_COMM, "irecv", () -> c.iRecv(new int[1], 1, MPI.INT, 0, 0));
            Expect.error(MPI.ERR_COMM, "dup", c::dup);
            Expect.error(MPI.ERR_COMM, "free", c::free);
            Expect.error(MPI.ERR_COMM, "group", c::getGroup);
            Expect.error(MPI.ERR_COMM, "name", c::getName);
            Expect.error(MPI.ERR_COMM, "attr", () -> c.getAttr(MPI.TAG_UB));
            Expect.error(MPI.ERR_COMM, "barrier", c::barrier);
            Expect.error(MPI.ERR_COMM, "compare", () -> Comm.compare(c, MPI.COMM_WORLD));
        }
        Expect.error(MPI.ERR_COMM, "split", () -> ((Intracomm)MPI.COMM_NULL).split(0, 0));
        Expect.error(MPI.ERR_COMM, "free world", world::free);
        System.out.println("OK free rank=" + rank);
        MPI.Finalize();
    }
}
