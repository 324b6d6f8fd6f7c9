package io.mpi4j.coll;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code MPI4J_COLL_SINGLE_COPY_MIN}: a size, {@code off}, unset; a value that is neither keeps the default. */
class SingleCopySettingTest
{
    private static final long DEFAULT = 64 * 1024;

    @Test
    void unsetOrBlankIsTheDefault()
    {
        assertEquals(DEFAULT, NodeCollectives.singleCopyMin(null));
        assertEquals(DEFAULT, NodeCollectives.singleCopyMin("  "));
    }

    @Test
    void sizesTakeBinarySuffixes()
    {
        assertEquals(4096, NodeCollectives.singleCopyMin("4096"));
        assertEquals(512 * 1024, NodeCollectives.singleCopyMin(" 512k "));
        assertEquals(1 << 20, NodeCollectives.singleCopyMin("1M"));
        assertEquals(1, NodeCollectives.singleCopyMin("0"));
    }

    @Test
    void offNeverReadsInOneCopy()
    {
        assertEquals(Long.MAX_VALUE, NodeCollectives.singleCopyMin("OFF"));
    }

    @Test
    void aValueThatIsNoSizeKeepsTheDefault()
    {
        assertEquals(DEFAULT, NodeCollectives.singleCopyMin("lots"));
        assertEquals(DEFAULT, NodeCollectives.singleCopyMin("-5k"));
    }
}
