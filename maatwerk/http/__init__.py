# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The caseworker service: an HTTP JSON API (NL API Design Rules) and a web page, as an ASGI
application (Starlette) served by uvicorn.

Needs the ``service`` extra (``pip install 'maatwerk[service]'``); ``import maatwerk`` never imports
this package, and this package imports the framework only when one of its names is used. Start it
with ``maatwerk serve``, mount it in your own ASGI server, or from Python::

    from maatwerk import Engine
    from maatwerk.audit import Advisor, open_store
    from maatwerk.http import Service, Settings, create_app

    settings = Settings.from_env(os.environ)                   # MAATWERK_* variables
    advisor = Advisor(Engine(), open_store("audit.sqlite", create_secret=True))
    app = create_app(settings, advisor)                        # an ASGI application
    Service(settings, advisor).serve()                         # or: uvicorn, with the limits

``Service.stop()``, from another thread, stops it as `maatwerk serve` does on SIGINT or SIGTERM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from maatwerk.http._settings import ROLES, ConfigValueError, Settings

if TYPE_CHECKING:
    from maatwerk.http._app import create_app
    from maatwerk.http._openapi import API_VERSION, openapi
    from maatwerk.http._serve import Service

__all__ = ["API_VERSION", "ROLES", "ConfigValueError", "Service", "Settings", "create_app", "openapi"]

_LAZY = {
    "create_app": "maatwerk.http._app",
    "Service": "maatwerk.http._serve",
    "API_VERSION": "maatwerk.http._openapi",
    "openapi": "maatwerk.http._openapi",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'maatwerk.http' has no attribute {name!r}")
