"""Stop `make install` when requirements.lock does not cover pyproject.toml.

Every dependency named in pyproject.toml (the project's and the ``dev`` extra's) must be pinned
in the lock; otherwise the install from the lock would silently leave it out. Offline and
without third-party modules: run it with any Python >= 3.11.

Usage: python3 .ci/lock_check.py pyproject.toml requirements.lock
"""

from __future__ import annotations

import re
import sys
import tomllib

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted(pyproject: str) -> set[str]:
    with open(pyproject, "rb") as handle:
        project = tomllib.load(handle)["project"]
    requirements = list(project.get("dependencies", []))
    requirements += project.get("optional-dependencies", {}).get("dev", [])
    return {normalise(NAME.match(r).group(1)) for r in requirements}


def pinned(lock: str) -> set[str]:
    with open(lock, encoding="utf-8") as handle:
        return {normalise(line.split("==", 1)[0]) for line in handle
                if "==" in line and not line.startswith((" ", "#"))}


def main(pyproject: str, lock: str) -> int:
    missing = sorted(wanted(pyproject) - pinned(lock))
    if missing:
        print(f"{lock} does not pin {', '.join(missing)} from {pyproject}: run `make lock` "
              "and commit the lock file (docs/operations.md, Dependencies).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
