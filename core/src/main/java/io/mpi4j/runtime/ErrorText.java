package io.mpi4j.runtime;

/**
 * What went wrong, in words, for messages built from a caught exception: its message, or, when it has none (an
 * {@code EOFException}, a bare {@code NullPointerException}), its class and what its cause says. A message must
 * never read "failed: null".
 */
public final class ErrorText
{
    /** Causes followed at most: a cycle or a deep chain must not make a message of its own. */
    private static final int MAX_CAUSES = 4;

    private ErrorText()
    {
    }

    /** The message of {@code error}, or its class name followed by its cause's class and message. */
    public static String of(final Throwable error)
    {
        if (error == null)
        {
            return "unknown error";
        }
        final String message = error.getMessage();
        if (message != null && !message.isBlank())
        {
            return message;
        }
        final StringBuilder text = new StringBuilder(error.getClass().getName());
        Throwable cause = error.getCause();
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++)
        {
            final String causeMessage = cause.getMessage();
            text.append(" (caused by ").append(cause.getClass().getName());
            if (causeMessage != null && !causeMessage.isBlank())
            {
                text.append(": ").append(causeMessage).append(')');
                break;
            }
            text.append(')');
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return text.toString();
    }
}
