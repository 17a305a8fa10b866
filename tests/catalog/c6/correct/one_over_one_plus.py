def optimal_discriminator(p_data, p_g):
    def D(x):
        # 1 / (1 + q/p): p = 0 gives q/0 = inf and 1/inf = 0; q = 0 gives 1
        return 1.0 / (1.0 + p_g(x) / p_data(x))
    return D
