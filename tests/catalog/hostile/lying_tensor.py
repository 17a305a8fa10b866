"""A tensor node that claims 2**40 values but sends 8 bytes, and one with a wrong byte count."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "outputs": {"__dict__": [["x", {"__tensor__": True, "dtype": "float64", "shape": [2 ** 40], "device": "cpu", "requires_grad": False, "buffer": 8}], ["y", {"__tensor__": True, "dtype": "float32", "shape": [4], "device": "cpu", "requires_grad": False, "buffer": 12}]]}}, b"\0" * 20))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
