"""Reports a probe twice: once forged, once for real."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "device", "outputs": {"__dict__": []}}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
