"""runserver: the development server, uvicorn in-process with auto-reload.

``manouche runserver [addrport]`` where addrport is a port, ``ip:port``,
``[ipv6]:port`` or ``host:port``. The app is loaded from ASGI_APPLICATION
(or the default handler) by uvicorn's factory import, so the reloader's
fresh process imports the edited code. For production, use ``serve``.
"""

from __future__ import annotations

import os
import re
import socket
import sys
from datetime import datetime
from typing import Any, ClassVar

import manouche
from manouche.conf import settings
from manouche.core.management.base import BaseCommand, CommandError, CommandParser
from manouche.core.servers import uvicorn_config

__all__ = ["Command", "naiveip_re"]

naiveip_re = re.compile(
    r"""^(?:
    (?P<addr>
        (?P<ipv4>\d{1,3}(?:\.\d{1,3}){3})            # IPv4 address
        | (?P<ipv6>\[[a-fA-F0-9:]+\])                # IPv6 address in brackets
        | (?P<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)  # host name
    ):)?(?P<port>\d+)$""",
    re.VERBOSE,
)


class Command(BaseCommand):
    """Start the development server."""

    help = "Starts a lightweight ASGI web server for development."
    requires_system_checks: ClassVar[Any] = []
    stealth_options: ClassVar[tuple[str, ...]] = ("shutdown_message",)
    suppressed_base_arguments: ClassVar[set[str]] = {"--verbosity", "--traceback"}

    default_addr = "127.0.0.1"
    default_addr_ipv6 = "::1"
    default_port = "8000"
    protocol = "http"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", help="Optional port number, or ipaddr:port"
        )
        parser.add_argument(
            "--ipv6",
            "-6",
            action="store_true",
            dest="use_ipv6",
            help="Tells manouche to use an IPv6 address.",
        )
        parser.add_argument(
            "--nothreading",
            action="store_false",
            dest="use_threading",
            help="Accepted for compatibility; sync views always run in a thread pool.",
        )
        parser.add_argument(
            "--noreload",
            action="store_false",
            dest="use_reloader",
            help="Tells manouche to NOT use the auto-reloader.",
        )
        parser.add_argument(
            "--skip-checks", action="store_true", help="Skip system checks."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not settings.ALLOWED_HOSTS:
            raise CommandError("You must set settings.ALLOWED_HOSTS if DEBUG is False.")
        self.parse_addrport(options.get("addrport"), bool(options.get("use_ipv6")))
        self.run(**options)

    def parse_addrport(self, addrport: str | None, use_ipv6: bool) -> None:
        """Set ``addr``, ``port`` and ``use_ipv6`` from the command line."""
        self.use_ipv6 = use_ipv6
        if self.use_ipv6 and not socket.has_ipv6:
            raise CommandError("Your Python does not support IPv6.")
        self._raw_ipv6 = False
        self.addr = ""
        self.port = self.default_port
        if addrport:
            match = naiveip_re.match(addrport)
            if match is None:
                raise CommandError(
                    f'"{addrport}" is not a valid port number or address:port pair.'
                )
            addr, _ipv4, ipv6, fqdn, port = match.groups()
            self.addr, self.port = addr or "", port
            if not 0 < int(self.port) < 65536:
                raise CommandError(f"{self.port!r} is not a valid port number.")
            if ipv6:
                self.addr = self.addr[1:-1]
                self.use_ipv6 = True
                self._raw_ipv6 = True
            elif self.addr and self.use_ipv6 and not fqdn:
                raise CommandError(f'"{self.addr}" is not a valid IPv6 address.')
        if not self.addr:
            self.addr = self.default_addr_ipv6 if self.use_ipv6 else self.default_addr
            self._raw_ipv6 = self.use_ipv6
        elif self.addr == "0":
            self.addr = "0.0.0.0"

    @property
    def display_url(self) -> str:
        """The URL printed at start-up."""
        host = f"[{self.addr}]" if self._raw_ipv6 else self.addr
        return f"{self.protocol}://{host}:{self.port}/"

    def run(self, **options: Any) -> None:
        """Check, print the banner, then serve until interrupted."""
        if not options.get("skip_checks"):
            self.stdout.write("Performing system checks...\n\n")
            self.check(display_num_errors=True)
        self.check_migrations()
        self.stdout.write(self.banner())
        config = self.uvicorn_config(**options)
        try:
            serve(config)
        except KeyboardInterrupt:
            pass
        shutdown_message = options.get("shutdown_message", "")
        if shutdown_message:
            self.stdout.write(shutdown_message)

    def banner(self) -> str:
        """Return the lines printed before serving."""
        now = datetime.now().strftime("%B %d, %Y - %X")
        quit_command = "CTRL-BREAK" if sys.platform == "win32" else "CONTROL-C"
        return (
            f"{now}\n"
            f"manouche version {manouche.get_version()}, using settings "
            f"{settings.SETTINGS_MODULE!r}\n"
            f"Starting ASGI server at {self.display_url}\n"
            f"Quit the server with {quit_command}.\n\n"
            + self.style.WARNING(
                "WARNING: This is a development server. Do not use it in a production "
                "setting. Use 'manouche serve' or another production ASGI server "
                "instead."
            )
        )

    def uvicorn_config(self, **options: Any) -> Any:
        """Build the uvicorn Config for this run."""
        import uvicorn

        use_reloader = bool(options.get("use_reloader", True))
        if settings.SETTINGS_MODULE:
            # The reloader's child process finds the settings through the environment.
            os.environ["MANOUCHE_SETTINGS_MODULE"] = settings.SETTINGS_MODULE
        return uvicorn.Config(
            uvicorn_config.APPLICATION_FACTORY,
            host=self.addr,
            port=int(self.port),
            reload=use_reloader,
            reload_dirs=[os.getcwd()] if use_reloader else None,
            log_config=uvicorn_config.log_config(int(options.get("verbosity", 1))),
            **uvicorn_config.base_options(),
        )


def serve(config: Any) -> None:
    """Run uvicorn with ``config``: under the reloader when it asks for one."""
    import uvicorn
    from uvicorn.supervisors import ChangeReload

    server = uvicorn.Server(config)
    if config.should_reload:
        sock = config.bind_socket()
        ChangeReload(config, target=server.run, sockets=[sock]).run()
    else:
        server.run()
    if not config.should_reload and not server.started:
        raise CommandError("The server could not start; see the messages above.")
