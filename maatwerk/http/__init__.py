# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The caseworker service: an HTTP JSON API (NL API Design Rules) and a web page.

Standard library only; ``import maatwerk`` never imports this package. Start it with
``maatwerk serve`` or, from Python::

    from maatwerk import Engine
    from maatwerk.audit import Advisor, open_store
    from maatwerk.http import ServiceConfig, make_server

    server = make_server(Advisor(Engine(), open_store("audit.sqlite", create_secret=True)), ServiceConfig(port=8080))
    server.serve_forever()

``server.stop()``, from another thread, stops it as `maatwerk serve` does on SIGINT or SIGTERM.
"""

from maatwerk.http._openapi import API_VERSION, openapi
from maatwerk.http._server import Server, ServiceConfig, make_server

__all__ = ["API_VERSION", "Server", "ServiceConfig", "make_server", "openapi"]
