"""A tensor node that claims 2**40 values but sends 8 bytes, and one with a wrong byte count."""
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


def frame(header, tail=b""):
    data = json.dumps(header).encode() if not isinstance(header, bytes) else header
    return struct.pack(">I", len(data)) + data + tail


def send(blob):
    for fd in pipes():
        try:
            os.write(fd, blob)
        except OSError:
            pass


send(frame({"kind": "probe", "name": "flat", "outputs": {"__dict__": [["x", {"__tensor__": True, "dtype": "float64", "shape": [2 ** 40], "device": "cpu", "requires_grad": False, "buffer": 8}], ["y", {"__tensor__": True, "dtype": "float32", "shape": [4], "device": "cpu", "requires_grad": False, "buffer": 12}]]}}, b"\0" * 20))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
