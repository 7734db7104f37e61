(function () {
  /* The claims explorer: search, filters and sorting, kept in the page's address (after #) so a
     view can be shared. Without this script the whole table is there, unfiltered. */
  var table = document.getElementById("claims");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var controls = {
    q: document.getElementById("claims-search"),
    article: document.getElementById("claims-article"),
    status: document.getElementById("claims-status"),
    verdict: document.getElementById("claims-verdict")
  };
  var count = document.getElementById("claims-count");
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sort = { column: 0, ascending: true };

  function state() {
    var parts = [];
    Object.keys(controls).forEach(function (key) {
      if (controls[key].value) parts.push(key + "=" + encodeURIComponent(controls[key].value));
    });
    if (sort.column !== 0 || !sort.ascending) parts.push("sort=" + sort.column + (sort.ascending ? "" : "-"));
    return parts.join("&");
  }

  function apply() {
    var words = controls.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (word) { return text.indexOf(word) !== -1; }) &&
        (!controls.article.value || row.getAttribute("data-article") === controls.article.value) &&
        (!controls.status.value || row.getAttribute("data-status") === controls.status.value) &&
        (!controls.verdict.value || (" " + row.getAttribute("data-verdicts") + " ").indexOf(" " + controls.verdict.value + " ") !== -1);
      row.hidden = !match;
      if (match) shown += 1;
    });
    // The filters in words too: on paper, where the controls are not printed, the count says what it counts.
    var chosen = Object.keys(controls).filter(function (key) { return controls[key].value; }).map(function (key) {
      var control = controls[key];
      var label = document.querySelector('label[for="' + control.id + '"]').textContent;
      var value = control.tagName === "SELECT" ? control.options[control.selectedIndex].text : "“" + control.value + "”";
      return label + ": " + value;
    });
    count.textContent = shown + " of " + rows.length + " claims shown" + (chosen.length ? " (" + chosen.join("; ") + ")" : "");
  }

  function order() {
    var th = headers[sort.column];
    var numeric = th.hasAttribute("data-numeric");
    headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", sort.ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = a.cells[sort.column].getAttribute("data-sort") || a.cells[sort.column].textContent;
      var y = b.cells[sort.column].getAttribute("data-sort") || b.cells[sort.column].textContent;
      /* Values compare only within a unit: claims of one unit together, in the order of the units' names. */
      var unit = numeric ? (a.cells[sort.column].getAttribute("data-unit") || "").localeCompare(b.cells[sort.column].getAttribute("data-unit") || "") : 0;
      var by = unit || (numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y));
      return sort.ascending ? by : -by;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function remember() {
    var wanted = state();
    var url = location.pathname + location.search + (wanted ? "#" + wanted : "");
    history.replaceState(null, "", url);
  }

  /* A value as an address holds it: "+" is a space, as forms write one, and a "%" that starts no
     escape (a view typed or pasted by hand: "90%") is itself. */
  function decoded(text) {
    text = text.replace(/\+/g, " ");
    try { return decodeURIComponent(text); } catch (error) { return text; }
  }

  function restore() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") === -1) return false;  /* a claim's own address (#claim-a000-01), not a view */
    Object.keys(controls).forEach(function (key) { controls[key].value = ""; });  /* what the view leaves unset */
    sort = { column: 0, ascending: true };
    hash.split("&").forEach(function (part) {
      var pair = part.split("=");
      var value = decoded(pair[1] || "");
      if (controls[pair[0]]) controls[pair[0]].value = value;
      if (pair[0] === "sort") sort = { column: parseInt(value, 10) || 0, ascending: value.slice(-1) !== "-" };
    });
    if (!headers[sort.column]) sort = { column: 0, ascending: true };
    return true;
  }

  headers.forEach(function (th, column) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.setAttribute("data-label", th.textContent); /* printed in the button's place: paper has no buttons */
    th.textContent = "";
    th.appendChild(button);
    button.addEventListener("click", function () {
      sort = { column: column, ascending: sort.column === column ? !sort.ascending : true };
      order();
      remember();
    });
  });
  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === "q" ? "input" : "change", function () { apply(); remember(); });
  });
  document.getElementById("claims-controls").hidden = false;
  /* A view typed into the address of the open page, or another view's link followed in it. */
  window.addEventListener("hashchange", function () {
    if (restore()) { order(); apply(); }
  });
  restore();
  order();
  apply();
})();
