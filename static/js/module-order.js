// A module's rows in the admin: drag a row by its handle, or press its Up and Down buttons, to
// change the order; the hidden positions are renumbered 1..n in the order shown (also on submit,
// and for rows added with "Add another"). Without JavaScript the order stays as saved and a new
// row goes last (the server numbers rows sent without a position after the others).
(function () {
  "use strict";

  function rows(tbody) {
    return Array.prototype.filter.call(tbody.querySelectorAll("tr.form-row"), function (tr) {
      return !tr.classList.contains("empty-form");
    });
  }

  function title(tr) {
    var select = tr.querySelector("select");
    if (select && select.selectedIndex > 0) return select.options[select.selectedIndex].text;
    var cell = tr.querySelector("td.field-content");
    return cell ? cell.textContent.trim() : "this row";
  }

  function renumber(tbody) {
    var all = rows(tbody);
    all.forEach(function (tr, i) {
      var pos = tr.querySelector('input[name$="-position"]');
      var label = tr.querySelector(".kzl-pos");
      if (pos) pos.value = i + 1;
      if (label) label.textContent = i + 1;
      var up = tr.querySelector('[data-move="up"]');
      var down = tr.querySelector('[data-move="down"]');
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
      var moves = tr.querySelector(".kzl-moves");
      if (moves) moves.hidden = false;
    });
  }

  function announce(tbody, tr) {
    var group = tbody.closest(".kzl-module-items");
    var status = group && group.querySelector("[data-order-status]");
    var all = rows(tbody);
    if (status) status.textContent = interpolate(gettext("%(title)s: position %(pos)s of %(total)s."), { title: title(tr), pos: all.indexOf(tr) + 1, total: all.length }, true);
  }

  function setUp(tbody) {
    renumber(tbody);
    tbody.addEventListener("click", function (event) {
      var button = event.target.closest("[data-move]");
      if (!button) return;
      event.preventDefault();
      var tr = button.closest("tr");
      var all = rows(tbody);
      var i = all.indexOf(tr);
      if (button.dataset.move === "up" && i > 0) tbody.insertBefore(tr, all[i - 1]);
      if (button.dataset.move === "down" && i < all.length - 1) tbody.insertBefore(all[i + 1], tr);
      renumber(tbody);
      // Keep the keyboard where it was: on the same button, or on its twin at either end.
      var again = tr.querySelector('[data-move="' + button.dataset.move + '"]');
      (again.disabled ? tr.querySelector('[data-move]:not([disabled])') || again : again).focus();
      announce(tbody, tr);
    });

    var dragged = null;
    tbody.addEventListener("mousedown", function (event) {
      var grip = event.target.closest(".kzl-grip");
      if (grip) grip.closest("tr").draggable = true;
    });
    tbody.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("tr");
      if (!dragged) return;
      dragged.classList.add("kzl-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", title(dragged));
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged) return;
      var over = event.target.closest("tr.form-row");
      event.preventDefault();
      if (!over || over === dragged || over.classList.contains("empty-form")) return;
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? over.nextSibling : over);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("kzl-dragging");
      dragged.draggable = false;
      renumber(tbody);
      announce(tbody, dragged);
      dragged = null;
    });
    var form = tbody.closest("form");
    if (form) form.addEventListener("submit", function () { renumber(tbody); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-module-items]"), setUp);
  }
  document.addEventListener("formset:added", function (event) {
    var tbody = event.target.closest && event.target.closest("[data-module-items]");
    if (tbody) renumber(tbody);
  });
  document.addEventListener("formset:removed", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-module-items]"), renumber);
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
