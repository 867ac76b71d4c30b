"""The counter service's settings (plugins/hitcount_service/settings.py): one table, one
precedence (flag > environment > settings file > default), errors that name setting and value."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hitcount_service.settings import DEFAULTS, FIELDS, ServiceSettings, SettingError, resolve

ROOT = Path(__file__).resolve().parent.parent


def test_precedence_flag_over_environment_over_file_over_default(tmp_path):
    conf = tmp_path / "hitcount.toml"
    conf.write_text('HITCOUNT_RATE_LIMIT = 100\nHITCOUNT_INITIAL_TOTAL = 5\nHITCOUNT_ONLINE_WINDOW = 60\n'
                    'HITCOUNT_TRUSTED_PROXIES = ["10.0.0.1"]\n')  # fmt: skip
    environ = {"HITCOUNT_RATE_LIMIT": "200", "HITCOUNT_INITIAL_TOTAL": "7"}
    settings = resolve({"rate_limit": "300", "online_window": None}, environ, conf)
    assert settings.rate_limit == 300  # flag over environment and file
    assert settings.initial_total == 7  # environment over file
    assert settings.online_window == 60  # file over default (a flag not given is None)
    assert settings.trusted_proxies == ("10.0.0.1",)
    assert settings.visit_retention == DEFAULTS.visit_retention == 1800  # default
    assert resolve({}, {}) == ServiceSettings()


def test_the_environment_writes_lists_with_commas():
    settings = resolve({}, {"HITCOUNT_ALLOWED_ORIGINS": "https://a.example, https://b.example"})
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ("environment", 'HITCOUNT_VISIT_RETENTION: "abc" is not a whole number of seconds (environment)'),
        ("file", 'HITCOUNT_VISIT_RETENTION: "abc" is not a whole number of seconds ({file})'),
        ("flag", 'HITCOUNT_VISIT_RETENTION: "abc" is not a whole number of seconds (command line)'),
    ],
)
def test_a_bad_value_names_the_setting_the_value_and_where_it_came_from(tmp_path, layer, message):
    conf = tmp_path / "hitcount.toml"
    conf.write_text('HITCOUNT_VISIT_RETENTION = "abc"\n' if layer == "file" else "")
    environ = {"HITCOUNT_VISIT_RETENTION": "abc"} if layer == "environment" else {}
    flags = {"visit_retention": "abc"} if layer == "flag" else {}
    with pytest.raises(SettingError) as raised:
        resolve(flags, environ, conf)
    assert str(raised.value) == message.format(file=conf)


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("HITCOUNT_RATE_LIMIT", "-1", 'HITCOUNT_RATE_LIMIT: "-1" is negative'),
        ("HITCOUNT_PAGE_DAYS_RETENTION", "1.5", 'HITCOUNT_PAGE_DAYS_RETENTION: "1.5" is not a whole number of days'),
        ("HITCOUNT_TIMEZONE", "Mars/Base", 'HITCOUNT_TIMEZONE: "Mars/Base" is not a time zone'),
        ("HITCOUNT_SQLITE_SYNCHRONOUS", "OFF", 'HITCOUNT_SQLITE_SYNCHRONOUS: "OFF" is neither NORMAL nor FULL'),
        ("HITCOUNT_ENDPOINT", "api/hits", 'HITCOUNT_ENDPOINT: "api/hits" is not a path'),
    ],
)
def test_each_kind_of_bad_value_is_refused(name, value, says):
    with pytest.raises(SettingError, match="^" + says.replace(".", r"\.")):
        resolve({}, {name: value})


def test_a_settings_file_with_an_unknown_name_or_bad_toml_is_refused(tmp_path):
    conf = tmp_path / "hitcount.toml"
    conf.write_text("HITCOUNT_RATE_LIMT = 5\n")
    with pytest.raises(SettingError, match="unknown setting HITCOUNT_RATE_LIMT"):
        resolve({}, {}, conf)
    conf.write_text("HITCOUNT_RATE_LIMIT = \n")
    with pytest.raises(SettingError, match="not TOML"):
        resolve({}, {}, conf)


def test_every_setting_has_its_meaning_and_the_projects_file_is_valid():
    assert all(row.metadata["meaning"] for row in FIELDS.values())
    assert resolve({}, {}, ROOT / "deploy" / "hitcount.toml").initial_total == 14276


def test_the_command_line_stops_on_a_bad_value_with_that_message(tmp_path):
    script = Path(sys.executable).with_name("hitcount-service")
    result = subprocess.run([str(script), "serve", "--port", "0"], cwd=tmp_path, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HITCOUNT_VISIT_RETENTION": "abc"}, timeout=60)  # fmt: skip
    assert result.returncode == 2
    assert 'HITCOUNT_VISIT_RETENTION: "abc" is not a whole number of seconds (environment)' in result.stderr
    assert "Traceback" not in result.stderr


def test_the_widget_and_the_service_agree_on_the_endpoint_and_the_manifest_name():
    from hitcount.plugin import DEFAULTS as BUILD
    from hitcount_service.manifest import NAME

    assert BUILD["HITCOUNT_ENDPOINT"] == DEFAULTS.endpoint
    assert BUILD["HITCOUNT_MANIFEST"] == NAME and DEFAULTS.manifest_file.endswith("/" + NAME)
