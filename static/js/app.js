/* Coalition: progressive enhancement only — every page works without this file.
   After a failed submit, the error summary takes focus (the autofocus attribute does it too, where supported), and
   its links move focus to the field they name, opening a closed <details> around it. */
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  ready(function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    if (document.activeElement !== summary) {
      summary.focus();
    }
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var details = target.closest("details");
      if (details) {
        details.open = true;
      }
      var context = target.closest("fieldset") || document.querySelector("label[for='" + target.id + "']") || target;
      context.scrollIntoView();
      target.focus({ preventScroll: true });
    });
  });
})();
