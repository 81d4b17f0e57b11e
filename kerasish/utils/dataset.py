"""`kerasish.utils.Dataset`: tf.data's `Dataset` API on numpy and torch, without TensorFlow.

A dataset is a lazy pipeline: each method returns a new dataset, and iterating runs the
pipeline (`map` with `num_parallel_calls` runs on a pool of threads, `prefetch` on a background
thread). Elements are nested tuples / dicts of CPU torch tensors (numbers) and numpy arrays of
`str` (see `dataset_structure`). `fit`, `evaluate` and `predict` take a dataset of batches
directly, as Keras takes a `tf.data.Dataset`.
"""

import itertools

import numpy as np
import torch

from kerasish.utils import dataset_structure as structure

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2


class Dataset:
    """A pipeline of elements with tf.data's methods.

    Build one with `Dataset.from_tensor_slices`, `Dataset.from_tensors`, `Dataset.range`,
    `Dataset.from_generator`, `Dataset.zip`, or a directory utility
    (`kerasish.utils.image_dataset_from_directory`, ...), then chain `map`, `shuffle`, `batch`,
    `prefetch`, ... Iterating yields elements (tensors, tuples or dicts of tensors).

    Example:

    ```python
    ds = Dataset.from_tensor_slices((x, y)).shuffle(1024, seed=1).batch(32)
    ds = ds.map(lambda x, y: (x / 255.0, y)).prefetch(AUTOTUNE)
    model.fit(ds, epochs=2)
    ```
    """

    # ------------------------------------------------------------------ to implement
    def _make_iterator(self):
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN

    # ------------------------------------------------------------------ iteration and size
    def __iter__(self):
        return iter(self._make_iterator())

    def cardinality(self):
        """The number of elements as a scalar tensor: `INFINITE` (-1) for an endless dataset,
        `UNKNOWN` (-2) when it cannot be known without iterating (`filter`, `unbatch`)."""
        return torch.tensor(self._cardinality(), dtype=torch.int64)

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True  # not `len(self) > 0`: an endless dataset is true too

    def as_numpy_iterator(self):
        """Iterates over the elements with numpy arrays as leaves."""
        return (structure.to_numpy(e) for e in self)

    def get_single_element(self):
        """The only element of the dataset (an error when it has none or more than one)."""
        it = iter(self)
        first = next(it, _MISSING)
        if first is _MISSING or next(it, _MISSING) is not _MISSING:
            raise ValueError("Dataset had no elements or more than one element. Received: "
                             f"cardinality={self._cardinality()}")
        return first

    def reduce(self, initial_state, reduce_func):
        """`reduce_func(state, element)` folded over the dataset."""
        state = structure.normalize(initial_state)
        for element in self:
            state = structure.normalize(reduce_func(state, element))
        return state

    @property
    def element_spec(self):
        """Shapes and dtypes of the first element (`None` for the batch dimension when the last
        batch may be smaller)."""
        first = next(iter(self.take(1)), _MISSING)
        if first is _MISSING:
            raise ValueError("Cannot infer the element spec of an empty dataset.")
        return structure.map_leaves(_spec, first)

    # ------------------------------------------------------------------ transformations
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies `map_func` to each element (a tuple element is unpacked into arguments).

        Args:
            map_func: function of the element's components; it may return tensors, numpy arrays
                or Python numbers (they become tensors) and may call Keras layers.
            num_parallel_calls: elements processed at once on a pool of threads; `AUTOTUNE`
                uses one thread per CPU. None (default) runs `map_func` in the iterating thread.
            deterministic: accepted for compatibility; elements always come in order.
        """
        return _t().Map(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate(*element)` is true."""
        return _t().Filter(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None,
              name=None):
        """Stacks `batch_size` consecutive elements; the last batch is smaller unless
        `drop_remainder`."""
        return _t().Batch(self, _positive_int(batch_size, "batch_size"), drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False,
                     name=None):
        """Like `batch`, padding each component (at the end of each dimension) to the largest
        shape in the batch, or to `padded_shapes`, with `padding_values` (default 0)."""
        return _t().Batch(self, _positive_int(batch_size, "batch_size"), drop_remainder,
                          padded=True, padded_shapes=padded_shapes, padding_values=padding_values)

    def unbatch(self, name=None):
        """Splits each element along its first dimension into separate elements."""
        return _t().Unbatch(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return self.unbatch().batch(batch_size, drop_remainder=drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """tf.data's buffered shuffle: elements are drawn at random from a buffer of
        `buffer_size` elements that refills from the input (`buffer_size >= cardinality` gives a
        uniform permutation). With `seed`, the orders are reproducible; with
        `reshuffle_each_iteration=False`, every iteration uses the same order."""
        return _t().Shuffle(self, _buffer_size(buffer_size), seed, reshuffle_each_iteration)

    def take(self, count, name=None):
        """The first `count` elements (all of them when `count` is -1)."""
        return _t().Take(self, _count(count, "count"))

    def skip(self, count, name=None):
        """All but the first `count` elements (none when `count` is -1)."""
        return _t().Skip(self, _count(count, "count"))

    def repeat(self, count=None, name=None):
        """The dataset `count` times over (forever when `count` is None or -1)."""
        return _t().Repeat(self, None if count in (None, -1) else _count(count, "count"))

    def prefetch(self, buffer_size, name=None):
        """Produces up to `buffer_size` elements ahead on a background thread (`AUTOTUNE`: 2)."""
        return _t().Prefetch(self, _buffer_size(buffer_size, allow_autotune=True))

    def cache(self, filename="", name=None):
        """Keeps the elements in memory after the first complete iteration."""
        if filename:
            raise ValueError("Only the in-memory cache is supported (`filename=''`); file caches "
                             f"would need a serialization format for arbitrary elements. Received: filename={filename!r}")
        return _t().Cache(self)

    def concatenate(self, dataset, name=None):
        """The elements of this dataset, then those of `dataset`."""
        return Concatenate(self, dataset)

    def enumerate(self, start=0, name=None):
        """Elements `(index, element)` with an int64 index starting at `start`."""
        return Dataset.zip((Dataset.range(start, None), self))

    def flat_map(self, map_func, name=None):
        """`map_func(*element)` returns a dataset; their elements are chained."""
        return _t().FlatMap(self, map_func)

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a dataset."""
        out = transformation_func(self)
        if not isinstance(out, Dataset):
            raise TypeError(f"`transformation_func` must return a Dataset. Received: {type(out).__name__}")
        return out

    def with_options(self, options, name=None):
        """Accepted for compatibility: tf.data options tune performance, not the elements."""
        return self

    # ------------------------------------------------------------------ construction
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """One element per slice along the first dimension of every component of `tensors`
        (an array, a tuple or a dict of arrays)."""
        return TensorSlices(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset of exactly one element, `tensors`."""
        return Tensors(tensors)

    @staticmethod
    def range(*args, dtype="int64", name=None):
        """Like Python's `range` (`range(stop)`, `range(start, stop[, step])`), as int64
        tensors. `stop=None` counts forever."""
        return Range(*args, dtype=dtype)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements combining one element of each dataset: `zip((a, b))`, `zip(a, b)` or
        `zip({"x": a, "y": b})`; stops with the shortest dataset."""
        if datasets is None:
            datasets = args[0] if len(args) == 1 else tuple(args)
        return Zip(datasets)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """Elements yielded by `generator(*args)` (called again for each iteration)."""
        if not callable(generator):
            raise TypeError(f"`generator` must be callable. Received: generator={generator!r}")
        return Generator(generator, tuple(args or ()))

    def __repr__(self):
        return f"<{type(self).__name__} cardinality={self._cardinality()}>"


_MISSING = object()


def _t():
    from kerasish.utils import dataset_transforms

    return dataset_transforms


def _spec(leaf):
    if isinstance(leaf, torch.Tensor):
        return (tuple(leaf.shape), str(leaf.dtype).replace("torch.", ""))
    if leaf is None:
        return None
    return (tuple(np.shape(leaf)), "string")


def _positive_int(value, name):
    if isinstance(value, torch.Tensor):
        value = int(value)
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def _count(value, name):
    if isinstance(value, torch.Tensor):
        value = int(value)
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < -1:
        raise ValueError(f"`{name}` must be an integer >= -1. Received: {name}={value!r}")
    return int(value)


def _buffer_size(value, allow_autotune=False):
    if isinstance(value, torch.Tensor):
        value = int(value)
    if allow_autotune and value == AUTOTUNE:
        return 2
    if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or value < 1:
        raise ValueError(f"`buffer_size` must be a positive integer. Received: buffer_size={value!r}")
    return int(value)


# ---------------------------------------------------------------------- sources
class TensorSlices(Dataset):
    """`Dataset.from_tensor_slices`: slices of arrays along their first dimension."""

    def __init__(self, tensors):
        element = structure.normalize(tensors, lists_are_tensors=True)
        self._leaves = structure.flatten(element)
        self._template = element
        if any(isinstance(leaf, str) or (isinstance(leaf, torch.Tensor) and leaf.ndim == 0)
               for leaf in self._leaves):
            raise ValueError("`from_tensor_slices` needs components of rank >= 1 (it slices their first "
                             "dimension). Received: a scalar component")
        self._size = structure.leading_size(element) if self._leaves else 0

    def _cardinality(self):
        return self._size

    def _make_iterator(self):
        leaves, template = self._leaves, self._template
        for i in range(self._size):
            yield structure.pack(template, [structure.slice_leaf(leaf, i) for leaf in leaves])

    def _gather(self, indices):
        """A batch of the elements at `indices` (a list of ints) with one indexing op per
        component: `batch` reads this way when its input is a chain of slices, shuffles, takes,
        skips and repeats over this dataset."""
        start = indices[0]
        contiguous = indices[-1] - start == len(indices) - 1 and indices == list(range(start, start + len(indices)))
        key = slice(start, start + len(indices)) if contiguous else torch.as_tensor(indices, dtype=torch.int64)
        out = []
        for leaf in self._leaves:
            if leaf is None:
                out.append(None)
            elif isinstance(leaf, torch.Tensor):
                out.append(leaf[key] if contiguous else leaf.index_select(0, key))
            else:
                part = np.asarray(leaf)[key if contiguous else key.numpy()]
                out.append(part.view(structure.StrArray))
        return structure.pack(self._template, out)


class Tensors(Dataset):
    def __init__(self, tensors):
        self._element = structure.normalize(tensors, lists_are_tensors=True)

    def _cardinality(self):
        return 1

    def _make_iterator(self):
        yield self._element


class Range(Dataset):
    def __init__(self, *args, dtype="int64"):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"`range` takes 1 to 3 arguments (start, stop, step). Received: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (args + (1,))[:3]
        if step == 0:
            raise ValueError("`step` must not be 0. Received: step=0")
        self._start, self._stop, self._step = int(start), stop, int(step)
        self._dtype = getattr(torch, str(dtype).replace("torch.", ""))

    def _cardinality(self):
        if self._stop is None:
            return INFINITE
        return len(range(self._start, int(self._stop), self._step))

    def _make_iterator(self):
        values = itertools.count(self._start, self._step) if self._stop is None else \
            range(self._start, int(self._stop), self._step)
        for v in values:
            yield torch.tensor(v, dtype=self._dtype)


class Generator(Dataset):
    def __init__(self, generator, args):
        self._generator, self._args = generator, args

    def _make_iterator(self):
        for element in self._generator(*self._args):
            yield structure.normalize(element)


class Zip(Dataset):
    def __init__(self, datasets):
        leaves = structure.flatten(datasets) if isinstance(datasets, (tuple, dict)) else [datasets]
        if not leaves or not all(isinstance(d, Dataset) for d in leaves):
            raise TypeError("`zip` takes a tuple or dict of datasets. Received: "
                            f"{[type(d).__name__ for d in leaves]}")
        self._template = datasets
        self._datasets = leaves

    def _cardinality(self):
        sizes = [d._cardinality() for d in self._datasets]
        finite = [s for s in sizes if s >= 0]
        if finite:
            return min(finite)
        return UNKNOWN if UNKNOWN in sizes else INFINITE

    def _make_iterator(self):
        for parts in zip(*self._datasets):
            yield structure.pack(self._template, parts)


class Concatenate(Dataset):
    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"`concatenate` takes a Dataset. Received: {type(second).__name__}")
        self._first, self._second = first, second

    def _cardinality(self):
        a, b = self._first._cardinality(), self._second._cardinality()
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b

    def _make_iterator(self):
        yield from self._first
        yield from self._second
