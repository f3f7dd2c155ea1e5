// The editor works without this script; with it, the preview follows the typing, the Publish button's label follows the
// date, and leaving with unsaved changes asks first.
(function () {
  var form = document.getElementById('editor');
  if (!form) return;

  var source = document.getElementById('markdown');
  var panel = document.getElementById('preview');
  if (source && panel) {
    var body = panel.querySelector('.preview-body');
    var token = form.querySelector('input[name="_csrf"]').value;
    var timer, sent = 0;
    var refresh = function () {
      var ticket = ++sent;
      var data = new URLSearchParams({ _csrf: token, markdown: source.value, format: source.dataset.format || 'markdown' });
      fetch('/admin/preview/', { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.ok ? res.json() : null; })
        .then(function (json) {
          // The server renders with the public page's renderer and sanitizer, so its HTML is safe to show.
          if (json && ticket === sent) { body.innerHTML = json.html; panel.hidden = false; }
        })
        .catch(function () {});
    };
    source.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  }

  // As WordPress: Enter in the title goes on to the text rather than publishing a half-written post (Publish is the
  // form's first button, so without this script Enter publishes).
  var title = document.getElementById('title');
  if (title && source) {
    title.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && !event.isComposing) { event.preventDefault(); source.focus(); }
    });
  }

  // The server's rule (src/services/publish-actions.ts): Schedule for a future date unless already scheduled, Publish
  // for a past or empty one unless already published, else Update. The field holds the site's local time, so "now" is
  // the server's, in that zone, moved on by the time since the page loaded.
  var button = document.getElementById('publish-button');
  var date = document.getElementById('publish_at');
  if (button && date) {
    var loaded = Date.now();
    var relabel = function () {
      var now = new Date(Date.parse(button.dataset.now + ':00Z') + Date.now() - loaded).toISOString().slice(0, 16);
      var future = date.value !== '' && date.value.slice(0, 16) > now;
      var original = button.dataset.status;
      var action = future && original !== 'scheduled' ? 'schedule' : !future && original !== 'published' ? 'publish' : 'update';
      button.textContent = button.dataset[action];
    };
    date.addEventListener('input', relabel);
    date.addEventListener('change', relabel);
  }

  // Typing anywhere in the form marks it unsaved (so does a page showing text the server has not stored, after
  // Preview or a refused save); submitting it is the way out that does not ask.
  var unsaved = form.hasAttribute('data-unsaved');
  var mark = function () { unsaved = true; };
  form.addEventListener('input', mark);
  form.addEventListener('change', mark);
  form.addEventListener('submit', function () { unsaved = false; });
  window.addEventListener('beforeunload', function (event) {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = ''; // what older Chromium needs to ask
  });
})();
