"""A hostile repository must not read, overwrite or leak anything outside itself.

Each test builds a tree in a temporary folder, plants something in it (a symlink
to a victim file outside the tree, a FIFO, a forged ``.git``, a config naming a
folder outside), runs the real CLI on it, and checks that the victim files are
byte-identical afterwards and that no secret text appears in any output.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import assert_one_line_error, make_app, run, write

POSIX = os.name == "posix"
LINUX = sys.platform.startswith("linux")
HAS_GIT = shutil.which("git") is not None
TODAY = dt.date.today().isoformat()

pytestmark = pytest.mark.skipif(not POSIX, reason="symlinks, FIFOs and signals need POSIX")

VICTIM_KEYS = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIVictimVictimVictim victim@laptop\n"
ATTACKER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAttackerAttacker evil@attacker"
SECRETS = {
    "id_ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\n"
                  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQSecretKeyBodyLineOne\n"
                  "QyNTUxOQAAACBSecretKeyBodyLineTwoXXXXXXXXXXXXXXXXXXXXXXXXXXXX\n"
                  "-----END OPENSSH PRIVATE KEY-----\n",
    ".netrc": "machine api.example.com login bob password NetrcSecretPassw0rd\n",
    "prod.env": "DATABASE_URL=postgres://app:EnvSecretPassw0rd@db/prod\nAPI_TOKEN=EnvSecretToken123\n",
}
SECRET_WORDS = ("SecretKeyBody", "NetrcSecret", "EnvSecret", "bob password")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def home(tmp_path):
    """A victim's home outside the repository: authorized_keys and secret files."""
    ssh = tmp_path / "home" / ".ssh"
    ssh.mkdir(parents=True)
    (ssh / "authorized_keys").write_text(VICTIM_KEYS)
    for name, text in SECRETS.items():
        (ssh.parent / name if name != "id_ed25519" else ssh / name).write_text(text)
    return tmp_path / "home"


def victims(home: Path) -> dict[str, str]:
    return {str(p.relative_to(home)): digest(p) for p in sorted(home.rglob("*")) if p.is_file()}


def secret_path(home: Path, name: str) -> Path:
    return home / ".ssh" / name if name == "id_ed25519" else home / name


@pytest.fixture
def repo(tmp_path):
    return make_app(tmp_path / "repo")


def no_secret_in(*texts: str) -> None:
    for text in texts:
        for word in SECRET_WORDS:
            assert word not in text, f"secret text {word!r} leaked: {text!r}"


# ---------------------------------------------------------------------------
# 1. reports are never written through a planted symlink; names cannot add lines
# ---------------------------------------------------------------------------

def test_html_report_through_a_planted_symlink_is_refused(repo, home):
    before = victims(home)
    (repo / "reports").mkdir()
    (repo / "reports" / f"deadcode-{TODAY}.html").symlink_to(home / ".ssh" / "authorized_keys")
    write(repo, f"app/models/x\n{ATTACKER_KEY}\n.rb", "class Planted\nend\n")
    proc = run("scan", "--format", "html", "--no-cache", cwd=repo)   # the README's command
    assert_one_line_error(
        proc, f"cannot write reports/deadcode-{TODAY}.html: it is a symbolic link (not followed)")
    assert victims(home) == before
    assert (repo / "reports" / f"deadcode-{TODAY}.html").is_symlink()
    assert tree_listing(repo / "reports") == [f"deadcode-{TODAY}.html"]   # no temporary file left


def test_output_dir_file_that_is_a_planted_symlink_is_refused(repo, home):
    before = victims(home)
    (repo / "out").mkdir()
    (repo / "out" / "deadcode.json").symlink_to(home / ".ssh" / "authorized_keys")
    proc = run("scan", "--format", "json", "--output-dir", "out", "--no-cache", cwd=repo)
    assert_one_line_error(proc, "cannot write out/deadcode.json: it is a symbolic link (not followed)")
    assert victims(home) == before


def test_report_folder_that_is_a_planted_symlink_is_refused(repo, home):
    before, listing = victims(home), tree_listing(home)
    (repo / "reports").symlink_to(home / ".ssh")
    proc = run("scan", "--format", "html", "--no-cache", cwd=repo)
    assert_one_line_error(
        proc, f"cannot write reports/deadcode-{TODAY}.html: reports is a symbolic link (not followed)")
    (repo / "out").symlink_to(home)
    proc = run("scan", "--format", "json", "--format", "sarif", "--output-dir", "out", "--no-cache",
               cwd=repo)
    assert_one_line_error(proc, "cannot write out/deadcode.json: out is a symbolic link (not followed)")
    assert victims(home) == before
    assert tree_listing(home) == listing


def test_output_file_that_is_a_symlink_is_refused_outside_the_repo_too(repo, home, tmp_path):
    before = victims(home)
    link = tmp_path / "report.json"
    link.symlink_to(home / ".ssh" / "authorized_keys")
    proc = run("scan", repo, "--format", "json", "-o", link, "--no-cache")
    assert_one_line_error(proc, f"cannot write {link}: it is a symbolic link (not followed)")
    proc = run("baseline", repo, "-o", link, "--no-cache")
    assert_one_line_error(proc, f"cannot write {link}: it is a symbolic link (not followed)")
    assert victims(home) == before


FORMATS = {"text": "txt", "json": "json", "html": "html", "markdown": "md", "sarif": "sarif",
           "github": "github.txt"}


def test_control_characters_in_names_never_reach_a_report_raw(repo, tmp_path):
    name = f"app/models/x\n{ATTACKER_KEY}\r\n\x1b[2J\u2028.rb"
    write(repo, name, "class Planted\nend\n")
    out = tmp_path / "out"
    args = [a for fmt in FORMATS for a in ("--format", fmt)]
    proc = run("scan", repo, *args, "--output-dir", out, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    for fmt, ext in FORMATS.items():
        text = (out / f"deadcode.{ext}").read_text(encoding="utf-8")
        for line in text.split("\n"):
            assert not line.lstrip().startswith("ssh-ed25519"), (fmt, line)
        assert not set("\r\x1b\u2028") & set(text), fmt
    report = json.loads((out / "deadcode.json").read_text(encoding="utf-8"))
    assert name in {c["file"] for c in report["candidates"]}   # JSON keeps it exactly, encoded
    html = (out / "deadcode.html").read_text(encoding="utf-8")
    assert "x\\nssh-ed25519" in html


# ---------------------------------------------------------------------------
# 4. reports are written atomically
# ---------------------------------------------------------------------------

def _limit_file_size(limit: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return preexec


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_full_disk_keeps_the_previous_report_whole(repo, tmp_path, fmt):
    out = tmp_path / "out"
    report = out / f"report.{fmt}"
    proc = run("scan", repo, "--format", fmt, "-o", report, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    good = report.read_bytes()
    assert len(good) > 2000
    write(repo, "app/models/added.rb", "class Added\nend\n")
    env = {**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DEADCODE_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "deadcode", "scan", str(repo), "--format", fmt,
                           "-o", str(report), "--no-cache"], capture_output=True, text=True,
                          env=env, timeout=120, preexec_fn=_limit_file_size(1000))
    assert_one_line_error(proc, f"cannot write {report}: File too large")
    assert report.read_bytes() == good
    assert tree_listing(out) == [f"report.{fmt}"]   # the temporary file is gone
    if fmt == "json":
        json.loads(good)
