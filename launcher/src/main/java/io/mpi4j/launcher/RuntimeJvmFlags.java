package io.mpi4j.launcher;

import io.mpi4j.runtime.CompilerHints;
import io.mpi4j.transport.TransportProvider;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;

/**
 * JVM flags every process running mpi4j needs: Agrona reaches {@code jdk.internal.misc.Unsafe}, and the RDMA
 * transport reaches {@code sun.nio.ch} ({@link #FLAGS}, the same list as the build's {@code mpi4j.jvm.flags}
 * property), the runtime's inlining hints ({@link CompilerHints}: non-blocking calls allocate no request a program
 * does not keep), what the transports on the launcher's class path ask for (a native library path, say), and the
 * runtime's class-data archive when there is one.
 */
public final class RuntimeJvmFlags
{
    public static final List<String> FLAGS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    private static volatile List<String> base;
    private static volatile List<String> all;

    private RuntimeJvmFlags()
    {
    }

    /**
     * {@link #base()} and the options mapping the runtime's class-data archive ({@link ClassDataArchive}), if there
     * is one; computed once, so that every JVM of a job gets the same list.
     */
    public static List<String> all()
    {
        List<String> flags = all;
        if (flags == null)
        {
            final List<String> list = new ArrayList<>(base());
            list.addAll(ClassDataArchive.jvmOptions());
            flags = Collections.unmodifiableList(list);
            all = flags;
        }
        return flags;
    }

    /**
     * {@link #FLAGS}, {@link CompilerHints#JVM_OPTIONS} and every transport provider's
     * {@link TransportProvider#jvmOptions()}, computed once.
     */
    static List<String> base()
    {
        List<String> flags = base;
        if (flags == null)
        {
            final List<String> list = new ArrayList<>(FLAGS);
            list.addAll(CompilerHints.JVM_OPTIONS);
            for (final TransportProvider provider :
                ServiceLoader.load(TransportProvider.class, RuntimeJvmFlags.class.getClassLoader()))
            {
                list.addAll(provider.jvmOptions());
            }
            flags = Collections.unmodifiableList(list);
            base = flags;
        }
        return flags;
    }
}
