"""`KerasTensor` lives on the ground floor (`kerasish.backend.keras_tensor`); this path stays for
code that imports it from here."""

from kerasish.backend.keras_tensor import KerasTensor, any_symbolic  # noqa: F401
