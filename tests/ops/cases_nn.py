"""Parity cases of `ops.nn` (and `ops.rearrange`) against Keras 3."""

import numpy as np
import torch

from tests.ops.parity import case

_rng = np.random.default_rng(7)


def _f(*shape, lo=-3.0, hi=3.0, dtype="float32"):
    return _rng.uniform(lo, hi, shape).astype(dtype)


def _probs(*shape):
    p = _rng.uniform(0.05, 1.0, shape).astype("float32")
    return p / p.sum(-1, keepdims=True)


_X = _f(3, 4)
_EDGE = np.array([-np.inf, -3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0, np.inf, np.nan], "float32")
_INTS = np.array([[-2, -1, 0, 1, 2, 7]], "int32")

# Elementwise activations: float (with gradient), edge values, float64, ints where torch allows.
_UNARY = ["relu", "relu6", "sigmoid", "sparse_sigmoid", "softplus", "softsign", "soft_shrink",
          "sparse_plus", "silu", "swish", "squareplus", "log_sigmoid", "leaky_relu",
          "hard_sigmoid", "hard_silu", "hard_swish", "elu", "selu", "gelu", "celu", "tanh_shrink",
          "hard_tanh", "hard_shrink"]
CASES = []
for _name in _UNARY:
    CASES += [
        case(_name, _X, _grad=True, _id=f"{_name}_float"),
        case(_name, _EDGE, _id=f"{_name}_edges"),
        case(_name, _f(2, 3, dtype="float64"), _module="nn", _id=f"{_name}_f64_nn"),
    ]
# Integer inputs where Keras's torch backend takes them (the others fail in torch, in both).
for _name in ("relu", "relu6", "sigmoid", "sparse_sigmoid", "softsign", "sparse_plus",
              "squareplus", "tanh_shrink", "hard_tanh", "sparsemax"):
    CASES.append(case(_name, _INTS, _id=f"{_name}_int"))
for _name in ("sigmoid", "sparse_sigmoid", "sparse_plus", "squareplus"):
    CASES.append(case(_name, np.array([True, False]), _id=f"{_name}_bool"))
for _name in ("relu", "sigmoid", "gelu", "silu", "elu", "hard_silu"):
    CASES.append(case(_name, 2.0, _id=f"{_name}_pyfloat"))
    # np.float64 subclasses float: Keras converts it like a Python float (to float32).
    CASES.append(case(_name, np.float64(-1.5), _id=f"{_name}_np_float64_scalar"))
CASES += [
    case("sigmoid", [1.0, -2.0], _id="sigmoid_pylist"),
    case("hard_tanh", _f(4, dtype="float16"), _rtol=1e-3, _id="hard_tanh_f16"),
    case("soft_shrink", _X, threshold=1.0, _grad=True, _id="soft_shrink_threshold"),
    case("hard_shrink", _X, threshold=1.5, _id="hard_shrink_threshold"),
    case("squareplus", _X, b=1.0, _grad=True, _id="squareplus_b"),
    case("squareplus", _X, b=0, _id="squareplus_b0"),
    case("leaky_relu", _X, negative_slope=0.05, _grad=True, _id="leaky_relu_slope"),
    case("elu", _X, alpha=0.3, _grad=True, _id="elu_alpha"),
    case("celu", _X, alpha=2.0, _grad=True, _id="celu_alpha"),
    case("gelu", _X, approximate=False, _grad=True, _id="gelu_exact"),
    case("glu", _f(3, 6), _grad=True),
    case("glu", _f(4, 2, 3), axis=1, _grad=True, _id="glu_axis1"),
    case("glu", _f(4, 2, 3), axis=0, _module="nn", _id="glu_axis0_nn"),
    case("threshold", _X, 0.5, -1.0, _grad=True),
    case("threshold", _EDGE, 0.0, 9.0, _id="threshold_edges"),
    case("threshold", _INTS, 1, 0, _id="threshold_int"),
]

# Softmax family: int / None / tuple / negative axes, float16 on CPU, size-1 axis, -inf entries.
_S = _f(2, 3, 4)
for _name in ("softmax", "log_softmax"):
    CASES += [
        case(_name, _S, _grad=True, _id=f"{_name}_default"),
        case(_name, _S, axis=1, _grad=True, _id=f"{_name}_axis1"),
        case(_name, _S, axis=None, _grad=True, _id=f"{_name}_none"),
        case(_name, _S, axis=(1, 2), _grad=True, _id=f"{_name}_tuple"),
        case(_name, _S, axis=(0, 2), _id=f"{_name}_tuple_02"),
        case(_name, _f(2, 5, dtype="float16"), _rtol=2e-3, _atol=2e-3, _id=f"{_name}_f16"),
        case(_name, _f(2, 5, dtype="float64"), _module="nn", _id=f"{_name}_f64_nn"),
        case(_name, np.array([[0.0, -np.inf, 1.0]], "float32"), _id=f"{_name}_neg_inf"),
    ]
CASES += [
    case("sparsemax", _S, _grad=True),
    case("sparsemax", _S, axis=0, _grad=True, _id="sparsemax_axis0"),
    case("sparsemax", np.array([[1.0, 0.0, -2.0], [0.5, 0.5, 0.5]], "float32"), _id="sparsemax_ties"),
    case("sparsemax", _f(3, 5, dtype="float64"), _module="nn", _id="sparsemax_f64_nn"),
]

# Pooling: 1D/2D/3D, both data formats, valid/same (symmetric and asymmetric same padding),
# strides, and the default data format.
_P1, _P2, _P3 = _f(2, 7, 3), _f(2, 6, 7, 3), _f(1, 5, 4, 6, 2)
for _name in ("max_pool", "average_pool"):
    CASES += [
        case(_name, _P1, 2, _grad=True, _id=f"{_name}_1d"),
        case(_name, _P1, 3, strides=2, padding="same", _grad=True, _id=f"{_name}_1d_same_s2"),
        case(_name, _P2, 2, _grad=True, _id=f"{_name}_2d"),
        case(_name, _P2, (2, 3), strides=(1, 2), padding="same", _grad=True,
             _id=f"{_name}_2d_same_asym"),
        case(_name, _P2, 3, strides=1, padding="same", _id=f"{_name}_2d_same_sym"),
        case(_name, _P2, 2, strides=1, padding="SAME", _id=f"{_name}_2d_same_upper"),
        case(_name, _P2.transpose(0, 3, 1, 2).copy(), (3, 2), strides=2, padding="same",
             data_format="channels_first", _grad=True, _id=f"{_name}_2d_cf"),
        case(_name, _P3, 2, padding="valid", _grad=True, _id=f"{_name}_3d"),
        case(_name, _P3, (2, 3, 2), strides=(1, 2, 3), padding="same", _module="nn",
             _id=f"{_name}_3d_same_nn"),
        case(_name, _P3.transpose(0, 4, 1, 2, 3).copy(), 2, data_format="channels_first",
             _id=f"{_name}_3d_cf"),
    ]
for _name in ("adaptive_average_pool", "adaptive_max_pool"):
    CASES += [
        case(_name, _P1, 3, _grad=True, _id=f"{_name}_1d"),
        case(_name, _P2, (2, 3), _grad=True, _id=f"{_name}_2d"),
        case(_name, _P2, 4, data_format="channels_first", _id=f"{_name}_2d_cf"),
        case(_name, _P3, (2, 2, 3), _module="nn", _id=f"{_name}_3d_nn"),
    ]

# Convolutions: Keras kernels (*k, in, out); groups; strides, dilation, same padding.
_K1, _K2, _K3 = _f(3, 3, 4), _f(3, 2, 3, 5), _f(2, 3, 2, 2, 3)
CASES += [
    case("conv", _P1, _K1, _grad=True, _rtol=1e-4, _atol=1e-5, _id="conv_1d"),
    case("conv", _P1, _K1, strides=2, padding="same", _grad=True, _rtol=1e-4, _atol=1e-5,
         _id="conv_1d_same_s2"),
    case("conv", _P1, _K1, dilation_rate=2, padding="same", _rtol=1e-4, _atol=1e-5,
         _id="conv_1d_dilated_same"),
    case("conv", _P2, _K2, _grad=True, _rtol=1e-4, _atol=1e-5, _id="conv_2d"),
    case("conv", _P2, _K2, strides=(2, 1), padding="same", _grad=True, _rtol=1e-4, _atol=1e-5,
         _id="conv_2d_same_strided"),
    case("conv", _P2, _K2, dilation_rate=(2, 1), padding="same", _rtol=1e-4, _atol=1e-5,
         _id="conv_2d_dilated"),
    case("conv", _P2.transpose(0, 3, 1, 2).copy(), _K2, padding="same",
         data_format="channels_first", _grad=True, _rtol=1e-4, _atol=1e-5, _id="conv_2d_cf"),
    case("conv", _f(2, 5, 5, 4), _f(3, 3, 2, 6), padding="same", _rtol=1e-4, _atol=1e-5,
         _id="conv_2d_groups"),
    case("conv", _P3, _K3, _grad=True, _rtol=1e-4, _atol=1e-5, _id="conv_3d"),
    case("conv", _P3, _K3, strides=2, padding="same", _module="nn", _rtol=1e-4, _atol=1e-5,
         _id="conv_3d_same_nn"),
    case("conv", _P2.astype("float64"), _K2.astype("float64"), _id="conv_2d_f64"),
    case("depthwise_conv", _P2, _f(3, 3, 3, 2), _grad=True, _rtol=1e-4, _atol=1e-5,
         _id="depthwise_conv_2d"),
    case("depthwise_conv", _P2, _f(2, 3, 3, 1), strides=2, padding="same", _rtol=1e-4,
         _atol=1e-5, _id="depthwise_conv_2d_same_s2"),
    case("depthwise_conv", _P1, _f(3, 3, 2), dilation_rate=2, _grad=True, _rtol=1e-4, _atol=1e-5,
         _id="depthwise_conv_1d_dilated"),
    case("depthwise_conv", _P2.transpose(0, 3, 1, 2).copy(), _f(3, 3, 3, 2), padding="same",
         data_format="channels_first", _module="nn", _rtol=1e-4, _atol=1e-5,
         _id="depthwise_conv_2d_cf_nn"),
    case("separable_conv", _P2, _f(3, 3, 3, 2), _f(1, 1, 6, 4), _grad=True, _rtol=1e-4,
         _atol=1e-5, _id="separable_conv_2d"),
    case("separable_conv", _P2, _f(3, 3, 3, 1), _f(1, 1, 3, 5), strides=2, padding="same",
         _rtol=1e-4, _atol=1e-5, _id="separable_conv_2d_same_s2"),
    case("separable_conv", _P1.transpose(0, 2, 1).copy(), _f(3, 3, 2), _f(1, 6, 4),
         data_format="channels_first", _rtol=1e-4, _atol=1e-5, _id="separable_conv_1d_cf"),
]
# Transposed convolutions: kernels (*k, out, in); output_padding; the asymmetric 'same' crop.
for _i, (_x, _k, _kw) in enumerate([
    (_P1, _f(3, 4, 3), {}),
    (_P1, _f(3, 4, 3), dict(strides=2, padding="same")),
    (_P1, _f(4, 2, 3), dict(strides=3, padding="valid", output_padding=1)),
    (_P2, _f(3, 3, 4, 3), dict(strides=2, padding="same")),
    (_P2, _f(2, 3, 4, 3), dict(strides=(2, 3), padding="same", output_padding=(1, 0))),
    (_P2, _f(3, 3, 2, 3), dict(strides=2, padding="valid", dilation_rate=1)),
    (_P2, _f(3, 3, 2, 3), dict(padding="same", dilation_rate=2)),
    (_P3, _f(2, 3, 2, 3, 2), dict(strides=2, padding="same")),
]):
    CASES.append(case("conv_transpose", _x, _k, _grad=_i % 2 == 0, _rtol=1e-4, _atol=1e-5,
                      _id=f"conv_transpose_{_i}", **_kw))
CASES.append(case("conv_transpose", _P2.transpose(0, 3, 1, 2).copy(), _f(3, 3, 4, 3), strides=2,
                  padding="same", data_format="channels_first", _module="nn", _rtol=1e-4,
                  _atol=1e-5, _id="conv_transpose_cf_nn"))

# Patches.
# Keras's unfold/fold take torch tensors only (numpy arrays fail there), so the cases pass tensors.
_IMG = torch.tensor(_f(2, 3, 6, 5))
CASES += [
    case("unfold", _IMG, 2),
    case("unfold", _IMG, (3, 2), dilation=(1, 2), padding=1, stride=(2, 1), _id="unfold_args"),
    case("fold", torch.tensor(_f(2, 12, 20)), (5, 6), 2),
    case("fold", torch.tensor(_f(1, 8, 9)), 4, 2, padding=1, stride=2, _module="nn",
         _id="fold_args_nn"),
    case("depth_to_space", _f(2, 3, 4, 8), 2, _grad=True),
    case("depth_to_space", _f(2, 18, 2, 3), 3, data_format="channels_first",
         _id="depth_to_space_cf"),
    case("space_to_depth", _f(2, 4, 6, 3), 2, _grad=True),
    case("space_to_depth", _f(2, 3, 6, 9), 3, data_format="channels_first", _module="nn",
         _id="space_to_depth_cf_nn"),
]

# Encodings and losses.
_IDS = np.array([[0, 2, 1], [3, -1, 2]], "int32")
_LOGITS = _f(4, 5)
_SPARSE = np.array([0, 4, 2, 1], "int32")
CASES += [
    case("one_hot", _IDS, 4),
    case("one_hot", _IDS, 4, axis=0, _id="one_hot_axis0"),
    case("one_hot", _IDS, 5, axis=1, dtype="int32", _id="one_hot_axis1_int"),
    case("one_hot", np.array([1, -1, 2], "int64"), 3, dtype="bool", _module="nn",
         _id="one_hot_oob_bool_nn"),
    case("one_hot", [2, 0], 3, dtype="float16", _id="one_hot_list_f16"),
    case("multi_hot", _IDS, 4),
    case("multi_hot", np.array([0, 2, 2], "int32"), 3, _id="multi_hot_1d"),
    case("multi_hot", _IDS, 4, axis=0, dtype="int32", _id="multi_hot_axis0"),
    case("multi_hot", _IDS, num_tokens=5, _module="nn", _id="multi_hot_num_tokens_nn"),
    case("categorical_crossentropy", _probs(4, 5), _probs(4, 5), _grad=True),
    case("categorical_crossentropy", np.eye(5, dtype="float32")[_SPARSE], _LOGITS,
         from_logits=True, _grad=True, _id="categorical_crossentropy_logits"),
    case("categorical_crossentropy", _probs(3, 2, 4).transpose(0, 2, 1).copy(),
         _probs(3, 2, 4).transpose(0, 2, 1).copy(), axis=1, _grad=True,
         _id="categorical_crossentropy_axis1"),
    case("categorical_crossentropy", np.array([[0.0, 1.0]], "float32"),
         np.array([[1.0, 0.0]], "float32"), _id="categorical_crossentropy_clipped"),
    case("sparse_categorical_crossentropy", _SPARSE, _probs(4, 5), _grad=True),
    case("sparse_categorical_crossentropy", _SPARSE, _LOGITS, from_logits=True, _grad=True,
         _id="sparse_categorical_crossentropy_logits"),
    case("sparse_categorical_crossentropy", _SPARSE[:, None], _LOGITS, from_logits=True,
         _id="sparse_categorical_crossentropy_trailing1"),
    case("sparse_categorical_crossentropy", np.array([[0, 1], [2, 2], [1, 0]], "int32"),
         _probs(3, 2, 3).transpose(0, 2, 1).copy(), axis=1, _grad=True,
         _id="sparse_categorical_crossentropy_axis1"),
    case("sparse_categorical_crossentropy", np.array(2, "int32"), _f(3), from_logits=True,
         _module="nn", _id="sparse_categorical_crossentropy_rank1_nn"),
    case("binary_crossentropy", (_rng.uniform(size=(3, 4)) > 0.5).astype("float32"),
         _f(3, 4, lo=0.0, hi=1.0), _grad=True),
    case("binary_crossentropy", np.array([1.0, 0.0, 1.0], "float32"),
         np.array([0.0, 1.0, 1.0], "float32"), _id="binary_crossentropy_clipped"),
    case("binary_crossentropy", _f(3, 4, lo=0.0, hi=1.0), _X, from_logits=True, _grad=True,
         _id="binary_crossentropy_logits"),
    case("psnr", _f(2, 8, 8, 3, lo=0, hi=1), _f(2, 8, 8, 3, lo=0, hi=1), 1.0, _grad=True),
    case("psnr", _f(4, 4, lo=0, hi=255), _f(4, 4, lo=0, hi=255), 255, _id="psnr_255"),
    case("psnr", _f(4, dtype="float64"), _f(4, dtype="float64"), 2.0, _module="nn",
         _id="psnr_f64_nn"),
]

# CTC: loss with blanks at 0 or elsewhere; greedy and beam-search decoding.
_CTC_LOGITS = _f(2, 6, 5)
_CTC_TARGET = np.array([[1, 2, 2], [3, 1, 0]], "int32")
CASES += [
    case("ctc_loss", _CTC_TARGET, _CTC_LOGITS, np.array([3, 2], "int32"),
         np.array([6, 5], "int32"), _grad=True, _rtol=1e-4, _atol=1e-5),
    case("ctc_loss", _CTC_TARGET + 1, _CTC_LOGITS, np.array([3, 2], "int32"),
         np.array([6, 6], "int32"), mask_index=0, _id="ctc_loss_mask0"),
    case("ctc_loss", _CTC_TARGET, _CTC_LOGITS, np.array([2, 2], "int32"),
         np.array([6, 6], "int32"), mask_index=4, _module="nn", _id="ctc_loss_mask4_nn"),
    case("ctc_decode", _CTC_LOGITS, np.array([6, 4], "int32"), _symbolic=False),
    case("ctc_decode", _CTC_LOGITS, np.array([6, 6], "int32"), merge_repeated=False,
         mask_index=2, _symbolic=False, _id="ctc_decode_no_merge"),
    case("ctc_decode", _CTC_LOGITS, np.array([6, 5], "int32"), mask_index=None,
         _symbolic=False, _id="ctc_decode_mask_none"),
    case("ctc_decode", _CTC_LOGITS, np.array([6, 4], "int32"), strategy="beam_search",
         beam_width=4, top_paths=2, _symbolic=False, _rtol=1e-4, _atol=1e-5,
         _id="ctc_decode_beam"),
    case("ctc_decode", _CTC_LOGITS, np.array([5, 6], "int32"), strategy="beam_search",
         beam_width=10, top_paths=3, mask_index=4, _symbolic=False, _module="nn", _rtol=1e-4,
         _atol=1e-5, _id="ctc_decode_beam_mask4_nn"),
]

# Statistics and normalizations.
_N = _f(2, 3, 4)
CASES += [
    case("moments", _N, 0, _grad=True),
    case("moments", _N, [0, 2], keepdims=True, _grad=True, _id="moments_axes_keepdims"),
    case("moments", _N, (-1,), _module="nn", _id="moments_neg_nn"),
    case("moments", _f(3, 4, dtype="float16"), [1], _rtol=1e-3, _atol=1e-3, _id="moments_f16"),
    case("batch_normalization", _N, _f(4), _f(4, lo=0.5, hi=2.0), -1, _grad=True),
    case("batch_normalization", _N, _f(3), _f(3, lo=0.5, hi=2.0), 1, offset=_f(3),
         scale=_f(3), epsilon=0.1, _grad=True, _id="batch_normalization_axis1_affine"),
    case("batch_normalization", _N, _f(4), _f(4, lo=0.5, hi=2.0), 2, scale=_f(4),
         _module="nn", _id="batch_normalization_scale_nn"),
    case("layer_normalization", _N, _grad=True),
    case("layer_normalization", _N, _f(4), _f(4), _grad=True, _id="layer_normalization_affine"),
    case("layer_normalization", _N, _f(3, 4), _f(3, 4), axis=(-2, -1), epsilon=1e-3,
         _grad=True, _id="layer_normalization_two_axes"),
    case("layer_normalization", _N, _f(2, 1, 4), None, axis=(0, 2), _grad=True,
         _id="layer_normalization_gapped_axes"),
    case("layer_normalization", _N, _f(4), rms_scaling=True, _id="layer_normalization_rms"),
    case("layer_normalization", _f(2, 8, dtype="float16"), _rtol=2e-3, _atol=2e-3,
         _module="nn", _id="layer_normalization_f16_nn"),
    case("rms_normalization", _N, _grad=True),
    case("rms_normalization", _N, _f(4), _grad=True, _id="rms_normalization_scale"),
    case("rms_normalization", _N, _f(3, 4), axis=(1, 2), epsilon=0.1, _grad=True,
         _id="rms_normalization_two_axes"),
    case("rms_normalization", _N, axis=(0, 2), _id="rms_normalization_gapped_axes"),
    case("rms_normalization", _f(2, 8, dtype="float16"), _rtol=2e-3, _atol=2e-3, _module="nn",
         _id="rms_normalization_f16_nn"),
    case("normalize", _N, _grad=True),
    case("normalize", _N, axis=0, order=1, _grad=True, _id="normalize_l1"),
    case("normalize", _N, axis=1, order=3, _id="normalize_l3"),
    case("normalize", np.zeros((2, 3), "float32"), _id="normalize_zeros"),
    case("normalize", np.array([[3, 4]], "int32"), _module="nn", _id="normalize_int_nn"),
    case("normalize", _N, epsilon=1e-2, _id="normalize_epsilon"),
    case("polar", _f(3, 4, lo=0, hi=2), _f(3, 4)),
    case("polar", _f(5, dtype="float64"), _f(5, dtype="float64"), _module="nn",
         _id="polar_f64_nn"),
]

# Attention: (batch, seq, heads, dim); masks, bias, causal, grouped-query heads, dtypes.
_Q, _KV = _f(2, 5, 4, 8, lo=-1, hi=1), _f(2, 7, 4, 8, lo=-1, hi=1)
_MASK = _rng.uniform(size=(2, 1, 5, 7)) > 0.3
_MASK[0, 0, 1] = False  # a fully masked row: uniform weights, as Keras's additive mask gives
_A = dict(_rtol=1e-4, _atol=1e-5)
CASES += [
    case("dot_product_attention", _Q, _KV, _KV, _grad=True, **_A),
    case("dot_product_attention", _Q, _Q, _Q, is_causal=True, _grad=True,
         _id="dot_product_attention_causal", **_A),
    case("dot_product_attention", _Q, _KV, _KV, scale=0.5, _id="dot_product_attention_scale", **_A),
    case("dot_product_attention", _Q, _KV, _KV, mask=_MASK, _grad=True,
         _id="dot_product_attention_mask", **_A),
    case("dot_product_attention", _Q, _KV, _KV, mask=_MASK, is_causal=True,
         _id="dot_product_attention_mask_causal", **_A),
    case("dot_product_attention", _Q, _KV, _KV, bias=_f(1, 4, 5, 7), _grad=True,
         _id="dot_product_attention_bias", **_A),
    case("dot_product_attention", _f(2, 5, 8, 8), _f(2, 7, 2, 8), _f(2, 7, 2, 6), _grad=True,
         _id="dot_product_attention_gqa", **_A),
    case("dot_product_attention", _f(2, 5, 4, 8), _f(2, 7, 1, 8), _f(2, 7, 1, 8),
         _id="dot_product_attention_mqa", **_A),
    case("dot_product_attention", _Q, _KV, _KV, flash_attention=False, _module="nn",
         _id="dot_product_attention_no_flash_nn", **_A),
    case("dot_product_attention", _Q.astype("float64"), _KV.astype("float64"),
         _KV.astype("float64"), is_causal=True, _id="dot_product_attention_f64"),
    case("dot_product_attention", _Q, _KV.astype("float16"), _KV, _rtol=1e-3, _atol=1e-3,
         _id="dot_product_attention_mixed_dtypes"),
]

# einops.
_E = _f(2, 6, 4, 3)
CASES += [
    case("rearrange", _E, "b h w c -> b c h w", _grad=True),
    case("rearrange", _E, "b h w c -> (b h) w c", _id="rearrange_merge"),
    case("rearrange", _E, "b h w c -> h (b w) c", _id="rearrange_merge_inner"),
    case("rearrange", _E, "b (h1 h) (w1 w) c -> (b h1 w1) h w c", h1=2, w1=2,
         _id="rearrange_split"),
    case("rearrange", _E, "b (h h1) (w w1) c -> b h w (c h1 w1)", h1=3, w1=2, _grad=True,
         _id="rearrange_space_to_depth"),
    case("rearrange", np.arange(24, dtype="int32").reshape(2, 3, 4), "a b c -> c b a",
         _id="rearrange_int"),
]
