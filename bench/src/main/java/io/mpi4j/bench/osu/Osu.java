package io.mpi4j.bench.osu;

import java.util.Map;
import java.util.TreeMap;

import mpi.MPIException;

/**
 * Runs an OSU micro-benchmark by its OSU name: {@code java -cp ... io.mpi4j.bench.osu.Osu osu_latency -m 1024}
 * (what {@code bin/osu} starts in every rank).
 */
public final class Osu
{
    @FunctionalInterface
    private interface Program
    {
        void main(String[] args) throws MPIException;
    }

    private static final Map<String, Program> PROGRAMS = new TreeMap<>();

    static
    {
        PROGRAMS.put(Latency.NAME, Latency::main);
        PROGRAMS.put(Bandwidth.NAME, Bandwidth::main);
        PROGRAMS.put(Bandwidth.BIDIRECTIONAL_NAME, Bandwidth::bidirectional);
        PROGRAMS.put(MultiPair.BANDWIDTH_NAME, MultiPair::main);
        PROGRAMS.put(MultiPair.LATENCY_NAME, MultiPair::latency);
        for (final Collectives.Operation operation : Collectives.Operation.values())
        {
            PROGRAMS.put(operation.programName, args -> Collectives.run(operation, args));
        }
        for (final OneSided.Operation operation : OneSided.Operation.values())
        {
            PROGRAMS.put(operation.programName, args -> OneSided.run(operation, args));
        }
        PROGRAMS.put(CollectiveWrite.NAME, CollectiveWrite::main);
    }

    private Osu()
    {
    }

    public static void main(final String[] args) throws MPIException
    {
        final Program program = args.length == 0 ? null : PROGRAMS.get(args[0]);
        if (program == null)
        {
            System.err.println("usage: Osu <benchmark> [options]; benchmarks: " + String.join(" ", PROGRAMS.keySet()));
            System.exit(2);
            return;
        }
        final String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        program.main(rest);
    }
}
