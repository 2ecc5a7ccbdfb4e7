/**
 * The editor's live preview, served as a same-origin file because the admin CSP allows `script-src 'self'`
 * and no inline script. Without JavaScript the Preview button does the same through a form post.
 * It builds the preview with DOM calls (textContent, srcdoc), never innerHTML, so rendered output stays text.
 */
export const EDITOR_SCRIPT_PATH = '/admin/static/editor.js';

export const EDITOR_SCRIPT = `'use strict';
(function () {
  var form = document.getElementById('editor');
  var source = document.getElementById('source');
  var target = document.getElementById('preview');
  if (!form || !source || !target) return;
  var timer = null;
  var seq = 0;
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function show(nodes) {
    while (target.firstChild) target.removeChild(target.firstChild);
    nodes.forEach(function (n) { target.appendChild(n); });
  }
  function render(body) {
    if (body.error) {
      var list = el('ul', {});
      (body.error.details || []).forEach(function (d) {
        var where = d.line !== undefined ? 'Line ' + d.line + ', column ' + d.column + ': ' : '';
        list.appendChild(el('li', {}, where + (d.reason || d.message)));
      });
      var box = el('div', { class: 'error', role: 'alert', id: 'preview-error' }, body.error.message);
      box.appendChild(list);
      return show([box]);
    }
    var p = body.parts[0];
    if (p.part === 'email.html') {
      var frame = el('iframe', { sandbox: '', title: 'HTML preview', id: 'preview-frame' });
      frame.srcdoc = p.output;
      return show([frame]);
    }
    var nodes = [el('pre', { id: 'preview-text' }, p.output)];
    if (p.part === 'sms') nodes.push(el('p', { class: 'note', id: 'preview-meta' }, p.segments + ' segment' + (p.segments === 1 ? '' : 's') + ', ' + p.encoding + ', ' + Array.from(p.output).length + ' characters'));
    show(nodes);
  }
  function preview() {
    var mine = ++seq;
    fetch('/admin/templates/preview', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': form.dataset.csrf },
      body: JSON.stringify({ kind: form.dataset.kind, locale: form.dataset.locale, part: form.dataset.part, source: source.value }),
    })
      .then(function (res) { return res.json(); })
      .then(function (body) { if (mine === seq) render(body); })
      .catch(function () {});
  }
  source.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 250);
  });
  preview();
})();
`;
