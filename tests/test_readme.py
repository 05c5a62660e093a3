"""The README keeps its promises: two set-up commands, and every command and setting documented."""

from __future__ import annotations

import re

from archive_files import ROOT

from festival.settings import SETTINGS

README = (ROOT / "README.md").read_text()


def test_readme_has_exactly_the_two_set_up_commands():
    set_up = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make \w+", set_up, flags=re.MULTILINE)
    assert commands == ["make run", "make test"]


def test_every_cli_command_is_documented(app):
    ours = {
        name
        for name, command in app.cli.commands.items()
        if command.callback.__module__.startswith("festival")
    }
    assert ours >= {"import", "reindex", "transcript", "export", "check", "backup"}
    for name in ours:
        assert f"| `{name}" in README, f"README's command table lacks `{name}`"


def test_every_setting_is_documented():
    for name in SETTINGS:
        assert f"FESTIVAL_{name}" in README, name
