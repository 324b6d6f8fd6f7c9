package mpi;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

import org.junit.jupiter.api.Test;

/**
 * Datatype calls as a program written against Open MPI's Java binding makes them: that it compiles is the test.
 * It runs only up to the first call that needs a running job.
 */
class DatatypeSourceCompatibilityTest
{
    /** A user struct as the ompi-java-test programs define them. */
    static final class Particle extends Struct
    {
        private final int id = addInt();
        private final int position = addDouble(3);
        private final int tag = addChar(4);

        @Override
        protected Data newData()
        {
            return new Data();
        }

        final class Data extends Struct.Data
        {
            int getId()
            {
                return getInt(id);
            }

            void putId(final int v)
            {
                putInt(id, v);
            }

            double getPosition(final int i)
            {
                return getDouble(position, i);
            }

            void putPosition(final int i, final double v)
            {
                putDouble(position, i, v);
            }

            char getTag(final int i)
            {
                return getChar(tag, i);
            }

            ByteBuffer positions() throws MPIException
            {
                return getBuffer(MPI.DOUBLE, position, 0);
            }
        }
    }

    static void program(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final Datatype contiguous = Datatype.createContiguous(4, MPI.INT);
        final Datatype vector = Datatype.createVector(3, 2, 4, MPI.DOUBLE);
        final Datatype hvector = Datatype.createHVector(3, 1, 40, MPI.INT);
        final Datatype indexed = Datatype.createIndexed(new int[]{ 1, 2 }, new int[]{ 4, 0 }, MPI.FLOAT);
        final Datatype hindexed = Datatype.createHIndexed(new int[]{ 1, 2 }, new int[]{ 16, 0 }, MPI.LONG);
        final Datatype struct = Datatype.createStruct(new int[]{ 1, 1 }, new int[]{ 0, 8 },
            new Datatype[]{ MPI.DOUBLE, MPI.INT });
        final Datatype resized = Datatype.createResized(vector, 0, 8);
        final Datatype dup = resized.dup();
        final Datatype clone = dup.clone();
        contiguous.commit();
        final int info = contiguous.getSize() + contiguous.getExtent() + contiguous.getLb() +
            contiguous.getTrueExtent() + contiguous.getTrueLb();
        contiguous.setName("four ints " + info);
        final String name = contiguous.getName();
        final boolean isNull = MPI.DATATYPE_NULL.isNull() && name.isEmpty();
        final int keyval = Datatype.createKeyval();
        struct.setAttr(keyval, isNull ? "x" : "y");
        final Object value = struct.getAttr(keyval);
        struct.deleteAttr(keyval);
        Datatype.freeKeyval(keyval);
        final Freeable[] types = { contiguous, vector, hvector, indexed, hindexed, struct, resized, dup, clone };
        for (final Freeable t : types)
        {
            t.free();
        }

        final Particle particle = new Particle();
        final Datatype particleType = particle.getType();
        final int particleExtent = particle.getExtent();
        final ByteBuffer particles = MPI.newByteBuffer(4 * particleExtent);
        final Particle.Data p = particle.getData(particles, 2);
        p.putId(value.hashCode());
        p.putPosition(1, 2.0);
        final double x = p.getPosition(1) + p.getId() + p.getTag(0);
        final ByteBuffer first = p.getBuffer();
        final ByteBuffer coordinates = p.positions();

        final ByteBuffer pairs = MPI.newByteBuffer(4 * MPI.doubleInt.getExtent());
        final DoubleInt.Data d = MPI.doubleInt.getData(pairs, 1);
        d.putValue(x);
        d.putIndex(MPI.COMM_WORLD.getRank());
        final Int2.Data i2 = MPI.int2.getData(pairs);
        i2.putValue(i2.getIndex());
        final ShortInt.Data si = MPI.shortInt.getData(pairs);
        si.putValue(si.getValue());
        final LongInt.Data li = MPI.longInt.getData(pairs);
        li.putValue(li.getValue() + li.getIndex());
        final FloatInt.Data fi = MPI.floatInt.getData(new byte[8]);
        fi.putIndex((int)fi.getValue());
        final Datatype[] pairTypes = { MPI.INT2, MPI.SHORT_INT, MPI.LONG_INT, MPI.FLOAT_INT, MPI.DOUBLE_INT,
            MPI.shortInt.getType(), particleType };

        final DoubleBuffer z = MPI.newDoubleBuffer(4);
        final DoubleComplex c = DoubleComplex.get(z, 1);
        c.putReal(c.getImag());
        final DoubleBuffer zs = c.getBuffer();
        final FloatComplex f = FloatComplex.get(new float[]{ 1, 2 });
        f.putImag(f.getReal());
        final FloatBuffer fs = f.getBuffer();
        final Datatype[] complexTypes = { MPI.FLOAT_COMPLEX, MPI.DOUBLE_COMPLEX };
        if (pairTypes.length + complexTypes.length + zs.capacity() + fs.capacity() + first.capacity() +
            coordinates.capacity() < 0)
        {
            throw new AssertionError();
        }
        MPI.Finalize();
    }

    @Test
    void compilesAgainstOpenMpiSignatures()
    {
        // Datatype constructors need MPI.Init, as in Open MPI; without a job the program stops at Init or just after.
        assertThrows(Throwable.class, () -> Datatype.createContiguous(4, MPI.INT));
    }
}
