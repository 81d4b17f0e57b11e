"""`kerasish.random`: Keras's draws value for value when seeded, Keras's seed semantics, and the
distributions' moments."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import random as krandom

DRAWS = [
    ("normal", lambda r, s: r.normal((3, 4), mean=1.0, stddev=2.0, seed=s)),
    ("uniform", lambda r, s: r.uniform((5,), minval=-1.0, maxval=3.0, seed=s)),
    ("uniform_scalar", lambda r, s: r.uniform((), seed=s)),
    ("randint", lambda r, s: r.randint((6,), 0, 10, seed=s)),
    ("truncated_normal", lambda r, s: r.truncated_normal((4, 3), stddev=0.5, seed=s)),
    ("categorical", lambda r, s: r.categorical(np.log(np.array([[0.2, 0.8], [0.5, 0.5]], "float32")),
                                               7, seed=s)),
    ("dropout", lambda r, s: r.dropout(torch.ones(4, 5), 0.5, seed=s)),
    ("dropout_noise_shape", lambda r, s: r.dropout(torch.ones(4, 5), 0.3,
                                                   noise_shape=(1, 5), seed=s)),
    ("shuffle", lambda r, s: r.shuffle(np.arange(12, dtype="float32").reshape(6, 2), seed=s)),
    ("shuffle_axis1", lambda r, s: r.shuffle(np.arange(12, dtype="float32").reshape(3, 4), axis=1,
                                             seed=s)),
    ("gamma", lambda r, s: r.gamma((5,), alpha=2.0, seed=s)),
    ("binomial", lambda r, s: r.binomial((5,), counts=10.0, probabilities=0.3, seed=s)),
    ("beta", lambda r, s: r.beta((5,), alpha=2.0, beta=3.0, seed=s)),
]


def _np(x):
    return x.detach().cpu().numpy()


@pytest.mark.parametrize("name,draw", DRAWS, ids=[d[0] for d in DRAWS])
def test_integer_seed_gives_kerass_values_every_call(keras, name, draw):
    ours = _np(draw(krandom, 42))
    ref = _np(draw(keras.random, 42))
    assert ours.dtype == ref.dtype and ours.shape == ref.shape
    np.testing.assert_allclose(ours, ref, rtol=1e-6)
    np.testing.assert_array_equal(_np(draw(krandom, 42)), ours)  # an int seed repeats


@pytest.mark.parametrize("name,draw", DRAWS, ids=[d[0] for d in DRAWS])
def test_seed_generator_advances_like_kerass(keras, name, draw):
    ours_gen, ref_gen = krandom.SeedGenerator(7), keras.random.SeedGenerator(7)
    ours = [_np(draw(krandom, ours_gen)) for _ in range(3)]
    ref = [_np(draw(keras.random, ref_gen)) for _ in range(3)]
    for o, r in zip(ours, ref):
        np.testing.assert_allclose(o, r, rtol=1e-6)
    if name not in ("uniform_scalar",) and ours[0].size > 2:
        assert not np.array_equal(ours[0], ours[1])


def test_large_seeds_wrap_as_int32_like_keras(keras):
    for seed in (2**31 + 5, 2**32 - 1):
        np.testing.assert_array_equal(_np(krandom.normal((3,), seed=seed)),
                                      _np(keras.random.normal((3,), seed=seed)))


def test_unseeded_draws_follow_set_random_seed(keras):
    kerasish.utils.set_random_seed(123)
    ours = [_np(krandom.normal((4,))) for _ in range(3)]
    keras.utils.set_random_seed(123)
    ref = [_np(keras.random.normal((4,))) for _ in range(3)]
    for o, r in zip(ours, ref):
        np.testing.assert_array_equal(o, r)
    assert not np.array_equal(ours[0], ours[1])
    kerasish.utils.set_random_seed(123)
    np.testing.assert_array_equal(_np(krandom.normal((4,))), ours[0])
    assert kerasish.utils.get_random_seed() == 123


def test_seed_generator_config_round_trip():
    gen = krandom.SeedGenerator(3, name="g")
    assert gen.get_config() == {"seed": 3, "name": "g"}
    again = krandom.SeedGenerator.from_config(gen.get_config())
    np.testing.assert_array_equal(_np(krandom.uniform((3,), seed=gen)),
                                  _np(krandom.uniform((3,), seed=again)))


def test_moments():
    gen = krandom.SeedGenerator(0)
    n = (200_000,)
    x = _np(krandom.normal(n, mean=2.0, stddev=3.0, seed=gen))
    assert abs(x.mean() - 2.0) < 5 * 3.0 / np.sqrt(n[0]) and abs(x.std() - 3.0) < 0.05
    u = _np(krandom.uniform(n, minval=-2.0, maxval=4.0, seed=gen))
    assert u.min() >= -2.0 and u.max() < 4.0 and abs(u.mean() - 1.0) < 0.03
    t = _np(krandom.truncated_normal(n, mean=1.0, stddev=0.5, seed=gen))
    assert t.min() > 0.0 and t.max() < 2.0 and abs(t.mean() - 1.0) < 0.01
    g = _np(krandom.gamma(n, alpha=3.0, seed=gen))
    assert abs(g.mean() - 3.0) < 0.03 and abs(g.var() - 3.0) < 0.1
    b = _np(krandom.beta(n, alpha=2.0, beta=3.0, seed=gen))
    assert abs(b.mean() - 0.4) < 0.005
    k = _np(krandom.binomial(n, counts=10.0, probabilities=0.3, seed=gen))
    assert abs(k.mean() - 3.0) < 0.03 and set(np.unique(k)) <= set(range(11))
    r = _np(krandom.randint(n, 3, 8, seed=gen))
    assert r.dtype == np.int32 and r.min() == 3 and r.max() == 7
    c = _np(krandom.categorical(np.log(np.array([[0.1, 0.6, 0.3]], "float32")), 100_000, seed=gen))
    np.testing.assert_allclose(np.bincount(c[0], minlength=3) / 100_000, [0.1, 0.6, 0.3], atol=0.01)
    d = _np(krandom.dropout(np.ones(n, "float32"), 0.25, seed=gen))
    assert abs((d == 0).mean() - 0.25) < 0.01 and np.allclose(d[d != 0], 1 / 0.75)


def test_shuffle_is_a_permutation_of_rows():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = _np(krandom.shuffle(x, seed=5))
    assert sorted(map(tuple, y)) == sorted(map(tuple, x)) and not np.array_equal(x, y)


@pytest.mark.parametrize("bad", ["seed", 1.5, [1]])
def test_bad_seed_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="seed"):
        krandom.normal((2,), seed=bad)


def test_uniform_refuses_integer_dtype():
    with pytest.raises(ValueError, match="dtype"):
        krandom.uniform((2,), dtype="int32")


def test_global_generator_is_per_thread():
    import threading

    kerasish.utils.set_random_seed(1)
    main_gen = krandom.seed_generator.global_seed_generator()
    seen = []
    t = threading.Thread(target=lambda: seen.append(krandom.seed_generator.global_seed_generator()))
    t.start()
    t.join()
    assert seen[0] is not main_gen
