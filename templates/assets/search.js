/* Site search, in the reader's browser, with no third-party service.
 *
 * The header form works without this script: it opens the search page, which lists every page. With it,
 * typing in the box shows matching pages under the form (on the search page: filters the full list) and
 * a polite live region says how many there are. The index (/<lang>/search-index.json, built by
 * ntc_site/search.py) is fetched from the form's data-index URL the first time the box is used, so it
 * works under any subpath. Words are stemmed at build time with Snowball: the index maps every word form
 * of the site to its stem, and this script only folds, looks up and ranks.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-index]");
  if (!form || !window.fetch || !window.Promise) { return; }
  var input = form.querySelector("input[type=search]");
  var pageList = document.getElementById("search-all");  // present on the search page only
  var pageStatus = document.getElementById("search-status");
  var MAX_SHOWN = 8;
  var loading = null;
  var index = null;
  var timer = 0;

  var status = pageStatus || element("p", "search-status");
  var panel = element("div", "search-panel");
  var list = element("ul", "search-results");
  var more = element("a", "search-more");
  if (!pageStatus) {
    status.id = "search-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);
  }
  panel.id = "search-panel";
  panel.hidden = true;
  panel.appendChild(list);
  panel.appendChild(more);
  form.appendChild(panel);
  input.setAttribute("aria-controls", pageList ? "search-all" : "search-panel");
  input.setAttribute("aria-describedby", "search-status");

  function element(tag, className) {
    var node = document.createElement(tag);
    node.className = className;
    return node;
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function own(table, key) {  // typed words such as 'constructor' must not reach Object.prototype
    return Object.prototype.hasOwnProperty.call(table, key);
  }

  function words(text) {
    return fold(text).match(/[\p{L}\p{N}]+/gu) || [];
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("search index: HTTP " + response.status); }
          return response.json();
        })
        .then(function (data) { index = data; return data; });
    }
    return loading;
  }

  /* Stems a typed word stands for, each with a factor: its own stem (1), the stems of longer words it
   * begins (0.5, for a word still being typed), else the longest known stem it begins with (0.8, for a
   * form the site never uses, e.g. 'tecnologiche' when the site says 'tecnologici'). */
  function stemsFor(word) {
    var found = {};
    var exact = own(index.forms, word) ? index.forms[word] : (own(index.stems, word) ? word : null);
    if (exact) { found[exact] = 1; }
    if (word.length >= 3) {
      var longer = function (key) { return key.length > word.length && key.lastIndexOf(word, 0) === 0; };
      var add = function (root) { if (!found[root]) { found[root] = 0.5; } };
      Object.keys(index.forms).forEach(function (form) { if (longer(form)) { add(index.forms[form]); } });
      Object.keys(index.stems).forEach(function (root) { if (longer(root)) { add(root); } });
    }
    if (!Object.keys(found).length) {
      var best = "";
      Object.keys(index.stems).forEach(function (root) {
        if (root.length >= 4 && root.length > best.length && word.lastIndexOf(root, 0) === 0) { best = root; }
      });
      if (best) { found[best] = 0.8; }
    }
    return found;
  }

  /* Pages that match every word, best first. */
  function search(query) {
    var terms = words(query);
    if (!terms.length) { return []; }
    var scores = null;
    terms.forEach(function (word) {
      var stems = stemsFor(word);
      var here = {};
      Object.keys(stems).forEach(function (root) {
        var postings = index.stems[root];
        for (var i = 0; i < postings.length; i += 2) {
          var score = postings[i + 1] * stems[root];
          here[postings[i]] = Math.max(here[postings[i]] || 0, score);
        }
      });
      if (scores === null) {
        scores = here;
      } else {
        Object.keys(scores).forEach(function (doc) {
          if (here[doc]) { scores[doc] += here[doc]; } else { delete scores[doc]; }
        });
      }
    });
    return Object.keys(scores).map(function (doc) {
      return { doc: index.docs[doc], score: scores[doc] };
    }).sort(function (a, b) {
      return b.score - a.score || a.doc.t.localeCompare(b.doc.t);
    }).map(function (hit) { return hit.doc; });
  }

  function countText(n) {
    if (!n) { return index.ui.search_none; }
    return n + " " + (n === 1 ? index.ui.search_count_one : index.ui.search_count);
  }

  function result(doc) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = doc.u;
    link.textContent = doc.t;
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    var label = element("span", "kind");
    label.textContent = index.kinds[doc.k];
    item.appendChild(label);
    if (doc.d) {
      var text = element("p", "search-summary");
      text.textContent = doc.d.length > 140 ? doc.d.slice(0, 139).replace(/\s+\S*$/, "") + "…" : doc.d;
      item.appendChild(text);
    }
    return item;
  }

  function showInPanel(query, hits) {
    list.textContent = "";
    list.setAttribute("aria-label", index.ui.search_results);
    hits.slice(0, MAX_SHOWN).forEach(function (doc) { list.appendChild(result(doc)); });
    more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
    more.textContent = index.ui.search_all_results;
    panel.hidden = false;
  }

  function filterPageList(hits) {
    var keep = {};
    hits.forEach(function (doc) { keep[doc.u] = true; });
    Array.prototype.forEach.call(pageList.children, function (item) {
      var link = item.querySelector("a");
      item.hidden = !keep[link.getAttribute("href")];
    });
  }

  function clear() {
    status.textContent = "";
    panel.hidden = true;
    if (pageList) {
      Array.prototype.forEach.call(pageList.children, function (item) { item.hidden = false; });
    }
  }

  function update() {
    window.clearTimeout(timer);
    timer = 0;
    var query = input.value.trim();
    if (!query) { clear(); return Promise.resolve(); }
    return load().then(function () {
      if (input.value.trim() !== query) { return; }  // the reader typed on meanwhile
      var hits = search(query);
      if (pageList) { filterPageList(hits); } else { showInPanel(query, hits); }
      status.textContent = countText(hits.length);
    }).catch(function () { panel.hidden = true; });  // the form still opens the list of every page
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a"));
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 120);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && timer) {  // results still to come: show them, then go to the first
      event.preventDefault();
      update().then(function () { if (!panel.hidden && links().length) { links()[0].focus(); } });
    } else if (event.key === "Escape" && !panel.hidden) {
      panel.hidden = true;
      input.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && !panel.hidden && all.length) {
      all[Math.min(at + 1, all.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
      event.preventDefault();
    }
  });
  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) { panel.hidden = true; }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) { panel.hidden = true; }
  });

  if (pageList) {
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) {
      input.value = initial;
      update();
    }
  }
}());
