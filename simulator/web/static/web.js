// CounterTalk web: a small enhancement. Everything works without it (forms post, pages reload).
// After each turn, the focus goes to what the customer just said (or the debrief's heading), so
// a screen reader reads it first; Tab then reaches the options and the reply box. A button
// pressed twice sends once.
(function () {
  "use strict";
  function ready() {
    var target = document.getElementById("line") || document.querySelector("main h1");
    if (target && document.querySelector("form.options, .debrief, #line")) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      forms[i].addEventListener("submit", function (event) {
        var form = event.currentTarget;
        if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
        form.setAttribute("data-sent", "1");
        form.setAttribute("aria-busy", "true");
      });
    }
    // Number keys pick an option (1-9) when the focus is not in the reply box.
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var el = document.activeElement;
      if (el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT")) return;
      if (!/^[1-9]$/.test(event.key)) return;
      var button = document.querySelector('#options button[name="option"][value="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
