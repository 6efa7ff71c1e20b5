// Follows a queued job (a billing run, a refund claim) while it is pending: polls its API resource with the
// session cookie, moves the <progress> bar and its text, and reloads the page once the job has finished so the
// server shows the result. Without scripts the page reloads itself (<noscript> refresh in the layout).
(function () {
  'use strict';
  var root = document.querySelector('[data-poll-url]');
  if (!root || !window.fetch) return;
  var url = root.getAttribute('data-poll-url');
  var pending = (root.getAttribute('data-pending') || 'queued running').split(' ');
  var interval = Number(root.getAttribute('data-interval-ms')) || 1000;
  var bar = root.querySelector('progress');
  var progressText = root.querySelector('[data-progress-text]');
  var statusText = root.querySelector('[data-status-text]');
  var template = root.getAttribute('data-progress-template') || '{percent} %';
  var failures = 0;

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (whole, key) { return values[key] === undefined ? whole : String(values[key]); });
  }

  function show(job) {
    if (bar && typeof job.percent === 'number') {
      bar.value = job.percent;
      bar.textContent = job.percent + ' %';
    }
    if (progressText && typeof job.percent === 'number') {
      var next = fill(template, { percent: job.percent, done: job.suppliersDone, total: job.suppliersTotal });
      // Only a change is written, so the live region is not read again on every poll.
      if (progressText.textContent !== next) progressText.textContent = next;
    }
    if (statusText) {
      var label = root.getAttribute('data-status-' + job.status);
      if (label && statusText.textContent !== label) statusText.textContent = label;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (pending.indexOf(job.status) === -1) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, interval);
      })
      .catch(function () {
        // A signed-out session or a network hiccup: try a few times, then let the server render the page.
        failures += 1;
        if (failures >= 3) window.location.reload();
        else window.setTimeout(poll, interval * 2);
      });
  }

  window.setTimeout(poll, interval);
})();
