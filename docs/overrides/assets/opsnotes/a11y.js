// Keyboard access to wide tables: Material wraps them in a scrolling box that a
// keyboard user cannot reach (WCAG 2.1.1, axe "scrollable-region-focusable").
function focusableScrollers() {
  for (const box of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", document.documentElement.lang === "zh" ? "可横向滚动的表格" : "Scrollable table");
    }
  }
}
if (window.document$) window.document$.subscribe(focusableScrollers);
else addEventListener("DOMContentLoaded", focusableScrollers);
