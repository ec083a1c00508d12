"""`mock_qbxmlrp2`: pywin32's `Dispatch("QBXMLRP2.RequestProcessor")` answered by fakeqb, on any OS.

    with mock_qbxmlrp2() as qb:                     # a fresh company in memory (or mock_qbxmlrp2(qb=yours))
        rp = win32com.client.Dispatch("QBXMLRP2.RequestProcessor")   # fakeqb's request processor on `qb`

    @mock_qbxmlrp2                                  # a decorator (functions, or a class's test* methods):
    def test_sync() -> None:                        # each call gets a fresh company, current_quickbooks() is it
        ...

`win32com.client.Dispatch`, `DispatchEx` and `win32com.client.gencache.EnsureDispatch` give a new request processor
for "QBXMLRP2.RequestProcessor" and "QBXMLRP2.RequestProcessor.2" (in any case, as COM reads ProgIDs); other ProgIDs go
to pywin32. Without pywin32, stand-in modules `win32com`, `win32com.client`, `win32com.client.gencache`, `pywintypes`
and `pythoncom` are importable while a mock is active (another ProgID then raises COM's "Invalid class string") and are
removed when the last mock stops.

Errors are `pywintypes.com_error`: with pywin32, a class that is both it and fakeqb's `ComError`; without it, the
stand-in `pywintypes.com_error` is `ComError` itself. The patch replaces module attributes, so code must look
`Dispatch` up when it calls it (`win32com.client.Dispatch(...)`, or a name imported while the mock is active); a
name bound from the real pywin32 before the mock started keeps the real function. Code that imports `win32com` at
module level on a machine without pywin32 imports fine once a mock is active: start one first (e.g. in conftest.py,
`mock_qbxmlrp2().start()`, left running; mocks nest, the innermost answers).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import threading
from collections.abc import Callable
from types import ModuleType, TracebackType
from typing import Any, TypeVar

from fakeqb.com.hresults import ComError
from fakeqb.quickbooks import FakeQuickBooks

PROGIDS = frozenset({"qbxmlrp2.requestprocessor", "qbxmlrp2.requestprocessor.2"})
#: COM's answer to a ProgID no class is registered for (CO_E_CLASSSTRING), as pywin32 raises it.
CO_E_CLASSSTRING = -2147221005
STAND_IN_MODULES = ("pywintypes", "pythoncom", "win32com", "win32com.client", "win32com.client.gencache")

T = TypeVar("T")

_lock = threading.RLock()
_active: list[MockQBXMLRP2] = []
_undo: list[Callable[[], None]] = []
_error_type: type[ComError] = ComError


def is_qbxmlrp2(progid: object) -> bool:
    """True for the ProgIDs of QuickBooks' request processor, in any case."""
    return isinstance(progid, str) and progid.strip().lower() in PROGIDS


def current_quickbooks() -> FakeQuickBooks:
    """The company the innermost active mock answers with."""
    with _lock:
        if not _active:
            raise RuntimeError("no mock_qbxmlrp2 is active")
        return _active[-1].qb


def class_not_registered() -> ComError:
    return _error_type(CO_E_CLASSSTRING, "Invalid class string", None, None)


class ComObject:
    """What Dispatch gives under the mock: the request processor's members, looked up as IDispatch does (in any
    case), its errors raised as `pywintypes.com_error`."""

    def __init__(self, processor: Any, progid: str, error_type: type[ComError]):
        self._processor, self._progid, self._error_type = processor, progid, error_type
        self._names = {name.lower(): name for name in dir(processor) if not name.startswith("_")}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        member = self._names.get(name.lower())
        if member is None:
            raise AttributeError(f"{self._progid}.{name}")
        value = self._call(getattr, self._processor, member)
        if not callable(value):
            return value

        @functools.wraps(value)
        def method(*args: Any) -> Any:
            return self._call(value, *args)
        return method

    def _call(self, function: Callable[..., Any], *args: Any) -> Any:
        try:
            return function(*args)
        except ComError as exc:
            if isinstance(exc, self._error_type):
                raise
            raise self._error_type(*exc.args) from None

    def __repr__(self) -> str:
        return f"<COMObject {self._progid}>"


def _answer(progid: object) -> ComObject | None:
    """The request processor for `progid` if it is QBXMLRP2's and a mock is active."""
    with _lock:
        mock = _active[-1] if _active else None
    if mock is None or not is_qbxmlrp2(progid):
        return None
    return ComObject(mock.qb.request_processor(), str(progid), _error_type)


# -- pywin32 installed: its functions patched -----------------------------------------------------------------------

def _patched(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def dispatch(progid: Any, *args: Any, **kwargs: Any) -> Any:
        answer = _answer(progid)
        return answer if answer is not None else original(progid, *args, **kwargs)
    return dispatch


def _patch(module: ModuleType, name: str) -> None:
    original = getattr(module, name)
    setattr(module, name, _patched(original))
    _undo.append(lambda: setattr(module, name, original))


def _install_over_pywin32() -> bool:
    """Patch the real pywin32 if it is there; False when it is not."""
    global _error_type
    try:
        pywintypes = importlib.import_module("pywintypes")
        client = importlib.import_module("win32com.client")
        gencache = importlib.import_module("win32com.client.gencache")
    except ImportError:
        return False
    com_error = pywintypes.com_error
    try:
        _error_type = type("com_error", (ComError, com_error), {"__module__": __name__})
    except TypeError:  # a layout that cannot be combined: raise pywin32's own class
        _error_type = type("com_error", (ComError,), {"__module__": __name__})
    for name in ("Dispatch", "DispatchEx"):
        _patch(client, name)
    _patch(gencache, "EnsureDispatch")
    return True


# -- no pywin32: stand-in modules -----------------------------------------------------------------------------------

def _stand_in_dispatch(progid: Any, *args: Any, **kwargs: Any) -> Any:
    answer = _answer(progid)
    if answer is None:
        raise class_not_registered()
    return answer


class _Win32Error(Exception):
    """The stand-in `pywintypes.error`."""


def _stand_ins() -> dict[str, ModuleType]:
    note = "fakeqb's stand-in (pywin32 is not installed), importable while mock_qbxmlrp2 is active"
    pywintypes = ModuleType("pywintypes", note)
    pywintypes.com_error = ComError  # type: ignore[attr-defined]
    pywintypes.error = _Win32Error  # type: ignore[attr-defined]
    pythoncom = ModuleType("pythoncom", note)
    pythoncom.com_error = ComError  # type: ignore[attr-defined]
    pythoncom.COINIT_MULTITHREADED, pythoncom.COINIT_APARTMENTTHREADED = 0, 2  # type: ignore[attr-defined]
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]
    pythoncom.CoInitializeEx = lambda flags=0: None  # type: ignore[attr-defined]
    pythoncom.CoUninitialize = lambda: None  # type: ignore[attr-defined]
    gencache = ModuleType("win32com.client.gencache", note)
    gencache.EnsureDispatch = _stand_in_dispatch  # type: ignore[attr-defined]
    client = ModuleType("win32com.client", note)
    client.__path__ = []  # a package, as pywin32's is
    client.Dispatch = client.DispatchEx = _stand_in_dispatch  # type: ignore[attr-defined]
    client.gencache = gencache  # type: ignore[attr-defined]
    win32com = ModuleType("win32com", note)
    win32com.__path__ = []
    win32com.client = client  # type: ignore[attr-defined]
    return {"pywintypes": pywintypes, "pythoncom": pythoncom, "win32com": win32com, "win32com.client": client,
            "win32com.client.gencache": gencache}


def _install_stand_ins() -> None:
    global _error_type
    _error_type = ComError
    modules = _stand_ins()
    clashing = [name for name in modules if name in sys.modules]
    if clashing:
        raise RuntimeError(f"cannot stand in for pywin32: {', '.join(clashing)} already imported but pywin32 is "
                           "not importable")
    sys.modules.update(modules)

    def remove() -> None:
        for name, module in modules.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    _undo.append(remove)


def _install() -> None:
    if not _install_over_pywin32():
        _install_stand_ins()


def _uninstall() -> None:
    global _error_type
    while _undo:
        _undo.pop()()
    _error_type = ComError


# -- the mock -------------------------------------------------------------------------------------------------------

class MockQBXMLRP2:
    """One mock: a decorator, a context manager (yielding the company), or `start()`/`stop()`."""

    def __init__(self, qb: FakeQuickBooks | None = None):
        self._given = qb
        self._qb: FakeQuickBooks | None = None

    @property
    def qb(self) -> FakeQuickBooks:
        """The company this mock answers with (while it is active)."""
        if self._qb is None:
            raise RuntimeError("this mock_qbxmlrp2 is not active")
        return self._qb

    def start(self) -> FakeQuickBooks:
        with _lock:
            if self._qb is not None:
                raise RuntimeError("this mock_qbxmlrp2 is already active")
            if not _active:
                _install()
            self._qb = self._given if self._given is not None else FakeQuickBooks()
            _active.append(self)
            return self._qb

    def stop(self) -> None:
        with _lock:
            if self._qb is None:
                raise RuntimeError("this mock_qbxmlrp2 is not active")
            _active.remove(self)
            if not _active:
                _uninstall()
            qb, self._qb = self._qb, None
        if self._given is None:
            qb.close()

    def __enter__(self) -> FakeQuickBooks:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def __call__(self, target: T) -> T:
        """Decorate a function (the mock is active for each call) or a class (each of its `test*` methods)."""
        if inspect.isclass(target):
            for name, member in list(vars(target).items()):
                if name.startswith("test") and inspect.isfunction(member):
                    setattr(target, name, self(member))
            return target
        if not callable(target):
            raise TypeError(f"mock_qbxmlrp2 decorates a function or a class, not {target!r}")
        function: Callable[..., Any] = target

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return function(*args, **kwargs)
        return wrapper  # type: ignore[return-value]


def mock_qbxmlrp2(target: T | None = None, *, qb: FakeQuickBooks | None = None) -> Any:
    """Answer `Dispatch("QBXMLRP2.RequestProcessor")` with fakeqb: `@mock_qbxmlrp2`, `@mock_qbxmlrp2(qb=...)`, or
    `with mock_qbxmlrp2() as qb:`. Without `qb`, each activation makes a fresh company in memory (closed after)."""
    mock = MockQBXMLRP2(qb)
    return mock if target is None else mock(target)


__all__ = ["ComObject", "MockQBXMLRP2", "current_quickbooks", "is_qbxmlrp2", "mock_qbxmlrp2"]
