// Keyboard-friendly entry grid (実績値・事業費の入力表): Enter / ↑ / ↓ move between rows of the
// same column; Ctrl+Enter (⌘+Enter) submits; pasting several lines (an Excel column) fills
// the cells below. No inline script (CSP); the page works without this file.
(function () {
  "use strict";
  function cellsOf(table, col) {
    return Array.prototype.slice.call(table.querySelectorAll('input[data-col="' + col + '"]'));
  }
  function move(input, step) {
    var table = input.closest("table[data-grid]");
    if (!table) return false;
    var cells = cellsOf(table, input.getAttribute("data-col"));
    var i = cells.indexOf(input) + step;
    if (i < 0 || i >= cells.length) return false;
    cells[i].focus();
    cells[i].select();
    return true;
  }
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-col")) return;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      return; // the browser submits the form
    }
    if (event.key === "Enter" || event.key === "ArrowDown") {
      event.preventDefault();
      move(input, event.shiftKey && event.key === "Enter" ? -1 : 1);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      move(input, -1);
    }
  });
  document.addEventListener("paste", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-col")) return;
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\n") < 0) return;
    event.preventDefault();
    var lines = text.replace(/\r/g, "").replace(/\n$/, "").split("\n");
    var table = input.closest("table[data-grid]");
    var cells = cellsOf(table, input.getAttribute("data-col"));
    var start = cells.indexOf(input);
    for (var k = 0; k < lines.length && start + k < cells.length; k++) {
      cells[start + k].value = lines[k].split("\t")[0].trim();
    }
  });
})();
