"""CSVLogger, LambdaCallback, RemoteMonitor, TensorBoard."""

import builtins
import http.server
import json
import threading
import urllib.parse

import pytest

from kerasish import callbacks

from tests.callbacks.helpers import RecordingModel, drive_epochs, tiny_data, tiny_model


def test_csv_logger_writes_keras_layout(tmp_path):
    path = tmp_path / "log.csv"
    logs = [{"loss": 0.5, "mae": 0.25}, {"loss": 0.25, "mae": 0.125}]
    drive_epochs(callbacks.CSVLogger(str(path)), RecordingModel(), logs)
    # No validation keys in the first epoch: Keras reserves val_ columns, filled with NA.
    assert path.read_text().splitlines() == [
        "epoch,loss,mae,val_loss,val_mae", "0,0.5,0.25,NA,NA", "1,0.25,0.125,NA,NA"]


def test_csv_logger_separator_and_append(tmp_path):
    path = tmp_path / "log.tsv"
    logs = [{"loss": 1.0, "val_loss": 2.0}]
    drive_epochs(callbacks.CSVLogger(str(path), separator="\t"), RecordingModel(), logs)
    drive_epochs(callbacks.CSVLogger(str(path), separator="\t", append=True), RecordingModel(), logs)
    assert path.read_text().splitlines() == ["epoch\tloss\tval_loss", "0\t1.0\t2.0", "0\t1.0\t2.0"]
    drive_epochs(callbacks.CSVLogger(str(path), separator="\t"), RecordingModel(), logs)
    assert len(path.read_text().splitlines()) == 2  # no append: overwritten


def test_csv_logger_in_fit_with_validation(tmp_path):
    x, y = tiny_data()
    path = tmp_path / "fit.csv"
    tiny_model().fit(x, y, epochs=2, validation_split=0.25, verbose=0, callbacks=[callbacks.CSVLogger(str(path))])
    lines = path.read_text().splitlines()
    assert lines[0] == "epoch,loss,val_loss" and len(lines) == 3


def test_lambda_callback_calls_only_given_hooks():
    x, y = tiny_data()
    events = []
    cb = callbacks.LambdaCallback(on_train_begin=lambda logs: events.append("begin"),
                                  on_epoch_end=lambda epoch, logs: events.append(("epoch", epoch, sorted(logs))),
                                  on_train_end=lambda logs: events.append("end"))
    tiny_model().fit(x, y, epochs=2, verbose=0, callbacks=[cb])
    assert events == ["begin", ("epoch", 0, ["loss"]), ("epoch", 1, ["loss"]), "end"]
    from kerasish.callbacks.callback import overrides_batch_hooks

    assert not overrides_batch_hooks(cb)
    assert overrides_batch_hooks(callbacks.LambdaCallback(on_batch_end=lambda b, logs: None))
    with pytest.raises(TypeError, match="Unknown hook"):
        callbacks.LambdaCallback(on_everything=print)


class _Collector(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Content-Type"], body.decode()))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Collector.received = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Collector)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Collector.received
    httpd.shutdown()
    httpd.server_close()


def test_remote_monitor_posts_form_and_json(server):
    root, received = server
    logs = [{"loss": 0.5}, {"loss": 0.25}]
    drive_epochs(callbacks.RemoteMonitor(root=root), RecordingModel(), logs)
    drive_epochs(callbacks.RemoteMonitor(root=root, path="/j", send_as_json=True), RecordingModel(), logs[:1])
    path, ctype, body = received[0]
    assert path == "/publish/epoch/end/" and ctype == "application/x-www-form-urlencoded"
    assert json.loads(urllib.parse.parse_qs(body)["data"][0]) == {"epoch": 0, "loss": 0.5}
    assert json.loads(urllib.parse.parse_qs(received[1][2])["data"][0]) == {"epoch": 1, "loss": 0.25}
    assert received[2][:2] == ("/j", "application/json") and json.loads(received[2][2]) == {"epoch": 0, "loss": 0.5}


def test_remote_monitor_warns_when_unreachable():
    with pytest.warns(UserWarning, match="Could not reach"):
        drive_epochs(callbacks.RemoteMonitor(root="http://127.0.0.1:9", timeout=2), RecordingModel(), [{"loss": 1}])


def test_tensorboard_without_package_names_the_install(monkeypatch):
    real_import = builtins.__import__

    def no_tensorboard(name, *args, **kwargs):
        if name.startswith("torch.utils.tensorboard"):
            raise ImportError("No module named 'tensorboard'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_tensorboard)
    with pytest.raises(ImportError, match="pip install tensorboard"):
        callbacks.TensorBoard(log_dir="logs")


def test_tensorboard_writes_train_and_validation_scalars(tmp_path, monkeypatch):
    written = []

    class FakeWriter:
        def __init__(self, log_dir):
            self.log_dir = log_dir

        def add_scalar(self, tag, value, step):
            written.append((self.log_dir.rsplit("/", 1)[1], tag, round(float(value), 6), step))

        def add_histogram(self, tag, values, step):
            written.append((self.log_dir.rsplit("/", 1)[1], "hist", step))

        def flush(self):
            pass

        def close(self):
            pass

    from kerasish.callbacks import tensorboard

    monkeypatch.setattr(tensorboard, "_summary_writer_class", lambda: FakeWriter)
    x, y = tiny_data()
    cb = callbacks.TensorBoard(log_dir=str(tmp_path), histogram_freq=1, write_graph=False)  # graph: test_tensorboard.py
    tiny_model(lr=0.01).fit(x, y, epochs=1, validation_split=0.25, verbose=0, callbacks=[cb])
    tags = {(w[0], w[1], w[-1]) for w in written}
    assert ("train", "epoch_loss", 0) in tags and ("validation", "epoch_loss", 0) in tags
    assert ("train", "epoch_learning_rate", 0) in tags and ("train", "hist", 0) in tags
