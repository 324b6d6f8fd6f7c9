package io.mpi4j.ci.jobs;

import mpi.MPI;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Rank 0 writes args[0] MiB of 'x' on stdout without a newline, then reports the launcher's peak resident memory
 * ("LAUNCHER_HWM_KB n", read once the launcher has read nearly all of it: a pipe holds little) and ends the line.
 * Every rank prints "OK".
 */
public final class LongLine
{
    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        if (MPI.COMM_WORLD.getRank() == 0)
        {
            final byte[] mib = new byte[1 << 20];
            Arrays.fill(mib, (byte)'x');
            final int count = Integer.parseInt(args[0]);
            for (int i = 0; i < count; i++)
            {
                System.out.write(mib, 0, mib.length);
            }
            System.out.flush();
            final long launcher = ProcessHandle.current().parent().orElseThrow().pid();
            String hwm = "?";
            for (final String line : Files.readAllLines(Path.of("/proc/" + launcher + "/status")))
            {
                if (line.startsWith("VmHWM:"))
                {
                    hwm = line.substring("VmHWM:".length()).replace("kB", "").trim();
                }
            }
            System.out.println();
            System.out.println("LAUNCHER_HWM_KB " + hwm);
        }
        System.out.println("OK");
        MPI.Finalize();
    }
}
