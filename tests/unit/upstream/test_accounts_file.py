from __future__ import annotations

import json
from pathlib import Path

import pytest

from suno.config import Settings
from suno.errors import SettingsError
from suno.upstream.account_config import load_account_configs

SECRET_COOKIE = "__client=very-secret-client-cookie"


def test_single_account_from_the_original_settings():
    settings = Settings(cookie=SECRET_COOKIE, session_id="sess_1", account_concurrency=4)
    [account] = load_account_configs(settings)
    assert (account.name, account.session_id, account.max_concurrency) == ("default", "sess_1", 4)
    assert account.device_id == settings.device_id
    assert SECRET_COOKIE not in repr(account)


def test_no_credentials_is_a_clear_settings_error():
    with pytest.raises(SettingsError, match="COOKIE"):
        load_account_configs(Settings())


def test_accounts_from_yaml(tmp_path: Path):
    path = tmp_path / "accounts.yaml"
    path.write_text(
        "- name: alice\n  cookie: '__client=a'\n  session_id: sess_a\n  max_concurrency: 3\n"
        "- name: bob\n  cookie: '__client=b'\n  device_id: dev-b\n"
    )
    alice, bob = load_account_configs(Settings(accounts_file=str(path), account_concurrency=7))
    assert (alice.name, alice.session_id, alice.max_concurrency) == ("alice", "sess_a", 3)
    assert (bob.name, bob.session_id, bob.device_id, bob.max_concurrency) == ("bob", "", "dev-b", 7)


def test_accounts_from_json_with_an_accounts_key(tmp_path: Path):
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps({"accounts": [{"name": "a", "cookie": "__client=a"}]}))
    [account] = load_account_configs(Settings(accounts_file=str(path)))
    assert account.name == "a"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[]", "non-empty list"),
        ("- name: a\n", r"entry 1 \('a'\): 'cookie' is missing"),
        (f"- cookie: '{SECRET_COOKIE}'\n", "entry 1: 'name' is missing"),
        (
            f"- name: a\n  cookie: '{SECRET_COOKIE}'\n- name: a\n  cookie: x\n",
            "entry 2: the name 'a' is used twice",
        ),
        (f"- name: a\n  cookie: '{SECRET_COOKIE}'\n  max_concurrency: 0\n", "max_concurrency"),
        (f"- name: a\n  cookie: '{SECRET_COOKIE}'\n  password: x\n", "unknown keys password"),
        ("- name: [unclosed\n", "not valid YAML"),
        ("- just a string\n", "entry 1: must be a mapping"),
    ],
)
def test_invalid_accounts_file_names_the_file_and_entry(tmp_path: Path, content: str, expected: str):
    path = tmp_path / "accounts.yaml"
    path.write_text(content)
    with pytest.raises(SettingsError, match=expected) as caught:
        load_account_configs(Settings(accounts_file=str(path)))
    assert "accounts.yaml" in str(caught.value)
    assert SECRET_COOKIE not in str(caught.value)


def test_missing_accounts_file(tmp_path: Path):
    with pytest.raises(SettingsError, match="cannot read it"):
        load_account_configs(Settings(accounts_file=str(tmp_path / "nope.yaml")))
