MISTAKE = "one-minus-ratio"


def optimal_discriminator(p_data, p_g):
    def D(x):
        return 1 - p_g(x) / p_data(x)
    return D
