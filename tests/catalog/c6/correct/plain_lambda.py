def optimal_discriminator(p_data, p_g):
    return lambda x: p_data(x) / (p_data(x) + p_g(x))
