// Select words of an article to comment on that passage (the form's article and passage are filled in).
document.addEventListener("mouseup", function () {
  var selection = window.getSelection();
  if (!selection || selection.isCollapsed) return;
  var text = selection.toString().trim();
  var anchor = selection.anchorNode && selection.anchorNode.parentElement;
  var holder = anchor && anchor.closest("[data-node]");
  var passage = document.getElementById("o-passage");
  var select = document.getElementById("o-node");
  if (!holder || !passage || !select || !text) return;
  passage.value = text.slice(0, 500);
  var article = holder;
  while (article && !article.classList.contains("draft-article")) {
    article = article.previousElementSibling;
  }
  if (article) select.value = article.getAttribute("data-node");
});
