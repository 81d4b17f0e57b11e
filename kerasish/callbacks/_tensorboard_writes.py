"""What `TensorBoard` writes besides scalars: the model's graphs, weight images, embeddings, and
the profiled batches' range. Kept apart from the callback's hooks so each piece reads alone."""

import contextlib
import io
import os
import warnings

import numpy as np
import torch


def parse_profile_batch(profile_batch):
    """`(start, stop)` from Keras's `profile_batch` forms (0, an int, a pair, or `"start,stop"`);
    `(0, 0)` turns profiling off. Keras's message, word for word, for anything else."""
    message = ("profile_batch must be a non-negative integer or 2-tuple of positive integers. A "
               "pair of positive integers signifies a range of batches to profile. "
               f"Found: {profile_batch}")
    if isinstance(profile_batch, str):
        try:
            profile_batch = [int(part) for part in profile_batch.split(",")]
        except ValueError:
            raise ValueError(message) from None
    if isinstance(profile_batch, int) and not isinstance(profile_batch, bool):
        start = stop = profile_batch
    elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
        start, stop = profile_batch
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


def start_profiler(log_dir):
    """A running `torch.profiler` whose trace lands in `log_dir` as `*.pt.trace.json` (read by
    TensorBoard's PyTorch profiler plugin, `torch-tb-profiler`)."""
    activities = [torch.profiler.ProfilerActivity.CPU]
    if torch.cuda.is_available():
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    profiler = torch.profiler.profile(
        activities=activities, on_trace_ready=torch.profiler.tensorboard_trace_handler(log_dir))
    profiler.start()
    return profiler


def write_keras_model(writer, model):
    """The model's JSON config as Keras's `keras` summary (TensorBoard's graph dashboard draws it
    as the model's conceptual graph), for functional and sequential models as Keras does."""
    from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2, types_pb2

    if type(model).__name__ not in ("Functional", "Sequential"):
        return
    metadata = summary_pb2.SummaryMetadata(plugin_data=summary_pb2.SummaryMetadata.PluginData(
        plugin_name="graph_keras_model", content=b"1"))
    tensor = tensor_pb2.TensorProto(dtype=types_pb2.DT_STRING, tensor_shape=tensor_shape_pb2.TensorShapeProto(),
                                    string_val=[model.to_json().encode()])
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="keras", metadata=metadata, tensor=tensor)])
    writer._get_file_writer().add_summary(summary, 0)


def write_op_graph(writer, model):
    """The traced torch graph of the model's forward pass, on zeros of its input shapes (a batch
    of 1), in eval mode so no statistics move. A model that cannot be traced gets a warning: the
    graph is a picture, the training is unaffected."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        return
    try:
        device = next(model.parameters()).device
    except StopIteration:
        device = torch.device("cpu")
    args = tuple(torch.zeros([1 if d is None else d for d in t.shape], dtype=getattr(torch, str(t.dtype)),
                             device=device) for t in inputs)
    # torch's tracer prints its errors; they are turned into the warning below instead.
    # torch marks its tracer deprecated; add_graph has no other engine, and the user cannot act on it.
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*torch\.jit\.trace", category=DeprecationWarning)
        try:
            writer.add_graph(model, args if len(args) > 1 else args[0])
        except Exception as e:  # noqa: BLE001 - any tracer failure means "no graph"
            warnings.warn(f"TensorBoard(write_graph=True) could not trace the model's graph, so "
                          f"only its Keras summary is written: {type(e).__name__}: {e}", stacklevel=2)


def weight_image(weight, data_format):
    """Keras's picture of a weight: `(n, h, w, 1)` or `None` where Keras writes no image."""
    image = np.squeeze(weight)
    if image.ndim == 1:  # a bias
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:  # a dense kernel, the long side down
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:  # a conv kernel: each output channel its own image
        if data_format == "channels_last":
            image = np.transpose(image, (2, 0, 1))
        image = image.reshape(image.shape[0], image.shape[1], image.shape[2], 1)
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image
    return None


def embedding_layers(model, metadata):
    """`{layer: metadata path or None}` for the model's `Embedding` layers; a dict `metadata`
    naming a layer the model lacks is refused as Keras refuses it."""
    from kerasish.layers import Embedding

    left = dict(metadata) if isinstance(metadata, dict) else {}
    found = {}
    for layer in model.layers:
        if isinstance(layer, Embedding):
            found[layer] = metadata if isinstance(metadata, str) else left.pop(layer.name, None)
    if left:
        raise ValueError("Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                         f"`embeddings_metadata` argument: {left.keys()}")
    return found


def read_metadata(path, log_dir):
    """Rows (and a header when there are several columns) of a projector metadata TSV file,
    found as given or relative to `log_dir` (where Keras's projector config points)."""
    for candidate in (path, os.path.join(log_dir, path)):
        if os.path.isfile(candidate):
            with open(candidate, encoding="utf-8") as f:
                lines = f.read().splitlines()
            break
    else:
        raise ValueError(f"The metadata file of `embeddings_metadata` was not found, as given or under "
                         f"log_dir={log_dir!r}. Received: embeddings_metadata={path!r}")
    if lines and "\t" in lines[0]:  # TensorBoard's rule: several columns have a header line
        return [line.split("\t") for line in lines[1:]], lines[0].split("\t")
    return lines, None
