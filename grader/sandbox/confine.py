"""Confine the student's process before its module is imported: resource limits, no
privileges, a seccomp filter, and (where the grader asks for it) a Landlock ruleset.

These are the kernel's own mechanisms, through maintained bindings (libseccomp via
pyseccomp, Landlock via landlockpy); nothing here is a check written in Python that code
in the same process could switch off. Once applied they hold for the life of the process
and every thread it starts.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from dataclasses import dataclass, field
from typing import Any

DEFAULT_MEMORY_MB = 4096  # address-space limit of a submission's process
FILE_SIZE_LIMIT = 16 << 20  # bytes in any one file it writes
OPEN_FILES_LIMIT = 256

# Syscalls the probes never need, refused with EPERM: debugging other processes, mounting and
# namespaces, kernel keyrings and modules, BPF and perf, clocks, io_uring (it bypasses seccomp),
# handles that reopen files by inode, raising limits, running programs, and memory that no
# limit counts (memfd pages and System V or POSIX shared memory and queues live outside the
# address space, and without an IPC namespace they outlive the run).
DENIED = ("ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_getfd",
          "pidfd_send_signal", "tkill", "mount", "umount2", "pivot_root", "chroot", "unshare", "setns",
          "move_mount", "open_tree", "fsopen", "fsmount", "fsconfig", "fspick", "mount_setattr",
          "keyctl", "add_key", "request_key", "bpf", "perf_event_open", "userfaultfd", "kexec_load",
          "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot", "swapon",
          "swapoff", "syslog", "acct", "quotactl", "settimeofday", "clock_settime", "clock_adjtime",
          "adjtimex", "ioperm", "iopl", "open_by_handle_at", "name_to_handle_at", "io_uring_setup",
          "io_uring_enter", "io_uring_register", "setrlimit", "execve", "execveat", "fork", "vfork",
          "personality", "vhangup", "mknod", "mknodat", "setuid", "setgid", "setreuid", "setregid",
          "setresuid", "setresgid", "setgroups", "capset", "memfd_create", "memfd_secret", "shmget", "shmat",
          "msgget", "semget", "mq_open")
NOT_THERE = ("clone3", "openat2")  # their flags live in memory, out of seccomp's sight: C libraries fall back
CLONE_THREAD = 0x00010000
AF_UNIX = 1
O_TMPFILE = 0o20000000  # __O_TMPFILE: an unnamed file, which Landlock does not see being made
F_SETOWN, F_SETOWN_EX, F_SETPIPE_SZ = 8, 15, 1031
SOL_SOCKET = 1
BUFFER_SIZES = (7, 8, 32, 33)  # SO_SNDBUF, SO_RCVBUF and their FORCE forms: kernel memory beyond any limit


@dataclass(frozen=True)
class Policy:
    """What the confined process may still do. `landlock_reads` is None when the file system is
    already confined from outside (bubblewrap's mount namespace). Under Landlock a folder on an
    ordinary file system is bounded in total only if nothing can be added to it: the files already
    there may be rewritten (16 MiB each) or deleted."""

    workdir: str
    memory_mb: int = DEFAULT_MEMORY_MB
    cpu_s: int = 65
    seccomp: bool = True
    landlock_reads: tuple[str, ...] | None = None
    new_files: bool = False  # may it add files to its folder? Only where that folder is a sized tmpfs
    applied: list[str] = field(default_factory=list)


def confine(policy: Policy) -> list[str]:
    """Apply every layer the policy asks for; the names of those applied, in order."""
    limit_resources(policy)
    if os.geteuid() == 0 and policy.landlock_reads is not None:
        drop_capabilities()  # root outside any user namespace: keep uid 0 but no privileges
        policy.applied.append("capabilities dropped")
    if policy.landlock_reads is not None:
        apply_landlock(policy.landlock_reads, policy.workdir, new_files=policy.new_files)
        policy.applied.append("landlock")
    if policy.seccomp:  # Landlock cannot fence pathname sockets on older kernels: then no sockets at all
        apply_seccomp(unix_sockets=policy.landlock_reads is None)
        policy.applied.append("seccomp")
    return policy.applied


def limit_resources(policy: Policy) -> None:
    """Address space, CPU seconds, file size, open files, no core dumps."""
    import resource

    limits = {resource.RLIMIT_AS: policy.memory_mb << 20, resource.RLIMIT_CPU: policy.cpu_s,
              resource.RLIMIT_FSIZE: FILE_SIZE_LIMIT, resource.RLIMIT_CORE: 0,
              resource.RLIMIT_NOFILE: OPEN_FILES_LIMIT}
    for kind, value in limits.items():
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):  # a platform without that limit (macOS has no RLIMIT_AS)
            if sys.platform.startswith("linux"):
                raise


def apply_seccomp(*, unix_sockets: bool) -> None:
    """Load `seccomp_filter` into this process, for every thread (TSYNC)."""
    seccomp_filter(unix_sockets=unix_sockets).load()


def seccomp_filter(*, unix_sockets: bool) -> Any:
    """Allow by default; refuse the syscalls above, new processes (threads stay possible),
    signals to any other process, raising limits, unnamed files, bigger pipe and socket buffers,
    SIGIO aimed elsewhere, and sockets other than AF_UNIX (or any socket, when `unix_sockets`
    is False)."""
    import pyseccomp as sc

    refuse = sc.ERRNO(errno.EPERM)
    f = sc.SyscallFilter(sc.ALLOW)
    f.set_attr(sc.Attr.CTL_TSYNC, 1)
    for name in DENIED:
        f.add_rule(refuse, name)
    for name in NOT_THERE:
        f.add_rule(sc.ERRNO(errno.ENOSYS), name)
    f.add_rule(refuse, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))  # a process, not a thread
    me = os.getpid()
    for name in ("kill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo"):
        f.add_rule(refuse, name, sc.Arg(0, sc.NE, me))
    f.add_rule(refuse, "prlimit64", sc.Arg(2, sc.NE, 0))  # reading a limit is fine, setting one is not
    f.add_rule(refuse, "open", sc.Arg(1, sc.MASKED_EQ, O_TMPFILE, O_TMPFILE))
    f.add_rule(refuse, "openat", sc.Arg(2, sc.MASKED_EQ, O_TMPFILE, O_TMPFILE))
    f.add_rule(refuse, "fcntl", sc.Arg(1, sc.EQ, F_SETPIPE_SZ))
    f.add_rule(refuse, "fcntl", sc.Arg(1, sc.EQ, F_SETOWN_EX))
    f.add_rule(refuse, "fcntl", sc.Arg(1, sc.EQ, F_SETOWN), sc.Arg(2, sc.NE, me))
    for option in BUFFER_SIZES:
        f.add_rule(refuse, "setsockopt", sc.Arg(1, sc.EQ, SOL_SOCKET), sc.Arg(2, sc.EQ, option))
    if unix_sockets:
        for name in ("socket", "socketpair"):
            f.add_rule(refuse, name, sc.Arg(0, sc.NE, AF_UNIX))
    else:
        f.add_rule(refuse, "socket")
        f.add_rule(refuse, "socketpair", sc.Arg(0, sc.NE, AF_UNIX))
    return f


def apply_landlock(reads: tuple[str, ...], workdir: str, *, new_files: bool) -> None:
    """Read-only access to `reads`, full access to `workdir` (less adding anything to it, unless
    `new_files`), nothing else on the file system; no TCP; no signals or abstract sockets beyond
    this process (where the kernel supports it)."""
    from landlockpy import AccessFS, Ruleset, Scope

    read = AccessFS.READ_FILE | AccessFS.READ_DIR | AccessFS.EXECUTE
    make = (AccessFS.MAKE_REG | AccessFS.MAKE_DIR | AccessFS.MAKE_SYM | AccessFS.MAKE_FIFO | AccessFS.MAKE_SOCK
            | AccessFS.MAKE_CHAR | AccessFS.MAKE_BLOCK)
    with Ruleset(scoped=Scope.SIGNAL | Scope.ABSTRACT_UNIX_SOCKET) as ruleset:  # every right the kernel knows
        for path in reads:
            if os.path.isdir(path):
                ruleset.allow_path(path, read)
            elif os.path.exists(path):  # a file: directory rights would be refused (EINVAL)
                ruleset.allow_path(path, AccessFS.READ_FILE | AccessFS.EXECUTE)
        ruleset.allow_path(workdir, ruleset.handled_fs if new_files else ruleset.handled_fs & ~make)
        for device in ("/dev/null", "/dev/zero", "/dev/urandom"):
            if os.path.exists(device):
                ruleset.allow_path(device, AccessFS.READ_FILE | AccessFS.WRITE_FILE)
        ruleset.restrict()


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Empty the bounding, effective, permitted and inheritable capability sets."""
    libc = ctypes.CDLL(None, use_errno=True)
    with open("/proc/sys/kernel/cap_last_cap") as stream:
        last = int(stream.read())
    for cap in range(last + 1):
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP
    libc.prctl(47, 4, 0, 0, 0)  # PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL
    header, data = _CapHeader(0x20080522, 0), (_CapData * 2)()  # _LINUX_CAPABILITY_VERSION_3
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")
