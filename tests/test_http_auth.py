# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""Who may do what, over real HTTP: OpenID Connect bearer tokens checked against the municipality's
keys (signature, issuer, audience, expiry), the roles, the trusted proxy that proves itself, and the
decider stored being the authenticated person. Keys and tokens are made here; nothing goes to a
network beyond loopback."""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import http.client
import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from conftest import valid_case
from cryptography.hazmat.primitives.asymmetric import rsa
from http_support import Answer, running
from jwt.algorithms import RSAAlgorithm

from maatwerk import Engine
from maatwerk.http import Service

V1 = "/api/v1"
ISSUER = "https://sso.gemeente.invalid/realms/zaken"
AUDIENCE = "maatwerk"


def _jwk(key: rsa.RSAPrivateKey, kid: str) -> dict[str, Any]:
    jwk: dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update(kid=kid, use="sig", alg="RS256")
    return jwk


@pytest.fixture(scope="module")
def idp_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    """A key the identity provider never published: an attacker's."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(key: rsa.RSAPrivateKey, *, roles: tuple[str, ...] = ("caseworker",), kid: str = "k1", **claims: Any) -> str:
    now = int(time.time())
    body: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "mw-jansen",
        "iat": now,
        "exp": now + 300,
        "realm_access": {"roles": list(roles)},
    }
    body.update(claims)
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid})


def call(
    server: Service, method: str, path: str, body: Any = None, headers: list[tuple[str, str]] | None = None
) -> Answer:
    """One request; ``headers`` may name a header twice (they are sent as given)."""
    host, port = server.server_address
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        data = None if body is None else json.dumps(body).encode()
        conn.putrequest(method, path)
        sent = list(headers or [])
        if data is not None:
            sent += [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
        for name, value in sent:
            conn.putheader(name, value)
        conn.endheaders(data)
        response = conn.getresponse()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()


def bearer(value: str) -> list[tuple[str, str]]:
    return [("Authorization", f"Bearer {value}")]


@pytest.fixture(scope="module")
def service(engine: Engine, idp_key: rsa.RSAPrivateKey, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("oidc")
    (folder / "jwks.json").write_text(json.dumps({"keys": [_jwk(idp_key, "k1")]}))
    with running(
        engine,
        folder / "audit.sqlite",
        auth="oidc",
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_file=str(folder / "jwks.json"),
        roles_claim="realm_access.roles",
        role_map={"team-lead": "teamleider"},
    ) as server:
        yield server


def advise(server: Service, key: rsa.RSAPrivateKey, **claims: Any) -> Answer:
    return call(server, "POST", f"{V1}/advices", valid_case(), bearer(token(key, **claims)))


def problem(answer: Answer) -> tuple[int, str]:
    return answer.status, answer.json["code"]


# --- bearer tokens ---------------------------------------------------------------------------------


def test_without_a_token_the_api_answers_401_with_a_bearer_challenge(service: Service) -> None:
    """No Authorization header: 401 NOT_AUTHENTICATED and WWW-Authenticate: Bearer; the public
    resources (health, the OpenAPI document, the page) need no log-in."""
    answer = call(service, "POST", f"{V1}/advices", valid_case())
    assert ((401, "NOT_AUTHENTICATED"), 'Bearer realm="maatwerk"') == (
        problem(answer),
        answer.headers["www-authenticate"],
    )
    assert [200, 200, 200] == [call(service, "GET", p).status for p in (f"{V1}/health", f"{V1}/openapi.json", "/")]


def test_a_valid_caseworker_token_gets_the_advice(service: Service, idp_key: rsa.RSAPrivateKey) -> None:
    assert 200 == advise(service, idp_key).status


@pytest.mark.parametrize(
    ("claims", "says"),
    [
        ({"iss": "https://sso.elders.invalid/realms/zaken"}, "issuer"),
        ({"aud": "another-service"}, "audience"),
        ({"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}, "expired"),
        ({"kid": "k2"}, "kid"),
    ],
    ids=["wrong-issuer", "wrong-audience", "expired", "unknown-key"],
)
def test_a_token_with_a_wrong_issuer_audience_expiry_or_key_is_401(
    service: Service, idp_key: rsa.RSAPrivateKey, claims: dict[str, Any], says: str
) -> None:
    """Signed with the provider's key, but from another issuer, for another audience, expired ten
    minutes ago (past the 30 s leeway), or naming a key the provider does not publish: 401."""
    answer = advise(service, idp_key, **claims)
    assert ((401, "TOKEN_INVALID"), True) == (problem(answer), says in answer.json["detail"])
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


def test_a_token_signed_with_another_key_is_401(service: Service, other_key: rsa.RSAPrivateKey) -> None:
    """The right claims and the provider's kid, signed by a key the provider never published."""
    answer = advise(service, other_key)
    assert ((401, "TOKEN_INVALID"), True) == (problem(answer), "signature" in answer.json["detail"])


@pytest.mark.parametrize("alg", ["none", "HS256"])
def test_a_token_without_a_public_key_signature_is_401(service: Service, idp_key: rsa.RSAPrivateKey, alg: str) -> None:
    """alg none, or HS256 keyed with the public key (the classic confusion attack): refused."""
    public = RSAAlgorithm.to_jwk(idp_key.public_key()).encode()
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE, "sub": "x", "exp": now + 300, "realm_access": {"roles": ["caseworker"]}}
    if alg == "none":
        forged = jwt.encode(claims, "", algorithm="none", headers={"kid": "k1"})
    else:
        import base64
        import hashlib
        import hmac

        def b64(data: bytes) -> str:
            return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

        head = b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "k1"}).encode())
        body = b64(json.dumps(claims).encode())
        signature = b64(hmac.new(public, f"{head}.{body}".encode(), hashlib.sha256).digest())
        forged = f"{head}.{body}.{signature}"
    assert (401, "TOKEN_INVALID") == problem(call(service, "POST", f"{V1}/advices", valid_case(), bearer(forged)))


def test_two_authorization_headers_are_refused(service: Service, idp_key: rsa.RSAPrivateKey) -> None:
    answer = call(service, "POST", f"{V1}/advices", valid_case(), bearer(token(idp_key)) * 2)
    assert (400, "HEADER_DUPLICATE") == problem(answer)


@pytest.mark.parametrize(
    ("roles", "method", "path", "status"),
    [
        (("teamleider",), "POST", f"{V1}/advices", 403),
        (("auditor",), "POST", f"{V1}/advices", 403),
        ((), "POST", f"{V1}/advices", 403),
        (("caseworker",), "GET", f"{V1}/learning-report", 403),
        (("teamleider",), "GET", f"{V1}/learning-report", 200),
        (("auditor",), "GET", f"{V1}/learning-report", 200),
        (("caseworker",), "GET", f"{V1}/learning-report/export", 403),
        (("policy-team",), "GET", f"{V1}/learning-report/export", 403),
        (("teamleider",), "GET", f"{V1}/learning-report/export", 200),
        (("auditor",), "GET", f"{V1}/learning-report/export", 200),
        (("caseworker",), "GET", f"{V1}/learning-report/chart", 403),
        (("teamleider",), "GET", f"{V1}/learning-report/chart", 200),
        (("auditor",), "GET", f"{V1}/learning-report/chart", 200),
        (("caseworker",), "GET", f"{V1}/decisions/1", 403),
        (("caseworker",), "GET", f"{V1}/advices/{'a' * 64}/decisions", 403),
        (("caseworker",), "GET", f"{V1}/audit-verification", 403),
        (("teamleider",), "GET", f"{V1}/audit-verification", 403),
        (("auditor",), "GET", f"{V1}/audit-verification", 200),
        (("caseworker",), "GET", f"{V1}/packs", 200),  # the page names measures in words from it
        (("policy-team",), "GET", f"{V1}/packs", 200),
        (("team-lead",), "GET", f"{V1}/learning-report", 403),  # the token's name for it is teamleider
    ],
)
def test_each_role_may_do_its_own_work_and_nothing_else(
    service: Service, idp_key: rsa.RSAPrivateKey, roles: tuple[str, ...], method: str, path: str, status: int
) -> None:
    """caseworker: advise and decide; team lead: the learning report (its CSV and chart) and decisions;
    auditor: verify, replay and read, the learning report too; every role: the packs in use. A missing role is 403 ROLE_MISSING, located on the claim."""
    body = valid_case() if method == "POST" else None
    answer = call(service, method, path, body, bearer(token(idp_key, roles=roles)))
    assert status == answer.status
    if status == 403:
        assert ("ROLE_MISSING", ["claim:realm_access.roles"]) == (
            answer.json["code"],
            [p["name"] for p in answer.json["invalidParams"]],
        )


def test_the_decider_stored_is_the_token_s_subject_and_a_name_in_the_body_is_refused(
    service: Service, idp_key: rsa.RSAPrivateKey
) -> None:
    """A decision is recorded under the pseudonym of the token's sub; a caseworker_id in the decision
    (someone else's name) is refused, not used and not ignored; a team lead reads the decision back."""
    caseworker = bearer(token(idp_key, sub="mw-jansen"))
    case = valid_case()
    advice = call(service, "POST", f"{V1}/advices", case, caseworker).json
    decision = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    body = {"case": case, "receipt": advice["receipt"], "decision": decision}
    spoofed = {**body, "decision": {**decision, "caseworker_id": "mw-pietersen"}}
    refused = call(service, "POST", f"{V1}/decisions", spoofed, caseworker)
    created = call(service, "POST", f"{V1}/decisions", body, caseworker)
    store = service.advisor.store
    assert ((400, "DECISION_INVALID"), ["decision.caseworker_id"]) == (
        problem(refused),
        [p["name"] for p in refused.json["invalidParams"]],
    )
    assert (201, store.pseudonym("mw-jansen")) == (created.status, created.json["caseworker"])
    read = call(service, "GET", created.headers["location"], None, bearer(token(idp_key, roles=("teamleider",))))
    assert (200, created.json["hash"]) == (read.status, read.json["hash"])


class _Jwks(http.server.BaseHTTPRequestHandler):
    document = b""
    fetched = 0

    def do_GET(self) -> None:
        type(self).fetched += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.document)))
        self.end_headers()
        self.wfile.write(self.document)

    def log_message(self, *_: Any) -> None:
        pass


def test_the_keys_are_fetched_from_the_identity_provider_s_jwks_url(
    engine: Engine, idp_key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    """With --oidc-jwks-url the keys come from the provider (here a JWKS endpoint on loopback) and are
    kept: ten tokens it signed are accepted with one fetch. Tokens naming keys it never published
    (a flood of made-up kids) are 401 and make the service fetch again at most once per cool-down
    (PyJWT's 30 s), so that they cannot turn it against the provider."""
    _Jwks.document = json.dumps({"keys": [_jwk(idp_key, "k1")]}).encode()
    _Jwks.fetched = 0
    idp = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Jwks)
    threading.Thread(target=idp.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{idp.server_address[1]}/realms/zaken/protocol/openid-connect/certs"
    try:
        settings = {"auth": "oidc", "oidc_issuer": ISSUER, "oidc_audience": AUDIENCE, "oidc_jwks_url": url}
        with running(engine, tmp_path / "a.sqlite", roles_claim="realm_access.roles", **settings) as server:
            accepted = [advise(server, idp_key).status for _ in range(10)]
            after_valid = _Jwks.fetched
            made_up = [problem(advise(server, other_key, kid=f"k{n}")) for n in range(2, 12)]
    finally:
        idp.shutdown()
        idp.server_close()
    assert ([200] * 10, 1) == (accepted, after_valid)
    assert ([(401, "TOKEN_INVALID")] * 10, True) == (made_up, _Jwks.fetched <= 2)


# --- the trusted proxy -----------------------------------------------------------------------------

PROXY_SECRET = "p" * 48


@pytest.fixture(scope="module")
def proxied(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    folder = tmp_path_factory.mktemp("proxy")
    (folder / "proxy.key").write_text(PROXY_SECRET + "\n")
    with running(engine, folder / "audit.sqlite", auth="proxy", proxy_secret_file=str(folder / "proxy.key")) as server:
        yield server


def via_proxy(user: str = "mw-de-vries", roles: str = "caseworker") -> list[tuple[str, str]]:
    return [("X-Maatwerk-Proxy-Secret", PROXY_SECRET), ("X-Forwarded-User", user), ("X-Forwarded-Roles", roles)]


def test_a_request_through_the_proxy_is_served_in_the_name_it_gives(proxied: Service) -> None:
    case = valid_case()
    advice = call(proxied, "POST", f"{V1}/advices", case, via_proxy()).json
    decision = {"measure": advice["measure"]["kind"], "amount": advice["measure"]["amount"]}
    body = {"case": case, "receipt": advice["receipt"], "decision": decision}
    created = call(proxied, "POST", f"{V1}/decisions", body, via_proxy())
    assert (201, proxied.advisor.store.pseudonym("mw-de-vries")) == (created.status, created.json["caseworker"])


@pytest.mark.parametrize("secret", [None, "", "p" * 47, "q" * 48])
def test_identity_headers_without_the_proxy_s_secret_are_not_believed(proxied: Service, secret: str | None) -> None:
    """A client that reaches the service directly and names itself: 401 PROXY_NOT_PROVEN."""
    headers = [h for h in via_proxy() if h[0] != "X-Maatwerk-Proxy-Secret"]
    if secret is not None:
        headers.append(("X-Maatwerk-Proxy-Secret", secret))
    assert (401, "PROXY_NOT_PROVEN") == problem(call(proxied, "POST", f"{V1}/advices", valid_case(), headers))


@pytest.mark.parametrize("header", ["X-Forwarded-User", "X-Forwarded-Roles", "X-Maatwerk-Proxy-Secret"])
def test_an_identity_header_sent_twice_is_refused_whatever_the_copies_say(proxied: Service, header: str) -> None:
    """The documented rule for duplicate identity headers: refuse (400 HEADER_DUPLICATE). A client's
    own copy next to the proxy's must never be the one believed, whichever comes first."""
    headers = via_proxy()
    headers += [(name, value) for name, value in via_proxy(user="mw-other", roles="auditor") if name == header]
    answer = call(proxied, "POST", f"{V1}/advices", valid_case(), headers)
    assert ((400, "HEADER_DUPLICATE"), [f"header:{header}"]) == (
        problem(answer),
        [p["name"] for p in answer.json["invalidParams"]],
    )
