/* 随手拍: send a report; when the network is gone, keep it in IndexedDB and resend it later with the
   same key (X-Idempotency-Key), so that the server files it once however often it arrives. */
"use strict";
(function () {
  const root = document.getElementById("report");
  const form = document.getElementById("report-form");
  if (!root || !form) return;
  const status = document.getElementById("report-status");
  const counter = document.getElementById("queue-count");
  const DB = "huying-report", STORE = "queue";

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, (c) =>
      (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16));
  }

  function say(text, ok) {
    status.replaceChildren();
    const p = document.createElement("p");
    p.className = ok ? "ok" : "err";
    if (!ok) p.setAttribute("role", "alert");
    p.textContent = text;
    status.appendChild(p);
  }

  function db() {
    return new Promise((resolve, reject) => {
      const open = indexedDB.open(DB, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "key" });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
  }

  function store(mode, work) {
    return db().then((conn) => new Promise((resolve, reject) => {
      const tx = conn.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(result && result.result);
      tx.onerror = () => reject(tx.error);
    }));
  }

  const queued = () => store("readonly", (s) => s.getAll());
  const enqueue = (item) => store("readwrite", (s) => s.put(item));
  const dequeue = (key) => store("readwrite", (s) => s.delete(key));

  function csrf() {
    const field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function send(item) {
    const body = new FormData();
    Object.entries(item.fields).forEach(([k, v]) => body.append(k, v));
    body.append("idempotency_key", item.key);
    if (item.photo) body.append("photo", item.photo, item.photoName || "photo.jpg");
    return fetch(form.action, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Idempotency-Key": item.key, "X-CSRFToken": csrf() },
    }).then((response) => response.json().then((data) => ({ response, data })));
  }

  function settle(item) {
    return send(item).then(({ response, data }) => {
      // Any answer from the server settles the report: filed, or refused with a reason to show.
      return dequeue(item.key).then(() => {
        if (response.ok) say("已上报，工单号 " + data.number + "。", true);
        else say(data.detail || "提交失败。", false);
        return response.ok;
      });
    });
  }

  function showCount() {
    return queued().then((items) => {
      counter.hidden = !items.length;
      counter.textContent = items.length ? "待发送的上报：" + items.length + " 条" : "";
    }).catch(() => undefined);
  }

  function flush() {
    if (!navigator.onLine) return Promise.resolve();
    return queued().then((items) => items.reduce(
      (chain, item) => chain.then(() => settle(item).catch(() => undefined)), Promise.resolve()
    )).then(showCount).catch(() => undefined);
  }

  form.addEventListener("submit", (event) => {
    if (!window.indexedDB || !window.fetch) return; // the plain form still works
    event.preventDefault();
    const data = new FormData(form);
    const photo = data.get("photo");
    const item = {
      key: String(data.get("idempotency_key") || newKey()),
      fields: {
        latitude: String(data.get("latitude") || ""),
        longitude: String(data.get("longitude") || ""),
        category: String(data.get("category") || ""),
        text: String(data.get("text") || ""),
      },
      photo: photo && photo.size ? photo : null,
      photoName: photo && photo.name,
    };
    form.querySelector("input[name=idempotency_key]").value = newKey();
    enqueue(item)
      .then(() => settle(item))
      .then((ok) => { if (ok) form.reset(); })
      .catch(() => say("网络不可用，上报已保存在手机上，联网后自动重发。", true))
      .then(showCount);
  });

  const locate = document.getElementById("locate");
  if (locate) locate.addEventListener("click", () => {
    if (!navigator.geolocation) { say("此浏览器无法定位，请手动填写经纬度。", false); return; }
    navigator.geolocation.getCurrentPosition((pos) => {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
    }, () => say("无法取得位置，请手动填写经纬度。", false), { enableHighAccuracy: true, timeout: 10000 });
  });

  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.sw).catch(() => undefined);
  }
  flush();
})();
