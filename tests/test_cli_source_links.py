"""`deadcode scan --source-url TEMPLATE`: links in HTML, Markdown and SARIF (issue #13)."""

from __future__ import annotations

import json
import subprocess

import pytest

from cli_support import assert_one_line_error, make_app, run

TEMPLATE = "https://github.com/org/shop/blob/{commit}/{path}#L{line}"


def _git(cwd, *args) -> str:
    return subprocess.run(["git", "-c", "user.email=t@example.test", "-c", "user.name=t", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A git repository whose Rails app lives in the sub-folder ``shop/``."""
    root = tmp_path_factory.mktemp("links") / "repo"
    make_app(root / "shop")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "app")
    return root, _git(root, "rev-parse", "HEAD")


def test_json_records_the_template_commit_and_prefix(repo):
    root, commit = repo
    proc = run("scan", root / "shop", "--format", "json", "--no-cache", "--source-url", TEMPLATE)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["source"] == {"url": TEMPLATE, "commit": commit, "path_prefix": "shop/",
                                "repository": "https://github.com/org/shop"}
    # paths in the report stay relative to the scanned folder
    assert {c["file"] for c in report["candidates"]} >= {"app/services/orphan.rb"}
    # without the option, no key (the JSON is otherwise unchanged)
    plain = json.loads(run("scan", root / "shop", "--format", "json", "--no-cache").stdout)
    assert "source" not in plain
    assert {k: v for k, v in report.items() if k != "source"} == plain


def test_markdown_links_every_location(repo):
    root, commit = repo
    proc = run("scan", root / "shop", "--format", "markdown", "--no-cache", "--source-url", TEMPLATE)
    assert proc.returncode == 0, proc.stderr
    url = f"https://github.com/org/shop/blob/{commit}/shop/app/services/orphan.rb#L1"
    assert f"| <code>Orphan</code> | [<code>app/services/orphan.rb:1</code>]({url}) |" in proc.stdout
    spec = f"https://github.com/org/shop/blob/{commit}/shop/spec/services/tested_spec.rb#L1"
    assert f"  - [<code>spec/services/tested\\_spec.rb:1</code>]({spec}): test" in proc.stdout


def test_sarif_version_control_provenance(repo):
    root, commit = repo
    proc = run("scan", root / "shop", "--format", "sarif", "--no-cache", "--source-url", TEMPLATE)
    assert proc.returncode == 0, proc.stderr
    sarif_run = json.loads(proc.stdout)["runs"][0]
    assert sarif_run["versionControlProvenance"] == [{
        "repositoryUri": "https://github.com/org/shop", "revisionId": commit,
        "mappedTo": {"uriBaseId": "%REPOROOT%"}}]
    assert sarif_run["originalUriBaseIds"] == {
        "%SRCROOT%": {"uri": "shop/", "uriBaseId": "%REPOROOT%"}}
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_run["results"]}
    assert "app/services/orphan.rb" in uris


def test_html_rows_link_to_the_commit(repo, tmp_path):
    root, commit = repo
    out = tmp_path / "r.html"
    proc = run("scan", root / "shop", "--format", "html", "-o", out, "--no-cache",
               "--source-url", TEMPLATE)
    assert proc.returncode == 0, proc.stderr
    html = out.read_text()
    assert (f'<a class="src" href="https://github.com/org/shop/blob/{commit}/shop/app/services/'
            f'orphan.rb#L1" rel="noopener noreferrer">') in html


def test_outside_git_commit_is_head_with_a_note(tmp_path):
    app = make_app(tmp_path / "app")
    proc = run("scan", app, "--format", "sarif", "--no-cache", "--source-url", TEMPLATE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (f"deadcode: {app} is not in a git checkout with a commit: source links "
                           f"use HEAD for {{commit}}\n")
    sarif_run = json.loads(proc.stdout)["runs"][0]
    assert sarif_run["versionControlProvenance"] == [{
        "repositoryUri": "https://github.com/org/shop", "mappedTo": {"uriBaseId": "%SRCROOT%"}}]
    assert "originalUriBaseIds" not in sarif_run
    md = run("scan", app, "--format", "markdown", "--no-cache", "-q", "--source-url", TEMPLATE).stdout
    assert "(https://github.com/org/shop/blob/HEAD/app/services/orphan.rb#L1)" in md


def test_template_without_a_repository_gives_no_provenance(tmp_path):
    app = make_app(tmp_path / "app")
    proc = run("scan", app, "--format", "sarif", "--no-cache",
               "--source-url", "vscode://file/src/{path}:{line}")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""          # no {commit}: nothing to say about git
    assert "versionControlProvenance" not in json.loads(proc.stdout)["runs"][0]


@pytest.mark.parametrize("template, message", [
    ("https://x.test/{commit}/{file}#L{line}",
     "--source-url: unknown placeholder {file} (use {commit}, {path}, {line})"),
    ("https://x.test/{commit}", "--source-url: the template needs {path}"),
])
def test_bad_template_is_a_usage_error(tmp_path, template, message):
    app = make_app(tmp_path / "app")
    assert_one_line_error(run("scan", app, "--source-url", template), message)
