/* global document */
// The invoice form's enhancements: "Flere linjer" adds a row here instead of posting the form, a line's rate is
// filled in from the grant's rate card when its grant and date are chosen, and the total runs as lines are typed.
// Without scripts the form does the same by posting (the server keeps what was typed and computes the total).
(function () {
  'use strict';
  var source = document.getElementById('invoice-form-data');
  var form = document.getElementById('invoice-form-lines');
  var body = document.getElementById('line-rows');
  if (!source || !form || !body) return;
  var data = JSON.parse(source.textContent || '{}');
  var rates = data.rates || {};
  var rowsField = document.getElementById('f-rows');
  var addButton = document.getElementById('add-rows');
  var total = document.getElementById('form-total');

  function compareDates(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  function within(rate, date) { return compareDates(rate.validFrom, date) <= 0 && (rate.validTo === null || compareDates(date, rate.validTo) <= 0); }
  // As the server: the card's rate in force (the latest begun), else the default rate within its period.
  function rateOn(schedule, date) {
    var chosen = null;
    for (var i = 0; i < schedule.rates.length; i++) {
      var rate = schedule.rates[i];
      if (within(rate, date) && (chosen === null || compareDates(rate.validFrom, chosen.validFrom) > 0)) chosen = rate;
    }
    if (chosen) return chosen.rateOre;
    return schedule.fallback && within(schedule.fallback, date) ? schedule.fallback.rateOre : null;
  }
  function group(digits, separator) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator); }
  // Whole øre → kroner as a form field ('450', '462,50') or as an amount ('1.234,50 kr.' / 'DKK 1,234.50').
  function fieldKroner(ore) { return String(Math.floor(ore / 100)) + (ore % 100 === 0 ? '' : ',' + String(ore % 100).padStart(2, '0')); }
  function amountKroner(ore) {
    var kroner = String(Math.floor(ore / 100));
    var cents = String(ore % 100).padStart(2, '0');
    return data.lang === 'en' ? 'DKK ' + group(kroner, ',') + '.' + cents : group(kroner, '.') + ',' + cents + ' kr.';
  }
  // Kroner as typed ('450', '450,5', '1.250,00') → øre; null when it is not such a number.
  function parseKroner(text) {
    var match = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(text.trim());
    if (!match) return null;
    var whole = Number(match[1].replace(/\./g, ''));
    var cents = match[2] === undefined ? 0 : Number(match[2].padEnd(2, '0'));
    return whole * 100 + cents;
  }
  function field(row, name) { return row.querySelector('[name$=".' + name + '"]'); }

  function updateTotal() {
    var sum = null;
    var rows = body.querySelectorAll('tr[data-row]');
    for (var i = 0; i < rows.length; i++) {
      var minutesText = field(rows[i], 'minutes').value.trim();
      var rateOre = parseKroner(field(rows[i], 'rateKr').value);
      if (!/^\d{1,4}$/.test(minutesText) || Number(minutesText) < 1 || rateOre === null) continue;
      // minutes × rate / 60, rounded half up, in whole øre (as the server).
      sum = (sum || 0) + Math.floor((Number(minutesText) * rateOre + 30) / 60);
    }
    total.textContent = sum === null ? (data.text && data.text.noTotal) || '' : amountKroner(sum);
  }

  function prefill(row) {
    var grant = field(row, 'grantId').value;
    var date = field(row, 'date').value;
    var rateField = field(row, 'rateKr');
    // A rate typed by the supplier is kept; one filled in here follows the grant and date.
    if (!rates[grant] || !/^\d{4}-\d{2}-\d{2}$/.test(date) || (rateField.value !== '' && rateField.getAttribute('data-filled') !== 'yes')) return;
    var rateOre = rateOn(rates[grant], date);
    if (rateOre === null) return;
    rateField.value = fieldKroner(rateOre);
    rateField.setAttribute('data-filled', 'yes');
  }

  function renumber(node, from, to) {
    var attributes = ['id', 'name', 'for', 'aria-describedby'];
    var elements = [node].concat(Array.prototype.slice.call(node.querySelectorAll('*')));
    elements.forEach(function (element) {
      attributes.forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value === null) return;
        element.setAttribute(attribute, value.replace('l' + from + '-', 'l' + to + '-').replace('lines.' + from + '.', 'lines.' + to + '.'));
      });
    });
  }

  function addRow() {
    var rows = body.querySelectorAll('tr[data-row]');
    var last = rows[rows.length - 1];
    var from = Number(last.getAttribute('data-row'));
    var to = from + 1;
    var row = last.cloneNode(true);
    row.setAttribute('data-row', String(to));
    renumber(row, from, to);
    row.querySelector('th').textContent = String(to);
    Array.prototype.forEach.call(row.querySelectorAll('label'), function (label) { label.textContent = label.textContent.replace(new RegExp('\\b' + from + '\\b'), String(to)); });
    // A new row starts empty and without the last row's messages.
    Array.prototype.forEach.call(row.querySelectorAll('.field-error'), function (message) { message.parentNode.removeChild(message); });
    Array.prototype.forEach.call(row.querySelectorAll('input, select'), function (control) {
      control.removeAttribute('aria-invalid');
      control.removeAttribute('data-filled');
      var described = (control.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && !/-error$/.test(id); });
      if (described.length) control.setAttribute('aria-describedby', described.join(' '));
      else control.removeAttribute('aria-describedby');
      if (control.tagName === 'SELECT') control.selectedIndex = 0;
      else control.value = '';
    });
    body.appendChild(row);
    rowsField.value = String(to);
    if (to >= data.maxRows && addButton) addButton.parentNode.removeChild(addButton);
    field(row, 'grantId').focus();
  }

  if (addButton) {
    addButton.addEventListener('click', function (event) {
      event.preventDefault();
      addRow();
    });
  }
  body.addEventListener('change', function (event) {
    var row = event.target.closest('tr[data-row]');
    if (row && /\.(grantId|date)$/.test(event.target.name)) prefill(row);
    updateTotal();
  });
  body.addEventListener('input', function (event) {
    // Typing a rate makes it the supplier's own.
    if (/\.rateKr$/.test(event.target.name)) event.target.removeAttribute('data-filled');
    updateTotal();
  });
  updateTotal();
})();
