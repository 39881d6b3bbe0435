# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Who is asking: OpenID Connect bearer tokens, an authenticating proxy that proves itself, or the
local mode without log-in.

* ``oidc``: ``Authorization: Bearer <JWT>``; PyJWT checks the signature against the identity
  provider's published keys (JWKS), and the issuer, audience and expiry. The person is the
  ``subject_claim``; the roles are read from ``roles_claim`` (a dotted path).
* ``proxy``: the proxy sends the shared secret in ``proxy_secret_header`` (compared in constant
  time) with the person in ``proxy_user_header`` and the roles in ``proxy_roles_header``. A request
  that carries any of these headers twice is refused (400), whatever the copies say: a client could
  otherwise add its own copy next to the proxy's.
* ``local``: no log-in; only on loopback (checked by :class:`Settings`), every role, and the person
  is the account that started the service.
"""

from __future__ import annotations

import getpass
import hmac
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from maatwerk.errors import Problem
from maatwerk.http._settings import ROLES, Role, Settings

__all__ = ["AuthError", "Authenticator", "Principal"]


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated person and the service roles they hold."""

    subject: str
    roles: frozenset[Role]


class AuthError(Exception):
    """Not authenticated (401) or not allowed (403, 400 for a duplicated identity header)."""

    def __init__(self, status: int, code: str, detail: str, *, where: str = "header:Authorization") -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.problems = (Problem(where, code, detail),)
        self.headers: dict[str, str] = {}
        if status == 401:
            error = ' error="invalid_token"' if code == "TOKEN_INVALID" else ""
            self.headers["WWW-Authenticate"] = f'Bearer realm="maatwerk"{error}'


def _claim(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


class Authenticator:
    """Turns a request's headers into a :class:`Principal`, or raises :class:`AuthError`.

    ``fetch`` runs a blocking call (fetching the identity provider's keys) off the event loop; it is
    given by the application (its worker threads)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.mode = settings.auth
        self._jwk_client: Any = None
        self._jwk_set: Any = None
        self._proxy_secret = b""
        self.local_subject = f"local:{getpass.getuser()}"
        if self.mode == "oidc":
            import jwt

            if settings.oidc_jwks_file is not None:
                try:
                    document = json.loads(Path(settings.oidc_jwks_file).read_text(encoding="utf-8"))
                    self._jwk_set = jwt.PyJWKSet.from_dict(document)
                except (OSError, ValueError, jwt.PyJWTError) as err:
                    raise ValueError(f"cannot read the JWKS file {settings.oidc_jwks_file}: {err}") from None
            else:
                self._jwk_client = jwt.PyJWKClient(
                    str(settings.oidc_jwks_url), cache_keys=True, lifespan=600, timeout=10
                )
        elif self.mode == "proxy":
            try:
                self._proxy_secret = Path(str(settings.proxy_secret_file)).read_bytes().strip()
            except OSError as err:
                raise ValueError(f"cannot read the proxy secret {settings.proxy_secret_file}: {err.strerror}") from None
            if len(self._proxy_secret) < 32:
                raise ValueError(f"the proxy secret in {settings.proxy_secret_file} is shorter than 32 bytes")

    def _roles(self, values: Iterable[Any]) -> frozenset[Role]:
        given = {str(v) for v in values}
        return frozenset(role for role in ROLES if self.settings.role_value(role) in given)

    def authenticate(self, headers: list[tuple[bytes, bytes]], blocking: Callable[..., Any] | None = None) -> Any:
        """The principal for these request headers (raw ASGI headers). In oidc mode with a JWKS URL
        the key lookup may fetch; then this returns an awaitable made with ``blocking``."""
        if self.mode == "local":
            return Principal(self.local_subject, frozenset(ROLES))
        if self.mode == "proxy":
            return self._from_proxy(headers)
        token = self._bearer(headers)
        if self._jwk_client is not None and blocking is not None:
            return blocking(self._from_token, token)
        return self._from_token(token)

    @staticmethod
    def _only(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
        key = name.lower().encode("latin-1")
        found = [v for k, v in headers if k == key]
        if len(found) > 1:
            raise AuthError(
                400, "HEADER_DUPLICATE", f"the {name} header is sent more than once: refused", where=f"header:{name}"
            )
        return found[0].decode("latin-1") if found else None

    def _from_proxy(self, headers: list[tuple[bytes, bytes]]) -> Principal:
        s = self.settings
        secret = self._only(headers, s.proxy_secret_header)
        user = self._only(headers, s.proxy_user_header)
        roles = self._only(headers, s.proxy_roles_header)
        if secret is None or not hmac.compare_digest(secret.encode("latin-1"), self._proxy_secret):
            raise AuthError(
                401,
                "PROXY_NOT_PROVEN",
                "the request did not come through the authenticating proxy",
                where=f"header:{s.proxy_secret_header}",
            )
        if not user or not user.strip():
            raise AuthError(401, "NOT_AUTHENTICATED", "the proxy sent no user", where=f"header:{s.proxy_user_header}")
        return Principal(user.strip(), self._roles(r.strip() for r in (roles or "").split(",")))

    def _bearer(self, headers: list[tuple[bytes, bytes]]) -> str:
        value = self._only(headers, "Authorization")
        if value is None:
            raise AuthError(401, "NOT_AUTHENTICATED", "log in: send Authorization: Bearer <token>")
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError(401, "NOT_AUTHENTICATED", "the Authorization header is not a bearer token")
        return token.strip()

    def _from_token(self, token: str) -> Principal:
        import jwt

        s = self.settings
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in s.oidc_algorithms:
                raise jwt.InvalidAlgorithmError(f"algorithm {str(header.get('alg'))[:20]!r} is not accepted")
            if self._jwk_set is not None:
                kid = header.get("kid")
                keys = [k for k in self._jwk_set.keys if kid is None or k.key_id == kid]
                if not keys:
                    raise jwt.PyJWKError("no key of the identity provider has this token's kid")
                key = keys[0].key
            else:
                key = self._jwk_client.get_signing_key_from_jwt(token).key
            claims = jwt.decode(
                token,
                key,
                algorithms=list(s.oidc_algorithms),
                audience=s.oidc_audience,
                issuer=s.oidc_issuer,
                leeway=s.token_leeway,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError(401, "TOKEN_INVALID", "the token has expired") from None
        except jwt.InvalidAudienceError:
            raise AuthError(401, "TOKEN_INVALID", "the token is not meant for this service (audience)") from None
        except jwt.InvalidIssuerError:
            raise AuthError(
                401, "TOKEN_INVALID", "the token is not from the municipality's identity provider (issuer)"
            ) from None
        except jwt.InvalidSignatureError:
            raise AuthError(401, "TOKEN_INVALID", "the token's signature does not verify") from None
        except jwt.PyJWKClientConnectionError:
            raise AuthError(503, "IDP_UNREACHABLE", "the identity provider's keys cannot be fetched now") from None
        except (jwt.PyJWTError, ValueError) as err:
            raise AuthError(401, "TOKEN_INVALID", f"the token is not valid: {str(err)[:120]}") from None
        subject = _claim(claims, s.subject_claim)
        if not isinstance(subject, str) or not subject.strip():
            raise AuthError(401, "TOKEN_INVALID", f"the token has no {s.subject_claim} claim")
        raw = _claim(claims, s.roles_claim)
        values = raw if isinstance(raw, list) else ([raw] if isinstance(raw, str) else [])
        return Principal(subject.strip(), self._roles(values))


def require(principal: Principal, allowed: frozenset[Role], settings: Settings) -> None:
    """403 unless the principal holds one of ``allowed``."""
    if not principal.roles & allowed:
        names = " or ".join(sorted(settings.role_value(r) for r in allowed))
        raise AuthError(403, "ROLE_MISSING", f"this needs the role {names}", where=f"claim:{settings.roles_claim}")
