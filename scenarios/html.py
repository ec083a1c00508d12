"""The HTML report: one self-contained page a person reads. A summary, charts per simulated day drawn as inline SVG
(objects on each side, requests per sync, sync errors, faults fired), the seeds, and every violation with the
command that replays it."""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path
from typing import Any

COLOURS = ("#2b6cb0", "#dd6b20", "#2f855a", "#c53030")
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#1a202c;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #e2e8f0}
.pass{color:#2f855a;font-weight:600}.fail{color:#c53030;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.5em 0}td,th{border-bottom:1px solid #e2e8f0;padding:.3em .5em;
text-align:left;vertical-align:top}th{background:#f7fafc}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(500px,1fr));gap:1em}
figure{margin:0;border:1px solid #e2e8f0;padding:.5em}figcaption{font-weight:600;margin-bottom:.3em}
code{background:#f7fafc;padding:.1em .3em;font-size:.92em}.muted{color:#718096}
"""


def chart(title: str, days: list[int], series: dict[str, list[float]]) -> str:
    """A line chart per day, one line per series, as SVG."""
    width, height, left, bottom, top, right = 520, 230, 48, 28, 30, 12
    peak = max([v for values in series.values() for v in values] + [1.0])
    span = max(len(days) - 1, 1)

    def x(i: int) -> float:
        return left + (width - left - right) * i / span

    def y(v: float) -> float:
        return height - bottom - (height - bottom - top) * v / peak

    parts = [f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="{escape(title)}">',
             f'<line x1="{left}" y1="{y(0)}" x2="{width - right}" y2="{y(0)}" stroke="#a0aec0"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0)}" stroke="#a0aec0"/>']
    for fraction in (0.5, 1.0):
        value = peak * fraction
        label = f"{value:,.0f}" if peak >= 10 else f"{value:g}"
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4}" font-size="11" text-anchor="end">{label}</text>'
                     f'<line x1="{left}" y1="{y(value)}" x2="{width - right}" y2="{y(value)}" stroke="#edf2f7"/>')
    step = max(1, len(days) // 10)
    for i, day in enumerate(days):
        if i % step == 0 or i == len(days) - 1:
            parts.append(f'<text x="{x(i)}" y="{height - 8}" font-size="11" text-anchor="middle">{day}</text>')
    for n, (name, values) in enumerate(series.items()):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"><title>day {days[i]}: {v:g}'
                  "</title></circle>" for i, v in enumerate(values)]
        parts.append(f'<text x="{left + 8 + 150 * n}" y="14" font-size="12" fill="{colour}">&#9632; {escape(name)}'
                     "</text>")
    parts.append("</svg>")
    return f"<figure><figcaption>{escape(title)}</figcaption>{''.join(parts)}</figure>"


def per_day(report: dict[str, Any]) -> tuple[list[int], dict[str, dict[str, list[float]]]]:
    """Per simulated day, over every seed: the charts' series (averages over the seeds)."""
    seeds = report["seeds"] or [{"per_sync": []}]
    days = sorted({s["day"] for seed in seeds for s in seed["per_sync"]})
    sums: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for seed in seeds:
        last: dict[int, dict[str, int]] = {}
        for sync in seed["per_sync"]:
            day = sync["day"]
            sums["requests"][day] += sync["requests"]
            counts["requests"][day] += 1
            sums["errors"][day] += sync["errors"]
            sums["unavailable"][day] += 1 if sync["unavailable"] else 0
            sums["faults"][day] += sync["faults_fired"]
            if sync["objects"]:
                last[day] = sync["objects"]
        for day, objects in last.items():
            for side, n in objects.items():
                sums[side][day] += n
                counts[side][day] += 1
    n = len(seeds)

    def mean(key: str) -> list[float]:
        return [sums[key][d] / max(counts[key][d], 1) for d in days]

    return days, {
        "Objects on each side (last check of the day)": {"QuickBooks": mean("quickbooks"), "app": mean("app")},
        "Requests per sync": {"requests": mean("requests")},
        "Sync errors and unavailable syncs per day": {"errors": [sums["errors"][d] / n for d in days],
                                                      "unavailable": [sums["unavailable"][d] / n for d in days]},
        "Faults fired per day": {"faults": [sums["faults"][d] / n for d in days]},
    }


def render(report: dict[str, Any], rerun: dict[int, str]) -> str:
    status = '<span class="pass">passed</span>' if report["passed"] else '<span class="fail">failed</span>'
    seeds = report["seeds"]
    violations = [(s["seed"], v) for s in seeds for v in s["violations"]]
    days, charts = per_day(report)
    rows = "".join(
        f'<tr><td class="n">{s["seed"]}</td><td>{"passed" if s["passed"] else "<b class=fail>failed</b>"}</td>'
        f'<td class="n">{len(s["violations"])}</td><td class="n">{s["syncs"]}</td><td class="n">{s["clean_syncs"]}</td>'
        f'<td class="n">{s["requests"]:,}</td><td class="n">{s["faults_fired"]}</td><td class="n">{s["actions"]}</td>'
        f'<td class="n">{s["duration"]:.1f} s</td></tr>' for s in seeds)
    found = "".join(
        f'<tr><td class="n">{seed}</td><td class="n">{v["day"]}</td><td>{escape(v["invariant"])}</td>'
        f'<td>{escape(str(v["object"]))}</td><td>{escape(str(v["quickbooks"]))}</td><td>{escape(str(v["app"]))}</td>'
        f'<td>{escape(v["detail"][:400])}<br><code>{escape(rerun.get(seed, ""))}</code></td></tr>'
        for seed, v in violations)
    chart_html = "".join(chart(title, days, series) for title, series in charts.items()) if days else \
        '<p class="muted">No sync ran.</p>'
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Scenario {escape(report["scenario"])}</title><style>{STYLE}</style></head><body>
<h1>Scenario {escape(report["scenario"])}: {status}</h1>
<p>{escape(report["description"])}</p>
<table><tr><th>brand</th><td>{escape(report["brand"])}</td><th>2-way bill sync</th>
<td>{"on" if report["two_way_bill_sync"] else "off"}</td><th>transport</th><td>{escape(report["transport"])}</td></tr>
<tr><th>days</th><td>{report["days"]}</td><th>seeds</th><td>{report["seeds_run"]} ({len(report["seeds_failed"])} failed)
</td><th>wall time</th><td>{report["wall_seconds"]:.1f} s</td></tr>
<tr><th>violations</th><td>{len(violations)}</td><th>requests</th><td>{sum(s["requests"] for s in seeds):,}</td>
<th>faults fired</th><td>{sum(s["faults_fired"] for s in seeds)}</td></tr></table>
<p class="muted">Options: <code>{escape(" ".join(report["options"]) or "none")}</code>. Charts average the seeds.</p>
<h2>Per day</h2><div class="charts">{chart_html}</div>
<h2>Violations</h2>
{"<table><tr><th>seed</th><th>day</th><th>invariant</th><th>object</th><th>QuickBooks</th><th>app</th>"
 "<th>detail, and the command that replays it</th></tr>" + found + "</table>" if found else "<p>None.</p>"}
<h2>Seeds</h2><table><tr><th>seed</th><th>outcome</th><th>violations</th><th>syncs</th><th>clean</th><th>requests</th>
<th>faults</th><th>actions</th><th>time</th></tr>{rows}</table>
</body></html>
"""


def write_html(path: Path, report: dict[str, Any], rerun: dict[int, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report, rerun), encoding="utf-8")
