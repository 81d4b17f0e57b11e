"""The transformations behind `Dataset`'s methods (`map`, `batch`, `shuffle`, ...).

Each is a `Dataset` wrapping its input; iterating it iterates the input. Threads are used where
the work releases the GIL (image decoding, resizing and torch ops in `map`; the producer of
`prefetch`), each with one intra-op torch thread (see `pipeline_threads`). A chain of `shuffle` / `take` / `skip` / `repeat` over `from_tensor_slices` is
batched by index: `batch` then gathers each batch with one indexing op per component instead of
stacking slices one by one.
"""

import collections
import concurrent.futures
import itertools
import math
import os
import queue
import random
import threading

import numpy as np
import torch

from kerasish.utils import dataset_structure as structure
from kerasish.utils.dataset import AUTOTUNE, INFINITE, UNKNOWN, Dataset, TensorSlices
from kerasish.utils.pipeline_threads import use_one_intraop_thread


class _Unary(Dataset):
    def __init__(self, input_dataset):
        self._input = input_dataset

    def _cardinality(self):
        return self._input._cardinality()

    def _index_source(self):
        """(TensorSlices, factory of an index iterator) when this dataset's elements are
        slices of one `from_tensor_slices` dataset picked by index, else None."""
        return None


def _index_source(ds):
    if isinstance(ds, TensorSlices):
        return ds, lambda: iter(range(ds._size))
    if isinstance(ds, _Unary):
        return ds._index_source()
    return None


def call_with_element(func, element):
    """tf.data's calling convention: a tuple element is unpacked into positional arguments.
    Runs without autograd (a data pipeline computes no gradients)."""
    with torch.no_grad():
        if isinstance(element, tuple) and not hasattr(element, "_fields"):
            return func(*element)
        return func(element)


# ---------------------------------------------------------------------- map / filter / flat_map
class Map(_Unary):
    def __init__(self, input_dataset, func, num_parallel_calls=None):
        super().__init__(input_dataset)
        if not callable(func):
            raise TypeError(f"`map_func` must be callable. Received: map_func={func!r}")
        if num_parallel_calls is not None and num_parallel_calls != AUTOTUNE and \
                (not isinstance(num_parallel_calls, int) or num_parallel_calls < 1):
            raise ValueError("`num_parallel_calls` must be a positive integer, AUTOTUNE or None. "
                             f"Received: num_parallel_calls={num_parallel_calls!r}")
        self._func = func
        self._workers = (os.cpu_count() or 1) if num_parallel_calls == AUTOTUNE else (num_parallel_calls or 1)

    def _apply(self, element):
        return structure.normalize(call_with_element(self._func, element))

    def _make_iterator(self):
        if self._workers <= 1:
            for element in self._input:
                yield self._apply(element)
            return
        yield from ordered_parallel(self._apply, iter(self._input), self._workers)


def ordered_parallel(func, inputs, workers):
    """`func(x)` for each input on `workers` threads, results in input order; twice as many
    calls are queued as there are threads so none waits for the consumer."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kerasish-map",
                                                 initializer=use_one_intraop_thread)
    pending = collections.deque()
    try:
        for x in itertools.islice(inputs, 2 * workers):
            pending.append(pool.submit(func, x))
        while pending:
            result = pending.popleft().result()
            for x in itertools.islice(inputs, 1):
                pending.append(pool.submit(func, x))
            yield result
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=False)


class Filter(_Unary):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        if not callable(predicate):
            raise TypeError(f"`predicate` must be callable. Received: predicate={predicate!r}")
        self._predicate = predicate

    def _cardinality(self):
        n = self._input._cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def _make_iterator(self):
        for element in self._input:
            keep = call_with_element(self._predicate, element)
            if isinstance(keep, torch.Tensor) and keep.numel() != 1:
                raise ValueError("`predicate` must return a scalar boolean. Received: a tensor of "
                                 f"shape {tuple(keep.shape)}")
            if bool(keep):
                yield element


class FlatMap(_Unary):
    def __init__(self, input_dataset, func):
        super().__init__(input_dataset)
        self._func = func

    def _cardinality(self):
        return UNKNOWN

    def _make_iterator(self):
        for element in self._input:
            out = call_with_element(self._func, element)
            if not isinstance(out, Dataset):
                raise TypeError(f"`flat_map`'s function must return a Dataset. Received: {type(out).__name__}")
            yield from out


# ---------------------------------------------------------------------- batch / unbatch
class Batch(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder, padded=False, padded_shapes=None,
                 padding_values=None):
        super().__init__(input_dataset)
        self._batch_size, self._drop = batch_size, bool(drop_remainder)
        self._padded, self._padded_shapes, self._padding_values = padded, padded_shapes, padding_values

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._batch_size if self._drop else math.ceil(n / self._batch_size)

    def _chunks(self, iterator):
        while True:
            chunk = list(itertools.islice(iterator, self._batch_size))
            if not chunk or (self._drop and len(chunk) < self._batch_size):
                return
            yield chunk

    def _make_iterator(self):
        source = _index_source(self._input)
        if source is not None and not self._padded:
            slices, indices = source
            for chunk in self._chunks(indices()):
                yield slices._gather(chunk)
            return
        for chunk in self._chunks(iter(self._input)):
            yield self._pad_and_stack(chunk) if self._padded else structure.stack_elements(chunk)

    def _pad_and_stack(self, elements):
        columns = list(zip(*[structure.flatten(e) for e in elements]))
        shapes = self._per_leaf(self._padded_shapes, len(columns), None)
        values = self._per_leaf(self._padding_values, len(columns), 0)
        out = []
        for column, shape, value in zip(columns, shapes, values):
            if not isinstance(column[0], torch.Tensor):
                out.append(structure.stack(list(column)))
                continue
            widest = [max(t.shape[d] for t in column) for d in range(column[0].ndim)]
            if shape is not None:
                shape = list(shape)
                if len(shape) != len(widest):
                    raise ValueError(f"`padded_shapes` must have one entry per dimension. Received: "
                                     f"{shape} for components of rank {len(widest)}")
                for d, (want, have) in enumerate(zip(shape, widest)):
                    if want not in (None, -1):
                        if want < have:
                            raise ValueError(f"A component is larger than its padded shape. Received: "
                                             f"dimension {d} of size {have}, padded_shapes entry {want}")
                        widest[d] = int(want)
            out.append(torch.stack([structure.pad_to(t, widest, float(value) if t.is_floating_point()
                                                     else int(value)) for t in column]))
        return structure.pack(elements[0], out)

    @staticmethod
    def _per_leaf(spec, count, default):
        if spec is None:
            return [default] * count
        leaves = _flatten_spec(spec)
        if len(leaves) == count:
            return leaves
        if len(leaves) == 1:
            return leaves * count
        raise ValueError("`padded_shapes` / `padding_values` must match the structure of the "
                         f"elements ({count} components). Received: {spec!r}")


def _is_shape(spec):
    return isinstance(spec, (list, tuple)) and all(v is None or isinstance(v, int) for v in spec)


def _flatten_spec(spec):
    """Leaves of a padded_shapes / padding_values structure; a shape (a list of ints) is a leaf."""
    if _is_shape(spec) and not (isinstance(spec, tuple) and not spec):
        return [spec]
    if isinstance(spec, tuple):
        return [leaf for v in spec for leaf in _flatten_spec(v)]
    if isinstance(spec, dict):
        return [leaf for v in spec.values() for leaf in _flatten_spec(v)]
    return [spec]


class Unbatch(_Unary):
    def _cardinality(self):
        n = self._input._cardinality()
        return INFINITE if n == INFINITE else UNKNOWN

    def _make_iterator(self):
        for element in self._input:
            leaves = structure.flatten(element)
            if not leaves:
                continue
            structure.leading_size(element)  # components must agree on their batch size
            columns = [structure.unstack(leaf) for leaf in leaves]
            size = next(len(c) for c in columns if c is not None)
            for i in range(size):
                yield structure.pack(element, [None if c is None else c[i] for c in columns])


# ---------------------------------------------------------------------- order and count
class Shuffle(_Unary):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        self._buffer_size = buffer_size
        # An unseeded shuffle draws its seed from numpy's global generator, so
        # `kerasish.utils.set_random_seed` (`tf.random.set_seed`) makes it reproducible.
        self._seed = int(np.random.randint(2**31 - 1)) if seed is None else int(seed)
        self._reshuffle = reshuffle_each_iteration is None or bool(reshuffle_each_iteration)
        self._iterations = 0
        self._lock = threading.Lock()

    def _rng(self):
        with self._lock:
            k = self._iterations
            self._iterations += 1
        return random.Random(self._seed * 1000003 + k if self._reshuffle else self._seed)

    def _shuffled(self, iterator):
        """tf.data's buffered shuffle: draw a random buffer slot, emit it, refill it."""
        rng, size = self._rng(), self._buffer_size
        buffer = list(itertools.islice(iterator, size))
        for incoming in iterator:
            i = rng.randrange(len(buffer))
            yield buffer[i]
            buffer[i] = incoming
        rng.shuffle(buffer)
        yield from buffer

    def _index_source(self):
        source = _index_source(self._input)
        if source is None:
            return None
        slices, indices = source
        return slices, lambda: self._shuffled(indices())

    def _make_iterator(self):
        source = self._index_source()
        if source is not None:
            slices, indices = source
            return self._by_index(slices, indices)
        return self._shuffled(iter(self._input))

    @staticmethod
    def _by_index(slices, indices):
        template, leaves = slices._template, slices._leaves
        for i in indices():
            yield structure.pack(template, [structure.slice_leaf(leaf, i) for leaf in leaves])


class Take(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if n == UNKNOWN or self._count < 0:
            return n
        return self._count if n == INFINITE else min(n, self._count)

    def _limit(self, iterator):
        return iterator if self._count < 0 else itertools.islice(iterator, self._count)

    def _index_source(self):
        source = _index_source(self._input)
        return None if source is None else (source[0], lambda: self._limit(source[1]()))

    def _make_iterator(self):
        return self._limit(iter(self._input))


class Skip(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return 0 if self._count < 0 else max(0, n - self._count)

    def _skip(self, iterator):
        if self._count < 0:
            return iter(())
        return itertools.islice(iterator, self._count, None)

    def _index_source(self):
        source = _index_source(self._input)
        return None if source is None else (source[0], lambda: self._skip(source[1]()))

    def _make_iterator(self):
        return self._skip(iter(self._input))


class Repeat(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = count

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count is None:
            return 0 if n == 0 else INFINITE
        if self._count == 0:
            return 0
        return n if n < 0 else n * self._count

    def _repeat(self, make):
        passes = itertools.count() if self._count is None else range(self._count)
        for _ in passes:
            produced = False
            for element in make():
                produced = True
                yield element
            if not produced:  # an empty input repeated forever is still empty
                return

    def _index_source(self):
        source = _index_source(self._input)
        return None if source is None else (source[0], lambda: self._repeat(source[1]))

    def _make_iterator(self):
        return self._repeat(lambda: iter(self._input))


# ---------------------------------------------------------------------- prefetch / cache
_END = object()


class Prefetch(_Unary):
    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        self._buffer_size = buffer_size

    def _make_iterator(self):
        q = queue.Queue(maxsize=self._buffer_size)
        stop = threading.Event()
        upstream = iter(self._input)

        def put(item):
            while not stop.is_set():
                try:
                    q.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce():
            use_one_intraop_thread()
            try:
                for element in upstream:
                    if not put((element, None)):
                        return
                put((_END, None))
            except BaseException as e:  # handed to the consumer, raised there
                put((None, e))

        thread = threading.Thread(target=produce, name="kerasish-prefetch", daemon=True)
        return _prefetched(q, stop, thread)


def _prefetched(q, stop, thread):
    thread.start()
    try:
        while True:
            element, error = q.get()
            if error is not None:
                raise error
            if element is _END:
                return
            yield element
    finally:
        stop.set()


class Cache(_Unary):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        self._store = None

    def _make_iterator(self):
        if self._store is not None:
            yield from self._store
            return
        items = []
        for element in self._input:
            items.append(element)
            yield element
        self._store = items  # only a complete first pass is kept, as tf.data does
