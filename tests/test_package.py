"""The package as another project gets it: the wheel and sdist `python -m build` makes from the checkout, what the
wheel installs, its metadata (`twine check`), and a fresh virtualenv running a user's tests with the plugin's fixtures
and the Dispatch drop-in.

The fresh virtualenv gets the wheel alone (`--no-deps`); its dependencies come from this test run's environment
through a .pth file, as `--system-site-packages` gives them from a system Python.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow

USER_TEST = '''
import pytest

from fakeqb import mock_qbxmlrp2
from fakeqb.mock import current_quickbooks


def test_the_installed_package_answers(qb_company):
    import fakeqb
    assert VENV in fakeqb.__file__


@mock_qbxmlrp2
def test_the_dispatch_drop_in_as_a_decorator():
    import win32com.client
    current_quickbooks().seed(3, vendors=1)
    rp = win32com.client.Dispatch("QBXMLRP2.RequestProcessor")
    rp.OpenConnection2("", "User", 1)
    assert rp.BeginSession("", 2).startswith("{")


@pytest.mark.parametrize("name", ["scenarios", "livingdoc", "steps", "tests", "examples"])
def test_only_this_projects_names_are_installed(name):
    with pytest.raises(ImportError):
        __import__(name)
'''


def run(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{args}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and sdist built from a copy of the checkout's files (tracked, or new and not ignored)."""
    pytest.importorskip("build", reason="python -m build is in the dev extra")
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs the git checkout (its file list)")
    source, out = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    files = run("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z", cwd=ROOT).split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source)
    return out


def test_the_wheel_installs_fakeqb_syncer_their_commands_and_the_plugin(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = archive.read(next(n for n in names if n.endswith(".dist-info/entry_points.txt"))).decode()
    assert {name.split("/")[0] for name in names} == {"fakeqb", "syncer", "qbd_harness-0.1.0.dist-info"}
    assert {"fakeqb/qbxml/messages.qbm", "fakeqb/py.typed", "syncer/py.typed",
            "qbd_harness-0.1.0.dist-info/licenses/LICENSE"} <= set(names)
    assert "[pytest11]\nfakeqb = fakeqb.pytest_plugin" in entry_points
    assert "fakeqb = fakeqb.cli:main" in entry_points and "syncer = syncer.cli:main" in entry_points


def test_the_sdist_holds_what_the_wheel_is_built_from(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        top = {name.split("/")[1] for name in archive.getnames() if "/" in name}
    assert top == {"fakeqb", "syncer", "qbd_harness.egg-info", "LICENSE", "MANIFEST.in", "PKG-INFO", "README.md",
                   "pyproject.toml", "setup.cfg"}


def test_twine_check_passes(dist: Path) -> None:
    pytest.importorskip("twine", reason="twine is in the dev extra")
    output = run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert output.count("PASSED") == 2


def test_a_fresh_virtualenv_runs_a_users_tests(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    (wheel,) = dist.glob("*.whl")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "examples" / "test_with_fixtures.py", project)
    (project / "test_user.py").write_text(f"VENV = {str(venv)!r}\n" + USER_TEST)
    output = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "10 passed" in output, output  # 3 examples, 2 + 5 of the user's
    scripts = python.parent
    assert "serve" in run(scripts / "fakeqb", "--help") and "connect" in run(scripts / "syncer", "--help")
