package io.mpi4j.runtime;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompilerHintsTest
{
    /** A hint naming a method that was renamed would silently stop working: every one must name a static method. */
    @Test
    void everyHintNamesAStaticMethodOfTheRuntime() throws ClassNotFoundException
    {
        for (final String option : CompilerHints.JVM_OPTIONS.subList(1, CompilerHints.JVM_OPTIONS.size()))
        {
            final String hint = CompilerHints.outOfLine(option);
            final String[] parts = hint.split("::");
            assertEquals(2, parts.length, hint);
            final Class<?> type = Class.forName(parts[0]);
            final Method[] named = Arrays.stream(type.getDeclaredMethods())
                .filter(m -> m.getName().equals(parts[1])).toArray(Method[]::new);
            assertEquals(1, named.length, () -> hint + ": one method of that name expected, found " + named.length);
            assertTrue(Modifier.isStatic(named[0].getModifiers()),
                hint + ": a static helper, which never sees the request it works for");
        }
    }

    @Test
    void theOptionsAreQuietThenOneDontInlineEach()
    {
        assertEquals("-XX:CompileCommand=quiet", CompilerHints.JVM_OPTIONS.get(0));
        for (final String option : CompilerHints.JVM_OPTIONS.subList(1, CompilerHints.JVM_OPTIONS.size()))
        {
            assertEquals("-XX:CompileCommand=dontinline," + CompilerHints.outOfLine(option), option);
        }
    }
}
