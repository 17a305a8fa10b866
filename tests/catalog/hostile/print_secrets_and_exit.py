"""Prints everything it can find that is hidden (the reference, the suite, a classmate's file,
the environment), then exits before any probe, hoping the report shows it all."""
import os

for path in ("__COURSE__/solutions/c5/kl_loss.py", "__COURSE__/solutions/c5/test_c5.py",
             "__COURSE__/solutions/c5/misconceptions.toml", "__CANARY__/precious.txt",
             "__CANARY__/classmate/add_noise.py", "/etc/shadow", "/proc/1/environ"):
    try:
        print(open(path, errors="replace").read())
    except OSError as exc:
        print(exc)
print(dict(os.environ))
os._exit(0)
