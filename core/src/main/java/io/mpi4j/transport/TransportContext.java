package io.mpi4j.transport;

/**
 * What a transport may know about the process that opens it: nothing about communicators, ranks or tags.
 *
 * @param jobId          the launcher's job id, safe in file names ([A-Za-z0-9_-]); unique per job on a node.
 * @param processIndex   index of this process inside its job (the job's world rank); unique with {@code jobId}.
 * @param nodeId         identity of this node; two processes with equal node ids share memory.
 * @param owner          best-effort cleanup token: the launcher removes leftovers whose names contain
 *                       {@code "mpi4j-" + jobId}.
 */
public record TransportContext(String jobId, int processIndex, String nodeId, String owner)
{
}
