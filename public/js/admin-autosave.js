// Autosave: while the author types, the title, text and excerpt are kept on the server beside the post (a live post
// is not changed). A new post's first autosave makes it a draft, and the page moves to that draft's address, so a
// closed tab loses nothing.
(function () {
  var form = document.getElementById('editor');
  var status = document.getElementById('autosave-status');
  if (!form || !status) return;
  var names = ['title', 'markdown', 'excerpt'];
  var fields = names.map(function (name) { return form.elements.namedItem(name); });
  if (fields.some(function (field) { return !field; })) return;
  var token = form.querySelector('input[name="_csrf"]').value;
  // 5 s after the last keystroke, and never more often than every 15 s.
  var AFTER_TYPING = 5000;
  var AT_MOST_EVERY = 15000;
  var timer, lastSent = 0, busy = false, again = false;
  var lastText = snapshot();

  function snapshot() {
    return fields.map(function (field) { return field.value; }).join('\u0000');
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(send, Math.max(AFTER_TYPING, lastSent + AT_MOST_EVERY - Date.now()));
  }

  function send() {
    // One request at a time: a new post's second autosave must go to the draft the first one made.
    if (busy) { again = true; return; }
    var text = snapshot();
    if (text === lastText) return;
    busy = true;
    lastSent = Date.now();
    status.textContent = status.dataset.saving;
    var data = new URLSearchParams({ _csrf: token });
    names.forEach(function (name, i) { data.append(name, fields[i].value); });
    fetch(form.action + 'autosave/', { method: 'POST', body: data, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (res) {
        return res.json().then(function (json) {
          if (!res.ok) throw { said: json.error };
          return json;
        });
      })
      .then(function (json) {
        lastText = text;
        if (json.editUrl) {
          form.action = json.editUrl;
          history.replaceState(null, '', json.editUrl);
        }
        if (json.message) status.textContent = json.message;
      })
      .catch(function (error) {
        // The server's reason when it gave one (too long a text); anything else (offline, logged out) is a plain failure.
        status.textContent = (error && error.said) || status.dataset.failed;
      })
      .finally(function () {
        busy = false;
        if (again) { again = false; schedule(); }
      });
  }

  form.addEventListener('input', function (event) {
    if (fields.indexOf(event.target) !== -1) schedule();
  });
})();
