/*
 * mpi4j's single copy on one node: copies a region of another process's memory into this one's with
 * process_vm_readv(2), or of this one's into another's with process_vm_writev(2) (Linux cross memory attach), one
 * copy made by the kernel, as Open MPI's CMA single copy does. The JNI side of io.mpi4j.shm.CrossMemoryAttach.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <jni.h>

/*
 * Copies length bytes between local here and remote in process pid, in the direction write says, over as many
 * calls as the kernel takes. Returns the bytes copied (length unless the region ends early), or -errno: EPERM (may
 * not reach that process's memory), ESRCH (no such process), EFAULT (not mapped there), ENOSYS.
 */
static jlong transfer(jlong pid, jlong remote, jlong local, jlong length, int write)
{
    jlong done = 0;
    while (done < length)
    {
        struct iovec here = { (void *)(uintptr_t)(local + done), (size_t)(length - done) };
        struct iovec there = { (void *)(uintptr_t)(remote + done), (size_t)(length - done) };
        ssize_t n = write ? process_vm_writev((pid_t)pid, &here, 1, &there, 1, 0) :
            process_vm_readv((pid_t)pid, &here, 1, &there, 1, 0);
        if (n < 0)
        {
            if (errno == EINTR)
            {
                continue;
            }
            return -(jlong)errno;
        }
        if (n == 0)
        {
            break;
        }
        done += n;
    }
    return done;
}

/* Reads length bytes at remote of process pid into local: transfer's result. */
JNIEXPORT jlong JNICALL Java_io_mpi4j_shm_CrossMemoryAttach_read(JNIEnv *env, jclass type, jlong pid,
    jlong remote, jlong local, jlong length)
{
    (void)env;
    (void)type;
    return transfer(pid, remote, local, length, 0);
}

/* Writes length bytes at local into remote of process pid: transfer's result. */
JNIEXPORT jlong JNICALL Java_io_mpi4j_shm_CrossMemoryAttach_write(JNIEnv *env, jclass type, jlong pid,
    jlong remote, jlong local, jlong length)
{
    (void)env;
    (void)type;
    return transfer(pid, remote, local, length, 1);
}

/*
 * Lets processes of this user read and write this one's memory where Yama restricts ptrace to descendants (ptrace_scope 1, as
 * Ubuntu ships): peers on the node are siblings, not descendants. Open MPI's CMA does the same. Returns 0 or -errno
 * (EINVAL where the kernel has no Yama: nothing to allow).
 */
JNIEXPORT jint JNICALL Java_io_mpi4j_shm_CrossMemoryAttach_allowReaders(JNIEnv *env, jclass type)
{
    (void)env;
    (void)type;
    return prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0) == 0 ? 0 : -errno;
}
