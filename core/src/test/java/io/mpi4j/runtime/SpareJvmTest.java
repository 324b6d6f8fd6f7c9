package io.mpi4j.runtime;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The assignment a spare JVM reads: one frame, argv verbatim, nothing read past it. */
class SpareJvmTest
{
    @Test
    void assignmentRoundTripsVerbatimAndConsumesOneFrame() throws IOException
    {
        final Map<String, String> variables = new LinkedHashMap<>();
        variables.put("MPI4J_RANK", "1");
        variables.put("MPI4J_SECRET", "ab\u00e9=cd");
        final List<String> args = List.of(" leading space", "a=b", "", "two words", "--dash", "\u00fcnicode");
        final SpareJvm.Assignment sent = new SpareJvm.Assignment(variables, "pkg.Main", args);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        sent.writeTo(bytes);
        bytes.write(new byte[]{ 'n', 'e', 'x', 't' });
        final ByteArrayInputStream in = new ByteArrayInputStream(bytes.toByteArray());

        final SpareJvm.Assignment received = SpareJvm.readAssignment(in);

        assertEquals(sent, received);
        assertEquals(4, in.available(), "what follows the frame stays unread");
    }

    @Test
    void endOfFileBeforeAnAssignmentIsEof()
    {
        assertThrows(EOFException.class, () -> SpareJvm.readAssignment(new ByteArrayInputStream(new byte[0])));
    }

    @Test
    void aFrameWithoutTheMagicIsRefused()
    {
        final byte[] frame = { 0, 0, 0, 4, 1, 2, 3, 4 };
        assertThrows(IOException.class, () -> SpareJvm.readAssignment(new ByteArrayInputStream(frame)));
    }
}
