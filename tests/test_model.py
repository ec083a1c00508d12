"""The committed message model is exactly what the official XSDs say, and its text format round-trips."""

from __future__ import annotations

import difflib

from fakeqb.qbxml import model
from fakeqb.qbxml.model import MODEL_FILE, UNBOUNDED, Node, ValueType, model_for, parse_model, render_model
from fakeqb.qbxml.xsd_extract import SIMULATED, extract
from tests.support import xsd_dir


def test_committed_model_matches_the_xsds() -> None:
    expected = extract(xsd_dir())
    committed = MODEL_FILE.read_text(encoding="utf-8")
    if committed != expected:
        diff = list(difflib.unified_diff(committed.splitlines(), expected.splitlines(), "messages.qbm (committed)",
                                         "messages.qbm (from the XSDs)", lineterm="", n=1))
        shown = "\n".join(diff[:60]) + ("\n..." if len(diff) > 60 else "")
        raise AssertionError("messages.qbm is out of date; regenerate it with\n  python -m fakeqb.qbxml.xsd_extract "
                             f"$QBXML_XSD_DIR > fakeqb/qbxml/messages.qbm\n{shown}")


def test_model_text_round_trips() -> None:
    text = MODEL_FILE.read_text(encoding="utf-8")
    roots = parse_model(text)
    assert set(SIMULATED) | {"QBXMLMsgsRq"} == set(roots)
    body = "".join(line + "\n" for line in text.splitlines() if not line.startswith("#"))
    assert render_model(roots) == body
    assert render_model(parse_model(render_model(roots))) == body


def test_parse_model_reads_every_notation() -> None:
    text = ("Top [requestID,metaData]\n"
            "  Leaf str:41\n"
            "  Many* enum:A|B|C =B @16\n"
            "  (choice)?\n"
            "    One+ amt\n"
            "    (seq){0,8}\n"
            "      Flag? bool @13\n")
    top = parse_model(text)["Top"]
    leaf, many, choice = top.children
    assert top.attributes == ("requestID", "metaData")
    assert (leaf.min, leaf.max, leaf.value) == (1, 1, ValueType("str", 41))
    assert (many.min, many.max, many.value, many.family, many.default) == (
        0, UNBOUNDED, ValueType("enum", enum=("A", "B", "C")), "16", "B")
    assert (choice.name, choice.group, choice.min, choice.max) == (None, "choice", 0, 1)
    one, seq = choice.children
    assert (one.min, one.max, one.value) == (1, UNBOUNDED, ValueType("amt"))
    assert (seq.group, seq.min, seq.max, seq.children[0].family) == ("seq", 0, 8, "13")
    assert [n.name for n in top.elements()] == ["Leaf", "Many", "One", "Flag"]
    assert render_model({"Top": top}) == text


def test_model_for_keeps_only_one_family() -> None:
    old, new = model_for("13.0"), model_for("16.0")
    assert "PreferencesModRq" not in [n.name for n in old["QBXMLMsgsRq"].children]
    assert "PreferencesModRq" in [n.name for n in new["QBXMLMsgsRq"].children]
    employee_16 = new["EmployeeModRq"].child("EmployeeMod")
    employee_13 = old["EmployeeModRq"].child("EmployeeMod")
    assert employee_16 is not None and employee_13 is not None
    assert employee_16.child("SSN") is not None and employee_13.child("SSN") is None
    assert all(_no_family(root) for root in old.values())


def _no_family(node: Node) -> bool:
    return node.family is None and all(_no_family(c) for c in node.children)


def test_bad_model_line_is_reported() -> None:
    try:
        parse_model("Top\n  bad line here!\n")
    except ValueError as exc:
        assert f"{model.MODEL_FILE.name}:2" in str(exc)
    else:
        raise AssertionError("a malformed line was accepted")
