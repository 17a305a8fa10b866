# Shared by the frame attacks: write raw bytes to every pipe this process holds but stdout and
# stderr (one of them is the result channel). Records are wrapped as the sandbox wraps them
# ({"__dict__": [[key, value], ...]}), so the grader refuses a frame for the fault it was built
# to carry, not for a bare record; a key starting with "__" marks a raw node, sent as it is.
import json
import os
import stat
import struct


def pipes():
    out = []
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                out.append(fd)
        except OSError:
            pass
    return out


def node(value):
    if isinstance(value, dict) and not any(str(k).startswith("__") for k in value):
        return {"__dict__": [[k, node(v)] for k, v in value.items()]}
    return value


def frame(header, tail=b""):
    data = json.dumps(node(header)).encode() if not isinstance(header, bytes) else header
    return struct.pack(">I", len(data)) + data + tail


def send(blob):
    for fd in pipes():
        try:
            os.write(fd, blob)
        except OSError:
            pass
