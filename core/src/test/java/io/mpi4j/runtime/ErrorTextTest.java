package io.mpi4j.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.EOFException;
import java.io.IOException;

import org.junit.jupiter.api.Test;

class ErrorTextTest
{
    @Test
    void aMessageIsTheText()
    {
        assertEquals("connection refused", ErrorText.of(new IOException("connection refused")));
    }

    @Test
    void withoutAMessageTheClassAndTheCauseSayWhatFailed()
    {
        assertEquals("java.io.EOFException", ErrorText.of(new EOFException()));
        assertEquals("java.io.IOException (caused by java.lang.IllegalStateException: no port)",
            ErrorText.of(new IOException(null, new IllegalStateException("no port"))));
        assertEquals("java.io.IOException (caused by java.io.EOFException)",
            ErrorText.of(new IOException((String)null, new EOFException())));
        assertEquals("unknown error", ErrorText.of(null));
    }
}
