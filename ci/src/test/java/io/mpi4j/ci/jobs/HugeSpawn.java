package io.mpi4j.ci.jobs;

import mpi.Info;
import mpi.Intercomm;
import mpi.MPI;

/**
 * Spawns far larger than any launcher serves, under ERRORS_RETURN: each must fail with ERR_SPAWN on every parent,
 * leave the parents usable and the launcher unaffected, which a real spawn afterwards shows. Prints "OK".
 */
public final class HugeSpawn
{
    private static final String CHILD = SpawnChild.class.getName();

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final String[] echo = { CHILD, "echo" };
        Expect.error(MPI.ERR_SPAWN, "maxprocs 2^20+1",
            () -> MPI.COMM_WORLD.spawn("java", echo, (1 << 20) + 1, MPI.INFO_NULL, 0, null));
        final int[] codes = new int[2_000_000];
        Expect.error(MPI.ERR_SPAWN, "maxprocs 2,000,000",
            () -> MPI.COMM_WORLD.spawn("java", echo, codes.length, MPI.INFO_NULL, 0, codes));
        Expect.that(codes[0] == MPI.ERR_SPAWN && codes[codes.length - 1] == MPI.ERR_SPAWN,
            "every errcode of a refused spawn is ERR_SPAWN");
        Expect.error(MPI.ERR_SPAWN, "maxprocs Integer.MAX_VALUE",
            () -> MPI.COMM_WORLD.spawn("java", echo, Integer.MAX_VALUE, MPI.INFO_NULL, 0, null));
        final Info soft = new Info();
        soft.set("soft", "1:100000");
        Expect.error(MPI.ERR_SPAWN, "soft 1:100000",
            () -> MPI.COMM_WORLD.spawn("java", echo, 100_000, soft, 0, null));
        final Info widest = new Info();
        widest.set("soft", "1:" + Integer.MAX_VALUE);
        Expect.error(MPI.ERR_SPAWN, "soft 1:Integer.MAX_VALUE",
            () -> MPI.COMM_WORLD.spawn("java", echo, Integer.MAX_VALUE, widest, 0, null));
        Expect.error(MPI.ERR_SPAWN, "spawn_multiple whose total overflows an int",
            () -> MPI.COMM_WORLD.spawnMultiple(new String[]{ "java", "java" }, new String[][]{ echo, echo },
                new int[]{ Integer.MAX_VALUE, Integer.MAX_VALUE }, new Info[]{ MPI.INFO_NULL, MPI.INFO_NULL }, 0,
                null));
        final Intercomm inter = MPI.COMM_WORLD.spawn("java", echo, 1, MPI.INFO_NULL, 0, null);
        SpawnParent.exchange(inter, 1, null);
        inter.disconnect();
        System.out.println("OK");
        MPI.Finalize();
    }
}
