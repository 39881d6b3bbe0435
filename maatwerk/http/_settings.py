# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The service's settings: one frozen object, from ``MAATWERK_*`` environment variables and flags.

Every field is checked when the settings are made; a value the service cannot run with raises
:class:`ConfigValueError` naming the field (`maatwerk serve` turns that into ``--field-name must be
...``, exit 2), never a service that fails on its first request or listens where it should not.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

__all__ = ["ROLES", "AuthMode", "ConfigValueError", "Role", "Settings", "is_loopback"]

AuthMode = Literal["oidc", "proxy", "local"]
Role = Literal["caseworker", "team-lead", "auditor", "policy-team"]
#: The service's roles, and what each may do (docs/how-to/run-the-service.md).
ROLES: tuple[Role, ...] = get_args(Role)

#: A header name as HTTP defines it (RFC 9110 5.1, ``token``).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", re.ASCII)
#: A host name, an IPv4 address or a bracketed IPv6 address, with an optional port.
_HOST = re.compile(r"(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?", re.ASCII)
_ORIGIN = re.compile(r"https?://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?", re.ASCII)
_CLAIM = re.compile(r"[A-Za-z0-9_:/.-]+(?:\.[A-Za-z0-9_:/-]+)*", re.ASCII)
_DAY_S = 86_400.0
#: The names a loopback service answers to when no allow-list is given.
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


class ConfigValueError(ValueError):
    """A :class:`Settings` field with a value the service cannot run with (``field`` names it)."""

    def __init__(self, field: str, rule: str, value: object) -> None:
        super().__init__(f"Settings.{field} must be {rule}, not {value!r}")
        self.field = field
        self.rule = rule


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or ``localhost``) is this machine only."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _key_url(url: str) -> bool:
    """An https URL, or an http one on loopback (a test's or a sidecar's key endpoint)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return False
    return bool(host) and (parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host)))


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigValueError(name, f"a whole number from {low:,} to {high:,}", value)


def _check_seconds(name: str, value: object, *, zero: bool) -> None:
    number = value if not isinstance(value, bool) and isinstance(value, int | float) else math.nan
    if not (number >= 0 if zero else number > 0) or not number <= _DAY_S:  # NaN fails both
        low = "0" if zero else "above 0"
        raise ConfigValueError(name, f"a number of seconds, {low} and at most {_DAY_S:,.0f}", value)


def _say_nl(message: str) -> str:
    from maatwerk._texts import say

    return say(message, "nl")


def _check_text(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ConfigValueError(name, "a text that is not empty", value)


def _check_header(name: str, value: object) -> None:
    if not (isinstance(value, str) and _HEADER_NAME.fullmatch(value)):
        raise ConfigValueError(name, "an HTTP header name such as X-Forwarded-User", value)


@dataclass(frozen=True, slots=True)
class Settings:
    """How the service listens, who may use it, and its limits. ``Settings.from_env()`` reads each
    field from ``MAATWERK_<FIELD>`` (``MAATWERK_OIDC_ISSUER``, ``MAATWERK_MAX_BODY`` ...)."""

    host: str = "127.0.0.1"
    port: int = 8080
    #: Who may use the service: ``oidc`` (bearer tokens of the municipality's identity provider),
    #: ``proxy`` (an authenticating proxy that proves itself with a shared secret) or ``local``
    #: (no log-in; loopback only, every role, for one person on their own machine).
    auth: AuthMode = "oidc"
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    #: Where the identity provider publishes its signing keys (``.../protocol/openid-connect/certs``
    #: for Keycloak), or a file holding that JWKS document (for tests and offline set-ups).
    oidc_jwks_url: str | None = None
    oidc_jwks_file: str | None = None
    oidc_algorithms: tuple[str, ...] = ("RS256", "PS256", "ES256")
    #: The claim that names the person (the decider stored, as a pseudonym).
    subject_claim: str = "sub"
    #: Where the roles are in the token, a dotted path: ``roles`` (Entra ID), ``realm_access.roles``
    #: (Keycloak realm roles), ``groups`` ...
    roles_claim: str = "roles"
    #: The value in the token (or the proxy's roles header) for each role, when it is not the
    #: role's own name: ``{"caseworker": "mw-handhaving"}``.
    role_map: Mapping[str, str] = field(default_factory=dict)
    #: Seconds of clock difference tolerated on exp, nbf and iat.
    token_leeway: float = 30.0
    #: proxy mode: the file holding the secret the proxy sends in ``proxy_secret_header``.
    proxy_secret_file: str | None = None
    proxy_secret_header: str = "X-Maatwerk-Proxy-Secret"
    proxy_user_header: str = "X-Forwarded-User"
    proxy_roles_header: str = "X-Forwarded-Roles"
    #: The host names (with or without port) requests may be addressed to; empty: the loopback
    #: names when the service listens on loopback, else it must be set.
    allowed_hosts: tuple[str, ...] = ()
    #: Origins, besides the service's own, whose pages may send state-changing requests.
    allowed_origins: tuple[str, ...] = ()
    #: Largest request body in bytes (a case is at most 1 MB; a decision wraps one).
    max_body: int = 1_100_000
    #: Seconds a client has for a whole request, from its first byte (or the connection) to the
    #: last byte of its body; then 408 (or, before the headers are in, the connection is closed).
    request_timeout: float = 10.0
    #: Largest request head (request line and headers) in bytes, and most headers (then 431).
    max_header_bytes: int = 16_384
    max_headers: int = 64
    #: Seconds an advice (or a decision's advice) may take (then 503).
    advise_timeout: float = 20.0
    #: Connections open at once, and from one client address. At either limit a new connection
    #: makes room by closing the oldest connection (of the address with the most) that is idle or
    #: still sending its request; only when every one is being answered is it refused with 503.
    max_connections: int = 256
    max_connections_per_client: int = 64
    #: Seconds an idle kept-alive connection stays open.
    keep_alive: float = 5.0
    #: Seconds a stop gives the requests in progress to finish.
    shutdown_grace: float = 5.0
    #: Default: the message catalogue's ``openapi.contact_name``.
    contact_name: str = field(default_factory=lambda: _say_nl("openapi.contact_name"))
    contact_email: str = "maatwerk@gemeente.invalid"
    contact_url: str = "https://gemeente.invalid/maatwerk"

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host.strip():
            raise ConfigValueError("host", "a host name or address (0.0.0.0 for every interface)", self.host)
        _check_int("port", self.port, 0, 65_535)
        if self.auth not in get_args(AuthMode):
            raise ConfigValueError("auth", "oidc, proxy or local", self.auth)
        if self.auth == "local" and not is_loopback(self.host):
            raise ConfigValueError(
                "host", "a loopback address (127.0.0.1, ::1, localhost) with --auth local: it has no log-in", self.host
            )
        if self.auth == "oidc":
            for name in ("oidc_issuer", "oidc_audience"):
                value = getattr(self, name)
                if not isinstance(value, str) or not value.strip():
                    raise ConfigValueError(name, "set with --auth oidc (or choose --auth proxy or local)", value)
            if (self.oidc_jwks_url is None) == (self.oidc_jwks_file is None):
                raise ConfigValueError(
                    "oidc_jwks_url", "set with --auth oidc (or else oidc_jwks_file; one of the two)", self.oidc_jwks_url
                )
            if self.oidc_jwks_url is not None and not _key_url(self.oidc_jwks_url):
                raise ConfigValueError(
                    "oidc_jwks_url", "an https:// URL (http:// only on loopback)", self.oidc_jwks_url
                )
            allowed = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
            if not self.oidc_algorithms or not set(self.oidc_algorithms) <= allowed:
                raise ConfigValueError(
                    "oidc_algorithms", f"public-key algorithms among {sorted(allowed)}", self.oidc_algorithms
                )
        if self.auth == "proxy" and not (isinstance(self.proxy_secret_file, str) and self.proxy_secret_file.strip()):
            raise ConfigValueError("proxy_secret_file", "set with --auth proxy (the proxy proves itself with it)", None)
        for name in ("subject_claim", "roles_claim"):
            if not (isinstance(getattr(self, name), str) and _CLAIM.fullmatch(getattr(self, name))):
                raise ConfigValueError(
                    name, "a claim name or a dotted path such as realm_access.roles", getattr(self, name)
                )
        if not isinstance(self.role_map, Mapping) or not all(
            k in ROLES and isinstance(v, str) and v.strip() for k, v in self.role_map.items()
        ):
            raise ConfigValueError("role_map", f"role=value pairs with roles among {', '.join(ROLES)}", self.role_map)
        _check_seconds("token_leeway", self.token_leeway, zero=True)
        for name in ("proxy_secret_header", "proxy_user_header", "proxy_roles_header"):
            _check_header(name, getattr(self, name))
        if not isinstance(self.allowed_hosts, tuple) or not all(
            isinstance(h, str) and _HOST.fullmatch(h) for h in self.allowed_hosts
        ):
            raise ConfigValueError("allowed_hosts", "host names, with or without :port", self.allowed_hosts)
        if not self.allowed_hosts and not is_loopback(self.host):
            raise ConfigValueError(
                "allowed_hosts", "set when the service listens beyond loopback (the names clients use)", ()
            )
        if not isinstance(self.allowed_origins, tuple) or not all(
            isinstance(o, str) and _ORIGIN.fullmatch(o) for o in self.allowed_origins
        ):
            raise ConfigValueError("allowed_origins", "origins such as https://zaken.gemeente.nl", self.allowed_origins)
        _check_int("max_body", self.max_body, 1, 1 << 30)
        _check_seconds("request_timeout", self.request_timeout, zero=False)
        _check_int("max_header_bytes", self.max_header_bytes, 1_024, 1 << 20)
        _check_int("max_headers", self.max_headers, 8, 1_000)
        _check_seconds("advise_timeout", self.advise_timeout, zero=False)
        _check_int("max_connections", self.max_connections, 1, 65_535)
        _check_int("max_connections_per_client", self.max_connections_per_client, 1, 65_535)
        _check_seconds("keep_alive", self.keep_alive, zero=False)
        _check_seconds("shutdown_grace", self.shutdown_grace, zero=True)
        for name in ("contact_name", "contact_email", "contact_url"):
            _check_text(name, getattr(self, name))

    @property
    def hosts(self) -> tuple[str, ...]:
        """The allowed host names, lower case (the loopback names when none are set)."""
        return tuple(h.lower() for h in (self.allowed_hosts or LOOPBACK_NAMES))

    def role_value(self, role: Role) -> str:
        """What stands for ``role`` in a token or the proxy's roles header."""
        return self.role_map.get(role, role)

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **given: Any) -> Settings:
        """Settings from ``MAATWERK_<FIELD>`` variables in ``environ``, then ``given`` (flags; a
        ``None`` is left out). Lists are comma-separated (``MAATWERK_ALLOWED_HOSTS=a.nl,b.nl``), the
        role map is ``role=value`` pairs (``MAATWERK_ROLE_MAP=caseworker=mw,auditor=acc``)."""
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            text = environ.get(f"MAATWERK_{f.name.upper()}")
            if text is not None and text.strip() != "":
                values[f.name] = _convert(f.name, text, f.default)
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)


def _convert(name: str, text: str, default: Any) -> Any:
    """An environment variable's text as the field's type (the default tells the type)."""
    text = text.strip()
    if name == "role_map":
        return parse_role_map(text, name)
    if isinstance(default, tuple):
        return tuple(part.strip() for part in text.split(",") if part.strip())
    if isinstance(default, bool):
        return text.lower() in ("1", "true", "yes")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise ConfigValueError(name, "a whole number", text) from None
    if isinstance(default, float):
        try:
            return float(text)
        except ValueError:
            raise ConfigValueError(name, "a number of seconds", text) from None
    return text


def parse_role_map(text: str, name: str = "role_map") -> dict[str, str]:
    """``caseworker=mw-handhaving,auditor=accountant`` as a mapping."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        role, sep, value = part.partition("=")
        if not sep or role.strip() not in ROLES or not value.strip():
            raise ConfigValueError(name, f"role=value pairs with roles among {', '.join(ROLES)}", text)
        out[role.strip()] = value.strip()
    return out
