"""Person keys: checked codici fiscali, keyed hashes, the clear code never shown."""

import os
import subprocess
import sys

import pytest

from reti.monitoring import pseudonym

CODE = "RSSMRA85T10A562S"  # an invented person's code


def test_the_key_ignores_case_and_spaces():
    assert pseudonym.person_key(" rssmra 85t10 a562s ") == pseudonym.person_key(CODE)


def test_the_key_is_a_keyed_hash(settings):
    first = pseudonym.person_key(CODE)
    assert pseudonym.is_person_key(first)
    assert CODE not in first
    settings.MONITORING_PSEUDONYM_KEY = "another secret, another installation"
    assert pseudonym.person_key(CODE) != first


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "mancante"),
        ("RSSMRA85T10A562", "lunghezza"),
        ("RSSMRA85T10A562T", "controllo"),
        ("RSSMRA85Z10A562S", "caratteri"),
        ("12345678901", "lunghezza"),  # an entity's code is not a person's
    ],
)
def test_wrong_codes_are_refused_without_echoing_them(code, reason):
    with pytest.raises(pseudonym.InvalidCodiceFiscale) as error:
        pseudonym.person_key(code)
    assert reason in str(error.value)
    assert not code or code not in str(error.value)


def test_mask_shows_only_the_ends():
    assert pseudonym.mask(CODE) == "R**************S"


def _start(tmp_path, **environ):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "RETI_LOCAL", "RETI_PSEUDONYM_KEY", "DATABASE_URL"}
    }
    clean.update(environ, RETI_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="reti.settings")
    return subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_pseudonym_key_refuses_to_start(tmp_path):
    result = _start(tmp_path, SECRET_KEY="x" * 40, ALLOWED_HOSTS="reti.example.org")
    assert result.returncode != 0
    assert "RETI_PSEUDONYM_KEY is required" in result.stderr


def test_production_with_a_pseudonym_key_starts(tmp_path):
    result = _start(
        tmp_path,
        SECRET_KEY="x" * 40,
        ALLOWED_HOSTS="reti.example.org",
        RETI_PSEUDONYM_KEY="k" * 40,
        RETI_SITE_URL="https://reti.example.org",
        DEFAULT_FROM_EMAIL="Reti <noreply@reti.example.org>",
        RETI_CACHE_URL="redis://127.0.0.1:6379/0",
        RETI_PUBLISHER_IPA="r_toscan",
        RETI_OPENDATA_EMAIL="opendata@reti.example.org",
    )
    assert result.returncode == 0, result.stderr


def test_local_run_generates_and_keeps_a_pseudonym_key(tmp_path):
    assert _start(tmp_path, RETI_LOCAL="1").returncode == 0
    key = (tmp_path / "pseudonym_key").read_text()
    assert _start(tmp_path, RETI_LOCAL="1").returncode == 0
    assert (tmp_path / "pseudonym_key").read_text() == key
