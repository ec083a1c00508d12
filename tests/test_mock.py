"""`fakeqb.mock_qbxmlrp2`: pywin32's Dispatch answered by fakeqb, with pywin32 absent (stand-in modules) or present."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from fakeqb import ComError, FakeQuickBooks, mock_qbxmlrp2
from fakeqb.com import hresults as hr
from fakeqb.mock import STAND_IN_MODULES, MockQBXMLRP2, current_quickbooks

HOST_QUERY = """<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError"><HostQueryRq/></QBXMLMsgsRq></QBXML>"""


def win32com_client() -> Any:
    return importlib.import_module("win32com.client")


def session(rp: Any) -> str:
    rp.OpenConnection2("", "Mock Test", 1)
    return str(rp.BeginSession("", 2))


@pytest.fixture(autouse=True)
def _no_pywin32() -> None:
    if any(name in sys.modules for name in STAND_IN_MODULES):
        pytest.skip("pywin32 (or a module of its names) is imported in this process")


def test_dispatch_gives_a_new_request_processor_for_each_progid_spelling() -> None:
    with mock_qbxmlrp2() as qb:
        import pythoncom  # type: ignore[import-not-found]
        import pywintypes  # type: ignore[import-not-found]
        import win32com.client  # type: ignore[import-not-found]
        import win32com.client.gencache  # type: ignore[import-not-found]

        pythoncom.CoInitialize()
        made = [win32com.client.Dispatch("QBXMLRP2.RequestProcessor"),
                win32com.client.DispatchEx("qbxmlrp2.requestprocessor.2"),
                win32com.client.gencache.EnsureDispatch("QBXMLRP2.REQUESTPROCESSOR")]
        tickets = [session(rp) for rp in made]
        assert len(set(tickets)) == 3 and qb.session_count == 3
        assert "<HostRet>" in made[0].ProcessRequest(tickets[0], HOST_QUERY)
        assert made[1].processrequest(tickets[1], HOST_QUERY) == made[1].ProcessRequest(tickets[1], HOST_QUERY)
        assert made[2].MajorVersion == 13 and made[2].majorversion == 13
        assert repr(made[0]) == "<COMObject QBXMLRP2.RequestProcessor>"
        with pytest.raises(AttributeError):
            made[0].NoSuchMethod  # noqa: B018
        with pytest.raises(pywintypes.com_error) as refused:
            made[0].ProcessRequest("not a ticket", HOST_QUERY)
        assert refused.value.excepinfo[5] == hr.signed(hr.INVALID_TICKET) and refused.type is ComError
        with pytest.raises(pythoncom.com_error) as unknown:
            win32com.client.Dispatch("Excel.Application")
        assert unknown.value.args == (-2147221005, "Invalid class string", None, None)
        pythoncom.CoUninitialize()
    assert not any(name in sys.modules for name in STAND_IN_MODULES)
    with pytest.raises(ImportError):
        importlib.import_module("win32com.client")


def test_a_module_that_kept_the_stand_in_gets_an_unregistered_class_after_the_mock() -> None:
    with mock_qbxmlrp2():
        client = win32com_client()
    with pytest.raises(ComError) as unknown:
        client.Dispatch("QBXMLRP2.RequestProcessor")
    assert unknown.value.hresult == -2147221005


def test_the_company_is_yours_or_a_fresh_one_closed_after() -> None:
    mine = FakeQuickBooks()
    mine.seed(3, vendors=2)
    with mock_qbxmlrp2(qb=mine) as qb:
        assert qb is mine and current_quickbooks() is mine
        rp = win32com_client().Dispatch("QBXMLRP2.RequestProcessor")
        assert "<VendorQueryRs" in rp.ProcessRequest(session(rp), HOST_QUERY.replace("HostQueryRq", "VendorQueryRq"))
    assert mine.control.log()[-1].app_name == "Mock Test"  # still open: the caller's
    mine.close()
    with mock_qbxmlrp2() as fresh:
        assert fresh.control.status()["log_entries"] == 0
    with pytest.raises(RuntimeError, match="no mock_qbxmlrp2 is active"):
        current_quickbooks()


def test_mocks_nest_and_the_innermost_answers() -> None:
    with mock_qbxmlrp2() as outer:
        with mock_qbxmlrp2() as inner:
            assert current_quickbooks() is inner
            session(win32com_client().Dispatch("QBXMLRP2.RequestProcessor"))
            assert inner.session_count == 1 and outer.session_count == 0
        assert current_quickbooks() is outer
        assert "win32com.client" in sys.modules
    assert "win32com.client" not in sys.modules


@mock_qbxmlrp2
def test_as_a_decorator_with_fixtures(tmp_path: Path) -> None:
    assert tmp_path.is_dir()
    assert current_quickbooks().control.status()["running"]
    assert win32com_client().Dispatch("QBXMLRP2.RequestProcessor").MajorVersion == 13


@mock_qbxmlrp2
class TestAsAClassDecorator:
    def test_each_method_is_mocked(self) -> None:
        assert current_quickbooks().session_count == 0

    def helper_is_not(self) -> None: ...


def test_the_class_decorator_wraps_only_test_methods() -> None:
    assert not hasattr(TestAsAClassDecorator.helper_is_not, "__wrapped__")
    assert hasattr(TestAsAClassDecorator.test_each_method_is_mocked, "__wrapped__")


def test_one_mock_instance_as_a_decorator_exposes_its_company() -> None:
    mock = mock_qbxmlrp2()

    @mock
    def count_sessions() -> int:
        session(win32com_client().Dispatch("QBXMLRP2.RequestProcessor"))
        return mock.qb.session_count

    assert count_sessions() == 1 and count_sessions() == 1  # a fresh company each call
    with pytest.raises(RuntimeError, match="not active"):
        mock.qb  # noqa: B018


def test_start_and_stop_are_checked() -> None:
    mock = MockQBXMLRP2()
    with pytest.raises(RuntimeError, match="not active"):
        mock.stop()
    mock.start()
    with pytest.raises(RuntimeError, match="already active"):
        mock.start()
    mock.stop()
    with pytest.raises(TypeError):
        mock(42)


def test_a_module_of_pywin32s_names_without_pywin32_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pythoncom", ModuleType("pythoncom"))
    with pytest.raises(RuntimeError, match="pythoncom already imported"), mock_qbxmlrp2():
        pass


# -- pywin32 installed: stand-ins of its own modules, as pywin32 lays them out ---------------------------------------

class RealComError(Exception):
    """pywin32's `pywintypes.com_error`, as far as the mock relies on it."""


@pytest.fixture
def pywin32(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """Fake pywin32 modules in sys.modules; yields the (function, ProgID) calls its own Dispatch functions got."""
    calls: list[tuple[str, str]] = []

    def real(name: str) -> Any:
        def dispatch(progid: str, *args: Any, **kwargs: Any) -> str:
            calls.append((name, progid))
            return f"real {progid}"
        return dispatch

    pywintypes = ModuleType("pywintypes")
    pywintypes.com_error = RealComError  # type: ignore[attr-defined]
    client = ModuleType("win32com.client")
    client.Dispatch, client.DispatchEx = real("Dispatch"), real("DispatchEx")  # type: ignore[attr-defined]
    gencache = ModuleType("win32com.client.gencache")
    gencache.EnsureDispatch = real("EnsureDispatch")  # type: ignore[attr-defined]
    client.gencache = gencache  # type: ignore[attr-defined]
    win32com = ModuleType("win32com")
    win32com.client = client  # type: ignore[attr-defined]
    for module in (pywintypes, win32com, client, gencache):
        monkeypatch.setitem(sys.modules, module.__name__, module)
    yield calls


def test_with_pywin32_its_functions_are_patched_and_restored(pywin32: list[tuple[str, str]]) -> None:
    client = sys.modules["win32com.client"]
    originals = (client.Dispatch, client.DispatchEx, client.gencache.EnsureDispatch)  # type: ignore[attr-defined]
    with mock_qbxmlrp2():
        rp = client.Dispatch("QBXMLRP2.RequestProcessor.2")  # type: ignore[attr-defined]
        assert rp.MajorVersion == 13
        assert client.DispatchEx("Excel.Application") == "real Excel.Application"  # type: ignore[attr-defined]
        assert client.gencache.EnsureDispatch("Word.Application") == "real Word.Application"  # type: ignore[attr-defined]
        with pytest.raises(RealComError) as refused:
            rp.BeginSession("", 2)
        assert isinstance(refused.value, ComError) and refused.value.qb_hresult == hr.NOT_CONNECTED
        assert refused.value.args == ComError.qb(hr.NOT_CONNECTED).args
    assert pywin32 == [("DispatchEx", "Excel.Application"), ("EnsureDispatch", "Word.Application")]
    assert (client.Dispatch, client.DispatchEx, client.gencache.EnsureDispatch) == originals  # type: ignore[attr-defined]
    assert sys.modules["pywintypes"].com_error is RealComError
