package io.mpi4j.ci.jobs;

import java.nio.IntBuffer;

import mpi.File;
import mpi.MPI;
import mpi.MPIException;
import mpi.Win;

/**
 * Rank 1 halts while the other ranks are in a one-sided synchronisation or a collective file access (args[0]:
 * fence, lock, flush or writeAll; args[1]: a directory for writeAll's file). For lock, the victim dies holding its
 * own window's exclusive lock; for flush, run with MPI4J_RMA_PROGRESS=off so that the victim, asleep, does not
 * serve the put that rank 0's flush waits for. After writeAll the survivors close the file. Everything the survivors use returns
 * errors (ERRORS_RETURN); a survivor prints {@code ERROR <call> <class>} for the first call that fails, then a
 * world barrier that must fail too (rank 1 is gone) if nothing did before, and finalizes. A survivor must never
 * hang: either it gets an error, or the launcher ends the job naming the dead rank.
 */
public final class DieInCall
{
    private static final int INTS = 4096;
    private static final int VICTIM = 1;

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final String mode = args[0];
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final IntBuffer memory = MPI.newIntBuffer(INTS);
        final Win win = new Win(memory, INTS, 1, MPI.INFO_NULL, MPI.COMM_WORLD);
        win.setErrhandler(MPI.ERRORS_RETURN);
        final File file = "writeAll".equals(mode)
            ? new File(MPI.COMM_WORLD, args[1] + "/die-in-write", MPI.MODE_CREATE | MPI.MODE_RDWR) : null;
        final IntBuffer origin = MPI.newIntBuffer(INTS);
        for (int i = 0; i < INTS; i++)
        {
            origin.put(i, rank << 16 | i);
        }
        if (null != file)
        {
            file.setView(4L * INTS * rank, MPI.INT, MPI.INT, "native");
        }
        if ("lock".equals(mode) && VICTIM == rank)
        {
            // The victim dies holding its own window's exclusive lock: the survivors' lock requests wait for it.
            win.lock(MPI.LOCK_EXCLUSIVE, VICTIM, 0);
        }
        if ("flush".equals(mode) && 0 == rank)
        {
            // The passive epoch on the victim is open and has worked once before the victim dies.
            win.lock(MPI.LOCK_EXCLUSIVE, VICTIM, 0);
            win.put(origin, INTS, MPI.INT, VICTIM, 0, INTS, MPI.INT);
            win.flush(VICTIM);
        }
        // Every connection exists before the death, so the survivors have a peer to lose rather than one to find.
        final int[] v = new int[1];
        for (int p = 0; p < size; p++)
        {
            MPI.COMM_WORLD.sendRecv(v, 1, MPI.INT, p, 9, new int[1], 1, MPI.INT, p, 9);
        }
        MPI.COMM_WORLD.barrier();
        System.out.println("JOB " + System.getenv("MPI4J_JOB_ID"));
        System.out.println("PID " + ProcessHandle.current().pid());
        System.out.flush();
        if (VICTIM == rank)
        {
            // Long enough for the survivors to be inside their call.
            sleep(300);
            System.out.println("DYING_AT " + System.currentTimeMillis());
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
        String failed = null;
        try
        {
            call(mode, rank, size, win, file, origin);
            System.out.println("RETURNED " + mode);
        }
        catch (final MPIException e)
        {
            failed = mode;
            System.out.println("ERROR " + mode + " " + e.getErrorClass() + " " + e.getMessage());
        }
        if (null == failed)
        {
            try
            {
                MPI.COMM_WORLD.barrier();
                System.out.println("NOT REACHED: a barrier with a dead rank returned");
            }
            catch (final MPIException e)
            {
                System.out.println("ERROR barrier " + e.getErrorClass() + " " + e.getMessage());
            }
        }
        if (null != file)
        {
            // Collective, with a member gone: it may fail, but the handle is released either way.
            try
            {
                file.close();
                System.out.println("CLOSED");
            }
            catch (final MPIException e)
            {
                System.out.println("CLOSED " + e.getErrorClass() + " " + e.getMessage());
            }
        }
        System.out.println("SURVIVED rank=" + rank);
        System.out.flush();
        MPI.Finalize();
    }

    private static void call(final String mode, final int rank, final int size, final Win win, final File file,
        final IntBuffer origin) throws MPIException
    {
        final int next = (rank + 1) % size;
        switch (mode)
        {
            case "fence":
                win.fence(0);
                win.put(origin, INTS, MPI.INT, next, 0, INTS, MPI.INT);
                win.fence(0);
                break;
            case "lock":
                win.lock(MPI.LOCK_EXCLUSIVE, VICTIM, 0);
                win.put(origin, INTS, MPI.INT, VICTIM, 0, INTS, MPI.INT);
                win.unlock(VICTIM);
                break;
            case "flush":
                if (0 == rank)
                {
                    win.put(origin, INTS, MPI.INT, VICTIM, 0, INTS, MPI.INT);
                    win.flush(VICTIM);
                    win.unlock(VICTIM);
                }
                else
                {
                    win.lock(MPI.LOCK_SHARED, VICTIM, 0);
                    win.get(origin, INTS, MPI.INT, VICTIM, 0, INTS, MPI.INT);
                    win.flush(VICTIM);
                    win.unlock(VICTIM);
                }
                break;
            case "writeAll":
                file.writeAll(origin, INTS, MPI.INT);
                break;
            default:
                throw new IllegalArgumentException("mode " + mode);
        }
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
