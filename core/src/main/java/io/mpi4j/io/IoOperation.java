package io.mpi4j.io;

import io.mpi4j.errors.ErrorClass;
import io.mpi4j.errors.MpiError;
import io.mpi4j.p2p.ScheduledOperation;

import java.io.IOException;

/**
 * The request of a non-blocking independent file access ({@code MPI_File_iwrite_at}, {@code _iread},
 * {@code _iwrite_shared}, ...): the file position was settled when the call started; the transfer itself runs on
 * the {@link IoThread} while the caller computes or communicates, and completes this operation from there. The
 * progress engine never schedules it; wait and test see the volatile completion flag.
 */
final class IoOperation extends ScheduledOperation
{
    /** The transfer of one access; returns the bytes moved. */
    interface Transfer
    {
        long run() throws IOException;
    }

    private final OpenFile file;
    private final String verb;
    private final Transfer transfer;

    /** {@code verb} names the access in an error message ("read from", "write to"). */
    IoOperation(final OpenFile file, final String verb, final Transfer transfer)
    {
        this.file = file;
        this.verb = verb;
        this.transfer = transfer;
    }

    /** Runs the transfer on the I/O thread; called once, by {@link IoThread}. */
    void execute()
    {
        try
        {
            finishMoved(transfer.run());
        }
        catch (final IOException ex)
        {
            final MpiError error = OpenFile.failure(file.path(), verb, ex);
            finish(error.errorClass(), error.getMessage());
        }
        catch (final MpiError ex)
        {
            finish(ex.errorClass(), ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            finish(ErrorClass.ERR_INTERN, "a non-blocking " + verb.split(" ")[0] + " of " + file.path() +
                " failed: " + ex);
        }
        finally
        {
            file.transferEnded();
        }
    }

    @Override
    protected boolean advance()
    {
        return isComplete();
    }
}
