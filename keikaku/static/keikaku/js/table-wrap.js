/* A table wider than the screen scrolls sideways inside its .table-wrap. A region that
   scrolls must be reachable by keyboard (WCAG 2.1.1; axe: scrollable-region-focusable):
   while it overflows, the wrapper becomes a focusable, labelled region (its table's caption);
   when it fits again, it is an ordinary box and no extra tab stop. Wrappers written with
   their own tabindex in the template are left alone. */
(function () {
  "use strict";
  var fallback = document.documentElement.lang === "en" ? "Table" : "表";
  function update() {
    var wraps = document.querySelectorAll(".table-wrap:not([data-static-region])");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      if (wrap.hasAttribute("tabindex") && !wrap.hasAttribute("data-auto-region")) {
        wrap.setAttribute("data-static-region", "");
        continue;
      }
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        var caption = wrap.querySelector("caption");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : fallback);
        wrap.setAttribute("data-auto-region", "");
      } else if (wrap.hasAttribute("data-auto-region")) {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
        wrap.removeAttribute("data-auto-region");
      }
    }
  }
  update();
  var timer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 150);
  });
})();
