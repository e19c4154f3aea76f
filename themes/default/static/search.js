// gongkai search: reads the static index written by `gongkai build` (see src/search/mod.rs).
// No framework, no WebAssembly, nothing from another host; data files are loaded with <script>
// elements so this works under `default-src 'self'` and from file://.
(function () {
  "use strict";
  var app = document.getElementById("search-app");
  if (!app) return;
  var lang = app.getAttribute("data-lang");
  var root = app.getAttribute("data-root") || "";
  var base = root + lang + "/search/";
  var fileMode = location.protocol === "file:";
  var T = JSON.parse(app.getAttribute("data-strings") || "{}");
  var PAGE = 10;

  // ---- loading data files -------------------------------------------------------------
  // Files are named by their content (`t/12.aB-x_9.js`); they call __gk with the name
  // without the tag (`t/12`). Only meta.js keeps its name: it lists the tags of the bucket
  // groups (`n/0`, each listing 32 buckets' tags) and text folders, 6 characters each
  // (src/search/names.rs).
  var cache = {};
  // A file's data goes to the load that asked for that very file: its script calls __gk, and
  // its load event follows at once, before any other script runs. Keyed by name alone, a
  // meta.js of the index before an edit, arriving after the preview's refresh asked for the new
  // one, would be taken for the new one.
  var ran = null;
  window.__gk = function (name, data) { ran = { name: name, data: data }; };
  function tag(tags, i) { return tags.substr(i * 6, 6); }
  // Buckets named per group file (src/search/names.rs, BUCKETS_PER_GROUP).
  var BUCKETS_PER_GROUP = 32;
  // Bumped when the preview says the index changed: meta.js is then asked for anew.
  var fresh = 0;
  // A file that fails to load is forgotten, so the next query asks for it again.
  function load(name, file) {
    if (cache[name]) return cache[name].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = base + (file || name + ".js");
      function fail() {
        if (cache[name] === entry) delete cache[name];
        reject(new Error("cannot load " + name));
      }
      s.onload = function () {
        var got = ran;
        ran = null;
        s.remove();
        if (got && got.name === name) resolve(got.data); else fail();
      };
      s.onerror = function () { ran = null; s.remove(); fail(); };
      document.head.appendChild(s);
    });
    cache[name] = entry;
    return entry.promise;
  }
  function loadMeta() { return load("meta", "meta.js" + (fresh ? "?r=" + fresh : "")).then(expandRuns); }
  // Documents are numbered by year, then department; meta.js says, per year,
  // [year, department, count, department, count, …]: here runs of [first document, year,
  // department].
  function expandRuns(meta) {
    if (!meta.runs) {
      var runs = [], first = 0;
      meta.r.forEach(function (y) {
        for (var i = 1; i + 1 < y.length; i += 2) { runs.push([first, y[0], y[i]]); first += y[i + 1]; }
      });
      meta.runs = runs;
    }
    return meta;
  }

  // ---- tokenizer: the same rules as src/search/tokenize.rs ----------------------------
  function fold(s) { return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase(); }
  function isHan(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3400 && n <= 0x4dbf) || (n >= 0x4e00 && n <= 0x9fff) ||
      (n >= 0xf900 && n <= 0xfaff) || (n >= 0x20000 && n <= 0x2fa1f);
  }
  function isWordChar(c) { return /^[a-z0-9]$/.test(c); }
  function tokens(folded) {
    var out = [], word = "";
    for (var c of folded) {
      if (isWordChar(c)) { word += c; continue; }
      if (word) { out.push({ w: word }); word = ""; }
      if (isHan(c)) out.push({ h: c });
      else if (out.length && !out[out.length - 1].br) out.push({ br: true });
    }
    if (word) out.push({ w: word });
    return out;
  }
  function stem(w) {
    var n = w.length;
    if (!/^[a-z]+$/.test(w) || n <= 3) return w;
    if (n > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
    else if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
    n = w.length;
    if (n >= 7 && w.endsWith("ing")) return w.slice(0, -3);
    if (n >= 6 && w.endsWith("ed") && !w.endsWith("eed")) return w.slice(0, -2);
    return w;
  }
  // `cover`: for a phrase the page confirms against the report's text anyway, a run of Han
  // characters needs only bigrams that cover it (公共 法律 服务, not all five of 公共法律服务):
  // one bucket per two characters instead of one per character.
  function queryTerms(toks, cover) {
    var out = [];
    for (var i = 0; i < toks.length;) {
      var t = toks[i];
      if (t.h) {
        var run = [t.h];
        while (toks[i + run.length] && toks[i + run.length].h) run.push(toks[i + run.length].h);
        if (run.length === 1) out.push("h:" + run[0]);
        else for (var j = 0; j + 1 < run.length; j++) {
          if (!cover || j % 2 === 0 || j + 2 === run.length) out.push("b:" + run[j] + run[j + 1]);
        }
        i += run.length;
      } else if (t.w) { out.push("w:" + stem(t.w)); i++; } else i++;
    }
    return out;
  }
  // A query is phrases: quoted strings, and whitespace-separated segments.
  function parseQuery(q) {
    var phrases = [], re = /"([^"]*)"|(\S+)/g, m;
    while ((m = re.exec(q))) {
      var text = fold(m[1] !== undefined ? m[1] : m[2]);
      var toks = tokens(text).filter(function (t) { return !t.br || m[1] !== undefined; });
      var exact = needsCheck(toks), terms = queryTerms(toks, exact);
      if (terms.length) phrases.push({ toks: toks, terms: terms, exact: exact });
    }
    return phrases;
  }
  // Single terms match exactly by the index; longer phrases are confirmed against the text.
  function needsCheck(toks) {
    var n = toks.filter(function (t) { return !t.br; }).length;
    var hanRun = toks.every(function (t) { return t.h; });
    return !(n === 1 || (hanRun && n === 2));
  }

  // ---- postings -------------------------------------------------------------------------
  function fnv1a(s) {
    var bytes = new TextEncoder().encode(s), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) { h ^= bytes[i]; h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }
  // LEB128 varints in URL-safe base64 (src/search/postings.rs).
  function bytesOf(b64) {
    var s = atob(b64.replace(/-/g, "+").replace(/_/g, "/")), bytes = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  }
  function varints(bytes) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < bytes.length; i++) {
      var b = bytes[i];
      v += (b & 0x7f) * Math.pow(2, shift);
      if (b & 0x80) shift += 7; else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }
  // Postings: per document `delta` (single characters) or `delta, tf * 8 + fields, packs`.
  function decode(bytes, single) {
    var out = varints(bytes), docs = new Map(), doc = 0, step = single ? 1 : 3;
    for (var k = 0; k + step <= out.length; k += step) {
      doc += out[k];
      if (single) docs.set(doc, { tf: 1, packs: 1, fields: 4 });
      else docs.set(doc, { tf: Math.floor(out[k + 1] / 8), fields: out[k + 1] % 8, packs: out[k + 2] });
    }
    return docs;
  }
  // Each document's theme mask, listed once in meta.js, deflated (inflated here at once: a few
  // kB, and filters need it before anything is shown).
  function themesOf(meta) {
    if (!meta.themeMasks) meta.themeMasks = varints(inflate(bytesOf(meta.m)));
    return meta.themeMasks;
  }
  function postings(meta, term) {
    var i = fnv1a(term) % meta.k, g = Math.floor(i / BUCKETS_PER_GROUP);
    return load("n/" + g, "n/" + g + "." + tag(meta.t, g) + ".js").then(function (tags) {
      return load("t/" + i, "t/" + i + "." + tag(tags, i % BUCKETS_PER_GROUP) + ".js");
    }).then(function (bucket) {
      var entry = bucket[term], single = term.charAt(0) === "h";
      if (!entry) return new Map();
      if (entry.charAt(0) !== "*") return decode(bytesOf(entry), single);
      // A frequent term's postings, deflated in a file of their own (src/search/buckets.rs).
      return load("u/" + entry.substr(1)).then(function (b64) { return decode(inflate(bytesOf(b64)), single); });
    });
  }
  // The run (see expandRuns) holding a document.
  function runOf(meta, doc) {
    var lo = 0, hi = meta.runs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (meta.runs[mid][0] <= doc) lo = mid; else hi = mid - 1;
    }
    return meta.runs[lo];
  }
  function hasTheme(mask, i) { return Math.floor(mask / Math.pow(2, i)) % 2 === 1; }

  // The packs that may hold each phrase: those holding all its terms (a single character's
  // postings do not say where it is, so it may be in any). `all`: packs that may hold every
  // phrase; `any`: packs that may hold one.
  function packsOf(phrases, byTerm, doc) {
    var all = 0xffffffff, any = 0;
    phrases.forEach(function (ph) {
      var mask = 0xffffffff;
      ph.terms.forEach(function (t) { if (t.charAt(0) !== "h") mask = (mask & byTerm[t].get(doc).packs) >>> 0; });
      all = (all & mask) >>> 0;
      any = (any | mask) >>> 0;
    });
    return { all: all, any: any };
  }

  // ---- searching ------------------------------------------------------------------------
  function search(meta, q) {
    var phrases = parseQuery(q);
    if (!phrases.length) return Promise.resolve({ phrases: phrases, hits: [] });
    var terms = [];
    phrases.forEach(function (p) { p.terms.forEach(function (t) { if (terms.indexOf(t) < 0) terms.push(t); }); });
    return Promise.all(terms.map(function (t) { return postings(meta, t); })).then(function (lists) {
      var byTerm = {};
      terms.forEach(function (t, i) { byTerm[t] = lists[i]; });
      lists.sort(function (a, b) { return a.size - b.size; });
      var hits = [], masks = themesOf(meta);
      lists[0].forEach(function (_, doc) {
        var score = 0, common = 0xffffffff, any = 0;
        for (var i = 0; i < terms.length; i++) {
          var p = byTerm[terms[i]].get(doc);
          if (!p) return;
          score += (p.fields & 1 ? 100 : 0) + (p.fields & 2 ? 20 : 0) + Math.log(1 + p.tf);
          common = (common & p.packs) >>> 0;
          any = (any | p.packs) >>> 0;
        }
        if (common && terms.length > 1) score += 30;
        var run = runOf(meta, doc), at = packsOf(phrases, byTerm, doc);
        hits.push({ doc: doc, score: score, packs: at.all || at.any, where: at.any, dept: run[2], themes: masks[doc] || 0, year: run[1] });
      });
      hits.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return { phrases: phrases, hits: hits };
    });
  }

  // Folded text with a map back to the original, so matches can be marked in the original.
  function foldMap(text) {
    var folded = "", map = [], i = 0;
    for (var c of text) {
      var n = c.codePointAt(0);
      // Fast paths as in fold() of tokenize.rs: ASCII lowercases, common Han stays as it is.
      var f = n < 0x80 ? c.toLowerCase() : ((n >= 0x4e00 && n <= 0x9fff) || (n >= 0x3400 && n <= 0x4dbf)) ? c : fold(c);
      for (var k = 0; k < f.length; k++) map.push(i);
      folded += f;
      i += c.length;
    }
    map.push(text.length);
    return { folded: folded, map: map };
  }
  function needle(p) {
    return p.toks.map(function (t) { return t.h || t.w || " "; }).join("").trim();
  }
  // Finds the phrases in a pack: the section and the ranges to mark.
  // Where one phrase occurs in folded text: ranges in the original text.
  function occurrences(fm, p) {
    var n = needle(p), mine = [], at = fm.folded.indexOf(n);
    if (p.toks.some(function (t) { return t.w; }) && !p.toks.some(function (t) { return t.h; })) {
      // Whole words only, as the index matches them: a run of words whose stems are the
      // phrase's (`law` marks "laws", never "lawyer").
      var words = p.toks.filter(function (t) { return t.w; }).map(function (t) { return stem(t.w); });
      var seen = [], re = /[a-z0-9]+/g, m;
      while ((m = re.exec(fm.folded))) seen.push([m.index, m.index + m[0].length, stem(m[0])]);
      for (var i = 0; i + words.length <= seen.length; i++) {
        var k = 0;
        while (k < words.length && seen[i + k][2] === words[k]) k++;
        if (k === words.length) mine.push([fm.map[seen[i][0]], fm.map[seen[i + k - 1][1]]]);
      }
    } else {
      while (at >= 0 && n) { mine.push([fm.map[at], fm.map[at + n.length]]); at = fm.folded.indexOf(n, at + n.length); }
    }
    return mine;
  }
  // Finds the phrases in a list of sections (a section's heading counts as part of it): the
  // section holding most of them (and, among those, the rarest one in the report), the ranges
  // to mark, and where the excerpt should centre (on that rarest phrase).
  function locate(sections, phrases) {
    var found = sections.map(function (sec) {
      var text = sec.heading ? sec.heading + "\n" + sec.text : sec.text;
      var fm = foldMap(text);
      return { sec: sec, text: text, per: phrases.map(function (p) { return occurrences(fm, p); }) };
    });
    var totals = phrases.map(function (_, i) { return found.reduce(function (n, f) { return n + f.per[i].length; }, 0); });
    var rarest = -1;
    totals.forEach(function (n, i) { if (n && (rarest < 0 || n < totals[rarest])) rarest = i; });
    var best = null, bestKey = -1;
    found.forEach(function (f) {
      var kinds = f.per.filter(function (r) { return r.length; }).length;
      if (!kinds) return;
      var key = kinds * 2 + (rarest >= 0 && f.per[rarest].length ? 1 : 0);
      if (key > bestKey) { bestKey = key; best = f; }
    });
    if (!best) return null;
    var anchor = rarest >= 0 && best.per[rarest].length ? best.per[rarest][0] : best.per.filter(function (r) { return r.length; })[0][0];
    return {
      sec: best.sec, text: best.text, anchor: anchor,
      ranges: [].concat.apply([], best.per),
      // Every phrase occurs somewhere in these sections (not necessarily in the one shown).
      all: totals.every(function (n) { return n > 0; })
    };
  }
  // ---- raw DEFLATE (RFC 1951), for browsers without DecompressionStream("deflate-raw") ----
  // Canonical Huffman codes decoded bit by bit from per-length counts, as zlib's puff.c does:
  // slower than the browser's own, but a report's text is a few tens of kilobytes.
  var LBASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
  var LEXT = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
  var DBASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  var DEXT = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
  var ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
  function inflate(src) {
    var out = new Uint8Array(src.length * 4 + 1024), n = 0, pos = 0, bit = 0, hold = 0;
    function fail(why) { throw new Error("inflate: " + why); }
    function room(k) {
      if (n + k <= out.length) return;
      var bigger = new Uint8Array(Math.max(out.length * 2, n + k));
      bigger.set(out);
      out = bigger;
    }
    function bits(k) {
      while (bit < k) {
        if (pos >= src.length) fail("truncated");
        hold |= src[pos++] << bit;
        bit += 8;
      }
      var v = hold & ((1 << k) - 1);
      hold >>>= k;
      bit -= k;
      return v;
    }
    function table(lengths, start, count) {
      var counts = new Uint16Array(16), offs = new Uint16Array(16), symbols = new Uint16Array(count), i;
      for (i = 0; i < count; i++) counts[lengths[start + i]]++;
      counts[0] = 0;
      for (i = 1; i < 16; i++) offs[i] = offs[i - 1] + counts[i - 1];
      for (i = 0; i < count; i++) if (lengths[start + i]) symbols[offs[lengths[start + i]]++] = i;
      return { counts: counts, symbols: symbols };
    }
    function decode(t) {
      var code = 0, first = 0, index = 0;
      for (var len = 1; len < 16; len++) {
        code |= bits(1);
        var count = t.counts[len];
        if (code - first < count) return t.symbols[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      return fail("bad code");
    }
    function codes() {
      var nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4, i;
      var lengths = new Uint8Array(19);
      for (i = 0; i < ncode; i++) lengths[ORDER[i]] = bits(3);
      var clen = table(lengths, 0, 19);
      lengths = new Uint8Array(nlen + ndist);
      for (i = 0; i < nlen + ndist;) {
        var sym = decode(clen), prev = 0, rep;
        if (sym < 16) { lengths[i++] = sym; continue; }
        if (sym === 16) { if (!i) fail("repeat first"); prev = lengths[i - 1]; rep = 3 + bits(2); }
        else rep = sym === 17 ? 3 + bits(3) : 11 + bits(7);
        if (i + rep > nlen + ndist) fail("too many lengths");
        while (rep--) lengths[i++] = prev;
      }
      return [table(lengths, 0, nlen), table(lengths, nlen, ndist)];
    }
    function fixed() {
      var l = new Uint8Array(320), i;
      for (i = 0; i < 144; i++) l[i] = 8;
      for (; i < 256; i++) l[i] = 9;
      for (; i < 280; i++) l[i] = 7;
      for (; i < 288; i++) l[i] = 8;
      for (; i < 320; i++) l[i] = 5;
      return [table(l, 0, 288), table(l, 288, 32)];
    }
    var last;
    do {
      last = bits(1);
      var type = bits(2);
      if (type === 0) {
        // Stored: the rest of the current byte is padding.
        hold = 0; bit = 0;
        if (pos + 4 > src.length) fail("truncated");
        var len = src[pos] | (src[pos + 1] << 8);
        pos += 4;
        if (pos + len > src.length) fail("truncated");
        room(len);
        out.set(src.subarray(pos, pos + len), n);
        n += len; pos += len;
        continue;
      }
      if (type === 3) fail("bad block");
      var t = type === 1 ? fixed() : codes();
      for (;;) {
        var s = decode(t[0]);
        if (s < 256) { room(1); out[n++] = s; continue; }
        if (s === 256) break;
        s -= 257;
        if (s >= 29) fail("bad length");
        var size = LBASE[s] + bits(LEXT[s]), ds = decode(t[1]);
        if (ds >= 30) fail("bad distance");
        var dist = DBASE[ds] + bits(DEXT[ds]);
        if (dist > n) fail("distance too far");
        room(size);
        for (var k = 0; k < size; k++, n++) out[n] = out[n - dist];
      }
    } while (!last);
    return out.subarray(0, n);
  }
  // The browser's own decompressor where it has one for raw DEFLATE, else the one above.
  function inflateText(bytes) {
    try {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
      return new Response(stream).text();
    } catch (e) {
      return Promise.resolve().then(function () { return new TextDecoder().decode(inflate(bytes)); });
    }
  }

  // A report's text file, deflated, in base64: a JSON head (title, address, year, department,
  // number of packs `n`, the file's first pack `k`, per pack its [id, heading] pairs), then
  // each section's text after a U+001E (src/search/texts.rs). A file holds `meta.g` packs:
  // one on a small site, the whole report on a large one.
  var files = {};
  function loadFile(meta, d, j) {
    var key = d + "-" + j;
    if (!files[key]) {
      var g = Math.floor(d / 64);
      var entry = files[key] = load("p/" + g + "/" + key, "p/" + g + "." + tag(meta.p, g) + "/" + key + ".js").then(function (b64) {
        return inflateText(bytesOf(b64)).then(function (text) {
          var parts = text.split("\u001e"), head = JSON.parse(parts[0]), at = 1;
          head.p = head.p.map(function (pack) {
            return pack.map(function (s) { return { id: s[0], heading: s[1], text: parts[at++] }; });
          });
          return head;
        });
      }).catch(function (e) {
        if (files[key] === entry) delete files[key];
        throw e;
      });
    }
    return files[key];
  }
  // Pack `k` of report `d`: the report's facts and the pack's sections.
  function loadPack(meta, d, k) {
    var per = meta.g || 1;
    return loadFile(meta, d, Math.floor(k / per)).then(function (head) {
      return { t: head.t, u: head.u, y: head.y, d: head.d, n: head.n, s: head.p[k - head.k] || [] };
    });
  }
  function firstBit(mask) { for (var i = 0; i < 32; i++) if (hasTheme(mask, i)) return i; return 0; }
  // A result downloads the pack its phrases share (the postings' pack masks); only when that
  // pack does not hold the whole query does it read the other packs that may hold a phrase
  // (the last mask bit stands for every pack from the 32nd on).
  function excerptOf(meta, hit, phrases) {
    var first = firstBit(hit.packs);
    return loadPack(meta, hit.doc, first).then(function (head) {
      var pack = { t: head.t, u: head.u, y: head.y, d: head.d };
      var found = locate(head.s, phrases);
      var done = function () {
        var mustCheck = phrases.some(function (p) { return p.exact; });
        if (mustCheck && (!found || !found.all)) return null;
        return { pack: pack, found: found };
      };
      if (found && found.all) return done();
      var ks = [];
      for (var k = 0; k < head.n; k++) if (k === first || hasTheme(hit.where, Math.min(k, 31))) ks.push(k);
      return Promise.all(ks.map(function (k) { return loadPack(meta, hit.doc, k); })).then(function (all) {
        var sections = [{ id: "", heading: "", text: head.t }];
        all.forEach(function (p) { sections = sections.concat(p.s); });
        var whole = locate(sections, phrases);
        if (whole && (whole.all || !found)) found = whole;
        return done();
      });
    });
  }

  // ---- rendering ------------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pageUrl(u, id) {
    return root + u + (fileMode ? "index.html" : "") + (id ? "#" + encodeURIComponent(id) : "");
  }
  function excerptNode(found) {
    var p = el("p", { "class": "excerpt" });
    if (!found) return p;
    var text = found.text, r = found.ranges.slice().sort(function (a, b) { return a[0] - b[0]; });
    var start = Math.max(0, found.anchor[0] - 60), end = Math.min(text.length, found.anchor[1] + 120);
    // Latin words are not cut: the excerpt starts after and ends before a partial word.
    var inWord = function (i) { return /[A-Za-z0-9\u00C0-\u024F]/.test(text.charAt(i)); };
    while (start > 0 && start < found.anchor[0] && inWord(start - 1) && inWord(start)) start++;
    while (start < found.anchor[0] && /\s/.test(text.charAt(start))) start++;
    while (end < text.length && end > found.anchor[1] && inWord(end - 1) && inWord(end)) end--;
    while (end > found.anchor[1] && /\s/.test(text.charAt(end - 1))) end--;
    if (start > 0) p.appendChild(document.createTextNode("…"));
    var pos = start;
    r.forEach(function (x) {
      if (x[0] < pos || x[1] > end) return;
      p.appendChild(document.createTextNode(text.slice(pos, x[0])));
      p.appendChild(el("mark", {}, text.slice(x[0], x[1])));
      pos = x[1];
    });
    p.appendChild(document.createTextNode(text.slice(pos, end)));
    if (end < text.length) p.appendChild(document.createTextNode("…"));
    return p;
  }

  // One search box: the header's, filled with the query; submitting it searches in place.
  var input = document.getElementById("site-search");
  var form = input.form;
  var filters = el("div", { "class": "filters", role: "group", "aria-label": T.filters || "Filters" });
  var status = el("p", { id: "search-status", role: "status", "aria-live": "polite" });
  var advice = el("div", { "class": "search-advice", hidden: "" });
  var list = el("ol", { "class": "search-results", "aria-labelledby": "search-status" });
  var more = el("button", { type: "button", "class": "more", hidden: "" }, T.more || "More results");
  app.appendChild(filters);
  app.appendChild(status);
  app.appendChild(advice);
  app.appendChild(list);
  app.appendChild(more);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var state = { year: params.get("year") || "", department: params.get("department") || "", theme: params.get("theme") || "" };
  var generation = 0, timer = null, current = null, shown = 0;

  function select(name, options, value, labelText) {
    // The label's text above its menu, so the two never part on a narrow screen.
    var wrap = el("label");
    wrap.appendChild(el("span", {}, labelText));
    var s = el("select", { name: name });
    s.appendChild(el("option", { value: "" }, T.all || "All"));
    options.forEach(function (o) {
      var opt = el("option", { value: o[0] }, o[1] + " (" + o[2] + ")");
      if (String(o[0]) === value) opt.selected = true;
      s.appendChild(opt);
    });
    s.addEventListener("change", function () { state[name] = s.value; update(); });
    wrap.appendChild(s);
    return wrap;
  }
  function keep() {
    var p = new URLSearchParams();
    if (input.value) p.set("q", input.value);
    ["year", "department", "theme"].forEach(function (k) { if (state[k]) p.set(k, state[k]); });
    var qs = p.toString();
    try { history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "")); } catch (e) { /* some file:// setups refuse */ }
  }
  function update() { keep(); render(); }

  function passes(meta, h, skip) {
    if (skip !== "year" && state.year && String(h.year) !== state.year) return false;
    if (skip !== "department" && state.department && meta.departments[h.dept] && meta.departments[h.dept][0] !== state.department) return false;
    if (skip !== "theme" && state.theme) {
      var ti = meta.themes.findIndex(function (t) { return t[0] === state.theme; });
      if (ti >= 0 && !hasTheme(h.themes, ti)) return false;
    }
    return true;
  }
  function render() {
    if (!current) return;
    var meta = current.meta, hits = current.result.hits;
    filters.textContent = "";
    var years = {}, depts = {}, themes = {};
    hits.forEach(function (h) {
      if (passes(meta, h, "year")) years[h.year] = (years[h.year] || 0) + 1;
      if (passes(meta, h, "department")) depts[h.dept] = (depts[h.dept] || 0) + 1;
      if (passes(meta, h, "theme")) meta.themes.forEach(function (t, i) { if (hasTheme(h.themes, i)) themes[i] = (themes[i] || 0) + 1; });
    });
    if (hits.length) {
      var yearList = [];
      meta.runs.forEach(function (r) { if (yearList.indexOf(r[1]) < 0) yearList.push(r[1]); });
      filters.appendChild(select("year", yearList.filter(function (y) { return years[y]; }).map(function (y) { return [y, y, years[y]]; }), state.year, T.year || "Year"));
      filters.appendChild(select("department", meta.departments.map(function (d, i) { return [d[0], d[1], depts[i] || 0]; }).filter(function (o) { return o[2]; }), state.department, T.department || "Department"));
      filters.appendChild(select("theme", meta.themes.map(function (t, i) { return [t[0], t[1], themes[i] || 0]; }).filter(function (o) { return o[2]; }), state.theme, T.theme || "Theme"));
    }
    current.filtered = hits.filter(function (h) { return passes(meta, h); });
    list.textContent = "";
    shown = 0;
    // A new view of the results (new query or filter): what the last one still loads is
    // dropped.
    current.view = (current.view || 0) + 1;
    current.chain = null;
    showMore();
  }
  function resultItem(meta, ex) {
    var pack = ex.pack, found = ex.found;
    var li = el("li");
    // The page's h1 is the only heading above: each result is a second-level heading.
    var h2 = el("h2");
    h2.appendChild(el("a", { href: pageUrl(pack.u, found && found.sec.id) }, pack.t));
    li.appendChild(h2);
    var d = meta.departments[pack.d];
    li.appendChild(el("p", { "class": "meta" }, (d ? d[1] : "") + " · " + pack.y));
    li.appendChild(excerptNode(found));
    return li;
  }
  // Shows the next page of results. Excerpts load in parallel; each result goes on screen as
  // soon as it and every result above it are ready, so the first shows without waiting for
  // the slowest. One chain per view keeps pages in order.
  function showMore() {
    var cur = current, view = cur.view, meta = cur.meta, phrases = cur.result.phrases;
    var pending = cur.filtered.slice(shown, shown + PAGE);
    var stale = function () { return current !== cur || cur.view !== view; };
    shown += pending.length;
    // A text that fails to load is not a result that fails to match: the page says so.
    var excerpts = pending.map(function (h) {
      return excerptOf(meta, h, phrases).catch(function () { cur.failed = true; h.unknown = true; return null; });
    });
    var chain = cur.chain || Promise.resolve();
    pending.forEach(function (h, i) {
      chain = chain.then(function () { return excerpts[i]; }).then(function (ex) {
        if (stale()) return;
        if (!ex) { if (!h.unknown) h.rejected = true; return; }
        list.appendChild(resultItem(meta, ex));
      });
    });
    cur.chain = chain.then(function () {
      if (stale()) return;
      var total = cur.filtered.filter(function (h) { return !h.rejected; }).length;
      status.textContent = !input.value.trim() ? "" : cur.failed ? (T.error || "Search is unavailable.") :
        ((total === 1 && T.results_one) || T.results || "{n} results").replace("{n}", total);
      showAdvice(!cur.failed && total === 0 && input.value.trim() !== "");
      if (shown < cur.filtered.length) more.removeAttribute("hidden"); else more.setAttribute("hidden", "");
    });
  }
  more.addEventListener("click", function () { if (current) showMore(); });

  // With nothing found: what to try next; a button clears the filters when some are set.
  function showAdvice(on) {
    advice.textContent = "";
    if (!on) { advice.setAttribute("hidden", ""); return; }
    advice.appendChild(el("p", {}, T.advice || "Try:"));
    var tips = el("ul");
    tips.appendChild(el("li", {}, T.advice_fewer || "fewer words"));
    tips.appendChild(el("li", {}, T.advice_spelling || "another spelling or wording"));
    var filtered = state.year || state.department || state.theme;
    if (filtered) {
      var li = el("li");
      var clear = el("button", { type: "button" }, T.advice_clear || "Clear the filters");
      clear.addEventListener("click", function () {
        state.year = state.department = state.theme = "";
        update();
      });
      li.appendChild(clear);
      tips.appendChild(li);
    }
    advice.appendChild(tips);
    advice.removeAttribute("hidden");
  }

  function run() {
    var gen = ++generation, q = input.value;
    keep();
    if (!q.trim()) { current = null; list.textContent = ""; filters.textContent = ""; status.textContent = ""; showAdvice(false); more.setAttribute("hidden", ""); return; }
    loadMeta().then(function (meta) {
      return search(meta, q).then(function (result) {
        if (gen !== generation) return;
        current = { meta: meta, result: result };
        render();
      });
    }).catch(function () {
      if (gen !== generation) return;
      current = null; list.textContent = ""; filters.textContent = ""; more.setAttribute("hidden", "");
      status.textContent = T.error || "Search is unavailable.";
    });
  }
  // The preview (`gongkai serve`) says when an edit changed the index: what was loaded is
  // forgotten and the query runs again on the new files.
  window.addEventListener("gongkai:index", function () {
    cache = {}; files = {}; fresh++;
    if (input.value.trim()) run();
  });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 10); });
  // The tokenizer, for the test that checks it against the Rust one.
  window.__gkSearch = { fold: fold, tokens: tokens, stem: stem, queryTerms: queryTerms, inflate: inflate };
  if (input.value) run();
})();
