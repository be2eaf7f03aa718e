"""Fail when pyproject.toml and the committed lock disagree (run by `make check`).

The lock (requirements/*.txt, made by `make lock`) is what every machine installs; pyproject.toml
keeps ranges so CounterTalk still installs as a library. They disagree when a dependency was added
to pyproject.toml without re-locking, or a range was changed so the pinned version no longer fits.
This check is offline: it reads both files and compares, so it can run before anything installs.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = {"runtime": "requirements/runtime.txt", "dev": "requirements/dev.txt"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)", re.M)


def pins(lock: Path) -> dict[str, str]:
    return {canonicalize_name(n): v for n, v in _PIN.findall(lock.read_text(encoding="utf-8"))}


def problems(root: Path = ROOT) -> list[str]:
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = {
        "runtime": list(project["dependencies"]),
        "dev": list(project["dependencies"]) + list(project["optional-dependencies"]["dev"]),
    }
    out = []
    for flavour, rel in LOCKS.items():
        lock = root / rel
        if not lock.is_file():
            out.append(f"{rel} is missing: run 'make lock'")
            continue
        pinned = pins(lock)
        text = lock.read_text(encoding="utf-8")
        if "--hash=sha256:" not in text:
            out.append(f"{rel} has no hashes: run 'make lock'")
        for spec in wanted[flavour]:
            req = Requirement(spec)
            if req.marker is not None and not req.marker.evaluate():
                continue
            name = canonicalize_name(req.name)
            version = pinned.get(name)
            where = f"{rel}"
            if version is None:
                out.append(
                    f"{where}: '{req.name}' is in pyproject.toml but not locked; run 'make lock'"
                )
            elif not req.specifier.contains(version, prereleases=True):
                out.append(
                    f"{where}: {req.name}=={version} does not satisfy '{spec}' in "
                    "pyproject.toml; run 'make lock'"
                )
    return out


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    if not found:
        print("lock: requirements/runtime.txt and requirements/dev.txt match pyproject.toml")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
