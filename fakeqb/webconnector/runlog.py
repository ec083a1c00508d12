"""What one Web Connector run leaves: its log (`LogEntry`, as QWCLog.txt has it) and its summary (`RunSummary`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from fakeqb.webconnector import codes

#: QBWC's "Last Result" texts.
OK = "Ok"
NO_WORK = "No data exchange required"
POSTPONED = "Update postponed by application"
BUSY = "Application is busy: update not done"  # ASSUMPTION: QBWC's wording for "busy" was not found
NOT_LOADED = "Application not loaded"


@dataclass(frozen=True)
class LogEntry:
    """One line of the run's log: where in QBWC it was written, what it says, and its QBWC code if it has one."""

    time: datetime
    where: str  # QBWC's method, e.g. "do_authenticate"
    message: str
    code: str | None = None

    def __str__(self) -> str:
        text = f"{self.code}: {self.message}" if self.code else self.message
        return f"{self.time:%Y%m%d.%H:%M:%S} UTC\t: QBWebConnector.SOAPWebService.{self.where}() : {text}"


@dataclass
class RunSummary:
    """One run: how it ended (`result`, QBWC's "Last Result"), the calls made to the integration, and the log.

    `ok` is true when the run ended as the integration meant it to: the exchange finished, or the integration said
    there is nothing to do, is busy or asked to wait.
    """

    app_name: str
    url: str
    result: str = ""
    ok: bool = False
    calls: list[str] = field(default_factory=list)  # the integration's methods, in the order they were called
    log: list[LogEntry] = field(default_factory=list)
    server_version: str | None = None
    client_version_answer: str | None = None
    ticket: str | None = None
    company_file: str | None = None  # the file QuickBooks had open for the exchange
    requests: int = 0  # qbXML request documents passed to QuickBooks
    percent: int | None = None  # receiveResponseXML's last answer
    wait_seconds: int | None = None  # authenticate's third value: postpone the update by that many seconds
    run_every_seconds: int | None = None  # authenticate's fourth value: run at least every N seconds
    last_error: str | None = None  # getLastError's answer that ended the run
    close_message: str | None = None  # closeConnection's answer

    @property
    def codes(self) -> list[str]:
        """The QBWC codes written to the log, in order."""
        return [entry.code for entry in self.log if entry.code]

    def write(self, where: str, message: str, code: str | None = None) -> LogEntry:
        entry = LogEntry(datetime.now(UTC), where, message, code)
        self.log.append(entry)
        return entry

    def fail(self, where: str, code: str, detail: str = "") -> None:
        """The run ends on `code`: logged, and it becomes the result."""
        message = codes.text(code, detail, self.app_name)
        self.write(where, message, code)
        self.result, self.ok = f"{code}: {message}", False

    def __str__(self) -> str:
        lines = [str(entry) for entry in self.log]
        lines += ["", f"{self.app_name}: {self.result}",
                  f"  calls: {', '.join(self.calls) or '(none)'}", f"  qbXML requests: {self.requests}"]
        if self.last_error:
            lines.append(f"  getLastError: {self.last_error}")
        if self.close_message is not None:
            lines.append(f"  closeConnection: {self.close_message}")
        return "\n".join(lines)
