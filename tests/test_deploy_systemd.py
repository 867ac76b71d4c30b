"""deploy/hitcount.service: the counter's systemd unit.

Always: the unit is read here (a systemd unit is ini-like with repeatable keys) and its user,
state directory, restart policy and hardening are asserted, and its ExecStart uses only
options that `hitcount-service serve` has. Where `systemd-analyze` exists it also verifies
the unit and scores its exposure; CI does not need it, so that part skips without it.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNIT = ROOT / "deploy" / "hitcount.service"
SCRIPT = str(Path(sys.executable).with_name("hitcount-service"))


def parse_unit(text: str) -> dict[str, dict[str, list[str]]]:
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    current = None
    logical = ""
    for raw in text.splitlines():
        line = raw.rstrip()
        if not logical and (not line.strip() or line.lstrip().startswith(("#", ";"))):
            continue
        if line.endswith("\\"):  # continuation
            logical += line[:-1] + " "
            continue
        line, logical = logical + line, ""
        if re.fullmatch(r"\[[A-Za-z]+\]", line.strip()):
            current = line.strip()[1:-1]
            continue
        key, _, value = line.partition("=")
        assert current, f"key outside a section: {line}"
        sections[current][key.strip()].append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit():
    return parse_unit(UNIT.read_text(encoding="utf-8"))


def one(unit, key: str, section: str = "Service") -> str:
    values = unit[section].get(key)
    assert values, f"{key}= missing from [{section}]"
    return values[-1]


def test_runs_unprivileged_with_a_state_directory(unit):
    dynamic = unit["Service"].get("DynamicUser", ["no"])[-1] == "yes"
    user = unit["Service"].get("User", [""])[-1]
    assert dynamic or (user and user != "root")
    assert one(unit, "StateDirectory") == "hitcount"
    # The store comes from HITCOUNT_STORE (so /etc/thanhuy/hitcount.env can switch to Redis):
    # a --store flag would override the environment.
    assert "--store" not in one(unit, "ExecStart")
    env = dict(v.split("=", 1) for v in unit["Service"]["Environment"])
    assert env["HITCOUNT_STORE"].startswith("/var/lib/hitcount/"), "the store belongs in the state directory"
    assert unit["Service"]["EnvironmentFile"] == ["-/etc/thanhuy/hitcount.env"]


def test_restarts_on_failure(unit):
    assert one(unit, "Restart") in {"on-failure", "always"}
    assert one(unit, "WantedBy", "Install") == "multi-user.target"


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("PrivateDevices", "yes"),
        ("ProtectKernelTunables", "yes"),
        ("ProtectKernelModules", "yes"),
        ("ProtectKernelLogs", "yes"),
        ("ProtectControlGroups", "yes"),
        ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
        ("MemoryDenyWriteExecute", "yes"),
        ("LockPersonality", "yes"),
        ("CapabilityBoundingSet", ""),
        ("RestrictNamespaces", "yes"),
        ("RestrictSUIDSGID", "yes"),
    ],
)
def test_hardening(unit, key, expected):
    assert one(unit, key) == expected


def test_open_files_are_bounded(unit):
    assert 4096 <= int(one(unit, "LimitNOFILE")) <= 65536


def test_system_call_filter(unit):
    filters = unit["Service"]["SystemCallFilter"]
    assert "@system-service" in filters


def test_exec_start_matches_the_counter_cli(unit):
    argv = shlex.split(one(unit, "ExecStart"))
    assert argv[0].endswith("/.venv/bin/hitcount-service") and argv[1] == "serve"
    result = subprocess.run(
        [SCRIPT, "serve", "--help"],  # the console script `make` installs; no PYTHONPATH
        cwd="/", capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for option in (a for a in argv[2:] if a.startswith("--")):
        assert option in result.stdout, f"`hitcount-service serve` has no {option}"
    host = argv[argv.index("--host") + 1]
    assert host in {"127.0.0.1", "::1"}, "the counter listens on loopback only; nginx proxies /api/"
    port = argv[argv.index("--port") + 1]
    assert "@COUNTER@" in (ROOT / "deploy" / "nginx.conf").read_text()
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    assert f"127.0.0.1:{port}" in readme, "the README's nginx step must point at the unit's port"


def test_systemd_analyze_verify(unit, tmp_path):
    tool = shutil.which("systemd-analyze")
    if not tool:
        pytest.skip("systemd-analyze not installed (optional: the unit's keys are checked above)")
    # The unit names the server's paths; point ExecStart at this machine's console script.
    text = UNIT.read_text(encoding="utf-8")
    text = re.sub(r"ExecStart=\S+", f"ExecStart={SCRIPT}", text)
    target = tmp_path / "hitcount.service"
    target.write_text(text)
    result = subprocess.run([tool, "verify", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    security = subprocess.run([tool, "security", "--offline=yes", "--threshold=30", str(target)],
                              capture_output=True, text=True)  # fmt: skip
    if "unrecognized option" in security.stderr or "Unknown" in security.stderr:
        return  # older systemd without offline scoring
    assert security.returncode == 0, security.stdout[-2000:] + security.stderr
