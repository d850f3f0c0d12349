"""serve: run the project in production under uvicorn, with worker processes.

    manouche serve --host 0.0.0.0 --port 8000 --workers 4

Proxy headers (X-Forwarded-For/-Proto) are honoured only from TRUSTED_PROXIES.
httptools parses HTTP when installed (``pip install manouche[speed]``), else h11
with a 64 KiB limit on incomplete events. SIGTERM stops accepting connections
and lets in-flight requests finish within ``--graceful-timeout`` seconds.

The same application also runs under gunicorn with uvicorn's worker class,
for process management gunicorn already does in your deployment
(``pip install manouche[production]``):

    gunicorn myproject.asgi:application -k uvicorn_worker.UvicornWorker \\
        --workers 4 --bind 0.0.0.0:8000 --graceful-timeout 30 --keep-alive 5
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

from manouche.conf import settings
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.servers import uvicorn_config

__all__ = ["Command"]


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    """Serve the project for production traffic."""

    help = "Serves the project with uvicorn worker processes, for production."
    requires_system_checks: ClassVar[Any] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to listen on (default: 127.0.0.1; 0.0.0.0 for all IPv4).",
        )
        parser.add_argument(
            "--port", type=int, default=8000, help="Port to listen on (default: 8000)."
        )
        parser.add_argument(
            "--uds", help="Listen on this Unix domain socket instead of host:port."
        )
        parser.add_argument(
            "--workers",
            type=_positive_int,
            default=None,
            help="Number of worker processes (default: the number of CPUs).",
        )
        parser.add_argument(
            "--limit-concurrency",
            type=_positive_int,
            default=None,
            help="Answer 503 beyond this many concurrent connections per worker.",
        )
        parser.add_argument(
            "--timeout-keep-alive",
            type=int,
            default=5,
            help="Close idle keep-alive connections after this many seconds.",
        )
        parser.add_argument(
            "--graceful-timeout",
            type=int,
            default=30,
            help="Seconds in-flight requests get to finish on shutdown.",
        )
        parser.add_argument(
            "--backlog", type=_positive_int, default=2048, help="Listen backlog."
        )
        parser.add_argument(
            "--no-access-log",
            action="store_false",
            dest="access_log",
            help="Don't log one line per request.",
        )
        parser.add_argument(
            "--skip-checks", action="store_true", help="Skip system checks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLOWED_HOSTS and not settings.DEBUG:
            raise CommandError("You must set settings.ALLOWED_HOSTS if DEBUG is False.")
        if not options.get("skip_checks"):
            self.check(include_deployment_checks=True)
        if settings.DEBUG:
            self.stderr.write(
                "DEBUG is on: never serve production traffic with DEBUG = True.",
                self.style.WARNING,
            )
        config = self.uvicorn_config(**options)
        where = options["uds"] or f"http://{_host(options['host'])}:{options['port']}/"
        self.stdout.write(
            f"Serving {settings.SETTINGS_MODULE or 'manouche'} at {where} with "
            f"{config.workers} worker(s). Stop with CONTROL-C or SIGTERM."
        )
        run(config)

    def uvicorn_config(self, **options: Any) -> Any:
        """Build the uvicorn Config from the options and settings."""
        import uvicorn

        if settings.SETTINGS_MODULE:
            os.environ["MANOUCHE_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        workers = options.get("workers") or os.cpu_count() or 1
        return uvicorn.Config(
            uvicorn_config.APPLICATION_FACTORY,
            host=options.get("host", "127.0.0.1"),
            port=int(options.get("port", 8000)),
            uds=options.get("uds"),
            workers=workers,
            limit_concurrency=options.get("limit_concurrency"),
            timeout_keep_alive=int(options.get("timeout_keep_alive", 5)),
            timeout_graceful_shutdown=int(options.get("graceful_timeout", 30)),
            backlog=int(options.get("backlog", 2048)),
            log_config=uvicorn_config.log_config(
                int(options.get("verbosity", 1)), bool(options.get("access_log", True))
            ),
            **uvicorn_config.base_options(),
        )


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _supervisor(multiprocess: Any, config: Any, sock: Any) -> Any:
    """Build uvicorn's worker supervisor (older releases also took ``target``)."""
    import inspect

    import uvicorn

    if "target" in inspect.signature(multiprocess).parameters:
        return multiprocess(
            config, target=uvicorn.Server(config=config).run, sockets=[sock]
        )
    return multiprocess(config, sockets=[sock])


def run(config: Any) -> None:
    """Run uvicorn: a supervisor with worker processes, or one process."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    try:
        if config.workers > 1:
            sock = config.bind_socket()
            _supervisor(Multiprocess, config, sock).run()
        else:
            server = uvicorn.Server(config)
            server.run()
            if not server.started:
                raise CommandError(
                    "The server could not start; see the messages above."
                )
    except KeyboardInterrupt:
        pass
    finally:
        if config.uds and os.path.exists(config.uds):
            os.remove(config.uds)
