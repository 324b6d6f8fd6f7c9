package io.mpi4j.coll;

import org.agrona.UnsafeApi;

/**
 * The predefined reduction operators' loops, one per (operator, type): {@code inout[i] = in[i] op inout[i]} over
 * memory given as (base, address) pairs, as the point-to-point layer gives it. Generated shape, kept flat on purpose:
 * one tight loop per pair, primitives only, no boxing and no allocation.
 */
final class ReductionKernels
{
    private ReductionKernels()
    {
    }

    /** Applies {@code op} to {@code count} items of {@code type}; false when the pair is not defined by MPI. */
    static boolean apply(final int op, final int type, final Object in, final long inAddress, final Object inout,
        final long inoutAddress, final int count)
    {
        final long bytes = (long)count * StagedKernels.elementBytes(type);
        final boolean pins = null != in || null != inout;
        if ((pins ? bytes >= NativeKernels.MIN_BYTES :
            bytes >= NativeKernels.MIN_NATIVE_BYTES || count >= NativeKernels.MIN_NATIVE_ITEMS) &&
            NativeKernels.handles(op, type) && NativeKernels.available())
        {
            NativeKernels.apply(op, type, in, inAddress, inout, inoutAddress, bytes);
            return true;
        }
        if (bytes >= StagedKernels.MIN_BYTES && StagedKernels.handles(op, type))
        {
            StagedKernels.apply(op, type, in, inAddress, inout, inoutAddress, bytes);
            return true;
        }
        switch (type)
        {
            case ReductionType.BYTE: return bytes(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.CHAR: return chars(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.SHORT: return shorts(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.INT: return ints(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.LONG: return longs(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.FLOAT: return floats(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.DOUBLE: return doubles(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.BOOLEAN: return booleans(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.SHORT_INT: case ReductionType.LONG_INT: case ReductionType.FLOAT_INT:
            case ReductionType.DOUBLE_INT: case ReductionType.INT2: case ReductionType.SHORT_INT_PACKED:
            case ReductionType.LONG_INT_PACKED: case ReductionType.DOUBLE_INT_PACKED:
                return pairs(op, type, in, inAddress, inout, inoutAddress, count);
            case ReductionType.FLOAT_COMPLEX: return floatComplex(op, in, inAddress, inout, inoutAddress, count);
            case ReductionType.DOUBLE_COMPLEX: return doubleComplex(op, in, inAddress, inout, inoutAddress, count);
            default: return false;
        }
    }

    private static boolean bytes(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 1;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x < y ? x : y));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x > y ? x : y));
                }
                return true;
            case ReductionOp.LAND:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)((x != 0 && y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)((x != 0 || y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(((x != 0) != (y != 0)) ? 1 : 0));
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x & y));
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x | y));
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < end; i += 1)
                {
                    final byte x = UnsafeApi.getByte(a, ai + i);
                    final byte y = UnsafeApi.getByte(b, bi + i);
                    UnsafeApi.putByte(b, bi + i, (byte)(x ^ y));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean chars(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 2;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x < y ? x : y));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x > y ? x : y));
                }
                return true;
            case ReductionOp.LAND:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)((x != 0 && y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)((x != 0 || y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(((x != 0) != (y != 0)) ? 1 : 0));
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x & y));
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x | y));
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < end; i += 2)
                {
                    final char x = UnsafeApi.getChar(a, ai + i);
                    final char y = UnsafeApi.getChar(b, bi + i);
                    UnsafeApi.putChar(b, bi + i, (char)(x ^ y));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean shorts(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 2;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x < y ? x : y));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x > y ? x : y));
                }
                return true;
            case ReductionOp.LAND:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)((x != 0 && y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)((x != 0 || y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(((x != 0) != (y != 0)) ? 1 : 0));
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x & y));
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x | y));
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < end; i += 2)
                {
                    final short x = UnsafeApi.getShort(a, ai + i);
                    final short y = UnsafeApi.getShort(b, bi + i);
                    UnsafeApi.putShort(b, bi + i, (short)(x ^ y));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean ints(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 4;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (Math.min(x, y)));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (Math.max(x, y)));
                }
                return true;
            case ReductionOp.LAND:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (int)((x != 0 && y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (int)((x != 0 || y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (int)(((x != 0) != (y != 0)) ? 1 : 0));
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (x & y));
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (x | y));
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < end; i += 4)
                {
                    final int x = UnsafeApi.getInt(a, ai + i);
                    final int y = UnsafeApi.getInt(b, bi + i);
                    UnsafeApi.putInt(b, bi + i, (x ^ y));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean longs(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 8;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (Math.min(x, y)));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (Math.max(x, y)));
                }
                return true;
            case ReductionOp.LAND:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (long)((x != 0 && y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (long)((x != 0 || y != 0) ? 1 : 0));
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (long)(((x != 0) != (y != 0)) ? 1 : 0));
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (x & y));
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (x | y));
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < end; i += 8)
                {
                    final long x = UnsafeApi.getLong(a, ai + i);
                    final long y = UnsafeApi.getLong(b, bi + i);
                    UnsafeApi.putLong(b, bi + i, (x ^ y));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean floats(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 4;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 4)
                {
                    final float x = UnsafeApi.getFloat(a, ai + i);
                    final float y = UnsafeApi.getFloat(b, bi + i);
                    UnsafeApi.putFloat(b, bi + i, (x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 4)
                {
                    final float x = UnsafeApi.getFloat(a, ai + i);
                    final float y = UnsafeApi.getFloat(b, bi + i);
                    UnsafeApi.putFloat(b, bi + i, (x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 4)
                {
                    final float x = UnsafeApi.getFloat(a, ai + i);
                    final float y = UnsafeApi.getFloat(b, bi + i);
                    UnsafeApi.putFloat(b, bi + i, (Math.min(x, y)));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 4)
                {
                    final float x = UnsafeApi.getFloat(a, ai + i);
                    final float y = UnsafeApi.getFloat(b, bi + i);
                    UnsafeApi.putFloat(b, bi + i, (Math.max(x, y)));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean doubles(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        final long end = (long)n * 8;
        switch (op)
        {
            case ReductionOp.SUM:
                for (long i = 0; i < end; i += 8)
                {
                    final double x = UnsafeApi.getDouble(a, ai + i);
                    final double y = UnsafeApi.getDouble(b, bi + i);
                    UnsafeApi.putDouble(b, bi + i, (x + y));
                }
                return true;
            case ReductionOp.PROD:
                for (long i = 0; i < end; i += 8)
                {
                    final double x = UnsafeApi.getDouble(a, ai + i);
                    final double y = UnsafeApi.getDouble(b, bi + i);
                    UnsafeApi.putDouble(b, bi + i, (x * y));
                }
                return true;
            case ReductionOp.MIN:
                for (long i = 0; i < end; i += 8)
                {
                    final double x = UnsafeApi.getDouble(a, ai + i);
                    final double y = UnsafeApi.getDouble(b, bi + i);
                    UnsafeApi.putDouble(b, bi + i, (Math.min(x, y)));
                }
                return true;
            case ReductionOp.MAX:
                for (long i = 0; i < end; i += 8)
                {
                    final double x = UnsafeApi.getDouble(a, ai + i);
                    final double y = UnsafeApi.getDouble(b, bi + i);
                    UnsafeApi.putDouble(b, bi + i, (Math.max(x, y)));
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean booleans(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        switch (op)
        {
            case ReductionOp.LAND:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x && y);
                }
                return true;
            case ReductionOp.BAND:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x & y);
                }
                return true;
            case ReductionOp.LOR:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x || y);
                }
                return true;
            case ReductionOp.BOR:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x | y);
                }
                return true;
            case ReductionOp.LXOR:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x != y);
                }
                return true;
            case ReductionOp.BXOR:
                for (long i = 0; i < n; i++)
                {
                    final boolean x = UnsafeApi.getBoolean(a, ai + i);
                    final boolean y = UnsafeApi.getBoolean(b, bi + i);
                    UnsafeApi.putBoolean(b, bi + i, x ^ y);
                }
                return true;
            default:
                return false;
        }
    }

    private static boolean pairs(
        final int op, final int type, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        if (op != ReductionOp.MINLOC && op != ReductionOp.MAXLOC)
        {
            return false;
        }
        final boolean min = op == ReductionOp.MINLOC;
        final int size = ReductionType.size(type);
        final int indexOffset = ReductionType.indexOffset(type);
        final int kind = ReductionType.valueKind(type);
        for (long i = 0, end = (long)n * size; i < end; i += size)
        {
            final int c = compareValues(kind, a, ai + i, b, bi + i);
            final int xi = UnsafeApi.getInt(a, ai + i + indexOffset);
            final int yi = UnsafeApi.getInt(b, bi + i + indexOffset);
            if (min ? c < 0 : c > 0)
            {
                copyValue(kind, a, ai + i, b, bi + i);
                UnsafeApi.putInt(b, bi + i + indexOffset, xi);
            }
            else if (c == 0 && xi < yi)
            {
                UnsafeApi.putInt(b, bi + i + indexOffset, xi);
            }
        }
        return true;
    }

    /** SUM and PROD of (re, im) float pairs; MPI defines no other predefined operator on complex numbers. */
    private static boolean floatComplex(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        if (op != ReductionOp.SUM && op != ReductionOp.PROD)
        {
            return false;
        }
        final boolean sum = op == ReductionOp.SUM;
        for (long i = 0, end = (long)n * 2 * Float.BYTES; i < end; i += 2 * Float.BYTES)
        {
            final float xr = UnsafeApi.getFloat(a, ai + i);
            final float xi = UnsafeApi.getFloat(a, ai + i + Float.BYTES);
            final float yr = UnsafeApi.getFloat(b, bi + i);
            final float yi = UnsafeApi.getFloat(b, bi + i + Float.BYTES);
            UnsafeApi.putFloat(b, bi + i, sum ? xr + yr : xr * yr - xi * yi);
            UnsafeApi.putFloat(b, bi + i + Float.BYTES, sum ? xi + yi : xr * yi + xi * yr);
        }
        return true;
    }

    /** SUM and PROD of (re, im) double pairs. */
    private static boolean doubleComplex(
        final int op, final Object a, final long ai, final Object b, final long bi, final int n)
    {
        if (op != ReductionOp.SUM && op != ReductionOp.PROD)
        {
            return false;
        }
        final boolean sum = op == ReductionOp.SUM;
        for (long i = 0, end = (long)n * 2 * Double.BYTES; i < end; i += 2 * Double.BYTES)
        {
            final double xr = UnsafeApi.getDouble(a, ai + i);
            final double xi = UnsafeApi.getDouble(a, ai + i + Double.BYTES);
            final double yr = UnsafeApi.getDouble(b, bi + i);
            final double yi = UnsafeApi.getDouble(b, bi + i + Double.BYTES);
            UnsafeApi.putDouble(b, bi + i, sum ? xr + yr : xr * yr - xi * yi);
            UnsafeApi.putDouble(b, bi + i + Double.BYTES, sum ? xi + yi : xr * yi + xi * yr);
        }
        return true;
    }

    private static int compareValues(final int type, final Object a, final long ax, final Object b, final long bx)
    {
        switch (type)
        {
            case ReductionType.SHORT_INT: return Short.compare(UnsafeApi.getShort(a, ax), UnsafeApi.getShort(b, bx));
            case ReductionType.LONG_INT: return Long.compare(UnsafeApi.getLong(a, ax), UnsafeApi.getLong(b, bx));
            case ReductionType.FLOAT_INT: return compare(UnsafeApi.getFloat(a, ax), UnsafeApi.getFloat(b, bx));
            case ReductionType.DOUBLE_INT: return compare(UnsafeApi.getDouble(a, ax), UnsafeApi.getDouble(b, bx));
            default: return Integer.compare(UnsafeApi.getInt(a, ax), UnsafeApi.getInt(b, bx));
        }
    }

    /** Numeric comparison as C does it ({@code -0.0 == 0.0}), unlike {@link Double#compare}. */
    private static int compare(final double x, final double y)
    {
        return x < y ? -1 : x > y ? 1 : 0;
    }

    private static void copyValue(final int type, final Object a, final long ax, final Object b, final long bx)
    {
        switch (type)
        {
            case ReductionType.SHORT_INT: UnsafeApi.putShort(b, bx, UnsafeApi.getShort(a, ax)); break;
            case ReductionType.LONG_INT: UnsafeApi.putLong(b, bx, UnsafeApi.getLong(a, ax)); break;
            case ReductionType.FLOAT_INT: UnsafeApi.putFloat(b, bx, UnsafeApi.getFloat(a, ax)); break;
            case ReductionType.DOUBLE_INT: UnsafeApi.putDouble(b, bx, UnsafeApi.getDouble(a, ax)); break;
            default: UnsafeApi.putInt(b, bx, UnsafeApi.getInt(a, ax)); break;
        }
    }
}
