/*
 * mpi4j's single-copy read on one node: copies a region of another process's memory into this one's with
 * process_vm_readv(2) (Linux cross memory attach), one copy made by the kernel, as Open MPI's CMA single copy does.
 * The JNI side of io.mpi4j.shm.CrossMemoryAttach.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <jni.h>

/*
 * Reads length bytes at remote of process pid into local. Returns the bytes read (length unless the region ends
 * early), or -errno: EPERM (may not read it), ESRCH (no such process), EFAULT (not mapped there), ENOSYS.
 */
JNIEXPORT jlong JNICALL Java_io_mpi4j_shm_CrossMemoryAttach_read(JNIEnv *env, jclass type, jlong pid,
    jlong remote, jlong local, jlong length)
{
    (void)env;
    (void)type;
    jlong done = 0;
    while (done < length)
    {
        struct iovec into = { (void *)(uintptr_t)(local + done), (size_t)(length - done) };
        struct iovec from = { (void *)(uintptr_t)(remote + done), (size_t)(length - done) };
        ssize_t n = process_vm_readv((pid_t)pid, &into, 1, &from, 1, 0);
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

/*
 * Lets processes of this user read this one's memory where Yama restricts ptrace to descendants (ptrace_scope 1, as
 * Ubuntu ships): peers on the node are siblings, not descendants. Open MPI's CMA does the same. Returns 0 or -errno
 * (EINVAL where the kernel has no Yama: nothing to allow).
 */
JNIEXPORT jint JNICALL Java_io_mpi4j_shm_CrossMemoryAttach_allowReaders(JNIEnv *env, jclass type)
{
    (void)env;
    (void)type;
    return prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0) == 0 ? 0 : -errno;
}
