"""Bad input gets clear errors; configs round-trip; inputs of every kind (lists, numpy, torch,
datasets of batches); Pipeline."""

import numpy as np
import pytest
import torch

import kerasish
from kerasish import layers

TEXTS = ["the cat sat", "the dog ran", "a cat"]


@pytest.mark.parametrize("make", [
    lambda: layers.TextVectorization(), lambda: layers.StringLookup(),
    lambda: layers.IntegerLookup(), lambda: layers.Normalization(),
    lambda: layers.Discretization(num_bins=3),
], ids=["text", "string", "integer", "normalization", "discretization"])
@pytest.mark.parametrize("data", [[], np.array([]), iter([])], ids=["list", "array", "generator"])
def test_adapt_on_empty_data_is_refused(make, data):
    with pytest.raises(ValueError, match="no data|empty"):
        make().adapt(data)


@pytest.mark.parametrize("cls", [layers.TextVectorization, layers.StringLookup,
                                 layers.IntegerLookup, layers.CategoryEncoding, layers.Hashing,
                                 layers.Discretization, layers.HashedCrossing])
def test_unknown_output_mode_is_refused(cls):
    kwargs = {"CategoryEncoding": {"num_tokens": 3}, "Hashing": {"num_bins": 3},
              "Discretization": {"num_bins": 3}, "HashedCrossing": {"num_bins": 3}}
    with pytest.raises(ValueError, match=r"output_mode.*Received: output_mode='bag'"):
        cls(output_mode="bag", **kwargs.get(cls.__name__, {}))


def test_refusals_name_the_argument(tmp_path):
    with pytest.raises(ValueError, match="Received: ragged=True"):
        layers.TextVectorization(ragged=True)
    with pytest.raises(ValueError, match="Received: sparse=True"):
        layers.StringLookup(output_mode="multi_hot", sparse=True)
    with pytest.raises(ValueError, match="Received: standardize='upper'"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="consider setting `num_oov_indices=1`"):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["a", "b"]))
    with pytest.raises(ValueError, match="range 0 <= values < num_tokens"):
        layers.CategoryEncoding(num_tokens=3)(np.array([[0, 3]]))
    with pytest.raises(ValueError, match="ragged inputs"):
        layers.StringLookup(vocabulary=["a"])([["a"], ["a", "b"]])
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\n")
    with pytest.raises(ValueError, match="does not support loading a vocabulary from file"):
        layers.StringLookup(output_mode="tf_idf").set_vocabulary(str(path), idf_weights=[1, 1])
    config = layers.StringLookup(vocabulary=str(path)).get_config()
    config["vocabulary"] = str(path)
    with pytest.raises(ValueError, match="outside of the model archive"):
        kerasish.layers.deserialize({"class_name": "StringLookup", "config": config})
    with kerasish.saving.serialization.safe_mode_scope(False):
        loaded = kerasish.layers.deserialize({"class_name": "StringLookup", "config": config})
    assert loaded.get_vocabulary() == ["[UNK]", "a", "b"]
    with pytest.raises(ValueError, match="repeated term"):
        layers.StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(RuntimeError, match="set the layer's vocabulary"):
        layers.StringLookup(output_mode="multi_hot")(np.array([["a"]]))


def test_vocabulary_file_and_set_get_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("earth\nwind\nfire\n", encoding="utf-8")
    layer = layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "earth", "wind", "fire"]
    assert layer(np.array([["fire", "water"]])).tolist() == [[3, 0]]
    layer.set_vocabulary(["x", "y"])
    assert layer.get_vocabulary(include_special_tokens=False) == ["x", "y"]
    tv = layers.TextVectorization(vocabulary=str(path), output_sequence_length=3)
    assert tv(["Fire, earth!"]).tolist() == [[4, 2, 0]]


def test_inputs_of_every_kind():
    lookup = layers.IntegerLookup(vocabulary=[5, 7])
    expected = [[1, 2, 0]]
    for x in ([[5, 7, 9]], np.array([[5, 7, 9]]), torch.tensor([[5, 7, 9]])):
        out = lookup(x)
        assert isinstance(out, torch.Tensor) and out.tolist() == expected
    tv = layers.TextVectorization()
    batches = [(np.array(TEXTS[:2]), np.array([0, 1])), (np.array(TEXTS[2:]), np.array([1]))]
    tv.adapt(iter(batches))  # (x, y) batches of a dataset: x is used
    assert tv.get_vocabulary()[:4] == ["", "[UNK]", "the", "cat"]
    tv.adapt(iter([np.array(TEXTS[:1]), np.array(TEXTS[1:])]), steps=1)
    assert tv.get_vocabulary()[2:] == ["the", "sat", "cat"]  # ties: token high to low
    assert tv("the cat").tolist() == [2, 4]  # one string: one sequence
    assert tv([b"the cat"]).tolist() == [[2, 4]]  # bytes are decoded


def test_invert_round_trip():
    vocab = ["a", "b", "c"]
    ids = layers.StringLookup(vocabulary=vocab)(np.array([["c", "a", "zz"]]))
    back = layers.StringLookup(vocabulary=vocab, invert=True)(ids)
    assert back.tolist() == [["c", "a", "[UNK]"]]


@pytest.mark.parametrize("layer", [
    layers.TextVectorization(max_tokens=9, ngrams=(1, 2), output_mode="count"),
    layers.StringLookup(num_oov_indices=2, mask_token="", salt=3),
    layers.IntegerLookup(vocabulary=[3, 4], invert=True),
    layers.Hashing(num_bins=4, salt=[1, 2], output_mode="one_hot"),
    layers.HashedCrossing(num_bins=4),
    layers.CategoryEncoding(num_tokens=4, output_mode="count"),
    layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot"),
    layers.Normalization(mean=[1.0, 2.0], variance=[1.0, 4.0], invert=True),
], ids=lambda layer: type(layer).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert clone.get_config() == config
    restored = kerasish.layers.deserialize(kerasish.layers.serialize(layer))
    assert type(restored) is type(layer)


def test_pipeline_chains_and_round_trips():
    pipe = layers.Pipeline([layers.StringLookup(vocabulary=["a", "b", "c"]),
                            layers.CategoryEncoding(num_tokens=4, output_mode="count")])
    out = pipe(np.array([["a", "a", "q"], ["c", "b", "b"]]))
    assert out.tolist() == [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 2.0, 1.0]]
    clone = layers.Pipeline.from_config(pipe.get_config())
    assert torch.equal(clone(np.array([["a", "a", "q"], ["c", "b", "b"]])), out)


def test_normalization_adapts_on_a_dataset_of_batches_and_pydataset(rng):
    x = rng.normal(size=(20, 3)).astype("float32")

    class Batches(kerasish.utils.PyDataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 5:(i + 1) * 5], np.zeros(5)

    for data in (Batches(), iter([(x[:8], None), (x[8:], None)]), [x[:8], x[8:]]):
        layer = layers.Normalization()
        layer.adapt(data)
        np.testing.assert_allclose(layer.adapt_mean.detach(), x.mean(0), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(layer.adapt_variance.detach(), x.var(0), rtol=1e-4)


def test_host_made_outputs_follow_the_input_or_the_model_device(monkeypatch):
    from kerasish.layers.preprocessing import data_layer

    moved = []
    monkeypatch.setattr(torch.Tensor, "to", lambda self, *a, **k: moved.append(a[0]) or self)
    marker = torch.device("cpu", 0)  # compares unequal to the outputs' plain "cpu" device
    with data_layer.output_device(marker):
        layers.StringLookup(vocabulary=["a"])(np.array(["a", "b"]))
    assert moved and set(moved) == {marker}
    count = len(moved)
    data_layer.place(torch.zeros(1))  # outside the block: left where it is
    assert len(moved) == count
