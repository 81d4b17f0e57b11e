"""`kerasish.optimizers.legacy`: the Keras 2 optimizers, as tf.keras 2.11+ `tf.keras.optimizers.legacy`.

Each class follows Keras 2's update rules whatever its arguments (`learning_rate=` or `lr=`):
epsilon outside the square root in RMSprop (without momentum) and Adagrad, Nadam's
`schedule_decay`, `decay` as inverse-time decay of the learning rate. The classes of
`kerasish.optimizers` follow Keras 2's rules only when given Keras 2's arguments (`lr=`, `decay=`).

Example:

```python
import kerasish
opt = kerasish.optimizers.legacy.RMSprop(learning_rate=1e-3)  # Keras 2's RMSprop
```
"""

from kerasish.optimizers import adadelta, adagrad, adam, adamax, ftrl, nadam, rmsprop, sgd


class SGD(sgd.SGD):
    """Keras 2's SGD (`tf.keras.optimizers.legacy.SGD`); see `kerasish.optimizers.SGD`."""

    _legacy_rules = True


class RMSprop(rmsprop.RMSprop):
    """Keras 2's RMSprop (`tf.keras.optimizers.legacy.RMSprop`): without momentum,
    `w -= lr * g / (sqrt(v) + epsilon)`; see `kerasish.optimizers.RMSprop`."""

    _legacy_rules = True


class Adam(adam.Adam):
    """Keras 2's Adam (`tf.keras.optimizers.legacy.Adam`); see `kerasish.optimizers.Adam`."""

    _legacy_rules = True


class Adagrad(adagrad.Adagrad):
    """Keras 2's Adagrad (`tf.keras.optimizers.legacy.Adagrad`):
    `w -= lr * g / (sqrt(a) + epsilon)`; see `kerasish.optimizers.Adagrad`."""

    _legacy_rules = True


class Adadelta(adadelta.Adadelta):
    """Keras 2's Adadelta (`tf.keras.optimizers.legacy.Adadelta`); see
    `kerasish.optimizers.Adadelta`."""

    _legacy_rules = True


class Adamax(adamax.Adamax):
    """Keras 2's Adamax (`tf.keras.optimizers.legacy.Adamax`); see `kerasish.optimizers.Adamax`."""

    _legacy_rules = True


class Nadam(nadam.Nadam):
    """Keras 2's Nadam (`tf.keras.optimizers.legacy.Nadam`): momentum schedule
    `0.96^(schedule_decay * t)`, no learning-rate `decay`; see `kerasish.optimizers.Nadam`."""

    _legacy_rules = True


class Ftrl(ftrl.Ftrl):
    """Keras 2's Ftrl (`tf.keras.optimizers.legacy.Ftrl`); see `kerasish.optimizers.Ftrl`.

    tf.keras's legacy Ftrl ignores `lr=` (it reads only `learning_rate`); kerasish takes it as the
    learning rate, as every other optimizer does."""

    _legacy_rules = True


CLASSES = (SGD, RMSprop, Adam, Adagrad, Adadelta, Adamax, Nadam, Ftrl)

__all__ = [c.__name__ for c in CLASSES]
