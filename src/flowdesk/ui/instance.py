"""One window per data folder, and screen pops from the telephony client.

The running window listens on a local socket named after its data folder. A
second ``flowdesk`` (plain, or ``flowdesk open --touchpoint …`` as a
telephony client runs it) sends one JSON line there and exits; the window
acts on it. Messages: ``{"cmd": "focus"}`` and
``{"cmd": "open", "touchpoint": "C1-G-B0102", "call_id": "…", "values": {"name": "张先生"}}``
(a screen pop, checked again by the window: see :mod:`flowdesk.screenpop`).
A line longer than :data:`MAX_LINE_BYTES` is refused whole, never cut.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

CONNECT_TIMEOUT_MS = 1500
MAX_LINE_BYTES = 65_536


def server_name(data_root: Path) -> str:
    """A socket name unique to this user and data folder (two desks' folders never clash)."""
    key = f"{getpass.getuser()}\0{Path(data_root).expanduser().resolve()}"
    return "flowdesk-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def send_to_running(data_root: Path, message: dict, timeout_ms: int = CONNECT_TIMEOUT_MS) -> bool:
    """Hand ``message`` to the window running on ``data_root``; False when none is running."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(data_root))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
    while socket.bytesToWrite() > 0:
        if not socket.waitForBytesWritten(timeout_ms):
            return False
    # wait for the window's acknowledgement, so the sender exits only once it was taken
    answer = b""
    while b"\n" not in answer and socket.waitForReadyRead(timeout_ms):
        answer += bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answer.strip() == b"ok"


class InstanceServer(QObject):
    """Listens for messages from later ``flowdesk`` starts; emits each as a dict."""

    message = Signal(dict)

    def __init__(self, data_root: Path, parent=None) -> None:
        super().__init__(parent)
        self.name = server_name(data_root)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self) -> bool:
        """Start listening; a socket left by a crashed window is removed first.

        False when another window is alive on the name: never steal its socket.
        """
        if self._server.listen(self.name):
            return True
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if probe.waitForConnected(300):
            probe.disconnectFromServer()
            return False
        QLocalServer.removeServer(self.name)
        return self._server.listen(self.name)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._drop(s))

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        while b"\n" in data:
            line, data = data.split(b"\n", 1)
            try:
                message = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                socket.write(b"bad\n")
                continue
            if isinstance(message, dict):
                socket.write(b"ok\n")
                socket.flush()
                self.message.emit(message)
            else:
                socket.write(b"bad\n")
        if len(data) <= MAX_LINE_BYTES:
            self._buffers[socket] = data
            return
        # no newline in sight: refuse the line whole, never act on a cut one
        self._buffers[socket] = b""
        socket.write(b"bad\n")
        socket.flush()
        socket.disconnectFromServer()

    def _drop(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()
