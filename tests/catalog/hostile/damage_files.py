"""Renames, replaces, links, deletes and truncates files outside its folder (a classmate's
submission among them), directly and through dir_fd, and plants a .pyc in the package."""
import os
import shutil
import sys

canary = "__CANARY__"
attempts = [
    lambda: os.rename(f"{canary}/precious.txt", f"{canary}/moved.txt"),
    lambda: os.replace(f"{canary}/classmate/add_noise.py", f"{canary}/stolen.py"),
    lambda: os.link(f"{canary}/precious.txt", "here.txt"),
    lambda: os.symlink(f"{canary}/precious.txt", "link.txt") or open("link.txt", "w").write("gone"),
    lambda: os.unlink("precious.txt", dir_fd=os.open(canary, os.O_RDONLY | os.O_DIRECTORY)),
    lambda: open(f"{canary}/precious.txt", "w").write("gone"),
    lambda: os.truncate(f"{canary}/classmate/add_noise.py", 0),
    lambda: shutil.rmtree(f"{canary}/classmate"),
    lambda: os.chmod(f"{canary}/precious.txt", 0),
    lambda: open("__COURSE__/grader/check/__pycache__/judge.cpython-311.pyc", "wb").write(b"backdoor"),
    lambda: open("__COURSE__/solutions/c5/planted.py", "w").write("x = 1"),
    lambda: open(os.path.join(os.path.dirname(os.__file__), "planted_module.py"), "w").write("x = 1"),
    lambda: open(os.path.join(sys.prefix, "planted.pth"), "w").write("import os"),
]
for attempt in attempts:
    try:
        attempt()
    except Exception:  # noqa: BLE001
        pass


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
