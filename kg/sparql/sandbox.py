"""Confine the calling process before it reads untrusted input: no network, no files, bounded memory and CPU.

A SPARQL worker evaluates whatever query a stranger sends. pyoxigraph has no switch to turn off
``SERVICE`` (it would call any HTTP address), so the guarantee that a query cannot reach the
network or the file system is given by the operating system, not by reading the query:

* a seccomp filter (libseccomp, through pyseccomp) makes every syscall that creates a socket,
  connects, opens or changes a file, or starts a program fail with ``EACCES``. It is installed
  after the worker has loaded everything it needs and before it reads the first query, and it
  cannot be removed (``no_new_privs``). io_uring is denied too: it can open sockets and files
  without those syscalls.
* ``RLIMIT_AS`` caps the address space (the dataset at rest plus a per-query allowance), so a
  query that builds a huge intermediate result fails its allocation instead of taking the host.
* ``RLIMIT_CPU`` is re-armed before each query (:func:`limit_cpu_seconds`): if the server that
  times queries out were ever gone, the kernel still stops a runaway one.
* no core files, no file writes (``RLIMIT_CORE`` and ``RLIMIT_FSIZE`` are 0).

Example (in a child process: the filter is irreversible)::

    >>> deny_outside_access()  # doctest: +SKIP
    >>> socket.socket()  # doctest: +SKIP
    PermissionError: [Errno 13] Permission denied
"""

import errno
import os
import resource

from kg.errors import SandboxError

# Every way a process reaches out: sockets, files by path, other programs, other processes' memory.
DENIED_SYSCALLS = (
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "open", "openat", "openat2", "creat", "open_by_handle_at", "name_to_handle_at",
    "truncate", "unlink", "unlinkat", "rename", "renameat", "renameat2", "mkdir", "mkdirat", "rmdir",
    "link", "linkat", "symlink", "symlinkat", "mknod", "mknodat", "chmod", "fchmodat", "chown", "lchown",
    "fchownat", "mount", "umount2", "chroot", "pivot_root",
    "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
)


def deny_outside_access() -> None:
    """Make network, file and exec syscalls fail with EACCES in this process, for good.

    Threads started afterwards inherit the filter. Raises :class:`SandboxError` when it cannot be
    installed (no libseccomp, not Linux): a worker that cannot be confined must not run queries.
    """
    _set_limit(resource.RLIMIT_CORE, 0)
    _set_limit(resource.RLIMIT_FSIZE, 0)
    _install_seccomp_filter()


def cap_address_space(limit_bytes: int) -> None:
    """Allocations that would take the address space past ``limit_bytes`` fail from now on."""
    _set_limit(resource.RLIMIT_AS, limit_bytes)


def limit_cpu_seconds(seconds: float) -> None:
    """Let the process use at most ``seconds`` more CPU time (SIGXCPU ends it after that)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(used + seconds) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def address_space_bytes(statm_fd: int) -> int:
    """The process's current address space, read through an fd of ``/proc/self/statm`` opened
    before :func:`deny_outside_access` (afterwards no file can be opened)."""
    pages = int(os.pread(statm_fd, 128, 0).split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _set_limit(limit: int, value: int) -> None:
    _, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    try:
        resource.setrlimit(limit, (value, hard))
    except (ValueError, OSError) as exc:
        raise SandboxError(f"cannot set resource limit {limit} to {value}: {exc}") from exc


def _install_seccomp_filter() -> None:
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # pyseccomp loads libseccomp.so.2 when imported
        raise SandboxError(f"seccomp is not available here ({exc}); install libseccomp2") from exc
    denied = seccomp.ERRNO(errno.EACCES)
    try:
        syscall_filter = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        native = seccomp.system_arch()
        for name in DENIED_SYSCALLS:
            if seccomp.resolve_syscall(native, name) < 0:
                continue  # not a syscall of this architecture (e.g. open on arm64)
            syscall_filter.add_rule(denied, name)
        syscall_filter.load()
    except (OSError, ValueError, RuntimeError) as exc:
        raise SandboxError(f"the seccomp filter could not be installed: {exc}") from exc
