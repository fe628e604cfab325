"""/healthz, /readyz and /metrics: in-process through Starlette's client, and served by `uwagi run`."""

from __future__ import annotations

import socket
import time
import urllib.request

from starlette.testclient import TestClient

from intake.health import create_app
from intake.jobs import open_context
from tests.conftest import Installation, config_text
from tests.test_daemon import NO_EMBEDDINGS, start_daemon, stop


def test_health_ready_and_metrics(install: Installation) -> None:
    install.run("init", check=True)
    install.run("poll", "--once", "--stages", "parse", check=True)
    ctx = open_context(install.settings())
    client = TestClient(create_app(ctx))
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["database"]["ok"] and ready.json()["mailbox"]["ok"]
    text = client.get("/metrics").text
    kept = len(list((install.root / "inbox" / "new").iterdir()))
    assert f"uwagi_messages_kept_total {kept}.0" in text
    assert f"uwagi_queue_depth {kept}.0" in text and "uwagi_messages_held 0.0" in text  # parsed, not processed
    assert 'uwagi_fetch_lag_seconds{source="maildir:' in text
    assert "uwagi_acknowledgements_sent_total " in text  # this process's counter (other tests may have sent)
    assert "uwagi_acknowledgements_sent_stored_total 0.0" in text and "uwagi_outbox_failed 0.0" in text
    for sub in ("cur", "new", "tmp"):
        (install.root / "inbox" / sub).rename(install.root / f"gone-{sub}")
    client = TestClient(create_app(ctx))  # a fresh probe (results are cached for a few seconds)
    assert client.get("/readyz").status_code == 503
    ctx.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_daemon_serves_health_on_the_review_port(install: Installation) -> None:
    port = free_port()
    install.write_config(config_text(install.database_url, extra=NO_EMBEDDINGS + f"\n[review]\nport = {port}\n"))
    install.run("init", check=True)
    daemon = start_daemon(install)
    try:
        deadline, body = time.monotonic() + 60, ""
        while time.monotonic() < deadline and not body:
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read().decode()
            except OSError:
                time.sleep(0.3)
        assert body == "ok\n"
    finally:
        assert stop(daemon) == 0
