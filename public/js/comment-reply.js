// Threaded replies without a page load: "Reply" moves the comment form under that comment.
// Without JavaScript the same links reload the page with ?replytocom=, which the server renders.
(() => {
  const respond = document.getElementById('respond');
  const parentInput = document.getElementById('parent_id');
  const title = document.getElementById('reply-title');
  if (!respond || !parentInput || !title) return;

  // UI words come from the message catalogue, through data attributes on this script tag.
  const words = document.currentScript?.dataset ?? {};
  const leave = words.leave || 'Leave a Reply';
  const leaveTo = words.leaveTo || 'Leave a Reply to {name}';

  // Marks the form's original place, so "Cancel reply" can put it back.
  const home = document.createElement('div');
  home.hidden = true;
  respond.before(home);

  // The heading starts with its text; the server adds the cancel link only on ?replytocom= pages.
  if (title.firstChild?.nodeType !== Node.TEXT_NODE) title.prepend('');
  const setTitle = (text) => { title.firstChild.nodeValue = `${text} `; };
  let cancel = document.getElementById('cancel-comment-reply-link');
  if (!cancel) {
    cancel = document.createElement('a');
    cancel.id = 'cancel-comment-reply-link';
    cancel.href = '#respond';
    cancel.textContent = words.cancel || 'Cancel reply';
    const small = document.createElement('small');
    small.hidden = true;
    small.append(cancel);
    title.append(small);
  }
  const cancelBox = cancel.parentElement;

  function replyTo(id, body) {
    body.after(respond);
    parentInput.value = id;
    const name = body.querySelector('.comment-author')?.textContent.trim() ?? '';
    setTitle(leaveTo.replace('{name}', () => name));
    cancelBox.hidden = false;
    respond.querySelector('textarea')?.focus();
  }

  function cancelReply() {
    home.after(respond);
    parentInput.value = '0';
    setTitle(leave);
    cancelBox.hidden = true;
    respond.querySelector('textarea')?.focus();
  }

  document.addEventListener('click', (event) => {
    // Let modified clicks (new tab, new window) do what the visitor asked for.
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest('.comment-reply-link, #cancel-comment-reply-link') : null;
    if (!link) return;
    if (link === cancel) {
      event.preventDefault();
      cancelReply();
      return;
    }
    const id = link.dataset.commentId;
    const body = id && document.querySelector(`#comment-${CSS.escape(id)} > .comment-body`);
    if (!body) return; // The comment is not on this page: follow the link.
    event.preventDefault();
    replyTo(id, body);
  });
})();
