/**
 * The script of the board pages (served as /assets/board.js), plain ES2017
 * for the browsers of TVs and kiosk PCs. It draws each `view` event of the
 * page's stream, never reformatting a value (digits and the Jalali date
 * arrive ready from the runtime), watches the `heartbeat` events to notice a
 * dead server (the browser's EventSource reconnects by itself, but a server
 * that is gone or hung stays silent), and loads the CJK font the server
 * built for the characters on show. Text goes in with textContent only:
 * labels and supervisor messages are never parsed as HTML.
 *
 * Kept as a string: the project compiles TypeScript for Node only, and the
 * page must not depend on a bundler. The browser tests in test/web/ run it.
 */
export const BOARD_SCRIPT = String.raw`'use strict';
(function () {
  var body = document.body;
  var data = body.dataset;
  var token = data.token || '';
  var face = null;
  var fontVersion = '';

  function withToken(url, params) {
    var q = [];
    for (var k in params) q.push(k + '=' + encodeURIComponent(params[k]));
    if (token) q.push('token=' + encodeURIComponent(token));
    return q.length ? url + '?' + q.join('&') : url;
  }

  // A newer version covers every character of the older ones: load it, then swap.
  function loadFont(version) {
    if (!version || version === fontVersion || typeof FontFace === 'undefined') return;
    fontVersion = version;
    var ff = new FontFace('ccgate CJK', 'url("' + withToken(data.fontUrl, { v: version }) + '")');
    ff.load().then(function () {
      if (fontVersion !== version) return;
      document.fonts.add(ff);
      if (face) document.fonts.delete(face);
      face = ff;
    }, function () {
      if (fontVersion === version) fontVersion = '';
    });
  }

  loadFont(data.cjkFont);
  if (!data.events) return;

  var heartbeatMs = Number(data.heartbeatMs) || 5000;
  var lostAfterMs = heartbeatMs * (Number(data.lostAfter) || 3);
  var last = null;
  var lastHeard = performance.now();
  var lost = false;
  var tiles = document.getElementById('tiles');
  var tileIds = [];

  function text(id, s) {
    var el = document.getElementById(id);
    if (el.textContent !== s) el.textContent = s;
  }

  function makeTile(item) {
    var tile = document.createElement('section');
    tile.className = 'tile';
    tile.dataset.id = item.id;
    var label = document.createElement('div');
    label.className = 'label';
    var value = document.createElement('div');
    value.className = 'value';
    tile.appendChild(label);
    tile.appendChild(value);
    return tile;
  }

  function render() {
    body.classList.toggle('lost', lost);
    document.getElementById('lost').hidden = !lost;
    if (!last) return;
    var view = last;
    document.getElementById('waiting').hidden = true;
    document.documentElement.lang = view.lang;
    document.documentElement.dir = view.dir;
    text('title', view.title);
    if (document.title !== view.title) document.title = view.title;
    text('date', view.date);
    text('time', view.time);

    var banner = document.getElementById('message');
    var msg = lost ? null : view.message;
    banner.hidden = !msg;
    banner.className = msg ? msg.level : '';
    banner.textContent = msg ? msg.text : '';

    var ids = view.items.map(function (i) { return i.id; });
    // Rebuild only when the item list changes: moving nodes would restart the flash animation.
    if (ids.join('\n') !== tileIds.join('\n')) {
      while (tiles.firstChild) tiles.removeChild(tiles.firstChild);
      view.items.forEach(function (i) { tiles.appendChild(makeTile(i)); });
      tileIds = ids;
    }
    view.items.forEach(function (item, n) {
      var tile = tiles.children[n];
      var stale = lost || item.stale || view.state === 'placeholder';
      var cls = 'tile level-' + (stale ? 'none' : item.level) + (stale ? ' stale' : '');
      if (tile.className !== cls) tile.className = cls;
      tile.dataset.level = stale ? 'none' : item.level;
      tile.firstChild.textContent = item.label;
      var value = stale && lost ? '--' : item.value;
      if (tile.lastChild.textContent !== value) tile.lastChild.textContent = value;
    });
  }

  function heard() {
    lastHeard = performance.now();
    if (lost) {
      lost = false;
      render();
    }
  }

  var source = null;
  function connect() {
    source = new EventSource(data.events);
    source.addEventListener('view', function (ev) {
      last = JSON.parse(ev.data);
      lastHeard = performance.now();
      lost = false;
      render();
      loadFont(last.cjkFont);
    });
    source.addEventListener('heartbeat', heard);
    source.addEventListener('error', function () {
      // A refused or failed response (401, 404, 503) closes EventSource for good; a TV must keep trying.
      if (source.readyState === 2) setTimeout(connect, lostAfterMs);
    });
  }
  connect();

  // The page's own timers (not the server's Clock): performance.now() is monotonic, so a TV
  // whose clock is set while the board runs neither misses nor invents a lost connection.
  var watchMs = Math.max(100, Math.min(1000, heartbeatMs / 4));
  function watch() {
    if (!lost && performance.now() - lastHeard > lostAfterMs) {
      lost = true;
      render();
    }
    setTimeout(watch, watchMs);
  }
  setTimeout(watch, watchMs);
})();
`;
