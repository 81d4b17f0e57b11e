"""`audio_dataset_from_directory`: Keras's arguments, file order and labels; WAV files decoded with
the standard library's `wave` module into float32 `(samples, channels)` in `[-1, 1)`, as
`tf.audio.decode_wav` decodes them."""

import wave

import numpy as np
import torch

from kerasish.utils import dataset_utils

ALLOWED_FORMATS = (".wav",)


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int", class_names=None,
                                 batch_size=32, sampling_rate=None, output_sequence_length=None,
                                 ragged=False, shuffle=True, seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """A `Dataset` of `(audio, labels)` batches from `directory/<class name>/*.wav`.

    Files are found, labelled, shuffled and split as Keras does (see
    `image_dataset_from_directory`). Audio is float32 `(batch, samples, channels)`: cut or
    zero-padded to `output_sequence_length` when given, otherwise zero-padded to the longest clip
    of each batch (Keras's `padded_batch`). PCM WAV files of 8, 16, 24 or 32 bits are read
    (TensorFlow reads 16-bit ones; the others are scaled to `[-1, 1)` the same way).

    Args:
        sampling_rate: the rate every file must have. Keras resamples with tensorflow-io;
            kerasish does not resample, and names the first file at another rate.
        output_sequence_length: samples per clip (cut or zero-padded), or None.
        ragged: not supported (torch has no ragged tensors); the default pads.

    `directory`, `labels`, `label_mode`, `class_names`, `batch_size`, `shuffle`, `seed`,
    `validation_split`, `subset`, `follow_links`: as in `image_dataset_from_directory`.

    Example:

    ```python
    train = audio_dataset_from_directory("speech", output_sequence_length=16000, seed=1,
                                         validation_split=0.2, subset="training")
    ```
    """
    dataset_utils.check_labels_args(labels, label_mode, class_names, "audio")
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`. Received: ragged=True, "
                         f"output_sequence_length={output_sequence_length}")
    if ragged:
        raise ValueError("`ragged=True` is not supported: torch has no ragged tensors. Use the default "
                         "(clips zero-padded per batch) or `output_sequence_length`. Received: ragged=True")
    if sampling_rate is not None and (not isinstance(sampling_rate, int) or sampling_rate <= 0):
        raise ValueError(f"`sampling_rate` should be a positive integer. Received: sampling_rate={sampling_rate!r}")
    if output_sequence_length is not None and (not isinstance(output_sequence_length, int) or output_sequence_length < 1):
        raise ValueError("`output_sequence_length` should be a positive integer or None. "
                         f"Received: output_sequence_length={output_sequence_length!r}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None

    def load(path):
        return read_wav(path, output_sequence_length, sampling_rate)

    def batch(ds, size):
        return ds.batch(size) if output_sequence_length is not None else ds.padded_batch(size)

    return dataset_utils.directory_datasets(
        directory, labels, label_mode, class_names, batch_size, shuffle, seed, validation_split, subset,
        follow_links, verbose, ALLOWED_FORMATS, "audio files", load, batch=batch)


def read_wav(path, desired_samples=None, expected_rate=None):
    """A WAV file as a float32 tensor `(samples, channels)` in `[-1, 1)`."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (wave.Error, EOFError) as e:
        raise ValueError(f"Could not read {path!r} as a PCM WAV file ({e}); audio datasets read "
                         f"uncompressed PCM WAV files. Received: path={str(path)!r}") from None
    if expected_rate is not None and rate != expected_rate:
        raise ValueError(f"{path!r} has a sampling rate of {rate} Hz; kerasish does not resample (Keras "
                         "does it with tensorflow-io), so every file must already have the requested rate. "
                         f"Received: sampling_rate={expected_rate}")
    audio = _pcm_to_float(frames, width).reshape(-1, channels)
    if desired_samples is not None:
        if len(audio) >= desired_samples:
            audio = audio[:desired_samples]
        else:
            audio = np.concatenate([audio, np.zeros((desired_samples - len(audio), channels), "float32")])
    return torch.from_numpy(np.ascontiguousarray(audio))


def _pcm_to_float(frames, width):
    if width == 1:  # 8-bit WAV is unsigned
        return (np.frombuffer(frames, np.uint8).astype("float32") - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(frames, "<i2").astype("float32") / 32768.0
    if width == 3:
        raw = np.frombuffer(frames, np.uint8).reshape(-1, 3).astype(np.int32)
        values = raw[:, 0] | (raw[:, 1] << 8) | (raw[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype("float32") / float(1 << 23)
    if width == 4:
        return (np.frombuffer(frames, "<i4").astype("float64") / float(1 << 31)).astype("float32")
    raise ValueError(f"Unsupported WAV sample width: {width} bytes. Received: sample width={width}")
