"""Writes a "done" frame and a forged probe result before any probe runs."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "outputs": {"__dict__": [["verdict", "pass"], ["score", 10]]}}) + frame({"kind": "done"}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
