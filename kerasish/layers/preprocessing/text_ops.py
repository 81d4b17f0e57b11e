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
# ASCII characters Python's str.split() treats as whitespace and TensorFlow does not.
_OTHER_ASCII_WHITESPACE = re.compile(r"[\x1c-\x1f]")


def lower(text):
    return text.translate(_LOWER)


def strip_punctuation(text):
    return PUNCTUATION.sub("", text)


def split_whitespace(text):
    # str.split() is TensorFlow's split when the text has no other whitespace than TF's.
    if text.isascii() and _OTHER_ASCII_WHITESPACE.search(text) is None:
        return text.split()
    return [t for t in _WHITESPACE.split(text) if t]


def split_characters(text):
    return list(text)


def ngrams(tokens, widths):
    out = []
    for n in widths:
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out
