"""The shared steps of the optimizer pipeline: argument checks, clipping, gradient accumulation,
the moving average of the weights (EMA) and state loading. All device work is `torch._foreach_*`;
decisions (is this an update step? the first step?) use the host-side step count."""

import warnings

import numpy as np
import torch


def check_args(clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
               ema_overwrite_frequency, gradient_accumulation_steps, weight_decay):
    """Raises `ValueError` for Keras's invalid combinations of the common arguments."""
    if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
            f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")
    for arg, value in (("clipnorm", clipnorm), ("clipvalue", clipvalue),
                       ("global_clipnorm", global_clipnorm), ("weight_decay", weight_decay)):
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise TypeError(f"`{arg}` must be a float or None. Received: {arg}={value!r}")
    steps = gradient_accumulation_steps
    if steps and (not isinstance(steps, int) or steps < 2):
        raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. "
                         f"Received: gradient_accumulation_steps={steps!r}")
    if use_ema:
        if not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. "
                             f"Received: ema_momentum={ema_momentum}")
        freq = ema_overwrite_frequency
        if freq and (not isinstance(freq, int) or freq < 1):
            raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                             f"Received: ema_overwrite_frequency={freq!r}")


def clip_gradients(grads, clipnorm, clipvalue, global_clipnorm):
    """Keras's clipping: per-tensor norm, global norm, or element value (at most one is set)."""
    if clipnorm and clipnorm > 0:
        norms = torch._foreach_norm(grads)
        denoms = torch._foreach_clamp_min(norms, float(clipnorm))
        return torch._foreach_div(torch._foreach_mul(grads, float(clipnorm)), denoms)
    if global_clipnorm and global_clipnorm > 0:
        total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
        # `+ (total - total)` turns an infinite or NaN norm into a NaN scale, as Keras does.
        scale = global_clipnorm * torch.clamp(1.0 / total, max=1.0 / global_clipnorm) + (total - total)
        return torch._foreach_mul(grads, scale)
    if clipvalue and clipvalue > 0:
        v = float(clipvalue)
        return torch._foreach_clamp_max(torch._foreach_clamp_min(grads, -v), v)
    return grads


def accumulate_or_update(opt, params, grads, idx, steps):
    """Adds to the accumulators, and every `steps`-th call updates with their mean and resets."""
    acc = opt._state(opt._accumulated_gradients, idx)
    if (opt._iterations + 1) % steps == 0:
        mean = torch._foreach_add(grads, acc)
        torch._foreach_div_(mean, float(steps))
        opt._update(params, mean, idx)
        torch._foreach_zero_(acc)
    else:
        torch._foreach_add_(acc, grads)


def update_ema(opt):
    """`average = m * average + (1 - m) * w` over every built variable; `m = 0` on the first step."""
    momentum = float(opt.ema_momentum) if opt._update_count() != 0 else 0.0
    averages = opt._ema_averages
    torch._foreach_mul_(averages, momentum)
    torch._foreach_add_(averages, [v.detach() for v in opt._variables], alpha=1.0 - momentum)
    freq = opt.ema_overwrite_frequency
    if freq and (opt._update_count() + 1) % freq == 0:
        overwrite_with_averages(opt, opt._variables)


def overwrite_with_averages(opt, var_list):
    if len(var_list) != len(opt._ema_averages):
        raise ValueError(
            f"Expected as many variables as the optimizer averages ({len(opt._ema_averages)}); was "
            f"the optimizer used on this model? Received: len(var_list)={len(var_list)}")
    with torch.no_grad():
        torch._foreach_copy_([v.data for v in var_list], opt._ema_averages)


def load_state(opt, store):
    """Loads `save_own_variables`'s layout; warns and skips when the count differs, as Keras does."""
    values = opt._state_values()
    if len(store.keys()) != len(values):
        warnings.warn(f"Skipping variable loading for optimizer '{opt.name}': it has {len(values)} "
                      f"variables, the saved one has {len(store.keys())}.", stacklevel=3)
        return
    opt._iterations = int(np.asarray(store["0"]))
    k = 1
    if opt._lr_var is not None and opt._lr_schedule is None:
        opt._lr_var.assign(np.asarray(store["1"]))
        k = 2
    for j, var in enumerate(opt._slots):
        var.assign(np.asarray(store[str(k + j)]))
    k += len(opt._slots)
    n_host = len(opt._host_state())
    opt._set_host_state([float(np.asarray(store[str(k + j)])) for j in range(n_host)])
