"""TensorFlow's string ops as `TextVectorization` uses them, in plain Python.

- `lower`: `tf.strings.lower` without an encoding lowercases ASCII letters only.
- `strip_punctuation`: Keras's regex (ASCII punctuation) removed.
- `split_whitespace`: `tf.strings.split` splits on ASCII whitespace (" \\t\\n\\v\\f\\r"), runs of it
  count once, empty tokens are dropped.
- `split_characters`: `tf.strings.unicode_split(..., "UTF-8")`, one token per code point.
- `ngrams`: `tf.strings.ngrams(width, separator=" ")`: every n-gram of each width, widths in the
  order given, no padding.
"""

import re
import string

_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_WHITESPACE = re.compile(r"[ \t\n\v\f\r]+")


def lower(text):
    return text.translate(_LOWER)


def strip_punctuation(text):
    return PUNCTUATION.sub("", text)


def split_whitespace(text):
    return [t for t in _WHITESPACE.split(text) if t]


def split_characters(text):
    return list(text)


def ngrams(tokens, widths):
    out = []
    for n in widths:
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out
