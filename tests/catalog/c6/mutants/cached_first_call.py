MISTAKE = "evaluated-once"


def optimal_discriminator(p_data, p_g):
    cache = {}

    def D(x):
        if "d" not in cache:  # densities are expensive: evaluate them once
            p, q = p_data(x), p_g(x)
            cache["d"] = p / (p + q)
        return cache["d"]
    return D
