"""Configuration is validated at start: one line naming the key, exit code 2."""

from __future__ import annotations

from tests.conftest import Installation, config_text


def test_unknown_key_gives_exit_code_2_and_one_line_naming_the_key(install: Installation) -> None:
    install.write_config(config_text(install.database_url, extra="[mailbox2]\nfoo = 1\n"))
    proc = install.run("poll", "--once")
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "mailbox2" in lines[0] and "unknown key" in lines[0]
    assert "Traceback" not in proc.stderr


def test_wrong_type_names_section_and_key(install: Installation) -> None:
    box = '[mailbox]\nsource = "maildir"\npath = "inbox"\npoll_interval = "often"\n'
    install.write_config(config_text(install.database_url, mailbox=box))
    proc = install.run("poll", "--once")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1
    assert "[mailbox] poll_interval" in proc.stderr


def test_imap_without_host_names_the_missing_key(install: Installation) -> None:
    box = '[mailbox]\nsource = "imap"\nusername = "ug"\n'
    install.write_config(config_text(install.database_url, mailbox=box))
    proc = install.run("doctor")
    assert proc.returncode != 0
    assert "[mailbox] host" in proc.stderr and "required" in proc.stderr


def test_missing_config_file_says_how_to_create_one(install: Installation) -> None:
    install.config.unlink()
    proc = install.run("poll", "--once")
    assert proc.returncode == 2
    assert "uwagi init" in proc.stderr


def test_invalid_toml_is_one_line(install: Installation) -> None:
    install.write_config("[mailbox\nsource = 1\n")
    proc = install.run("export")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_config_option_beats_the_environment_variable(install: Installation) -> None:
    other = install.root / "other.toml"
    other.write_text('[mailbox]\nsource = "pop3"\n', encoding="utf-8")
    proc = install.run("--config", str(other), "doctor")
    assert proc.returncode != 0 and "[mailbox] source" in proc.stderr


def test_missing_password_variable_is_named(install: Installation) -> None:
    box = ('[mailbox]\nsource = "imap"\nhost = "127.0.0.1"\nport = 1\nusername = "ug"\n'
           'password_env = "UWAGI_TEST_NO_SUCH_VAR"\n')
    install.write_config(config_text(install.database_url, mailbox=box))
    install.run("init", check=True)
    proc = install.run("poll", "--once")
    assert proc.returncode == 2 and "UWAGI_TEST_NO_SUCH_VAR" in proc.stderr


def test_shipped_config_is_valid_and_documents_every_option() -> None:
    from pathlib import Path

    from intake.settings import Settings, load_settings

    repo = Path(__file__).resolve().parents[1]
    shipped = repo / "config.toml"
    load_settings(shipped)
    text = shipped.read_text(encoding="utf-8")
    for section, field in Settings.model_fields.items():
        if section == "base_dir":
            continue
        annotation = field.annotation
        sub = getattr(annotation, "model_fields", None)
        if sub is None and section == "smtp":
            from intake.settings import Smtp

            sub = Smtp.model_fields
        if sub is None:
            assert f"{section} =" in text, section
            continue
        assert f"[{section}]" in text, section
        for name, info in sub.items():
            key = info.alias or name
            assert f"{key} =" in text, f"[{section}] {key} is not documented in config.toml"
    assert (repo / "intake" / "config.default.toml").read_text(encoding="utf-8") == text
