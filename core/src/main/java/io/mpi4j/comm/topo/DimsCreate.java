package io.mpi4j.comm.topo;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;

/**
 * {@code MPI_DIMS_CREATE}: fills the zero entries of a dims array so that the product of all entries is the number
 * of nodes and the filled entries are as close to each other as possible, in non-increasing order.
 * <p>
 * The filled values are found by an exhaustive search over non-increasing factorisations rather than by handing out
 * prime factors greedily: greedy gives 12x6 for 72 nodes in two dimensions where 9x8 is the balanced answer. The
 * search is small because a factorisation is pruned as soon as its largest entry cannot beat the best found.
 */
public final class DimsCreate
{
    private DimsCreate()
    {
    }

    /**
     * Fills the zero entries of {@code dims} in place.
     *
     * @param nnodes number of processes the grid must hold
     * @param dims   entries fixed by the caller (positive) or to choose (zero)
     * @throws MpiError ERR_ARG for a null array; ERR_DIMS for a negative node count or entry, or fixed entries
     *                  whose product does not divide {@code nnodes}
     */
    public static void fill(final int nnodes, final int[] dims)
    {
        if (null == dims)
        {
            throw new MpiError(ErrorClass.ERR_ARG, "dims is null");
        }
        if (nnodes < 0)
        {
            throw new MpiError(ErrorClass.ERR_DIMS, "nnodes = " + nnodes + " is negative");
        }
        long fixed = 1;
        int free = 0;
        for (int i = 0; i < dims.length; i++)
        {
            if (dims[i] < 0)
            {
                throw new MpiError(ErrorClass.ERR_DIMS, "dims[" + i + "] = " + dims[i] +
                    " is negative (0 means 'choose', a positive value is kept)");
            }
            if (0 == dims[i])
            {
                free++;
            }
            else
            {
                fixed = Math.min(fixed * dims[i], (long)Integer.MAX_VALUE + 1);
            }
        }
        if (0 == nnodes)
        {
            // No grid holds zero processes unless a dimension is zero; the only consistent answer is all zeros.
            throw new MpiError(ErrorClass.ERR_DIMS, "nnodes = 0: a grid needs at least one process");
        }
        if (nnodes % fixed != 0)
        {
            throw new MpiError(ErrorClass.ERR_DIMS, "the fixed entries of dims multiply to " + fixed +
                ", which does not divide nnodes = " + nnodes);
        }
        final int rest = (int)(nnodes / fixed);
        if (0 == free)
        {
            if (rest != 1)
            {
                throw new MpiError(ErrorClass.ERR_DIMS, "dims has no zero entry to choose and its product " + fixed +
                    " is not nnodes = " + nnodes);
            }
            return;
        }
        final int[] chosen = balanced(rest, free);
        for (int i = 0, j = 0; i < dims.length; i++)
        {
            if (0 == dims[i])
            {
                dims[i] = chosen[j++];
            }
        }
    }

    /** The most balanced non-increasing factorisation of {@code n} into {@code parts} factors. */
    static int[] balanced(final int n, final int parts)
    {
        final int[] result = new int[parts];
        if (1 == n)
        {
            java.util.Arrays.fill(result, 1);
            return result;
        }
        final Search search = new Search(divisors(n), parts);
        // Trying the largest factor in increasing order means the first candidates are the balanced ones, and the
        // spread of any factorisation is at least (largest - floor(k-th root of n)), which ends the loop early.
        final int root = floorRoot(n, parts);
        for (final int largest : search.divisors)
        {
            if (largest < ceilRoot(n, parts))
            {
                continue;
            }
            if (largest - root >= search.bestSpread)
            {
                break;
            }
            search.current[0] = largest;
            search.run(n / largest, 1, largest);
        }
        return search.best;
    }

    /** Depth-first search over the factors after the largest; each one at most the one before it. */
    private static final class Search
    {
        final int[] divisors;
        final int[] current;
        int[] best;
        int bestSpread = Integer.MAX_VALUE;

        Search(final int[] divisors, final int parts)
        {
            this.divisors = divisors;
            this.current = new int[parts];
        }

        void run(final int n, final int slot, final int limit)
        {
            final int remaining = current.length - slot;
            if (0 == remaining)
            {
                if (1 == n)
                {
                    final int spread = current[0] - current[current.length - 1];
                    if (spread < bestSpread)
                    {
                        bestSpread = spread;
                        best = current.clone();
                    }
                }
                return;
            }
            // The smallest factor still to come is at most floor(remaining-th root of n).
            if (current[0] - floorRoot(n, remaining) >= bestSpread)
            {
                return;
            }
            final int lowest = ceilRoot(n, remaining);
            for (int i = divisors.length - 1; i >= 0; i--)
            {
                final int d = divisors[i];
                if (d < lowest)
                {
                    break;
                }
                if (d <= limit && 0 == n % d)
                {
                    current[slot] = d;
                    run(n / d, slot + 1, d);
                }
            }
        }
    }

    /** Divisors of {@code n} in increasing order. */
    static int[] divisors(final int n)
    {
        final int[] small = new int[2 * (int)Math.sqrt(n) + 2];
        int count = 0;
        final int[] large = new int[small.length];
        int largeCount = 0;
        for (int d = 1; (long)d * d <= n; d++)
        {
            if (0 == n % d)
            {
                small[count++] = d;
                if (d != n / d)
                {
                    large[largeCount++] = n / d;
                }
            }
        }
        final int[] all = new int[count + largeCount];
        System.arraycopy(small, 0, all, 0, count);
        for (int i = 0; i < largeCount; i++)
        {
            all[count + i] = large[largeCount - 1 - i];
        }
        return all;
    }

    /** Smallest r with r^k >= n. */
    static int ceilRoot(final int n, final int k)
    {
        final int r = floorRoot(n, k);
        return power(r, k) >= n ? r : r + 1;
    }

    /** Largest r with r^k <= n (n >= 1). */
    static int floorRoot(final int n, final int k)
    {
        int r = Math.max(1, (int)Math.floor(Math.pow(n, 1.0 / k)));
        while (r > 1 && power(r, k) > n)
        {
            r--;
        }
        while (power(r + 1, k) <= n)
        {
            r++;
        }
        return r;
    }

    private static long power(final int base, final int exponent)
    {
        long result = 1;
        for (int i = 0; i < exponent && result <= Integer.MAX_VALUE; i++)
        {
            result *= base;
        }
        return result;
    }
}
