"""The command line: exact messages, exit codes, no tracebacks (commands run in this process;
the installed command and ``python -m htcds_learn.cli`` are started for real once each)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from htcds_learn import cli, standard
from htcds_learn.model import schema
from tests._cli import run_cli

run = run_cli


def test_fields_core_lists_the_38_active_core_fields():
    result = run("fields", "--core", "--format", "names")
    assert result.returncode == 0
    assert result.stdout.split() == [f.name for f in standard.core_fields()]
    table = run("fields", "--core")
    assert table.stdout.rstrip().endswith("38 active Core fields.")
    assert "vic_Vulnerabilities" not in table.stdout  # deprecated Core stays out


def test_the_installed_command_works(repo):
    from shutil import which

    command = which("htcds-learn")
    assert command, "the htcds-learn command is not installed"
    result = subprocess.run([command, "fields", "--core", "--format", "names"],
                            capture_output=True, text=True)
    assert len(result.stdout.split()) == 38
    wrong = subprocess.run([sys.executable, "-m", "htcds_learn.cli", "field", "prs_Gendr"],
                           capture_output=True, text=True)
    assert wrong.returncode == 2 and wrong.stderr.startswith("Error: ")
    assert "Traceback" not in wrong.stderr


def test_field_shows_values_and_unknown_field_is_a_clear_error():
    result = run("field", "prs_Gender")
    assert "NonSpecifiedUnknown = Not Specified/Unknown" in result.stdout
    result = run("field", "prs_Gendr")
    assert result.returncode == 2
    assert result.stderr == (
        "Error: 'prs_Gendr' is not an HTCDS v2.0 field. Did you mean 'prs_Gender'?\n")


def test_schema_exports_match_the_library(tmp_path):
    result = run("schema", "--format", "jsonschema")
    assert json.loads(result.stdout) == schema.json_schema()
    out = tmp_path / "core.json"
    result = run("schema", "--format", "tableschema", "--table", "core", "--out", str(out))
    assert result.returncode == 0 and json.loads(out.read_text()) == schema.table_schema("core")
    everything = json.loads(run("schema", "--format", "tableschema").stdout)
    assert set(everything) == set(schema.table_schemas())


@pytest.mark.parametrize("args, message", [
    (["schema", "--format", "tableschema", "--table", "victims"],
     "Error: No flat table called 'victims'."),
    (["schema", "--format", "jsonschema", "--table", "core"],
     "Error: --table goes with --format tableschema."),
    (["fields", "--section", "Persons"],
     "Error: 'Persons' is not an HTCDS section. Did you mean 'Person'?"),
])
def test_bad_arguments_give_one_error_line_and_exit_2(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr


def test_writing_to_a_folder_that_cannot_exist_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("schema", "--format", "jsonschema", "--out", str(blocker / "out.json"))
    assert result.returncode == 2 and result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


def test_progress_with_no_answers(progress_home):
    result = run("progress")
    assert result.returncode == 0 and "No self-checks answered yet" in result.stdout


def test_every_command_has_help_and_is_in_the_readme(repo):
    readme = (repo / "README.md").read_text("utf-8")
    commands = cli.build_parser()._subparsers._group_actions[0].choices
    for name in commands:
        result = run(name, "--help")
        assert result.returncode == 0 and "usage: htcds-learn " + name in result.stdout
        assert f"htcds-learn {name}" in readme, f"README does not mention 'htcds-learn {name}'"
