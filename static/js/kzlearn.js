/* KZLearn: small progressive enhancements. Every form works without this script.
 * - ordering questions: move up/down without a reload, drag by the handle (mouse or touch);
 * - quiz player: answers saved as they are given (fetch, one client key per answer, retried
 *   with the same key after a lost connection, kept in localStorage until the server has it);
 *   immediate feedback shown in place, focus moved to its verdict; the countdown submits when the time is up. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Words in the page's language: Django's JavaScript catalog (/jsi18n/, djangojs domain) when loaded.
  var _ = window.gettext || function (s) { return s; };
  var fmt = function (text, values) { return text.replace(/%\((\w+)\)s/g, function (m, k) { return values[k]; }); };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var a = new Uint32Array(4); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (n) { return n.toString(16); }).join("");
  }

  /* ---- ordering -------------------------------------------------------------------------- */
  function refreshMoves(list) {
    var items = list.querySelectorAll("li");
    items.forEach(function (li, i) {
      var up = li.querySelector("[data-move=up]"), down = li.querySelector("[data-move=down]");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === items.length - 1;
    });
  }

  function changed(list) {
    refreshMoves(list);
    var form = list.closest("form");
    if (form) form.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function announce(list, li) {
    var status = list.closest("form").querySelector("[data-status]") || list.closest("form").querySelector("[role=status]");
    var items = Array.prototype.slice.call(list.children);
    if (status) status.textContent = fmt(_("Moved “%(item)s” to position %(pos)s of %(total)s."), { item: li.querySelector(".text").textContent, pos: items.indexOf(li) + 1, total: items.length });
  }

  function setupOrdering(list) {
    list.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-move]");
      if (!btn) return;
      e.preventDefault();
      var li = btn.closest("li");
      if (btn.dataset.move === "up" && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
      else if (btn.dataset.move === "down" && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
      changed(list);
      (btn.disabled ? li.querySelector("[data-move]:not([disabled])") : btn).focus();
      announce(list, li);
    });
    var dragging = null;
    list.addEventListener("pointerdown", function (e) {
      var li = e.target.closest("li");
      if (!li || e.target.closest("button") || list.closest("form").querySelector("[data-move]") === null) return;
      dragging = li; li.classList.add("dragging"); li.setPointerCapture(e.pointerId); e.preventDefault();
    });
    list.addEventListener("pointermove", function (e) {
      if (!dragging) return;
      var over = Array.prototype.find.call(list.children, function (li) {
        var r = li.getBoundingClientRect(); return li !== dragging && e.clientY > r.top && e.clientY < r.bottom;
      });
      if (!over) return;
      var r = over.getBoundingClientRect();
      list.insertBefore(dragging, e.clientY < r.top + r.height / 2 ? over : over.nextElementSibling);
    });
    function drop() {
      if (!dragging) return;
      var li = dragging; dragging = null; li.classList.remove("dragging");
      changed(list); announce(list, li);
    }
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);
  }

  document.querySelectorAll("[data-ordering]").forEach(setupOrdering);

  /* ---- quiz player ----------------------------------------------------------------------- */
  var player = document.querySelector("[data-player]");
  if (!player) return;
  var form = player.querySelector("[data-answer-form]");
  var statusEl = player.querySelector("[data-status]");
  var immediate = player.dataset.mode === "immediate";
  var storeKey = "kzl:attempt:" + player.dataset.attempt + ":";
  var position = player.dataset.position;

  function say(text) { if (statusEl) statusEl.textContent = text; }

  function pending() {
    var out = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        if (k.indexOf(storeKey) === 0) out.push([k, JSON.parse(localStorage.getItem(k))]);
      }
    } catch (err) { /* storage disabled: answers are still sent, just not kept across a reload */ }
    return out;
  }
  function keep(pos, entry) { try { localStorage.setItem(storeKey + pos, JSON.stringify(entry)); } catch (err) { /* see above */ } }
  function drop(pos, key) {
    try {
      var stored = JSON.parse(localStorage.getItem(storeKey + pos) || "null");
      if (stored && stored.key === key) localStorage.removeItem(storeKey + pos);
    } catch (err) { /* see above */ }
  }

  // One request at a time, in order; a newer answer to a question replaces its queued older one,
  // so a retried old answer can never land after a newer one.
  var queue = [], busy = false, delay = 1000;

  function send(entry, onDone) {
    queue = queue.filter(function (q) { return q[0].pos !== entry.pos; });
    queue.push([entry, onDone]);
    pump();
  }

  function pump() {
    if (busy || !queue.length) return;
    busy = true;
    var item = queue.shift(), entry = item[0];
    fetch(entry.url, {
      method: "POST", body: entry.body, credentials: "same-origin",
      headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" }
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) { return { res: res, data: data }; });
    }).then(function (r) {
      if (r.res.status >= 500) throw new Error("server error");
      busy = false; delay = 1000;
      if (r.res.ok && !r.data.saved) {  // e.g. the session ended and the login page answered
        say(_("Not saved: sign in again. Your answer is kept on this device until then."));
        return;
      }
      drop(entry.pos, entry.key);
      if (r.data.redirect) { window.location.assign(r.data.redirect); return; }
      if (item[1]) setTimeout(function () { item[1](r.res.ok, r.data); }, 0);
      pump();
    }).catch(function () {
      busy = false;
      if (!queue.some(function (q) { return q[0].pos === entry.pos; })) queue.unshift(item);
      say(_("Not saved yet: no connection. Retrying…"));
      setTimeout(pump, delay);
      delay = Math.min(delay * 2, 15000);
    });
  }

  function answer(onDone) {
    var key = newKey();
    form.querySelector("[name=client_key]").value = key;
    var entry = { pos: position, key: key, url: form.action, body: new URLSearchParams(new FormData(form)).toString() };
    keep(position, entry);
    say(_("Saving…"));
    send(entry, onDone);
  }

  function showFeedback(data) {
    var area = player.querySelector("[data-feedback]");
    area.innerHTML = data.feedback_html;
    form.querySelectorAll("input, select, button").forEach(function (el) { el.disabled = true; });
    var save = form.querySelector("[data-save]"); if (save) (save.closest(".actions") || save).remove();
    form.querySelectorAll(".moves").forEach(function (el) { el.remove(); });
    var next = player.querySelector(".pager [data-next]");  // the feedback carries Next, under the verdict
    if (next) next.remove();
    var pager = player.querySelector(".pager");
    if (pager && !pager.querySelector("a")) pager.remove();
    var current = player.querySelector(".qnav [aria-current]");
    if (current && !current.classList.contains("answered")) {
      current.classList.add("answered");
      current.querySelector(".vh").textContent = " " + _("(answered)");
      var bar = player.querySelector(".bar-row progress"), count = player.querySelector(".bar-row span");
      bar.value = bar.value + 1;
      count.textContent = fmt(_("%(done)s of %(total)s answered"), { done: bar.value, total: bar.max });
    }
    say("");
    // Back (from the source reader) or a reload then shows this question with its feedback, not the next one.
    if (window.history && history.replaceState) history.replaceState(null, "", window.location.pathname + "?q=" + position);
    var verdict = area.querySelector("#verdict");
    (verdict || area).focus();
  }

  if (form) {
    var timer = null;
    if (!immediate) {
      var autosave = function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          answer(function (ok, data) {
            say(ok ? _("Saved.") : fmt(_("Not saved: %(why)s"), { why: data.message || _("check your answer.") }));
            if (ok) player.querySelector("[data-next]").textContent = /finish$/.test(data.next_url) ? _("Finish →") : _("Next question →");
          });
        }, 500);
      };
      form.addEventListener("change", autosave);
      form.addEventListener("input", function (e) { if (e.target.name === "value") autosave(); });
    }
    form.addEventListener("submit", function (e) {
      if (e.submitter && e.submitter.name === "move") return;
      e.preventDefault();
      clearTimeout(timer);
      answer(function (ok, data) {
        if (!ok) { say(data.message || _("That answer could not be saved.")); return; }
        if (immediate) showFeedback(data); else window.location.assign(data.next_url);
      });
    });
  }

  // Answers left unsent by a closed tab or a lost connection go first; if this question's was
  // among them, reload so the page shows what the server now holds.
  pending().forEach(function (p) {
    send(p[1], function (ok) { if (ok && p[1].pos === position) window.location.reload(); });
  });
  window.addEventListener("online", function () { delay = 1000; pump(); });

  var clock = player.querySelector("[data-timer]");
  if (clock) {
    var left = parseInt(clock.dataset.timer, 10), spoken = player.querySelector("[data-timer-announce]");
    var end = Date.now() + left * 1000;
    var tick = function () {
      var s = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      if (s === 300 || s === 60) spoken.textContent = fmt(ngettext("%(n)s minute left.", "%(n)s minutes left.", s / 60), { n: s / 60 });
      if (s === 0) { clearInterval(iv); player.querySelector("[data-timeup-form]").submit(); }
    };
    var iv = setInterval(tick, 1000); tick();
  }
})();
