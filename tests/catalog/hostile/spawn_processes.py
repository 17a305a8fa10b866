"""Starts processes every way Python can: subprocess, os.system, fork, fork_exec, multiprocessing,
libc's system through ctypes, and a daemon in its own session meant to outlive the check."""
import ctypes
import os
import subprocess

attempts = [
    lambda: subprocess.Popen(["sleep", "30"]),
    lambda: os.system("sleep 30 &"),
    lambda: ctypes.CDLL(None).system(b"(sleep 3; echo gone > __CANARY__/precious.txt) &"),
    lambda: os.posix_spawn("/bin/sleep", ["sleep", "30"], {}),
    lambda: __import__("multiprocessing").Process(target=__import__("time").sleep, args=(30,)).start(),
    lambda: __import__("_posixsubprocess").fork_exec(
        ["/bin/sleep", "30"], [b"/bin/sleep"], True, (), None, None, -1, -1, -1, -1, -1, -1, -1, -1,
        False, False, -1, None, None, None, -1, None, False),
]
for attempt in attempts:
    try:
        attempt()
    except Exception:  # noqa: BLE001
        pass
try:
    if os.fork() == 0:
        os.setsid()
        __import__("time").sleep(3)
        open("__CANARY__/precious.txt", "w").write("gone")
        os._exit(0)
except OSError:
    pass


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
