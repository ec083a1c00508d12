"""Find on the page, with no server: a search box and filters by section, tag, brand and status, run by a script
inside the page.

Each example (`article.scenario`) carries what the filters read: `data-section` (its feature), `data-tags` (its own
and inherited tags, its Examples tables' too) and `data-results` (`brand:status` for each example and brand). A rule
or feature with nothing left to show is hidden with it; a brand filter also hides the other brands' results.
"""

from __future__ import annotations

from livingdoc.html import brand_name, css_class, e
from livingdoc.model import Status

STATUSES = (Status.PASSED, Status.FAILED, Status.NOT_RUN, Status.NOT_IN_EDITION)

SCRIPT = """//<![CDATA[
(function () {
  var form = document.getElementById("find");
  if (!form) { return; }
  var text = document.getElementById("find-text"), section = document.getElementById("find-section"),
      tag = document.getElementById("find-tag"), brand = document.getElementById("find-brand"),
      status = document.getElementById("find-status"), count = document.getElementById("find-count");
  var examples = Array.prototype.slice.call(document.querySelectorAll("article.scenario"));
  function heading(node, selector) {
    var found = node.closest(selector);
    return found ? found.querySelector("h2, h3").textContent : "";
  }
  examples.forEach(function (a) {
    a.dataset.haystack = (a.textContent + " " + heading(a, "section.rule") + " " +
                          heading(a, "section.feature")).toLowerCase();
  });
  function resultOk(a) {
    var results = (a.dataset.results || "").split(" "), b = brand.value, s = status.value;
    return results.some(function (r) {
      var parts = r.split(":");
      if (b && parts[0] !== b) { return false; }
      if (s) { return parts[1] === s; }
      return !b || parts[1] !== "not-part-of-that-edition";
    });
  }
  function apply() {
    var words = text.value.toLowerCase().split(/\\s+/).filter(Boolean), shown = 0;
    examples.forEach(function (a) {
      var ok = words.every(function (w) { return a.dataset.haystack.indexOf(w) !== -1; }) &&
        (!section.value || a.dataset.section === section.value) &&
        (!tag.value || (" " + a.dataset.tags + " ").indexOf(" " + tag.value + " ") !== -1) && resultOk(a);
      a.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll("section.rule, section.feature").forEach(function (s) {
      s.hidden = !s.querySelector("article.scenario:not([hidden])");
    });
    document.querySelectorAll("[data-brand]").forEach(function (el) {
      if (el.closest("form")) { return; }
      el.classList.toggle("other-brand", !!brand.value && el.dataset.brand !== brand.value);
    });
    count.textContent = "Showing " + shown + " of " + examples.length + " scenarios";
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  apply();
})();
//]]>"""


def _select(name: str, label: str, options: list[tuple[str, str]]) -> str:
    items = "".join(f'<option value="{e(value)}">{e(text)}</option>' for value, text in options)
    return (f'<label>{e(label)} <select id="find-{name}" name="{name}"><option value="">all</option>{items}'
            "</select></label>")


def find_form(sections: list[tuple[str, str]], tags: list[str], brands: list[str]) -> str:
    """The search box and the filters; `sections` are (value, name) pairs."""
    return (
        '<form id="find" role="search"><input type="search" id="find-text" name="text" '
        'placeholder="Find a rule or an example" aria-label="Find a rule or an example"/>'
        + _select("section", "Section", sections)
        + _select("tag", "Tag", [(t, "@" + t) for t in tags])
        + _select("brand", "Brand", [(b, brand_name(b)) for b in brands])
        + _select("status", "Status", [(css_class(s), s.value) for s in STATUSES])
        + '<span id="find-count" class="muted"></span></form>'
    )
