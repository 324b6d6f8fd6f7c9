package io.mpi4j.tcp;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * Authentication of an accepted connection, before any frame of it is read: challenge and response of fixed
 * lengths, so the listener never sizes anything from what an unauthenticated client says.
 * <pre>
 *   listener -&gt; client  CHALLENGE: MAGIC, VERSION, nonce (32 bytes)
 *   client -&gt; listener  RESPONSE:  MAGIC, VERSION, process index, job id length, job id (64 bytes, zero padded),
 *                                   HMAC-SHA256(key, LABEL | challenge | response up to the MAC)
 * </pre>
 * The key is the listener's: 32 random bytes, published in its address through the job's key-value exchange, which
 * only processes that presented their job's secret to the launcher can read. So every process of the launcher's
 * jobs (spawned children and their parents too, whose secrets differ) can connect, and nothing else can; neither the
 * key nor any secret is ever sent on a TCP connection. The nonce is unique per connection (random prefix, counter),
 * so a recorded response cannot be replayed; only clients prove anything, so the listener is never an oracle.
 * Frames the client sends right after its response wait in the socket until the MAC is checked.
 */
final class TcpHandshake
{
    /** "M4JT". */
    static final int MAGIC = 0x544A344D;
    static final int VERSION = 1;
    static final int KEY_LENGTH = 32;
    static final int NONCE_LENGTH = 32;
    static final int MAC_LENGTH = 32;
    static final int MAX_JOB_ID_LENGTH = 64;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + Integer.BYTES;
    static final int NONCE_OFFSET = VERSION_OFFSET + Integer.BYTES;
    static final int CHALLENGE_LENGTH = NONCE_OFFSET + NONCE_LENGTH;

    static final int PROCESS_INDEX_OFFSET = VERSION_OFFSET + Integer.BYTES;
    static final int JOB_ID_LENGTH_OFFSET = PROCESS_INDEX_OFFSET + Integer.BYTES;
    static final int JOB_ID_OFFSET = JOB_ID_LENGTH_OFFSET + Integer.BYTES;
    static final int MAC_OFFSET = JOB_ID_OFFSET + MAX_JOB_ID_LENGTH;
    static final int RESPONSE_LENGTH = MAC_OFFSET + MAC_LENGTH;

    private static final byte[] LABEL = "mpi4j-tcp-client-v1".getBytes(StandardCharsets.US_ASCII);
    private static final String ALGORITHM = "HmacSHA256";
    private static final int SEED_LENGTH = 16;

    private final byte[] key;
    private final byte[] seed;
    private long challenges;
    private Mac mac;

    TcpHandshake(final byte[] key)
    {
        this.key = key.clone();
        this.seed = randomBytes(SEED_LENGTH);
    }

    /** A fresh listener key. */
    static byte[] newKey()
    {
        return randomBytes(KEY_LENGTH);
    }

    byte[] key()
    {
        return key.clone();
    }

    /** Write a challenge at {@code challenge}'s position 0; its limit becomes {@link #CHALLENGE_LENGTH}. */
    void writeChallenge(final ByteBuffer challenge)
    {
        challenge.clear().order(ByteOrder.LITTLE_ENDIAN);
        challenge.putInt(MAGIC_OFFSET, MAGIC).putInt(VERSION_OFFSET, VERSION);
        challenge.position(NONCE_OFFSET);
        challenge.put(seed);
        challenge.putLong(++challenges);
        challenge.putLong(System.nanoTime());
        challenge.flip();
    }

    /**
     * Client side: answer {@code challenge} (its first {@link #CHALLENGE_LENGTH} bytes) for the listener whose key is
     * {@code listenerKey}, writing {@link #RESPONSE_LENGTH} bytes at {@code response[index]}.
     *
     * @return null, or why the challenge is not one (the peer is no mpi4j tcp listener).
     */
    String writeResponse(final ByteBuffer challenge, final byte[] listenerKey, final String jobId,
        final int processIndex, final ByteBuffer response, final int index)
    {
        challenge.order(ByteOrder.LITTLE_ENDIAN);
        if (MAGIC != challenge.getInt(MAGIC_OFFSET))
        {
            return "it does not speak the mpi4j tcp protocol (bad challenge)";
        }
        if (VERSION != challenge.getInt(VERSION_OFFSET))
        {
            return "it speaks version " + challenge.getInt(VERSION_OFFSET) + " of the mpi4j tcp protocol, this " +
                "process " + VERSION + " (mixed mpi4j versions in one job?)";
        }
        final byte[] job = jobId.getBytes(StandardCharsets.UTF_8);
        final int jobLength = Math.min(job.length, MAX_JOB_ID_LENGTH);
        final ByteBuffer out = response.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(index + MAGIC_OFFSET, MAGIC)
            .putInt(index + VERSION_OFFSET, VERSION)
            .putInt(index + PROCESS_INDEX_OFFSET, processIndex)
            .putInt(index + JOB_ID_LENGTH_OFFSET, jobLength);
        for (int i = 0; i < MAX_JOB_ID_LENGTH; i++)
        {
            out.put(index + JOB_ID_OFFSET + i, i < jobLength ? job[i] : 0);
        }
        final byte[] digest = digest(listenerKey, challenge, out, index);
        out.position(index + MAC_OFFSET);
        out.put(digest);
        return null;
    }

    /**
     * Listener side: whether {@code response} (its first {@link #RESPONSE_LENGTH} bytes) answers {@code challenge}.
     *
     * @return null when it does, else why not.
     */
    String verify(final ByteBuffer challenge, final ByteBuffer response)
    {
        response.order(ByteOrder.LITTLE_ENDIAN);
        if (MAGIC != response.getInt(MAGIC_OFFSET))
        {
            return "it does not speak the mpi4j tcp protocol";
        }
        if (VERSION != response.getInt(VERSION_OFFSET))
        {
            return "it speaks version " + response.getInt(VERSION_OFFSET) + " of the mpi4j tcp protocol, this " +
                "process " + VERSION;
        }
        final int jobLength = response.getInt(JOB_ID_LENGTH_OFFSET);
        if (jobLength < 0 || jobLength > MAX_JOB_ID_LENGTH || response.getInt(PROCESS_INDEX_OFFSET) < 0)
        {
            return "malformed response";
        }
        final byte[] expected = digest(key, challenge, response, 0);
        final byte[] presented = new byte[MAC_LENGTH];
        response.get(MAC_OFFSET, presented);
        // Constant time, so the key cannot be found byte by byte from response times.
        return MessageDigest.isEqual(expected, presented) ? null : "it does not know the listener's key";
    }

    /** Process index the client declared in a verified response. */
    static int processIndex(final ByteBuffer response)
    {
        return response.order(ByteOrder.LITTLE_ENDIAN).getInt(PROCESS_INDEX_OFFSET);
    }

    /** Job id the client declared in a verified response. */
    static String jobId(final ByteBuffer response)
    {
        final byte[] job = new byte[response.order(ByteOrder.LITTLE_ENDIAN).getInt(JOB_ID_LENGTH_OFFSET)];
        response.get(JOB_ID_OFFSET, job);
        return new String(job, StandardCharsets.UTF_8);
    }

    private byte[] digest(final byte[] withKey, final ByteBuffer challenge, final ByteBuffer response, final int index)
    {
        try
        {
            if (null == mac)
            {
                mac = Mac.getInstance(ALGORITHM);
            }
            mac.init(new SecretKeySpec(withKey, ALGORITHM));
            mac.update(LABEL);
            final byte[] bytes = new byte[MAC_OFFSET];
            challenge.get(0, bytes, 0, CHALLENGE_LENGTH);
            mac.update(bytes, 0, CHALLENGE_LENGTH);
            response.get(index, bytes, 0, MAC_OFFSET);
            mac.update(bytes, 0, MAC_OFFSET);
            return mac.doFinal();
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("HMAC-SHA256 unavailable: " + ex, ex);
        }
    }

    /**
     * Bytes from the kernel's generator: /dev/urandom directly, which costs a new process far less than seeding
     * a SecureRandom (MPI_Init's path); SecureRandom where there is no such device.
     */
    static byte[] randomBytes(final int length)
    {
        final byte[] bytes = new byte[length];
        try (InputStream in = new FileInputStream("/dev/urandom"))
        {
            int read = 0;
            while (read < length)
            {
                final int n = in.read(bytes, read, length - read);
                if (n < 0)
                {
                    throw new IOException("end of /dev/urandom");
                }
                read += n;
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            new SecureRandom().nextBytes(bytes);
            return bytes;
        }
    }
}
