"""A tensor node whose buffer length is negative (once made the decoder loop forever)."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "outputs": {"__dict__": [["x", {"__tensor__": True, "dtype": "float64", "shape": [3], "device": "cpu", "requires_grad": False, "buffer": -24}]]}}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
