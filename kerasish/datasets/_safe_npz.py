"""Reading Keras's `imdb.npz` / `reuters.npz` without unpickling.

Their arrays are ragged (`dtype=object`: one Python list of ints per review), which numpy stores as a
pickle stream. Instead of running that stream, this module walks its opcodes with
`pickletools.genops` (a parser: it executes nothing) and rebuilds only lists, tuples, numbers and
numpy object arrays. Any other construct raises `ValueError`.
"""

import io
import pickletools
import zipfile

import numpy as np

_ALLOWED_GLOBALS = {("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
                    ("numpy", "ndarray"), ("numpy", "dtype")}
_MARK = object()
_PUSH_ARG = {"BININT", "BININT1", "BININT2", "LONG1", "LONG4", "BINFLOAT", "SHORT_BINUNICODE",
             "BINUNICODE", "BINUNICODE8", "SHORT_BINBYTES", "BINBYTES", "BINBYTES8", "BINSTRING",
             "SHORT_BINSTRING"}
_CONSTANTS = {"NONE": None, "NEWTRUE": True, "NEWFALSE": False, "EMPTY_LIST": None, "EMPTY_TUPLE": (),
              "EMPTY_DICT": None}


class _Global(tuple):
    pass


class _Call(tuple):
    pass


def _pop_mark(stack):
    i = len(stack) - 1 - stack[::-1].index(_MARK)
    items = stack[i + 1:]
    del stack[i:]
    return items


def _build_array(call, state):
    _, shape, dtype_call, _, payload = state
    dtype = dtype_call[1][0] if isinstance(dtype_call, _Call) else dtype_call
    if dtype == "O8" or dtype == "O":
        out = np.empty(len(payload), dtype=object)
        out[:] = payload
        return out.reshape(shape)
    return np.frombuffer(payload, dtype=np.dtype(dtype)).reshape(shape).copy()


def _step(name, arg, stack, memo):
    if name in _PUSH_ARG:
        stack.append(arg)
    elif name in _CONSTANTS:
        const = _CONSTANTS[name]
        stack.append([] if name == "EMPTY_LIST" else ({} if name == "EMPTY_DICT" else const))
    elif name == "MARK":
        stack.append(_MARK)
    elif name in ("APPENDS", "TUPLE", "LIST"):
        items = _pop_mark(stack)
        if name == "APPENDS":
            stack[-1].extend(items)
        else:
            stack.append(tuple(items) if name == "TUPLE" else list(items))
    elif name == "APPEND":
        value = stack.pop()
        stack[-1].append(value)
    elif name in ("TUPLE1", "TUPLE2", "TUPLE3"):
        n = int(name[-1])
        items = tuple(stack[-n:])
        del stack[-n:]
        stack.append(items)
    elif name in ("BINPUT", "LONG_BINPUT", "PUT"):
        memo[arg] = stack[-1]
    elif name == "MEMOIZE":
        memo[len(memo)] = stack[-1]
    elif name in ("BINGET", "LONG_BINGET", "GET"):
        stack.append(memo[arg])
    elif name in ("GLOBAL", "STACK_GLOBAL"):
        module, attr = arg.split(" ", 1) if name == "GLOBAL" else (stack.pop(-2), stack.pop())
        if (module, attr) not in _ALLOWED_GLOBALS:
            raise ValueError(f"Refusing to load a pickled `{module}.{attr}`: only numpy arrays of lists of "
                             "numbers are read. Received: an unexpected object in the file")
        stack.append(_Global((module, attr)))
    elif name == "REDUCE":
        args = stack.pop()
        stack.append(_Call((stack.pop(), args)))
    elif name == "BUILD":
        state = stack.pop()
        target = stack[-1]
        if isinstance(target, _Call) and target[0] == ("numpy", "dtype"):
            stack[-1] = target  # dtype state (byte order etc.) is not needed for int/object arrays
        elif isinstance(target, _Call):
            stack[-1] = _build_array(target, state)
    elif name not in ("PROTO", "FRAME", "STOP"):
        raise ValueError(f"Unsupported pickle opcode {name} in an object array. Received: opcode={name}")


def load_object_array(raw):
    """A numpy object array from the pickle stream numpy wrote for it, parsed without executing."""
    stack, memo = [], {}
    for opcode, arg, _ in pickletools.genops(raw):
        _step(opcode.name, arg, stack, memo)
    return stack[-1]


def _read_npy(data):
    f = io.BytesIO(data)
    version = np.lib.format.read_magic(f)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, _, dtype = read_header(f)
    if dtype.hasobject:
        array = load_object_array(f.read())
        return np.asarray(array, dtype=object).reshape(shape)
    return np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)


def _unreadable(path, e):
    return ValueError(
        f"Could not read the dataset file {path} ({type(e).__name__}: {e}). kerasish never unpickles "
        "dataset files: a pickled cache or an npz holding anything but arrays is refused. Delete the "
        f"file to have it downloaded again. Received: path={path!r}"
    )


def load_npz(path):
    """`{name: array}` for every array in an `.npz` file; object arrays via the no-execution parser."""
    out = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in z.namelist():
                key = name[:-4] if name.endswith(".npy") else name
                out[key] = _read_npy(z.read(name))
    except (ValueError, OSError, EOFError, IndexError, KeyError, zipfile.BadZipFile) as e:
        raise _unreadable(path, e) from e
    return out


def read_arrays(path, keys):
    """The arrays `keys` of a plain `.npz` file, loaded with `allow_pickle=False`: an object array
    (a pickle stream) or a pickle file raises a `ValueError` naming `path`, and nothing is run."""
    try:
        with np.load(path, allow_pickle=False) as f:
            return [f[key] for key in keys]
    except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile) as e:
        raise _unreadable(path, e) from e


