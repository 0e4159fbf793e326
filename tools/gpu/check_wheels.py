"""Check that the carried wheels in .whl/ are complete: nothing they need is missing.

Two modes:

* ``python tools/gpu/check_wheels.py .whl`` (here, in prepare.sh): every requirement of every
  wheel (``Requires-Dist``, extras and markers evaluated for CPython 3.12 on x86-64 Linux) must
  be another wheel in the folder (and its version must fit) or a package of the GPU machine's
  image (tools/gpu/device_packages.txt; its versions are not known here, so the version ranges
  asked of them are printed for the record). Also: one version per package.
* ``python3 tools/gpu/check_wheels.py .whl --installed`` (on the GPU machine, after the install):
  every requirement must be importable metadata with a fitting version, whatever provides it.

Prints one line per problem and exits 1 if there is any; exits 0 with a summary otherwise.
"""

from __future__ import annotations

import argparse
import re
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

HERE = Path(__file__).resolve().parent
# The GPU machine's interpreter (KINDS.md: Python 3.12.3 on x86-64 Linux).
DEVICE_ENV = {
    "implementation_name": "cpython",
    "implementation_version": "3.12.3",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_python_implementation": "CPython",
    "platform_system": "Linux",
    "python_full_version": "3.12.3",
    "python_version": "3.12",
    "sys_platform": "linux",
}


def device_packages() -> set[str]:
    lines = (HERE / "device_packages.txt").read_text().splitlines()
    return {canonicalize_name(s.strip()) for s in lines if s.strip() and not s.startswith("#")}


def wheel_metadata(path: Path) -> tuple[str, Version, list[Requirement]]:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist()
                    if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        headers = HeaderParser().parsestr(archive.read(name).decode("utf-8"))
    requirements = [Requirement(r) for r in headers.get_all("Requires-Dist") or []]
    return canonicalize_name(headers["Name"]), Version(headers["Version"]), requirements


def needed(requirement: Requirement, environment: dict[str, str]) -> bool:
    """Whether a requirement applies (no extra asked for; markers for the device)."""
    if requirement.marker is None:
        return True
    return requirement.marker.evaluate({**environment, "extra": ""})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the folder of wheels (.whl)")
    parser.add_argument("--installed", action="store_true",
                        help="check against what this interpreter can import (on the device)")
    args = parser.parse_args(argv)

    wheels = sorted(args.folder.glob("*.whl"))
    if not wheels:
        print(f"no wheels in {args.folder}")
        return 1
    problems: list[str] = []
    carried: dict[str, Version] = {}
    requirements: list[tuple[str, Requirement]] = []
    for path in wheels:
        name, version, reqs = wheel_metadata(path)
        if name in carried:
            problems.append(f"two versions of {name}: {carried[name]} and {version}")
        carried[name] = version
        requirements += [(name, r) for r in reqs]

    environment = {**default_environment(), **DEVICE_ENV}
    if args.installed:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as installed_version

        environment = default_environment()
        for owner, requirement in requirements:
            if not needed(requirement, environment):
                continue
            try:
                found = Version(installed_version(requirement.name))
            except PackageNotFoundError:
                problems.append(f"{owner} needs {requirement}: not installed")
                continue
            if not requirement.specifier.contains(found, prereleases=True):
                problems.append(f"{owner} needs {requirement}: {found} is installed")
    else:
        on_device = device_packages()
        asked_of_device: dict[str, set[str]] = {}
        for owner, requirement in requirements:
            if not needed(requirement, environment):
                continue
            name = canonicalize_name(requirement.name)
            if name in carried:
                if not requirement.specifier.contains(carried[name], prereleases=True):
                    problems.append(f"{owner} needs {requirement}: the wheel is {carried[name]}")
            elif name in on_device:
                if str(requirement.specifier):
                    asked = f"{requirement.specifier} ({owner})"
                    asked_of_device.setdefault(name, set()).add(asked)
            else:
                problems.append(f"{owner} needs {requirement}: neither carried nor on the device")
        overlap = sorted(set(carried) & on_device)
        if overlap:
            print("carried although the device has them (the carried version wins):",
                  ", ".join(overlap))
        for name in sorted(asked_of_device):
            print(f"  the device's {name} must satisfy: {'; '.join(sorted(asked_of_device[name]))}")

    for problem in problems:
        print("PROBLEM:", problem)
    if problems:
        return 1
    print(f"{len(carried)} wheels, {len(requirements)} requirements: nothing missing"
          + (" (checked against this interpreter)" if args.installed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
