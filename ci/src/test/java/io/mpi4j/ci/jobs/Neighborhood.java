package io.mpi4j.ci.jobs;

import mpi.CartComm;
import mpi.Comm;
import mpi.DistGraphNeighbors;
import mpi.GraphComm;
import mpi.Intracomm;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * Neighbourhood collectives (allgather(v), alltoall(v), blocking and not) on Cartesian grids (periodic, with
 * dimensions of one and two processes whose two neighbours coincide, and non-periodic with PROC_NULL at the
 * edges), on a general graph and on distributed graphs from both creation calls; distributed-graph queries;
 * bad input failing with its error class.
 */
public final class Neighborhood
{
    private static int rank;
    private static int size;

    /** What {@code sender} puts in the block it sends along (dim, dir) of a grid, item i. */
    private static int grid(final int sender, final int dim, final int dir, final int i)
    {
        return sender * 100_000 + dim * 1000 + (dir + 1) * 100 + i;
    }

    /** What {@code sender} puts in its k-th block to {@code dest} of a graph, item i. */
    private static int edge(final int sender, final int dest, final int k, final int i)
    {
        return sender * 1_000_000 + dest * 10_000 + k * 100 + i;
    }

    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Intracomm world = MPI.COMM_WORLD;
        world.setErrhandler(MPI.ERRORS_RETURN);
        rank = world.getRank();
        size = world.getSize();

        // a periodic ring, a periodic 2-d grid whose last dimension has one process, a non-periodic line
        final CartComm ring = world.createCart(new int[] {size}, new boolean[] {true}, false);
        cartesian(ring, 3);
        final int[] dims = {0, 1};
        CartComm.createDims(size, dims);
        final CartComm torus = world.createCart(dims, new boolean[] {true, true}, false);
        cartesian(torus, 2);
        final CartComm line = world.createCart(new int[] {size}, new boolean[] {false}, false);
        cartesian(line, 5);
        cartesian(line.dup(), 0);

        // a general graph: ring neighbours, rank 0 also its own neighbour (a self loop) and rank 1's twice
        final int[] index = new int[size];
        final java.util.List<Integer> edges = new java.util.ArrayList<>();
        for (int r = 0; r < size; r++)
        {
            edges.add((r + size - 1) % size);
            edges.add((r + 1) % size);
            if (r == 0)
            {
                edges.add(0);
                edges.add(1 % size);
            }
            if (r == 1 % size && r != 0)
            {
                edges.add(0);
            }
            index[r] = edges.size();
        }
        final GraphComm graph =
            world.createGraph(index, edges.stream().mapToInt(Integer::intValue).toArray(), false);
        Expect.equal(MPI.GRAPH, graph.getTopology(), "graph topology");
        final int[] nb = graph.getNeighbors(rank);
        graphExchange(graph, nb, nb, 4);

        // distributed graph, declared by others: rank r declares r -> r+1 (weight r) and (r+2) -> r (weight 7);
        // rank 0 also declares a self loop 0 -> 0 for the last rank
        final int last = size - 1;
        final int[] sources = rank == 0 ? new int[] {rank, (rank + 2) % size, last} : new int[] {rank,
            (rank + 2) % size};
        final int[] degrees = rank == 0 ? new int[] {1, 1, 1} : new int[] {1, 1};
        final int[] dests = rank == 0 ? new int[] {(rank + 1) % size, rank, last} : new int[] {(rank + 1) % size,
            rank};
        final int[] weights = rank == 0 ? new int[] {rank, 7, 9} : new int[] {rank, 7};
        final GraphComm dist = world.createDistGraph(sources, degrees, dests, weights, MPI.INFO_NULL, false);
        Expect.equal(MPI.DIST_GRAPH, dist.getTopology(), "dist graph topology");
        final DistGraphNeighbors dn = dist.getDistGraphNeighbors();
        Expect.that(dn.isWeighted(), "weighted");
        // in: from r-1 (weight r-1), from r+2 (weight 7), plus the self loop at the last rank
        final int selfLoop = rank == last ? 1 : 0;
        Expect.equal(2 + selfLoop, dn.getInDegree(), "in-degree");
        Expect.equal(2 + selfLoop, dn.getOutDegree(), "out-degree");
        final int[] in = new int[dn.getInDegree()];
        final int[] out = new int[dn.getOutDegree()];
        int seenPrev = 0;
        int seenNext2 = 0;
        for (int i = 0; i < in.length; i++)
        {
            in[i] = dn.getSource(i);
            if (in[i] == (rank + size - 1) % size && dn.getSourceWeight(i) == (rank + size - 1) % size) seenPrev++;
            if (in[i] == (rank + 2) % size && dn.getSourceWeight(i) == 7) seenNext2++;
        }
        Expect.that(seenPrev >= 1 && seenNext2 >= 1, "dist graph sources and weights");
        for (int i = 0; i < out.length; i++) out[i] = dn.getDestination(i);
        graphExchange(dist, in, out, 6);
        graphExchange(dist.dup(), in, out, 1);
        Expect.equal(MPI.DIST_GRAPH, dist.dup().getTopology(), "dup keeps the dist graph");

        // adjacent, unweighted: each rank receives from r-1 and r-2, sends to r+1 and r+2
        final int[] asrc = {(rank + size - 1) % size, (rank + 2 * size - 2) % size};
        final int[] adst = {(rank + 1) % size, (rank + 2) % size};
        final GraphComm adj = world.createDistGraphAdjacent(asrc, adst, MPI.INFO_NULL, false);
        final DistGraphNeighbors an = adj.getDistGraphNeighbors();
        Expect.that(!an.isWeighted(), "unweighted");
        Expect.equal(2, an.getInDegree(), "adjacent in-degree");
        Expect.equal(adst[1], an.getDestination(1), "adjacent destination order");
        graphExchange(adj, asrc, adst, 3);
        final int[] sw = {5, 6};
        final GraphComm adjw = world.createDistGraphAdjacent(asrc, sw, adst, new int[] {8, 9}, MPI.INFO_NULL, false);
        Expect.equal(6, adjw.getDistGraphNeighbors().getSourceWeight(1), "adjacent weights");
        Expect.equal(9, adjw.getDistGraphNeighbors().getDestinationWeight(1), "adjacent weights");

        errors(world, graph, dist);
        System.out.println("OK neighborhood rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    /** On a grid: allgather and alltoall (blocking, non-blocking, v forms) against the direction rule. */
    private static void cartesian(final CartComm cart, final int n) throws MPIException
    {
        Expect.equal(MPI.CART, cart.getTopology(), "cart topology");
        final int nd = cart.getDim();
        final int[] nbr = new int[2 * nd];
        for (int d = 0; d < nd; d++)
        {
            nbr[2 * d] = cart.shift(d, 1).getRankSource();
            nbr[2 * d + 1] = cart.shift(d, 1).getRankDest();
        }
        final int deg = 2 * nd;
        // allgather: block k comes from neighbour k
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = grid(rank, 0, 0, i);
        for (int form = 0; form < 4; form++)
        {
            final int[] got = new int[deg * n + 1];
            java.util.Arrays.fill(got, -1);
            final int[] counts = new int[deg];
            final int[] displs = new int[deg];
            for (int k = 0; k < deg; k++)
            {
                counts[k] = n;
                displs[k] = (deg - 1 - k) * n + 1;
            }
            final boolean v = form >= 2;
            if (form == 0) cart.neighborAllGather(mine, n, MPI.INT, got, n, MPI.INT);
            if (form == 1) cart.iNeighborAllGather(mine, n, MPI.INT, got, n, MPI.INT).waitFor();
            if (form == 2) cart.neighborAllGatherv(mine, n, MPI.INT, got, counts, displs, MPI.INT);
            if (form == 3) cart.iNeighborAllGatherv(mine, n, MPI.INT, got, counts, displs, MPI.INT).waitFor();
            for (int k = 0; k < deg; k++)
            {
                final int at = v ? displs[k] : k * n;
                for (int i = 0; i < n; i++)
                {
                    Expect.equal(nbr[k] == MPI.PROC_NULL ? -1 : grid(nbr[k], 0, 0, i), got[at + i],
                        "cart allgather form " + form + " neighbour " + k + " item " + i);
                }
            }
        }
        // alltoall: block 2d goes one step back, 2d+1 one step ahead; the neighbour back sent me its ahead block
        final int[] send = new int[deg * n];
        for (int d = 0; d < nd; d++)
        {
            for (int i = 0; i < n; i++)
            {
                send[2 * d * n + i] = grid(rank, d, -1, i);
                send[(2 * d + 1) * n + i] = grid(rank, d, 1, i);
            }
        }
        for (int form = 0; form < 4; form++)
        {
            final int[] got = new int[deg * n];
            java.util.Arrays.fill(got, -1);
            final int[] counts = new int[deg];
            final int[] displs = new int[deg];
            for (int k = 0; k < deg; k++)
            {
                counts[k] = n;
                displs[k] = k * n;
            }
            if (form == 0) cart.neighborAllToAll(send, n, MPI.INT, got, n, MPI.INT);
            if (form == 1) cart.iNeighborAllToAll(send, n, MPI.INT, got, n, MPI.INT).waitFor();
            if (form == 2) cart.neighborAllToAllv(send, counts, displs, MPI.INT, got, counts, displs, MPI.INT);
            if (form == 3)
                cart.iNeighborAllToAllv(send, counts, displs, MPI.INT, got, counts, displs, MPI.INT).waitFor();
            for (int d = 0; d < nd; d++)
            {
                for (int i = 0; i < n; i++)
                {
                    final int back = nbr[2 * d];
                    final int ahead = nbr[2 * d + 1];
                    Expect.equal(back == MPI.PROC_NULL ? -1 : grid(back, d, 1, i), got[2 * d * n + i],
                        "cart alltoall form " + form + " dim " + d + " from back, item " + i);
                    Expect.equal(ahead == MPI.PROC_NULL ? -1 : grid(ahead, d, -1, i), got[(2 * d + 1) * n + i],
                        "cart alltoall form " + form + " dim " + d + " from ahead, item " + i);
                }
            }
        }
    }

    /** Index of the k-th occurrence before {@code upTo} of {@code value} in {@code list}. */
    private static int occurrence(final int[] list, final int upTo)
    {
        int k = 0;
        for (int j = 0; j < upTo; j++) if (list[j] == list[upTo]) k++;
        return k;
    }

    /**
     * On a graph or distributed graph: alltoall(v) where block j to out-neighbour d is its k-th to d, received as
     * the k-th block from that sender; allgather; several exchanges in flight at once.
     */
    private static void graphExchange(final Comm comm, final int[] in, final int[] out, final int n)
        throws MPIException
    {
        final int[] send = new int[out.length * n];
        for (int j = 0; j < out.length; j++)
            for (int i = 0; i < n; i++) send[j * n + i] = edge(rank, out[j], occurrence(out, j), i);
        final int[] got = new int[in.length * n];
        comm.neighborAllToAll(send, n, MPI.INT, got, n, MPI.INT);
        checkEdges(in, got, n, "neighborAllToAll");
        // v form: k + 1 items from in-neighbour k, stored back to front
        final int[] scount = new int[out.length];
        final int[] sdispl = new int[out.length];
        final int[] rcount = new int[in.length];
        final int[] rdispl = new int[in.length];
        int sat = 0;
        for (int j = 0; j < out.length; j++)
        {
            scount[j] = Math.min(n, 1 + occurrence(out, j) + out[j] % 2);
            sdispl[j] = j * n;
            sat = Math.max(sat, sdispl[j] + scount[j]);
        }
        int rat = 0;
        for (int k = in.length - 1; k >= 0; k--)
        {
            rcount[k] = Math.min(n, 1 + occurrence(in, k) + rank % 2);
            rdispl[k] = rat;
            rat += rcount[k];
        }
        final int[] vgot = new int[rat];
        final int[] agot = new int[in.length * n];
        final int[] mine = new int[n];
        for (int i = 0; i < n; i++) mine[i] = edge(rank, 0, 0, i);
        final Request[] rs = {
            comm.iNeighborAllToAllv(send, scount, sdispl, MPI.INT, vgot, rcount, rdispl, MPI.INT),
            comm.iNeighborAllGather(mine, n, MPI.INT, agot, n, MPI.INT),
            comm.iNeighborAllToAll(send, n, MPI.INT, got, n, MPI.INT),
        };
        Request.waitAll(rs);
        checkEdges(in, got, n, "iNeighborAllToAll");
        for (int k = 0; k < in.length; k++)
        {
            for (int i = 0; i < rcount[k]; i++)
                Expect.equal(edge(in[k], rank, occurrence(in, k), i), vgot[rdispl[k] + i], "iNeighborAllToAllv");
            for (int i = 0; i < n; i++)
                Expect.equal(edge(in[k], 0, 0, i), agot[k * n + i], "iNeighborAllGather from " + in[k]);
        }
        final int[] gv = new int[in.length * n];
        final int[] gcount = new int[in.length];
        final int[] gdispl = new int[in.length];
        for (int k = 0; k < in.length; k++)
        {
            gcount[k] = n;
            gdispl[k] = (in.length - 1 - k) * n;
        }
        comm.neighborAllGatherv(mine, n, MPI.INT, gv, gcount, gdispl, MPI.INT);
        for (int k = 0; k < in.length; k++)
            for (int i = 0; i < n; i++)
                Expect.equal(edge(in[k], 0, 0, i), gv[gdispl[k] + i], "neighborAllGatherv from " + in[k]);
    }

    private static void checkEdges(final int[] in, final int[] got, final int n, final String row)
    {
        for (int k = 0; k < in.length; k++)
            for (int i = 0; i < n; i++)
                Expect.equal(edge(in[k], rank, occurrence(in, k), i), got[k * n + i], row + " from " + in[k]);
    }

    private static void errors(final Intracomm world, final GraphComm graph, final GraphComm dist)
        throws MPIException
    {
        final int[] buf = new int[64];
        Expect.error(MPI.ERR_TOPOLOGY, "neighbour collective without topology",
            () -> world.neighborAllGather(buf, 1, MPI.INT, buf, 1, MPI.INT));
        Expect.error(MPI.ERR_TOPOLOGY, "dist graph query on a graph", graph::getDistGraphNeighbors);
        Expect.error(MPI.ERR_TOPOLOGY, "graph query on a dist graph", dist::getDims);
        Expect.error(MPI.ERR_TOPOLOGY, "graph neighbours on a dist graph", () -> dist.getNeighbors(0));
        Expect.error(MPI.ERR_RANK, "adjacent with a bad rank",
            () -> world.createDistGraphAdjacent(new int[] {size}, new int[0], MPI.INFO_NULL, false));
        Expect.error(MPI.ERR_ARG, "dist graph with short degrees",
            () -> world.createDistGraph(new int[] {0, 0}, new int[] {1}, new int[] {0, 0}, MPI.INFO_NULL, false));
        Expect.error(MPI.ERR_ARG, "adjacent with short weights", () -> world.createDistGraphAdjacent(
            new int[] {0}, new int[0], new int[] {0}, new int[] {1}, MPI.INFO_NULL, false));
        Expect.error(MPI.ERR_COUNT, "neighbour alltoall past the buffer",
            () -> dist.neighborAllToAll(buf, 64, MPI.INT, buf, 1, MPI.INT));
        Expect.error(MPI.ERR_ARG, "neighbour alltoallv short counts", () -> dist.iNeighborAllToAllv(buf,
            new int[0], new int[0], MPI.INT, buf, new int[0], new int[0], MPI.INT));
        // still usable
        final int[] one = {rank};
        final int[] all = new int[size];
        world.allGather(one, 1, MPI.INT, all, 1, MPI.INT);
        for (int r = 0; r < size; r++) Expect.equal(r, all[r], "allGather after errors");
    }
}
