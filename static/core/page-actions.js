// Page buttons that need a line of script, kept out of the HTML so the Content-Security-Policy
// allows no inline script: [data-history-back] goes back one page, [data-print] prints it.
document.addEventListener("click", function (e) {
  var back = e.target.closest("[data-history-back]");
  if (back && window.history.length > 1) { e.preventDefault(); window.history.back(); return; }
  if (e.target.closest("[data-print]")) { e.preventDefault(); window.print(); }
});
