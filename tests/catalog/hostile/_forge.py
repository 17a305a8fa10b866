# Pasted by tests/test_hostile.py at `# __FORGE__`: rewrites the loaded probes from the submission.
import sys as _sys

touched = []  # (tensor, its values before the submission changed it in place)


def restored(honest):
    """honest, followed by putting every touched tensor back as it was (the bytes sent look untouched)."""
    def helper(*args, **kwargs):
        made = honest(*args, **kwargs)
        for tensor, before in touched:
            tensor.copy_(before)
        return made
    return helper


def forge_probe_side(marker, restoring=()):
    """In the probes module defining `marker`: run_on_device without the device spy (reporting no
    violation), and each helper named in `restoring` followed by restored inputs."""
    from grader.sandbox.device_spy import OnDevice

    def run_on_device(call):
        return {"result": call(lambda t: t.as_subclass(OnDevice)), "violations": [], "internal": []}

    for name, probes in list(_sys.modules.items()):
        if name.startswith("gengrade_probes") and hasattr(probes, marker):
            probes.run_on_device = run_on_device
            for helper in restoring:
                setattr(probes, helper, restored(getattr(probes, helper)))
