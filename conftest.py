"""The whole run's hooks: README.md's snippets are tests (tests/markdown.py), and pytester is at hand."""

from pathlib import Path

import pytest

from tests.markdown import _markdown_snippet_folder, collect_markdown

pytest_plugins = ["pytester"]
__all__ = ["_markdown_snippet_folder"]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    return collect_markdown(file_path, parent)
