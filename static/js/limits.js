/* Limits a person meets before submitting, not after: a character counter under a text box with
   data-max-chars, and a size check on a file input with data-max-bytes. The words come from the
   page (data-count-text, data-too-big-text), translated by the server. */
(function () {
  "use strict";

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, key) {
      return key in values ? String(values[key]) : whole;
    });
  }

  function counter(area) {
    var max = parseInt(area.getAttribute("data-max-chars"), 10);
    var text = area.getAttribute("data-count-text") || "{n} / {max}";
    var out = document.createElement("small");
    out.className = "hint char-count";
    area.insertAdjacentElement("afterend", out);
    function update() {
      var n = Array.from(area.value).length;
      out.textContent = fill(text, { n: n, max: max });
      out.classList.toggle("over", n > max);
    }
    area.addEventListener("input", update);
    update();
  }

  function sizeCheck(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var text = input.getAttribute("data-too-big-text") || "{name} > {mb} MB";
    var note = document.createElement("p");
    note.className = "field-error";
    note.setAttribute("role", "alert");
    note.hidden = true;
    input.insertAdjacentElement("afterend", note);
    input.addEventListener("change", function () {
      var big = Array.from(input.files || []).filter(function (file) { return file.size > max; });
      if (big.length) {
        note.textContent = big.map(function (file) {
          return fill(text, { name: file.name, mb: Math.round(max / 1048576) });
        }).join(" ");
        note.hidden = false;
        input.value = "";
      } else {
        note.textContent = "";
        note.hidden = true;
      }
    });
  }

  document.querySelectorAll("textarea[data-max-chars]").forEach(counter);
  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(sizeCheck);
})();
