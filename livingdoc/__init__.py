"""Living documentation: the `.feature` files rendered as one HTML page, each example marked passed, failed or not
run from pytest-bdd's cucumber JSON report.

    python -m livingdoc --features features --results report.json --out build/spec.html
"""

from livingdoc.model import Feature, Rule, Scenario, Status, load_features
from livingdoc.render import render_html
from livingdoc.results import Unmatched, apply_results, load_results

__all__ = [
    "Feature",
    "Rule",
    "Scenario",
    "Status",
    "Unmatched",
    "apply_results",
    "load_features",
    "load_results",
    "render_html",
]
