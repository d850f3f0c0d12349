"""Hostile requests sent as raw bytes to a real uvicorn serving manouche."""

from __future__ import annotations

import select
import socket
import time

import pytest

pytestmark = pytest.mark.e2e

Address = tuple[str, int]


def read_response(sock: socket.socket, timeout: float = 10.0) -> bytes:
    """Read until the server closes the connection or the body is complete."""
    sock.settimeout(timeout)
    data = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length" and len(body) >= int(
                    value
                ):
                    return data
    return data


def exchange(address: Address, raw: bytes) -> bytes:
    with socket.create_connection(address, timeout=10) as sock:
        sock.sendall(raw)
        return read_response(sock)


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


def body_of(response: bytes) -> bytes:
    return response.partition(b"\r\n\r\n")[2]


def get(path: str = "/", host: str = "127.0.0.1", extra: bytes = b"") -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n".encode()
        + extra
        + b"\r\n"
    )


def assert_still_serving(address: Address) -> None:
    response = exchange(address, get())
    assert status_of(response) == 200
    assert body_of(response) == b"Hello from manouche"


def test_plain_request_is_served(server: Address) -> None:
    response = exchange(server, get())
    assert status_of(response) == 200
    assert b"x-frame-options: DENY" in response.lower().replace(b"deny", b"DENY")


def test_disallowed_host_gives_400(server: Address) -> None:
    response = exchange(server, get(host="evil.example"))
    assert status_of(response) == 400
    assert b"evil.example" not in body_of(response)
    assert_still_serving(server)


def test_two_host_headers_give_400(server: Address) -> None:
    response = exchange(server, get(extra=b"Host: evil.example\r\n"))
    assert status_of(response) == 400
    assert_still_serving(server)


def test_many_headers_give_431(server: Address) -> None:
    extra = b"".join(b"X-Filler-%d: v\r\n" % i for i in range(120))
    response = exchange(server, get(extra=extra))
    assert status_of(response) == 431
    assert body_of(response) == b"431 Request header fields too large\n"
    assert_still_serving(server)


def test_nine_kib_header_gives_431(server: Address) -> None:
    response = exchange(server, get(extra=b"X-Big: " + b"a" * 9 * 1024 + b"\r\n"))
    assert status_of(response) == 431
    assert_still_serving(server)


def test_header_name_with_underscore_is_ignored(server: Address) -> None:
    response = exchange(server, get(extra=b"X_Forwarded_Proto: https\r\n"))
    # Not taken as HTTPS (which would be a redirect or HSTS), just served.
    assert status_of(response) == 200
    assert b"strict-transport-security" not in response.lower()


def test_trace_gives_405_without_echo(server: Address) -> None:
    raw = (
        b"TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"X-Secret: echo-me\r\n\r\n"
    )
    response = exchange(server, raw)
    assert status_of(response) == 405
    assert b"echo-me" not in response


def test_invalid_utf8_in_path_gives_404(server: Address) -> None:
    response = exchange(server, get(path="/%ff%fe%fd/"))
    assert status_of(response) == 404
    assert_still_serving(server)


def test_malformed_multipart_gives_400(server: Address) -> None:
    body = b"--boundary\r\nContent-Disposition: form-data\r\n\r\nno end"
    raw = (
        b"POST /fields/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: multipart/form-data; boundary=" + b"x" * 100 + b"\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    response = exchange(server, raw)
    assert status_of(response) == 400
    assert_still_serving(server)


def test_many_form_fields_give_400_quickly(server: Address) -> None:
    body = b"&".join(b"f%d=1" % i for i in range(100_000))
    raw = (
        b"POST /fields/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    started = time.monotonic()
    response = exchange(server, raw)
    assert status_of(response) == 400
    assert time.monotonic() - started < 5
    assert_still_serving(server)


def test_declared_oversized_body_gives_413(server: Address) -> None:
    raw = (
        b"POST /body/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Length: 50000000\r\n\r\n"
    )
    with socket.create_connection(server, timeout=10) as sock:
        sock.sendall(raw + b"x" * 65536)
        response = read_response(sock)
    assert status_of(response) == 413
    assert_still_serving(server)


def test_chunked_oversized_body_gives_413_while_sending(server: Address) -> None:
    head = (
        b"POST /body/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"%x\r\n" % 65536 + b"y" * 65536 + b"\r\n"
    sent = 0
    answered = False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # A small send buffer keeps "sent" close to what the server has read.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
        sock.settimeout(10)
        sock.connect(server)
        sock.sendall(head)
        # Send up to 8 MiB (the limit is 1 MiB); the answer must come first.
        for _ in range(128):
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                answered = True
                break
            sent += len(chunk)
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                answered = True
                break
        assert answered, "no answer after 8 MiB"
        response = read_response(sock)
    if response:
        assert status_of(response) == 413
    assert_still_serving(server)


def test_body_within_the_limit_is_read(server: Address) -> None:
    body = b"z" * 200_000
    raw = (
        b"POST /body/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    response = exchange(server, raw)
    assert status_of(response) == 200
    assert body_of(response) == b"200000"
