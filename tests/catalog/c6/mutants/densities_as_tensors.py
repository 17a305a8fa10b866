MISTAKE = "not-a-function"


def optimal_discriminator(p_data, p_g):
    return p_data / (p_data + p_g)
