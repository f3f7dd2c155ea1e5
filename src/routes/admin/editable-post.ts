import type { Request } from 'express';
import { currentUser } from '../../auth/identity.js';
import { conflict, forbidden, notFound } from '../../http/errors.js';
import { idParam } from '../../http/form.js';
import type { PostType } from '../../models.js';
import type { PostEditor } from '../../services/post-editor.js';

/** The post or page a request's id names, as the editor's screens (editing, revisions) may touch it. */
export function editablePosts(editor: PostEditor, type: PostType) {
  /** The post an id names, if this user may touch it. */
  const editable = (req: Request) => {
    const found = editor.findForEdit(idParam(req), currentUser(req)!, type);
    if (found === null) throw notFound();
    if (found === 'forbidden') throw forbidden('This belongs to another author');
    return found;
  };
  /** As in WordPress, what is in the trash is restored before it is edited again. */
  const editableOutsideTrash = (req: Request) => {
    const found = editable(req);
    if (found.post.status === 'trash') throw conflict('Restore it from the Trash first');
    return found;
  };
  return { editable, editableOutsideTrash };
}
