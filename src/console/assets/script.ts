// The console's one script, served as /assets/mq.js: live updates on top of the server-rendered
// pages. It opens an EventSource on the page's own address; the server answers with the page's live
// regions rendered again (already escaped HTML, the same as on first load) and, on a shard's tail page,
// new records to append. Without JavaScript the pages work as they are (and refresh themselves).
export const SCRIPT = `'use strict';
(function () {
  var regions = document.querySelectorAll('[data-live]');
  var tail = document.querySelector('[data-tail]');
  var status = document.getElementById('live-status');
  if ((regions.length === 0 && !tail) || !window.EventSource) return;
  function show(text, on) {
    if (!status) return;
    status.textContent = text;
    status.className = on ? 'live on' : 'live';
  }
  var address = tail ? location.pathname + '?after=' + encodeURIComponent(tail.getAttribute('data-after') || '') : location.pathname + location.search;
  var source = new EventSource(address);
  source.onopen = function () { show('live', true); };
  source.onerror = function () { show('reconnecting', false); };
  source.addEventListener('regions', function (event) {
    var data = JSON.parse(event.data);
    for (var i = 0; i < regions.length; i++) {
      var name = regions[i].getAttribute('data-live');
      if (Object.prototype.hasOwnProperty.call(data, name)) regions[i].innerHTML = data[name];
    }
    document.body.setAttribute('data-updated', String(Date.now()));
  });
  source.addEventListener('records', function (event) {
    if (!tail) return;
    var empty = tail.querySelector('.empty');
    if (empty) empty.remove();
    tail.insertAdjacentHTML('beforeend', JSON.parse(event.data));
    var keep = Number(tail.getAttribute('data-tail')) || 200;
    while (tail.children.length > keep) tail.removeChild(tail.firstElementChild);
  });
  source.addEventListener('done', function () {
    source.close();
    show('', false);
  });
})();
`;
