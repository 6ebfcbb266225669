/* Paper questionnaire entry: validation as you type, auto-advance, Enter submits.
   The server validates again with the import's rules; this only helps the clerk. */
(function () {
  "use strict";
  var form = document.getElementById("survey-entry");
  if (!form) { return; }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input.survey-entry-input"));
  var order = Array.prototype.slice.call(form.querySelectorAll("input[type=text], textarea"));

  function codes(text, input) {
    var t = text.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); }).trim();
    if (t === "") { return []; }
    var allowed = (input.dataset.allowed || "").split(" ");
    if (input.dataset.kind === "multiple") {
      var parts = /^[0-9]+$/.test(t) && allowed.length <= 9 ? t.split("") : t.split(/[\s.+\/・;,、]+/);
      return parts.filter(function (p) { return p !== ""; });
    }
    return [t];
  }

  function check(input) {
    var live = document.getElementById(input.id + "-live");
    var allowed = (input.dataset.allowed || "").split(" ");
    var picked = codes(input.value, input);
    var message = "";
    for (var i = 0; i < picked.length; i++) {
      if (allowed.indexOf(picked[i]) < 0) { message = "「" + picked[i] + "」は入力できません（" + allowed.join("・") + "）"; break; }
    }
    if (!message && input.dataset.kind !== "multiple" && picked.length > 1) { message = "1つだけ入力してください"; }
    if (!message && input.dataset.max && picked.length > parseInt(input.dataset.max, 10)) {
      message = input.dataset.max + "つまでです";
    }
    if (!message && input.dataset.kind === "multiple") {
      var seen = {};
      for (var j = 0; j < picked.length; j++) { if (seen[picked[j]]) { message = "同じ番号が2回あります"; } seen[picked[j]] = true; }
    }
    live.textContent = message;
    input.setAttribute("aria-invalid", message ? "true" : "false");
    return message === "";
  }

  function next(el) {
    var i = order.indexOf(el);
    if (i >= 0 && i + 1 < order.length) { order[i + 1].focus(); order[i + 1].select && order[i + 1].select(); }
  }

  inputs.forEach(function (input) {
    input.addEventListener("input", function () {
      var ok = check(input);
      var single = input.dataset.kind !== "multiple" && input.dataset.kind !== "text";
      var widest = (input.dataset.allowed || "").split(" ").reduce(function (m, a) { return Math.max(m, a.length); }, 0);
      if (ok && single && input.value.trim().length >= widest && input.value.trim() !== "") { next(input); }
    });
    input.addEventListener("blur", function () { check(input); });
  });
  form.addEventListener("submit", function (event) {
    var bad = inputs.filter(function (input) { return !check(input); });
    if (bad.length) { event.preventDefault(); bad[0].focus(); }
  });
  var first = document.getElementById("f-respondent_id");
  if (first && !form.querySelector("[aria-invalid=true]")) { first.focus(); }
  else if (form.querySelector("[aria-invalid=true]")) { form.querySelector("[aria-invalid=true]").focus(); }
}());
