"""Shared fixtures: the repository, its test data and the `kickback` CLI
(the oracle the Python results are compared with)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
TESTDATA = REPO / "testdata"
SAMPLE = TESTDATA / "sample.csv"


def find_cli():
    """$KICKBACK_BIN, else the workspace's release or debug build."""
    env = os.environ.get("KICKBACK_BIN")
    candidates = [Path(env)] if env else []
    candidates += [REPO / "target" / "release" / "kickback", REPO / "target" / "debug" / "kickback"]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    return None


class Cli:
    """Runs the `kickback` binary."""

    def __init__(self, path):
        self.path = path

    def run(self, *args, cwd=None):
        out = subprocess.run(
            [str(self.path), *map(str, args)], capture_output=True, text=True, cwd=cwd
        )
        return out.returncode, out.stdout, out.stderr

    def json(self, *args, cwd=None):
        code, stdout, stderr = self.run(*args, cwd=cwd)
        assert code in (0, 1, 2), stderr
        return code, json.loads(stdout)

    def error(self, *args, cwd=None):
        """The message of a failing command (without the `kickback: error: ` prefix)."""
        code, _, stderr = self.run(*args, cwd=cwd)
        assert code == 2, stderr
        prefix = "kickback: error: "
        assert stderr.startswith(prefix), stderr
        return stderr[len(prefix):].strip()


@pytest.fixture(scope="session")
def cli():
    path = find_cli()
    if path is None:
        pytest.skip(
            "no kickback binary: build it with `cargo build -p kickback-cli` "
            "or set KICKBACK_BIN (these tests compare with the CLI)"
        )
    return Cli(path)
