"""`kerasish.export` (Keras 3's `keras.export`): `ExportArchive` on `torch.export` and ONNX."""

from kerasish.export.export_archive import ExportArchive  # noqa: F401
