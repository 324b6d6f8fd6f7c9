package mpi;

import io.mpi4j.comm.Communicator;
import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * An intra-communicator: communication within one group of processes. {@code MPI.COMM_WORLD} and
 * {@code MPI.COMM_SELF} are intra-communicators. Duplication, splitting, topologies and collectives live here.
 */
public class Intracomm extends Comm
{
    Intracomm(final int predefined, final Communicator state, final Errhandler errhandler)
    {
        super(predefined, state, errhandler);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Communicator management: dup, split, create. The work is in io.mpi4j.comm.

    /**
     * Duplicates this communicator. Binds {@code MPI_COMM_DUP}; see {@link Comm#dup()}.
     *
     * @return the new communicator
     * @throws MPIException if MPI is not running, the communicator was freed or a copy callback failed
     */
    @Override
    public Intracomm dup() throws MPIException
    {
        return dupAs("MPI_Comm_dup", s -> new Intracomm(USER, s, null));
    }

    @Override
    public Intracomm clone()
    {
        return (Intracomm)super.clone();
    }

    /**
     * Duplicates with hints (mpi4j takes none). Binds {@code MPI_COMM_DUP_WITH_INFO}.
     *
     * @param info hints
     * @return the new communicator
     * @throws MPIException as {@link #dup()}
     */
    @Override
    public Intracomm dupWithInfo(final Info info) throws MPIException
    {
        return dup();
    }

    /**
     * Starts a duplication. Binds {@code MPI_COMM_IDUP}: use the result once {@code getRequest()} on it completes.
     *
     * @return the new communicator
     * @throws MPIException if MPI is not running or the communicator was freed
     */
    @Override
    public Intracomm iDup() throws MPIException
    {
        return iDupAs("MPI_Comm_idup", s -> new Intracomm(USER, s, null));
    }

    /**
     * Partitions the group. Binds {@code MPI_COMM_SPLIT}: processes with the same color form a communicator, ranked
     * by key then by rank here.
     *
     * @param colour subset, or {@code MPI.UNDEFINED} to be in none
     * @param key    rank order within the subset
     * @return the new communicator, or {@code MPI.COMM_NULL} for {@code MPI.UNDEFINED}
     * @throws MPIException if MPI is not running, the communicator was freed or the colour is negative
     */
    public final Intracomm split(final int colour, final int key) throws MPIException
    {
        final String op = "MPI_Comm_split";
        final Communicator c = live(op);
        if (colour < 0 && colour != MPI.UNDEFINED)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, op + ": colour " + colour +
                " is negative (use MPI.UNDEFINED to be in no group)");
        }
        return wrapNew(op, () -> CommSupport.factory().split(c, colour, key, MPI.UNDEFINED));
    }

    /**
     * Partitions the group by type. Binds {@code MPI_COMM_SPLIT_TYPE}; with {@code MPI.COMM_TYPE_SHARED} the
     * processes of each node (those that share memory) form one communicator.
     *
     * @param splitType {@code MPI.COMM_TYPE_SHARED} or {@code MPI.UNDEFINED}
     * @param key       rank order
     * @param info      hints (ignored)
     * @return the new communicator, or {@code MPI.COMM_NULL}
     * @throws MPIException for an unknown split type
     */
    public final Intracomm splitType(final int splitType, final int key, final Info info) throws MPIException
    {
        final String op = "MPI_Comm_split_type";
        final Communicator c = live(op);
        if (splitType != MPI.COMM_TYPE_SHARED && splitType != MPI.UNDEFINED)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, op + ": split type " + splitType +
                " is not MPI.COMM_TYPE_SHARED or MPI.UNDEFINED");
        }
        final int colour = MPI.UNDEFINED == splitType ? MPI.UNDEFINED : nodeColour();
        return wrapNew(op, () -> CommSupport.factory().split(c, colour, key, MPI.UNDEFINED));
    }

    /**
     * The lowest rank of this communicator on this process's node, by the node identity the transports use (the
     * nodes that network namespaces or containers make of one machine are different nodes, as they are to TCP).
     */
    private int nodeColour() throws MPIException
    {
        final long[] nodes = new long[getSize()];
        allGather(new long[] {io.mpi4j.runtime.MpiRuntime.nodeHash()}, 1, MPI.LONG, nodes, 1, MPI.LONG);
        final long mine = nodes[getRank()];
        int colour = 0;
        while (nodes[colour] != mine)
        {
            colour++;
        }
        return colour;
    }

    /**
     * Creates a communicator for a subgroup. Collective over this communicator. Binds {@code MPI_COMM_CREATE}.
     *
     * @param group subgroup of this communicator's group
     * @return the new communicator, or {@code MPI.COMM_NULL} outside the group
     * @throws MPIException {@code MPI.ERR_GROUP} if the group is freed or not a subgroup
     */
    public final Intracomm create(final Group group) throws MPIException
    {
        final String op = "MPI_Comm_create";
        final Communicator c = live(op);
        final long[] members = subgroup(op, c, group);
        final int rank = group.rankOf(c.member(c.rank()));
        return wrapNew(op, () -> CommSupport.factory().create(c, members, rank));
    }

    /**
     * Creates a communicator for a subgroup; collective over the group's members only. Binds
     * {@code MPI_COMM_CREATE_GROUP}.
     *
     * @param group subgroup of this communicator's group, with the calling process in it
     * @param tag   tag distinguishing concurrent calls
     * @return the new communicator
     * @throws MPIException {@code MPI.ERR_GROUP} if the group is freed, not a subgroup or lacks this process
     */
    public final Intracomm createGroup(final Group group, final int tag) throws MPIException
    {
        final String op = "MPI_Comm_create_group";
        final Communicator c = live(op);
        final long[] members = subgroup(op, c, group);
        checkSendTag(op, tag);
        final int rank = group.rankOf(c.member(c.rank()));
        if (rank < 0)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the calling process is not in the group");
        }
        return wrapNew(op, () -> CommSupport.factory().createGroup(c, members, rank, tag));
    }

    private long[] subgroup(final String op, final Communicator c, final Group group) throws MPIException
    {
        if (null == group || group.isNull())
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the group is null or freed");
        }
        final long[] members = group.members();
        final java.util.HashSet<Long> mine = new java.util.HashSet<>();
        for (int r = 0; r < c.size(); r++)
        {
            mine.add(c.member(r));
        }
        for (final long key : members)
        {
            if (!mine.contains(key))
            {
                throw raise(io.mpi4j.errors.ErrorClass.ERR_GROUP, op + ": the group is not a subgroup of " + c.name());
            }
        }
        return members;
    }

    /**
     * A new communicator of the members that have not failed, in their rank order, agreed by all of them. Binds
     * {@code MPI_Comm_shrink} (ULFM): collective over the live members, works on a revoked communicator; the new
     * communicator has this one's error handler.
     */
    public final Intracomm shrink() throws MPIException
    {
        final String op = "MPI_Comm_shrink";
        final Communicator c = live(op);
        return wrapNew(op, () -> FaultToleranceCalls.engine().shrink(c));
    }

    private Intracomm wrapNew(final String op, final java.util.function.Supplier<Communicator> make)
        throws MPIException
    {
        final Communicator made;
        try
        {
            made = make.get();
        }
        catch (final io.mpi4j.errors.MpiError ex)
        {
            throw raise(op, ex);
        }
        return null == made ? MPI.COMM_NULL : new Intracomm(USER, made, getErrhandler());
    }

    // ------------------------------------------------------------------------------------------------------------
    // Process topologies: the work is in CartComm.create / GraphComm.create.

    /**
     * Makes a communicator with a Cartesian grid attached. Collective. Binds {@code MPI_CART_CREATE}: the first
     * {@code product(dims)} ranks form the grid in row-major order; {@code reorder} is accepted and changes nothing.
     *
     * @param dims    number of processes in each dimension
     * @param periods per dimension, whether it wraps around
     * @param reorder whether ranks may be reordered
     * @return the new communicator; in a process beyond the grid one whose {@code isNull()} is true
     * @throws MPIException {@code MPI.ERR_ARG} for null or mismatched arrays, {@code MPI.ERR_DIMS} for a dimension
     *                      below one, {@code MPI.ERR_TOPOLOGY} if the grid is larger than this communicator
     */
    public final CartComm createCart(final int[] dims, final boolean[] periods, final boolean reorder)
        throws MPIException
    {
        return CartComm.create(this, dims, periods);
    }

    /**
     * Makes a communicator with a graph attached. Collective. Binds {@code MPI_GRAPH_CREATE}: the first
     * {@code index.length} ranks become the nodes; {@code reorder} is accepted and changes nothing.
     *
     * @param index   node degrees as running totals
     * @param edges   neighbour lists of all nodes, one after another
     * @param reorder whether ranks may be reordered
     * @return the new communicator; in a process that is not a node one whose {@code isNull()} is true
     * @throws MPIException {@code MPI.ERR_ARG} for a malformed graph, {@code MPI.ERR_TOPOLOGY} for more nodes than
     *                      this communicator has processes
     */
    public final GraphComm createGraph(final int[] index, final int[] edges, final boolean reorder)
        throws MPIException
    {
        return GraphComm.create(this, index, edges);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Collective operations: prefix reductions, which only intracommunicators have.

    /**
     * Inclusive prefix reduction: rank i receives the reduction of ranks 0..i. Binds {@code MPI_SCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void scan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, false);
    }

    /**
     * In-place inclusive prefix reduction. Binds {@code MPI_SCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void scan(final Object buf, final int count, final Datatype type, final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, buf, buf, count, type, op, false);
    }

    /**
     * Exclusive prefix reduction: rank i receives the reduction of ranks 0..i-1 (rank 0's buffer is left as it
     * is). Binds {@code MPI_EXSCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void exScan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, true);
    }

    /**
     * In-place exclusive prefix reduction. Binds {@code MPI_EXSCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @throws MPIException on invalid arguments
     */
    public final void exScan(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        CollectiveCalls.scan(this, buf, buf, count, type, op, true);
    }

    // ---- dynamic processes: spawn, ports, connect/accept, names. Semantics in io.mpi4j.dpm.

    /**
     * Starts {@code maxprocs} copies of a program. Binds {@code MPI_COMM_SPAWN}; collective, the first four
     * arguments are significant at {@code root} only. Command "java" starts this JVM's java with the mpi4j runtime
     * and this process's class path ({@code argv[0]} is the class, or {@code -jar x.jar}); any other command is an
     * executable looked up in the {@code wdir} info key's directory, then in the {@code path} info key's
     * directories, then in {@code PATH}. Info keys: {@code wdir}, {@code path}, {@code env} (newline-separated
     * VAR=value), {@code soft}, {@code host}, {@code hostfile}.
     *
     * @param command  program to start
     * @param argv     its arguments, passed verbatim; null for none
     * @param maxprocs number of processes
     * @param info     where and how to start them, or {@code MPI.INFO_NULL}
     * @param root     rank whose arguments count
     * @param errcodes one code per process, or null
     * @return intercommunicator: this group local, the children remote
     * @throws MPIException {@code ERR_SPAWN}, {@code ERR_ROOT}, {@code ERR_ARG}, {@code ERR_INFO_VALUE}
     */
    public final Intercomm spawn(final String command, final String[] argv, final int maxprocs, final Info info,
        final int root, final int[] errcodes) throws MPIException
    {
        final String op = "MPI_Comm_spawn";
        final Communicator c = live(op);
        checkSpawnRoot(op, c, root);
        MpiError rootError = null;
        io.mpi4j.runtime.SpawnRequest request = null;
        if (c.rank() == root)
        {
            try
            {
                if (null != errcodes && errcodes.length < maxprocs)
                {
                    throw new MpiError(ErrorClass.ERR_ARG, "errcodes has " + errcodes.length +
                        " elements, fewer than maxprocs " + maxprocs);
                }
                request = DynamicSupport.request(java.util.List.of(DynamicSupport.app(command, argv, maxprocs, info)));
            }
            catch (final MpiError ex)
            {
                rootError = ex;
            }
        }
        return spawnOn(op, c, root, request, errcodes, rootError);
    }

    /**
     * Starts several programs as one job. Binds {@code MPI_COMM_SPAWN_MULTIPLE}; the children of
     * {@code commands[i]} see {@code MPI.APPNUM} = i and share one {@code COMM_WORLD}, in application order.
     *
     * @param commands programs
     * @param argv     arguments per program, or null
     * @param maxprocs processes per program
     * @param info     info per program
     * @param root     rank whose arguments count
     * @param errcodes one code per process, or null
     * @return intercommunicator: this group local, the children remote
     * @throws MPIException as {@link #spawn}
     */
    public final Intercomm spawnMultiple(final String[] commands, final String[][] argv, final int[] maxprocs,
        final Info[] info, final int root, final int[] errcodes) throws MPIException
    {
        final String op = "MPI_Comm_spawn_multiple";
        final Communicator c = live(op);
        checkSpawnRoot(op, c, root);
        MpiError rootError = null;
        io.mpi4j.runtime.SpawnRequest request = null;
        if (c.rank() == root)
        {
            try
            {
                if (null == commands || null == maxprocs || maxprocs.length < commands.length ||
                    (null != argv && argv.length < commands.length) || (null != info && info.length < commands.length))
                {
                    throw new MpiError(ErrorClass.ERR_ARG, "commands, argv, maxprocs and info must have one entry " +
                        "per program");
                }
                final java.util.List<io.mpi4j.runtime.SpawnRequest.App> apps = new java.util.ArrayList<>();
                long total = 0;
                for (int i = 0; i < commands.length; i++)
                {
                    apps.add(DynamicSupport.app(commands[i], null == argv ? null : argv[i], maxprocs[i],
                        null == info ? null : info[i]));
                    total += maxprocs[i];
                }
                if (null != errcodes && errcodes.length < total)
                {
                    throw new MpiError(ErrorClass.ERR_ARG, "errcodes has " + errcodes.length +
                        " elements, fewer than the " + total + " processes asked for");
                }
                request = DynamicSupport.request(apps);
            }
            catch (final MpiError ex)
            {
                rootError = ex;
            }
        }
        return spawnOn(op, c, root, request, errcodes, rootError);
    }

    private void checkSpawnRoot(final String op, final Communicator c, final int root) throws MPIException
    {
        if (root < 0 || root >= c.size())
        {
            throw raise(ErrorClass.ERR_ROOT, op + ": root " + root + " is out of range (valid: 0.." +
                (c.size() - 1) + ")");
        }
    }

    private Intercomm spawnOn(final String op, final Communicator c, final int root,
        final io.mpi4j.runtime.SpawnRequest request, final int[] errcodes, final MpiError rootError)
        throws MPIException
    {
        try
        {
            return new Intercomm(DynamicSupport.engine().spawn(c, root, request, errcodes, rootError), null);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Opens a port. Binds {@code MPI_OPEN_PORT} with {@code MPI_INFO_NULL}.
     *
     * @return the port name
     * @throws MPIException if MPI is not running
     */
    public static String openPort() throws MPIException
    {
        return openPort(MPI.INFO_NULL);
    }

    /**
     * Opens a port. Binds {@code MPI_OPEN_PORT}; the info is ignored.
     *
     * @param info hints
     * @return the port name
     * @throws MPIException if MPI is not running
     */
    public static String openPort(final Info info) throws MPIException
    {
        final String op = "MPI_Open_port";
        MPI.check(op);
        try
        {
            return DynamicSupport.engine().openPort();
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    /**
     * Closes a port. Binds {@code MPI_CLOSE_PORT}.
     *
     * @param name port name from {@link #openPort()}
     * @throws MPIException {@code ERR_PORT} for a name that is no port
     */
    public static void closePort(final String name) throws MPIException
    {
        final String op = "MPI_Close_port";
        MPI.check(op);
        try
        {
            DynamicSupport.engine().closePort(name);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    /**
     * Accepts a connection on a port. Binds {@code MPI_COMM_ACCEPT} with {@code MPI_INFO_NULL}.
     *
     * @param port port name (significant at root)
     * @param root rank that accepts
     * @return intercommunicator with the client as remote group
     * @throws MPIException {@code ERR_PORT}, {@code ERR_ROOT}
     */
    public final Intercomm accept(final String port, final int root) throws MPIException
    {
        return accept(port, MPI.INFO_NULL, root);
    }

    /**
     * Accepts a connection on a port. Binds {@code MPI_COMM_ACCEPT}; collective, waits for a client.
     *
     * @param port port name (significant at root)
     * @param info hints (ignored)
     * @param root rank that accepts
     * @return intercommunicator with the client as remote group
     * @throws MPIException {@code ERR_PORT}, {@code ERR_ROOT}
     */
    public final Intercomm accept(final String port, final Info info, final int root) throws MPIException
    {
        final String op = "MPI_Comm_accept";
        final Communicator c = live(op);
        checkSpawnRoot(op, c, root);
        try
        {
            return new Intercomm(DynamicSupport.engine().accept(c, port, root), null);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Connects to a port. Binds {@code MPI_COMM_CONNECT} with {@code MPI_INFO_NULL}.
     *
     * @param port port name (significant at root)
     * @param root rank that connects
     * @return intercommunicator with the server as remote group
     * @throws MPIException {@code ERR_PORT} when the port is not open, {@code ERR_ROOT}
     */
    public final Intercomm connect(final String port, final int root) throws MPIException
    {
        return connect(port, MPI.INFO_NULL, root);
    }

    /**
     * Connects to a port. Binds {@code MPI_COMM_CONNECT}; collective.
     *
     * @param port port name (significant at root)
     * @param info hints (ignored)
     * @param root rank that connects
     * @return intercommunicator with the server as remote group
     * @throws MPIException {@code ERR_PORT} when the port is not open, {@code ERR_ROOT}
     */
    public final Intercomm connect(final String port, final Info info, final int root) throws MPIException
    {
        final String op = "MPI_Comm_connect";
        final Communicator c = live(op);
        checkSpawnRoot(op, c, root);
        try
        {
            return new Intercomm(DynamicSupport.engine().connect(c, port, root), null);
        }
        catch (final MpiError ex)
        {
            throw raise(op, ex);
        }
    }

    /**
     * Publishes a service name. Binds {@code MPI_PUBLISH_NAME} with {@code MPI_INFO_NULL}.
     *
     * @param service service name
     * @param port    port name
     * @throws MPIException {@code ERR_SERVICE} when already published
     */
    public static void publishName(final String service, final String port) throws MPIException
    {
        publishName(service, MPI.INFO_NULL, port);
    }

    /**
     * Publishes a service name, visible to every job of this launcher. Binds {@code MPI_PUBLISH_NAME}.
     *
     * @param service service name
     * @param info    hints (ignored)
     * @param port    port name
     * @throws MPIException {@code ERR_SERVICE} when already published
     */
    public static void publishName(final String service, final Info info, final String port) throws MPIException
    {
        final String op = "MPI_Publish_name";
        MPI.check(op);
        if (null == service || null == port)
        {
            throw MPI.COMM_WORLD.raise(ErrorClass.ERR_ARG, op + ": service and port must not be null");
        }
        try
        {
            DynamicSupport.engine().publishName(service, port);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    /**
     * Withdraws a service name. Binds {@code MPI_UNPUBLISH_NAME} with {@code MPI_INFO_NULL}.
     *
     * @param service service name
     * @param port    port name
     * @throws MPIException {@code ERR_SERVICE} when not published
     */
    public static void unpublishName(final String service, final String port) throws MPIException
    {
        unpublishName(service, MPI.INFO_NULL, port);
    }

    /**
     * Withdraws a service name. Binds {@code MPI_UNPUBLISH_NAME}.
     *
     * @param service service name
     * @param info    hints (ignored)
     * @param port    port name
     * @throws MPIException {@code ERR_SERVICE} when not published
     */
    public static void unpublishName(final String service, final Info info, final String port) throws MPIException
    {
        final String op = "MPI_Unpublish_name";
        MPI.check(op);
        try
        {
            DynamicSupport.engine().unpublishName(service, port);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    /**
     * Looks a service name up. Binds {@code MPI_LOOKUP_NAME} with {@code MPI_INFO_NULL}.
     *
     * @param service service name
     * @return the published port name
     * @throws MPIException {@code ERR_NAME} when not published
     */
    public static String lookupName(final String service) throws MPIException
    {
        return lookupName(service, MPI.INFO_NULL);
    }

    /**
     * Looks a service name up. Binds {@code MPI_LOOKUP_NAME}.
     *
     * @param service service name
     * @param info    hints (ignored)
     * @return the published port name
     * @throws MPIException {@code ERR_NAME} when not published
     */
    public static String lookupName(final String service, final Info info) throws MPIException
    {
        final String op = "MPI_Lookup_name";
        MPI.check(op);
        try
        {
            return DynamicSupport.engine().lookupName(service);
        }
        catch (final MpiError ex)
        {
            throw MPI.COMM_WORLD.raise(op, ex);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Non-blocking scans and distributed graphs

    /**
     * Starts an inclusive prefix reduction. Binds {@code MPI_ISCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        return CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, false, false);
    }

    /**
     * Starts an in-place inclusive prefix reduction. Binds {@code MPI_ISCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iScan(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        return CollectiveCalls.scan(this, buf, buf, count, type, op, false, false);
    }

    /**
     * Starts an exclusive prefix reduction (rank 0's receive buffer is left as it is). Binds {@code MPI_IEXSCAN}.
     *
     * @param sendbuf send buffer
     * @param recvbuf receive buffer
     * @param count   number of items
     * @param type    datatype of each item
     * @param op      reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iExScan(final Object sendbuf, final Object recvbuf, final int count, final Datatype type,
        final Op op) throws MPIException
    {
        return CollectiveCalls.scan(this, sendbuf, recvbuf, count, type, op, true, false);
    }

    /**
     * Starts an in-place exclusive prefix reduction. Binds {@code MPI_IEXSCAN} with {@code MPI_IN_PLACE}.
     *
     * @param buf   input and result
     * @param count number of items
     * @param type  datatype of each item
     * @param op    reduction operator
     * @return request
     * @throws MPIException on invalid arguments
     */
    public final Request iExScan(final Object buf, final int count, final Datatype type, final Op op)
        throws MPIException
    {
        return CollectiveCalls.scan(this, buf, buf, count, type, op, true, false);
    }

    /**
     * Creates a communicator with a distributed graph: this process declares the edges from {@code sources[i]} to
     * the next {@code degrees[i]} entries of {@code destinations}, any process may declare any edge. Binds
     * {@code MPI_DIST_GRAPH_CREATE}; collective. Every process of this communicator is a node; no reordering.
     *
     * @param sources      source nodes of the edges this process declares
     * @param degrees      number of edges of each source node
     * @param destinations destination nodes, {@code degrees[0]} for the first source, and so on
     * @param weights      weight of each edge
     * @param info         hints (ignored)
     * @param reorder      whether ranks may be reordered (they are not)
     * @return communicator with the distributed graph
     * @throws MPIException {@code MPI.ERR_ARG} / {@code MPI.ERR_RANK} for invalid edges
     */
    public final GraphComm createDistGraph(final int[] sources, final int[] degrees, final int[] destinations,
        final int[] weights, final Info info, final boolean reorder) throws MPIException
    {
        if (null == weights)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, "MPI_Dist_graph_create: weights is null; use the form " +
                "without weights for MPI_UNWEIGHTED");
        }
        return GraphComm.createDist(this, sources, degrees, destinations, weights);
    }

    /**
     * Creates a communicator with an unweighted distributed graph. Binds {@code MPI_DIST_GRAPH_CREATE} with
     * {@code MPI_UNWEIGHTED}.
     *
     * @param sources      source nodes of the edges this process declares
     * @param degrees      number of edges of each source node
     * @param destinations destination nodes, {@code degrees[0]} for the first source, and so on
     * @param info         hints (ignored)
     * @param reorder      whether ranks may be reordered (they are not)
     * @return communicator with the distributed graph
     * @throws MPIException {@code MPI.ERR_ARG} / {@code MPI.ERR_RANK} for invalid edges
     */
    public final GraphComm createDistGraph(final int[] sources, final int[] degrees, final int[] destinations,
        final Info info, final boolean reorder) throws MPIException
    {
        return GraphComm.createDist(this, sources, degrees, destinations, null);
    }

    /**
     * Creates a communicator with a distributed graph where each process gives its own in- and out-edges. Binds
     * {@code MPI_DIST_GRAPH_CREATE_ADJACENT}; collective, no reordering.
     *
     * @param sources       processes with an edge to this one
     * @param sourceWeights weights of those edges
     * @param destinations  processes this one has an edge to
     * @param destWeights   weights of those edges
     * @param info          hints (ignored)
     * @param reorder       whether ranks may be reordered (they are not)
     * @return communicator with the distributed graph
     * @throws MPIException {@code MPI.ERR_ARG} / {@code MPI.ERR_RANK} for invalid edges
     */
    public final GraphComm createDistGraphAdjacent(final int[] sources, final int[] sourceWeights,
        final int[] destinations, final int[] destWeights, final Info info, final boolean reorder)
        throws MPIException
    {
        if (null == sourceWeights || null == destWeights)
        {
            throw raise(io.mpi4j.errors.ErrorClass.ERR_ARG, "MPI_Dist_graph_create_adjacent: weights are null; use " +
                "the form without weights for MPI_UNWEIGHTED");
        }
        return GraphComm.createDistAdjacent(this, sources, sourceWeights, destinations, destWeights);
    }

    /**
     * Creates a communicator with an unweighted distributed graph where each process gives its own in- and
     * out-edges. Binds {@code MPI_DIST_GRAPH_CREATE_ADJACENT} with {@code MPI_UNWEIGHTED}.
     *
     * @param sources      processes with an edge to this one
     * @param destinations processes this one has an edge to
     * @param info         hints (ignored)
     * @param reorder      whether ranks may be reordered (they are not)
     * @return communicator with the distributed graph
     * @throws MPIException {@code MPI.ERR_ARG} / {@code MPI.ERR_RANK} for invalid edges
     */
    public final GraphComm createDistGraphAdjacent(final int[] sources, final int[] destinations, final Info info,
        final boolean reorder) throws MPIException
    {
        return GraphComm.createDistAdjacent(this, sources, null, destinations, null);
    }
}
