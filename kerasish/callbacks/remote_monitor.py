"""`RemoteMonitor`: POST each epoch's logs to a server."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from kerasish.callbacks.callback import Callback


class RemoteMonitor(Callback):
    """Sends `{"epoch": epoch, **logs}` to `root + path` with an HTTP POST at each epoch end.

    Uses only the standard library (`urllib`), so nothing extra needs installing.

    Args:
        root: the server's root URL. Defaults to `"http://localhost:9000"`.
        path: the path appended to `root`. Defaults to `"/publish/epoch/end/"`.
        field: the form field holding the JSON-encoded logs (when `send_as_json=False`).
        headers: extra HTTP headers (a dict).
        send_as_json: send the logs as the JSON request body (`application/json`).
        timeout: seconds to wait for the server. Defaults to `10`.

    Example:

    ```python
    monitor = kerasish.callbacks.RemoteMonitor(root="http://127.0.0.1:9000")
    model.fit(x, y, callbacks=[monitor], verbose=0)
    ```
    """

    _reads_batch_logs = False

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/", field="data",
                 headers=None, send_as_json=False, timeout=10):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json
        self.timeout = timeout

    def _payload(self, epoch, logs):
        send = {"epoch": epoch}
        for k, v in (logs or {}).items():
            send[k] = v.item() if isinstance(v, (np.ndarray, np.generic)) else v
        return send

    def on_epoch_end(self, epoch, logs=None):
        send = self._payload(epoch, logs)
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(self.root + self.path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except (urllib.error.URLError, OSError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
