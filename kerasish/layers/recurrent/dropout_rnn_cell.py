"""`DropoutRNNCell`: the dropout masks of a recurrent cell, drawn once per sequence.

As in Keras, a mask is drawn at the first step of a call and reused at every step (the same units
are dropped across time); the RNN layer clears the masks after each call. `dropout_mask_count > 1`
gives one independent mask per gate (Keras's `implementation=1`, used with recurrent dropout).
"""

import torch


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout`, `seed` and `dropout_mask_count`."""

    dropout_mask_count = None

    def _dropout_generator(self, device):
        seed = getattr(self, "seed", None)
        if seed is None:
            return None
        gen = getattr(self, "_dropout_gen", None)
        if gen is None or gen.device != torch.device(device):
            gen = torch.Generator(device=device)
            gen.manual_seed(int(seed))
            self._dropout_gen = gen
        return gen

    def _create_dropout_mask(self, step_input, rate):
        gen = self._dropout_generator(step_input.device)

        def one():
            keep = torch.rand(step_input.shape, generator=gen, dtype=step_input.dtype,
                              device=step_input.device) >= rate
            return keep.to(step_input.dtype) / (1.0 - rate)

        count = self.dropout_mask_count
        return one() if count is None else [one() for _ in range(count)]

    def get_dropout_mask(self, step_input):
        """The input dropout mask for this call (drawn on first use), or None without dropout."""
        if getattr(self, "_dropout_mask", None) is None and self.dropout > 0:
            self._dropout_mask = self._create_dropout_mask(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        """The recurrent dropout mask for this call, or None without recurrent dropout."""
        if getattr(self, "_recurrent_dropout_mask", None) is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._create_dropout_mask(step_input, self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None
