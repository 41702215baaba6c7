"""A threaded WSGI server for `banzu web` (Django's own, as runserver uses, without autoreload)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import web


def serve(host: str, port: int, on_ready: Callable[[str], object] | None = None) -> None:
    web.setup()
    web.migrate()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    from web.review.views.common import store

    store()  # the store's migrations run before the first request
    ipv6 = ":" in host
    server = ThreadedWSGIServer((host, port), WSGIRequestHandler, ipv6=ipv6)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    bound_host, bound_port = server.server_address[:2]
    shown = f"[{bound_host}]" if ipv6 else bound_host
    if on_ready:
        on_ready(f"http://{shown}:{bound_port}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]
