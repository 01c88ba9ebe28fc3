// toolgrade report: sort the tools table by any column, filter it by text, tier and failing.
// Reads only data-* attributes and text we rendered; never evaluates or injects tool text.
(function () {
  "use strict";
  var table = document.getElementById("tools");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = table.tHead.rows[0].cells;
  var state = { column: -1, descending: false };

  function key(row, column, numeric) {
    var value = row.cells[column].getAttribute("data-value");
    if (value === null) { value = row.cells[column].textContent; }
    if (numeric) { var n = parseFloat(value); return isNaN(n) ? -Infinity : n; }
    return value.toLowerCase();
  }

  function sortBy(column) {
    var numeric = headers[column].getAttribute("data-type") === "number";
    state.descending = state.column === column ? !state.descending : false;
    state.column = column;
    var sign = state.descending ? -1 : 1;
    rows.sort(function (a, b) {
      var x = key(a, column, numeric), y = key(b, column, numeric);
      return x < y ? -sign : x > y ? sign : 0;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    for (var i = 0; i < headers.length; i++) {
      headers[i].setAttribute("aria-sort", i === column ? (state.descending ? "descending" : "ascending") : "none");
    }
  }

  for (var i = 0; i < headers.length; i++) {
    (function (column) {
      headers[column].addEventListener("click", function () { sortBy(column); });
      headers[column].addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(column); }
      });
    })(i);
  }

  var text = document.getElementById("filter-text");
  var tier = document.getElementById("filter-tier");
  var failing = document.getElementById("filter-failing");
  var count = document.getElementById("filter-count");

  function applyFilter() {
    var needle = text.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var visible = (!needle || row.getAttribute("data-search").indexOf(needle) >= 0) &&
        (!tier.value || row.getAttribute("data-tier") === tier.value) &&
        (!failing.checked || row.getAttribute("data-failing") === "1");
      row.hidden = !visible;
      if (visible) { shown++; }
    });
    count.textContent = shown + " of " + rows.length + " tools";
  }

  text.addEventListener("input", applyFilter);
  tier.addEventListener("change", applyFilter);
  failing.addEventListener("change", applyFilter);
  applyFilter();
})();
