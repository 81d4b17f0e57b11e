"""The LSTM text-classification example trains to a high accuracy in its quick mode."""

import importlib.util
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_lstm_text_classification_quick():
    path = os.path.join(REPO, "examples", "lstm_text_classification.py")
    spec = importlib.util.spec_from_file_location("lstm_text_classification", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--quick"]) >= 0.9
