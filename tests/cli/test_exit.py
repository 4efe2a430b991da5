"""How the `monaco` program ends: its exit code and output, never a traceback, whoever stops reading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from monaco import engine
from monaco.cli import commands
from monaco.cli.main import main
from monaco.plan.model import Plan
from tests.cli.test_parallel_equivalence import write_services


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path: Path) -> None:
    """`monaco plan | head -1`: the plan is far longer than a pipe holds; the reader leaves after one line."""
    root = write_services(tmp_path, 40)
    command = [sys.executable, "-m", "monaco", "plan", "--specs", "specs", "--targets", "targets"]
    with subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read().decode()
        code = process.wait(timeout=120)
    assert first.startswith(b"Target ")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
    assert code == 1


def test_the_program_flushes_everything_before_it_leaves(tmp_path: Path) -> None:
    """The program leaves without tearing its heap down; all it printed still arrives, as from a normal exit."""
    root = write_services(tmp_path, 40)
    args = ["plan", "--specs", "specs", "--targets", "targets"]
    normal_exit = "from monaco.cli.main import main; raise SystemExit(main())"
    ways = {
        "program": [sys.executable, "-m", "monaco", *args],
        "normal exit": [sys.executable, "-c", normal_exit, *args],
    }
    done = {
        way: subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120, check=False)
        for way, command in ways.items()
    }
    assert done["program"].returncode == done["normal exit"].returncode == 0, done["program"].stderr
    assert done["program"].stdout.endswith("Plan: 323 to add, 0 to change, 0 to destroy.\n")
    assert done["program"].stdout == done["normal exit"].stdout


def test_only_the_last_commands_objects_are_held_to_exit(tmp_path: Path) -> None:
    """The session and plan are held for the exit to drop (the program leaves without freeing them); a second
    command in the same process replaces the first's, so a process running many holds one command's at most."""
    root = write_services(tmp_path, 3)
    args = ["--specs", str(root / "specs"), "--targets", str(root / "targets")]
    assert main(["plan", *args]) == 0
    first = list(commands._HELD_TO_EXIT)
    assert [type(held) for held in first] == [engine.Session, Plan]
    assert main(["validate", *args]) == 0
    assert len(commands._HELD_TO_EXIT) == 1 and commands._HELD_TO_EXIT[0] is not first[0]

