// The grant form's live hints: the band of the chosen service level, whether the hours fit, and the latest end date.
// The numbers and texts come from the rule set in force today, rendered by the server into #grant-rules.
(function () {
  'use strict';
  var source = document.getElementById('grant-rules');
  var form = document.getElementById('grant-form');
  if (!source || !form) return;
  var rules = JSON.parse(source.textContent || '{}');
  var text = rules.text || {};
  var field = function (name) { return form.elements.namedItem(name); };
  var bandHint = document.getElementById('hint-band');
  var periodHint = document.getElementById('hint-period');

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (whole, key) { return values[key] === undefined ? whole : String(values[key]); });
  }
  function formatMinutes(total) {
    var h = Math.floor(total / 60);
    var m = total % 60;
    if (m === 0) return fill(text.hours, { h: h });
    if (h === 0) return fill(text.minutesOnly, { m: m });
    return fill(text.hoursMinutes, { h: h, m: m });
  }
  function pad(n) { return (n < 10 ? '0' : '') + n; }
  // The day before the same date `months` later, the date clamped to the month's end (as the server computes it).
  function latestPeriodEnd(start, months) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
    if (!parts) return null;
    var year = Number(parts[1]);
    var month = Number(parts[2]) - 1 + months;
    year += Math.floor(month / 12);
    month = ((month % 12) + 12) % 12;
    var lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    var date = new Date(Date.UTC(year, month, Math.min(Number(parts[3]), lastDay)));
    date.setUTCDate(date.getUTCDate() - 1);
    return date.getUTCFullYear() + '-' + pad(date.getUTCMonth() + 1) + '-' + pad(date.getUTCDate());
  }
  function band(level) {
    for (var i = 0; i < rules.levels.length; i++) if (rules.levels[i].level === level) return rules.levels[i];
    return null;
  }

  function update() {
    var level = Number(field('serviceLevel').value);
    var chosen = band(level);
    var hours = field('hours').value;
    var minutes = field('minutes').value;
    var parts = [];
    if (!chosen) {
      parts.push(text.chooseLevel);
    } else {
      parts.push(chosen.text + '.');
      if (hours !== '' || minutes !== '') {
        var total = Number(hours || 0) * 60 + Number(minutes || 0);
        if (isFinite(total)) {
          var fits = (chosen.min === null ? total >= 0 : total > chosen.min) && (chosen.max === null || total <= chosen.max);
          parts.push(fill(fits ? text.fits : text.outside, { hours: formatMinutes(total) }));
          bandHint.className = 'hint ' + (fits ? 'hint-ok' : 'hint-bad');
        }
      } else {
        bandHint.className = 'hint';
      }
    }
    bandHint.textContent = parts.join(' ');

    var start = field('start').value;
    var months = field('mentorType').value === 'holistic' ? rules.holisticPeriodMonths : rules.maxPeriodMonths;
    if (level === 4) months = Math.min(months, rules.level4MaxMonths);
    var latest = start ? latestPeriodEnd(start, months) : null;
    if (latest) {
      var end = field('end').value;
      var late = end && end > latest;
      periodHint.textContent = fill(text.latestEnd, { date: latest }) + (late ? ' ' + text.endTooLate : '');
      periodHint.className = 'hint' + (late ? ' hint-bad' : '');
    } else {
      periodHint.textContent = '';
    }
  }

  // A partnership agreement's minutes per week (data-minutes on its option) fill the time when it is chosen,
  // unless the time was typed by hand; the reason field is required while the time is above them.
  var agreementField = field('agreementId');
  var excess = field('excessReason');
  var partnershipHint = document.getElementById('hint-partnership');
  var prefilled = null;
  function chosenMinutes() {
    var option = agreementField && agreementField.options[agreementField.selectedIndex];
    var value = option ? option.getAttribute('data-minutes') : null;
    return value ? Number(value) : null;
  }
  function currentMinutes() {
    var h = field('hours').value;
    var m = field('minutes').value;
    return h === '' && m === '' ? null : Number(h || 0) * 60 + Number(m || 0);
  }
  function markExcess() {
    var bound = chosenMinutes();
    var total = currentMinutes();
    if (excess) excess.required = bound !== null && field('mentorType').value === 'company' && total !== null && total > bound;
  }
  if (agreementField) {
    agreementField.addEventListener('change', function () {
      var bound = chosenMinutes();
      var total = currentMinutes();
      if (bound !== null && (total === null || total === prefilled)) {
        field('hours').value = String(Math.floor(bound / 60));
        field('minutes').value = String(bound % 60);
        field('mentorType').value = 'company';
        prefilled = bound;
      }
      if (partnershipHint) {
        partnershipHint.hidden = bound === null;
        if (bound !== null) partnershipHint.textContent = fill(text.partnership, { time: formatMinutes(bound) });
      }
      update();
    });
  }
  form.addEventListener('input', markExcess);
  form.addEventListener('change', markExcess);
  markExcess();
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  update();
})();
