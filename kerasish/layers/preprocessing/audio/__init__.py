"""Audio preprocessing layers: `STFTSpectrogram` and `MelSpectrogram`."""

from kerasish.layers.preprocessing.audio.mel_spectrogram import MelSpectrogram  # noqa: F401
from kerasish.layers.preprocessing.audio.stft_spectrogram import STFTSpectrogram  # noqa: F401

__all__ = ["MelSpectrogram", "STFTSpectrogram"]
