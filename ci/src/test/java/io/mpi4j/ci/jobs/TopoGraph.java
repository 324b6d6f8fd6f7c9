package io.mpi4j.ci.jobs;

import mpi.GraphComm;
import mpi.GraphParms;
import mpi.MPI;
import mpi.MPIException;
import mpi.Request;

/**
 * Graph topologies on any number of ranks: a ring and a star, neighbours checked against the definition and used
 * for a neighbour exchange, a graph with fewer nodes than ranks (the rest get null), dup keeping the graph, and
 * malformed graphs failing with the right class while the process stays usable.
 */
public final class TopoGraph
{
    public static void main(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);

        // Ring: node i is joined to i-1 and i+1 (for two ranks both are the other one).
        final int[] ringIndex = new int[size];
        final int[] ringEdges = new int[2 * size];
        for (int i = 0; i < size; i++)
        {
            ringIndex[i] = 2 * (i + 1);
            ringEdges[2 * i] = (i + size - 1) % size;
            ringEdges[2 * i + 1] = (i + 1) % size;
        }
        final GraphComm ring = MPI.COMM_WORLD.createGraph(ringIndex, ringEdges, false);
        Expect.equal(MPI.GRAPH, ring.getTopology(), "ring topology");
        Expect.equal(rank, ring.getRank(), "ring rank");
        final GraphParms parms = ring.getDims();
        Expect.equal(size, parms.getIndexCount(), "ring nodes");
        Expect.equal(2 * size, parms.getEdgeCount(), "ring edges");
        for (int i = 0; i < size; i++)
        {
            Expect.equal(ringIndex[i], parms.getIndex(i), "ring index " + i);
        }
        final int[] neighbours = ring.getNeighbors(rank);
        Expect.equal(2, neighbours.length, "ring degree");
        Expect.equal((rank + size - 1) % size, neighbours[0], "ring left");
        Expect.equal((rank + 1) % size, neighbours[1], "ring right");
        exchangeWithNeighbours(ring, neighbours, rank);

        // Star: node 0 is joined to every other node.
        final int[] starIndex = new int[size];
        final int[] starEdges = new int[2 * (size - 1)];
        for (int i = 1; i < size; i++)
        {
            starEdges[i - 1] = i;
            starEdges[size - 1 + i - 1] = 0;
        }
        starIndex[0] = size - 1;
        for (int i = 1; i < size; i++)
        {
            starIndex[i] = starIndex[i - 1] + 1;
        }
        final GraphComm star = MPI.COMM_WORLD.createGraph(starIndex, starEdges, true);
        final int[] starNeighbours = star.getNeighbors(rank);
        Expect.equal(0 == rank ? size - 1 : 1, starNeighbours.length, "star degree");
        if (0 != rank)
        {
            Expect.equal(0, starNeighbours[0], "star leaf neighbour");
        }
        exchangeWithNeighbours(star, starNeighbours, rank);
        Expect.equal(size - 1, star.getNeighbors(0).length, "star hub degree seen from anywhere");

        // Dup keeps the graph.
        final GraphComm copy = ring.dup();
        Expect.equal(MPI.GRAPH, copy.getTopology(), "dup topology");
        Expect.equal(2 * size, copy.getTopo().getEdgeCount(), "dup edges");
        final int[] copied = copy.getNeighbors(rank);
        Expect.equal(neighbours[0], copied[0], "dup left");
        Expect.equal(neighbours[1], copied[1], "dup right");
        exchangeWithNeighbours(copy, copied, rank);
        final GraphComm cloned = star.clone();
        Expect.equal(MPI.GRAPH, cloned.getTopology(), "clone topology");

        // A graph of one node fewer than ranks: the last rank is not a node.
        final int[] pathIndex = new int[size - 1];
        final int[] pathEdges = new int[Math.max(0, 2 * (size - 2))];
        int e = 0;
        for (int i = 0; i < size - 1; i++)
        {
            if (i > 0)
            {
                pathEdges[e++] = i - 1;
            }
            if (i < size - 2)
            {
                pathEdges[e++] = i + 1;
            }
            pathIndex[i] = e;
        }
        final GraphComm path = MPI.COMM_WORLD.createGraph(pathIndex, pathEdges, false);
        if (rank == size - 1)
        {
            Expect.that(path.isNull(), "rank outside the graph gets a null communicator");
        }
        else
        {
            Expect.equal(size - 1, path.getSize(), "path size");
            path.setErrhandler(MPI.ERRORS_RETURN);
            Expect.error(MPI.ERR_RANK, "neighbours of a missing node", () -> path.getNeighbors(size - 1));
            path.free();
        }

        // Malformed graphs fail everywhere alike; COMM_WORLD stays usable.
        Expect.error(MPI.ERR_TOPOLOGY, "more nodes than ranks",
            () -> MPI.COMM_WORLD.createGraph(new int[size + 1], new int[0], false));
        Expect.error(MPI.ERR_ARG, "decreasing index",
            () -> MPI.COMM_WORLD.createGraph(new int[] {1, 0}, new int[] {1}, false));
        Expect.error(MPI.ERR_ARG, "edge to a missing node",
            () -> MPI.COMM_WORLD.createGraph(new int[] {1, 2}, new int[] {1, 5}, false));
        Expect.error(MPI.ERR_ARG, "too few edges",
            () -> MPI.COMM_WORLD.createGraph(new int[] {1, 3}, new int[] {1, 0}, false));
        MPI.COMM_WORLD.barrier();

        copy.free();
        cloned.free();
        star.free();
        ring.free();
        System.out.println("OK topo-graph rank=" + rank + " size=" + size);
        MPI.Finalize();
    }

    /** Sends our rank to every neighbour and checks each neighbour's rank arrives from it. */
    private static void exchangeWithNeighbours(final GraphComm graph, final int[] neighbours, final int rank)
        throws MPIException
    {
        final int n = neighbours.length;
        final int[][] in = new int[n][1];
        final Request[] requests = new Request[2 * n];
        for (int i = 0; i < n; i++)
        {
            requests[i] = graph.iRecv(in[i], 1, MPI.INT, neighbours[i], 11);
        }
        for (int i = 0; i < n; i++)
        {
            requests[n + i] = graph.iSend(new int[] {rank}, 1, MPI.INT, neighbours[i], 11);
        }
        Request.waitAll(requests);
        for (int i = 0; i < n; i++)
        {
            Expect.equal(neighbours[i], in[i][0], "value from neighbour " + neighbours[i]);
        }
    }
}
