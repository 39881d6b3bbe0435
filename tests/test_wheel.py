# SPDX-FileCopyrightText: 2026 maatwerk contributors
# SPDX-License-Identifier: EUPL-1.2
"""The wheel is the product: built from the sdist, installed into a fresh virtualenv outside the
repository, and used from an empty folder, as an integrator would after ``pip install maatwerk``.

These tests build and install (about a minute), so the unit run leaves them out (``-m "not wheel"``
in pyproject.toml); ``make test`` runs them through ``make wheel`` (``pytest -m wheel -v
tests/test_wheel.py``), on the main Python and on Python 3.13 or later where the machine has one.
"""
# ruff: noqa: SIM300  (the suite's assertion style is `assert expected == actual`)

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.wheel

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120
IGNORED = {"__pycache__", ".pytest_cache", ".hypothesis"}


@dataclass(frozen=True)
class Installed:
    """A built wheel and sdist, and a virtualenv (outside the repository) with the wheel installed."""

    wheel: Path
    sdist: Path
    bin: Path
    base: Path

    def folder(self, name: str) -> Path:
        """A new empty folder to run a command in (nothing of the repository around it)."""
        path = self.base / name
        path.mkdir()
        return path

    def run(self, *command: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """A command of the virtualenv, run in ``cwd`` with an environment that knows no checkout."""
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=WAIT,
            env=clean_env(),
            check=False,
        )


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MAATWERK_", "VIRTUAL_ENV"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), caches left out."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not IGNORED & set(p.relative_to(root).parts)
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT)
    dist = base / "dist"
    # Without --sdist/--wheel, build makes the sdist and then the wheel from the sdist: the sdist is
    # proven to be enough to build the wheel.
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(ROOT)], capture_output=True, text=True, check=False
    )
    assert 0 == done.returncode, done.stdout[-3000:] + done.stderr[-3000:]
    [wheel] = dist.glob("*.whl")
    [sdist] = dist.glob("*.tar.gz")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=WAIT)
    done = subprocess.run(
        # With the service extra, as a deployment of `maatwerk serve` installs it (it seals case data).
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[service]"],
        capture_output=True,
        text=True,
        check=False,
        env=clean_env(),
    )
    assert 0 == done.returncode, done.stderr[-3000:]
    return Installed(wheel, sdist, venv / "bin", base)


def test_the_wheel_carries_the_repositorys_packs_and_examples_byte_for_byte(installed: Installed) -> None:
    """maatwerk/_bundled/policies and /examples in the wheel are exactly the repository's policies/ and
    examples/: the same files, the same bytes (new packs and scenarios come along without a list)."""
    prefix = "maatwerk/_bundled/"
    with zipfile.ZipFile(installed.wheel) as whl:
        inside = {n[len(prefix) :]: whl.read(n) for n in whl.namelist() if n.startswith(prefix) and not n.endswith("/")}
    expected = {
        f"{name}/{rel}": data for name in ("policies", "examples") for rel, data in files_under(ROOT / name).items()
    }
    assert sorted(expected) == sorted(inside)
    assert expected == inside


def test_the_wheel_carries_the_letter_templates_fonts_and_stylesheet(installed: Installed) -> None:
    """maatwerk/letters' default templates, the PDF font and the letter's stylesheet are package data:
    in the wheel, byte for byte as in the repository."""
    prefix = "maatwerk/letters/"
    with zipfile.ZipFile(installed.wheel) as whl:
        inside = {
            n[len(prefix) :]: whl.read(n) for n in whl.namelist() if n.startswith(prefix) and not n.endswith(".py")
        }
    expected = {
        rel: data for rel, data in files_under(ROOT / "maatwerk" / "letters").items() if not rel.endswith(".py")
    }
    assert (True, expected) == ("templates/benefits.html.j2" in inside, inside)


def test_the_wheel_carries_the_message_catalogue_and_the_installed_package_reads_it(installed: Installed) -> None:
    """maatwerk/_texts/ui.yaml (the interface words) is package data: in the wheel byte for byte, and
    read from the installed package outside any checkout."""
    name = "maatwerk/_texts/ui.yaml"
    with zipfile.ZipFile(installed.wheel) as whl:
        inside = whl.read(name)
    done = installed.run(
        "python",
        "-c",
        "from maatwerk._texts import say; print(say('advice.note', 'en'))",
        cwd=installed.folder("texts"),
    )
    assert ((ROOT / name).read_bytes(), 0, "This is advice. A caseworker decides.") == (
        inside,
        done.returncode,
        done.stdout.strip(),
    )


def test_a_letter_is_written_as_html_and_pdf_from_the_installed_package(installed: Installed) -> None:
    """In an empty folder, the installed package loads the default letter templates and writes the
    letter of the example fine, as HTML and as a PDF."""
    code = (
        "import json, sys; from pathlib import Path; import maatwerk; from maatwerk._api import parse_case; "
        "from maatwerk.letters import letter_context, load_templates, render_pdf; "
        "e = maatwerk.Engine(); case = parse_case(Path(sys.argv[1]).read_text()); a = e.advise(case); "
        "t = load_templates(e.policy_dir, e.municipality, [v for vs in e.policies.packs.values() for v in vs]); "
        "html = t.render(letter_context(e._select(case).decision, case, a, {'measure': a.measure.kind, 'amount': a.measure.amount})); "
        "pdf = render_pdf(html, 'Besluit'); "
        "sys.stderr.write(json.dumps(['U krijgt een boete van' in html, pdf[:5].decode()]))"
    )
    case = installed.folder("letter-case") / "case.json"
    shutil.copy(ROOT / "examples" / "01-inkomsten-normaal.json", case)
    done = installed.run("python", "-c", code, str(case), cwd=installed.folder("letter"))
    assert (0, "") == (done.returncode, done.stdout), done.stderr
    assert [True, "%PDF-"] == json.loads(done.stderr.splitlines()[-1])


def test_the_wheel_leaves_out_the_benchmark_harness(installed: Installed) -> None:
    """The benchmark harness (maatwerk/_bench) runs from a checkout; the installed package has none of it."""
    with zipfile.ZipFile(installed.wheel) as whl:
        assert [] == [n for n in whl.namelist() if n.startswith("maatwerk/_bench")]


def test_the_wheel_names_the_licence_as_an_spdx_expression_with_its_file(installed: Installed) -> None:
    """The metadata says ``License-Expression: EUPL-1.2`` and ships the LICENSE file."""
    with zipfile.ZipFile(installed.wheel) as whl:
        [meta] = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
        text = whl.read(meta).decode()
        licences = [n for n in whl.namelist() if n.endswith("/LICENSE")]
    assert ("License-Expression: EUPL-1.2", 1) == (
        next(line for line in text.splitlines() if line.startswith("License-Expression:")),
        len(licences),
    )


def test_the_package_index_gets_the_readme_with_links_that_work_there(installed: Installed) -> None:
    """The description in the wheel's metadata is the README with every link absolute (or an anchor):
    a relative link would point nowhere on the package index."""
    with zipfile.ZipFile(installed.wheel) as whl:
        [meta] = [n for n in whl.namelist() if n.endswith(".dist-info/METADATA")]
        text = whl.read(meta).decode()
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert (True, []) == (len(links) > 10, [link for link in links if not link.startswith(("https://", "#"))])


def test_the_readme_install_as_a_library_example_works_as_written(installed: Installed) -> None:
    """The Python example of the README's "Install as a library" runs, as written, with the installed
    wheel in an empty folder, and prints the measure and the amount it says it prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Install as a library", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    done = installed.run("python", "-c", code, cwd=installed.folder("readme"))
    assert (0, "boete 840.90") == (done.returncode, done.stdout.splitlines()[0] if done.stdout else done.stderr)


def test_the_sdist_carries_what_the_test_suite_needs(installed: Installed) -> None:
    """The sdist has the packs, the examples, the tests with their policy fixtures, the docs and the licence."""
    with tarfile.open(installed.sdist) as sdist:
        names = {n.split("/", 1)[1] for n in sdist.getnames() if "/" in n}
    wanted = {
        "LICENSE",
        "setup.py",
        "policies/README.md",
        "examples/01-inkomsten-normaal.json",
        "tests/conftest.py",
        "tests/policy_fixtures/POLICY_EMPTY",
        "docs/case-format.md",
        "publiccode.yml",
    }
    assert set() == wanted - names


def test_the_engine_works_in_an_empty_folder_and_prints_nothing(installed: Installed) -> None:
    """``Engine()`` loads the bundled packs from the installed package (not from any checkout), and the
    library writes nothing to stdout."""
    code = (
        "import json, maatwerk, sys; from pathlib import Path; e = maatwerk.Engine(); "
        "a = e.advise(Path(sys.argv[1]).read_text()); "
        "sys.stderr.write(json.dumps([str(e.policy_dir), a.measure.kind]))"
    )
    case = installed.folder("case") / "case.json"
    shutil.copy(ROOT / "examples" / "01-inkomsten-normaal.json", case)
    done = installed.run("python", "-c", code, str(case), cwd=installed.folder("engine"))
    assert (0, "") == (done.returncode, done.stdout), done.stderr
    policy_dir, measure = json.loads(done.stderr.splitlines()[-1])
    assert ("site-packages", "boete") == (Path(policy_dir).parts[-4], measure)


def test_version_names_the_installed_release(installed: Installed) -> None:
    """``maatwerk --version`` prints the version in the wheel's file name."""
    version = installed.wheel.name.split("-")[1]
    done = installed.run("maatwerk", "--version", cwd=installed.folder("version"))
    assert (0, f"maatwerk {version}\n") == (done.returncode, done.stdout)


def test_demo_advises_on_the_bundled_examples(installed: Installed) -> None:
    """``maatwerk demo`` advises on every bundled example from an empty folder."""
    done = installed.run("maatwerk", "demo", cwd=installed.folder("demo"))
    assert 0 == done.returncode, done.stderr
    examples = sorted(p.name for p in (ROOT / "examples").glob("*.json"))
    assert examples == [line.removeprefix("##### ") for line in done.stdout.splitlines() if line.startswith("##### ")]


def test_advise_reads_a_case_from_stdin(installed: Installed) -> None:
    """``maatwerk advise - --format json`` advises on a case piped in."""
    case = (ROOT / "examples" / "01-inkomsten-normaal.json").read_text(encoding="utf-8")
    done = installed.run("maatwerk", "advise", "-", "--format", "json", cwd=installed.folder("advise"), stdin=case)
    assert (0, "boete") == (done.returncode, json.loads(done.stdout)["measure"]["kind"] if done.stdout else done.stderr)


def test_check_analyses_the_bundled_packs(installed: Installed) -> None:
    """``maatwerk check`` (no arguments) checks the bundled packs and finds no error."""
    done = installed.run("maatwerk", "check", "--format", "json", cwd=installed.folder("check"))
    report = json.loads(done.stdout)
    assert (0, 0) == (done.returncode, report["errors"]), done.stderr
    assert {"nl-benefits", "lansingerland-benefits"} <= {p["id"] for p in report["packs"]}


def test_diff_of_the_bundled_packs_against_a_copy_changes_nothing(installed: Installed) -> None:
    """``maatwerk diff`` works from the wheel: the bundled packs against a copy of them change no advice."""
    work = installed.folder("diff")
    shutil.copytree(ROOT / "policies", work / "copy")
    bundled = installed.run(
        "python", "-c", "from maatwerk._api import default_policy_dir; print(default_policy_dir())", cwd=work
    ).stdout.strip()
    done = installed.run(
        "maatwerk", "diff", bundled, "copy", "--generate", "20", "--seed", "1", "--format", "json", cwd=work
    )
    assert 0 == done.returncode, done.stderr
    changes = {c["kind"]: c["count"] for c in json.loads(done.stdout)["changes"]}
    assert {"unchanged": 20, "lighter": 0, "heavier": 0, "other": 0} == changes


def test_serve_starts_writes_its_audit_files_where_told_and_stops(installed: Installed) -> None:
    """``maatwerk serve`` from an empty folder answers on its port; its audit store is the default
    file in the working folder, nothing else, and its key is in the user's config folder; SIGTERM
    stops it with exit 0."""
    from maatwerk.audit._config import default_secret_file

    work = installed.folder("serve")
    proc = subprocess.Popen(
        [str(installed.bin / "maatwerk"), "serve", "--auth", "local", "--port", "0"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=clean_env(),
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("maatwerk serving on "), line + (proc.stderr.read() if proc.stderr else "")
        url = line.split()[3]
        with urllib.request.urlopen(f"{url}/api/v1/health", timeout=WAIT) as answer:
            assert 200 == answer.status
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=WAIT)
    names = {p.name for p in work.iterdir()}
    key = default_secret_file(work.resolve() / "maatwerk-audit.sqlite")
    assert (0, True, True) == (code, "maatwerk-audit.sqlite" in names, key.exists())
    assert set() == names - {"maatwerk-audit.sqlite"}  # the secret and the anchor are in the config folder


def test_serve_that_refuses_to_start_leaves_nothing_behind(installed: Installed) -> None:
    """A ``maatwerk serve`` whose packs do not load exits non-zero and creates no audit store or key."""
    work = installed.folder("refused")
    (work / "empty").mkdir()
    done = installed.run("maatwerk", "serve", "--auth", "local", "--port", "0", "--policies", "empty", cwd=work)
    assert (True, ["empty"]) == (done.returncode != 0, sorted(p.name for p in work.iterdir()))


@pytest.fixture(autouse=True)
def _no_output_in_the_repository() -> Iterator[None]:
    """A test of the wheel leaves the checkout as it found it (no build/ or _bundled/ in the tree)."""
    before = {p.name for p in (ROOT / "maatwerk").iterdir()}
    yield
    assert set() == {p.name for p in (ROOT / "maatwerk").iterdir()} - before - {"__pycache__"}
