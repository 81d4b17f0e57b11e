"""TensorFlow's string hashes in plain Python, so hashing layers give Keras's bins without TensorFlow.

- `fingerprint64`: FarmHash's `Fingerprint64` (farmhashna `Hash64`), which
  `tf.strings.to_hash_bucket_fast` and `tf.sparse.cross_hashed` use.
- `siphash64`: SipHash-2-4 with a 128-bit key, which `tf.strings.to_hash_bucket_strong` uses
  (Keras's `salt`).
- `fingerprint_cat64`: TensorFlow's `FingerprintCat64`, which chains feature hashes in a cross.

The algorithms are public (FarmHash, SipHash); the tests compare against golden values written by
TensorFlow itself (`tools/make_preprocessing_goldens.py`).
"""

import functools
import struct

import numpy as np

_M = 0xFFFFFFFFFFFFFFFF
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_CAT_MUL = 0xC6A4A7935BD1E995
# tf.sparse.cross_hashed's default `hash_key`.
CROSS_HASH_KEY = 0xDECAFCAFFE


def _rot(v, s):
    # FarmHash rotates right.
    return ((v >> s) | (v << (64 - s))) & _M if s else v


def _f64(b, i):
    return struct.unpack_from("<Q", b, i)[0]


def _f32(b, i):
    return struct.unpack_from("<I", b, i)[0]


def _shift_mix(v):
    return v ^ (v >> 47)


def _hash16(u, v, mul):
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _len0to16(s, n):
    if n >= 8:
        mul = _K2 + n * 2
        a = (_f64(s, 0) + _K2) & _M
        b = _f64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M
        d = ((_rot(a, 25) + b) * mul) & _M
        return _hash16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        a = _f32(s, 0)
        return _hash16((n + (a << 3)) & _M, _f32(s, n - 4), mul)
    if n > 0:
        y = (s[0] + (s[n >> 1] << 8)) & 0xFFFFFFFF
        z = (n + (s[n - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _len17to32(s, n):
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K1) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    return _hash16((_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M,
                   (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)


def _len33to64(s, n):
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K2) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    y = (_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M
    z = _hash16(y, (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_f64(s, 16) * mul) & _M
    f = _f64(s, 24)
    g = ((y + _f64(s, n - 32)) * mul) & _M
    h = ((z + _f64(s, n - 24)) * mul) & _M
    return _hash16((_rot((e + f) & _M, 43) + _rot(g, 30) + h) & _M,
                   (e + _rot((f + a) & _M, 18) + g) & _M, mul)


def _weak32(s, i, a, b):
    w, x, y, z = _f64(s, i), _f64(s, i + 8), _f64(s, i + 16), _f64(s, i + 24)
    a = (a + w) & _M
    b = _rot((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rot(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


def _long_round(s, i, x, y, z, v, w, mul, last):
    x = (_rot((x + y + v[0] + _f64(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rot((y + v[1] + _f64(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w[1] * 9) & _M if last else w[1]
    y = (y + (v[0] * 9 if last else v[0]) + _f64(s, i + 40)) & _M
    z = (_rot((z + w[0]) & _M, 33) * mul) & _M
    v = _weak32(s, i, (v[1] * mul) & _M, (x + w[0]) & _M)
    w = _weak32(s, i + 32, (z + w[1]) & _M, (y + _f64(s, i + 16)) & _M)
    return z, y, x, v, w  # x and z swap places


def _len_long(s, n):
    seed = 81
    x = seed
    y = (seed * _K1 + 113) & _M
    z = (_shift_mix((y * _K2 + 113) & _M) * _K2) & _M
    v, w = (0, 0), (0, 0)
    x = (x * _K2 + _f64(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x, y, z, v, w = _long_round(s, i, x, y, z, v, w, _K1, False)
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    w0 = (w[0] + ((n - 1) & 63)) & _M
    v0 = (v[0] + w0) & _M
    w0 = (w0 + v0) & _M
    x, y, z, v, w = _long_round(s, last64, x, y, z, (v0, v[1]), (w0, w[1]), mul, True)
    return _hash16((_hash16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _M,
                   (_hash16(v[1], w[1], mul) + x) & _M, mul)


def fingerprint64(data):
    """FarmHash `Fingerprint64` of `data` (bytes or str, UTF-8), as an unsigned 64-bit int."""
    return _fingerprint_bytes(data.encode("utf-8") if isinstance(data, str) else bytes(data))


# Categorical data repeats its values: a cache makes the Python hash cost once per value.
@functools.lru_cache(maxsize=1 << 16)
def _fingerprint_bytes(s):
    n = len(s)
    if n <= 16:
        return _len0to16(s, n)
    if n <= 32:
        return _len17to32(s, n)
    if n <= 64:
        return _len33to64(s, n)
    return _len_long(s, n)


def _rotl(v, s):
    return ((v << s) | (v >> (64 - s))) & _M


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & _M
    v1 = _rotl(v1, 13) ^ v0
    v0 = _rotl(v0, 32)
    v2 = (v2 + v3) & _M
    v3 = _rotl(v3, 16) ^ v2
    v0 = (v0 + v3) & _M
    v3 = _rotl(v3, 21) ^ v0
    v2 = (v2 + v1) & _M
    v1 = _rotl(v1, 17) ^ v2
    v2 = _rotl(v2, 32)
    return v0, v1, v2, v3


def siphash64(key, data):
    """SipHash-2-4 of `data` (bytes or str) with `key` = two 64-bit ints, as TensorFlow's
    `StrongKeyedHash` computes it."""
    s = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return _siphash_bytes(int(key[0]) & _M, int(key[1]) & _M, s)


@functools.lru_cache(maxsize=1 << 16)
def _siphash_bytes(k0, k1, s):
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573
    n = len(s)
    full = n - n % 8
    for i in range(0, full, 8):
        m = _f64(s, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 ^= m
    tail = s[full:] + bytes(7 - n % 8)
    m = struct.unpack("<Q", tail + bytes([n & 0xFF]))[0]
    v3 ^= m
    v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
    v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def fingerprint_cat64(fp1, fp2):
    """TensorFlow's `FingerprintCat64`: combines two fingerprints (order matters)."""
    result = fp1 ^ _CAT_MUL
    result ^= (_shift_mix((fp2 * _CAT_MUL) & _M) * _CAT_MUL) & _M
    result = (result * _CAT_MUL) & _M
    result = (_shift_mix(result) * _CAT_MUL) & _M
    return _shift_mix(result)


def as_hash_strings(values):
    """Flat list of byte strings as `tf.strings.as_string` / utf-8 encoding give them: integers
    in decimal, floats truncated to int64 first (as Keras's `Hashing` does)."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        arr = arr.astype(np.int64)
    flat = arr.reshape(-1).tolist()
    out = []
    for v in flat:
        if isinstance(v, bytes):
            out.append(v)
        elif isinstance(v, str):
            out.append(v.encode("utf-8"))
        elif isinstance(v, (bool, np.bool_)):
            raise TypeError(f"Cannot hash boolean values. Received: value={v!r}")
        else:
            out.append(str(int(v)).encode("ascii"))
    return out


def hash_buckets(values, num_buckets, salt=None):
    """`tf.strings.to_hash_bucket_fast` (no salt) or `_strong` (salt = 2 ints) over `values`
    (an array of strings or numbers), as an int64 numpy array of `values`' shape."""
    shape = np.shape(values)
    strings = as_hash_strings(values)
    if salt is None:
        out = [fingerprint64(s) % num_buckets for s in strings]
    else:
        out = [siphash64(salt, s) % num_buckets for s in strings]
    return np.asarray(out, dtype=np.int64).reshape(shape)
