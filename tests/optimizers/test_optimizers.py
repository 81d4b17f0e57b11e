"""Optimizer behaviour: bad input, registry and config round trips, learning-rate access, the
trainer contract (`_rebuild_for`, `step`), and `fit()` integration (callbacks, EMA, loss scaling,
`torch.optim`)."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import backend as K
from kerasish import optimizers
from tests.conftest import assert_close

ALL_CLASSES = [optimizers.SGD, optimizers.RMSprop, optimizers.Adam, optimizers.AdamW,
               optimizers.Adagrad, optimizers.Adadelta, optimizers.Adamax, optimizers.Nadam,
               optimizers.Ftrl, optimizers.Lion]


# ---------------------------------------------------------------- bad input
def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"adam.*Received: identifier='adma'") as info:
        optimizers.get("adma")
    assert "Did you mean" in str(info.value)


@pytest.mark.parametrize("kwargs, error, pattern", [
    ({"decay": -0.1}, ValueError, "decay=-0.1"),
    ({"clipnorm": 1.0, "clipvalue": 0.5}, ValueError, "clipnorm=1.0, clipvalue=0.5"),
    ({"clipnorm": "1"}, TypeError, "clipnorm='1'"),
    ({"gradient_accumulation_steps": 1}, ValueError, "gradient_accumulation_steps=1"),
    ({"use_ema": True, "ema_momentum": 1.5}, ValueError, "ema_momentum=1.5"),
    ({"learning_rate": "fast"}, ValueError, "learning_rate='fast'"),
    ({"momentum": -1.0}, ValueError, "momentum=-1.0"),
    ({"bogus": 1}, TypeError, "bogus=1"),
])
def test_bad_arguments_raise(kwargs, error, pattern):
    with pytest.raises(error, match=pattern):
        optimizers.SGD(**kwargs)


def test_specific_argument_checks():
    with pytest.raises(ValueError, match="weight_decay=None"):
        optimizers.AdamW(weight_decay=None)
    with pytest.raises(ValueError, match="initial_accumulator_value=-1"):
        optimizers.Adagrad(initial_accumulator_value=-1)
    with pytest.raises(ValueError, match="learning_rate_power=0.5"):
        optimizers.Ftrl(learning_rate_power=0.5)
    with pytest.raises(ValueError, match="beta_1=0"):
        optimizers.Lion(beta_1=0)


def test_apply_on_unknown_variable_raises():
    a, b = kerasish.Variable(np.ones(2, "float32")), kerasish.Variable(np.ones(2, "float32"))
    opt = optimizers.SGD()
    opt.apply([torch.ones(2)], [a])
    with pytest.raises(ValueError, match="unknown variables"):
        opt.apply([torch.ones(2)], [b])


# ---------------------------------------------------------------- registry and configs
@pytest.mark.parametrize("name, cls", [("adam", "Adam"), ("Adam", "Adam"), ("nadam", "Nadam"),
                                       ("adamw", "AdamW"), ("ftrl", "Ftrl"), ("lion", "Lion"),
                                       ("SGD", "SGD"), ("rmsprop", "RMSprop"),
                                       ("adagrad", "Adagrad"), ("adadelta", "Adadelta"),
                                       ("adamax", "Adamax")])
def test_string_ids(name, cls):
    assert type(optimizers.get(name)).__name__ == cls


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_config_round_trip(cls):
    opt = cls(learning_rate=0.02, clipnorm=2.0, use_ema=True, gradient_accumulation_steps=2)
    config = opt.get_config()
    assert cls.from_config(config).get_config() == config
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert type(again) is cls and again.get_config() == config


def test_schedule_config_round_trip():
    schedule = optimizers.schedules.CosineDecay(0.0, 100, alpha=0.1, warmup_target=0.1,
                                                warmup_steps=10)
    opt = optimizers.Adam(learning_rate=schedule)
    again = optimizers.deserialize(optimizers.serialize(opt))
    assert isinstance(again._lr_schedule, optimizers.schedules.CosineDecay)
    assert again._lr_schedule.get_config() == schedule.get_config()
    assert optimizers.schedules.deserialize(optimizers.schedules.serialize(schedule))(37) == \
        schedule(37)


def test_keras2_arguments():
    opt = optimizers.SGD(lr=0.05, decay=0.5)
    assert opt.get_config()["learning_rate"] == pytest.approx(0.05)
    assert optimizers.Adagrad(epsilon=None).epsilon == K.epsilon()
    w = kerasish.Variable(np.zeros(1, "float32"))
    for _ in range(3):
        opt.apply([torch.ones(1)], [w])
    # lr / (1 + decay * iterations) at iterations 0, 1, 2
    assert_close(w.numpy(), [-(0.05 + 0.05 / 1.5 + 0.05 / 2.0)])


# ---------------------------------------------------------------- learning rate and iterations
def test_set_learning_rate_takes_effect_at_next_step():
    w = kerasish.Variable(np.zeros(1, "float32"))
    opt = optimizers.SGD(learning_rate=0.1)
    opt.apply([torch.ones(1)], [w])
    K.set_value(opt.lr, 0.01)
    assert K.get_value(opt.learning_rate) == pytest.approx(0.01)
    opt.apply([torch.ones(1)], [w])
    opt.learning_rate = 0.5
    opt.apply([torch.ones(1)], [w])
    assert_close(w.numpy(), [-0.61])
    assert int(opt.iterations.numpy()) == 3


def test_schedule_learning_rate_is_read_only():
    opt = optimizers.SGD(learning_rate=optimizers.schedules.ExponentialDecay(0.1, 1, 0.5))
    assert opt.learning_rate == pytest.approx(0.1)
    with pytest.raises(TypeError, match="learning_rate=0.01"):
        opt.learning_rate = 0.01


def test_callable_learning_rate():
    w = kerasish.Variable(np.zeros(1, "float32"))
    opt = optimizers.SGD(learning_rate=lambda: 0.25)
    opt.apply([torch.ones(1)], [w])
    assert_close(w.numpy(), [-0.25])


# ---------------------------------------------------------------- trainer contract
def test_rebuild_keeps_state_of_known_variables():
    a = kerasish.Variable(np.ones(3, "float32"))
    b = kerasish.Variable(np.ones(2, "float32"))
    opt = optimizers.Adam(use_ema=True)
    opt.build([a])
    opt.apply([torch.ones(3)], [a])
    m_before = opt.momentums[0]
    opt._rebuild_for([b, a])
    assert opt.momentums[1] is m_before and float(m_before[0]) != 0.0
    assert float(opt.momentums[0].abs().sum()) == 0.0
    assert len(opt.variables) == 2 * 3  # (average, momentum, velocity) for each of a and b
    opt.apply([torch.ones(2), torch.ones(3)], [b, a])
    assert int(opt.iterations.numpy()) == 2


def test_step_uses_grad_attributes():
    w = kerasish.Variable(np.ones(2, "float32"))
    opt = optimizers.SGD(learning_rate=0.5)
    opt.build([w])
    w.grad = torch.ones(2)
    opt.step()
    assert_close(w.numpy(), [0.5, 0.5])


def test_missing_gradients_are_skipped():
    a = kerasish.Variable(np.ones(1, "float32"))
    b = kerasish.Variable(np.ones(1, "float32"))
    opt = optimizers.SGD(learning_rate=0.5, momentum=0.5)
    opt.apply([None, torch.ones(1)], [a, b])
    assert_close(a.numpy(), [1.0])
    assert_close(b.numpy(), [0.5])


# ---------------------------------------------------------------- fit() integration
def _model(seed=0):
    kerasish.utils.set_random_seed(seed)
    model = kerasish.Sequential([kerasish.layers.Dense(8, activation="relu", input_shape=(4,)),
                                 kerasish.layers.Dense(1)])
    return model


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")).astype("float32")


def test_set_lr_inside_fit_callback_takes_effect():
    x, y = _data()
    seen = []

    class Zero(kerasish.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            K.set_value(self.model.optimizer.lr, 0.0)
            seen.append(float(K.get_value(self.model.optimizer.lr)))

    model = _model()
    model.compile(optimizer=optimizers.SGD(learning_rate=0.01), loss="mse")
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[Zero()])
    frozen = [w.copy() for w in model.get_weights()]
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    for a, b in zip(model.get_weights(), frozen):
        np.testing.assert_array_equal(a, b)
    assert seen == [0.0]


def test_use_ema_writes_averages_at_end_of_fit():
    x, y = _data()
    model = _model()
    opt = optimizers.SGD(learning_rate=0.01, use_ema=True, ema_momentum=0.5)
    model.compile(optimizer=opt, loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    for w, avg in zip(model.trainable_weights, opt._ema_averages):
        np.testing.assert_array_equal(w.detach().numpy(), avg.detach().numpy())


def test_loss_scale_factor_in_fit_matches_unscaled():
    x, y = _data()
    results = []
    for factor in (None, 64.0):
        model = _model()
        model.compile(optimizer=optimizers.Adam(0.01, loss_scale_factor=factor), loss="mse")
        model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
        results.append(model.get_weights())
    for a, b in zip(*results):
        assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_torch_optim_optimizer_in_compile_matches_hand_loop():
    x, y = _data()
    model = _model()
    model.build((None, 4))
    twin = _model()
    twin.build((None, 4))
    twin.set_weights(model.get_weights())
    model.compile(optimizer=torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9), loss="mse")
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, shuffle=False)
    hand = torch.optim.SGD(twin.parameters(), lr=0.05, momentum=0.9)
    for _ in range(2):
        for i in range(0, 64, 16):
            hand.zero_grad()
            loss = torch.mean((twin(torch.from_numpy(x[i:i + 16])) - torch.from_numpy(y[i:i + 16])) ** 2)
            loss.backward()
            hand.step()
    before = _model()
    before.build((None, 4))
    assert not np.allclose(model.get_weights()[0], before.get_weights()[0])  # it trained
    for a, b in zip(model.get_weights(), twin.get_weights()):
        assert_close(a, b, rtol=1e-5, atol=1e-6)


def test_recompile_after_trainable_change_keeps_state():
    x, y = _data()
    model = _model()
    opt = optimizers.Adam(0.01)
    model.compile(optimizer=opt, loss="mse")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    second_kernel_m = opt.momentums[2]
    model.layers[0].trainable = False
    model.compile(optimizer=opt, loss="mse")
    model.fit(x, y, epochs=1, batch_size=32, verbose=0)
    assert len(opt._variables) == 2 and opt.momentums[0] is second_kernel_m
    assert int(opt.iterations.numpy()) == 4


def test_save_and_load_own_variables_round_trip():
    w = kerasish.Variable(np.ones(3, "float32"))
    opt = optimizers.Nadam()
    for _ in range(3):
        opt.apply([torch.full((3,), 0.5)], [w])
    store = {}
    opt.save_own_variables(store)
    fresh = optimizers.Nadam()
    fresh.build([kerasish.Variable(np.ones(3, "float32"))])
    fresh.load_own_variables(store)
    assert fresh._iterations == 3 and fresh._u_product == pytest.approx(opt._u_product)
    assert_close(fresh.momentums[0].numpy(), opt.momentums[0].numpy())
