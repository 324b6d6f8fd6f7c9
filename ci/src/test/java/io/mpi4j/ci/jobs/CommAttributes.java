package io.mpi4j.ci.jobs;

import java.util.ArrayList;
import java.util.List;

import mpi.Comm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;

/** Attribute caching rules, one per run: {@code args[0]} names the rule. */
public final class CommAttributes
{
    private static final List<String> EVENTS = new ArrayList<>();

    public static void main(final String[] args) throws Exception
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        final int rank = world.getRank();
        final String rule = args[0];
        switch (rule)
        {
            case "copy-per-attribute": copyPerAttribute(world); break;
            case "copy-throws": copyThrows(world); break;
            case "delete-callbacks": deleteCallbacks(world); break;
            case "delete-throws": deleteThrows(world); break;
            case "freed-keyval": freedKeyval(world); break;
            case "delete-reentrant": deleteReentrant(world); break;
            case "finalize-order": finalizeOrder(world, rank); break;
            case "predefined": predefined(world); break;
            default: throw new AssertionError("unknown rule " + rule);
        }
        if (!"finalize-order".equals(rule))
        {
            System.out.println("OK " + rule + " rank=" + rank);
        }
        MPI.Finalize();
    }

    private static void copyPerAttribute(final Intracomm world) throws MPIException
    {
        final int ompi = Comm.createKeyval();
        final int dupFn = Comm.createKeyval(Comm.DUP_FN, Comm.NULL_DELETE_FN, null);
        final int nullCopy = Comm.createKeyval(Comm.NULL_COPY_FN, Comm.NULL_DELETE_FN, null);
        final int doubling = Comm.createKeyval((old, k, extra, v) -> (Integer)v * (Integer)extra, null, 2);
        final int choosy = Comm.createKeyval((old, k, extra, v) -> "keep".equals(v) ? v : Comm.NO_COPY, null, null);
        final int seesOld = Comm.createKeyval((old, k, extra, v) -> old == world ? "old-is-world" : "wrong", null, null);
        final Intracomm base = world.dup();
        final Object shared = new Object();
        world.setAttr(ompi, "ompi");
        world.setAttr(dupFn, shared);
        world.setAttr(nullCopy, "gone");
        world.setAttr(doubling, 21);
        world.setAttr(choosy, "drop");
        world.setAttr(seesOld, "x");
        base.setAttr(choosy, "keep");
        final Intracomm dup = world.dup();
        Expect.that("ompi".equals(dup.getAttr(ompi)), "Open MPI keyval copies the value");
        Expect.that(shared == dup.getAttr(dupFn), "DUP_FN copies the same reference");
        Expect.that(null == dup.getAttr(nullCopy), "NULL_COPY_FN leaves the attribute out");
        Expect.that(Integer.valueOf(42).equals(dup.getAttr(doubling)), "copy callback value with extra state");
        Expect.that(null == dup.getAttr(choosy), "copy callback returning NO_COPY");
        Expect.that("old-is-world".equals(dup.getAttr(seesOld)), "copy callback gets the old communicator");
        final Intracomm dupBase = base.dup();
        Expect.that("keep".equals(dupBase.getAttr(choosy)), "per-attribute decision on another comm");
        Expect.that(null == dupBase.getAttr(ompi), "attributes belong to one communicator");
        Expect.that("ompi".equals(dup.dup().getAttr(ompi)), "dup of a dup copies again");
        dup.free();
        dupBase.free();
        base.free();
    }

    private static int contextsInUse() throws Exception
    {
        final java.lang.reflect.Field f = Class.forName("mpi.CommSupport").getDeclaredField("CONTEXTS");
        f.setAccessible(true);
        return ((io.mpi4j.comm.ContextIdAllocator)f.get(null)).inUse();
    }

    private static void copyThrows(final Intracomm world) throws Exception
    {
        final int fine = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> EVENTS.add("deleted " + v), null);
        final int failing = Comm.createKeyval((old, k, extra, v) ->
        {
            throw new MPIException(MPI.ERR_ARG, "copy refused");
        }, null, null);
        final Intracomm comm = world.dup();
        comm.setAttr(fine, "a");
        comm.setAttr(failing, "b");
        final int before = contextsInUse();
        for (int i = 0; i < 200; i++)
        {
            Expect.error(MPI.ERR_ARG, "dup with a failing copy callback", comm::dup);
        }
        Expect.equal(before, contextsInUse(), "context ids in use after failed dups");
        Expect.that(EVENTS.isEmpty(), "no delete callbacks for a dup that never existed: " + EVENTS);
        Expect.that("a".equals(comm.getAttr(fine)) && "b".equals(comm.getAttr(failing)), "source unchanged");
        comm.deleteAttr(failing);
        final Intracomm ok = comm.dup();
        Expect.that("a".equals(ok.getAttr(fine)), "dup works once the failing attribute is gone");
        ok.free();
        comm.free();
        Expect.equal(before - 1, contextsInUse(), "context ids in use after frees");
    }

    private static void deleteCallbacks(final Intracomm world) throws MPIException
    {
        final int key = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> EVENTS.add(e + ":" + v + ":" +
            (c.isNull() ? "null" : "live")), "x");
        final Intracomm comm = world.dup();
        comm.setAttr(key, 1);
        comm.setAttr(key, 2);
        Expect.that(List.of("x:1:live").equals(EVENTS), "overwrite deletes the old value: " + EVENTS);
        comm.deleteAttr(key);
        Expect.that(List.of("x:1:live", "x:2:live").equals(EVENTS), "deleteAttr: " + EVENTS);
        Expect.that(null == comm.getAttr(key), "deleted");
        comm.setAttr(key, 3);
        final Intracomm dup = comm.dup();
        comm.free();
        Expect.that(List.of("x:1:live", "x:2:live", "x:3:live").equals(EVENTS), "free: " + EVENTS);
        dup.free();
        Expect.equal(4, EVENTS.size(), "free of the dup deletes its copy");
    }

    private static void deleteThrows(final Intracomm world) throws MPIException
    {
        final boolean[] refuse = { true };
        final int key = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) ->
        {
            if (refuse[0])
            {
                throw new MPIException(MPI.ERR_OTHER, "delete refused");
            }
        }, null);
        final Intracomm comm = world.dup();
        comm.setAttr(key, "v1");
        Expect.error(MPI.ERR_OTHER, "deleteAttr", () -> comm.deleteAttr(key));
        Expect.that("v1".equals(comm.getAttr(key)), "attribute stays after a failed delete");
        Expect.error(MPI.ERR_OTHER, "overwrite", () -> comm.setAttr(key, "v2"));
        Expect.that("v1".equals(comm.getAttr(key)), "attribute stays after a failed overwrite");
        Expect.error(MPI.ERR_OTHER, "free", comm::free);
        Expect.that(!comm.isNull(), "communicator stays after a failed free");
        Expect.that("v1".equals(comm.getAttr(key)), "attribute stays after a failed free");
        comm.barrier();
        refuse[0] = false;
        comm.free();
        Expect.that(comm.isNull(), "freed once the callback agrees");
    }

    private static void freedKeyval(final Intracomm world) throws MPIException
    {
        final int key = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> EVENTS.add("del " + v), null);
        final Intracomm comm = world.dup();
        comm.setAttr(key, "a");
        world.setAttr(key, "w");
        Comm.freeKeyval(key);
        Expect.error(MPI.ERR_KEYVAL, "free twice", () -> Comm.freeKeyval(key));
        Expect.that("a".equals(comm.getAttr(key)), "freed keyval still reads");
        final Intracomm dup = comm.dup();
        Expect.that("a".equals(dup.getAttr(key)), "freed keyval still copies");
        Expect.error(MPI.ERR_KEYVAL, "set on a freed keyval", () -> comm.setAttr(key, "b"));
        dup.free();
        comm.deleteAttr(key);
        world.deleteAttr(key);
        Expect.that(List.of("del a", "del a", "del w").equals(EVENTS), "delete callbacks of a freed key: " + EVENTS);
        Expect.error(MPI.ERR_KEYVAL, "get after the last attribute", () -> comm.getAttr(key));
        Expect.error(MPI.ERR_KEYVAL, "unknown key get", () -> world.getAttr(12345));
        Expect.error(MPI.ERR_KEYVAL, "unknown key set", () -> world.setAttr(12345, 1));
        Expect.error(MPI.ERR_KEYVAL, "unknown key delete", () -> world.deleteAttr(12345));
        Expect.error(MPI.ERR_KEYVAL, "unknown key free", () -> Comm.freeKeyval(12345));
        comm.free();
    }

    private static void deleteReentrant(final Intracomm world) throws MPIException
    {
        final int[] keys = new int[3];
        for (int i = 0; i < keys.length; i++)
        {
            final int next = i;
            keys[i] = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) ->
            {
                EVENTS.add("del " + v);
                // the first key's callback deletes the other two
                if (next == 0)
                {
                    c.deleteAttr(keys[1]);
                    c.deleteAttr(keys[2]);
                }
            }, null);
        }
        final Intracomm comm = world.dup();
        for (int i = 0; i < 3; i++)
        {
            comm.setAttr(keys[i], i);
        }
        comm.deleteAttr(keys[0]);
        Expect.that(List.of("del 0", "del 1", "del 2").equals(EVENTS), "deleteAttr re-entry: " + EVENTS);
        EVENTS.clear();
        comm.setAttr(keys[1], 1);
        comm.setAttr(keys[0], 0);
        comm.setAttr(keys[2], 2);
        comm.free();
        Expect.equal(3, EVENTS.size(), "each attribute deleted once on free: " + EVENTS);
        Expect.that(EVENTS.get(0).equals("del 2"), "last set first: " + EVENTS);
    }

    private static void finalizeOrder(final Intracomm world, final int rank) throws MPIException
    {
        final List<String> expected = List.of("self:c", "self:a", "world:z", "world:y", "world:x");
        final int key1 = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> record(rank, expected, (String)v), null);
        final int key2 = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> record(rank, expected, (String)v), null);
        final int key3 = Comm.createKeyval(Comm.DUP_FN, (c, k, v, e) -> record(rank, expected, (String)v), null);
        world.setAttr(key1, "world:x");
        world.setAttr(key2, "world:y");
        world.setAttr(key3, "world:z");
        MPI.COMM_SELF.setAttr(key2, "self:a");
        MPI.COMM_SELF.setAttr(key1, "self:c");
    }

    private static void record(final int rank, final List<String> expected, final String value)
    {
        EVENTS.add(value);
        if (EVENTS.size() == expected.size())
        {
            Expect.that(expected.equals(EVENTS), "deleted at Finalize in reverse order of setting: " + EVENTS);
            System.out.println("OK finalize-order rank=" + rank + " " + EVENTS);
        }
    }

    private static void predefined(final Intracomm world) throws MPIException
    {
        Expect.that(((Integer)world.getAttr(MPI.TAG_UB)) >= 32767, "TAG_UB");
        Expect.that(null != world.getAttr(MPI.HOST), "HOST");
        Expect.that(null != world.getAttr(MPI.IO), "IO");
        Expect.that(world.getAttr(MPI.WTIME_IS_GLOBAL) instanceof Boolean, "WTIME_IS_GLOBAL");
        Expect.that(((Integer)world.getAttr(MPI.UNIVERSE_SIZE)) >= world.getSize(), "UNIVERSE_SIZE");
        Expect.that(null != world.getAttr(MPI.APPNUM), "APPNUM");
        Expect.that(null != world.getAttr(MPI.LASTUSEDCODE), "LASTUSEDCODE");
        final Intracomm dup = world.dup();
        Expect.that(world.getAttr(MPI.TAG_UB).equals(dup.getAttr(MPI.TAG_UB)), "TAG_UB on a dup");
        Expect.error(MPI.ERR_KEYVAL, "set a predefined attribute", () -> world.setAttr(MPI.TAG_UB, 5));
        dup.free();
    }
}
