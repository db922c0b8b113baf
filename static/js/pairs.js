/* KZLearn: tap-to-pair matching, over the dropdowns that work without it.
 * Tap (click, Enter or Space) an item, then its match, or the match first: the pair shows under the item and
 * "Unpair" undoes it. The dropdowns stay in the form, hidden, and are what the form sends, so saving, autosave
 * and the server's checks are the same as without the script. Announcements come translated from the page
 * (data-say-* with {item} and {match} filled in here). */
(function () {
  "use strict";

  function setup(box) {
    var fieldset = box.closest("fieldset");
    var status = box.querySelector("[data-pair-status]");
    var selected = null;  // the pressed button: an item or a match waiting for its partner

    function select(id) { return fieldset.querySelector("select[name='pair-" + id + "']"); }
    function text(btn) { return btn.querySelector(".text").textContent; }
    function itemButton(id) { return box.querySelector("[data-item='" + id + "']"); }
    function matchButton(id) { return box.querySelector("[data-match='" + id + "']"); }
    function say(template, item, match) {
      status.textContent = (box.dataset[template] || "").replace("{item}", item || "").replace("{match}", match || "");
    }

    function render() {
      var used = {};
      box.querySelectorAll("[data-item]").forEach(function (btn) {
        var id = btn.dataset.item, chosen = select(id).value, partner = btn.querySelector("[data-partner]");
        var match = chosen && matchButton(chosen);
        partner.textContent = match ? "→ " + text(match) : box.dataset.unmatched;
        btn.classList.toggle("paired", !!match);
        box.querySelector("[data-unpair='" + id + "']").hidden = !match;
        if (match) used[chosen] = true;
      });
      box.querySelectorAll("[data-match]").forEach(function (btn) {
        var isUsed = !!used[btn.dataset.match];
        btn.classList.toggle("paired", isUsed);
        btn.querySelector("[data-used]").textContent = isUsed ? box.dataset.used : "";
      });
    }

    function press(btn) {
      if (selected) selected.setAttribute("aria-pressed", "false");
      selected = btn;
      if (btn) btn.setAttribute("aria-pressed", "true");
    }

    function pair(item, match) {
      var sel = select(item.dataset.item);
      sel.value = match.dataset.match;
      sel.dispatchEvent(new Event("change", { bubbles: true }));  // the player's autosave listens for it
      press(null);
      render();
      say("sayPaired", text(item), text(match));
      // On to the next item without a match (keyboard and phone: no hunting), else stay on this one.
      var next = Array.prototype.find.call(box.querySelectorAll("[data-item]"), function (b) { return !select(b.dataset.item).value; });
      (next || item).focus();
    }

    box.addEventListener("click", function (e) {
      var btn = e.target.closest("button");
      if (!btn || btn.disabled) return;
      e.preventDefault();
      if (btn.dataset.unpair) {
        var item = itemButton(btn.dataset.unpair), sel = select(btn.dataset.unpair);
        sel.value = "";
        sel.dispatchEvent(new Event("change", { bubbles: true }));
        press(null);
        render();
        say("sayUnpaired", text(item));
        item.focus();
        return;
      }
      var isItem = "item" in btn.dataset;
      if (selected === btn) { press(null); status.textContent = ""; return; }
      if (selected && ("item" in selected.dataset) !== isItem) {
        pair(isItem ? btn : selected, isItem ? selected : btn);
        return;
      }
      press(btn);
      if (isItem) {
        say("sayItem", text(btn));
        var first = box.querySelector("[data-match]");
        if (first) first.focus();  // brings the matches into view on a phone, where they sit below the items
      } else {
        say("sayMatch", null, text(btn));
      }
    });

    fieldset.classList.add("tapping");
    box.hidden = false;
    render();
  }

  document.querySelectorAll("[data-tap-pair]").forEach(setup);
})();
