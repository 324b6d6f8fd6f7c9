package mpi;

import io.mpi4j.coll.CollectiveSchedule;
import io.mpi4j.datatype.Packer;
import io.mpi4j.errors.ErrorClass;

import java.util.ArrayList;

/**
 * Non-contiguous datatypes in collectives: the collective algorithms move {@code (base, address, bytes)} ranges and
 * place block {@code i} at {@code i * byteSize}, which is exactly where item {@code i} lies in the packed form of a
 * buffer. So each non-contiguous buffer is packed into a byte array first (its current content, so that items the
 * collective does not write and in-place data survive), the collective runs on the packed copies with
 * {@link Datatype#packedForm()}, and the buffers that receive are unpacked when it is done: at once for a blocking
 * call, as a last local step of the schedule for a non-blocking one. Contiguous types never come here.
 * <p>
 * A buffer given twice (in place) is staged once. A buffer that does not pass {@link UserBuffer#verify} is left as
 * it is, with its own type, so that the collective's checks report the error as they would without staging.
 */
final class CollectiveStaging
{
    /** The staging of the non-blocking collective being set up on this thread, for {@link #attach}. */
    private static final ThreadLocal<CollectiveStaging> STARTING = new ThreadLocal<>();

    private static final class Stage
    {
        Object user;
        Datatype type;
        int count;
        byte[] packed;
        boolean receives;
    }

    private final ArrayList<Stage> stages = new ArrayList<>(2);
    private final boolean blocking;

    private CollectiveStaging(final boolean blocking)
    {
        this.blocking = blocking;
    }

    /** A staging if any of {@code types} is non-contiguous (null entries ignored), else null. */
    static CollectiveStaging of(final boolean blocking, final Datatype... types)
    {
        for (final Datatype type : types)
        {
            if (null != type && type.isUsable() && null != type.layout())
            {
                return new CollectiveStaging(blocking);
            }
        }
        return null;
    }

    /**
     * The buffer the collective works on in place of {@code buf}: a packed copy of {@code count} items of
     * {@code type} if the type is non-contiguous and the buffer holds them, else {@code buf} itself.
     *
     * @param receives whether the collective may write it (it is unpacked back when done)
     */
    Object buffer(final Object buf, final long count, final Datatype type, final boolean receives)
    {
        final Stage stage = stage(buf, count, type, receives);
        return null == stage ? buf : stage.packed;
    }

    /** The datatype that goes with {@link #buffer}'s answer for the same arguments. */
    Datatype type(final Object buf, final long count, final Datatype type)
    {
        return null == find(buf, type) ? type : type.packedForm();
    }

    private Stage stage(final Object buf, final long count, final Datatype type, final boolean receives)
    {
        if (null == buf || null == type || !type.isUsable() || null == type.layout() || count <= 0 ||
            count > Integer.MAX_VALUE)
        {
            return null;
        }
        Stage stage = find(buf, type);
        if (null != stage && stage.count >= count)
        {
            stage.receives |= receives;
            return stage;
        }
        if (ErrorClass.SUCCESS != UserBuffer.verify(buf, (int)count, type) ||
            type.typeMap().packedSize(count) > Integer.MAX_VALUE - 16)
        {
            return null;
        }
        if (null == stage)
        {
            stage = new Stage();
            stage.user = buf;
            stage.type = type;
            stages.add(stage);
        }
        stage.count = (int)count;
        stage.receives |= receives;
        stage.packed = new byte[(int)type.typeMap().packedSize(count)];
        Packer.pack(type.typeMap(), count, UserBuffer.base(buf), UserBuffer.address(buf), stage.packed, 0);
        return stage;
    }

    private Stage find(final Object buf, final Datatype type)
    {
        for (final Stage stage : stages)
        {
            if (stage.user == buf && stage.type == type)
            {
                return stage;
            }
        }
        return null;
    }

    /**
     * Runs {@code call} (the collective on the staged buffers) and unpacks the receiving buffers after it: now if
     * blocking, else when the schedule completes.
     */
    Request run(final Call call) throws MPIException
    {
        if (blocking)
        {
            final Request request = call.run();
            unpack();
            return request;
        }
        STARTING.set(this);
        try
        {
            return call.run();
        }
        finally
        {
            STARTING.remove();
        }
    }

    /**
     * Called with every schedule about to start: if a non-blocking collective on staged buffers is being set up
     * on this thread, its last step unpacks them.
     */
    static void attach(final CollectiveSchedule schedule)
    {
        final CollectiveStaging staging = STARTING.get();
        if (null != staging)
        {
            STARTING.remove();
            schedule.endRound().local(staging::unpack);
        }
    }

    private void unpack()
    {
        for (final Stage stage : stages)
        {
            if (stage.receives)
            {
                Packer.unpack(stage.packed, 0, stage.type.typeMap(), stage.count, UserBuffer.base(stage.user),
                    UserBuffer.address(stage.user));
            }
        }
    }

    /** The collective call made on the staged buffers. */
    interface Call
    {
        Request run() throws MPIException;
    }

    /** Items {@code max(displs[i] + counts[i])} of a v-variant's buffer, or -1 when the arrays are not valid. */
    static long extentOf(final int[] counts, final int[] displs, final int p)
    {
        if (null == counts || counts.length < p || (null != displs && displs.length < p))
        {
            return -1;
        }
        long items = 0;
        for (int i = 0; i < p; i++)
        {
            if (counts[i] < 0 || (null != displs && displs[i] < 0))
            {
                return -1;
            }
            items = Math.max(items, (long)(null == displs ? 0 : displs[i]) + counts[i]);
        }
        return items;
    }

    /** The sum of {@code counts[0..p)}, or -1 when the array is not valid. */
    static long sumOf(final int[] counts, final int p)
    {
        if (null == counts || counts.length < p)
        {
            return -1;
        }
        long sum = 0;
        for (int i = 0; i < p; i++)
        {
            if (counts[i] < 0)
            {
                return -1;
            }
            sum += counts[i];
        }
        return sum;
    }
}
