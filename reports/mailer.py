"""Build outgoing MIME messages and hand them to SMTP (or to .eml files when no server is configured).

Building is pure: every header value that may come from received mail goes through `clean_header`
(no CR/LF/control characters: no header injection), addresses through `Address` (which refuses
them too). Sending classifies failures into temporary (4xx, timeouts, connection trouble:
retry later) and permanent (5xx: record the reason and stop), so the worker can decide.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_MSGID = re.compile(r"^<[^<>\s\x00-\x1f\x7f]{1,250}>$")


def clean_header(value: str, limit: int = 300) -> str:
    """One line of plain text fit for a header: control characters become spaces."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:limit]


def clean_message_id(value: str | None) -> str | None:
    """A Message-ID we may echo in In-Reply-To/References, or None when it looks wrong."""
    value = (value or "").strip()
    if not value.startswith("<"):
        value = f"<{value}>"
    return value if _MSGID.match(value) else None


def new_message_id(sender: str) -> str:
    domain = sender.rpartition("@")[2] or "localhost"
    return make_msgid(idstring="uwagi", domain=clean_header(domain, 200))


def address(email: str, name: str = "") -> Address:
    """An Address object (it raises ValueError on CR/LF); the name is cleaned first."""
    local, _, domain = clean_header(email, 320).partition("@")
    if not local or not domain:
        raise ValueError(f"not an e-mail address: {email!r}")
    return Address(display_name=clean_header(name, 120), username=local, domain=domain)


@dataclass
class InlineImage:
    cid: str  # without angle brackets
    data: bytes
    subtype: str = "png"


@dataclass
class OutgoingMail:
    sender: Address
    to: list[Address]
    subject: str
    text: str
    html: str | None = None
    images: list[InlineImage] = field(default_factory=list)
    message_id: str = ""
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    auto_submitted: str | None = None  # RFC 3834: "auto-replied" for acknowledgements
    date: datetime | None = None


def build(mail: OutgoingMail) -> bytes:
    """The finished message (CRLF, UTF-8 quoted-printable bodies, encoded-word headers)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = mail.sender
    msg["To"] = mail.to
    msg["Subject"] = clean_header(mail.subject, 500)
    msg["Date"] = format_datetime(mail.date or datetime.now(UTC))
    msg["Message-ID"] = mail.message_id or new_message_id(mail.sender.addr_spec)
    if mail.in_reply_to and (reply := clean_message_id(mail.in_reply_to)):
        msg["In-Reply-To"] = reply
    refs = [r for r in (clean_message_id(x) for x in mail.references) if r]
    if refs:
        msg["References"] = " ".join(dict.fromkeys(refs[-20:]))
    if mail.auto_submitted:
        msg["Auto-Submitted"] = mail.auto_submitted
        msg["X-Auto-Response-Suppress"] = "All"  # Outlook/Exchange: no out-of-office to our reply
    msg["MIME-Version"] = "1.0"
    msg.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    if mail.html is not None:
        msg.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
        html_part = msg.get_body(("html",))
        assert html_part is not None
        for image in mail.images:
            html_part.add_related(image.data, "image", image.subtype, cid=f"<{image.cid}>",
                                  disposition="inline", filename=f"{image.cid.partition('@')[0]}.{image.subtype}")
    return msg.as_bytes()


class TemporaryFailure(Exception):
    """Try again later (4xx reply, timeout, connection refused or dropped)."""


class PermanentFailure(Exception):
    """The server refused for good (5xx): retrying will not help."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # tls | starttls | plain
    username: str = ""
    password: str = ""
    timeout: float = 30.0
    ca_file: str = ""


def tls_context(ca_file: str = "") -> ssl.SSLContext:
    """Certificates are always verified; a private CA can replace the system's."""
    return ssl.create_default_context(cafile=ca_file or None)


def connect(cfg: SmtpConfig) -> smtplib.SMTP:
    """An open, authenticated connection; failures are classified like sending failures."""
    try:
        if cfg.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                                  context=tls_context(cfg.ca_file))
        else:
            conn = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        conn.ehlo()
        if cfg.security == "starttls":
            conn.starttls(context=tls_context(cfg.ca_file))
            conn.ehlo()
        if cfg.username:
            conn.login(cfg.username, cfg.password)
    except smtplib.SMTPAuthenticationError as exc:
        raise PermanentFailure(f"SMTP login refused: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, exc.smtp_error) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"cannot connect to {cfg.host}:{cfg.port}: {exc or exc.__class__.__name__}") from None
    return conn


def send(conn: smtplib.SMTP, raw: bytes, sender: str, recipients: list[str]) -> str | None:
    """Send one message; returns a note on recipients refused while others accepted it."""
    try:
        refused = conn.sendmail(sender, recipients, raw)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        detail = "; ".join(f"{rcpt}: {code} {_text(msg)}" for rcpt, (code, msg) in exc.recipients.items())
        if all(code >= 500 for code in codes):
            raise PermanentFailure(f"all recipients refused: {detail}") from None
        raise TemporaryFailure(f"recipients refused for now: {detail}") from None
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code, exc.smtp_error) from None
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        raise TemporaryFailure(f"connection failed while sending: {exc or exc.__class__.__name__}") from None
    if refused:
        return "refused: " + "; ".join(f"{r}: {c} {_text(m)}" for r, (c, m) in refused.items())
    return None


def _classify(code: int, message: bytes | str) -> Exception:
    text = f"{code} {_text(message)}"
    return PermanentFailure(f"SMTP refused: {text}") if 500 <= code < 600 else TemporaryFailure(f"SMTP: {text}")


def _text(message: bytes | str) -> str:
    return clean_header(message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message))


def write_eml(folder: Path, name: str, raw: bytes) -> Path:
    """Atomically write `name`.eml (a crash never leaves half a file; a rerun overwrites the same name)."""
    folder.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:150]
    target = folder / f"{safe}.eml"
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".eml")
    with os.fdopen(fd, "wb") as handle:
        handle.write(raw)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    return target
