"""TensorBoard's arguments each write something (read back from the event files) or are refused:
write_graph, write_images, write_steps_per_second, profile_batch, embeddings_freq/_metadata."""

import glob
import json
import os

import numpy as np
import pytest

import kerasish
from kerasish import callbacks, layers
from kerasish.callbacks import _tensorboard_writes as writes


def _events(log_dir, run):
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

    tags, graph = {}, False
    for path in glob.glob(os.path.join(log_dir, run, "events*")):
        for event in EventFileLoader(path).Load():
            graph = graph or event.HasField("graph_def")
            for value in event.summary.value:
                tags.setdefault(value.tag, []).append((event.step, value))
    return tags, graph


@pytest.fixture(scope="module")
def logged(tmp_path_factory):
    """One fit writing everything: 2 epochs of 4 batches, batch logs every 2 batches."""
    log_dir = str(tmp_path_factory.mktemp("tb"))
    with open(os.path.join(log_dir, "words.tsv"), "w") as f:
        f.write("\n".join(f"w{i}" for i in range(10)))
    model = kerasish.Sequential([kerasish.Input((4,), dtype="int32"), layers.Embedding(10, 3, name="emb"),
                                 layers.Conv1D(3, 2, name="conv"), layers.Flatten(), layers.Dense(2, name="out")],
                                name="tb_model")
    model.compile("sgd", "mse")
    tb = callbacks.TensorBoard(log_dir, histogram_freq=1, write_images=True, write_steps_per_second=True,
                               update_freq=2, profile_batch=(2, 3), embeddings_freq=2,
                               embeddings_metadata={"emb": "words.tsv"})
    x = np.random.default_rng(0).integers(0, 10, (16, 4))
    model.fit(x, np.zeros((16, 2)), batch_size=4, epochs=2, verbose=0, callbacks=[tb])
    return log_dir, model, _events(log_dir, "train")


def test_write_graph_writes_keras_summary_and_traced_graph(logged):
    log_dir, model, (tags, graph) = logged
    assert graph  # torch's traced forward pass
    (step, value), = tags["keras"]
    assert step == 0 and value.metadata.plugin_data.plugin_name == "graph_keras_model"
    config = json.loads(value.tensor.string_val[0])
    assert config["class_name"] == "Sequential" and config["config"]["name"] == "tb_model"
    rebuilt = kerasish.models.model_from_json(value.tensor.string_val[0].decode())
    assert [layer.name for layer in rebuilt.layers] == [layer.name for layer in model.layers]


def test_write_images_and_steps_per_second(logged):
    _, _, (tags, _) = logged
    assert {"out/kernel/image", "out/bias/image", "conv/kernel/image", "emb/embeddings/image"} <= set(tags)
    assert [step for step, _ in tags["out/kernel/image"]] == [0, 1]
    # Batch-level values at update_freq=2 (global batches 2, 4, 6, 8), epoch-level every epoch.
    assert [step for step, _ in tags["batch_steps_per_second"]] == [2, 4, 6, 8]
    assert [step for step, _ in tags["epoch_steps_per_second"]] == [0, 1]
    assert all(value.tensor.float_val[0] > 0 for _, value in tags["epoch_steps_per_second"])  # loader: tensors


def test_profile_batch_writes_a_torch_profiler_trace(logged):
    log_dir = logged[0]
    traces = glob.glob(os.path.join(log_dir, "train", "*.pt.trace.json"))
    assert len(traces) == 1  # one profiled range, batches 2..3
    with open(traces[0]) as f:
        assert json.load(f)["traceEvents"]


def test_embeddings_for_the_projector(logged):
    log_dir, model, _ = logged
    # embeddings_freq=2: epoch 0 only of 2 epochs.
    (step_dir,) = glob.glob(os.path.join(log_dir, "train", "0*"))
    assert os.path.basename(step_dir) == "00000"
    tensors = np.loadtxt(os.path.join(step_dir, "emb", "tensors.tsv"), delimiter="\t")
    assert tensors.shape == (10, 3)
    with open(os.path.join(step_dir, "emb", "metadata.tsv")) as f:
        assert f.read().split() == [f"w{i}" for i in range(10)]
    with open(os.path.join(log_dir, "train", "projector_config.pbtxt")) as f:
        assert 'tensor_name: "emb:00000"' in f.read()


def test_weight_images_as_keras_makes_them(keras):
    # Keras's own conversion, its summary module replaced by a recorder (it would import TF).
    class Recorder:
        def image(self, name, data, step):
            self.data = np.asarray(data)

    theirs = keras.callbacks.TensorBoard(log_dir="unused")
    theirs._summary_module = recorder = Recorder()
    rng = np.random.default_rng(1)
    for shape in [(5,), (3, 7), (7, 3), (3, 2, 4), (3, 1, 5), (2, 2, 3, 4), (2, 2, 3, 5)]:
        weight = rng.normal(size=shape).astype("float32")
        recorder.data = None
        theirs._log_weight_as_image(weight, "w", 0)
        ours = writes.weight_image(weight, "channels_last")
        if recorder.data is None:
            assert ours is None, shape
        else:
            np.testing.assert_array_equal(ours, recorder.data, err_msg=str(shape))


def test_profile_batch_forms_and_errors_as_keras(keras):
    theirs = keras.callbacks.TensorBoard(log_dir="unused")
    for good in (0, 4, (2, 5), [3, 3], "2,6"):
        theirs._init_profile_batch(good)
        assert writes.parse_profile_batch(good) == (theirs._start_batch, theirs._stop_batch)
    for bad in (-1, (3, 1), (1, 2, 3), "5", 1.5):
        with pytest.raises(ValueError) as expected:
            theirs._init_profile_batch(bad)
        with pytest.raises(ValueError) as got:
            callbacks.TensorBoard(log_dir="unused", profile_batch=bad)
        assert str(got.value) == str(expected.value)
    with pytest.raises(ValueError, match="Found: a,b"):
        callbacks.TensorBoard(log_dir="unused", profile_batch="a,b")


def test_refusals_name_the_argument(tmp_path):
    model = kerasish.Sequential([kerasish.Input((2,), dtype="int32"), layers.Embedding(5, 2, name="emb")])
    tb = callbacks.TensorBoard(str(tmp_path), embeddings_freq=1, embeddings_metadata={"other": "m.tsv"})
    with pytest.raises(ValueError, match=r"embeddings_metadata` argument: dict_keys\(\['other'\]\)"):
        tb.set_model(model)
    tb = callbacks.TensorBoard(str(tmp_path), embeddings_freq=1, embeddings_metadata="missing.tsv")
    tb.set_model(model)
    with pytest.raises(ValueError, match="Received: embeddings_metadata='missing.tsv'"):
        tb._log_embeddings(0)
    with pytest.raises(ValueError, match="Received: embeddings_metadata=3"):
        callbacks.TensorBoard(str(tmp_path), embeddings_metadata=3)
    with pytest.raises(ValueError, match="Received: write_grads=True"):
        callbacks.TensorBoard(str(tmp_path), write_grads=True)
    with pytest.raises(TypeError, match="Received: nonsense=1"):
        callbacks.TensorBoard(str(tmp_path), nonsense=1)

