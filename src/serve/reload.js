// gongkai serve: reloads the page when the site is rebuilt, swaps stylesheets when only they
// changed, and shows build errors over the page. Injected only by the preview server, never
// written into the built site. Loaded as a file so it runs under `default-src 'self'`.
(function () {
  'use strict';
  var me = document.currentScript;
  var version = me ? Number(me.getAttribute('data-version')) : -1;

  function data(e) {
    try { return JSON.parse(e.data); } catch (_) { return {}; }
  }

  // The error in the page's own language: `{en: {title, text}, zh: {…}}`.
  function inPageLang(message) {
    var lang = (document.documentElement.lang || '').toLowerCase();
    return (lang.indexOf('zh') === 0 && message.zh) ? message.zh : message.en;
  }

  function overlay(message) {
    var old = document.getElementById('gongkai-overlay');
    if (old) { old.remove(); }
    if (message === null || message === undefined) { return; }
    var shown = inPageLang(message) || { title: '', text: '' };
    var box = document.createElement('div');
    box.className = 'gongkai-overlay-box';
    var title = document.createElement('p');
    title.className = 'gongkai-overlay-title';
    title.textContent = shown.title;
    var pre = document.createElement('pre');
    // `html` is the text escaped by the server, wide characters in cells of two columns
    // (overlay.rs `cells`), so the `^` marks stay under what they mark.
    if (typeof shown.html === 'string') { pre.innerHTML = shown.html; } else { pre.textContent = shown.text; }
    box.appendChild(title);
    box.appendChild(pre);
    var div = document.createElement('div');
    div.id = 'gongkai-overlay';
    div.setAttribute('role', 'alert');
    div.appendChild(box);
    document.body.appendChild(div);
  }

  // `link.href = href + '?v=N'` for each stylesheet whose file changed.
  function swapStyles(paths, v) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin || paths.indexOf(url.pathname) < 0) { continue; }
      var href = link.getAttribute('href').split('?')[0];
      link.href = href + '?v=' + v;
    }
  }

  var source = new EventSource('/__gongkai/events');
  source.addEventListener('hello', function (e) {
    var d = data(e);
    if (d.version !== version) { location.reload(); return; }
    var shown = document.getElementById('gongkai-overlay');
    if (d.error && !shown) { overlay(d.error); }
    if (!d.error && shown) { overlay(null); }
    // An `index` event sent before this stream connected (a page reloaded by an edit connects
    // while the index is still being brought up to date) is missed: an open search page checks
    // its index again now, and again on the next `index` event.
    window.dispatchEvent(new CustomEvent('gongkai:index'));
  });
  source.addEventListener('reload', function () { location.reload(); });
  source.addEventListener('css', function (e) {
    var d = data(e);
    version = d.version;
    swapStyles(d.paths || [], d.version);
  });
  source.addEventListener('broken', function (e) { overlay(data(e).message); });
  // The search index was brought up to date: an open search page (static/search.js) reloads
  // its index files and runs its query again.
  source.addEventListener('index', function () {
    window.dispatchEvent(new CustomEvent('gongkai:index'));
  });
})();
