"""Writes compose/.env: the capability key pair of the compose mesh, generated once.

    python -m deskmesh.compose_env compose/.env

Existing lines are kept; missing keys are appended. The file is not in git.
"""

from __future__ import annotations

import sys
from pathlib import Path

from protocol.capabilities import CapabilityKeys


def ensure_env_file(path: Path) -> list[str]:
    """Add the capability keys to ``path`` unless present; returns the names added."""
    lines = path.read_text().splitlines() if path.exists() else []
    present = {line.split("=", 1)[0].strip() for line in lines if "=" in line}
    wanted = ("DESKMESH_CAPABILITY_PUBLIC_KEY", "DESKMESH_CAPABILITY_PRIVATE_KEY")
    if all(name in present for name in wanted):
        return []
    keys = CapabilityKeys.generate()
    values = {wanted[0]: keys.public_hex, wanted[1]: keys.private_hex or ""}
    added = [name for name in wanted if name not in present]
    lines += [f"{name}={values[name]}" for name in added]
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o600)
    return added


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "compose/.env")
    added = ensure_env_file(target)
    print(f"{target}: " + (f"added {', '.join(added)}" if added else "keys already present"))
