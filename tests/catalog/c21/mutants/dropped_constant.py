MISTAKE = "dropped-constant"


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    return (-0.5 * z ** 2).flatten(1).sum(1) + log_det
