package io.mpi4j.io;

import io.mpi4j.datatype.TypeMap;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.Memory;
import io.mpi4j.p2p.ScheduledOperation;
import io.mpi4j.transport.MemoryWindow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An open file ({@code MPI_File}): this process's channel on it, the group's communicator (a private duplicate),
 * the view, the individual file pointer, the shared file pointer, the atomicity flag and the hints. Offsets and
 * pointers are in etypes of the current view; data moves between the user's memory (any type map) and the file
 * through a byte staging array. Independent accesses are positional reads and writes of the view's byte ranges;
 * collective ones go through {@link TwoPhaseIo}. Collective calls agree on errors first
 * ({@link FileCollectives#agree}), so a rank whose arguments are wrong fails the call on every rank instead of
 * leaving the others waiting.
 */
public final class OpenFile
{
    /** {@code MPI_SEEK_*} (Open MPI's values). */
    public static final int SEEK_SET = 600;
    public static final int SEEK_CUR = 602;
    public static final int SEEK_END = 604;
    /** {@code MPI_DISPLACEMENT_CURRENT} (Open MPI's value): a view starting at the shared pointer. */
    public static final long DISPLACEMENT_CURRENT = -54278278;

    /** Hint naming how many processes issue a collective call's file accesses (ROMIO's name). */
    public static final String HINT_AGGREGATORS = "cb_nodes";
    /** Bytes an aggregator moves per round of a collective access (ROMIO's hint; its default, 16 MiB). */
    public static final String HINT_BUFFER_SIZE = "cb_buffer_size";
    static final int DEFAULT_BUFFER_SIZE = 16 << 20;
    /**
     * Hints (ROMIO's names) saying whether collective writes and reads go through aggregators: {@code enable}
     * whenever ranks' ranges interleave, {@code disable} never when no two ranks' pieces meet, {@code automatic}
     * (the default) unless every piece is large ({@link TwoPhaseIo#DIRECT_PIECE}).
     */
    public static final String HINT_CB_WRITE = "romio_cb_write";
    public static final String HINT_CB_READ = "romio_cb_read";
    /**
     * Largest slice of a heap array handed to the channel at once: the JDK stages heap data through a
     * per-thread direct buffer as large as the slice, which stays bounded this way.
     */
    private static final int CHUNK = 4 << 20;
    /** Largest slice of native memory handed to the channel at once (a buffer's capacity is an int). */
    private static final int MAX_SLICE = 1 << 30;
    /** Native memory of the calling thread's access, as the buffer the channel takes. */
    private static final ThreadLocal<MemoryWindow> WINDOWS = ThreadLocal.withInitial(MemoryWindow::new);
    /** Ranks per aggregator when the hint does not say. */
    private static final int RANKS_PER_AGGREGATOR = 4;
    /** Atomic accesses of one JVM are serialised here: FileChannel locks are per process, not per thread. */
    private static final Object ATOMIC_IN_PROCESS = new Object();

    private final FileCollectives coll;
    private final Path path;
    private final FileChannel channel;
    private final int amode;
    private final SharedFilePointer shared;
    private final Map<String, String> hints = new LinkedHashMap<>();
    private final Segments segments = new Segments();
    private ViewLayout view = ViewLayout.DEFAULT;
    private long individual;
    private volatile boolean atomic;
    private volatile boolean closed;
    /** Non-blocking transfers started and not yet finished on the {@link IoThread}; guarded by {@code this}. */
    private int transfers;

    /** Files this process has open: {@code MPI_Finalize} closes those a program left open. */
    private static final Set<OpenFile> OPEN = ConcurrentHashMap.newKeySet();

    private OpenFile(final FileCollectives coll, final Path path, final FileChannel channel, final int amode,
        final SharedFilePointer shared, final Map<String, String> hints)
    {
        this.coll = coll;
        this.path = path;
        this.channel = channel;
        this.amode = amode;
        this.shared = shared;
        if (null != hints)
        {
            this.hints.putAll(hints);
        }
    }

    // ------------------------------------------------------------------------------------------------ open, close

    /**
     * {@code MPI_File_open}, collective over {@code coll}'s communicator: rank 0 creates the file if asked, then
     * every rank opens it; all fail if any fails.
     */
    public static OpenFile open(
        final FileCollectives coll, final String filename, final int amode, final Map<String, String> hints)
    {
        AccessMode.validate(amode);
        final Path path = resolve(filename);
        final boolean root = 0 == coll.rank();
        FileChannel channel = null;
        MpiError failure = null;
        if (root)
        {
            try
            {
                channel = openChannel(path, amode, true);
            }
            catch (final MpiError ex)
            {
                failure = ex;
            }
        }
        final long token = root ? ProcessHandle.current().pid() << 32 ^ ThreadLocalRandom.current().nextLong() : 0;
        final long[] first = coll.allGather(null == failure ? ErrorClass.SUCCESS : failure.errorClass(), token);
        try
        {
            if (ErrorClass.SUCCESS != first[0])
            {
                throw null != failure ? failure : new MpiError((int)first[0], "MPI_File_open of " + path +
                    " failed on rank 0 of the group with " + ErrorClass.name((int)first[0]));
            }
            if (!root)
            {
                try
                {
                    channel = openChannel(path, amode, false);
                }
                catch (final MpiError ex)
                {
                    failure = ex;
                }
            }
            final SharedFilePointer shared = new SharedFilePointer(sidePath(path, first[1]));
            if (null == failure && root && 0 != (amode & AccessMode.APPEND))
            {
                try
                {
                    shared.set(channel.size());
                }
                catch (final IOException | MpiError ex)
                {
                    failure = ex instanceof MpiError ? (MpiError)ex : failure(path, "append", (IOException)ex);
                }
            }
            coll.agree(failure);
            final OpenFile file = new OpenFile(coll, path, channel, amode, shared, hints);
            if (0 != (amode & AccessMode.APPEND))
            {
                file.individual = channel.size();
            }
            OPEN.add(file);
            return file;
        }
        catch (final IOException ex)
        {
            close(channel);
            throw failure(path, "open", ex);
        }
        catch (final RuntimeException ex)
        {
            close(channel);
            throw ex;
        }
    }

    private static Path resolve(final String filename)
    {
        if (null == filename || filename.isEmpty())
        {
            throw new MpiError(ErrorClass.ERR_BAD_FILE, "the file name is " + (null == filename ? "null" : "empty"));
        }
        // ROMIO's file-system prefixes ("ufs:", "nfs:") name the driver; Java has one.
        final String name = filename.matches("^[a-z]{2,8}:.*") && !filename.startsWith("file:") ?
            filename.substring(filename.indexOf(':') + 1) : filename;
        try
        {
            return Paths.get(name).toAbsolutePath();
        }
        catch (final InvalidPathException ex)
        {
            throw new MpiError(ErrorClass.ERR_BAD_FILE, "invalid file name '" + filename + "': " + ex.getMessage());
        }
    }

    private static Path sidePath(final Path path, final long token)
    {
        return path.resolveSibling("." + path.getFileName() + ".mpi4j-sfp-" + Long.toHexString(token));
    }

    private static FileChannel openChannel(final Path path, final int amode, final boolean creator)
    {
        if (Files.isDirectory(path))
        {
            throw new MpiError(ErrorClass.ERR_BAD_FILE, path + " is a directory");
        }
        final List<OpenOption> options = new ArrayList<>(3);
        if (AccessMode.canRead(amode))
        {
            options.add(StandardOpenOption.READ);
        }
        if (AccessMode.canWrite(amode))
        {
            options.add(StandardOpenOption.WRITE);
        }
        if (creator && 0 != (amode & AccessMode.CREATE))
        {
            options.add(0 != (amode & AccessMode.EXCL) ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        try
        {
            return FileChannel.open(path, options.toArray(new OpenOption[0]));
        }
        catch (final IOException ex)
        {
            throw failure(path, "open", ex);
        }
    }

    /** MPI error class of a failed file operation. */
    static MpiError failure(final Path path, final String what, final IOException ex)
    {
        final String message = what + " " + path + ": ";
        if (ex instanceof NoSuchFileException || ex instanceof NotDirectoryException)
        {
            return new MpiError(ErrorClass.ERR_NO_SUCH_FILE, message + "no such file or directory", ex);
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return new MpiError(ErrorClass.ERR_FILE_EXISTS, message + "the file exists (MPI_MODE_EXCL)", ex);
        }
        if (ex instanceof AccessDeniedException)
        {
            return new MpiError(ErrorClass.ERR_ACCESS, message + "permission denied", ex);
        }
        final String reason = ex instanceof FileSystemException ? ((FileSystemException)ex).getReason() :
            ex.getMessage();
        if (null != reason && reason.contains("No space left"))
        {
            return new MpiError(ErrorClass.ERR_NO_SPACE, message + reason, ex);
        }
        if (null != reason && reason.contains("quota"))
        {
            return new MpiError(ErrorClass.ERR_QUOTA, message + reason, ex);
        }
        if (null != reason && reason.contains("Read-only file system"))
        {
            return new MpiError(ErrorClass.ERR_READ_ONLY, message + reason, ex);
        }
        return new MpiError(ErrorClass.ERR_IO, message + ex, ex);
    }

    private static void close(final FileChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // the open failed; its error is the one to report
            }
        }
    }

    /**
     * {@code MPI_File_close}, collective: closes this process's channel; then rank 0 removes the shared pointer's
     * side file and, with {@code MPI_MODE_DELETE_ON_CLOSE}, the file.
     */
    public void close()
    {
        checkOpen();
        awaitTransfers();
        closed = true;
        OPEN.remove(this);
        close(channel);
        shared.close();
        MpiError failure = null;
        try
        {
            coll.barrier();
        }
        catch (final MpiError ex)
        {
            // a member died: the handle is released all the same, and no side file may outlive the job
            failure = ex;
        }
        if (0 == coll.rank())
        {
            shared.delete();
            if (0 != (amode & AccessMode.DELETE_ON_CLOSE))
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException ignored)
                {
                    // the file was closed; MPI reports nothing for a file that could not be removed
                }
            }
        }
        if (null != failure)
        {
            throw failure;
        }
        coll.barrier();
    }

    /**
     * Called by {@code MPI_Finalize}: closes, without communicating, every file the program left open, after its
     * non-blocking accesses finish, so that no data stays unwritten and no shared-pointer side file outlives the
     * job. Rank 0 of each file's group removes the side file (other ranks' open handles on it stay valid).
     */
    public static void closeLeftOpen()
    {
        for (final OpenFile file : OPEN)
        {
            OPEN.remove(file);
            if (file.closed)
            {
                continue;
            }
            file.awaitTransfers();
            file.closed = true;
            close(file.channel);
            file.shared.close();
            if (0 == file.coll.rank())
            {
                file.shared.delete();
            }
        }
    }

    private synchronized void awaitTransfers()
    {
        boolean interrupted = false;
        while (transfers > 0)
        {
            try
            {
                wait();
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** Called by the I/O thread when a non-blocking transfer of this file finished. */
    synchronized void transferEnded()
    {
        if (0 == --transfers)
        {
            notifyAll();
        }
    }

    private synchronized void transferStarted()
    {
        transfers++;
    }

    /** {@code MPI_File_delete}: removes the file. */
    public static void delete(final String filename)
    {
        final Path path = resolve(filename);
        try
        {
            Files.delete(path);
        }
        catch (final IOException ex)
        {
            throw failure(path, "delete", ex);
        }
    }

    public boolean isClosed()
    {
        return closed;
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new MpiError(ErrorClass.ERR_FILE, "the file " + path + " has been closed");
        }
    }

    // ---------------------------------------------------------------------------------------- file-wide state

    public int amode()
    {
        return amode;
    }

    public FileCollectives collectives()
    {
        return coll;
    }

    /** {@code MPI_File_get_size}: bytes in the file. */
    public long size()
    {
        checkOpen();
        try
        {
            return channel.size();
        }
        catch (final IOException ex)
        {
            throw failure(path, "size of", ex);
        }
    }

    /** {@code MPI_File_set_size} ({@code grow == false}) or {@code MPI_File_preallocate}: collective, rank 0 acts. */
    public void resize(final long size, final boolean grow)
    {
        checkOpen();
        MpiError local = null;
        if (size < 0)
        {
            local = new MpiError(ErrorClass.ERR_ARG, "size " + size + " is negative");
        }
        else if (!AccessMode.canWrite(amode))
        {
            local = new MpiError(ErrorClass.ERR_READ_ONLY, "the file " + path + " was opened MPI_MODE_RDONLY");
        }
        else if (0 != (amode & AccessMode.SEQUENTIAL))
        {
            local = new MpiError(ErrorClass.ERR_UNSUPPORTED_OPERATION,
                "the size of a file opened MPI_MODE_SEQUENTIAL cannot be changed");
        }
        coll.agree(local);
        MpiError failure = null;
        if (0 == coll.rank())
        {
            try
            {
                final long current = channel.size();
                if (current < size)
                {
                    // FileChannel grows a file only by writing; one byte at the end leaves a hole before it.
                    final ByteBuffer zero = ByteBuffer.allocate(1);
                    while (0 == channel.write(zero, size - 1))
                    {
                        Thread.onSpinWait();
                    }
                }
                else if (current > size && !grow)
                {
                    channel.truncate(size);
                }
            }
            catch (final IOException ex)
            {
                failure = failure(path, "resize", ex);
            }
        }
        final long[] outcome = coll.allGather(null == failure ? 0 : failure.errorClass());
        if (null != failure)
        {
            throw failure;
        }
        if (0 != outcome[0])
        {
            throw new MpiError((int)outcome[0], "resizing " + path + " failed on rank 0 of the group");
        }
    }

    /** {@code MPI_File_sync}, collective: this process's writes reach the storage device. */
    public void sync()
    {
        checkOpen();
        MpiError local = null;
        try
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            local = failure(path, "sync", ex);
        }
        coll.agree(local);
    }

    /** {@code MPI_File_set_atomicity}, collective. */
    public void atomicity(final boolean flag)
    {
        checkOpen();
        coll.agree(null);
        atomic = flag;
    }

    public boolean atomicity()
    {
        checkOpen();
        return atomic;
    }

    /** The hints in effect ({@code MPI_File_get_info}): the program's, and the aggregator count used. */
    public synchronized Map<String, String> hints()
    {
        checkOpen();
        final Map<String, String> out = new LinkedHashMap<>(hints);
        out.put(HINT_AGGREGATORS, Integer.toString(aggregators()));
        out.put(HINT_BUFFER_SIZE, Integer.toString(collectiveBufferSize()));
        return out;
    }

    /** {@code MPI_File_set_info}: adds the program's hints. */
    public synchronized void hints(final Map<String, String> more)
    {
        checkOpen();
        hints.putAll(more);
    }

    /** How many ranks issue the file accesses of a collective call: the cb_nodes hint, or one per few ranks. */
    synchronized int aggregators()
    {
        final int p = coll.size();
        final String hint = hints.get(HINT_AGGREGATORS);
        if (null != hint)
        {
            try
            {
                final int n = Integer.parseInt(hint.trim());
                if (n > 0)
                {
                    return Math.min(n, p);
                }
            }
            catch (final NumberFormatException ignored)
            {
                // a hint the implementation cannot use is ignored, as MPI says
            }
        }
        return Math.max(1, (p + RANKS_PER_AGGREGATOR - 1) / RANKS_PER_AGGREGATOR);
    }

    /**
     * Shortest piece for which an interleaved collective access skips the aggregators (when no two ranks' pieces
     * meet): from the {@link #HINT_CB_WRITE} or {@link #HINT_CB_READ} hint.
     */
    synchronized long directPiece(final boolean write)
    {
        final String hint = hints.get(write ? HINT_CB_WRITE : HINT_CB_READ);
        if (null != hint)
        {
            switch (hint.trim().toLowerCase(java.util.Locale.ROOT))
            {
                case "enable":
                    return Long.MAX_VALUE;
                case "disable":
                    return 0;
                default:
                    // automatic, or a value the implementation cannot use: ignored, as MPI says
                    break;
            }
        }
        return TwoPhaseIo.DIRECT_PIECE;
    }

    /** Bytes an aggregator holds per round of a collective access: the cb_buffer_size hint, or 16 MiB. */
    synchronized int collectiveBufferSize()
    {
        final String hint = hints.get(HINT_BUFFER_SIZE);
        if (null != hint)
        {
            try
            {
                final long n = Long.parseLong(hint.trim());
                if (n > 0)
                {
                    return (int)Math.min(n, Integer.MAX_VALUE - 8);
                }
            }
            catch (final NumberFormatException ignored)
            {
                // a hint the implementation cannot use is ignored, as MPI says
            }
        }
        return DEFAULT_BUFFER_SIZE;
    }

    FileChannel channel()
    {
        return channel;
    }

    Path path()
    {
        return path;
    }

    boolean isAtomic()
    {
        return atomic;
    }

    // ------------------------------------------------------------------------------------------------------ view

    /**
     * {@code MPI_File_set_view}, collective: the new layout (already built from the types); both file pointers
     * return to 0. {@code disp == DISPLACEMENT_CURRENT} places the view at the shared pointer (sequential mode).
     * {@code failure}, when the caller found the types wrong, fails the call on every rank.
     */
    public void view(final long disp, final TypeMap etype, final TypeMap filetype, final String datarep,
        final MpiError failure)
    {
        checkOpen();
        MpiError local = null;
        ViewLayout layout = null;
        try
        {
            if (null != failure)
            {
                throw failure;
            }
            if (!"native".equals(datarep))
            {
                throw new MpiError(ErrorClass.ERR_UNSUPPORTED_DATAREP, "data representation '" + datarep +
                    "' is not supported; mpi4j writes \"native\" only");
            }
            if (DISPLACEMENT_CURRENT == disp && 0 == (amode & AccessMode.SEQUENTIAL))
            {
                throw new MpiError(ErrorClass.ERR_ARG,
                    "MPI_DISPLACEMENT_CURRENT is only valid for a file opened MPI_MODE_SEQUENTIAL");
            }
            layout = ViewLayout.of(DISPLACEMENT_CURRENT == disp ? 0 : disp, etype, filetype);
        }
        catch (final MpiError ex)
        {
            local = ex;
        }
        coll.agree(local);
        if (DISPLACEMENT_CURRENT == disp)
        {
            final long current = view.fileOffset(shared.get() * view.etypeSize());
            layout = ViewLayout.of(current, etype, filetype);
        }
        coll.barrier();
        if (0 == coll.rank() && Files.exists(shared.path()))
        {
            shared.set(0);
        }
        view = layout;
        individual = 0;
        coll.barrier();
    }

    public ViewLayout layout()
    {
        return view;
    }

    /** {@code MPI_File_get_byte_offset}: file byte of view offset {@code offset} (etypes). */
    public long byteOffset(final long offset)
    {
        checkOpen();
        checkOffset(offset);
        return view.fileOffset(offset * view.etypeSize());
    }

    // ------------------------------------------------------------------------------------------------ pointers

    /** {@code MPI_File_seek}: moves the individual pointer. */
    public void seek(final long offset, final int whence)
    {
        checkOpen();
        checkNotSequential("MPI_File_seek");
        individual = target(individual, offset, whence);
    }

    /** {@code MPI_File_get_position}: the individual pointer, in etypes. */
    public long position()
    {
        checkOpen();
        checkNotSequential("MPI_File_get_position");
        return individual;
    }

    /** {@code MPI_File_seek_shared}, collective: every rank passes the same arguments; rank 0 moves the pointer. */
    public void seekShared(final long offset, final int whence)
    {
        checkOpen();
        MpiError local = null;
        if (SEEK_SET != whence && SEEK_CUR != whence && SEEK_END != whence)
        {
            local = badWhence(whence);
        }
        coll.agree(local);
        MpiError failure = null;
        if (0 == coll.rank())
        {
            try
            {
                shared.set(target(shared.get(), offset, whence));
            }
            catch (final MpiError ex)
            {
                failure = ex;
            }
        }
        final long[] outcome = coll.allGather(null == failure ? 0 : failure.errorClass());
        if (null != failure)
        {
            throw failure;
        }
        if (0 != outcome[0])
        {
            throw new MpiError((int)outcome[0], "moving the shared file pointer failed on rank 0 of the group");
        }
    }

    /** {@code MPI_File_get_position_shared}: the shared pointer, in etypes. */
    public long positionShared()
    {
        checkOpen();
        return shared.get();
    }

    private long target(final long current, final long offset, final int whence)
    {
        final long base;
        switch (whence)
        {
            case SEEK_SET: base = 0; break;
            case SEEK_CUR: base = current; break;
            case SEEK_END: base = endOfFile(); break;
            default: throw badWhence(whence);
        }
        final long position = base + offset;
        if (position < 0)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "seeking by " + offset + " from " + base +
                " would put the file pointer before the start of the view");
        }
        return position;
    }

    private static MpiError badWhence(final int whence)
    {
        return new MpiError(ErrorClass.ERR_ARG, "whence " + whence +
            " is not MPI_SEEK_SET, MPI_SEEK_CUR or MPI_SEEK_END");
    }

    /** The end of the file in etypes of the view: the first etype not entirely in the file. */
    private long endOfFile()
    {
        return view.streamBytesBelow(size()) / view.etypeSize();
    }

    // ------------------------------------------------------------------------------------------- data access

    /** What an access moves: where it starts and which user memory it reads or fills. */
    public static final class Access
    {
        final Object base;
        final long address;
        final TypeMap type;
        final long count;
        final MpiError failure;

        public Access(final Object base, final long address, final TypeMap type, final long count)
        {
            this(base, address, type, count, null);
        }

        private Access(final Object base, final long address, final TypeMap type, final long count,
            final MpiError failure)
        {
            this.base = base;
            this.address = address;
            this.type = type;
            this.count = count;
            this.failure = failure;
        }

        /** An access whose arguments the caller found wrong: a collective call fails on every rank with it. */
        public static Access failed(final MpiError failure)
        {
            return new Access(null, 0, TypeMap.EMPTY, 0, failure);
        }

        long bytes()
        {
            return type.packedSize(count);
        }
    }

    /** Where an access's data goes in the view: explicit offset, individual pointer or shared pointer. */
    public enum Position
    {
        EXPLICIT, INDIVIDUAL, SHARED
    }

    /**
     * An independent write ({@code MPI_File_write_at}, {@code _write}, {@code _write_shared}); {@code offset} is
     * used with {@link Position#EXPLICIT} only.
     *
     * @return bytes written
     */
    public long write(final Position where, final long offset, final Access access)
    {
        checkOpen();
        final long bytes = checkAccess(where, offset, access, true);
        final AccessStream data = AccessStream.forWrite(access, bytes);
        final long start = start(where, offset, bytes);
        final Segments segs = view.map(start * view.etypeSize(), bytes, segments);
        try
        {
            writeRanges(segs, data.base(), data.address());
        }
        catch (final IOException ex)
        {
            throw failure(path, "write to", ex);
        }
        if (Position.INDIVIDUAL == where)
        {
            individual = start + bytes / view.etypeSize();
        }
        return bytes;
    }

    /**
     * An independent read ({@code MPI_File_read_at}, {@code _read}, {@code _read_shared}); stops at the end of
     * the file.
     *
     * @return bytes read
     */
    public long read(final Position where, final long offset, final Access access)
    {
        checkOpen();
        final long bytes = checkAccess(where, offset, access, false);
        final AccessStream data = AccessStream.forRead(access, bytes);
        final long start = start(where, offset, bytes);
        final Segments segs = view.map(start * view.etypeSize(), bytes, segments);
        final long got;
        try
        {
            got = readRanges(segs, data.base(), data.address());
        }
        catch (final IOException ex)
        {
            throw failure(path, "read from", ex);
        }
        data.finishRead(got);
        if (Position.INDIVIDUAL == where)
        {
            individual = start + got / view.etypeSize();
        }
        return got;
    }

    /**
     * A non-blocking independent write ({@code MPI_File_iwrite_at}, {@code _iwrite}, {@code _iwrite_shared}): checks
     * the arguments, takes the data out of the user's memory and settles the file position now (the individual
     * pointer moves past the requested data, the shared one is advanced atomically); the transfer runs on the
     * {@link IoThread}. The returned operation completes with the bytes written or the error.
     */
    public ScheduledOperation startWrite(final Position where, final long offset, final Access access)
    {
        checkOpen();
        final long bytes = checkAccess(where, offset, access, true);
        final byte[] data = AccessStream.staged(access, bytes, true).array();
        final long start = start(where, offset, bytes);
        final Segments segs = view.map(start * view.etypeSize(), bytes, new Segments());
        if (Position.INDIVIDUAL == where)
        {
            individual = start + bytes / view.etypeSize();
        }
        return submit(new IoOperation(this, "write to", () ->
        {
            writeRanges(segs, data);
            return bytes;
        }));
    }

    /**
     * A non-blocking independent read ({@code MPI_File_iread_at}, {@code _iread}, {@code _iread_shared}): as
     * {@link #startWrite}; the data reach the user's memory on the I/O thread, before the operation completes.
     * The individual pointer moves past the requested data even when the file ends sooner.
     */
    public ScheduledOperation startRead(final Position where, final long offset, final Access access)
    {
        checkOpen();
        final long bytes = checkAccess(where, offset, access, false);
        final long start = start(where, offset, bytes);
        final Segments segs = view.map(start * view.etypeSize(), bytes, new Segments());
        if (Position.INDIVIDUAL == where)
        {
            individual = start + bytes / view.etypeSize();
        }
        return submit(new IoOperation(this, "read from", () ->
        {
            final AccessStream data = AccessStream.staged(access, bytes, false);
            final long got = readRanges(segs, data.array());
            data.finishRead(got);
            return got;
        }));
    }

    private IoOperation submit(final IoOperation operation)
    {
        transferStarted();
        IoThread.submit(operation);
        return operation;
    }

    /** A collective write ({@code MPI_File_write_at_all}, {@code _write_all}, {@code _write_ordered}). */
    public long writeAll(final Position where, final long offset, final Access access)
    {
        checkOpen();
        return collective(where, offset, access, true);
    }

    /** A collective read ({@code MPI_File_read_at_all}, {@code _read_all}, {@code _read_ordered}). */
    public long readAll(final Position where, final long offset, final Access access)
    {
        checkOpen();
        return collective(where, offset, access, false);
    }

    private long collective(final Position where, final long offset, final Access access, final boolean write)
    {
        MpiError local = null;
        long bytes = 0;
        AccessStream data = null;
        try
        {
            bytes = checkAccess(where, offset, access, write);
            data = write ? AccessStream.forWrite(access, bytes) : AccessStream.forRead(access, bytes);
        }
        catch (final MpiError ex)
        {
            local = ex;
        }
        final long start;
        if (Position.SHARED == where)
        {
            // Ordered: rank order over the shared pointer; rank 0 takes the whole group's share at once.
            final long etypes = bytes / view.etypeSize();
            final long[] all = coll.allGather(null == local ? 0 : local.errorClass(), etypes);
            long before = 0;
            long total = 0;
            for (int i = 0; i < coll.size(); i++)
            {
                if (0 != all[2 * i] && null == local)
                {
                    local = new MpiError((int)all[2 * i], "rank " + i + " of the file's group failed its part " +
                        "of this collective call with " + ErrorClass.name((int)all[2 * i]));
                }
                before += i < coll.rank() ? all[2 * i + 1] : 0;
                total += all[2 * i + 1];
            }
            if (null != local)
            {
                throw local;
            }
            final long base = coll.allGather(0 == coll.rank() ? shared.fetchAndAdd(total) : 0)[0];
            start = base + before;
        }
        else
        {
            start = null == local ? (Position.EXPLICIT == where ? offset : individual) : 0;
        }
        final Segments segs = null == local ? view.map(start * view.etypeSize(), bytes, segments) :
            segments.clear();
        final long moved = write ? TwoPhaseIo.write(this, segs, data, local) :
            TwoPhaseIo.read(this, segs, data, local);
        if (!write)
        {
            data.finishRead(moved);
        }
        if (Position.INDIVIDUAL == where)
        {
            individual = start + moved / view.etypeSize();
        }
        return moved;
    }

    /** Checks an access against the mode, position and view; returns its bytes. */
    private long checkAccess(final Position where, final long offset, final Access access, final boolean write)
    {
        if (null != access.failure)
        {
            throw access.failure;
        }
        if (write && !AccessMode.canWrite(amode))
        {
            throw new MpiError(ErrorClass.ERR_READ_ONLY, "the file " + path + " was opened MPI_MODE_RDONLY");
        }
        if (!write && !AccessMode.canRead(amode))
        {
            throw new MpiError(ErrorClass.ERR_ACCESS, "the file " + path + " was opened MPI_MODE_WRONLY");
        }
        if (Position.SHARED != where)
        {
            checkNotSequential(Position.EXPLICIT == where ? "explicit offsets" : "the individual file pointer");
        }
        if (Position.EXPLICIT == where)
        {
            checkOffset(offset);
        }
        final long bytes = access.bytes();
        if (bytes > Integer.MAX_VALUE - 8)
        {
            throw new MpiError(ErrorClass.ERR_COUNT, "one access can move at most " + (Integer.MAX_VALUE - 8) +
                " bytes; this one is " + bytes);
        }
        if (0 != bytes % view.etypeSize())
        {
            throw new MpiError(ErrorClass.ERR_IO, "the access moves " + bytes + " bytes, which is not a whole " +
                "number of etypes of " + view.etypeSize() + " bytes");
        }
        return bytes;
    }

    private static void checkOffset(final long offset)
    {
        if (offset < 0)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "offset " + offset + " is negative");
        }
    }

    private void checkNotSequential(final String what)
    {
        if (0 != (amode & AccessMode.SEQUENTIAL))
        {
            throw new MpiError(ErrorClass.ERR_UNSUPPORTED_OPERATION, what +
                " cannot be used on a file opened MPI_MODE_SEQUENTIAL");
        }
    }

    /** First etype of an independent access: the offset, or a file pointer (the shared one advanced for others). */
    private long start(final Position where, final long offset, final long bytes)
    {
        switch (where)
        {
            case EXPLICIT: return offset;
            case INDIVIDUAL: return individual;
            default: return shared.fetchAndAdd(bytes / view.etypeSize());
        }
    }

    // -------------------------------------------------------------------------------------------- raw ranges

    /** Writes the stream {@code data} to the ranges {@code segs}; atomic mode locks their span first. */
    void writeRanges(final Segments segs, final byte[] data) throws IOException
    {
        writeRanges(segs, data, Memory.BYTE_ARRAY_BASE);
    }

    /**
     * Writes the stream at {@code address} of {@code base} (a {@code byte[]}, or null for native memory) to the
     * ranges {@code segs}; atomic mode locks their span first.
     */
    void writeRanges(final Segments segs, final Object base, final long address) throws IOException
    {
        if (0 == segs.count())
        {
            return;
        }
        if (!atomic)
        {
            writeUnlocked(segs, base, address);
            return;
        }
        synchronized (ATOMIC_IN_PROCESS)
        {
            try (FileLock ignored = channel.lock(segs.lowest(), segs.highest() - segs.lowest(), false))
            {
                writeUnlocked(segs, base, address);
            }
        }
    }

    private void writeUnlocked(final Segments segs, final Object base, final long address) throws IOException
    {
        for (int i = 0; i < segs.count(); i++)
        {
            if (null == base)
            {
                writeNative(segs.offset(i), address + segs.streamStart(i), segs.length(i));
            }
            else
            {
                write(segs.offset(i), (byte[])base, (int)(address - Memory.BYTE_ARRAY_BASE + segs.streamStart(i)),
                    (int)segs.length(i));
            }
        }
    }

    /** Writes {@code length} bytes of native memory at {@code address} to file offset {@code position}. */
    private void writeNative(final long position, final long address, final long length) throws IOException
    {
        final MemoryWindow window = WINDOWS.get();
        try
        {
            for (long done = 0; done < length; )
            {
                final int slice = (int)Math.min(length - done, MAX_SLICE);
                final ByteBuffer bb = window.open(address + done, slice);
                while (bb.hasRemaining())
                {
                    channel.write(bb, position + done + bb.position());
                }
                done += slice;
            }
        }
        finally
        {
            // Nothing may reach the program's memory through the window once the call returns.
            window.close();
        }
    }

    /** Reads into native memory until {@code length} bytes or the end of the file; returns the bytes read. */
    private long readNative(final long position, final long address, final long length) throws IOException
    {
        final MemoryWindow window = WINDOWS.get();
        try
        {
            for (long done = 0; done < length; )
            {
                final int slice = (int)Math.min(length - done, MAX_SLICE);
                final ByteBuffer bb = window.open(address + done, slice);
                while (bb.hasRemaining())
                {
                    if (channel.read(bb, position + done + bb.position()) < 0)
                    {
                        return done + bb.position();
                    }
                }
                done += slice;
            }
            return length;
        }
        finally
        {
            window.close();
        }
    }

    private void write(final long position, final byte[] data, final int from, final int length)
        throws IOException
    {
        final ByteBuffer bb = ByteBuffer.wrap(data, from, length);
        final int end = from + length;
        long at = position;
        while (bb.hasRemaining())
        {
            bb.limit(Math.min(end, bb.position() + CHUNK));
            at += channel.write(bb, at);
            bb.limit(end);
        }
    }

    /** Writes {@code length} bytes of {@code data} from {@code from} at file offset {@code position}. */
    void writeRange(final long position, final byte[] data, final int from, final int length) throws IOException
    {
        if (!atomic)
        {
            write(position, data, from, length);
            return;
        }
        synchronized (ATOMIC_IN_PROCESS)
        {
            try (FileLock ignored = channel.lock(position, length, false))
            {
                write(position, data, from, length);
            }
        }
    }

    /** Reads {@code length} bytes at file offset {@code position} into {@code data} from {@code from}. */
    long readRange(final long position, final byte[] data, final int from, final int length) throws IOException
    {
        if (!atomic)
        {
            return read(position, data, from, length);
        }
        synchronized (ATOMIC_IN_PROCESS)
        {
            try (FileLock ignored = channel.lock(position, length, true))
            {
                return read(position, data, from, length);
            }
        }
    }

    /** Reads until the range is full or the file ends; returns the bytes read. */
    private long read(final long position, final byte[] data, final int from, final int length) throws IOException
    {
        final ByteBuffer bb = ByteBuffer.wrap(data, from, length);
        final int end = from + length;
        long at = position;
        while (bb.hasRemaining())
        {
            bb.limit(Math.min(end, bb.position() + CHUNK));
            final int n = channel.read(bb, at);
            bb.limit(end);
            if (n < 0)
            {
                break;
            }
            at += n;
        }
        return at - position;
    }

    /** Reads the ranges {@code segs} into the stream {@code data}; returns the bytes before the end of the file. */
    long readRanges(final Segments segs, final byte[] data) throws IOException
    {
        return readRanges(segs, data, Memory.BYTE_ARRAY_BASE);
    }

    /**
     * Reads the ranges {@code segs} into the stream at {@code address} of {@code base} (a {@code byte[]}, or null for
     * native memory); returns the bytes before the end of the file.
     */
    long readRanges(final Segments segs, final Object base, final long address) throws IOException
    {
        if (0 == segs.count())
        {
            return 0;
        }
        if (!atomic)
        {
            return readUnlocked(segs, base, address);
        }
        synchronized (ATOMIC_IN_PROCESS)
        {
            try (FileLock ignored = channel.lock(segs.lowest(), segs.highest() - segs.lowest(), true))
            {
                return readUnlocked(segs, base, address);
            }
        }
    }

    private long readUnlocked(final Segments segs, final Object base, final long address) throws IOException
    {
        long got = 0;
        for (int i = 0; i < segs.count(); i++)
        {
            final long n = null == base ? readNative(segs.offset(i), address + segs.streamStart(i), segs.length(i)) :
                read(segs.offset(i), (byte[])base, (int)(address - Memory.BYTE_ARRAY_BASE + segs.streamStart(i)),
                    (int)segs.length(i));
            got += n;
            if (n < segs.length(i))
            {
                return got;
            }
        }
        return got;
    }
}
