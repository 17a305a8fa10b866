MISTAKE = "ratio-overflow"


def optimal_discriminator(p_data, p_g):
    def D(x):
        r = p_data(x) / p_g(x)  # the density ratio ...
        return r / (1 + r)      # ... mapped to [0, 1]
    return D
