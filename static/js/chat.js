// The live chat's progressive enhancement (eap/chat/): without this script the pages work by
// posting and reloading. With it, new messages arrive over Server-Sent Events (the browser
// reconnects by itself and names the last message it has), sending does not reload the page,
// and the chat desk refreshes its waiting room with a visual notice (never a sound).
(function () {
  "use strict";

  function nonce() {
    var bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function lastId(log) {
    var items = log.querySelectorAll("li[data-id]");
    return items.length ? items[items.length - 1].getAttribute("data-id") : "0";
  }

  function author(root, who) {
    var viewer = root.getAttribute("data-viewer");
    if (who === "note") { return root.getAttribute("data-label-note"); }
    var mine = (viewer === "requester") === (who === "requester");
    return root.getAttribute(mine ? "data-label-you" : "data-label-other");
  }

  function append(root, log, message) {
    if (log.querySelector('li[data-id="' + message.id + '"]')) { return; }
    var item = document.createElement("li");
    item.className = "chat-line chat-" + message.author;
    item.setAttribute("data-id", message.id);
    var meta = document.createElement("p");
    meta.className = "chat-meta";
    var strong = document.createElement("strong");
    strong.textContent = author(root, message.author);
    var time = document.createElement("time");
    time.setAttribute("datetime", message.at);
    time.textContent = new Date(message.at).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" });
    meta.appendChild(strong);
    meta.appendChild(document.createTextNode(" "));
    meta.appendChild(time);
    var body = document.createElement("p");
    body.className = "free-text";
    body.textContent = message.body;
    item.appendChild(meta);
    item.appendChild(body);
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function keepDraft(root) {
    var box = root.querySelector(".chat-form textarea");
    if (box && box.value) { sessionStorage.setItem("chat-draft:" + location.pathname, box.value); }
  }

  function restoreDraft(root) {
    var key = "chat-draft:" + location.pathname;
    var box = root.querySelector(".chat-form textarea");
    var saved = sessionStorage.getItem(key);
    if (box && saved && !box.value) { box.value = saved; }
    sessionStorage.removeItem(key);
  }

  function updatePlace(root) {
    fetch(location.href, { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector(".chat-place");
      var here = root.querySelector(".chat-place");
      if (fresh && here && fresh.textContent !== here.textContent) { here.textContent = fresh.textContent; }
    });
  }

  function chat(root) {
    var log = root.querySelector(".chat-log");
    var status = root.getAttribute("data-chat-status");
    var place = null;
    restoreDraft(root);
    if (status !== "ended") {
      var source = new EventSource(root.getAttribute("data-chat-events") + "?after=" + lastId(log));
      source.addEventListener("message", function (e) { append(root, log, JSON.parse(e.data)); });
      source.addEventListener("state", function (e) {
        var state = JSON.parse(e.data);
        if (state.status !== status) {
          source.close();
          keepDraft(root);
          if (state.status === "deleted") { location.assign(location.origin + "/help/"); } else { location.reload(); }
          return;
        }
        if (state.place !== undefined && place !== null && state.place !== place) { updatePlace(root); }
        if (state.place !== undefined) { place = state.place; }
      });
      // A form that navigates (end, hand over, a send without text) is on its way: a state
      // change that arrives meanwhile must not reload the page and abort that navigation.
      document.addEventListener("submit", function (event) {
        if (!event.defaultPrevented) { source.close(); }
      });
    }
    root.querySelectorAll(".chat-form").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var box = form.querySelector("textarea");
        if (!box || !box.value.trim()) { return; } // the server's message explains it
        event.preventDefault();
        var data = new FormData(form);
        data.set("nonce", nonce());
        var button = form.querySelector("[type=submit]");
        button.disabled = true;
        fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) {
            if (!r.ok) { throw new Error(String(r.status)); }
            box.value = "";
            var error = form.querySelector(".chat-send-error");
            if (error) { error.remove(); }
          })
          .catch(function () {
            if (!form.querySelector(".chat-send-error")) {
              var p = document.createElement("p");
              p.className = "field-error chat-send-error";
              p.setAttribute("role", "alert");
              p.textContent = root.getAttribute("data-label-error");
              form.appendChild(p);
            }
          })
          .finally(function () { button.disabled = false; box.focus(); });
      });
    });
  }

  function desk(root) {
    var queue = root.querySelector("#chat-queue");
    var notice = root.querySelector(".chat-desk-notice");
    var title = document.title;
    var known = queue ? Number(queue.getAttribute("data-count")) : 0;
    var source = new EventSource(root.getAttribute("data-desk-events"));
    source.addEventListener("queue", function (e) {
      var waiting = JSON.parse(e.data).waiting;
      document.title = waiting ? "(" + waiting + ") " + title : title;
      if (waiting === known) { return; }
      fetch(root.getAttribute("data-queue-url"), { credentials: "same-origin" }).then(function (r) { return r.text(); }).then(function (html) {
        var current = root.querySelector("#chat-queue");
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("#chat-queue");
        if (current && fresh) { current.replaceWith(document.importNode(fresh, true)); }
      });
      if (waiting > known && notice) { notice.textContent = root.getAttribute("data-label-new"); }
      if (!waiting && notice) { notice.textContent = ""; }
      known = waiting;
    });
  }

  document.querySelectorAll(".chat[data-chat-events]").forEach(chat);
  document.querySelectorAll(".chat-desk[data-desk-events]").forEach(desk);
})();
