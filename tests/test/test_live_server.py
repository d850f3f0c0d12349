"""LiveServerTestCase: the project served on a real socket from a thread."""

# The point here is the unittest-style test case itself.
# ruff: noqa: PT009, PT027

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

from manouche.conf import settings
from manouche.http import HttpResponse
from manouche.test import LiveServerTestCase, override_settings
from manouche.test._live_server import LiveServerThread
from manouche.urls import path


def hello(request: Any) -> HttpResponse:
    return HttpResponse(f"hello {request.get_host()}")


urlpatterns = [path("hello/", hello)]


@override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=[])
class LiveServerTests(LiveServerTestCase):
    databases: Any = set()

    def test_serves_the_project_on_a_free_port(self) -> None:
        port = self.server_thread.port
        self.assertGreater(port, 0)
        self.assertEqual(self.live_server_url, f"http://localhost:{port}")
        with urllib.request.urlopen(self.live_server_url + "/hello/") as response:
            self.assertEqual(response.status, 200)
            self.assertEqual(response.read(), f"hello localhost:{port}".encode())

    def test_unknown_path_is_a_404(self) -> None:
        with self.assertRaises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(self.live_server_url + "/nope/")
        self.assertEqual(caught.exception.code, 404)

    def test_host_is_allowed_while_the_server_runs(self) -> None:
        self.assertIn("localhost", settings.ALLOWED_HOSTS)


def test_thread_reports_a_start_failure_instead_of_hanging() -> None:
    thread = LiveServerThread("256.0.0.1", 0)  # not an address: bind fails
    thread.start()
    assert thread.is_ready.wait(10)
    thread.join(10)
    assert isinstance(thread.error, OSError)
    thread.terminate()
    assert not thread.is_alive()
