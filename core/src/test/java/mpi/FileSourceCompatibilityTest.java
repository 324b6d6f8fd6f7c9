package mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.IntBuffer;

import org.junit.jupiter.api.Test;

/**
 * File calls as a program written against Open MPI's Java binding v5.0.x makes them: that it compiles is the test.
 * It runs only up to the first MPI call, which fails because no job is running.
 */
class FileSourceCompatibilityTest
{
    static void program(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int[] a = new int[16];
        final IntBuffer d = MPI.newIntBuffer(16);
        final File f = new File(MPI.COMM_WORLD, "f", MPI.MODE_CREATE | MPI.MODE_RDWR, new Info());
        final File g = new File(MPI.COMM_SELF, "g", MPI.MODE_RDONLY);
        f.setView(0, MPI.INT, MPI.INT, "native");
        f.setView(0, MPI.INT, MPI.INT, "native", MPI.INFO_NULL);
        final FileView view = f.getView();
        final long disp = view.getDisp();
        final Datatype etype = view.getEType();
        final Datatype filetype = view.getFileType();
        final String rep = view.getDataRep();
        Status s = f.readAt(0, a, 1, MPI.INT);
        s = f.readAtAll(0, a, 1, MPI.INT);
        s = f.writeAt(0, a, 1, MPI.INT);
        s = f.writeAtAll(0, a, 1, MPI.INT);
        Request r = f.iReadAt(0, d, 1, MPI.INT);
        r = f.iReadAtAll(0, d, 1, MPI.INT);
        r = f.iWriteAt(0, d, 1, MPI.INT);
        r = f.iWriteAtAll(0, d, 1, MPI.INT);
        s = f.read(a, 1, MPI.INT);
        s = f.readAll(a, 1, MPI.INT);
        s = f.write(a, 1, MPI.INT);
        s = f.writeAll(a, 1, MPI.INT);
        r = f.iRead(d, 1, MPI.INT);
        r = f.iReadAll(d, 1, MPI.INT);
        r = f.iWrite(d, 1, MPI.INT);
        r = f.iWriteAll(d, 1, MPI.INT);
        f.seek(0, MPI.SEEK_SET);
        final long position = f.getPosition() + f.getByteOffset(0);
        s = f.readShared(a, 1, MPI.INT);
        s = f.writeShared(a, 1, MPI.INT);
        r = f.iReadShared(d, 1, MPI.INT);
        r = f.iWriteShared(d, 1, MPI.INT);
        s = f.readOrdered(a, 1, MPI.INT);
        s = f.writeOrdered(a, 1, MPI.INT);
        f.seekShared(0, MPI.SEEK_END);
        final long shared = f.getPositionShared();
        f.readAtAllBegin(0, a, 1, MPI.INT);
        s = f.readAtAllEnd(a);
        f.writeAtAllBegin(0, a, 1, MPI.INT);
        s = f.writeAtAllEnd(a);
        f.readAllBegin(a, 1, MPI.INT);
        s = f.readAllEnd(a);
        f.writeAllBegin(a, 1, MPI.INT);
        s = f.writeAllEnd(a);
        f.readOrderedBegin(a, 1, MPI.INT);
        s = f.readOrderedEnd(a);
        f.writeOrderedBegin(a, 1, MPI.INT);
        s = f.writeOrderedEnd(a);
        final int extent = f.getTypeExtent(MPI.INT);
        f.setAtomicity(true);
        final boolean atomic = f.getAtomicity();
        f.sync();
        f.setSize(0);
        f.preallocate(16);
        final long size = f.getSize();
        final Group group = f.getGroup();
        final int amode = f.getAMode();
        f.setInfo(new Info());
        final Info info = f.getInfo();
        f.setErrhandler(MPI.ERRORS_RETURN);
        final Errhandler handler = f.getErrhandler();
        f.callErrhandler(MPI.ERR_FILE);
        f.close();
        g.close();
        File.delete("f");
        File.delete("g", MPI.INFO_NULL);
        MPI.Finalize();
    }

    @Test
    void openMpiFileProgramCompiles()
    {
        final MPIException ex = assertThrows(MPIException.class, () -> program(new String[0]));
        assertEquals(MPI.ERR_OTHER, ex.getErrorClass());
    }

    @Test
    void fileConstantsHaveOpenMpiValues()
    {
        assertEquals(1, MPI.MODE_CREATE);
        assertEquals(2, MPI.MODE_RDONLY);
        assertEquals(4, MPI.MODE_WRONLY);
        assertEquals(8, MPI.MODE_RDWR);
        assertEquals(16, MPI.MODE_DELETE_ON_CLOSE);
        assertEquals(32, MPI.MODE_UNIQUE_OPEN);
        assertEquals(64, MPI.MODE_EXCL);
        assertEquals(128, MPI.MODE_APPEND);
        assertEquals(256, MPI.MODE_SEQUENTIAL);
        assertEquals(600, MPI.SEEK_SET);
        assertEquals(602, MPI.SEEK_CUR);
        assertEquals(604, MPI.SEEK_END);
        assertEquals(-54278278, MPI.DISPLACEMENT_CURRENT);
    }
}
