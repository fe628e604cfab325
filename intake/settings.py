"""config.toml -> frozen, validated settings.

Every option is declared once here with its type and default; `config.toml` documents them.
Validation errors become one line naming the key and the fix (exit code 2). Secrets never live
in the file: the config names the environment variable that holds them.
"""

from __future__ import annotations

import os
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from intake.errors import ConfigError

DEFAULT_CONFIG = Path("config.toml")
Port = Annotated[int, Field(ge=1, le=65535)]
Security = Literal["tls", "starttls", "plain"]
# A consultation's key: stored on every message and remark, typed in `--consultation KEY`.
KEY_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
ConsultationKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]
PREFIX_PATTERN = r"^[A-Z][A-Z0-9-]{0,15}$"
DEFAULT_KEY = "strategia"


def known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use e.g. 'Europe/Warsaw'") from exc
    return value


class _Section(BaseModel):
    # strict: `idle = "yes"` or `poll_interval = "60"` is a mistake to report, not a value to guess at.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Consultation(_Section):
    """One consultation: its period, prefix, report facts, catalogue and the mail that belongs to it.

    `[consultation]` is the default one (key "strategia" unless `key` says otherwise; its catalogue is
    the top-level `catalogue` unless it names its own). Further ones are `[consultations.KEY]` tables.
    """

    key: str = Field(default=DEFAULT_KEY, pattern=KEY_PATTERN)
    name: str = "Konsultacje projektu Strategii Terytorialnej Partnerstwa „Ziemia wysokomazowiecka”"
    opens: date = date(2026, 11, 13)
    closes: date = date(2026, 12, 11)
    timezone: str = "Europe/Warsaw"
    reference_prefix: str = Field(default="STR", pattern=PREFIX_PATTERN)
    office_addresses: list[str] = ["ug@klukowo.pl"]
    # What the statutory report states; set from the Partnership's uchwała and the announcement.
    office_name: str = "Urząd Gminy Klukowo"
    legal_basis: str = ("art. 6 ust. 3–6 ustawy z dnia 6 grudnia 2006 r. o zasadach prowadzenia polityki rozwoju "
                        "(Dz.U. z 2024 r. poz. 324) w związku z art. 10g ustawy z dnia 8 marca 1990 r. "
                        "o samorządzie gminnym")
    channels: list[str] = ["poczta elektroniczna (ug@klukowo.pl)"]
    anonymous_remarks: Literal["considered", "not_considered"] = "considered"
    unit_code: str = ""
    jrwa_symbol: str = ""
    # The catalogue of goals and projects ("" = the top-level `catalogue`).
    catalogue: str = ""
    # Mail to one of these addresses (To, Cc, Delivered-To, X-Original-To) belongs to this consultation.
    addresses: list[str] = []
    # Mail whose subject contains one of these (case-insensitive, e.g. "[BO]") belongs here too.
    subject_tags: list[str] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @model_validator(mode="after")
    def _closes_after_opens(self) -> Consultation:
        if self.closes < self.opens:
            raise ValueError("'closes' is before 'opens'")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def opens_at(self) -> datetime:
        """Start of the opening day in the consultation's zone."""
        return datetime.combine(self.opens, time.min, self.zone)

    @property
    def deadline(self) -> datetime:
        """End of the closing day in the consultation's zone: later remarks are late."""
        return datetime.combine(self.closes, time.max, self.zone)

    def is_open(self, moment: datetime) -> bool:
        """Received between the start of `opens` and the end of `closes` (in its own zone)."""
        return self.opens_at <= moment <= self.deadline


class ExtraConsultation(Consultation):
    """A `[consultations.KEY]` table: the same options, but what identifies it must be written down.

    A second consultation inheriting the strategy's name, dates, prefix or catalogue would silently
    mix the two, so these have no defaults. The table name is the key.
    """

    name: str
    opens: date
    closes: date
    reference_prefix: str = Field(pattern=PREFIX_PATTERN)
    catalogue: str = Field(min_length=1)


class Mailbox(_Section):
    source: Literal["imap", "maildir"] = "maildir"
    path: str = "var/inbox"
    host: str = ""
    port: Port | None = None
    security: Security = "tls"
    ca_file: str = ""
    username: str = ""
    password_env: str = "UWAGI_IMAP_PASSWORD"
    folder: str = "INBOX"
    poll_interval: int = Field(default=60, ge=5, le=86400)
    idle: bool = True
    since: date | None = None
    batch_size: int = Field(default=100, ge=1, le=5000)
    timeout: float = Field(default=30.0, gt=0, le=600)
    move_processed_to: str = ""

    @model_validator(mode="after")
    def _imap_needs_host(self) -> Mailbox:
        if self.source == "imap":
            if not self.host:
                raise ValueError("host: required when source = \"imap\"")
            if not self.username:
                raise ValueError("username: required when source = \"imap\"")
        return self

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "tls" else 143)


class Database(_Section):
    url: str = "sqlite:///var/uwagi.db"

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError("use 'sqlite:///PATH' or 'postgresql+psycopg://USER@HOST:PORT/DB'")
        return value


class Smtp(_Section):
    host: str
    port: Port = 587
    security: Security = "starttls"
    username: str = ""
    password_env: str = "UWAGI_SMTP_PASSWORD"
    sender: str = Field(default="ug@klukowo.pl", alias="from")
    sender_name: str = "Urząd Gminy Klukowo"
    ca_file: str = ""
    timeout: float = Field(default=30.0, gt=0, le=600)


class Delivery(_Section):
    """How the outbox worker sends: every `interval` seconds, retrying with a doubling delay."""

    interval: int = Field(default=30, ge=1, le=86400)
    max_attempts: int = Field(default=8, ge=1, le=100)
    retry_after: int = Field(default=60, ge=1, le=86400)
    max_retry_after: int = Field(default=6 * 3600, ge=1, le=7 * 86400)


class Paths(_Section):
    outbox: str = "var/outbox"
    models: str = "var/models"
    cache: str = "var/cache"


class Limits(_Section):
    max_message_mb: float = Field(default=25.0, gt=0)
    max_attachment_mb: float = Field(default=10.0, gt=0)
    max_mime_depth: int = Field(default=20, ge=1, le=200)
    parse_workers: int = Field(default=0, ge=0, le=64)
    max_text_chars: int = Field(default=200_000, ge=1_000, le=5_000_000)
    max_attachments: int = Field(default=50, ge=1, le=10_000)
    max_pdf_pages: int = Field(default=100, ge=1, le=100_000)
    max_unpacked_mb: float = Field(default=5.0, gt=0, le=200)
    max_remarks: int = Field(default=100, ge=1, le=10_000)
    max_classified_chars: int = Field(default=20_000, ge=500, le=1_000_000)
    stage_seconds: float = Field(default=30.0, gt=0, le=3600)
    worker_memory_mb: int = Field(default=1500, ge=100, le=65536)
    claim_seconds: float = Field(default=60.0, ge=1, le=3600)
    fetch_lease_seconds: float = Field(default=60.0, ge=1, le=3600)


class Classification(_Section):
    embeddings: bool = True
    embedding_signal: Literal["full", "fast", "fast+full"] = "fast+full"
    seed: int = 0


class Digest(_Section):
    recipients: list[str] = []
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    at: time = time(7, 30)
    timezone: str = "Europe/Warsaw"
    misfire_grace_hours: int = Field(default=6 * 24, ge=1, le=7 * 24)
    excerpts: int = Field(default=10, ge=0, le=100)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        return known_zone(value)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class Acknowledgement(_Section):
    enabled: bool = True
    max_per_sender_per_day: int = Field(default=5, ge=0)
    max_age_days: int = Field(default=7, ge=1, le=365)
    # The RODO information clause (art. 13), one item per option; Polish, shown to the resident.
    controller: str = ("Administratorem Pani/Pana danych osobowych jest Gmina Klukowo reprezentowana przez Wójta "
                       "Gminy Klukowo, ul. Mazowiecka 9, 18-214 Klukowo, ug@klukowo.pl.")
    dpo: str = "Inspektor ochrony danych: iod@klukowo.pl."
    purpose: str = ("Dane przetwarzamy w celu przeprowadzenia konsultacji społecznych projektu Strategii "
                    "Terytorialnej i rozpatrzenia zgłoszonych uwag.")
    legal_basis: str = ("Podstawa prawna: art. 6 ust. 1 lit. e RODO w związku z art. 6 ustawy o zasadach prowadzenia "
                        "polityki rozwoju oraz art. 6 ust. 1 lit. c RODO (obowiązki archiwalne).")
    recipients: str = ("Odbiorcami danych mogą być gminy Partnerstwa, Rada Partnerstwa oraz podmioty przetwarzające "
                       "dane na zlecenie Gminy; dane nie są przekazywane do państw trzecich.")
    retention: str = ("Dane przechowujemy przez okres wynikający z instrukcji kancelaryjnej i Jednolitego Rzeczowego "
                      "Wykazu Akt (co najmniej 5 lat).")
    rights: str = ("Ma Pani/Pan prawo dostępu do swoich danych, ich sprostowania, ograniczenia przetwarzania oraz "
                   "prawo wniesienia sprzeciwu. Podanie danych jest dobrowolne. Dane nie służą do "
                   "zautomatyzowanego podejmowania decyzji; każdą uwagę rozpatruje pracownik urzędu.")
    complaint: str = ("Przysługuje Pani/Panu prawo wniesienia skargi do Prezesa Urzędu Ochrony Danych Osobowych "
                      "(ul. Stawki 2, 00-193 Warszawa).")


class Review(_Section):
    host: str = "127.0.0.1"
    port: Port = 8080
    base_url: str = ""


class Retention(_Section):
    # Personal data are anonymised this many days after the consultation closes (BE5: about 5 years).
    days_after_close: int = Field(default=1826, ge=0, le=36500)
    enabled: bool = True


class Settings(_Section):
    consultation: Consultation = Consultation()
    mailbox: Mailbox = Mailbox()
    database: Database = Database()
    smtp: Smtp | None = None
    delivery: Delivery = Delivery()
    paths: Paths = Paths()
    limits: Limits = Limits()
    classification: Classification = Classification()
    digest: Digest = Digest()
    acknowledgement: Acknowledgement = Acknowledgement()
    review: Review = Review()
    retention: Retention = Retention()
    catalogue: str = "projects.toml"
    # Further consultations run by the same installation (a later plan, the budget), by key.
    consultations: dict[ConsultationKey, ExtraConsultation] = {}
    # Directory of the config file: relative paths in it are resolved against this.
    base_dir: Path = Field(default=Path("."), exclude=True)
    # The [consultations.KEY] tables with their key filled in (built once, by the validator below).
    _extras: dict[str, Consultation] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _consultations_apart(self) -> Settings:
        """Each consultation needs its own key, reference prefix and recipient addresses.

        A shared prefix would give two cases the same number; a shared address could not say whose
        mail it is. Checked here so `doctor` and every command refuse the file with one line.
        """
        everything: dict[str, Consultation] = {self.consultation.key: self.consultation}
        for key, extra in self.consultations.items():
            where = f"[consultations.{key}]"
            if "key" in extra.model_fields_set and extra.key != key:
                raise ValueError(f"{where} key: {extra.key!r} differs from the table name; remove 'key'")
            if key in everything:
                raise ValueError(f"{where}: the key {key!r} is already the key of [consultation]; rename the table")
            everything[key] = extra.model_copy(update={"key": key})
        prefixes: dict[str, str] = {}
        addresses: dict[str, str] = {}
        for key, c in everything.items():
            where = "[consultation]" if key == self.consultation.key else f"[consultations.{key}]"
            if c.reference_prefix in prefixes:
                raise ValueError(f"{where} reference_prefix: {c.reference_prefix!r} is already used by "
                                 f"consultation {prefixes[c.reference_prefix]!r}; give each consultation its own")
            prefixes[c.reference_prefix] = key
            for address in c.addresses:
                address = address.strip().lower()
                if address in addresses and addresses[address] != key:
                    raise ValueError(f"{where} addresses: {address!r} already belongs to consultation "
                                     f"{addresses[address]!r}; an address can route mail to one consultation only")
                addresses[address] = key
        self._extras = {k: c for k, c in everything.items() if k != self.consultation.key}
        return self

    @property
    def all_consultations(self) -> dict[str, Consultation]:
        """Every consultation by key, the default (`[consultation]`) first."""
        return {self.consultation.key: self.consultation, **self._extras}

    @property
    def default_key(self) -> str:
        return self.consultation.key

    def consultation_for(self, key: str | None) -> Consultation:
        """The consultation of a stored key; None (a message not assigned yet) is the default one."""
        if key is None or key == self.consultation.key:
            return self.consultation
        found = self.all_consultations.get(key)
        if found is None:
            raise ConfigError(f"consultation {key!r} is not in the config; known: "
                              f"{', '.join(self.all_consultations)}")
        return found

    def catalogue_path_of(self, key: str | None = None) -> Path:
        """A consultation's catalogue file (the default one falls back to the top-level `catalogue`)."""
        c = self.consultation_for(key)
        return self.path(c.catalogue or self.catalogue)

    def path(self, value: str) -> Path:
        """Resolve a path option relative to the config file's directory."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else self.base_dir / p

    @property
    def database_url(self) -> str:
        """SQLite paths are relative to the config file too."""
        url = self.database.url
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            rel = url.removeprefix("sqlite:///")
            return f"sqlite:///{self.path(rel)}" if rel != ":memory:" else url
        return url

    @property
    def catalogue_path(self) -> Path:
        """The default consultation's catalogue."""
        return self.catalogue_path_of(None)


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--config wins, then UWAGI_CONFIG, then ./config.toml."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("UWAGI_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def load_settings(path: Path, *, required: bool = True) -> Settings:
    """Read and validate the config; a missing optional file gives the embedded defaults."""
    try:
        exists = path.exists()  # raises, not False, inside a directory we may not enter
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    if not exists:
        if required:
            raise ConfigError(f"{path}: config file not found; run 'uwagi init' or pass --config PATH")
        return Settings(base_dir=path.parent.resolve())
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}); fix the syntax") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read the file (not UTF-8 text); save it as UTF-8") from None
    return parse_settings(data, path)


def parse_settings(data: dict[str, Any], path: Path) -> Settings:
    try:
        return Settings.model_validate({**data, "base_dir": path.parent.resolve()})
    except ValidationError as exc:
        raise ConfigError(describe_error(exc, path)) from None


def describe_error(exc: ValidationError, path: Path) -> str:
    """The first problem as one line: file, [section] key, what is wrong, how to fix it."""
    err = exc.errors()[0]
    loc = [str(part) for part in err["loc"] if not str(part).startswith(("function-", "tagged-"))]
    message = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        message = "unknown key; remove it or check its spelling against the documented options"
    elif err["type"] == "missing":
        message = "required key is missing; add it"
    elif "input" in err and err["type"] not in ("value_error",) and not isinstance(err["input"], dict):
        message = f"{message} (got {err['input']!r})"
    if loc[-1:] == ["[key]"] and len(loc) >= 2:  # the table name of [consultations.NAME]
        return (f"{path}: [{'.'.join(loc[:-1])}]: not a valid consultation key; use lower-case letters, digits, "
                "'-' or '_', starting with a letter (e.g. budzet)")
    if not loc and message.startswith("["):  # a check across sections names its own place
        return f"{path}: {message}"
    if len(loc) >= 2:
        where = f"[{'.'.join(loc[:-1])}] {loc[-1]}"
    elif len(loc) == 1:
        where = f"[{loc[0]}]" if loc[0] in Settings.model_fields and loc[0] != "catalogue" else loc[0]
    else:
        where = "(top level)"
    if message.split(":", 1)[0] in Mailbox.model_fields and len(loc) == 1:
        key, _, rest = message.partition(":")
        where, message = f"{where} {key}", rest.strip()
    return f"{path}: {where}: {message}"


def secret(env_name: str, what: str) -> str:
    """Read a secret from the environment variable the config names."""
    value = os.environ.get(env_name)
    if not value:
        raise ConfigError(f"{what}: environment variable {env_name} is not set; export it with the password")
    return value


def masked(settings: Settings) -> dict[str, Any]:
    """The effective config for display: secrets are never in it, env var names are shown."""
    from storage.db import mask_url  # lazily: settings stay light to import

    data = settings.model_dump(mode="json", by_alias=True, exclude={"base_dir"})
    data["database"]["url"] = mask_url(data["database"]["url"])  # a password written into the URL
    return data
