package io.mpi4j.shm;

import java.nio.file.Files;

/** Opens a transport and exits without closing it: the shutdown hook must remove the inbox. */
public final class ShmExitWithoutClose
{
    private ShmExitWithoutClose()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final ShmTransport transport = ShmTestSupport.open(args[0], 0, ShmTestSupport.configuration(4096, 1));
        if (!Files.exists(ShmAddress.path(transport.address())))
        {
            System.exit(2);
        }
        System.exit(0);
    }
}
