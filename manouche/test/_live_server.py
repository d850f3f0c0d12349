"""LiveServerTestCase: a real HTTP server in a thread, for browser-driven tests.

Tests that drive a browser (Selenium, Playwright) or any external HTTP client
need the project served on a socket, not the in-process test client. The
server is uvicorn running the project's ASGI handler on its own event loop in
a background thread, listening on a free port chosen by the OS (``port = 0``)
unless the class says otherwise. In-memory SQLite test databases are one
connection shared by every thread, so the server sees the test's data.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any, ClassVar

from manouche.test.testcases import TransactionTestCase
from manouche.test.utils import modify_settings
from manouche.utils.functional import classproperty

__all__ = ["LiveServerTestCase", "LiveServerThread"]

# How long setUpClass waits for the server to listen before giving up.
_START_TIMEOUT = 30.0


class LiveServerThread(threading.Thread):
    """Serve the project with uvicorn until :meth:`terminate` is called."""

    def __init__(self, host: str, port: int = 0) -> None:
        super().__init__(name="manouche-live-server", daemon=True)
        self.host = host
        self.port = port
        self.is_ready = threading.Event()
        self.error: BaseException | None = None
        self._server: Any = None

    def get_handler(self) -> Any:
        """The ASGI application served (override to wrap or replace it)."""
        from manouche.core.handlers.asgi import ASGIHandler

        return ASGIHandler()

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except BaseException:
            sock.close()
            raise
        # Port 0 asks the OS for a free port: report the one it picked.
        self.port = sock.getsockname()[1]
        return sock

    def _make_server(self) -> Any:
        import uvicorn

        config = uvicorn.Config(
            self.get_handler(),
            host=self.host,
            port=self.port,
            lifespan="off",
            log_level="warning",
            access_log=False,
        )
        return uvicorn.Server(config)

    def run(self) -> None:
        sock: socket.socket | None = None
        try:
            sock = self._bind()
            self._server = self._make_server()
        except BaseException as exc:  # reported to setUpClass, not lost in the thread
            if sock is not None:
                sock.close()
            self.error = exc
            self.is_ready.set()
            return
        self.is_ready.set()
        try:
            asyncio.run(self._server.serve(sockets=[sock]))
        finally:
            sock.close()

    def terminate(self) -> None:
        """Ask the server to stop and wait for the thread to end."""
        if self._server is not None:
            self._server.should_exit = True
        if self.is_alive():
            self.join()


class LiveServerTestCase(TransactionTestCase):
    """A TransactionTestCase with the project served at ``live_server_url``.

    ``host`` and ``port`` choose the address (``port = 0``: any free port);
    ``server_thread_class`` can replace the server. The host is added to
    ALLOWED_HOSTS for the duration of the class.
    """

    host: ClassVar[str] = "localhost"
    port: ClassVar[int] = 0
    server_thread_class: ClassVar[type[LiveServerThread]] = LiveServerThread
    server_thread: ClassVar[LiveServerThread]
    _live_server_modified_settings: ClassVar[modify_settings]

    @classproperty
    def live_server_url(cls) -> str:
        """``http://host:port`` of the running server."""
        return f"http://{cls.host}:{cls.server_thread.port}"

    @classproperty
    def allowed_host(cls) -> str:
        """The host name added to ALLOWED_HOSTS while the server runs."""
        return cls.host

    @classmethod
    def _create_server_thread(cls) -> LiveServerThread:
        return cls.server_thread_class(cls.host, cls.port)

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls._live_server_modified_settings = modify_settings(
            ALLOWED_HOSTS={"append": cls.allowed_host}
        )
        cls._live_server_modified_settings.enable()
        cls.addClassCleanup(cls._live_server_modified_settings.disable)
        cls._start_server_thread()

    @classmethod
    def _start_server_thread(cls) -> None:
        cls.server_thread = cls._create_server_thread()
        cls.server_thread.start()
        cls.addClassCleanup(cls._terminate_thread)
        if not cls.server_thread.is_ready.wait(_START_TIMEOUT):
            raise RuntimeError(
                f"The live server did not start within {_START_TIMEOUT:.0f} seconds."
            )
        if cls.server_thread.error is not None:
            raise cls.server_thread.error

    @classmethod
    def _terminate_thread(cls) -> None:
        cls.server_thread.terminate()
