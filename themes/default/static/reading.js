// gongkai reading aids (README "Reading aids"): larger text and high contrast, remembered across
// pages in localStorage. Loaded in <head> without `defer`, so the remembered mode is on the
// <html> element before the first paint (no flash); a file, not an inline script, so it runs
// under `Content-Security-Policy: default-src 'self'`. The buttons are wired once the page is
// parsed.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongkai-reading";
  // text: "large" or absent; contrast: "high", "normal" (chosen against the system's
  // `prefers-contrast: more`) or absent (follow the system).
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { saved = {}; }
  function systemContrast() {
    return !!(window.matchMedia && window.matchMedia("(prefers-contrast: more)").matches);
  }
  function apply() {
    if (saved.text === "large") root.setAttribute("data-text", "large"); else root.removeAttribute("data-text");
    if (saved.contrast === "high" || saved.contrast === "normal") root.setAttribute("data-contrast", saved.contrast);
    else root.removeAttribute("data-contrast");
  }
  function isOn(mode) {
    if (mode === "text") return saved.text === "large";
    return saved.contrast === "high" || (saved.contrast !== "normal" && systemContrast());
  }
  function store() {
    // Private browsing or file:// setups may refuse storage: the mode then lasts for this page.
    try { localStorage.setItem(KEY, JSON.stringify(saved)); } catch (e) { /* kept for this page */ }
  }
  apply();

  function wire() {
    var group = document.querySelector(".reading-modes");
    if (!group) return;
    var buttons = group.querySelectorAll("button[data-reading]");
    function show() {
      for (var i = 0; i < buttons.length; i++) {
        buttons[i].setAttribute("aria-pressed", isOn(buttons[i].getAttribute("data-reading")) ? "true" : "false");
      }
    }
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function (e) {
        var mode = e.currentTarget.getAttribute("data-reading");
        var on = !isOn(mode);
        if (mode === "text") saved.text = on ? "large" : undefined;
        else saved.contrast = on ? "high" : (systemContrast() ? "normal" : undefined);
        apply();
        store();
        show();
      });
    }
    show();
    group.removeAttribute("hidden");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
