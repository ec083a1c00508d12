"""README.md's fences are all accounted for: run (python, bash) or shown (text...), and the few not run say why.

The snippets themselves run as tests of README.md (tests/markdown.py); these check the rules around them and the
harness that runs them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.markdown import RUN, SHOWN, Fence, Server, fences, missing_output

ROOT = Path(__file__).resolve().parent.parent
README = fences((ROOT / "README.md").read_text("utf8"))


def test_every_fence_names_a_language_that_is_run_or_only_shown() -> None:
    unnamed = [(block.line, block.language) for block in README if block.language not in RUN + SHOWN]
    assert unnamed == [], f"name each fence's language: {', '.join(RUN)} (run) or {', '.join(SHOWN)} (shown)"


def test_the_fences_not_run_give_their_reason_and_are_few() -> None:
    skipped = [block for block in README if block.notest]
    assert [block.line for block in skipped if not block.reason.strip("() ")] == [], "notest (the reason)"
    runnable = [block for block in README if block.language in RUN]
    assert len(skipped) * 4 <= len(runnable), "at most one runnable fence in four is not run"


def test_output_fences_follow_a_bash_fence() -> None:
    outputs = [block for block in README if block.language == "text" and block.options[:1] == ("output",)]
    assert outputs and all(any(other.output == block.text for other in README if other.language == "bash")
                           for block in outputs)


def test_server_fences_hold_one_fakeqb_serve_command() -> None:
    servers = [block for block in README if block.language == "bash" and "server" in block.options]
    assert servers
    for block in servers:
        Server(block.text, ".")  # raises if it is not one `fakeqb serve` command


def test_fences_are_read_with_their_heading_options_and_output() -> None:
    text = "# A\n\n```bash server\nfakeqb serve\n```\n```text output\nok\n```\n\n## B\n\n" \
           "```python notest (needs Windows)\nx\n```\n\n```\nplain\n```\n"
    assert fences(text) == [Fence(3, "bash", ("server",), "fakeqb serve\n", 1, "ok\n"),
                            Fence(6, "text", ("output",), "ok\n", 1),
                            Fence(12, "python", ("notest", "(needs", "Windows)"), "x\n", 2),
                            Fence(16, "", (), "plain\n", 2)]
    assert fences(text)[2].reason == "(needs Windows)"


@pytest.mark.parametrize(("expected", "missing"), [
    ("one\nthree\n", None), ("...\nthree\n", None), ("three\none\n", "one"), ("two \n\nfour\n", "four"),
])
def test_output_lines_are_found_in_order(expected: str, missing: str | None) -> None:
    assert missing_output(expected, "one\ntwo\nthree\n") == missing


def test_a_server_command_gets_a_free_port_and_the_snippet_its_url(tmp_path: Path) -> None:
    with Server("fakeqb serve --port 8080 --seed 1   # a comment\n", str(tmp_path)) as server:
        assert server.args == ["fakeqb", "serve", "--port", "0", "--seed", "1"] and server.port == 8080
        server.check()
        port = server.url.rsplit(":", 1)[1]
        assert server.rewrite("curl localhost:8080/x http://127.0.0.1:8080 :80800") == \
            f"curl 127.0.0.1:{port}/x http://127.0.0.1:{port} :80800"
    assert server.process is not None and server.process.poll() is not None
    with pytest.raises(Exception, match="one `fakeqb serve"):
        Server("fakeqb serve\nfakeqb serve --port 1\n", str(tmp_path))


def test_a_failing_snippet_fails_its_test(pytester: pytest.Pytester) -> None:
    """The README harness on a file of its own: a failing python and bash snippet fail, a notest one is not run, a
    server fence without commands after it is started on its own."""
    pytester.makeconftest("from tests.markdown import collect_markdown as pytest_collect_file  # noqa: F401\n")
    pytester.makefile(".md", README="# T\n\n```python\nassert 1 == 2\n```\n\n```bash\necho hi; false\n```\n\n"
                      "```bash\necho fine\n```\n```text output\nfine\n```\n\n```bash notest (why)\nexit 1\n```\n"
                      "\n## A server no command follows: checked on its own\n\n```bash server\nfakeqb serve\n```\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "README.md"],
                          cwd=pytester.path, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "2 failed, 2 passed" in done.stdout, done.stdout + done.stderr
    assert "bash exited 1:\nhi" in done.stdout
