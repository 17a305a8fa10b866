"""Which isolation layers hold, seen from inside: a c5 submission that tries each syscall, path,
size and memory route below once and prints the outcome as one line, `LAYERS {json}`, which
tests/test_layers.py asserts exactly per isolation kind (so each layer is pinned on its own).

A syscall is True when the kernel let it through: its arguments are chosen so that an allowed
call fails harmlessly (execve of a path that does not exist, ptrace of a pid that does not
exist: ENOENT, ESRCH), while a refusal is EPERM (EACCES from Landlock, ENOSYS for clone3 and
openat2). Sizes are the MiB each route could fill, all held at once until the report is
printed, each route tried up to its cap: above any bound the isolation promises, so a missing
bound shows. Placeholders: __SECRETS__ (paths no run may read), __CANARY__, __MEMORY_MB__, and
__FULL__ (False: the syscalls and reads only, harmless to run unconfined).
"""
import ctypes
import errno
import fcntl
import importlib
import json
import os
import resource
import socket

import pyseccomp

FULL = __FULL__
MEMORY_MB = __MEMORY_MB__
SECRETS = __SECRETS__  # the hidden suite and the reference, at every path they can be reached by
MIB = 1 << 20
NO_PID = 0x3FFFFFF0  # above any pid_max
REFUSED = (errno.EPERM, errno.EACCES, errno.ENOSYS, errno.EROFS)
libc = ctypes.CDLL(None, use_errno=True)
held = []  # every fd, mapping and buffer that holds memory stays here until the report is out
segments = []  # System V segments, removed after the report (without an IPC namespace they outlive us)


def raw(name, *args):
    number = pyseccomp.resolve_syscall(pyseccomp.system_arch(), name)
    result = libc.syscall(ctypes.c_long(number), *[ctypes.c_long(a) if isinstance(a, int) else a for a in args])
    if result == -1:
        raise OSError(ctypes.get_errno(), name)
    return result


def allowed(attempt):
    try:
        attempt()
    except OSError as exc:
        return exc.errno not in REFUSED
    return True


def fork():
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)


def vm_read():
    buffer = ctypes.create_string_buffer(8)
    iov = (ctypes.c_void_p * 2)(ctypes.addressof(buffer), 8)
    raw("process_vm_readv", NO_PID, iov, 1, iov, 1, 0)


def shm_segment(size):
    segment = raw("shmget", 0, size, 0o1600)  # IPC_PRIVATE, IPC_CREAT | 0600
    segments.append(segment)
    return segment


def mq():
    raw("mq_open", b"gengrade-layers", os.O_CREAT | os.O_RDWR, 0o600, None)
    raw("mq_unlink", b"gengrade-layers")


def mkfifo():
    os.mkfifo("layers-fifo")
    os.unlink("layers-fifo")


def set_core_limit(soft, hard):
    """setrlimit through prlimit64, as the C library does (Python's own raises ValueError for EPERM)."""
    limits = (ctypes.c_ulong * 2)(soft, hard)
    raw("prlimit64", 0, resource.RLIMIT_CORE, limits, None)


def closed(value):
    value.close()


SYSCALLS = {
    "fork": fork,
    "clone3": lambda: raw("clone3", None, 0),
    "execve": lambda: os.execv("/nonexistent-gengrade", ["x"]),
    "kill": lambda: os.kill(os.getppid(), 0),
    "ptrace": lambda: raw("ptrace", 16, NO_PID, 0, 0),  # PTRACE_ATTACH
    "vm_read": vm_read,
    "inet": lambda: closed(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)),
    "inet6": lambda: closed(socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)),
    "unix": lambda: closed(socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)),
    "pair": lambda: [closed(s) for s in socket.socketpair()],
    "mount": lambda: raw("mount", b"none", b"/nonexistent-gengrade", b"tmpfs", 0, None),
    "unshare": lambda: raw("unshare", 0),
    "setns": lambda: raw("setns", -1, 0),
    "memfd": lambda: os.close(os.memfd_create("layers")),
    "setrlimit": lambda: set_core_limit(*resource.getrlimit(resource.RLIMIT_CORE)),  # the same values again
    "io_uring": lambda: raw("io_uring_setup", 1, None),
    "bpf": lambda: raw("bpf", 0xFFFF, None, 0),
    "perf": lambda: raw("perf_event_open", None, 0, -1, -1, 0),
    "keyctl": lambda: raw("keyctl", 0, -100, 0),
    "userfaultfd": lambda: raw("userfaultfd", 0xFFFF),
    "tmpfile": lambda: os.close(os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600)),
    "openat2": lambda: raw("openat2", -100, b".", None, 0),
    "pipe_size": lambda: fcntl.fcntl(os.pipe()[1], 1031, MIB),  # F_SETPIPE_SZ
    "sndbuf": lambda: socket.socketpair()[0].setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, MIB),
    "setown": lambda: fcntl.fcntl(os.pipe()[0], fcntl.F_SETOWN, os.getppid()),
    "sysv": lambda: raw("shmctl", shm_segment(MIB), 0, None),  # IPC_RMID at once
    "mq": mq,
    "mkfifo": mkfifo,
    "setuid": lambda: os.setuid(os.getuid()),
    "personality": lambda: raw("personality", 0xFFFFFFFF),
}


def readable(path):
    try:
        with open(path, "rb") as stream:
            return stream.read(64)
    except OSError:
        return None


def writable(path):
    try:
        with open(path, "w") as stream:
            stream.write("x")
        os.unlink(path)
        return True
    except OSError:
        return False


def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError:
        return None


def importable(name):
    try:
        importlib.import_module(name)
        return True
    except Exception:  # noqa: BLE001
        return False


def interfaces():
    try:
        with open("/proc/net/dev") as stream:
            return sorted(line.split(":")[0].strip() for line in stream.read().splitlines()[2:])
    except OSError:
        return None


def paths():
    import grader

    found = {
        "passwd": readable("/etc/passwd") is not None,
        "secrets": [path for path in SECRETS if readable(path) is not None],
        "canary": readable("__CANARY__/precious.txt") is not None,
        "grader": listing(os.path.dirname(grader.__file__)),
        "grader_check": importable("grader.check.wire"),
        "grader_grade": importable("grader.grade.lane"),
        "solutions": importable("solutions.c5.probes"),
        "init": (readable("/proc/1/comm") or b"").decode().strip() or None,
        "interfaces": interfaces(),
        "nobody": os.getuid() == 65534,
        "hostname": os.uname().nodename == "sandbox",
    }
    if FULL:
        for name, path in (("w_canary", "__CANARY__/layers.txt"), ("w_tmp", "/tmp/layers.txt"), ("w_root", "/layers.txt"),
                           ("w_dev", "/dev/layers.txt"), ("w_shm", "/dev/shm/layers.txt"), ("w_folder", "layers.txt")):
            found[name] = writable(path)
    return found


# --- sizes: MiB held at once --------------------------------------------------------------------

def fill(fd, limit_mib):
    """Write 1 MiB at a time into fd until refused or limit_mib; the MiB written."""
    written = 0
    chunk = b"\1" * MIB
    while written < limit_mib:
        try:
            if os.write(fd, chunk) < MIB:
                break
        except OSError:
            break
        written += 1
    return written


def files(open_one, cap_mib):
    """New files (16 MiB each at most, the file size limit) until refused or cap_mib; MiB held."""
    total = 0
    while total < cap_mib:
        try:
            fd = open_one(len(held))
        except OSError:
            break
        held.append(fd)
        got = fill(fd, min(16, cap_mib - total))
        total += got
        if got == 0:
            break
    return total


def in_folder(folder):
    return lambda i: os.open(os.path.join(folder, f"layers{i}.bin"), os.O_CREAT | os.O_WRONLY, 0o600)


def own_file():
    """Grow the submission's own file (always writable) past the file size limit."""
    fd = os.open(__file__, os.O_WRONLY | os.O_APPEND)
    held.append(fd)
    return fill(fd, 17)


def sysv(cap_mib):
    total = 0
    while total < cap_mib:
        try:
            segment = shm_segment(16 * MIB)
            address = raw("shmat", segment, None, 0)
            ctypes.memset(address, 1, 16 * MIB)
            raw("shmdt", address)
        except OSError:
            break
        total += 16
    return total


def drain(send):
    """Send 64 KiB at a time until the kernel's buffer is full; the bytes it took."""
    total = 0
    try:
        while True:
            total += send(b"\1" * 65536)
    except OSError:
        return total


def pipes(count):
    total = 0
    for _ in range(count):
        try:
            reader, writer = os.pipe()
            held.extend([reader, writer])
        except OSError:
            break
        allowed(lambda: fcntl.fcntl(writer, 1031, MIB))  # F_SETPIPE_SZ: 16 times the default
        os.set_blocking(writer, False)
        total += drain(lambda data: os.write(writer, data))
    return total


def sockets(count):
    total = 0
    for _ in range(count):
        try:
            pair = socket.socketpair()
            held.extend(pair)
        except OSError:
            break
        for end in pair:
            allowed(lambda: end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 30))
            end.setblocking(False)
            total += drain(end.send)
    return total


def heap(cap_mib):
    total = 0
    while total < cap_mib:
        try:
            held.append(bytearray(16 * MIB))
        except MemoryError:
            break
        total += 16
    return total


def sizes():
    found = {"own_file": own_file()}
    found["fsize17"] = found["own_file"] >= 17
    found["folder"] = files(in_folder("."), 200)
    for name, folder in (("tmp", "/tmp"), ("root", "/"), ("dev", "/dev"), ("shm", "/dev/shm")):
        found[name] = files(in_folder(folder), 100)
    found["memfd"] = files(lambda i: os.memfd_create(f"layers{i}"), 64)
    found["tmpfile"] = files(lambda i: os.open(".", os.O_TMPFILE | os.O_RDWR, 0o600), 64)
    found["sysv"] = sysv(64)
    found["pipes"] = round(pipes(32) / MIB, 2)
    found["sockets"] = round(sockets((resource.getrlimit(resource.RLIMIT_NOFILE)[0] - len(held)) // 2 - 8) / MIB, 2)
    found["heap"] = heap(MEMORY_MB + 256)
    return found


report = {"syscalls": {name: allowed(attempt) for name, attempt in SYSCALLS.items()}, "paths": paths()}
if FULL:
    report["sizes"] = sizes()
report["syscalls"]["rlimit_raise"] = allowed(lambda: set_core_limit(MIB, MIB))
print("LAYERS " + json.dumps(report, separators=(",", ":")), flush=True)
for segment in segments:
    try:
        raw("shmctl", segment, 0, None)
    except OSError:
        pass
held.clear()


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
