package io.mpi4j.launcher;

import java.util.List;

/**
 * JVM flags every process running mpi4j needs: Agrona reaches {@code jdk.internal.misc.Unsafe}, and the RDMA
 * transport reaches {@code sun.nio.ch}. The same list as the build's {@code mpi4j.jvm.flags} property.
 */
public final class RuntimeJvmFlags
{
    public static final List<String> FLAGS = List.of(
        "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED");

    private RuntimeJvmFlags()
    {
    }
}
