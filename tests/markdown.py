"""README.md's snippets as tests.

A fence's info string says what it is and how it runs:

    ```python               run by pytest-markdown-docs, on its own, in an empty scratch folder (as the current
                            directory); `continuation` runs the python blocks before it first, `fixture:NAME` gives it
                            a pytest fixture as a global
    ```python pytest        a test module: written to a scratch folder and run with pytest (fakeqb's plugin active)
    ```bash                 run by bash (-e -o pipefail) in an empty scratch folder, the test run's virtualenv
                            first on PATH (and at .venv), for at most TIMEOUT seconds; a ```text output fence right
                            after it lists lines its output must show, in that order ("..." lines are not checked)
    ```bash server          one `fakeqb serve ...` command, started on a free port (a server block); each bash block
                            after it up to the next heading runs with that server up, the server's port written for
                            the port the command names (8765 unless --port says); with no bash block after it, it is
                            started and checked on its own
    ```LANG notest REASON   not run, for the reason that follows `notest` (every notest fence must give one)
    ```text, toml, ...      not code: never run

Shell and python blocks each start from nothing, so they run in any order and on any xdist worker.
"""

from __future__ import annotations

import json
import os
import queue
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from pytest_markdown_docs.plugin import MarkdownTextFile

#: The languages a fence may name: run (python, bash) or shown only.
RUN = ("python", "bash")
SHOWN = ("text", "toml", "ini", "json", "xml")
TIMEOUT = 180.0
SERVER_START_TIMEOUT = 60.0
DEFAULT_SERVE_PORT = 8765
_URL = re.compile(r"at (http://[\d.]+:(\d+))")


@dataclass(frozen=True)
class Fence:
    """One fenced block of a markdown file."""

    line: int  # the line of its opening fence, from 1
    language: str
    options: tuple[str, ...]
    text: str
    heading: int  # the number of the heading it is under (0 before the first)
    output: str | None = None  # the text of a ```text output fence right after it

    @property
    def notest(self) -> bool:
        return "notest" in self.options

    @property
    def reason(self) -> str:
        """What follows `notest` in the info string."""
        return " ".join(self.options[self.options.index("notest") + 1:]) if self.notest else ""


def fences(text: str) -> list[Fence]:
    """The fenced blocks of a markdown text, in order, each with the output fence right after it."""
    found: list[Fence] = []
    heading = 0
    after_fence = False
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "heading_open":
            heading += 1
        if token.type != "fence" or token.map is None:
            after_fence = False
            continue
        words = token.info.split()
        language, options = (words[0], tuple(words[1:])) if words else ("", ())
        if after_fence and language == "text" and options[:1] == ("output",):
            last = found[-1]
            found[-1] = Fence(last.line, last.language, last.options, last.text, last.heading, token.content)
        found.append(Fence(token.map[0] + 1, language, options, token.content, heading))
        after_fence = True
    return found


class MarkdownFile(MarkdownTextFile):
    """A markdown file's python fences (pytest-markdown-docs' items), its test modules and its bash fences."""

    def collect(self) -> Iterator[pytest.Item]:
        blocks = fences(self.path.read_text("utf8"))
        modules = {block.line for block in blocks if block.language == "python" and "pytest" in block.options}
        for item in super().collect():
            if getattr(item, "start_line", None) not in modules:
                yield item
        server: Fence | None = None
        served = False  # whether a bash fence ran with `server`'s server
        for block in [*blocks, None]:
            if server is not None and (block is None or server.heading != block.heading or "server" in block.options):
                if not served:  # a server fence no command follows: started and checked on its own
                    yield ShellItem.from_parent(self, name=f"[bash server][line:{server.line}]", fence=server,
                                                server=server)
                server = None
            if block is None or block.notest:
                continue
            if block.language == "python" and "pytest" in block.options:
                yield PytestModuleItem.from_parent(self, name=f"[pytest][line:{block.line}]", fence=block)
            elif block.language == "bash" and "server" in block.options:
                server, served = block, False
            elif block.language == "bash":
                served = served or server is not None
                yield ShellItem.from_parent(self, name=f"[bash][line:{block.line}]", fence=block, server=server)


class SnippetError(Exception):
    """A snippet ran and failed: what it printed."""


class SnippetItem(pytest.Item):
    fence: Fence

    def __init__(self, *, fence: Fence, **kwargs: Any):
        super().__init__(**kwargs)
        self.fence = fence
        self.add_marker("markdown-docs")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, SnippetError):
            return f"{self.path.name}, line {self.fence.line}:\n{self.fence.text}\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.fence.line, self.name


#: The control token of the servers snippets start, in the environment as the README tells a reader to set it.
CONTROL_TOKEN = secrets.token_urlsafe(24)


#: What runs from the checkout (scenarios/, livingdoc/) is found as when run from it.
CHECKOUT = Path(__file__).resolve().parent.parent


def environment(folder: str) -> dict[str, str]:
    """This test run's environment, its virtualenv's scripts first on PATH, Python's output unbuffered, curl reading
    the scratch folder's .curlrc, FAKEQB_CONTROL_TOKEN set, the checkout on PYTHONPATH."""
    scripts = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")]), "PYTHONUNBUFFERED": "1",
            "CURL_HOME": folder, "FAKEQB_CONTROL_TOKEN": CONTROL_TOKEN, "PYTHONPATH": str(CHECKOUT)}


#: curl in a snippet fails on an HTTP error status (showing the body) and prints no progress meter.
CURLRC = "silent\nshow-error\nfail-with-body\n"


def scratch() -> tempfile.TemporaryDirectory[str]:
    """An empty folder for one snippet, but for .venv (this test run's virtualenv) and .curlrc."""
    folder = tempfile.TemporaryDirectory(prefix="snippet-")
    (Path(folder.name) / ".venv").symlink_to(Path(sys.executable).parent.parent, target_is_directory=True)
    (Path(folder.name) / ".curlrc").write_text(CURLRC)
    return folder


class PytestModuleItem(SnippetItem):
    """A ```python pytest fence: a test module, run with pytest in a scratch folder."""

    def runtest(self) -> None:
        with scratch() as folder:
            (Path(folder) / "test_snippet.py").write_text(self.fence.text)
            done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_snippet.py"],
                                  cwd=folder, env=environment(folder), capture_output=True, text=True, timeout=TIMEOUT)
        if done.returncode != 0:
            raise SnippetError(f"pytest exited {done.returncode}:\n{done.stdout}{done.stderr}")


class ShellItem(SnippetItem):
    """A ```bash fence: run by bash in a scratch folder, with its server block's server up."""

    def __init__(self, *, server: Fence | None, **kwargs: Any):
        super().__init__(**kwargs)
        self.server = server

    def runtest(self) -> None:
        if re.search(r"\bcurl\b", self.fence.text) and shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        with scratch() as folder:
            if self.server is None:
                self._run(self.fence.text, folder)
                return
            with Server(self.server.text, folder) as server:
                if self.server is self.fence:
                    server.check()
                else:
                    self._run(server.rewrite(self.fence.text), folder)

    def _run(self, script: str, folder: str) -> None:
        try:
            done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=folder, env=environment(folder),
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as exc:
            raise SnippetError(f"still running after {TIMEOUT:.0f} s:\n{exc.output or ''}") from None
        if done.returncode != 0:
            raise SnippetError(f"bash exited {done.returncode}:\n{done.stdout}")
        missing = missing_output(self.fence.output, done.stdout)
        if missing is not None:
            raise SnippetError(f"the output does not show {missing!r} (in the order of the output block):\n"
                                f"{done.stdout}")


def missing_output(expected: str | None, output: str) -> str | None:
    """The first line of `expected` not found in `output` after the lines found before it ("..." lines skipped)."""
    if expected is None:
        return None
    lines = [line.rstrip() for line in output.splitlines()]
    at = 0
    for want in (line.rstrip() for line in expected.splitlines()):
        if not want.strip() or want.strip() == "...":
            continue
        try:
            at = lines.index(want, at) + 1
        except ValueError:
            return want
    return None


class Server:
    """The `fakeqb serve` command of a server block, run in the background on a free port."""

    def __init__(self, block: str, folder: str):
        commands = [line for line in block.splitlines() if shlex.split(line, comments=True)]
        if len(commands) != 1 or shlex.split(commands[0], comments=True)[:2] != ["fakeqb", "serve"]:
            raise SnippetError("a server block holds one `fakeqb serve ...` command")
        args = shlex.split(commands[0], comments=True)
        self.port = DEFAULT_SERVE_PORT
        if "--port" in args:
            at = args.index("--port")
            self.port, args[at + 1] = int(args[at + 1]), "0"
        else:
            args += ["--port", "0"]
        self.args, self.folder = args, folder
        self.url = ""
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.printed: list[str] = []

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.args, cwd=self.folder, env=environment(self.folder),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        try:
            while not self.url:
                line = self.lines.get(timeout=SERVER_START_TIMEOUT)
                if line is None:
                    raise SnippetError("the server stopped before serving:\n" + "".join(self.printed))
                found = _URL.search(line)
                if found:
                    self.url = found.group(1)
        except queue.Empty:
            self.stop()
            raise SnippetError(f"no URL printed in {SERVER_START_TIMEOUT:.0f} s:\n" + "".join(self.printed)) from None
        except BaseException:
            self.stop()
            raise
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.printed.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def check(self) -> None:
        """The server answers its control plane."""
        status = urllib.request.Request(f"{self.url}/control/status",
                                        headers={"Authorization": f"Bearer {CONTROL_TOKEN}"})
        with urllib.request.urlopen(status, timeout=30) as response:
            json.load(response)

    def rewrite(self, text: str) -> str:
        """`text` with this server's URL for the one its block names."""
        actual = self.url.rsplit(":", 1)[1]
        return re.sub(rf"(?:127\.0\.0\.1|localhost):{self.port}\b", f"127.0.0.1:{actual}", text)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # Ctrl+C, as the block says to stop it
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(15)

    def __exit__(self, *exc: object) -> None:
        self.stop()


def collect_markdown(file_path: Path, parent: pytest.Collector) -> MarkdownFile | None:
    """README.md as tests (the `pytest_collect_file` of the root conftest.py)."""
    if file_path.suffix == ".md" and file_path.parent == parent.config.rootpath and file_path.name == "README.md":
        return MarkdownFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture(autouse=True)
def _markdown_snippet_folder(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Python snippets of markdown files run in an empty scratch folder (what they write stays out of the checkout)."""
    if request.node.path.suffix == ".md":
        monkeypatch.chdir(tmp_path_factory.mktemp("snippet"))
