package io.mpi4j.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The one thread of a process that carries out non-blocking independent file accesses, in the order they were
 * started (so two non-blocking writes to overlapping ranges land as the program issued them). A daemon: it never
 * keeps a finished program alive, and it starts only when a program first asks for a non-blocking access.
 */
final class IoThread
{
    private static volatile ExecutorService executor;

    private IoThread()
    {
    }

    static void submit(final IoOperation operation)
    {
        executor().execute(operation::execute);
    }

    private static ExecutorService executor()
    {
        ExecutorService e = executor;
        if (null == e)
        {
            synchronized (IoThread.class)
            {
                e = executor;
                if (null == e)
                {
                    e = Executors.newSingleThreadExecutor(runnable ->
                    {
                        final Thread thread = new Thread(runnable, "mpi4j-io");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor = e;
                }
            }
        }
        return e;
    }
}
