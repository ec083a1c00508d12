"""`python -m livingdoc`: render the features, with results if given, into one HTML page."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError

from livingdoc.model import Status, load_features
from livingdoc.render import render_html
from livingdoc.results import apply_results, load_results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m livingdoc", description=__doc__)
    parser.add_argument("--features", type=Path, default=Path("features"), help="folder of .feature files")
    parser.add_argument("--results", type=Path, help="cucumber JSON from pytest --cucumberjson (default: none)")
    parser.add_argument("--out", type=Path, default=Path("build/spec.html"), help="the HTML page to write")
    parser.add_argument("--title", default="Sync with QuickBooks Desktop: executable specification")
    args = parser.parse_args(argv)

    try:
        features = load_features(args.features)
    except (FileNotFoundError, GherkinParseError) as err:
        parser.error(str(err))
    unmatched = []
    label = "none (every example not run)"
    if args.results is not None:
        try:
            unmatched = apply_results(features, load_results(args.results))
        except (OSError, ValueError) as err:
            parser.error(f"cannot read results: {err}")
        label = str(args.results)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        render_html(features, title=args.title, results_label=label, unmatched=unmatched), encoding="utf-8"
    )
    counts = Counter(o.status for f in features for o in f.outcomes())
    summary = ", ".join(f"{counts[s]} {s.value}" for s in (Status.PASSED, Status.FAILED, Status.NOT_RUN))
    print(f"{args.out}: {len(features)} features, {summary}")
    for u in unmatched:
        print(f"warning: result matches no scenario: {u.uri}:{u.line} {u.name} ({u.status.value})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
