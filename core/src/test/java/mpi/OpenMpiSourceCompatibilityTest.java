package mpi;

import org.junit.jupiter.api.Test;

import java.nio.IntBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A program written against Open MPI's Java binding: that it compiles is the test. It runs only up to the first MPI
 * call, which fails because no job is running.
 */
class OpenMpiSourceCompatibilityTest
{
    static void program(final String[] args) throws MPIException
    {
        MPI.Init(args);
        final int provided = MPI.queryThread();
        final boolean main = MPI.isThreadMain();
        final int rank = MPI.COMM_WORLD.getRank();
        final int size = MPI.COMM_WORLD.getSize();
        MPI.COMM_WORLD.setErrhandler(MPI.ERRORS_RETURN);
        final Errhandler handler = MPI.COMM_WORLD.getErrhandler();
        final String name = MPI.COMM_WORLD.getName() + MPI.getProcessorName() + MPI.getLibVersion();
        final int tagUb = (Integer)MPI.COMM_WORLD.getAttr(MPI.TAG_UB);
        final double t0 = MPI.wtime() + MPI.wtick();

        final int[] data = new int[4];
        MPI.COMM_WORLD.send(data, 4, MPI.INT, (rank + 1) % size, 0);
        Status status = MPI.COMM_WORLD.recv(data, 4, MPI.INT, MPI.ANY_SOURCE, MPI.ANY_TAG);
        final int count = status.getCount(MPI.INT) + status.getSource() + status.getTag() + status.getError() +
            status.getElements(MPI.INT) + status.getIndex();
        final boolean cancelled = status.isCancelled();
        MPI.COMM_WORLD.sSend(data, 1, MPI.INT, 0, 1);
        MPI.COMM_WORLD.rSend(data, 1, MPI.INT, 0, 1);
        MPI.attachBuffer(new byte[1024 + MPI.BSEND_OVERHEAD]);
        MPI.COMM_WORLD.bSend(data, 1, MPI.INT, 0, 1);
        final byte[] detached = MPI.detachBuffer();
        status = MPI.COMM_WORLD.sendRecv(data, 1, MPI.INT, 0, 2, data, 1, MPI.INT, 0, 2);
        status = MPI.COMM_WORLD.sendRecvReplace(data, 1, MPI.INT, 0, 3, 0, 3);

        final IntBuffer buffer = MPI.newIntBuffer(8);
        final IntBuffer tail = MPI.slice(buffer, 4);
        final Request[] requests = {
            MPI.COMM_WORLD.iSend(buffer, 4, MPI.INT, 0, 4),
            MPI.COMM_WORLD.iRecv(tail, 4, MPI.INT, 0, 4),
            MPI.COMM_WORLD.isSend(buffer, 1, MPI.INT, 0, 5),
            MPI.COMM_WORLD.ibSend(buffer, 1, MPI.INT, 0, 5),
            MPI.COMM_WORLD.irSend(buffer, 1, MPI.INT, 0, 5),
        };
        requests[0].waitFor();
        status = requests[1].waitStatus();
        final boolean done = requests[2].test();
        status = requests[2].testStatus();
        Request.waitAll(requests);
        final Status[] all = Request.waitAllStatus(requests);
        final int any = Request.waitAny(requests) + Request.testAny(requests);
        status = Request.waitAnyStatus(requests);
        status = Request.testAnyStatus(requests);
        final boolean allDone = Request.testAll(requests);
        final Status[] allStatus = Request.testAllStatus(requests);
        final int[] some = Request.waitSome(requests);
        final int[] someTested = Request.testSome(requests);
        final Status[] someStatus = Request.waitSomeStatus(requests);
        final Status[] someTestedStatus = Request.testSomeStatus(requests);
        requests[3].cancel();
        requests[3].free();
        final boolean isNull = requests[4].isNull() || MPI.REQUEST_NULL.isNull();

        final Prequest[] persistent = {
            MPI.COMM_WORLD.sendInit(buffer, 1, MPI.INT, 0, 7),
            MPI.COMM_WORLD.bSendInit(buffer, 1, MPI.INT, 0, 7),
            MPI.COMM_WORLD.sSendInit(buffer, 1, MPI.INT, 0, 7),
            MPI.COMM_WORLD.rSendInit(buffer, 1, MPI.INT, 0, 7),
            MPI.COMM_WORLD.recvInit(tail, 1, MPI.INT, 0, 7),
        };
        persistent[0].start();
        Prequest.startAll(persistent);
        Request.waitAll(persistent);
        persistent[4].free();

        status = MPI.COMM_WORLD.probe(MPI.ANY_SOURCE, MPI.ANY_TAG);
        status = MPI.COMM_WORLD.iProbe(0, 0);
        final Message message = new Message();
        status = message.mProbe(MPI.ANY_SOURCE, 6, MPI.COMM_WORLD);
        status = message.imProbe(MPI.ANY_SOURCE, 6, MPI.COMM_WORLD);
        if (!message.isNull() && !message.isNoProc())
        {
            status = message.mRecv(data, 4, MPI.INT);
            final Request r = message.imRecv(buffer, 4, MPI.INT);
        }

        final Info info = new Info();
        info.set("key", "value");
        final String value = info.get("key") + info.getKey(0) + info.size();
        final Info copy = info.dup();
        info.delete("key");
        info.free();

        final Group group = MPI.COMM_WORLD.getGroup();
        final int groupInfo = group.getSize() + group.getRank();
        group.free();

        final int result = Comm.compare(MPI.COMM_WORLD, MPI.COMM_SELF);
        final boolean inter = MPI.COMM_WORLD.isInter();
        final int typeInfo = MPI.INT.getSize() + MPI.INT.getExtent() + MPI.INT.getLb();
        final String typeName = MPI.DOUBLE.getName();
        MPI.COMM_WORLD.barrier();
        if (MPI.isInitialized() && !MPI.isFinalized())
        {
            MPI.Finalize();
        }
        MPI.COMM_WORLD.abort(1);
    }

    @Test
    void openMpiProgramCompiles()
    {
        final MPIException ex = assertThrows(MPIException.class, () -> program(new String[0]));
        assertEquals(MPI.ERR_OTHER, ex.getErrorClass());
    }
}
