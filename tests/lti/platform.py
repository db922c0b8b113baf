"""A pretend LTI 1.3 platform for the tests: its own RSA key, and an HTTP server on 127.0.0.1
serving what a real platform serves to a tool: its JWKS, an OAuth2 token endpoint (which checks
the tool's signed client assertion against the tool's published JWKS), AGS score endpoints and an
NRPS membership list. It records every request, and can be told to fail the next score posts."""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from quizzes.lti import claims as c

MEMBERSHIP = "http://purl.imsglobal.org/vocab/lis/v2/membership#"


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakePlatform:
    def __init__(self, *, client_id: str = "kzl-client", deployment_id: str = "dep-1"):
        self.key, self.kid = rsa_key(), f"platform-{uuid.uuid4().hex[:8]}"
        self.client_id, self.deployment_id = client_id, deployment_id
        self.requests: list[dict] = []
        self.score_failures: list[int] = []  # statuses the next score posts answer with
        self.members: list[dict] = []
        self.tool_jwks: dict | None = None  # the tool's JWKS, read from KZLearn, to check its assertions
        self.tokens: set[str] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        # The issuer is an https URL as on a real platform; the server itself is plain HTTP on localhost.
        self.issuer = f"https://platform-{self._server.server_address[1]}.example.edu"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakePlatform:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def register(self, **fields):
        """The LtiPlatform row an admin would enter for this platform."""
        from quizzes.lti.services import lti_tool_key_ensure
        from quizzes.models import LtiDeployment, LtiPlatform

        lti_tool_key_ensure()
        values = {
            "name": "Test Moodle",
            "issuer": self.issuer,
            "client_id": self.client_id,
            "auth_login_url": f"{self.base}/auth",
            "auth_token_url": f"{self.base}/token",
            "key_set_url": f"{self.base}/jwks",
        }
        platform = LtiPlatform.objects.create(**(values | fields))
        LtiDeployment.objects.create(platform=platform, deployment_id=self.deployment_id)
        return platform

    # --- what the platform signs ----------------------------------------------------------------

    @property
    def jwks(self) -> dict:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def id_token(self, claims: dict, *, key=None, kid: str | None = None) -> str:
        now = int(time.time())
        body = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, c.DEPLOYMENT_ID: self.deployment_id}
        body.update(claims)
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def launch_claims(self, *, sub: str, roles: list[str], nonce: str, message_type: str = "LtiResourceLinkRequest", **extra) -> dict:
        claims = {
            "sub": sub,
            "nonce": nonce,
            "name": f"Person {sub}",
            "given_name": "Person",
            "family_name": sub,
            "email": f"{sub}@school.example.edu",
            c.MESSAGE_TYPE: message_type,
            "https://purl.imsglobal.org/spec/lti/claim/version": "1.3.0",
            c.ROLES: roles,
            c.CONTEXT: {"id": "course-7", "label": "HIST7", "title": "History 7B"},
            c.NRPS: {"context_memberships_url": f"{self.base}/memberships", "service_versions": ["2.0"]},
        }
        if message_type == "LtiResourceLinkRequest":
            claims[c.RESOURCE_LINK] = {"id": "link-1", "title": "Quiz in the course"}
        claims.update(extra)
        return claims

    def lineitem_url(self, name: str = "1") -> str:
        return f"{self.base}/lineitems/{name}/lineitem"

    def ags_claim(self, name: str = "1") -> dict:
        return {
            c.AGS_ENDPOINT: {
                "scope": [c.AGS_SCORE_SCOPE, "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"],
                "lineitems": f"{self.base}/lineitems",
                "lineitem": self.lineitem_url(name),
            }
        }

    def scores(self) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith("/scores")]

    # --- the HTTP side --------------------------------------------------------------------------

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, body: object, content_type: str = "application/json") -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                return token in platform.tokens

            def do_GET(self):
                path = urlsplit(self.path).path
                platform.requests.append({"method": "GET", "path": path, "headers": dict(self.headers)})
                if path == "/jwks":
                    return self._send(200, platform.jwks)
                if path == "/memberships":
                    if not self._authorised():
                        return self._send(401, {"error": "no token"})
                    body = {"id": f"{platform.base}/memberships", "context": {"id": "course-7"}, "members": platform.members}
                    return self._send(200, body, "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
                return self._send(404, {"error": "not found"})

            def do_POST(self):
                path = urlsplit(self.path).path
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                record = {"method": "POST", "path": path, "headers": dict(self.headers), "body": raw}
                platform.requests.append(record)
                if path == "/token":
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                    try:
                        assertion = platform.check_assertion(form["client_assertion"])
                    except (KeyError, jwt.InvalidTokenError) as exc:
                        return self._send(400, {"error": "invalid_client", "detail": str(exc)})
                    record["assertion"], record["scope"] = assertion, form.get("scope", "")
                    token = uuid.uuid4().hex
                    platform.tokens.add(token)
                    return self._send(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": form.get("scope")})
                if path.endswith("/scores"):
                    if not self._authorised():
                        return self._send(401, {"error": "no token"})
                    if platform.score_failures:
                        status = platform.score_failures.pop(0)
                        record["answered"] = status
                        return self._send(status, {"error": f"platform says {status}"})
                    record["answered"] = 200
                    record["score"] = json.loads(raw)
                    return self._send(200, {})
                return self._send(404, {"error": "not found"})

        return Handler

    def check_assertion(self, token: str) -> dict:
        """Verify the tool's client assertion with the tool's published key, as a platform does."""
        header = jwt.get_unverified_header(token)
        key = next(k for k in (self.tool_jwks or {"keys": []})["keys"] if k["kid"] == header["kid"])
        public = RSAAlgorithm.from_jwk(json.dumps(key))
        return jwt.decode(token, public, algorithms=["RS256"], audience=f"{self.base}/token", issuer=self.client_id)


def member(user_id: str, role: str, status: str = "Active") -> dict:
    return {"user_id": user_id, "roles": [MEMBERSHIP + role], "status": status, "name": f"Member {user_id}", "email": f"{user_id}@x.edu"}


def private_pem(key) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
