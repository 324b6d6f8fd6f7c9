package mpi;

import io.mpi4j.p2p.MessageEndpoint;
import io.mpi4j.p2p.PointToPoint;
import io.mpi4j.progress.WaitPolicy;
import io.mpi4j.runtime.CompilerQuiet;
import io.mpi4j.runtime.JobEnvironment;
import io.mpi4j.runtime.MpiRuntime;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The end of MPI_Init: the ranks rehearse the calls programs start with, with each other, through this very API,
 * over the job's own transports, so that a program's first thousands of messages run compiled code.
 * <p>
 * Cold, a round trip of a few bytes between two ranks took 7-10 us on average over a program's first 11,000 (0.4 us
 * once compiled), and nearly all of it was stalls of 4-10 ms: the JIT's compiler threads taking a core from one rank
 * while the other waited for it. A rehearsal on a private pair of stacks inside one process did not remove them:
 * the program's calls enter through {@code mpi.Comm}, whose layer it never ran, and branches it never took (a
 * receive that has to wait, the transports' real connections) threw its compiled code away at the program's first
 * messages. Here every rank runs, on two private duplicates of {@code COMM_WORLD} in turn, what OSU's and most
 * programs' first loops run: blocking ping-pongs with its partner ({@code rank ^ 1}) on direct buffers and arrays
 * from 0 B to 32 KiB, windows of non-blocking sends and receives (now and then one as wide as osu_bw's), now and then
 * a message large enough for the rendezvous and single-copy paths, and, as many as the JIT needs to compile that
 * path, windows and ping-pongs of small messages that take it ({@link #rehearseReads}), then barriers, broadcasts and
 * reductions among all ranks; then it waits until the compiler threads are idle ({@link CompilerQuiet}); then a
 * second pass and a second wait (why: {@link #TOP_UP_BUDGET_NANOS}), the second pass's pair rounds followed by a
 * burst of back-to-back small ping-pongs (why: {@link #PAIR_BURST_ROUNDS}) and the pass ending with one of small
 * collectives (why: {@link #BURST_ROUNDS}); then both bursts once more and a last wait (why: {@link #bursts}). What a
 * program does that the rehearsal would not (a second communicator, a new one, a window that empties the operation
 * pool or fills the receiver's ring, a wait long enough to yield and park, its first message on {@code COMM_WORLD})
 * is a branch compiled code never saw taken, and its first occurrence throws that code away: so each of these is
 * rehearsed. The duplicates are freed after; no
 * message of them reaches the program, and on {@code COMM_WORLD} the rehearsal only probes and joins one barrier.
 * <p>
 * Bounded by {@link #BUDGET_NANOS} and {@link #TOP_UP_BUDGET_NANOS} for the passes' exchanges and by
 * {@link #QUIET_BUDGET_NANOS} and {@link #TOP_UP_QUIET_BUDGET_NANOS} for the waits after them; the lower rank
 * of a pair and rank 0 for the collectives decide when to stop and tell the others, so every rank makes the same
 * calls. Not in spawned processes (a spawn's latency is its children's MPI_Init), nor in a job of one process; with
 * more than {@link #RANKS_PER_CORE} ranks per core only when forced, since the ranks take turns on the cores and the
 * budgets run out before the JIT has compiled much.
 * {@code MPI4J_INIT_REHEARSAL}: unset, as above; {@code 0} off; {@code 1} also with more ranks per core.
 */
final class InitRehearsal
{
    /** Environment variable: {@code 0} turns the rehearsal off, {@code 1} forces it however many ranks per core. */
    static final String ENV = "MPI4J_INIT_REHEARSAL";

    /**
     * Most ranks per core that rehearse unless forced: two ranks on a core (osu_multi_lat or osu_mbw_mr with two pairs
     * on two cores) take turns in the rehearsal, and it still compiles their paths before the program's first
     * messages; beyond that its fixed budgets buy each rank too little of a core.
     */
    static final int RANKS_PER_CORE = 2;

    /** Environment variable: when set, each rank says on stderr what its rehearsal did and took. */
    static final String REPORT_ENV = "MPI4J_INIT_REHEARSAL_REPORT";

    /** Longest the first pass's exchanges run (the pairs', then the collectives'), from the pass's start. */
    static final long BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

    /**
     * Longest the second pass's exchanges run. HotSpot raises the call counts a method needs for C2 while the C2
     * queue is long, and looks at a method's counts again only every thousand or so calls: during the first pass,
     * with the queue full of its work, calls made a thousand times were left at C1, and the program's first calls
     * queued them once the queue was empty, so C2 compiled them beside its first messages (a receive's set-up and
     * waitAll among them: stalls of 5-20 ms). A second pass, once the compiler threads are idle, queues them while
     * there is still time to wait for them; it repeats nothing the first did once (new communicators, the idle walk),
     * since each of those throws some compiled code away, and the pass after it is what makes that code hot again.
     */
    static final long TOP_UP_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(600);

    /** Longest the wait for the compiler threads lasts after the first pass. */
    static final long QUIET_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(1_000);

    /** Longest the wait for the compiler threads lasts after the second pass. */
    static final long TOP_UP_QUIET_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /** How long the compiler threads must have been idle. */
    static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(40);

    /** Rounds of a pair: enough for the JIT to compile the calls optimised (some thousands of calls each). */
    static final int PAIR_ROUNDS = 4_000;

    /** Rounds of the collectives. */
    static final int COLLECTIVE_ROUNDS = 1_500;

    /** Rounds of the second pass: a multiple of {@link #DECIDE_EVERY}, enough for every call to be counted again. */
    static final int TOP_UP_PAIR_ROUNDS = 4_096;

    /** Rounds of the collectives in the second pass. */
    static final int TOP_UP_COLLECTIVE_ROUNDS = 400;

    /**
     * Message sizes cycle through 0 B and 1 B ... 32 KiB (powers of two): the sizes programs start with, below the
     * single-copy and rendezvous ones (those come every few rounds).
     */
    private static final int SIZE_STEPS = 17;
    private static final int ARRAY_BYTES = 8 << 10;
    /**
     * 64 KiB: a pair's largest eager message on one node, and a block the on-node collectives read from each other's
     * buffers ({@code MPI4J_COLL_SINGLE_COPY_MIN}).
     */
    private static final int SINGLE_COPY_BYTES = 64 << 10;
    private static final int LARGE_BYTES = 1 << 20;
    private static final int WINDOW = 16;
    /** Every few windows one as wide as osu_bw's: operation pools grow, and hold fewer than a window asks for. */
    private static final int WIDE_WINDOW = 64;
    /**
     * Every this many rounds (from the middle of the first), the window is a flood: wide, of messages large enough
     * that the window overflows the receiver's ring, whose receives are posted late. A program's osu_bw-like window
     * of 16-64 KiB messages fills the ring; a send that finds it full is queued and written later, a branch that
     * compiled sends had never taken, and the first one threw them away in the program's loop.
     */
    private static final int FLOOD_EVERY = 256;
    /**
     * Walks through the idle phases, with phases a microsecond long, every {@link #FLOOD_EVERY} rounds: the JIT has
     * to see the yielding and parking branches while it profiles the waits, whenever that is, or the compiled waits
     * leave them out, and a program's first long wait (its first barrier behind a slower rank) throws them away.
     */
    private static final int PHASE_WALKS = 8;
    /** New communicators the first pass sends its first messages on, one every {@link #FLOOD_EVERY} rounds. */
    private static final int FRESH_COMMUNICATORS = 3;
    /** The first pass's collective rounds between two first collectives on those communicators. */
    private static final int FRESH_COLLECTIVE_EVERY = 40;
    private static final int FLOOD_BYTES = 32 << 10;
    private static final int SMALL_FLOOD_BYTES = 8;
    /** How late the receives of a flood are posted: long after the sender has filled the ring. */
    private static final long FLOOD_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A wait through every idle phase is rehearsed only when the phases end this soon. */
    private static final long LONGEST_IDLE_WALK_NANOS = TimeUnit.MILLISECONDS.toNanos(40);
    /**
     * Collective sizes cycle through 4 B ... 32 KiB (powers of two): from 16 KiB on a reduction is split among the
     * ranks (reduce-scatter, then allgather), a branch the small ones never take.
     */
    private static final int COLLECTIVE_SIZE_STEPS = 14;
    /** Above the on-node collectives' shared slot of 64 KiB: moved in several chunks. */
    private static final int CHUNKED_COLLECTIVE_BYTES = 160 << 10;
    /** Large enough that a reduce reads the others' vectors rather than taking the slots. */
    private static final int READ_REDUCE_BYTES = 320 << 10;
    /**
     * Rounds of small collectives at the end of the second pass, a multiple of {@link #DECIDE_EVERY}: the collective
     * rounds above call each collective a thousand times or so, which leaves them at C1, and C2 then compiled a
     * program's reduce, allreduce and bcast beside its first loop (stalls of 0.5-5 ms each in its first sizes).
     */
    private static final int BURST_ROUNDS = 8_192;
    /** Longest the burst runs, from its start, once it has made {@link #BURST_FLOOR_ROUNDS}. */
    private static final long BURST_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /**
     * Rounds of small collectives the last burst makes whatever {@link #BURST_BUDGET_NANOS} says, unless
     * {@link #BURST_CAP_NANOS} runs out first. HotSpot queues a method for C2 after some 5,000 calls of its profiling
     * code, looking every 1,024, and each collective is called once a round; a method compiled at C1 without
     * profiling while the first pass kept C2's queue long (as the collectives' entry points were) starts counting
     * only when it is compiled again with profiling, often during the first burst. Cut at 250 ms, the last burst made
     * 2,700-4,200 rounds on a quiet 2-core host, and C2 compiled a program's allreduce, bcast or allgather beside
     * its first loop in most runs.
     */
    private static final int BURST_FLOOR_ROUNDS = 6 * 1_024;
    /** Longest the last burst runs, from its start, to make {@link #BURST_FLOOR_ROUNDS}. */
    private static final long BURST_CAP_NANOS = TimeUnit.MILLISECONDS.toNanos(800);
    /**
     * Rounds of back-to-back small ping-pongs (and now and then a small window) after the second pass's pair rounds,
     * a multiple of {@link #DECIDE_EVERY}, made through {@link ProgramCalls}: the pair rounds' calls of a blocking
     * receive or a waitAll end up inlined into the rehearsal's own compiled methods, so the entry points themselves
     * stayed in C1's code, and C2 compiled them beside a program's first messages (stalls of milliseconds in
     * osu_latency's and osu_bw's first sizes).
     */
    private static final int PAIR_BURST_ROUNDS = 8_192;
    /** Longest the pairs' burst runs, from its start. */
    private static final long PAIR_BURST_BUDGET_NANOS = TimeUnit.MILLISECONDS.toNanos(150);
    /**
     * One round in eight of every kind runs with calls taking the engine's lock, as they do once a program's first
     * window starts the passive-target progress thread: C2 had compiled the calls without that branch, and the first
     * window threw the compiled engine turn, send and wait away (osu_acc_latency stayed at 0.15-0.4 us through its
     * default run, 0.07 once recompiled).
     */
    private static final int LOCKED_ROUND = 3;
    /** Pair-burst sizes cycle through 0 B, 1 B ... 1 KiB (powers of two). */
    private static final int PAIR_BURST_SIZE_STEPS = 12;
    /** Burst sizes cycle through 1 B ... 4 KiB (powers of two). */
    private static final int BURST_SIZE_STEPS = 13;
    /**
     * Every this many burst rounds, one of {@link #BURST_LARGE_BYTES}: the collectives' own methods may be compiled
     * first during a burst (the first pass calls them too few times), and a branch of larger sizes that the burst
     * never took would be left out, then throw their compiled code away at a program's first 64 KiB alltoall.
     */
    private static final int BURST_LARGE_EVERY = 32;
    /**
     * A reduction split among the ranks, a block members read from each other's buffers, one above a shared slot,
     * a reduce that reads the others' vectors.
     */
    private static final int[] BURST_LARGE_BYTES = { 16 << 10, SINGLE_COPY_BYTES, CHUNKED_COLLECTIVE_BYTES,
        READ_REDUCE_BYTES };
    /** The operators programs reduce their own figures with. */
    private static final Op[] FIGURES_OPS = { MPI.SUM, MPI.MIN, MPI.MAX };
    /** The lower rank of a pair says whether to go on every this many rounds. */
    private static final int DECIDE_EVERY = 64;

    private static final int TAG_PING = 1;
    private static final int TAG_ARRAY = 2;
    private static final int TAG_WINDOW = 3;
    private static final int TAG_ACK = 4;
    private static final int TAG_LARGE = 5;
    private static final int TAG_DECIDE = 6;

    /** The bursts' calls: a program's loop, interpreted at first, calls each entry point's own compiled code. */
    private final ProgramCalls calls = new ProgramCalls();
    private final Intracomm comm;
    private final Intracomm other;
    private final PointToPoint p2p;
    private final MessageEndpoint endpoint;
    private final int rank;
    private final long idleWalkNanos;
    /** Whether the waits go through phases at all (not with {@code MPI4J_WAIT=spin}). */
    private final boolean walksPhases;
    private final long start = System.nanoTime();
    private final ByteBuffer out = MPI.newByteBuffer(LARGE_BYTES);
    private final ByteBuffer in = MPI.newByteBuffer(LARGE_BYTES);
    private final byte[] arrayOut = new byte[ARRAY_BYTES];
    private final byte[] arrayIn = new byte[ARRAY_BYTES];
    private final float[] floats = new float[1024];
    private final float[] floatsOut = new float[1024];
    private final double[] doubles = new double[1];
    private final double[] doublesOut = new double[1];
    private final int[] decision = new int[1];
    private final Request[] window = new Request[WINDOW];
    private final Request[] wideWindow = new Request[WIDE_WINDOW];
    private final Request[] bothWays = new Request[2 * WINDOW];
    /** Communicators for the first pass's first messages on a new one, made collectively before it. */
    private Intracomm[] fresh = new Intracomm[0];
    private int freshUsed;
    private int freshBarriers;
    private int passFirstCollectiveRound;
    private boolean firstPass;
    private int pairRounds;
    private int collectiveRounds;
    private int burstRounds;
    private int pairBurstRounds;
    private long passStart;
    private long passBudgetNanos;
    private int pairRoundsLimit;
    private int collectiveRoundsLimit;

    private InitRehearsal(final Intracomm comm, final Intracomm other, final PointToPoint p2p, final int rank,
        final long idleWalkNanos, final boolean walksPhases) throws MPIException
    {
        this.comm = comm;
        this.other = other;
        this.p2p = p2p;
        this.endpoint = comm.live("MPI_Init").endpoint();
        this.rank = rank;
        this.idleWalkNanos = idleWalkNanos;
        this.walksPhases = walksPhases;
    }

    /**
     * How long a wait takes to pass through polling and yielding into parking, with a margin; 0 when it never
     * parks ({@code MPI4J_WAIT=spin}) or gets there too late to rehearse.
     */
    private static long idleWalkNanos(final WaitPolicy policy)
    {
        final long walk = policy.pollNanos() + policy.yieldNanos() + TimeUnit.MILLISECONDS.toNanos(4);
        return policy.spins() || walk > LONGEST_IDLE_WALK_NANOS ? 0 : walk;
    }

    /** Rehearses if due; nothing of a failure reaches the program (MPI_Init goes on as without it). */
    static void run(final MpiRuntime runtime)
    {
        final String setting = System.getenv(ENV);
        if ("0".equals(setting) || null != System.getenv(JobEnvironment.PARENT_PORT))
        {
            return;
        }
        Intracomm comm = null;
        Intracomm other = null;
        final Intracomm[] fresh = new Intracomm[FRESH_COMMUNICATORS];
        try
        {
            if (MPI.COMM_WORLD.getSize() < 2)
            {
                return;
            }
            comm = MPI.COMM_WORLD.dup();
            comm.setErrhandler(MPI.ERRORS_RETURN);
            // Programs use several communicators: messages alternate between two, as a program's would.
            other = comm.dup();
            // every rank must make the same calls: one that would not rehearse holds all back
            final int[] willing = { "1".equals(setting) || !runtime.moreRanksPerCoreThan(RANKS_PER_CORE) ? 1 : 0 };
            comm.allReduce(willing, 1, MPI.INT, MPI.MIN);
            if (1 == willing[0])
            {
                final WaitPolicy policy = runtime.waitPolicy();
                final InitRehearsal rehearsal = new InitRehearsal(comm, other, runtime.p2p(), comm.getRank(),
                    idleWalkNanos(policy), !policy.spins());
                for (int i = 0; i < fresh.length; i++)
                {
                    fresh[i] = comm.dup();
                }
                rehearsal.fresh = fresh;
                rehearsal.exchange(BUDGET_NANOS, PAIR_ROUNDS, COLLECTIVE_ROUNDS, true);
                final long exchangedNs = System.nanoTime();
                final boolean quiet = awaitQuiet(QUIET_BUDGET_NANOS);
                final int firstPairRounds = rehearsal.pairRounds;
                final int firstCollectiveRounds = rehearsal.collectiveRounds;
                rehearsal.exchange(TOP_UP_BUDGET_NANOS, firstPairRounds + TOP_UP_PAIR_ROUNDS,
                    firstCollectiveRounds + TOP_UP_COLLECTIVE_ROUNDS, false);
                final boolean quietAgain = awaitQuiet(TOP_UP_QUIET_BUDGET_NANOS);
                final int firstPairBurstRounds = rehearsal.pairBurstRounds;
                final int firstBurstRounds = rehearsal.burstRounds;
                rehearsal.bursts();
                final boolean quietLast = awaitQuiet(TOP_UP_QUIET_BUDGET_NANOS);
                if (null != System.getenv(REPORT_ENV))
                {
                    System.err.println("mpi4j: rank " + rehearsal.rank + " rehearsed MPI calls: " +
                        firstPairRounds + " pair rounds, " + firstCollectiveRounds + " collective rounds in " +
                        TimeUnit.NANOSECONDS.toMillis(exchangedNs - rehearsal.start) + " ms, " +
                        (quiet ? "JIT quiet" : "JIT not quiet before the budget ran out") + "; then " +
                        (rehearsal.pairRounds - firstPairRounds) + " and " +
                        (rehearsal.collectiveRounds - firstCollectiveRounds) + " more, " +
                        firstPairBurstRounds + " of small ping-pongs and " + firstBurstRounds +
                        " of small collectives, " +
                        (quietAgain ? "JIT quiet" : "JIT not quiet before the budget ran out") + "; then " +
                        (rehearsal.pairBurstRounds - firstPairBurstRounds) + " and " +
                        (rehearsal.burstRounds - firstBurstRounds) + " more of each, " +
                        (quietLast ? "JIT quiet" : "JIT not quiet before the budget ran out") + ", " +
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rehearsal.start) + " ms in all");
                }
            }
        }
        catch (final MPIException | RuntimeException ex)
        {
            // A warm-up only: a peer that failed meanwhile fails the program's own calls too.
            if (null != System.getenv(REPORT_ENV))
            {
                System.err.println("mpi4j: the rehearsal of MPI calls stopped: " + ex.getMessage());
            }
        }
        finally
        {
            runtime.p2p().rehearseLocking(false);
            for (final Intracomm unused : fresh)
            {
                free(unused);
            }
            free(other);
            free(comm);
        }
    }

    /** Parks until the compiler threads are idle, at most {@code budgetNanos}; whether they were. */
    private static boolean awaitQuiet(final long budgetNanos)
    {
        final long deadline = System.nanoTime() + budgetNanos;
        return CompilerQuiet.await(QUIET_NANOS, () -> System.nanoTime() - deadline < 0);
    }

    /** Frees the rehearsal's communicator, after a failure too (freeing is local: it waits for no peer). */
    private static void free(final Intracomm comm)
    {
        if (null == comm)
        {
            return;
        }
        try
        {
            comm.free();
        }
        catch (final MPIException | RuntimeException ignore)
        {
            // already unusable: nothing of it reaches the program
        }
    }

    /** The message size of a round: 0 B, then 1 B ... doubling, {@link #SIZE_STEPS} sizes in all. */
    private static int bytesOf(final int round)
    {
        final int step = round % SIZE_STEPS;
        return 0 == step ? 0 : 1 << (step - 1);
    }

    private boolean inBudget(final long budgetNanos)
    {
        return System.nanoTime() - passStart - budgetNanos < 0;
    }

    /**
     * One pass: the pairs' rounds up to {@code pairRoundsLimit} in all, within three quarters of {@code budgetNanos}
     * (over a slow transport they would otherwise leave the collectives none), then the collectives' up to
     * {@code collectiveRoundsLimit} within the rest. {@code first}: the pass that does once what a program does
     * once (each rank waits through every idle phase, first messages and collectives on new communicators and on
     * {@code COMM_WORLD}): each is a branch never taken before, which throws compiled code away; the first pass's
     * later rounds, and the second pass, make that code hot again.
     */
    private void exchange(final long budgetNanos, final int pairRoundsLimit, final int collectiveRoundsLimit,
        final boolean first) throws MPIException
    {
        this.firstPass = first;
        this.passStart = System.nanoTime();
        this.passBudgetNanos = budgetNanos;
        this.pairRoundsLimit = pairRoundsLimit;
        this.collectiveRoundsLimit = collectiveRoundsLimit;
        this.passFirstCollectiveRound = collectiveRounds;
        final int size = comm.getSize();
        final int partner = rank ^ 1;
        if (partner < size)
        {
            if (first && 0 != idleWalkNanos)
            {
                idleWalk(partner, rank < partner);
            }
            pairs(partner, rank < partner);
        }
        else
        {
            alone();
        }
        if (!first && partner < size)
        {
            pairBurst(partner, rank < partner);
        }
        collectives();
        if (!first)
        {
            burst(0);
        }
    }

    /**
     * The bursts once more, after the wait that followed the second pass: while the passes keep C2's queue long,
     * HotSpot raises the call counts a method needs for C2 with the queue's length, so entry points the bursts called
     * thousands of times were still at C1 (a program's allreduce and barrier among them, compiled beside its first
     * loop); with the queue empty they are queued at once, and the wait after this gives C2 the time to compile them.
     */
    private void bursts() throws MPIException
    {
        final int partner = rank ^ 1;
        if (partner < comm.getSize())
        {
            pairBurst(partner, rank < partner);
        }
        burst(BURST_FLOOR_ROUNDS);
    }

    /** The pair's rounds; {@code leads}: this rank sends first and decides when to stop. */
    private void pairs(final int partner, final boolean leads) throws MPIException
    {
        boolean goOn = true;
        while (goOn)
        {
            p2p.rehearseLocking((pairRounds & 7) == LOCKED_ROUND);
            final int bytes = bytesOf(pairRounds);
            pingPong(comm, out, in, bytes, partner, TAG_PING, leads);
            pingPong(other, arrayOut, arrayIn, Math.min(bytes, ARRAY_BYTES), partner, TAG_ARRAY, leads);
            if (pairRounds % FLOOD_EVERY == FLOOD_EVERY / 2)
            {
                // Each way in turn, both ranks' sends find a full ring and both read long batches; every other
                // flood of small messages, which the receiver finds more of than one poll reads.
                final int flood = pairRounds / FLOOD_EVERY;
                flood(partner, leads != ((flood & 1) != 0), (flood & 2) == 0 ? FLOOD_BYTES : SMALL_FLOOD_BYTES);
            }
            else if (firstPass && pairRounds % FLOOD_EVERY == FLOOD_EVERY / 4)
            {
                fresh(partner, leads);
            }
            else if ((pairRounds & 15) == 10)
            {
                rehearseReads((pairRounds & 32) != 0);
                bothWays((pairRounds & 16) == 0 ? comm : other, bytes, partner);
                rehearseReads(false);
            }
            else if ((pairRounds & 3) == 0)
            {
                // Half the windows are of reads, all of them wide: the read path needs thousands of calls to be
                // compiled, which a window makes far sooner than a ping-pong (that waits for the answer to each).
                final boolean reads = (pairRounds & 4) != 0;
                rehearseReads(reads);
                window(reads ? other : comm, reads || (pairRounds & 31) == 0 ? wideWindow : window, bytes, partner,
                    leads != ((pairRounds & 8) != 0));
                rehearseReads(false);
            }
            if ((pairRounds & 7) == 2)
            {
                rehearseReads(true);
                pingPong(comm, out, in, Math.max(1, bytes), partner, TAG_PING, leads);
                rehearseReads(false);
            }
            if ((pairRounds & 31) == 0)
            {
                pingPong(comm, out, in, (pairRounds & 63) == 0 ? LARGE_BYTES : SINGLE_COPY_BYTES, partner, TAG_LARGE,
                    leads);
            }
            pairRounds++;
            if (pairRounds % DECIDE_EVERY == 0)
            {
                // The program's first messages go to COMM_WORLD, which the exchanges here never touch: a look for
                // a message on it finds nothing, and makes its matching queues and their lookup part of the rounds.
                MPI.COMM_WORLD.iProbe(partner, TAG_DECIDE);
                if (pairRounds % FLOOD_EVERY == 0 && walksPhases)
                {
                    WaitPolicy.rehearsePhases(PHASE_WALKS);
                }
                goOn = leaderGoesOn(partner, leads, pairRounds < pairRoundsLimit &&
                    inBudget(passBudgetNanos * 3 / 4));
            }
        }
    }

    /**
     * {@code on}: this rank's messages of a byte or more on direct buffers, to its partner on either communicator, go
     * by the receiver's read, the path of a program's messages from 128 KiB on one node. A thousand large messages,
     * all the time the rehearsal could give them, left that path in C1's code: a program's first 64 KiB messages
     * took 15-20 us (7 once compiled), and its first osu_bw windows of them stalled for milliseconds while C2
     * compiled it. Small messages make it hot in a fraction of the time.
     */
    private void rehearseReads(final boolean on)
    {
        p2p.rehearseReads(endpoint, on);
    }

    /**
     * Each rank of the pair waits once while the other sleeps through its idle phases (polling, yielding, parking):
     * a program's first long wait (a barrier behind a slow rank) would otherwise take branches that compiled code
     * never saw, and the JIT would throw away every compiled wait at once.
     */
    private void idleWalk(final int partner, final boolean leads) throws MPIException
    {
        for (int turn = 0; turn < 2; turn++)
        {
            if (leads == (0 == turn))
            {
                sleep(idleWalkNanos);
                comm.send(out, 0, MPI.BYTE, partner, TAG_PING);
            }
            else
            {
                comm.recv(in, 0, MPI.BYTE, partner, TAG_PING);
            }
        }
    }

    private static void sleep(final long nanos)
    {
        try
        {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void pingPong(final Intracomm comm, final Object send, final Object receive, final int bytes,
        final int partner, final int tag, final boolean leads) throws MPIException
    {
        if (leads)
        {
            comm.send(send, bytes, MPI.BYTE, partner, tag);
            comm.recv(receive, bytes, MPI.BYTE, partner, tag);
        }
        else
        {
            comm.recv(receive, bytes, MPI.BYTE, partner, tag);
            comm.send(send, bytes, MPI.BYTE, partner, tag);
        }
    }

    /** osu_bw's shape: a window of non-blocking sends one way, the receives posted, then a short acknowledgement. */
    private void window(final Intracomm comm, final Request[] window, final int bytes, final int partner,
        final boolean sends) throws MPIException
    {
        for (int i = 0; i < window.length; i++)
        {
            window[i] = sends ? comm.iSend(out, bytes, MPI.BYTE, partner, TAG_WINDOW) :
                comm.iRecv(in, bytes, MPI.BYTE, partner, TAG_WINDOW);
        }
        Request.waitAll(window);
        if (sends)
        {
            comm.recv(decision, 1, MPI.INT, partner, TAG_ACK);
        }
        else
        {
            comm.send(decision, 1, MPI.INT, partner, TAG_ACK);
        }
    }

    /**
     * A ping-pong on a communicator not used before, while any is left: a program's first message on each new
     * communicator finds no matching queues for it, a branch compiled receives would otherwise have never taken.
     */
    private void fresh(final int partner, final boolean leads) throws MPIException
    {
        if (freshUsed < fresh.length)
        {
            pingPong(fresh[freshUsed++], out, in, 8, partner, TAG_PING, leads);
        }
    }

    /**
     * osu_bibw's shape: both ranks post a window of receives and one of sends, and wait for all of them at once; the
     * same waitAll then retires sends and receives, and gives both kinds of operation back to their pools.
     */
    private void bothWays(final Intracomm comm, final int bytes, final int partner) throws MPIException
    {
        for (int i = 0; i < WINDOW; i++)
        {
            bothWays[i] = comm.iRecv(in, bytes, MPI.BYTE, partner, TAG_WINDOW);
        }
        for (int i = WINDOW; i < bothWays.length; i++)
        {
            bothWays[i] = comm.iSend(out, bytes, MPI.BYTE, partner, TAG_WINDOW);
        }
        Request.waitAll(bothWays);
    }

    /**
     * A wide window that overflows the receiver's ring: its receives are posted once the sender found it full;
     * {@code sends}: this rank is the sender.
     */
    private void flood(final int partner, final boolean sends, final int bytes) throws MPIException
    {
        if (!sends)
        {
            sleep(FLOOD_DELAY_NANOS);
        }
        window(comm, wideWindow, bytes, partner, sends);
    }

    /** The last rank of an odd-sized job: the same calls, to itself, receives posted first. */
    private void alone() throws MPIException
    {
        while (pairRounds < pairRoundsLimit && inBudget(passBudgetNanos * 3 / 4))
        {
            final int bytes = bytesOf(pairRounds);
            final Request received = comm.iRecv(in, bytes, MPI.BYTE, rank, TAG_PING);
            comm.send(out, bytes, MPI.BYTE, rank, TAG_PING);
            received.waitFor();
            final Request array = comm.iRecv(arrayIn, Math.min(bytes, ARRAY_BYTES), MPI.BYTE, rank, TAG_ARRAY);
            comm.send(arrayOut, Math.min(bytes, ARRAY_BYTES), MPI.BYTE, rank, TAG_ARRAY);
            array.waitFor();
            pairRounds++;
        }
    }

    /**
     * Back-to-back small ping-pongs on direct buffers and arrays in turn (now and then one of 64 KiB), as a
     * program's first latency loop makes them, every eighth round a window of them as osu_bw's, through
     * {@link ProgramCalls}, for long enough that C2 compiles the blocking receive and the window's waitAll now; the
     * lower rank says whether to go on every {@link #DECIDE_EVERY} rounds.
     */
    private void pairBurst(final int partner, final boolean leads) throws MPIException
    {
        final long burstStart = System.nanoTime();
        for (int round = 0; ; round++)
        {
            if (0 == round % DECIDE_EVERY && !leaderGoesOn(partner, leads,
                round < PAIR_BURST_ROUNDS && System.nanoTime() - burstStart - PAIR_BURST_BUDGET_NANOS < 0))
            {
                return;
            }
            pairBurstRounds++;
            p2p.rehearseLocking((round & 7) == LOCKED_ROUND);
            final int step = round % PAIR_BURST_SIZE_STEPS;
            // now and then a size a receiver reads from the sender's memory, as the collective burst does
            final int bytes = round % BURST_LARGE_EVERY == BURST_LARGE_EVERY / 2 ? SINGLE_COPY_BYTES :
                0 == step ? 0 : 1 << (step - 1);
            // direct buffers and arrays in turn (the larger size in rounds of direct buffers)
            final boolean arrays = (round & 1) != 0;
            final Object send = arrays ? arrayOut : out;
            final Object receive = arrays ? arrayIn : in;
            if (leads)
            {
                calls.send(comm, send, bytes, MPI.BYTE, partner, TAG_PING);
                calls.recv(comm, receive, bytes, MPI.BYTE, partner, TAG_PING);
            }
            else
            {
                calls.recv(comm, receive, bytes, MPI.BYTE, partner, TAG_PING);
                calls.send(comm, send, bytes, MPI.BYTE, partner, TAG_PING);
            }
            if ((round & 7) == 4)
            {
                // each way in turn: a program's sender may be either rank of the pair (osu_mbw_mr's are the lower
                // half of the ranks)
                final boolean sends = leads != ((round & 8) != 0);
                final int windowBytes = Math.max(1, bytes);
                for (int i = 0; i < wideWindow.length; i++)
                {
                    wideWindow[i] = sends ? calls.iSend(comm, out, windowBytes, MPI.BYTE, partner, TAG_WINDOW) :
                        calls.iRecv(comm, in, windowBytes, MPI.BYTE, partner, TAG_WINDOW);
                }
                calls.waitAll(wideWindow);
                if (sends)
                {
                    calls.recv(comm, decision, 1, MPI.INT, partner, TAG_ACK);
                }
                else
                {
                    calls.send(comm, decision, 1, MPI.INT, partner, TAG_ACK);
                }
            }
        }
    }

    /**
     * The leading rank's {@code goOn}, sent to its partner (the other's is ignored): what both ranks of the pair do
     * next.
     */
    private boolean leaderGoesOn(final int partner, final boolean leads, final boolean goOn) throws MPIException
    {
        if (leads)
        {
            decision[0] = goOn ? 1 : 0;
            comm.send(decision, 1, MPI.INT, partner, TAG_DECIDE);
        }
        else
        {
            comm.recv(decision, 1, MPI.INT, partner, TAG_DECIDE);
        }
        return 1 == decision[0];
    }

    /** Rank 0's {@code goOn}, broadcast on the rehearsal's communicator: what every rank does next. */
    private boolean rankZeroGoesOn(final boolean goOn) throws MPIException
    {
        if (0 == rank)
        {
            decision[0] = goOn ? 1 : 0;
        }
        comm.bcast(decision, 1, MPI.INT, 0);
        return 1 == decision[0];
    }

    /**
     * Back-to-back small reductions, broadcasts, all-to-alls, allgathers and barriers, as a program's first collective
     * loop makes them (through {@link ProgramCalls}), for long enough that C2 compiles them now; rank 0 says whether
     * to go on every {@link #DECIDE_EVERY} rounds: up to {@link #BURST_ROUNDS} within {@link #BURST_BUDGET_NANOS},
     * and on up to {@code floorRounds} within {@link #BURST_CAP_NANOS}.
     */
    private void burst(final int floorRounds) throws MPIException
    {
        final long burstStart = System.nanoTime();
        for (int round = 0; ; round++)
        {
            if (0 == round % DECIDE_EVERY && !rankZeroGoesOn(burstGoesOn(round, burstStart, floorRounds)))
            {
                return;
            }
            burstRounds++;
            p2p.rehearseLocking((round & 7) == LOCKED_ROUND);
            // direct buffers and arrays in turn; the larger sizes come in rounds of direct buffers
            final boolean arrays = (round & 1) != 0;
            final Object send = arrays ? arrayOut : out;
            final Object receive = arrays ? arrayIn : in;
            final int room = arrays ? ARRAY_BYTES : LARGE_BYTES;
            final int bytes = round % BURST_LARGE_EVERY == BURST_LARGE_EVERY / 2 ?
                BURST_LARGE_BYTES[round / BURST_LARGE_EVERY % BURST_LARGE_BYTES.length] :
                1 << (round % BURST_SIZE_STEPS);
            final int block = Math.min(bytes, room / comm.getSize());
            // one round in four with each followed by a barrier, as OSU's loops make them; the others with a barrier
            // at the end only (a barrier is called once a round at least, and a round costs a third less)
            final boolean separated = (round & 3) == 0;
            calls.reduce(comm, send, receive, bytes, MPI.BYTE, MPI.SUM, 0);
            barrierIf(separated);
            calls.allReduce(comm, send, receive, bytes, MPI.BYTE, MPI.SUM);
            barrierIf(separated);
            calls.bcast(comm, send, bytes, MPI.BYTE, 0);
            barrierIf(separated);
            calls.allToAll(comm, send, block, MPI.BYTE, receive, block, MPI.BYTE);
            barrierIf(separated);
            calls.allGather(comm, send, block, MPI.BYTE, receive, block, MPI.BYTE);
            calls.barrier(comm);
            // what a program reduces its own figures with: a double on the heap, its sum, minimum and maximum (a
            // kernel's operator the JIT never saw would be left out of its compiled switch)
            calls.reduce(comm, doubles, doublesOut, 1, MPI.DOUBLE, FIGURES_OPS[round % FIGURES_OPS.length], 0);
        }
    }

    private void barrierIf(final boolean due) throws MPIException
    {
        if (due)
        {
            calls.barrier(comm);
        }
    }

    private static boolean burstGoesOn(final int round, final long burstStart, final int floorRounds)
    {
        final long elapsed = System.nanoTime() - burstStart;
        return round < BURST_ROUNDS && elapsed - BURST_BUDGET_NANOS < 0 ||
            round < floorRounds && elapsed - BURST_CAP_NANOS < 0;
    }

    /**
     * Barriers, broadcasts, reductions, all-to-all and allgather among all ranks; rank 0's broadcast says whether to
     * go on.
     */
    private void collectives() throws MPIException
    {
        while (true)
        {
            if (!rankZeroGoesOn(collectiveRounds < collectiveRoundsLimit && inBudget(passBudgetNanos)))
            {
                return;
            }
            final int inPass = collectiveRounds - passFirstCollectiveRound;
            if (firstPass && inPass == FRESH_COLLECTIVE_EVERY / 4)
            {
                // The program's first collective on COMM_WORLD finds its on-node state set up; a barrier leaves
                // nothing behind for the program to receive.
                MPI.COMM_WORLD.barrier();
            }
            else if (firstPass && inPass % FRESH_COLLECTIVE_EVERY == FRESH_COLLECTIVE_EVERY / 2 &&
                freshBarriers < fresh.length)
            {
                // A communicator's first collective sets its on-node state up: a branch compiled collectives would
                // otherwise have never taken. Every rank has all of them, whatever its pair used.
                fresh[freshBarriers++].barrier();
            }
            p2p.rehearseLocking((collectiveRounds & 7) == LOCKED_ROUND);
            final int step = collectiveRounds % COLLECTIVE_SIZE_STEPS;
            // every few rounds one above a shared slot, which is reduced and broadcast in chunks, or one that a
            // reduce reads from the others' vectors
            final int bytes = collectiveRounds % 16 == 8 ?
                (collectiveRounds % 32 == 8 ? CHUNKED_COLLECTIVE_BYTES : READ_REDUCE_BYTES) : 1 << (step + 2);
            comm.barrier();
            other.allReduce(out, in, bytes, MPI.BYTE, MPI.SUM);
            comm.bcast(out, bytes, MPI.BYTE, 0);
            // the data-moving collectives a program times next; every fourth round with blocks the members read
            // from each other's buffers (a few hundred times: their first calls would run in the interpreter). Blocks
            // shrink with the job so that every member's blocks fit the buffers.
            final int block = Math.min(collectiveRounds % 4 == 2 ? SINGLE_COPY_BYTES : bytes,
                LARGE_BYTES / comm.getSize());
            other.allToAll(out, block, MPI.BYTE, in, block, MPI.BYTE);
            comm.allGather(out, block, MPI.BYTE, in, block, MPI.BYTE);
            other.reduce(out, in, bytes, MPI.BYTE, MPI.SUM, 0);
            other.allReduce(floatsOut, floats, Math.min(bytes / Float.BYTES, floats.length), MPI.FLOAT, MPI.SUM);
            comm.allReduce(doubles, 1, MPI.DOUBLE, MPI.SUM);
            collectiveRounds++;
        }
    }
}
