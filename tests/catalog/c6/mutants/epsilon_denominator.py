MISTAKE = "epsilon-in-denominator"


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        return p / (p + q + 1e-8)  # "avoid division by zero"
    return D
