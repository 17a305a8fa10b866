MISTAKE = "evaluated-once"

_results = {}


def optimal_discriminator(p_data, p_g):
    def D(x):
        key = (tuple(x.shape), x.dtype)
        if key not in _results:
            p, q = p_data(x), p_g(x)
            _results[key] = p / (p + q)
        return _results[key]
    return D
