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
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli_support import assert_one_line_error, make_app, run, write

POSIX = os.name == "posix"
LINUX = sys.platform.startswith("linux")
HAS_GIT = shutil.which("git") is not None
TODAY = "repo-" + dt.date.today().isoformat()   # deadcode-<app folder>-<date>.html

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


# ---------------------------------------------------------------------------
# 2. config and baseline symlinks out of the tree are not read; errors quote little
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_config_symlink_out_of_the_tree_is_not_read(repo, home, secret):
    before = victims(home)
    (repo / ".deadcode.yml").symlink_to(secret_path(home, secret))
    for args in (["scan", "--no-cache"], ["scan", "--no-cache", "--config", ".deadcode.yml"],
                 ["explain", "Orphan", "--no-cache"]):
        proc = run(*args, cwd=repo)
        assert_one_line_error(
            proc, ".deadcode.yml: symbolic link to a file outside the repository (not followed)")
    assert victims(home) == before


def test_config_through_a_symlinked_folder_out_of_the_tree_is_not_read(repo, home):
    (repo / "conf").symlink_to(home)
    proc = run("scan", "--no-cache", "--config", "conf/prod.env", cwd=repo)
    assert_one_line_error(
        proc, "conf/prod.env: symbolic link to a file outside the repository (not followed)")


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_baseline_symlink_out_of_the_tree_is_not_read(repo, home, secret):
    (repo / ".deadcode-baseline.json").symlink_to(secret_path(home, secret))
    proc = run("scan", "--no-cache", "--baseline", ".deadcode-baseline.json", cwd=repo)
    assert_one_line_error(proc, "baseline .deadcode-baseline.json: symbolic link to a file "
                                "outside the repository (not followed)")


def test_links_inside_the_tree_are_still_followed(repo):
    write(repo, "config/deadcode.yml", "exclude: ['app/services/orphan.rb']\n")
    (repo / ".deadcode.yml").symlink_to("config/deadcode.yml")
    proc = run("scan", "--format", "json", "--no-cache", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert "class:Orphan" not in {c["id"] for c in json.loads(proc.stdout)["candidates"]}


@pytest.mark.parametrize("secret", sorted(SECRETS))
def test_a_secret_named_on_purpose_is_not_echoed(repo, home, secret):
    """The user's own --config/--baseline outside the tree is read, but an error
    about it quotes none of its content."""
    path = secret_path(home, secret)
    proc = run("scan", repo, "--no-cache", "--config", path)
    assert proc.returncode == 2 and proc.stderr.startswith(f"deadcode: error: {path}:")
    assert proc.stderr.count("\n") == 1
    no_secret_in(proc.stdout, proc.stderr)
    proc = run("scan", repo, "--no-cache", "--baseline", path)
    assert proc.returncode == 2 and proc.stderr.startswith(f"deadcode: error: baseline {path}")
    no_secret_in(proc.stdout, proc.stderr)


def test_config_errors_quote_a_short_sanitised_excerpt(repo):
    long_value = "EnvSecret" + "x" * 200
    write(repo, ".deadcode.yml", f"exclude: {long_value}\n")
    proc = run("scan", "--no-cache", cwd=repo)
    assert_one_line_error(proc, ".deadcode.yml:1: exclude must be a list, got 'EnvSecretxxxxxxxxxxxxxxx…'")
    write(repo, ".deadcode.yml", 'max_file_size: "a\\nb\\x1b[2Jc"\n')
    proc = run("scan", "--no-cache", cwd=repo)
    assert_one_line_error(
        proc, ".deadcode.yml:1: max_file_size must be a positive number of bytes, got 'a\\nb\\x1b[2Jc'")
    write(repo, ".deadcode.yml", f"{long_value}: 1\n")
    proc = run("scan", "--no-cache", cwd=repo)
    assert_one_line_error(proc, ".deadcode.yml:1: unknown key 'EnvSecretxxxxxxxxxxxxxxx…'")
    write(repo, ".deadcode-baseline.json", json.dumps({"schema_version": long_value, "entries": []}))
    proc = run("scan", "--no-cache", "--baseline", ".deadcode-baseline.json", cwd=repo)
    assert_one_line_error(proc, "baseline .deadcode-baseline.json: schema_version "
                                "'EnvSecretxxxxxxxxxxxxxxx…' is not supported (expected 1)")


def test_fifo_config_is_refused_not_waited_on(repo):
    os.mkfifo(repo / "deadcode.yml")
    start = time.monotonic()
    proc = run("scan", "--no-cache", "--config", "deadcode.yml", cwd=repo)
    assert_one_line_error(proc, "deadcode.yml: not a regular file")
    assert time.monotonic() - start < 30


# ---------------------------------------------------------------------------
# 3. a repository's own config cannot send reports outside it
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("report_dir", ["../outside", "{abs}", "reports/../../outside"])
def test_repo_config_report_dir_outside_the_repo_is_refused(repo, tmp_path, report_dir):
    outside = tmp_path / "outside"
    value = report_dir.replace("{abs}", str(outside))
    write(repo, ".deadcode.yml", f"report_dir: {value}\n")
    proc = run("scan", "--format", "html", "--no-cache", cwd=repo)
    shown = value if len(value) <= 24 else value[:24] + "…"
    assert_one_line_error(proc, f".deadcode.yml:1: report_dir must be a folder inside the "
                                f"repository, got '{shown}' (write elsewhere with --output or "
                                f"--output-dir)")
    assert not outside.exists()
    # outside needs a command-line flag
    write(repo, ".deadcode.yml", "exclude: []\n")
    proc = run("scan", "--format", "html", "--no-cache", "-o", outside / "r.html", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert tree_listing(outside) == ["r.html"]


def test_repo_config_report_dir_through_a_symlink_is_refused(repo, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (repo / "tmp").symlink_to(outside)
    write(repo, ".deadcode.yml", "report_dir: tmp/deadcode\n")
    proc = run("scan", "--format", "html", "--no-cache", cwd=repo)
    assert_one_line_error(
        proc, f"cannot write tmp/deadcode/deadcode-{TODAY}.html: tmp is a symbolic link (not followed)")
    assert tree_listing(outside) == []


def test_repo_config_report_dir_inside_the_repo_still_works(repo):
    write(repo, ".deadcode.yml", "report_dir: tmp/deadcode\n")
    proc = run("scan", "--format", "html", "--no-cache", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"tmp/deadcode/deadcode-{TODAY}.html\n"
    assert (repo / "tmp" / "deadcode" / f"deadcode-{TODAY}.html").is_file()


def test_a_config_outside_the_repo_may_name_any_folder(repo, tmp_path):
    outside = tmp_path / "outside"
    cfg = tmp_path / "mine.yml"
    cfg.write_text(f"report_dir: {outside}\n")
    proc = run("scan", repo, "--format", "html", "--no-cache", "--config", cfg, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (outside / f"deadcode-{TODAY}.html").is_file()


# ---------------------------------------------------------------------------
# 5. FIFOs among git's inputs do not stall a scan; 7. a forged .git lists nothing foreign
# ---------------------------------------------------------------------------

needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}


def git(*args, cwd: Path) -> None:
    subprocess.run(["git", *map(str, args)], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def git_repo(root: Path, ignored: str = "app/services/ignored.rb") -> Path:
    """A committed repository whose .gitignore hides one source file (so a scan shows
    whether git or the walk listed the files)."""
    write(root, ".gitignore", f"/{ignored}\n")
    write(root, ignored, "class IgnoredByGit\nend\n")
    git("init", "-q", cwd=root)
    git("add", "-A", cwd=root)
    git("commit", "-q", "--no-verify", "-m", "app", cwd=root)
    return root


def scan_ids(proc) -> set[str]:
    assert proc.returncode == 0, proc.stderr
    return {c["id"] for c in json.loads(proc.stdout)["candidates"]}


WALKED = "the tree was walked instead"


@needs_git
@pytest.mark.parametrize("fifo", [".gitignore", ".git/index", ".git/info/exclude",
                                  "app/.gitignore", "excludes-file"])
def test_fifo_among_git_inputs_does_not_stall(repo, tmp_path, fifo):
    git_repo(repo)
    if fifo == "excludes-file":
        path = tmp_path / "excludes"
        git("config", "core.excludesFile", path, cwd=repo)
        shown = str(path)
    else:
        path = repo / fifo
        shown = fifo
        if fifo == "app/.gitignore":
            git("add", "-f", "app/services/orphan.rb", cwd=repo)   # app/ holds tracked files
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    start = time.monotonic()
    proc = run("scan", repo, "--format", "json", "--no-cache")
    assert time.monotonic() - start < 20
    assert "class:Orphan" in scan_ids(proc)
    assert proc.stderr == f"deadcode: git not used: {shown} is not a regular file; {WALKED}\n"


@needs_git
def test_fifo_git_finds_on_its_own_is_bounded_by_a_timeout(repo):
    """A FIFO .gitignore in an untracked folder is found only by git itself: it is
    stopped after GIT_TIMEOUT and the tree is walked."""
    from deadcode.discovery import GIT_TIMEOUT
    git_repo(repo)
    (repo / "untracked").mkdir()
    os.mkfifo(repo / "untracked" / ".gitignore")
    start = time.monotonic()
    proc = run("scan", repo, "--format", "json", "--no-cache")
    assert time.monotonic() - start < GIT_TIMEOUT + 15
    assert "class:Orphan" in scan_ids(proc)
    assert proc.stderr == (f"deadcode: git not used: `git ls-files` did not finish within "
                           f"{GIT_TIMEOUT} s (a FIFO among the files it reads?); {WALKED}\n")


@needs_git
def test_git_is_used_when_nothing_is_wrong(repo):
    git_repo(repo)
    proc = run("scan", repo, "--format", "json", "--no-cache")
    ids = scan_ids(proc)
    assert "class:Orphan" in ids and "class:IgnoredByGit" not in ids
    assert proc.stderr == ""


@needs_git
def test_core_worktree_elsewhere_lists_nothing_from_there(repo, tmp_path):
    elsewhere = tmp_path / "etc"
    write(elsewhere, "shadow_passwords.rb", "class ShadowPasswords\nend\n")
    write(elsewhere, "app/models/foreign_secret.rb", "class ForeignSecret\nend\n")
    git_repo(repo)
    git("config", "core.worktree", elsewhere, cwd=repo)
    proc = run("scan", repo, "--format", "json", "--no-cache")
    ids = scan_ids(proc)
    assert "class:Orphan" in ids and "class:IgnoredByGit" not in ids   # git, on this tree
    assert "shadow" not in proc.stdout and "foreign" not in proc.stdout.lower()
    assert proc.stderr == ""


@needs_git
def test_git_file_pointing_at_another_repository_is_not_used(repo, tmp_path):
    private = tmp_path / "private"
    write(private, "app/models/secret_plans.rb", "class SecretPlans\nend\n")
    write(private, "config/credentials_prod.yml", "x: 1\n")
    git_repo(private)
    (repo / ".git").write_text("gitdir: ../private/.git\n")
    proc = run("scan", repo, "--format", "json", "--no-cache")
    assert "class:Orphan" in scan_ids(proc)
    assert "secret_plans" not in proc.stdout and "credentials_prod" not in proc.stdout
    assert proc.stderr == (f"deadcode: git not used: .git points at a repository that is not "
                           f"this folder's; {WALKED}\n")


@needs_git
def test_linked_worktree_and_subfolder_still_use_git(repo, tmp_path):
    git_repo(repo)
    linked = tmp_path / "linked"
    git("worktree", "add", "-q", linked, cwd=repo)
    mono = tmp_path / "mono"
    make_app(mono / "shop")
    git_repo(mono, ignored="shop/app/services/ignored.rb")
    for root in (linked, mono / "shop"):
        proc = run("scan", root, "--format", "json", "--no-cache")
        ids = scan_ids(proc)
        assert "class:Orphan" in ids and "class:IgnoredByGit" not in ids, root
        assert proc.stderr == ""


# ---------------------------------------------------------------------------
# 6. a signal during a parallel scan leaves no worker behind
# ---------------------------------------------------------------------------

def _big_app(root: Path, files: int = 1500) -> Path:
    body = "".join(f"  def method_{i}(a, b)\n    Helper{i}.call(a) + b.to_s * {i}\n  end\n"
                   for i in range(120))
    for i in range(files):
        write(root, f"app/models/model_{i}.rb", f"class Model{i}\n{body}end\n")
    return root


def _children(pid: int) -> set[int]:
    out = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def big_app(tmp_path_factory):
    return _big_app(tmp_path_factory.mktemp("big") / "app")


@pytest.mark.skipif(not LINUX, reason="reads /proc to find the workers")
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"])
def test_signal_during_a_parallel_scan_leaves_no_worker(big_app, sig):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("DEADCODE_DEBUG", None)
    proc = subprocess.Popen([sys.executable, "-m", "deadcode", "scan", str(big_app), "--jobs", "2",
                             "--no-cache", "--format", "json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env,
                            # a shell's background job ignores SIGINT; Python then would too
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the scan never started its workers"
        time.sleep(0.3)
        proc.send_signal(getattr(signal, sig))
        out, err = proc.communicate(timeout=20)   # EOF: nothing holds stdout any more
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:   # never leave them to the next test
        os.kill(w, signal.SIGKILL)
    assert not left, "workers outlived the scan"
    assert out == b""
    if sig == "SIGKILL":
        assert proc.returncode == -signal.SIGKILL
    elif sig == "SIGINT":
        assert (proc.returncode, err) == (130, b"\ndeadcode: interrupted\n")   # click ends the ^C line
    else:
        number = getattr(signal, sig)
        assert (proc.returncode, err) == (128 + number, f"deadcode: interrupted ({sig})\n".encode())


def test_output_to_dev_null_is_written_in_place(tmp_path):
    # a character device outside the repo is written as it is, never replaced
    import subprocess
    import sys
    app = tmp_path / "app"
    (app / "app" / "services").mkdir(parents=True)
    (app / "app" / "services" / "a.rb").write_text("class A\nend\n")
    before = os.stat("/dev/null")
    proc = subprocess.run([sys.executable, "-m", "deadcode", "scan", str(app), "--no-cache", "-q",
                           "--format", "json", "-o", "/dev/null"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
