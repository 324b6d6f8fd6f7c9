package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.io.AccessMode;
import io.mpi4j.io.CompletedIo;
import io.mpi4j.io.FileCollectives;
import io.mpi4j.io.OpenFile;
import io.mpi4j.io.OpenFile.Access;
import io.mpi4j.io.OpenFile.Position;

import java.nio.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file opened by a group of processes ({@code MPI_File}), with Open MPI's Java signatures. Offsets and file
 * pointers count etypes of the current view, displacements bytes; a status's count is in items of the datatype
 * given to {@link Status#getCount}. Errors go to the file's error handler, {@link MPI#ERRORS_RETURN} unless set
 * otherwise (errors of open and delete are always thrown). Non-blocking and split collective accesses complete
 * when they start; their requests and end calls return at once. The mechanics live in {@code io.mpi4j.io}.
 */
public final class File
{
    private final OpenFile file;
    private final Communicator comm;
    private volatile Errhandler errhandler = MPI.ERRORS_RETURN;
    private volatile FileView view = new FileView(0, MPI.BYTE, MPI.BYTE, "native");
    private Status beginStatus;
    private String beginOp;

    /**
     * Opens a file, collectively over {@code comm}. Binds {@code MPI_FILE_OPEN} with {@code MPI_INFO_NULL}.
     *
     * @param comm     intracommunicator of the processes opening the file
     * @param filename name of the file
     * @param amode    access mode, {@code MPI.MODE_*} or-ed
     * @throws MPIException {@code MPI.ERR_AMODE}, {@code ERR_NO_SUCH_FILE}, {@code ERR_FILE_EXISTS},
     *                      {@code ERR_ACCESS}, {@code ERR_BAD_FILE}, ...
     */
    public File(final Comm comm, final String filename, final int amode) throws MPIException
    {
        this(comm, filename, amode, MPI.INFO_NULL);
    }

    /**
     * Opens a file, collectively over {@code comm}. Binds {@code MPI_FILE_OPEN}.
     *
     * @param comm     intracommunicator of the processes opening the file
     * @param filename name of the file
     * @param amode    access mode, {@code MPI.MODE_*} or-ed
     * @param info     hints ({@code cb_nodes}: how many processes access the file in collective calls)
     * @throws MPIException {@code MPI.ERR_AMODE}, {@code ERR_NO_SUCH_FILE}, {@code ERR_FILE_EXISTS},
     *                      {@code ERR_ACCESS}, {@code ERR_BAD_FILE}, ...
     */
    public File(final Comm comm, final String filename, final int amode, final Info info) throws MPIException
    {
        final String op = "MPI_File_open";
        MPI.check(op);
        if (null == comm)
        {
            throw raise(ErrorClass.ERR_COMM, op + ": communicator is null");
        }
        final Communicator parent = comm.live(op);
        if (parent.isInter())
        {
            throw raise(ErrorClass.ERR_COMM, op + ": files cannot be opened on an intercommunicator");
        }
        final Map<String, String> hints = hints(op, info);
        try
        {
            AccessMode.validate(amode);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        final Communicator dup;
        try
        {
            dup = CommSupport.factory().dup(parent);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        try
        {
            this.file = OpenFile.open(new FileCollectives(MPI.engine(), dup,
                c -> FaultToleranceCalls.engine().revoke(c)), filename, amode, hints);
        }
        catch (final MpiError ex)
        {
            CommSupport.factory().free(dup);
            throw raise(op, ex);
        }
        this.comm = dup;
    }

    private MPIException raise(final int errorClass, final String message)
    {
        if (errhandler.isFatal())
        {
            MPI.fatal(errorClass, message);
        }
        return new MPIException(errorClass, message);
    }

    private MPIException raise(final String op, final MpiError error)
    {
        final String message = error.getMessage();
        return raise(error.errorClass(), null != message && message.startsWith("MPI_") ? message : op + ": " + message);
    }

    private OpenFile live(final String op) throws MPIException
    {
        MPI.check(op);
        if (file.isClosed())
        {
            throw raise(ErrorClass.ERR_FILE, op + ": the file has been closed");
        }
        return file;
    }

    private static Map<String, String> hints(final String op, final Info info) throws MPIException
    {
        final Map<String, String> hints = new LinkedHashMap<>();
        if (null == info || info.isNull())
        {
            return hints;
        }
        for (int i = 0, n = info.size(); i < n; i++)
        {
            final String key = info.getKey(i);
            hints.put(key, info.get(key));
        }
        return hints;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Open, close, delete, file-wide state

    /**
     * Closes the file, collectively. Binds {@code MPI_FILE_CLOSE}; with {@code MPI.MODE_DELETE_ON_CLOSE} the
     * file is removed.
     *
     * @throws MPIException {@code MPI.ERR_FILE} if already closed
     */
    public void close() throws MPIException
    {
        final String op = "MPI_File_close";
        final OpenFile f = live(op);
        try
        {
            f.close();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        finally
        {
            if (f.isClosed() && !comm.isFreed())
            {
                CommSupport.factory().free(comm);
            }
        }
    }

    /**
     * Removes a file. Binds {@code MPI_FILE_DELETE} with {@code MPI_INFO_NULL}.
     *
     * @param filename name of the file
     * @throws MPIException {@code MPI.ERR_NO_SUCH_FILE}, {@code ERR_ACCESS}, {@code ERR_IO}
     */
    public static void delete(final String filename) throws MPIException
    {
        delete(filename, MPI.INFO_NULL);
    }

    /**
     * Removes a file. Binds {@code MPI_FILE_DELETE}.
     *
     * @param filename name of the file
     * @param info     hints (none are used)
     * @throws MPIException {@code MPI.ERR_NO_SUCH_FILE}, {@code ERR_ACCESS}, {@code ERR_IO}
     */
    public static void delete(final String filename, final Info info) throws MPIException
    {
        final String op = "MPI_File_delete";
        MPI.check(op);
        try
        {
            OpenFile.delete(filename);
        }
        catch (final MpiError ex)
        {
            throw new MPIException(ex.errorClass(), op + ": " + ex.getMessage());
        }
    }

    /**
     * Truncates or extends the file, collectively. Binds {@code MPI_FILE_SET_SIZE}.
     *
     * @param size new size in bytes
     * @throws MPIException {@code MPI.ERR_ARG} for a negative size, {@code ERR_READ_ONLY}
     */
    public void setSize(final long size) throws MPIException
    {
        final String op = "MPI_File_set_size";
        final OpenFile f = live(op);
        try
        {
            f.resize(size, false);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Makes the file at least {@code size} bytes long, collectively. Binds {@code MPI_FILE_PREALLOCATE}.
     *
     * @param size size in bytes
     * @throws MPIException {@code MPI.ERR_ARG} for a negative size, {@code ERR_READ_ONLY}
     */
    public void preallocate(final long size) throws MPIException
    {
        final String op = "MPI_File_preallocate";
        final OpenFile f = live(op);
        try
        {
            f.resize(size, true);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Size of the file. Binds {@code MPI_FILE_GET_SIZE}.
     *
     * @return size in bytes
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public long getSize() throws MPIException
    {
        final String op = "MPI_File_get_size";
        final OpenFile f = live(op);
        try
        {
            return f.size();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * The group that opened the file. Binds {@code MPI_FILE_GET_GROUP}.
     *
     * @return a new group
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public Group getGroup() throws MPIException
    {
        live("MPI_File_get_group");
        final long[] members = new long[comm.size()];
        for (int i = 0; i < members.length; i++)
        {
            members[i] = comm.member(i);
        }
        return new Group(members, comm.rank());
    }

    /**
     * The access mode the file was opened with. Binds {@code MPI_FILE_GET_AMODE}.
     *
     * @return access mode
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public int getAMode() throws MPIException
    {
        return live("MPI_File_get_amode").amode();
    }

    /**
     * Adds hints. Binds {@code MPI_FILE_SET_INFO}.
     *
     * @param info hints
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public void setInfo(final Info info) throws MPIException
    {
        final String op = "MPI_File_set_info";
        final OpenFile f = live(op);
        f.hints(hints(op, info));
    }

    /**
     * The hints in effect. Binds {@code MPI_FILE_GET_INFO}.
     *
     * @return new info object
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public Info getInfo() throws MPIException
    {
        final OpenFile f = live("MPI_File_get_info");
        final Info info = new Info();
        for (final Map.Entry<String, String> hint : f.hints().entrySet())
        {
            info.set(hint.getKey(), hint.getValue());
        }
        return info;
    }

    /**
     * Sets the view, collectively; both file pointers go back to 0. Binds {@code MPI_FILE_SET_VIEW} with
     * {@code MPI_INFO_NULL}.
     *
     * @param disp     displacement in bytes (or {@code MPI.DISPLACEMENT_CURRENT} in sequential mode)
     * @param etype    elementary datatype: the unit of offsets
     * @param filetype filetype: non-negative, monotonically non-decreasing displacements, whole etypes
     * @param datarep  data representation: {@code "native"}
     * @throws MPIException {@code MPI.ERR_ARG}, {@code ERR_TYPE}, {@code ERR_UNSUPPORTED_DATAREP}
     */
    public void setView(final long disp, final Datatype etype, final Datatype filetype, final String datarep)
        throws MPIException
    {
        setView(disp, etype, filetype, datarep, MPI.INFO_NULL);
    }

    /**
     * Sets the view, collectively; both file pointers go back to 0. Binds {@code MPI_FILE_SET_VIEW}.
     *
     * @param disp     displacement in bytes (or {@code MPI.DISPLACEMENT_CURRENT} in sequential mode)
     * @param etype    elementary datatype: the unit of offsets
     * @param filetype filetype: non-negative, monotonically non-decreasing displacements, whole etypes
     * @param datarep  data representation: {@code "native"}
     * @param info     hints, added to the file's
     * @throws MPIException {@code MPI.ERR_ARG}, {@code ERR_TYPE}, {@code ERR_UNSUPPORTED_DATAREP}
     */
    public void setView(final long disp, final Datatype etype, final Datatype filetype, final String datarep,
        final Info info) throws MPIException
    {
        final String op = "MPI_File_set_view";
        final OpenFile f = live(op);
        final String bad = null != typeProblem(etype, "etype") ? typeProblem(etype, "etype") :
            typeProblem(filetype, "filetype");
        try
        {
            if (null != bad)
            {
                // Still collective: the other ranks learn of the failure instead of waiting.
                f.view(disp, io.mpi4j.datatype.TypeMap.EMPTY, io.mpi4j.datatype.TypeMap.EMPTY, null == datarep ?
                    "" : datarep, new MpiError(ErrorClass.ERR_TYPE, bad));
            }
            else
            {
                f.view(disp, etype.typeMap(), filetype.typeMap(), datarep, null);
            }
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
        f.hints(hints(op, info));
        // MPI.DISPLACEMENT_CURRENT resolves to where the shared pointer was.
        view = new FileView(f.layout().disp(), etype, filetype, datarep);
    }

    /** Why {@code type} cannot be used in a view or an access, or null. */
    private static String typeProblem(final Datatype type, final String what)
    {
        if (null == type || Datatype.NULL == type.baseType)
        {
            return "the " + what + " is null or MPI_DATATYPE_NULL";
        }
        if (type.isNull())
        {
            return "the " + what + " " + type.typeName() + " has been freed";
        }
        if (!type.isCommitted())
        {
            return "the " + what + " " + type.typeName() + " is not committed; call commit() first";
        }
        return null;
    }

    /**
     * The current view. Binds {@code MPI_FILE_GET_VIEW}.
     *
     * @return the view, with the types the program passed
     */
    public FileView getView()
    {
        return view;
    }

    /**
     * Extent of a datatype in the file, in base elements as Open MPI's binding counts it. Binds
     * {@code MPI_FILE_GET_TYPE_EXTENT}; with the native representation, the extent in memory.
     *
     * @param type datatype
     * @return extent in elements of the type's base type
     * @throws MPIException {@code MPI.ERR_TYPE} for a null or freed type
     */
    public int getTypeExtent(final Datatype type) throws MPIException
    {
        final String op = "MPI_File_get_type_extent";
        live(op);
        if (null == type || Datatype.NULL == type.baseType || type.isNull())
        {
            throw raise(ErrorClass.ERR_TYPE, op + ": the datatype is null, MPI_DATATYPE_NULL or freed");
        }
        return (int)(type.typeMap().extent() / type.unitSize());
    }

    /**
     * Sets atomic or non-atomic mode, collectively. Binds {@code MPI_FILE_SET_ATOMICITY}: in atomic mode every
     * access holds a lock on the byte range it touches.
     *
     * @param atomicity true for atomic mode
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public void setAtomicity(final boolean atomicity) throws MPIException
    {
        final String op = "MPI_File_set_atomicity";
        final OpenFile f = live(op);
        try
        {
            f.atomicity(atomicity);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Whether the file is in atomic mode. Binds {@code MPI_FILE_GET_ATOMICITY}.
     *
     * @return true in atomic mode
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public boolean getAtomicity() throws MPIException
    {
        return live("MPI_File_get_atomicity").atomicity();
    }

    /**
     * Flushes this process's writes to the storage device, collectively. Binds {@code MPI_FILE_SYNC}.
     *
     * @throws MPIException {@code MPI.ERR_IO} if the device reports a failure
     */
    public void sync() throws MPIException
    {
        final String op = "MPI_File_sync";
        final OpenFile f = live(op);
        try
        {
            f.sync();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Binds {@code MPI_FILE_SET_ERRHANDLER}.
     *
     * @param errhandler {@code MPI.ERRORS_RETURN} or {@code MPI.ERRORS_ARE_FATAL}
     * @throws MPIException {@code MPI.ERR_ARG} if null
     */
    public void setErrhandler(final Errhandler errhandler) throws MPIException
    {
        final String op = "MPI_File_set_errhandler";
        MPI.check(op);
        if (null == errhandler)
        {
            throw raise(ErrorClass.ERR_ARG, op + ": error handler is null");
        }
        this.errhandler = errhandler;
    }

    /**
     * Binds {@code MPI_FILE_GET_ERRHANDLER}.
     *
     * @return the file's error handler
     * @throws MPIException if MPI is not running
     */
    public Errhandler getErrhandler() throws MPIException
    {
        MPI.check("MPI_File_get_errhandler");
        return errhandler;
    }

    /**
     * Invokes the error handler. Binds {@code MPI_FILE_CALL_ERRHANDLER}: with {@code ERRORS_ARE_FATAL} the job
     * aborts, with {@code ERRORS_RETURN} nothing happens.
     *
     * @param errorCode error class to report
     * @throws MPIException if MPI is not running
     */
    public void callErrhandler(final int errorCode) throws MPIException
    {
        final String op = "MPI_File_call_errhandler";
        MPI.check(op);
        if (errhandler.isFatal())
        {
            MPI.fatal(errorCode, op + ": error " + ErrorClass.name(errorCode) + " raised on a file");
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Positions

    /**
     * Moves the individual file pointer. Binds {@code MPI_FILE_SEEK}.
     *
     * @param offset offset in etypes
     * @param whence {@code MPI.SEEK_SET}, {@code SEEK_CUR} or {@code SEEK_END}
     * @throws MPIException {@code MPI.ERR_ARG} for a bad whence or a position before the view's start
     */
    public void seek(final long offset, final int whence) throws MPIException
    {
        final String op = "MPI_File_seek";
        final OpenFile f = live(op);
        try
        {
            f.seek(offset, whence);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * The individual file pointer. Binds {@code MPI_FILE_GET_POSITION}.
     *
     * @return offset in etypes
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public long getPosition() throws MPIException
    {
        final String op = "MPI_File_get_position";
        final OpenFile f = live(op);
        try
        {
            return f.position();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Absolute byte position of a view offset. Binds {@code MPI_FILE_GET_BYTE_OFFSET}.
     *
     * @param offset offset in etypes
     * @return byte offset in the file
     * @throws MPIException {@code MPI.ERR_ARG} for a negative offset
     */
    public long getByteOffset(final long offset) throws MPIException
    {
        final String op = "MPI_File_get_byte_offset";
        final OpenFile f = live(op);
        try
        {
            return f.byteOffset(offset);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Moves the shared file pointer, collectively (same arguments on every process). Binds
     * {@code MPI_FILE_SEEK_SHARED}.
     *
     * @param offset offset in etypes
     * @param whence {@code MPI.SEEK_SET}, {@code SEEK_CUR} or {@code SEEK_END}
     * @throws MPIException {@code MPI.ERR_ARG} for a bad whence or a position before the view's start
     */
    public void seekShared(final long offset, final int whence) throws MPIException
    {
        final String op = "MPI_File_seek_shared";
        final OpenFile f = live(op);
        try
        {
            f.seekShared(offset, whence);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * The shared file pointer. Binds {@code MPI_FILE_GET_POSITION_SHARED}.
     *
     * @return offset in etypes
     * @throws MPIException {@code MPI.ERR_FILE} if closed
     */
    public long getPositionShared() throws MPIException
    {
        final String op = "MPI_File_get_position_shared";
        final OpenFile f = live(op);
        try
        {
            return f.positionShared();
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Data access: one dispatcher for every family

    private static final int INDEPENDENT = 0;
    private static final int COLLECTIVE = 1;

    /** The access of {@code count} items of {@code type} in {@code buf}, or the reason it is wrong. */
    private static Access access(final String op, final Object buf, final int count, final Datatype type)
    {
        final String problem = bufferProblem(buf, count, type);
        if (null != problem)
        {
            return Access.failed(new MpiError(problemClass(buf, count, type), op + ": " + problem));
        }
        return new Access(UserBuffer.base(buf), UserBuffer.address(buf), type.typeMap(), count);
    }

    private static String bufferProblem(final Object buf, final int count, final Datatype type)
    {
        if (count < 0)
        {
            return "count " + count + " is negative";
        }
        final String typeProblem = typeProblem(type, "datatype");
        if (null != typeProblem)
        {
            return typeProblem;
        }
        if (null == buf)
        {
            return 0 == count || 0 == type.byteSize ? null : "buffer is null but count is " + count;
        }
        final int element = UserBuffer.elementType(buf);
        if (UserBuffer.UNSUPPORTED == element)
        {
            return "buffer of class " + buf.getClass().getName() + " is not supported; use a primitive array or " +
                "a java.nio buffer";
        }
        if (buf instanceof Buffer && !((Buffer)buf).isDirect() && !((Buffer)buf).hasArray())
        {
            return "heap buffer has no accessible array (read-only, or a view of a heap ByteBuffer)";
        }
        final long low = type.typeMap().lowestOffset(count);
        final long high = type.typeMap().highestOffset(count);
        final long capacity = UserBuffer.capacityBytes(buf);
        if (low < 0 || high > capacity)
        {
            return count + " items of " + type.typeName() + " cover bytes " + low + ".." + high +
                " of the buffer, which holds " + capacity + " bytes";
        }
        return null;
    }

    private static int problemClass(final Object buf, final int count, final Datatype type)
    {
        if (count < 0)
        {
            return ErrorClass.ERR_COUNT;
        }
        if (null != typeProblem(type, "datatype"))
        {
            return ErrorClass.ERR_TYPE;
        }
        if (null == buf || UserBuffer.UNSUPPORTED == UserBuffer.elementType(buf) || buf instanceof Buffer &&
            !((Buffer)buf).isDirect() && !((Buffer)buf).hasArray())
        {
            return ErrorClass.ERR_BUFFER;
        }
        return ErrorClass.ERR_COUNT;
    }

    /** Runs one access; returns the bytes moved. Independent calls refuse bad arguments before touching the file. */
    private long run(final String op, final int kind, final boolean write, final Position where, final long offset,
        final Object buf, final int count, final Datatype type) throws MPIException
    {
        final OpenFile f = live(op);
        final Access access = access(op, buf, count, type);
        try
        {
            if (COLLECTIVE == kind)
            {
                return write ? f.writeAll(where, offset, access) : f.readAll(where, offset, access);
            }
            return write ? f.write(where, offset, access) : f.read(where, offset, access);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /** Starts a non-blocking independent access; bad arguments are refused before it starts. */
    private Request start(final String op, final boolean write, final Position where, final long offset,
        final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        final OpenFile f = live(op);
        final Access access = access(op, buf, count, type);
        try
        {
            return new Request(write ? f.startWrite(where, offset, access) : f.startRead(where, offset, access),
                null, buf);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    private static Status status(final long bytes)
    {
        final Status status = Status.empty();
        status.byteCount = bytes;
        return status;
    }

    private static Request request(final long bytes, final Object buf)
    {
        return new Request(new CompletedIo(bytes), null, buf);
    }

    private void begin(final String endOp, final long bytes)
    {
        beginStatus = status(bytes);
        beginOp = endOp;
    }

    private void checkNoSplit(final String op) throws MPIException
    {
        live(op);
        if (null != beginOp)
        {
            throw raise(ErrorClass.ERR_IO, op + ": a split collective access is already active on this file (" +
                beginOp + " has not been called)");
        }
    }

    private Status end(final String op) throws MPIException
    {
        live(op);
        if (!op.equals(beginOp))
        {
            throw raise(ErrorClass.ERR_IO, op + ": no matching split collective access was begun" +
                (null == beginOp ? "" : " (" + beginOp + " is the one pending)"));
        }
        final Status status = beginStatus;
        beginStatus = null;
        beginOp = null;
        return status;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Explicit offsets

    /**
     * Binds {@code MPI_FILE_READ_AT}.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return status; its count is less than asked at the end of the file
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), {@code ERR_ARG} (negative offset), ...
     */
    public Status readAt(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        return status(run("MPI_File_read_at", INDEPENDENT, false, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_READ_AT_ALL}: collective.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), {@code ERR_ARG} (negative offset), ...
     */
    public Status readAtAll(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        return status(run("MPI_File_read_at_all", COLLECTIVE, false, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_AT}.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), {@code ERR_ARG} (negative offset), ...
     */
    public Status writeAt(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        return status(run("MPI_File_write_at", INDEPENDENT, true, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_AT_ALL}: collective, through aggregator processes.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), {@code ERR_ARG} (negative offset), ...
     */
    public Status writeAtAll(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        return status(run("MPI_File_write_at_all", COLLECTIVE, true, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_IREAD_AT}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #readAt}
     */
    public Request iReadAt(final long offset, final Buffer buf, final int count, final Datatype type)
        throws MPIException
    {
        return start("MPI_File_iread_at", false, Position.EXPLICIT, offset, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_IREAD_AT_ALL}: collective; the read is done when the call returns.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return a completed request
     * @throws MPIException as {@link #readAtAll}
     */
    public Request iReadAtAll(final long offset, final Buffer buf, final int count, final Datatype type)
        throws MPIException
    {
        return request(run("MPI_File_iread_at_all", COLLECTIVE, false, Position.EXPLICIT, offset, buf, count,
            type), buf);
    }

    /**
     * Binds {@code MPI_FILE_IWRITE_AT}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #writeAt}
     */
    public Request iWriteAt(final long offset, final Buffer buf, final int count, final Datatype type)
        throws MPIException
    {
        return start("MPI_File_iwrite_at", true, Position.EXPLICIT, offset, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_IWRITE_AT_ALL}: collective; the write is done when the call returns.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @return a completed request
     * @throws MPIException as {@link #writeAtAll}
     */
    public Request iWriteAtAll(final long offset, final Buffer buf, final int count, final Datatype type)
        throws MPIException
    {
        return request(run("MPI_File_iwrite_at_all", COLLECTIVE, true, Position.EXPLICIT, offset, buf, count,
            type), buf);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Individual file pointer

    /**
     * Binds {@code MPI_FILE_READ} at the individual file pointer, which moves past the data read.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), ...
     */
    public Status read(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_read", INDEPENDENT, false, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_READ_ALL}: collective, at each process's individual file pointer.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), ...
     */
    public Status readAll(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_read_all", COLLECTIVE, false, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE} at the individual file pointer, which moves past the data written.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), ...
     */
    public Status write(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_write", INDEPENDENT, true, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ALL}: collective, at each process's individual file pointer.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), ...
     */
    public Status writeAll(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_write_all", COLLECTIVE, true, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_IREAD}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #read}
     */
    public Request iRead(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return start("MPI_File_iread", false, Position.INDIVIDUAL, 0, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_IREAD_ALL}: collective; the read is done when the call returns.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return a completed request
     * @throws MPIException as {@link #readAll}
     */
    public Request iReadAll(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return request(run("MPI_File_iread_all", COLLECTIVE, false, Position.INDIVIDUAL, 0, buf, count, type), buf);
    }

    /**
     * Binds {@code MPI_FILE_IWRITE}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #write}
     */
    public Request iWrite(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return start("MPI_File_iwrite", true, Position.INDIVIDUAL, 0, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_IWRITE_ALL}: collective; the write is done when the call returns.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return a completed request
     * @throws MPIException as {@link #writeAll}
     */
    public Request iWriteAll(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return request(run("MPI_File_iwrite_all", COLLECTIVE, true, Position.INDIVIDUAL, 0, buf, count, type), buf);
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Shared file pointer

    /**
     * Binds {@code MPI_FILE_READ_SHARED}: reads at the shared file pointer, which every process of the group
     * moves.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), ...
     */
    public Status readShared(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_read_shared", INDEPENDENT, false, Position.SHARED, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_SHARED}: writes at the shared file pointer, which every process of the group
     * moves.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), ...
     */
    public Status writeShared(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_write_shared", INDEPENDENT, true, Position.SHARED, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_IREAD_SHARED}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #readShared}
     */
    public Request iReadShared(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return start("MPI_File_iread_shared", false, Position.SHARED, 0, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_IWRITE_SHARED}: the transfer runs in the background; the buffer must not be touched until the request
     * completes.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return the request of the access; its status counts the bytes moved
     * @throws MPIException as {@link #writeShared}
     */
    public Request iWriteShared(final Buffer buf, final int count, final Datatype type) throws MPIException
    {
        return start("MPI_File_iwrite_shared", true, Position.SHARED, 0, buf, count, type);
    }

    /**
     * Binds {@code MPI_FILE_READ_ORDERED}: collective; the processes read one after the other in rank order from
     * the shared file pointer.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_ACCESS} (write-only file), ...
     */
    public Status readOrdered(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_read_ordered", COLLECTIVE, false, Position.SHARED, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ORDERED}: collective; the processes write one after the other in rank order
     * from the shared file pointer.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @return status
     * @throws MPIException {@code MPI.ERR_READ_ONLY} (read-only file), ...
     */
    public Status writeOrdered(final Object buf, final int count, final Datatype type) throws MPIException
    {
        return status(run("MPI_File_write_ordered", COLLECTIVE, true, Position.SHARED, 0, buf, count, type));
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Split collectives: the access runs in the begin call, the end call returns its status.

    /**
     * Binds {@code MPI_FILE_READ_AT_ALL_BEGIN}.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @throws MPIException as {@link #readAtAll}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void readAtAllBegin(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        final String op = "MPI_File_read_at_all_begin";
        checkNoSplit(op);
        begin("MPI_File_read_at_all_end", run(op, COLLECTIVE, false, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_READ_AT_ALL_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status readAtAllEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_read_at_all_end");
    }

    /**
     * Binds {@code MPI_FILE_WRITE_AT_ALL_BEGIN}.
     *
     * @param offset file offset in etypes
     * @param buf    buffer
     * @param count  number of items in buffer
     * @param type   datatype of each buffer element
     * @throws MPIException as {@link #writeAtAll}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void writeAtAllBegin(final long offset, final Object buf, final int count, final Datatype type)
        throws MPIException
    {
        final String op = "MPI_File_write_at_all_begin";
        checkNoSplit(op);
        begin("MPI_File_write_at_all_end", run(op, COLLECTIVE, true, Position.EXPLICIT, offset, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_AT_ALL_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status writeAtAllEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_write_at_all_end");
    }

    /**
     * Binds {@code MPI_FILE_READ_ALL_BEGIN}.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @throws MPIException as {@link #readAll}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void readAllBegin(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_File_read_all_begin";
        checkNoSplit(op);
        begin("MPI_File_read_all_end", run(op, COLLECTIVE, false, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_READ_ALL_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status readAllEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_read_all_end");
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ALL_BEGIN}.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @throws MPIException as {@link #writeAll}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void writeAllBegin(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_File_write_all_begin";
        checkNoSplit(op);
        begin("MPI_File_write_all_end", run(op, COLLECTIVE, true, Position.INDIVIDUAL, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ALL_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status writeAllEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_write_all_end");
    }

    /**
     * Binds {@code MPI_FILE_READ_ORDERED_BEGIN}.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @throws MPIException as {@link #readOrdered}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void readOrderedBegin(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_File_read_ordered_begin";
        checkNoSplit(op);
        begin("MPI_File_read_ordered_end", run(op, COLLECTIVE, false, Position.SHARED, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_READ_ORDERED_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status readOrderedEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_read_ordered_end");
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ORDERED_BEGIN}.
     *
     * @param buf   buffer
     * @param count number of items in buffer
     * @param type  datatype of each buffer element
     * @throws MPIException as {@link #writeOrdered}; {@code MPI.ERR_IO} if a split access is already active
     */
    public void writeOrderedBegin(final Object buf, final int count, final Datatype type) throws MPIException
    {
        final String op = "MPI_File_write_ordered_begin";
        checkNoSplit(op);
        begin("MPI_File_write_ordered_end", run(op, COLLECTIVE, true, Position.SHARED, 0, buf, count, type));
    }

    /**
     * Binds {@code MPI_FILE_WRITE_ORDERED_END}.
     *
     * @param buf buffer
     * @return status of the access
     * @throws MPIException {@code MPI.ERR_IO} without a matching begin
     */
    public Status writeOrderedEnd(final Object buf) throws MPIException
    {
        return end("MPI_File_write_ordered_end");
    }
}
