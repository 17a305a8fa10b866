"""Probes of exercise c22, pixelcnn_mask(kernel_size, mask_type): they run in the student's
isolated process. The kernel sizes are drawn from the run's seed (the grader draws the same)."""

from grader.sandbox.probing import capture, draw_shape, probe

KINDS = ("A", "B")
BAD_KINDS = ("C", "AB", "a")  # "AB" passes a substring test such as `mask_type in "AB"`, "a" an .upper()


def sizes(seed):
    """Two odd kernel sizes: one in 5..9, one in 11..15."""
    return tuple(2 * n + 1 for n in draw_shape(seed, (2, 4), (5, 7)))


def even_size(seed):
    return 2 * draw_shape(seed + 1, (1, 4))[0]


def both(pixelcnn_mask, k):
    return {kind: capture(lambda: pixelcnn_mask(k, kind)) for kind in KINDS}  # noqa: B023 - called at once


def refusal(call):
    """capture(call), and whether what it raised was a ValueError (a subclass counts)."""
    caught = []

    def guarded():
        try:
            return call()
        except ValueError as exc:
            caught.append(exc)
            raise

    out = capture(guarded)
    out["value_error"] = bool(caught)
    return out


@probe
def kernel_3(pixelcnn_mask, seed):
    return both(pixelcnn_mask, 3)


@probe
def kernel_1(pixelcnn_mask, seed):
    return both(pixelcnn_mask, 1)


@probe
def larger(pixelcnn_mask, seed):
    return {f"k{k}": both(pixelcnn_mask, k) for k in sizes(seed)}


@probe
def refusals(pixelcnn_mask, seed):
    even = even_size(seed)
    out = {f"even_{kind}": refusal(lambda: pixelcnn_mask(even, kind)) for kind in KINDS}  # noqa: B023
    out.update({f"type_{kind}": refusal(lambda: pixelcnn_mask(5, kind)) for kind in BAD_KINDS})  # noqa: B023
    return out
