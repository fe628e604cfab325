"""A real SMTP server for tests: aiosmtpd on a free loopback port that keeps what it receives.

`behaviour` switches how it answers DATA: "accept", a reply line such as "451 4.3.0 try later" or
"550 5.1.1 no such user", or "slow" (sleeps past the client's timeout).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    behaviour: str = "accept"
    slow_seconds: float = 3.0
    received: list[Received] = field(default_factory=list)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            self.attempts += 1
        if self.behaviour == "slow":
            await asyncio.sleep(self.slow_seconds)
            return "451 4.4.2 too slow"
        if self.behaviour != "accept":
            return self.behaviour
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (it is its own CA: the client's ca_file)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "30", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class SmtpServer:
    """security: "plain", "starttls" (required before AUTH) or "tls" (implicit); with a user, AUTH is required."""

    def __init__(self, security: str = "plain", cert: tuple[Path, Path] | None = None,
                 user: str = "", password: str = "") -> None:
        self.handler = Handler()
        self.host = "127.0.0.1"
        self.port = free_port()
        self.security, self.cert = security, cert
        options: dict = {}
        if security != "plain" and cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(cert[0]), str(cert[1]))
            options = {"tls_context": context, "require_starttls": True} if security == "starttls" else {
                "ssl_context": context}
        if user:
            def check(server, session, envelope, mechanism, auth_data) -> AuthResult:
                ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                    and auth_data.password.decode() == password
                return AuthResult(success=ok, handled=False)

            # implicit TLS is invisible to aiosmtpd's auth_require_tls (it watches STARTTLS only)
            options.update(authenticator=check, auth_required=True, auth_require_tls=security == "starttls")
        self.controller = Controller(self.handler, hostname=self.host, port=self.port, decode_data=False, **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def config(self, **extra: object) -> str:
        """The [smtp] table for this server (plain on loopback)."""
        lines = [f'host = "{self.host}"', f"port = {self.port}", f'security = "{self.security}"', "timeout = 2.0"]
        if self.cert:
            lines.append(f'ca_file = "{self.cert[0]}"')
        lines += [f"{k} = {v!r}".replace("'", '"') for k, v in extra.items()]
        return "[smtp]\n" + "\n".join(lines) + "\n"
