// Images from the editor: a button, drag-and-drop and paste upload to the media library and put the image
// where the cursor is. Without this script the file field goes with the form and the server adds the image.
(function () {
  var form = document.getElementById('editor');
  var source = document.getElementById('markdown');
  var box = document.getElementById('editor-image');
  if (!form || !source || !box || !window.FormData) return;
  var input = box.querySelector('input[type="file"]');
  var button = box.querySelector('.editor-image-button');
  var progress = box.querySelector('.editor-image-progress');
  var status = box.querySelector('.editor-image-status');
  var problem = box.querySelector('.error');
  var token = form.querySelector('input[name="_csrf"]').value;
  var html = source.dataset.format === 'html';
  var words = box.dataset;
  var running = 0;

  // The button opens the file chooser; the field itself is then only its engine, never sent with the form.
  input.hidden = true;
  box.querySelector('label').hidden = true;
  button.hidden = false;
  document.getElementById('image-help').textContent = words.helpScript;
  button.addEventListener('click', function () { input.click(); });

  var say = function (text, name) { return text.replace('{name}', function () { return name; }); };

  /** Replaces the first `from` in the text by `to`, keeping the author's cursor where it was relative to the text. */
  function swap(from, to) {
    var at = source.value.indexOf(from);
    if (at < 0) return false;
    source.setRangeText(to, at, at + from.length, 'preserve');
    source.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }

  function upload(file) {
    var name = file.name || 'image';
    // As GitHub does: a line that says an image is coming stands where it will go (named, as several may come).
    var label = words.placeholder + ' ' + name.replace(/[[\]\\<>-]/g, '');
    var placeholder = html ? '<!-- ' + label + ' -->' : '![' + label + ']()';
    source.focus();
    source.setRangeText(placeholder, source.selectionStart, source.selectionEnd, 'end');
    source.dispatchEvent(new Event('input', { bubbles: true }));
    problem.textContent = '';
    status.textContent = say(words.uploading, name);
    progress.value = 0;
    progress.hidden = false;
    running++;

    var data = new FormData();
    data.append('_csrf', token);
    data.append('file', file, name);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/admin/media/');
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
    };
    xhr.onloadend = function () {
      running--;
      if (!running) progress.hidden = true;
      var answer = xhr.response || {};
      if (xhr.status === 201 && answer.markdown) {
        swap(placeholder, html ? answer.html : answer.markdown);
        status.textContent = say(words.done, name);
      } else {
        // A refusal (too big, not an image) is said beside the text, and nothing stays in it.
        swap(placeholder, '');
        status.textContent = '';
        problem.textContent = answer.error || words.failed;
      }
    };
    xhr.send(data);
  }

  function uploadAll(files) {
    for (var i = 0; i < files.length; i++) upload(files[i]);
  }

  input.addEventListener('change', function () {
    uploadAll(input.files);
    input.value = '';
  });

  var carriesFiles = function (transfer) { return transfer && Array.prototype.indexOf.call(transfer.types, 'Files') >= 0; };
  source.addEventListener('dragover', function (event) {
    if (!carriesFiles(event.dataTransfer)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  });
  source.addEventListener('drop', function (event) {
    if (!carriesFiles(event.dataTransfer) || !event.dataTransfer.files.length) return;
    event.preventDefault();
    uploadAll(event.dataTransfer.files);
  });
  // A file dropped beside the text would make the browser leave the editor to show it, losing what was typed.
  document.addEventListener('dragover', function (event) {
    if (event.target !== source && carriesFiles(event.dataTransfer)) { event.preventDefault(); event.dataTransfer.dropEffect = 'none'; }
  });
  document.addEventListener('drop', function (event) {
    if (event.target !== source && carriesFiles(event.dataTransfer)) event.preventDefault();
  });
  // A screenshot pasted arrives as a file; pasted text is left to the browser.
  source.addEventListener('paste', function (event) {
    var files = event.clipboardData ? event.clipboardData.files : [];
    if (!files.length) return;
    event.preventDefault();
    uploadAll(files);
  });
})();
