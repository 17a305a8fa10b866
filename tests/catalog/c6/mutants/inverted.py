MISTAKE = "inverted"


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        return q / (p + q)
    return D
