/* The rows explorer of the dataset pages: sort by any column, filter, pages, the rows shown as CSV, and
 * the view kept in the page URL.
 *
 * Without this script a dataset page shows a plain table of its first rows and the download links. With
 * it, each `.explorer` reads the published CSV (or, for a big table, its chunks of data-chunk-rows rows,
 * fetched only when a page needs them), so the download of the rows shown has exactly the published
 * header and cells. Every word comes from the page's data-t-* attributes; no text lives here.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams || !window.Intl) { return; }
  var LONG = 140;  // characters after which a cell is clamped, with a control to open it
  var collator = new Intl.Collator("it", { sensitivity: "base", numeric: true });
  var NUMERIC = { integer: 1, number: 1, year: 1 };
  var explorers = document.querySelectorAll(".explorer[data-csv]");
  for (var i = 0; i < explorers.length; i++) { explorer(explorers[i]); }

  function parseCsv(text) {  // RFC 4180, as the build writes it
    var rows = [], row = [], cell = "", quoted = false, c;
    for (var i = 0; i < text.length; i++) {
      c = text[i];
      if (quoted) {
        if (c !== '"') { cell += c; } else if (text[i + 1] === '"') { cell += c; i++; } else { quoted = false; }
      } else if (c === '"') { quoted = true;
      } else if (c === ",") { row.push(cell); cell = "";
      } else if (c === "\r" || c === "\n") {
        if (c === "\r" && text[i + 1] === "\n") { i++; }
        row.push(cell); rows.push(row); row = []; cell = "";
      } else { cell += c; }
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  }

  function csvLine(cells) {  // the quoting of Python's csv module, so rows come out as published
    return cells.map(function (v) { return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }).join(",");
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) { return values[key]; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function explorer(root) {
    var data = root.dataset, name = data.name;
    var total = +data.total, pageRows = +data.pageRows, chunkRows = +data.chunkRows, chunks = +data.chunks;
    var heads = root.querySelectorAll("thead th");
    var fields = [].map.call(heads, function (th) {
      return { name: th.dataset.field, type: th.dataset.type, delimiter: th.dataset.delimiter, th: th };
    });
    var tbody = root.querySelector("tbody");
    var status = root.querySelector(".explorer-status");
    var input = root.querySelector("input[type=search]");
    var select = root.querySelector("select");
    var pager = root.querySelector(".explorer-pages");
    var previous = pager.querySelector("[data-step='-1']"), next = pager.querySelector("[data-step='1']");
    var pageText = pager.querySelector(".explorer-page");
    var rows = new Array(total), chunkLoads = {}, allLoad = null;
    var state = readUrl(), order = null, seq = 0, timer = 0;

    root.querySelector(".explorer-controls").hidden = false;
    root.classList.add("live");
    fields.forEach(function (field, index) {
      var button = element("button", "sort", field.th.textContent);
      button.type = "button";
      button.appendChild(element("span", "sort-mark")).setAttribute("aria-hidden", "true");
      button.addEventListener("click", function () {
        state.dir = state.sort === field.name && state.dir === "asc" ? "desc" : "asc";
        state.sort = field.name;
        state.page = 1;
        apply();
      });
      field.th.textContent = "";
      field.th.appendChild(button);
      field.index = index;
    });
    input.value = state.q;
    select.value = state.col;
    if (select.value !== state.col) { state.col = ""; }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value; state.page = 1; apply(); }, 200);
    });
    select.addEventListener("change", function () { state.col = select.value; state.page = 1; apply(); });
    [previous, next].forEach(function (button) {
      button.addEventListener("click", function () { state.page += +button.dataset.step; apply(); });
    });
    root.querySelector(".explorer-download").addEventListener("click", download);
    if (narrowed() || state.page > 1 || !window.IntersectionObserver) {
      apply();
    } else {  // the plain first rows stay until the table comes near the screen: no work on page load
      var watcher = new IntersectionObserver(function (entries) {
        if (entries[0].isIntersecting && !order && !seq) { watcher.disconnect(); apply(); }
      }, { rootMargin: "200px" });
      watcher.observe(root);
    }

    function readUrl() {
      var params = new URLSearchParams(location.search);
      var get = function (key) { return params.get(name + "." + key) || ""; };
      return { sort: get("sort"), dir: get("dir") === "desc" ? "desc" : "asc", q: get("q"), col: get("col"),
               page: Math.max(1, parseInt(get("page"), 10) || 1) };
    }

    function writeUrl() {
      var params = new URLSearchParams(location.search);
      var values = { sort: state.sort, dir: state.sort ? state.dir : "", q: state.q, col: state.col,
                     page: state.page > 1 ? String(state.page) : "" };
      Object.keys(values).forEach(function (key) {
        if (values[key]) { params.set(name + "." + key, values[key]); } else { params.delete(name + "." + key); }
      });
      var query = params.toString();
      history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function fetchRows(url, offset) {
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.text();
      }).then(function (text) {
        var parsed = parseCsv(text);
        if (parsed[0].join(",") !== fields.map(function (f) { return f.name; }).join(",")) {
          throw new Error(url + ": unexpected header");
        }
        for (var i = 1; i < parsed.length; i++) { rows[offset + i - 1] = parsed[i]; }
      });
    }

    function loadChunk(number) {
      if (!chunkLoads[number]) {
        var url = data.chunkBase + ("000" + number).slice(-4) + ".csv";
        chunkLoads[number] = fetchRows(url, (number - 1) * chunkRows);
      }
      return chunkLoads[number];
    }

    function loadAll() {
      if (!allLoad) {
        var loads = [];
        for (var n = 1; n <= chunks; n++) { loads.push(loadChunk(n)); }
        allLoad = chunks ? Promise.all(loads) : fetchRows(data.csv, 0);
      }
      return allLoad;
    }

    function loadRange(start, end) {  // unsorted, unfiltered view of a big table: only its chunks
      if (!chunks) { return loadAll(); }
      var loads = [];
      for (var n = Math.floor(start / chunkRows) + 1; n <= Math.floor((end - 1) / chunkRows) + 1; n++) {
        loads.push(loadChunk(n));
      }
      return Promise.all(loads);
    }

    function narrowed() { return Boolean(state.q || state.sort); }

    function apply() {
      var token = ++seq;
      writeUrl();
      var start = (state.page - 1) * pageRows;
      var ready = narrowed() || !chunks ? loadAll() : loadRange(start, Math.min(total, start + pageRows));
      var shown = false;
      setTimeout(function () { if (!shown && token === seq) { status.textContent = data.tStatusLoading; } }, 300);
      ready.then(function () {
        shown = true;
        if (token === seq) { order = narrowed() ? view() : null; render(); }
      }, function () { shown = true; status.textContent = data.tStatusFailed; });
    }

    function key(cell, field) {
      if (cell === "") { return null; }
      return NUMERIC[field.type] ? Number(cell) : cell;
    }

    function view() {  // indices of the rows that match the filter, in the chosen order
      var needle = fold(state.q.trim()), column = null, found = [];
      fields.forEach(function (f) { if (f.name === state.col) { column = f.index; } });
      for (var i = 0; i < total; i++) {
        var text = column === null ? rows[i].join("\u0001") : rows[i][column];
        if (!needle || fold(text).indexOf(needle) !== -1) { found.push(i); }
      }
      var field = fields.filter(function (f) { return f.name === state.sort; })[0];
      if (field) {
        var sign = state.dir === "desc" ? -1 : 1;
        found.sort(function (a, b) {
          var x = key(rows[a][field.index], field), y = key(rows[b][field.index], field);
          if (x === null || y === null) { return x === y ? a - b : (x === null ? 1 : -1); }  // unknown last
          var c = typeof x === "number" ? x - y : (field.type === "date" ? (x < y ? -1 : x > y ? 1 : 0)
                                                                         : collator.compare(x, y));
          return c ? sign * c : a - b;
        });
      }
      return found;
    }

    function render() {
      root.querySelector("caption").textContent = data.title;
      var count = order ? order.length : total;
      var pages = Math.max(1, Math.ceil(count / pageRows));
      if (state.page > pages) { state.page = pages; writeUrl(); }
      var start = (state.page - 1) * pageRows, end = Math.min(count, start + pageRows);
      var body = document.createDocumentFragment();
      for (var i = start; i < end; i++) { body.appendChild(row(rows[order ? order[i] : i])); }
      tbody.textContent = "";
      tbody.appendChild(body);
      clampLongCells();
      fields.forEach(function (f) {
        if (f.name === state.sort) {
          f.th.setAttribute("aria-sort", state.dir === "desc" ? "descending" : "ascending");
        } else { f.th.removeAttribute("aria-sort"); }
      });
      pager.hidden = pages < 2;
      previous.disabled = state.page < 2;
      next.disabled = state.page >= pages;
      var pageStatus = fill(data.tPageStatus, { page: state.page, pages: pages });
      pageText.textContent = pageStatus;
      status.textContent = fill(data.tStatus, { shown: count, total: total }) + (pages > 1 ? " · " + pageStatus : "");
    }

    function row(cells) {
      var tr = element("tr");
      fields.forEach(function (field, index) {
        var td = tr.appendChild(element("td")), value = cells[index];
        if (value === "") {
          td.appendChild(element("span", "empty", data.tEmptyCell));
          return;
        }
        var items = field.type === "list" ? value.split(field.delimiter || ",") : [value];
        if (items.every(function (item) { return /^https?:\/\//.test(item); })) {
          items.forEach(function (item, n) {
            var link = element("a", "", hostOf(item));
            link.href = item;
            if (n) { td.appendChild(document.createTextNode(" ")); }
            td.appendChild(link);
          });
          return;
        }
        var text = field.type === "list" ? items.join(" ") : value;
        if (field.type === "integer" || field.type === "number") { text = Number(value).toLocaleString(data.lang); }
        td.appendChild(element("div", text.length > LONG ? "cell clamp" : "cell", text));
      });
      return tr;
    }

    function hostOf(url) {
      try { return new URL(url).hostname.replace(/^www\./, ""); } catch (e) { return url; }
    }

    function clampLongCells() {
      var cells = tbody.querySelectorAll(".clamp");
      for (var i = 0; i < cells.length; i++) {
        var text = cells[i], button = element("button", "more", data.tCellMore);
        button.type = "button";
        button.setAttribute("aria-expanded", "false");
        button.addEventListener("click", toggle.bind(null, text, button));
        text.parentNode.appendChild(button);
      }
    }

    function toggle(text, button) {
      var open = button.getAttribute("aria-expanded") !== "true";
      text.classList.toggle("clamp", !open);
      button.setAttribute("aria-expanded", String(open));
      button.textContent = open ? data.tCellLess : data.tCellMore;
    }

    function download() {
      loadAll().then(function () {
        var indices = narrowed() ? view() : rows.map(function (r, i) { return i; });
        var lines = [csvLine(fields.map(function (f) { return f.name; }))];
        indices.forEach(function (i) { lines.push(csvLine(rows[i])); });
        var url = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" }));
        var link = element("a");
        link.href = url;
        link.download = name + "-rows.csv";
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      }, function () { status.textContent = data.tStatusFailed; });
    }
  }
}());
