"""The diff as text (terminal), Markdown (a merge request), HTML (a reviewer's browser) or JSON (tools).

All four carry the same content: the two states compared, the summary by
change class, and for every changed fixture its classified changes.  They
are deterministic (no timestamps), so a report can be committed and diffed.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from .classify import CLASSES
from .diff import DiffReport
from .runner import table

FORMATS = ("text", "markdown", "html", "json")


def _headline(r: DiffReport) -> str:
    return f"{len(r.diffs)} fixtures decided both ways, {len(r.changed)} changed" + (f", {len(r.errors)} errors" if r.errors else "")


def render_text(r: DiffReport) -> str:
    out = [f"credit-rules diff  base: {r.base}  head: {r.head}", _headline(r), ""]
    for e in r.errors:
        out.append(f"ERROR {e.item.ident}")
        out += [f"    {line}" for line in e.message.splitlines()]
        out.append("")
    for d in r.changed:
        out.append(d.item.ident)
        rows = [[f"  {CLASSES[c.cls].title}", c.detail] for c in d.changes]
        width = max(len(row[0]) for row in rows)
        out += [f"{row[0].ljust(width)}  {row[1]}" for row in rows]
        out.append("")
    if r.changed:
        rows2 = [[c.id, c.effect, str(len(fx))] for c, fx in r.tally().rows()]
        out.append(table(["class", "effect", "fixtures"], rows2, right=(2,)))
    else:
        out.append("no decision changed")
    return "\n".join(out).rstrip("\n") + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text: str) -> str:
    """Text in a Markdown table cell or list item: every character Markdown or HTML would act on is escaped.

    A fixture named ``[click](http://…)`` or ``<img onerror=…>`` is shown as
    written, not turned into a link or markup; a newline cannot end the row.
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.splitlines()))


def _code(text: str) -> str:
    """*text* as an inline code span, whatever backticks it holds (a longer fence), safe in a table cell."""
    flat = " ".join(text.splitlines()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def render_markdown(r: DiffReport) -> str:
    out = ["# Decision changes", "", f"- base: {_code(r.base)}", f"- head: {_code(r.head)}", f"- {_md(_headline(r))}", ""]
    if r.changed:
        out += ["## Summary", "", "| class | effect | fixtures |", "|---|---|---:|"]
        out += [f"| {_md(c.title)} ({_code(c.id)}) | {_md(c.effect)} | {len(fx)} |" for c, fx in r.tally().rows()]
        out += ["", "## Changed fixtures", ""]
        for d in r.changed:
            out += [f"### {_code(d.item.ident)}", "", "| class | change |", "|---|---|"]
            out += [f"| {_md(CLASSES[c.cls].title)} | {_md(c.detail)} |" for c in d.changes]
            out.append("")
    else:
        out += ["No decision changed.", ""]
    if r.errors:
        out += ["## Errors", ""]
        out += [f"- {_code(e.item.ident)}: {_md(e.message)}" for e in r.errors]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def render_html(r: DiffReport) -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh"><head><meta charset="utf-8"><title>credit-rules diff</title>',
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1.5em}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}"
        ".listing,.determination{background:#fde8e8}.measures,.repair{background:#fdf3e1}.information,.query{background:#e8f0fd}</style>",
        "</head><body>",
        "<h1>Decision changes</h1>",
        f"<p>base: <code>{esc(r.base)}</code><br>head: <code>{esc(r.head)}</code><br>{esc(_headline(r))}</p>",
    ]
    if r.changed:
        out += ["<h2>Summary</h2>", "<table><tr><th>class</th><th>effect</th><th>fixtures</th></tr>"]
        out += [f'<tr class="{esc(c.effect)}"><td>{esc(c.title)} (<code>{esc(c.id)}</code>)</td><td>{esc(c.effect)}</td><td>{len(fx)}</td></tr>' for c, fx in r.tally().rows()]
        out += ["</table>", "<h2>Changed fixtures</h2>"]
        for d in r.changed:
            out += [f"<h3><code>{esc(d.item.ident)}</code></h3>", "<table><tr><th>class</th><th>change</th></tr>"]
            out += [f'<tr class="{esc(CLASSES[c.cls].effect)}"><td>{esc(CLASSES[c.cls].title)}</td><td>{esc(c.detail)}</td></tr>' for c in d.changes]
            out.append("</table>")
    else:
        out.append("<p>No decision changed.</p>")
    if r.errors:
        out += ["<h2>Errors</h2>", "<ul>"]
        out += [f"<li><code>{esc(e.item.ident)}</code>: <pre>{esc(e.message)}</pre></li>" for e in r.errors]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def as_json(r: DiffReport) -> dict[str, Any]:
    return {
        "base": r.base,
        "head": r.head,
        "fixtures": len(r.diffs),
        "changed": len(r.changed),
        "summary": [{"class": c.id, "title": c.title, "effect": c.effect, "fixtures": fx} for c, fx in r.tally().rows()],
        "changes": [
            {
                "fixture": d.item.ident,
                "kind": d.item.kind.value,
                "file": d.item.file,
                "name": d.item.name,
                "changes": [
                    {"class": c.cls, "title": CLASSES[c.cls].title, "effect": CLASSES[c.cls].effect, "path": c.path, "before": c.before, "after": c.after, "detail": c.detail}
                    for c in d.changes
                ],
            }
            for d in r.changed
        ],
        "errors": [{"fixture": e.item.ident, "message": e.message} for e in r.errors],
    }


def render_json(r: DiffReport) -> str:
    return json.dumps(as_json(r), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render(r: DiffReport, fmt: str) -> str:
    return {"text": render_text, "markdown": render_markdown, "html": render_html, "json": render_json}[fmt](r)
