package io.mpi4j.coll;

/** Codes of MPI's predefined reduction operators, as the kernels know them. */
public final class ReductionOp
{
    public static final int SUM = 1;
    public static final int PROD = 2;
    public static final int MIN = 3;
    public static final int MAX = 4;
    public static final int LAND = 5;
    public static final int LOR = 6;
    public static final int LXOR = 7;
    public static final int BAND = 8;
    public static final int BOR = 9;
    public static final int BXOR = 10;
    public static final int MINLOC = 11;
    public static final int MAXLOC = 12;

    private ReductionOp()
    {
    }
}
