"""`python -m livingdoc`: render the features, with results if given, into one HTML page.

`--brand` picks the brands shown side by side (`both`, the default, or the brands of the run), or one brand's
edition (`cashflow360`, `keycashflow`): "the app" then reads as the brand's name.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from pytest_bdd.exceptions import GherkinParseError

from livingdoc.brands import BRANDS
from livingdoc.history import read_history, record
from livingdoc.model import Feature, Status, load_features
from livingdoc.render import COUNTED, Page, brand_name
from livingdoc.results import Unmatched, apply_results, load_results
from livingdoc.run import RunInfo, read_run, run_path
from livingdoc.trace import DEFAULT_SOURCES, NOT_RULES_FILE, Source, Sources, trace


def _brands_seen(features: list[Feature]) -> list[str]:
    seen = {b for f in features for o in f.outcomes() for b in o.results}
    return [b for b in BRANDS if b in seen] or (["" ] if "" in seen else list(BRANDS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m livingdoc", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", type=Path, default=Path("features"), help="folder of .feature files")
    parser.add_argument("--results", type=Path, help="cucumber JSON from pytest --cucumberjson (default: none)")
    parser.add_argument("--run", type=Path,
                        help="the run's record (default: beside the results, .run.json, when there is one)")
    parser.add_argument("--brand", choices=(*BRANDS, "both"),
                        help="one brand's edition, or both brands side by side (default: the brands of the run)")
    parser.add_argument("--sources", type=Path,
                        help="the folder the spec's sources are published in, with seeds/ and reference/, for the "
                             "traceability view (default: $SPEC_SOURCES, else ../shared beside the checkout)")
    parser.add_argument("--history", type=Path,
                        help="a history file (JSON lines): this run's results are added to it, and each rule shows "
                             "its trend")
    parser.add_argument("--out", type=Path, default=Path("build/spec.html"), help="the HTML page to write")
    parser.add_argument("--title", default="Sync with QuickBooks Desktop: executable specification")
    args = parser.parse_args(argv)

    try:
        features = load_features(args.features)
    except (FileNotFoundError, GherkinParseError) as err:
        parser.error(str(err))
    unmatched: list[Unmatched] = []
    label = "none (every example not run)"
    run: RunInfo | None = None
    if args.results is not None:
        try:
            unmatched = apply_results(features, load_results(args.results))
        except (OSError, ValueError) as err:
            parser.error(f"cannot read results: {err}")
        label = str(args.results)
    run_file = args.run or (run_path(args.results) if args.results is not None else None)
    if run_file is not None and (args.run is not None or run_file.exists()):
        try:
            run = read_run(run_file)
        except (OSError, ValueError) as err:
            parser.error(f"cannot read the run: {err}")

    sources_folder = args.sources or Path(os.environ.get("SPEC_SOURCES") or DEFAULT_SOURCES)
    sources: list[Source] = []
    if sources_folder.is_dir():
        sources, misquotes = trace(features, Sources.published(sources_folder, args.features / NOT_RULES_FILE))
        for m in misquotes:
            print(f"warning: {m.feature.path}: rule '{m.rule.name}' quotes what {m.source} does not say: {m.quoted}",
                  file=sys.stderr)
    elif args.sources is not None:
        parser.error(f"no sources folder at {args.sources}")
    page = Page(features, title=args.title, results_label=label, unmatched=unmatched, run=run, sources=sources,
                edition=args.brand if args.brand in BRANDS else None)
    if page.edition is None:
        page.brands = list(BRANDS) if args.brand == "both" else (
            [b for b in run.brands if b in BRANDS] if run and run.brands else _brands_seen(features))
    if args.history is not None:
        try:
            page.history = (record(args.history, features, page.brands, run) if args.results is not None
                            else read_history(args.history))
        except OSError as err:
            parser.error(f"cannot keep the history: {err}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(page.html(), encoding="utf-8")
    print(f"{args.out}: {len(features)} features")
    for source in sources:
        if source.brand is None or source.brand in page.brands:
            print(f"  {source.title}: {len(source.sentences)} sentences, {len(source.uncovered())} uncovered")
    for brand in page.brands:
        counts = Counter(s for f in features for sc in f.all_scenarios() for s in sc.brand_statuses(brand))
        summary = ", ".join(f"{counts[s]} {s.value}" for s in COUNTED if counts[s] or s is not Status.NOT_IN_EDITION)
        print(f"  {brand_name(brand)}: {summary}")
    for u in unmatched:
        print(f"warning: result matches no scenario: {u.uri}:{u.line} {u.name} ({u.status.value})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
