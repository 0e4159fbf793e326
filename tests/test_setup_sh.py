"""Set-up: what ``setup.sh`` refuses and accepts, and the test suite's own set-up (conftest.py).

``setup.sh`` runs on a copy of itself in ``tmp_path`` with stand-ins: ``PYTHON`` is a script that
answers the script's one question about the interpreter with a chosen line, and ``.venv/bin``
holds stub ``python`` and ``jupyter`` scripts, so nothing is installed and the real ``.venv`` is
never touched. ``conftest.py`` is checked by running pytest on a trivial test file in a subprocess.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# What setup.sh's probe prints: X.Y X.Y.Z implementation os machine libc macOS free-threaded.
LINUX_312 = "3.12 3.12.4 CPython linux x86_64 glibc-2.36 - -"


def stub(path: Path, body: str) -> Path:
    """An executable shell script at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A folder holding a copy of setup.sh, a fake Python and a fake ``id`` on a bin folder."""
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "setup.sh", folder / "setup.sh")
    stub(tmp_path / "bin" / "fakepython", 'echo "$FAKE_PROBE"')
    stub(tmp_path / "bin" / "id", 'echo "$FAKE_UID"')  # setup.sh asks `id -u` for root
    return folder


def make_venv(folder: Path, version: str) -> Path:
    """A stand-in .venv whose python says it is ``version`` and otherwise echoes its arguments."""
    venv = folder / ".venv"
    (venv / "pyvenv.cfg").parent.mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = /usr/bin\nversion = {version}.7\n")
    stub(venv / "bin" / "python",
         f'case "$*" in *version_info*) echo "{version}" ;; *) echo "stub python: $*" ;; esac')
    stub(venv / "bin" / "jupyter", 'echo "stub jupyter: $*"')
    return venv


def setup_sh(
    course: Path, *args: str, probe: str = LINUX_312, python: str | None = None, uid: int = 1000
) -> subprocess.CompletedProcess[str]:
    """Run ``bash setup.sh ARGS`` in ``course`` with PYTHON answering ``probe``."""
    bin_dir = course.parent / "bin"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHON": python or str(bin_dir / "fakepython"),
        "FAKE_PROBE": probe,
        "FAKE_UID": str(uid),
    }
    return subprocess.run(["bash", str(course / "setup.sh"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "probe, expected",
    [
        ("3.10 3.10.14 CPython linux x86_64 glibc-2.35 - -", "needs Python 3.11 or newer"),
        ("2.7 2.7.18 CPython linux x86_64 glibc-2.35 - -", "needs Python 3.11 or newer"),
        ("3.14 3.14.0 CPython linux x86_64 glibc-2.39 - -", "wheels for CPython 3.10-3.13 only"),
        ("3.13 3.13.1 CPython linux x86_64 glibc-2.39 - t", "none for free-threaded builds"),
        ("3.11 3.11.9 PyPy linux x86_64 glibc-2.35 - -", "the course needs CPython"),
        ("3.12 3.12.4 CPython darwin x86_64 - 13.6 -", "on an Intel Mac, run the course in Docker"),
        ("3.12 3.12.4 CPython darwin arm64 - 11.7 -", "needs macOS 12 or newer"),
        ("3.12 3.12.4 CPython linux x86_64 unknown - -", "none for musl, e.g. Alpine"),
        ("3.12 3.12.4 CPython linux x86_64 glibc-2.17 - -", "needs glibc 2.27 or newer"),
        ("3.12 3.12.4 CPython linux armv7l glibc-2.35 - -", "x86_64 and aarch64 only"),
        ("3.12 3.12.4 CPython win32 AMD64 - - -", "Use WSL2"),
    ],
)
def test_refuses_a_python_without_tensorflow_wheels(course: Path, probe: str, expected: str):
    done = setup_sh(course, "--no-launch", probe=probe)
    assert done.returncode == 1, done.stdout + done.stderr
    full_version = probe.split()[1]
    assert f"fakepython: Python {full_version}" in done.stderr  # names the Python it found
    assert expected in done.stderr
    assert "Supported platforms" in done.stderr
    assert not (course / ".venv").exists()
    assert done.stdout == ""


def test_refuses_a_python_that_does_not_run(course: Path) -> None:
    done = setup_sh(course, "--no-launch", python=str(course / "no-such-python"))
    assert done.returncode == 1
    assert "cannot run PYTHON=" in done.stderr and "PYTHON=python3.12 bash setup.sh" in done.stderr


@pytest.mark.parametrize(
    "probe",
    [
        "3.11 3.11.9 CPython linux x86_64 glibc-2.35 - -",
        "3.13 3.13.1 CPython linux aarch64 glibc-2.28 - -",
        "3.12 3.12.4 CPython darwin arm64 - 14.5 -",
    ],
)
def test_accepts_a_supported_python(course: Path, probe: str) -> None:
    done = setup_sh(course, "--check", probe=probe)
    assert done.returncode == 0, done.stderr
    assert "can run the course; no .venv yet" in done.stdout
    assert not (course / ".venv").exists()


def test_probe_runs_on_a_real_python(course: Path) -> None:
    """The probe itself, run by this very interpreter (3.11+ on a supported platform)."""
    done = setup_sh(course, "--check", python=sys.executable)
    assert done.returncode == 0, done.stderr
    assert f"Python {sys.version.split()[0]} (CPython" in done.stdout


def test_venv_of_another_python_is_kept_and_reported(course: Path) -> None:
    venv = make_venv(course, "3.11")
    done = setup_sh(course, "--no-launch", probe=LINUX_312)
    assert done.returncode == 1, done.stdout
    assert ".venv was made with Python 3.11" in done.stderr and "Python 3.12.4" in done.stderr
    assert "rm -rf .venv && PYTHON=" in done.stderr
    assert "stub python: -m pip" not in done.stdout  # stopped before installing anything
    assert (venv / "bin" / "python").exists() and (venv / "pyvenv.cfg").exists()


def test_broken_venv_is_kept_and_reported(course: Path) -> None:
    venv = make_venv(course, "3.12")
    (venv / "bin" / "python").unlink()  # e.g. made in a container, or by a removed Python
    done = setup_sh(course, "--no-launch", probe=LINUX_312)
    assert done.returncode == 1
    assert "its Python does not run" in done.stderr and "says 3.12.7" in done.stderr
    assert "rm -rf .venv" in done.stderr
    assert (venv / "pyvenv.cfg").exists()


def test_empty_venv_folder_is_filled_in(course: Path) -> None:
    (course / ".venv").mkdir()  # e.g. a fresh Docker volume mounted there
    done = setup_sh(course, "--check", probe=LINUX_312)
    assert done.returncode == 0, done.stderr
    assert "no .venv yet" in done.stdout


def test_no_launch_with_a_matching_venv_installs_quietly(course: Path) -> None:
    make_venv(course, "3.12")
    done = setup_sh(course, "--no-launch", probe=LINUX_312, uid=0)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any("stub python: -m pip install" in line and "requirements.txt" in line
               for line in lines)
    assert "jupyter" not in done.stdout and "--allow-root" not in done.stdout
    assert len(lines) <= 6 and done.stderr == ""


@pytest.mark.parametrize("uid, allow_root", [(0, True), (1000, False)])
def test_launch_passes_allow_root_only_as_root(course: Path, uid: int, allow_root: bool) -> None:
    make_venv(course, "3.12")
    done = setup_sh(course, "--", "--ip=0.0.0.0", probe=LINUX_312, uid=uid)
    assert done.returncode == 0, done.stderr
    launched = [line for line in done.stdout.splitlines() if line.startswith("stub jupyter:")]
    root_flag = " --allow-root" if allow_root else ""
    assert launched == [f"stub jupyter: lab notebooks/{root_flag} --ip=0.0.0.0"]
    assert ("starting JupyterLab with --allow-root" in done.stdout) is allow_root


# ---- conftest.py: without the data and without a network, one message ----------------------


def run_pytest_with_conftest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """pytest on a trivial test file in a folder holding a copy of the course's conftest.py."""
    folder = tmp_path / "suite"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "conftest.py", folder / "conftest.py")
    (folder / "pytest.ini").write_text("[pytest]\n")
    (folder / "test_trivial.py").write_text(
        "import os\n\ndef test_keras_home():\n    print(os.environ['KERAS_HOME'])\n"
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-s", "test_trivial.py"],
        cwd=folder, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", **env},
        capture_output=True, text=True, timeout=120,
    )


def test_missing_data_offline_stops_with_one_message(tmp_path: Path) -> None:
    shared, keras_home = tmp_path / "no_shared", tmp_path / "no_keras"
    shared.mkdir()
    keras_home.mkdir()
    done = run_pytest_with_conftest(tmp_path, COURSE_SHARED_DATA=str(shared),
                                    KERAS_HOME=str(keras_home), COURSE_ASSUME_OFFLINE="1")
    output = done.stdout + done.stderr
    assert done.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert output.count("Exit: ") == 1
    assert "the course's data is not available" in output
    assert str(shared) in output and "COURSE_SHARED_DATA" in output
    assert str(keras_home) in output and "KERAS_HOME" in output
    assert "lacks 7 of 7 files" in output and "datasets/mnist.npz" in output
    assert "data/README.md" in output
    assert "passed" not in output and "failed" not in output


def test_complete_keras_cache_needs_no_offline_copy(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("course_conftest", REPO_ROOT / "conftest.py")
    assert spec is not None and spec.loader is not None
    course_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_conftest)
    keras_home = tmp_path / "keras"
    for name in course_conftest.COURSE_FILES:
        (keras_home / name).parent.mkdir(parents=True, exist_ok=True)
        (keras_home / name).write_bytes(b"")
    done = run_pytest_with_conftest(tmp_path, COURSE_SHARED_DATA=str(tmp_path / "none"),
                                    KERAS_HOME=str(keras_home), COURSE_ASSUME_OFFLINE="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout and str(keras_home) in done.stdout


def test_offline_copy_is_used_when_present(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "keras" / "datasets").mkdir(parents=True)
    (shared / "text").mkdir()
    (shared / "text" / "shakespeare.txt").write_text("To be")
    done = run_pytest_with_conftest(tmp_path, COURSE_SHARED_DATA=str(shared),
                                    KERAS_HOME=str(tmp_path / "unused"),
                                    COURSE_ASSUME_OFFLINE="1")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout and "keras_home_" in done.stdout  # the temporary copy
