"""JUnit XML, so a ministry's CI shows fixture results like any other tests."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from .runner import SUFFIXES, Result, Status, counts


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    """*text* with every character XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF) as a visible ``\\uXXXX``.

    ElementTree escapes ``<`` and ``&`` but writes a raw ``\\x1b`` or ``\\x00``,
    and a CI server then rejects the whole file.
    """
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _classname(file: str) -> str:
    """``listing/bad/x.case.yaml`` → ``listing.bad.x`` (``.info.yaml`` and ``.query.yaml`` alike): CI tools group test cases by dotted class names."""
    suffix = next((s for s in SUFFIXES.values() if file.endswith(s)), None)
    stem = file[: -len(suffix)] if suffix is not None else file.rsplit(".", 1)[0]
    return stem.replace("/", ".").strip(".")


def junit_xml(results: Sequence[Result], seconds: float, suite: str = "credit-rules") -> ET.ElementTree:
    """One ``<testsuite>`` with a ``<testcase>`` per fixture of every kind; failures and errors carry their (masked) messages.

    Each test case carries its kind (``case``, ``information`` or ``query``)
    as a ``<property>``, so a CI dashboard can group them.
    """
    c = counts(results)
    suite = _x(suite)
    root = ET.Element("testsuites", name=suite, tests=str(len(results)), failures=str(c[Status.failed]), errors=str(c[Status.error]), time=f"{seconds:.3f}")
    ts = ET.SubElement(
        root, "testsuite", name=suite, tests=str(len(results)), failures=str(c[Status.failed]), errors=str(c[Status.error]), skipped="0", time=f"{seconds:.3f}"
    )
    for r in results:
        attrs = {"classname": _x(_classname(r.item.file)), "name": _x(r.item.name), "file": _x(r.item.file), "time": f"{r.seconds:.3f}"}
        if r.item.line:
            attrs["line"] = str(r.item.line)
        case = ET.SubElement(ts, "testcase", attrs)
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="kind", value=r.item.kind.value)
        if r.status is not Status.passed:
            tag = "failure" if r.status is Status.failed else "error"
            text = _x("\n".join(r.problems))
            node = ET.SubElement(case, tag, message=text.splitlines()[0] if text else r.status.value, type=tag)
            node.text = text
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(results: Sequence[Result], seconds: float, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    junit_xml(results, seconds).write(path, encoding="utf-8", xml_declaration=True)
