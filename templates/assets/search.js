/* Site search, in the reader's browser, with no third-party service.
 *
 * The header form works without this script: it opens the search page, which lists every page. With it,
 * typing in the box shows matching pages under the form (on the search page: filters the full list) and
 * a polite live region says how many there are. The index manifest (/<lang>/search-index/manifest.json,
 * built by ntc_site/render/searchindex.py) is fetched from the form's data-index URL when the box is
 * first used, and the rest of the index relative to it, so it works under any subpath. Words are
 * stemmed at build time with Snowball: the index maps every word form of the site to its stem, and this
 * script only folds, looks up and ranks.
 */
(function () {
  "use strict";
  var form = document.querySelector("form.search[data-index]");
  if (!form || !window.fetch || !window.Promise) { return; }
  var input = form.querySelector("input[type=search]");
  var pageList = document.getElementById("search-all");  // present on the search page only
  var pageStatus = document.getElementById("search-status");
  var MAX_SHOWN = 8;
  var manifestURL = new URL(form.getAttribute("data-index"), document.baseURI);
  var files = {};  // file name -> the promise of its JSON
  var manifest = null;
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
  more.href = form.getAttribute("action");  // the page that searches without this script
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

  /* The index is a folder of small files (ntc_site/render/searchindex.py): a manifest, term shards by
   * the first two letters of a word, and page details in chunks. Each file is fetched once, when a
   * query first needs it. */
  function fetchJSON(name) {
    if (!files[name]) {
      files[name] = fetch(new URL(name, manifestURL).href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("search index: HTTP " + response.status); }
          return response.json();
        });
      files[name].catch(function () { delete files[name]; });  // a later query tries again
    }
    return files[name];
  }

  function load() {
    return fetchJSON(manifestURL.href).then(function (data) { manifest = data; return data; });
  }

  function prefix(word) {  // code points, as the build slices them
    return Array.from(word).slice(0, 2).join("");
  }

  /* The terms of a word's prefix, or null when no word of the site begins with it. */
  function shardFor(word) {
    var key = prefix(word);
    if (!own(manifest.shards, key)) { return Promise.resolve(null); }
    return fetchJSON("terms-" + manifest.shards[key] + ".json");
  }

  /* Stems a typed word stands for, each with a factor: its own stem (1), the stems of longer words it
   * begins (0.5, for a word still being typed), else the longest known stem it begins with (0.8, for a
   * form the site never uses, e.g. 'tecnologiche' when the site says 'tecnologici'). */
  function stemsFor(word, shard) {
    var found = {};
    if (!shard) { return found; }
    var exact = own(shard.forms, word) ? shard.forms[word] : (own(shard.stems, word) ? word : null);
    if (exact) { found[exact] = 1; }
    if (word.length >= 3) {
      var longer = function (key) { return key.length > word.length && key.lastIndexOf(word, 0) === 0; };
      var add = function (root) { if (!found[root]) { found[root] = 0.5; } };
      Object.keys(shard.forms).forEach(function (form) { if (longer(form)) { add(shard.forms[form]); } });
      Object.keys(shard.stems).forEach(function (root) { if (longer(root)) { add(root); } });
    }
    if (!Object.keys(found).length) {
      var best = "";
      Object.keys(shard.stems).forEach(function (root) {
        if (root.length >= 4 && root.length > best.length && word.lastIndexOf(root, 0) === 0) { best = root; }
      });
      if (best) { found[best] = 0.8; }
    }
    return found;
  }

  /* Numbers of the pages that match every word, best first (ties in title order, which is page order). */
  function search(query) {
    var terms = words(query);
    if (!terms.length) { return Promise.resolve([]); }
    return Promise.all(terms.map(shardFor)).then(function (shards) {
      var scores = null;
      terms.forEach(function (word, n) {
        var stems = stemsFor(word, shards[n]);
        var here = {};
        Object.keys(stems).forEach(function (root) {
          var postings = shards[n].stems[root];
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
      return Object.keys(scores).map(Number).sort(function (a, b) {
        return scores[b] - scores[a] || a - b;
      });
    });
  }

  /* Title, address, kind and description of the given pages, in the same order. */
  function details(numbers) {
    var size = manifest.chunk;
    return Promise.all(numbers.map(function (n) {
      return fetchJSON("docs-" + Math.floor(n / size) + ".json").then(function (chunk) {
        var d = chunk[n % size];
        return { t: d[0], u: d[1], k: d[2], d: d[3] };
      });
    }));
  }

  function countText(n) {
    if (!n) { return manifest.ui.search_none; }
    return n + " " + (n === 1 ? manifest.ui.search_count_one : manifest.ui.search_count);
  }

  function result(doc) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.href = doc.u;
    link.textContent = doc.t;
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    var label = element("span", "kind");
    label.textContent = manifest.kinds[doc.k];
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
    list.setAttribute("aria-label", manifest.ui.search_results);
    hits.forEach(function (doc) { list.appendChild(result(doc)); });
    more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query);
    more.textContent = manifest.ui.search_all_results;
    panel.hidden = false;
  }

  function filterPageList(hits) {  // the list is in page order: item n is page n
    var keep = {};
    hits.forEach(function (n) { keep[n] = true; });
    Array.prototype.forEach.call(pageList.children, function (item, n) { item.hidden = !keep[n]; });
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
    var current = function () { return input.value.trim() === query; };  // else the reader typed on
    if (!query) { clear(); return Promise.resolve(); }
    return load().then(function () { return search(query); }).then(function (hits) {
      if (!current()) { return; }
      if (pageList) {
        filterPageList(hits);
        status.textContent = countText(hits.length);
        return;
      }
      return details(hits.slice(0, MAX_SHOWN)).then(function (docs) {
        if (!current()) { return; }
        showInPanel(query, docs);
        status.textContent = countText(hits.length);
      });
    }).catch(function () { panel.hidden = true; });  // the form still opens the list of every page
  }

  function links() {
    return Array.prototype.slice.call(panel.querySelectorAll("a"));
  }

  /* While the reader types, fetch the terms of the words so far (a shard serves every word sharing its
   * first two letters), so that when typing pauses the search has nothing left to wait for. */
  function prefetch() {
    var typed = words(input.value).filter(function (word) { return Array.from(word).length >= 2; });
    if (typed.length) {
      load().then(function () { typed.forEach(function (word) { shardFor(word).catch(function () {}); }); })
        .catch(function () {});
    }
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 120);
    prefetch();
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
