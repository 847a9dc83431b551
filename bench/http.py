"""A minimal HTTP/1.1 keep-alive client for the load generator.

A general client (httpx) spends about 2 ms of CPU per request here, so at a few hundred
requests a second the generator, not the server, would set the pace. This one only
writes a request and reads a `Content-Length` response on a pooled connection.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit


class HttpError(Exception):
    """The connection failed or the answer was not HTTP/1.1 this client understands."""


class Pool:
    """Keep-alive connections to one host, at most `size` open at once."""

    def __init__(self, base_url: str, size: int = 256) -> None:
        url = urlsplit(base_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self._slots = asyncio.Semaphore(size)

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        """(status, body) of a POST with a JSON body."""
        lines = [
            f"POST {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        ]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
        async with self._slots:
            try:
                return await self._exchange(request, reuse=True)
            except _StaleConnection:
                # The server closed an idle keep-alive connection before we sent on it;
                # safe to send again: nothing reached it (and orders carry a key anyway).
                return await self._exchange(request, reuse=False)

    async def _exchange(self, request: bytes, reuse: bool) -> tuple[int, bytes]:
        reused = reuse and bool(self._idle)
        reader, writer = self._idle.pop() if reused else await self._open()
        try:
            writer.write(request)
            status, answer = await _response(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            writer.close()
            nothing = isinstance(error, asyncio.IncompleteReadError) and not error.partial
            if reused and (nothing or isinstance(error, ConnectionResetError)):
                raise _StaleConnection from error
            raise HttpError(str(error) or type(error).__name__) from error
        self._idle.append((reader, writer))
        return status, answer

    async def close(self) -> None:
        for _, writer in self._idle:
            writer.close()
        self._idle.clear()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            return await asyncio.open_connection(self.host, self.port)
        except OSError as error:
            raise HttpError(str(error)) from error


class _StaleConnection(Exception):
    """A kept-alive connection the server had closed."""


async def _response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    status = int(status_line.split(" ", 2)[1])
    length = 0
    for line in header_lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)
