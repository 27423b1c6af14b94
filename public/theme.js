// The reader's choice of light or dark: applied before the page paints,
// remembered in this browser, and flipped by the switch on every page.
// Without a choice the page follows the system setting.
(function () {
  var KEY = "tokenfab-theme";
  var root = document.documentElement;
  var system = window.matchMedia("(prefers-color-scheme: dark)");

  function remembered() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (e) {
      return null;
    }
  }

  function isDark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : system.matches;
  }

  function showState() {
    var button = document.getElementById("theme-switch");
    if (button) button.setAttribute("aria-pressed", String(isDark()));
  }

  var chosen = remembered();
  if (chosen === "light" || chosen === "dark") root.setAttribute("data-theme", chosen);

  document.addEventListener("DOMContentLoaded", function () {
    showState();
    var button = document.getElementById("theme-switch");
    if (!button) return;
    button.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try {
        window.localStorage.setItem(KEY, next);
      } catch (e) {
        // Private windows may refuse storage: the choice lasts for this page.
      }
      showState();
    });
  });
  system.addEventListener("change", showState);
})();
