"""The production HTTP server behind `fahras-web`: waitress with Fahras's limits and answers.

Sits between the network and the Flask app (web/__init__.py). Waitress parses HTTP itself and
answers some requests without ever calling the app: a request target with raw non-ASCII
bytes, a request line or headers over the size limit, a body over ``MAX_CONTENT_LENGTH``.
:class:`FahrasChannel` answers those in Fahras's own way too: the JSON envelope on API paths,
a small Arabic page elsewhere, the security headers (web/security.py) on both.

It also keeps slow or idle clients from taking every connection (:data:`SERVER_LIMITS`):

* ``connection_limit``: how many connections are served at once (waitress stops accepting
  beyond it, and the rest wait in the listen backlog), polled with ``poll()`` so that it
  is not bounded by ``select()``'s 1,024 descriptors;
* ``channel_timeout``: an idle keep-alive connection is closed after this many seconds;
* ``request_timeout`` (ours): a request whose line, headers and body have not all arrived
  this many seconds after its first byte is dropped, so a client trickling bytes
  ("slowloris") holds a connection for seconds, not for ever;
* ``max_request_header_size``: the request line and headers together.
"""

from __future__ import annotations

import html
import json
import re
import socket
import time
from collections.abc import Iterable

from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import MultiSocketServer, TcpWSGIServer
from waitress.task import ErrorTask, ThreadedTaskDispatcher

from web.security import SECURITY_HEADERS

__all__ = ["SERVER_LIMITS", "REQUEST_TIMEOUT", "FahrasChannel", "make_server"]

#: Seconds a request may take to arrive whole (line, headers, body) from its first byte.
REQUEST_TIMEOUT = 20.0

#: Waitress settings `fahras-web` runs with (README, "Serving").
SERVER_LIMITS: dict[str, int | bool] = {
    "connection_limit": 1000,
    "channel_timeout": 30,
    "cleanup_interval": 2,
    "max_request_header_size": 32 * 1024,
    "asyncore_use_poll": True,
    "backlog": 1024,
}

#: Waitress's reasons for refusing a request, in the API's terms: ``(code, message)``.
_REFUSALS = {
    400: ("bad_request", "the request is not valid HTTP; characters outside ASCII in the "
          "address must be percent-encoded (UTF-8)"),
    413: ("request_too_large", "the request body is larger than this server accepts"),
    431: ("request_too_large", "the request line and headers are larger than this server "
          "accepts"),
}
_INTERNAL = ("internal_error", "an unexpected error occurred")
#: The path of a raw request line, absolute form (``GET http://host/path``) included.
_TARGET = re.compile(rb"[A-Za-z]+ +(?:[A-Za-z][A-Za-z0-9+.-]*://[^/ ]*)?(/[^ ?#]*)")


def is_api_target(head: bytes) -> bool:
    """True when the raw start of a request (``b"GET /api/… HTTP/1.1"``) asks the API."""
    match = _TARGET.match(head)
    path = match.group(1) if match else b""
    return path in (b"/api", b"/healthz") or path.startswith(b"/api/")


def refusal_body(status: int, api: bool) -> tuple[str, bytes]:
    """``(content type, body)`` of the answer to a request waitress refused."""
    code, message = _REFUSALS.get(status, _INTERNAL)
    if api:
        document = {"ok": False, "error": {"code": code, "message": message}}
        return "application/json", json.dumps(document, ensure_ascii=False).encode()
    page = (
        '<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8">'
        f"<title>خطأ {status}</title><h1>تعذّر فهم الطلب</h1>"
        f'<p lang="en" dir="ltr">{html.escape(message)}</p></html>'
    )
    return "text/html; charset=utf-8", page.encode()


class EnvelopeErrorTask(ErrorTask):
    """Waitress's answer to a request it could not parse, in Fahras's envelope and headers."""

    def execute(self) -> None:
        error = self.request.error
        api = is_api_target(getattr(self.channel, "request_head", b""))
        content_type, body = refusal_body(error.code, api)
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", content_type))
        self.response_headers.extend(SECURITY_HEADERS.items())
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class FahrasChannel(HTTPChannel):
    """A connection: waitress's, with refusals in the envelope and a deadline per request."""

    error_task_class = EnvelopeErrorTask
    request_head = b""
    request_started = 0.0

    def received(self, data: bytes) -> bool:
        if self.request is None and data:  # the first bytes of a new request
            self.request_head = bytes(data[:64])
            self.request_started = time.monotonic()
        return super().received(data)

    def overdue(self, now: float, timeout: float) -> bool:
        """True when a request has been arriving for longer than ``timeout`` seconds."""
        return self.request is not None and now - self.request_started > timeout


class FahrasServer(TcpWSGIServer):
    """A listening socket whose connections are :class:`FahrasChannel` and whose
    housekeeping also drops requests that arrive too slowly."""

    channel_class = FahrasChannel
    request_timeout = REQUEST_TIMEOUT

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        monotonic = time.monotonic()
        for channel in list(self.active_channels.values()):
            if isinstance(channel, FahrasChannel) and channel.overdue(
                monotonic, self.request_timeout
            ):
                channel.will_close = True


def make_server(app, host: str, port: int, threads: int, *,
                request_timeout: float = REQUEST_TIMEOUT,
                sockets: list[socket.socket] | None = None, **settings):
    """A waitress server for ``app`` on ``host``:``port``, bound and ready to ``run()``, with
    :data:`SERVER_LIMITS` (``settings`` override them). Request bodies over the app's
    ``MAX_CONTENT_LENGTH`` are refused (413) by waitress before it buffers them. With
    ``sockets`` (already listening: web/workers.py), it serves those instead of binding."""
    options: dict = {**SERVER_LIMITS, **settings}
    if app.config.get("MAX_CONTENT_LENGTH") is not None:
        options.setdefault("max_request_body_size", app.config["MAX_CONTENT_LENGTH"])
    where: dict = {"sockets": sockets} if sockets else {"host": host, "port": port}
    adj = Adjustments(threads=threads, ident="fahras", **where, **options)
    dispatcher = ThreadedTaskDispatcher()
    dispatcher.set_thread_count(adj.threads)
    socket_map: dict = {}
    listening = [(sock, (sock.family, sock.type, sock.proto, sock.getsockname()))
                 for sock in adj.sockets] or [(None, info) for info in adj.listen]
    servers = [_listen(app, socket_map, dispatcher, adj, info, request_timeout, sock)
               for sock, info in listening]
    if len(servers) == 1:
        return servers[0]
    listen = [(server.effective_host, server.effective_port) for server in servers]
    return MultiSocketServer(socket_map, adj=adj, effective_listen=listen, dispatcher=dispatcher)


def _listen(app, socket_map: dict, dispatcher, adj: Adjustments, sockinfo: Iterable,
            request_timeout: float, sock: socket.socket | None) -> FahrasServer:
    server = FahrasServer(app, socket_map, True, sock, dispatcher=dispatcher, adj=adj,
                          sockinfo=sockinfo, bind_socket=sock is None)
    server.request_timeout = request_timeout
    return server
