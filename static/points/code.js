// The points QR code: a fresh single-use code before this one expires, or on the button.
(function () {
  var box = document.getElementById("qr");
  if (!box) return;
  var left = parseInt(box.dataset.ttl, 10), shown = document.getElementById("countdown");
  var errorBox = document.getElementById("qr-error"), text = document.getElementById("token-text"), busy = false;
  function refresh() {
    if (busy) return;
    busy = true;
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (body) { return {ok: r.ok, body: body}; }); })
      .then(function (res) {
        if (!res.ok) { errorBox.textContent = res.body.detail || box.dataset.failed; errorBox.hidden = false; left = 0; return; }
        box.innerHTML = res.body.svg; box.dataset.token = res.body.token; text.textContent = res.body.token;
        left = res.body.expires_in; errorBox.hidden = true;
      })
      .catch(function () { errorBox.textContent = box.dataset.offline; errorBox.hidden = false; left = 5; })
      .finally(function () { busy = false; });
  }
  document.getElementById("refresh").addEventListener("click", refresh);
  setInterval(function () {
    if (left > 0) { left -= 1; shown.textContent = left; }
    if (left === 5) refresh();
  }, 1000);
})();
