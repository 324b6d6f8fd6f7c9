package io.mpi4j.ci.jobs;

import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * ULFM recovery (run with {@code mpi4jrun --enable-recovery}): every rank loops args[0] allreduces (sum of world
 * rank + 1), blocking or, with args[3] "nonblocking", iAllReduce then a barrier by iBarrier, both waited for; rank
 * args[2] halts itself (status 7) at iteration args[1]. Survivors must see MPI_ERR_PROC_FAILED or
 * MPI_ERR_REVOKED, revoke, shrink, redo the iteration on the shrunk communicator and finish the loop with the sum
 * over the survivors. Then point-to-point with the dead rank on a duplicate made before the failure fails with
 * ERR_PROC_FAILED (ERR_PROC_FAILED_PENDING for a wildcard receive until failureAck), and agree works on the revoked
 * world and on the shrunk communicator. Probes for the dead rank fail the same way.
 */
public final class ShrinkAfterFailure
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final int size = world.getSize();
        final int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        final int killAt = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        final int victim = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        final boolean nonBlocking = args.length > 3 && "nonblocking".equals(args[3]);
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        final Intracomm spare = world.dup();

        Intracomm comm = world;
        boolean shrunk = false;
        int errors = 0;
        for (int i = 0; i < iterations; )
        {
            if (rank == victim && i == killAt)
            {
                System.out.println("DYING_AT " + System.currentTimeMillis());
                System.out.flush();
                Runtime.getRuntime().halt(7);
            }
            final int[] out = new int[1];
            try
            {
                if (nonBlocking)
                {
                    comm.iAllReduce(new int[]{ rank + 1 }, out, 1, MPI.INT, MPI.SUM).waitFor();
                    comm.iBarrier().waitFor();
                }
                else
                {
                    comm.allReduce(new int[]{ rank + 1 }, out, 1, MPI.INT, MPI.SUM);
                }
                final int expected = size * (size + 1) / 2 - (shrunk ? victim + 1 : 0);
                Expect.equal(expected, out[0], "sum of iteration " + i + (shrunk ? " after the shrink" : ""));
                i++;
            }
            catch (final MPIException e)
            {
                final int error = e.getErrorClass();
                Expect.that(error == MPI.ERR_PROC_FAILED || error == MPI.ERR_REVOKED,
                    "iteration " + i + ": error class " + error + " (" + e.getMessage() + ")");
                Expect.that(!shrunk, "a second failure after the shrink: " + e.getMessage());
                Expect.that(e.getMessage() != null && !e.getMessage().isBlank(), "error without a message");
                System.out.println("ERROR " + (error == MPI.ERR_PROC_FAILED ? "PROC_FAILED" : "REVOKED") + " at " + i);
                errors++;
                comm.revoke();
                comm = comm.shrink();
                shrunk = true;
                Expect.equal(size - 1, comm.getSize(), "size of the shrunk communicator");
                Expect.equal(rank < victim ? rank : rank - 1, comm.getRank(), "rank in the shrunk communicator");
            }
        }
        Expect.equal(1, errors, "failures seen");
        Expect.that(world.isRevoked(), "the world is revoked");
        Expect.that(!comm.isRevoked(), "the shrunk communicator is not revoked");
        Expect.equal(1, world.getFailed().getSize(), "failed processes of the world");
        Expect.error(MPI.ERR_REVOKED, "barrier on the revoked world", world::barrier);

        // A communicator untouched by the revoke: point-to-point with the dead rank fails, it never hangs.
        final int[] v = new int[1];
        Expect.error(MPI.ERR_PROC_FAILED, "recv from the dead rank", () -> spare.recv(v, 1, MPI.INT, victim, 0));
        Expect.error(MPI.ERR_PROC_FAILED, "send to the dead rank", () -> spare.send(v, 1, MPI.INT, victim, 0));
        Expect.error(MPI.ERR_PROC_FAILED_PENDING, "wildcard recv before failureAck",
            () -> spare.recv(v, 1, MPI.INT, MPI.ANY_SOURCE, 0));
        Expect.error(MPI.ERR_PROC_FAILED, "probe for the dead rank", () -> spare.probe(victim, 0));
        Expect.error(MPI.ERR_PROC_FAILED, "iprobe for the dead rank", () -> spare.iProbe(victim, 0));
        Expect.error(MPI.ERR_PROC_FAILED_PENDING, "wildcard probe before failureAck",
            () -> spare.probe(MPI.ANY_SOURCE, 0));
        final Request pending = spare.iRecv(v, 1, MPI.INT, victim, 1);
        Expect.error(MPI.ERR_PROC_FAILED, "irecv from the dead rank", pending::waitFor);
        spare.failureAck();
        // After the acknowledgement a wildcard receive waits for live senders again.
        final int next = (comm.getRank() + 1) % comm.getSize();
        final int prev = (comm.getRank() + comm.getSize() - 1) % comm.getSize();
        final int nextWorld = next < victim ? next : next + 1;
        final Request wildcard = spare.iRecv(v, 1, MPI.INT, MPI.ANY_SOURCE, 5);
        spare.send(new int[]{ rank }, 1, MPI.INT, nextWorld, 5);
        wildcard.waitFor();
        final int prevWorld = prev < victim ? prev : prev + 1;
        Expect.equal(prevWorld, v[0], "wildcard receive after failureAck");

        Expect.equal(0b01, comm.agree(comm.getRank() == 0 ? 0b01 : 0b11), "agree on the shrunk communicator");
        Expect.error(MPI.ERR_PROC_FAILED, "agree on the world before failureAck", () -> world.agree(1));
        world.failureAck();
        Expect.equal(0b100, world.agree(0b110 ^ (comm.getRank() == 0 ? 0b010 : 0)), "agree on the world after failureAck");
        System.out.println("OK rank " + rank + " survivors " + comm.getSize() + " errors " + errors);
        MPI.Finalize();
    }
}
