"""Vocabulary files, checks and IDF padding for the lookup layers (Keras's layout: `.keras`
files keep the vocabulary as `assets/<layer path>/vocabulary.txt`, one token per line)."""

import collections
import os

import numpy as np
import torch

from kerasish.backend import config as backend_config

ASSET_NAME = "vocabulary.txt"
# Reader of the current safe mode, installed from above (kerasish/__init__.py): loading a model
# in safe mode must not read a vocabulary file named by the model's config.
_SAFE_MODE = [lambda: False]


def configure_safe_mode(reader):
    _SAFE_MODE[0] = reader


def in_safe_mode():
    return bool(_SAFE_MODE[0]())


def read_vocabulary_file(path, is_string):
    """Tokens of a vocabulary file (one per line, as TensorFlow's `TextFileInitializer`)."""
    if not os.path.exists(path):
        raise ValueError(f"Vocabulary file {path} does not exist.")
    with open(path, "r", encoding="utf-8") as f:
        lines = f.read().splitlines()
    while lines and lines[-1] == "":
        lines.pop()
    return lines if is_string else [int(line) for line in lines]


def write_assets(dir_path, vocabulary):
    with open(os.path.join(dir_path, ASSET_NAME), "w", encoding="utf-8") as f:
        f.write("\n".join(str(w) for w in vocabulary))


def read_assets(dir_path, is_string):
    path = os.path.join(dir_path, ASSET_NAME)
    if not os.path.exists(path):
        raise ValueError(f"The `.keras` file has no vocabulary asset for this layer: expected "
                         f"{ASSET_NAME}. Received: files {sorted(os.listdir(dir_path))}")
    return read_vocabulary_file(path, is_string)


def check_tokens(layer, vocab, tokens, special):
    """Keras's checks: no repeated tokens, no mask/OOV token inside the learned tokens."""
    counts = collections.Counter(tokens)
    repeated = [t for t, c in counts.items() if c > 1]
    if repeated:
        raise ValueError("The passed vocabulary has at least one repeated term. Please uniquify "
                         f"your dataset. The repeated terms are: {repeated}")
    hint = ("Note that passed `vocabulary` does not need to include the OOV and mask tokens. "
            "Either remove all mask and OOV tokens, or include them only at the start of the "
            f"vocabulary in precisely this order: {special}.")
    if layer.mask_token is not None and layer.mask_token in counts:
        index = len(vocab) - 1 - vocab[::-1].index(layer.mask_token)
        raise ValueError("Found reserved mask token at unexpected location in `vocabulary`. "
                         f"{hint} Received: mask_token={layer.mask_token} at vocabulary index "
                         f"{index}")
    if layer.oov_token is not None and layer.invert and layer.oov_token in counts:
        index = len(vocab) - 1 - vocab[::-1].index(layer.oov_token)
        raise ValueError("Found reserved OOV token at unexpected location in `vocabulary`. "
                         f"{hint} Received: oov_token={layer.oov_token} at vocabulary index "
                         f"{index}")


def pad_idf_weights(layer, vocab, idf_weights, found_special):
    """IDF weights as the layer applies them: the special indices get the mean weight (unless the
    vocabulary already had them), `pad_to_max_tokens` pads zeros at the end."""
    if isinstance(idf_weights, torch.Tensor):
        idf_weights = idf_weights.detach().cpu().numpy()
    idf_weights = np.asarray(idf_weights)
    if len(vocab) != len(idf_weights):
        raise ValueError("`idf_weights` must be the same length as vocabulary. "
                         f"len(idf_weights) is {len(idf_weights)}; "
                         f"len(vocabulary) is {len(vocab)}")
    if idf_weights.ndim != 1:
        raise ValueError(f"TF-IDF data must be a 1-index array. Received: idf_weights with "
                         f"shape {idf_weights.shape}")
    front = 0 if found_special else layer._token_start_index()
    front_value = 0 if found_special else np.average(idf_weights)
    back = 0
    if layer.pad_to_max_tokens and layer.max_tokens is not None:
        back = layer.max_tokens - front - len(idf_weights)
    weights = np.pad(idf_weights, (front, back), "constant", constant_values=(front_value, 0))
    return weights.astype(backend_config.floatx())


def listify(x):
    """Tensors and arrays as lists, for configs."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        x = x.tolist()
    return x
