/* Keyboard shortcuts of the opinion list (広聴分析: confirm / reassign).
   J / K: next / previous opinion; C: confirm; R: choose another measure (then Enter);
   U: undo. Single-character keys can be switched off (WCAG 2.1.4); they never act while
   the focus is in a form control. */
(function () {
  "use strict";
  var list = document.querySelector("[data-opinion-list]");
  if (!list) { return; }
  var toggle = document.getElementById("shortcuts-toggle");
  var STORE = "keikaku.analysis.shortcuts";
  try {
    if (toggle && window.localStorage.getItem(STORE) === "off") { toggle.checked = false; }
  } catch (e) { /* storage may be unavailable */ }
  if (toggle) {
    toggle.addEventListener("change", function () {
      try { window.localStorage.setItem(STORE, toggle.checked ? "on" : "off"); } catch (e) { /* ignore */ }
    });
  }

  function items() { return Array.prototype.slice.call(list.querySelectorAll("article.opinion")); }
  function current() {
    var el = document.activeElement;
    return el && el.closest ? el.closest("article.opinion") : null;
  }
  function show(article) {
    if (!article) { return; }
    article.focus();
    if (article.scrollIntoView) { article.scrollIntoView({ block: "nearest" }); }
  }
  function press(article, selector) {
    if (!article) { return false; }
    var button = article.querySelector(selector);
    if (button) { button.click(); return true; }
    return false;
  }

  if (window.location.hash) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target && target.matches("article.opinion")) { show(target); }
  }

  document.addEventListener("keydown", function (ev) {
    var el = ev.target;
    if (ev.key === "Enter" && el.matches && el.matches("select[data-measure-select]")) {
      ev.preventDefault();
      var form = el.form;
      var button = form && form.querySelector("button[value='reassign']");
      if (button) { button.click(); }
      return;
    }
    if (toggle && !toggle.checked) { return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) { return; }
    if (el.matches && el.matches("input, select, textarea, [contenteditable]")) { return; }
    var key = (ev.key || "").toLowerCase();
    var all = items();
    var here = current();
    var i = all.indexOf(here);
    if (key === "j") {
      ev.preventDefault();
      show(i < 0 ? all[0] : all[Math.min(i + 1, all.length - 1)]);
    } else if (key === "k") {
      ev.preventDefault();
      show(i < 0 ? all[0] : all[Math.max(i - 1, 0)]);
    } else if (key === "c") {
      if (press(here, "button[value='confirm']")) { ev.preventDefault(); }
    } else if (key === "u") {
      if (press(here, "button[value='undo']")) { ev.preventDefault(); }
    } else if (key === "r") {
      var select = here && here.querySelector("select[data-measure-select]");
      if (select) { ev.preventDefault(); select.focus(); }
    }
  });
}());
