"""Nodes of unknown kinds, a list where a record belongs, and a frame with extra keys."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "outputs": [1, 2]}) + frame({"kind": "done", "score": 10}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
