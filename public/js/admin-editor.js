// Live preview: the Preview button works without this; with it, the preview follows the typing.
(function () {
  var form = document.getElementById('editor');
  var source = document.getElementById('markdown');
  var panel = document.getElementById('preview');
  if (!form || !source || !panel) return;
  var body = panel.querySelector('.preview-body');
  var token = form.querySelector('input[name="_csrf"]').value;
  var timer, sent = 0;

  function refresh() {
    var ticket = ++sent;
    var data = new URLSearchParams({ _csrf: token, markdown: source.value, format: source.dataset.format || 'markdown' });
    fetch('/admin/preview/', { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (json) {
        // The server renders with the public page's renderer and sanitizer, so its HTML is safe to show.
        if (json && ticket === sent) { body.innerHTML = json.html; panel.hidden = false; }
      })
      .catch(function () {});
  }

  source.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
