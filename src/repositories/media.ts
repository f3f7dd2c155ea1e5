import type { Database } from 'better-sqlite3';

/** An uploaded image as stored, with the name of the user who uploaded it. */
export interface MediaRow {
  id: number;
  /** Null for an imported attachment still at its old address (sourceUrl). */
  fileName: string | null;
  sourceUrl: string | null;
  originalName: string;
  mime: string;
  size: number;
  uploadedBy: number;
  uploaderName: string;
  createdAt: string;
}

export type NewMedia = Pick<MediaRow, 'originalName' | 'mime' | 'size' | 'uploadedBy'> & { fileName: string };

export interface MediaRepository {
  insert(media: NewMedia): number;
  findById(id: number): MediaRow | undefined;
  /** Newest first. */
  list(limit: number, offset: number): MediaRow[];
  count(): number;
  delete(id: number): boolean;
}

const columns = `media.id, file_name AS fileName, source_url AS sourceUrl, original_name AS originalName, mime, size,
  uploaded_by AS uploadedBy, coalesce(users.display_name, '') AS uploaderName, media.created_at AS createdAt`;
const from = 'FROM media LEFT JOIN users ON users.id = media.uploaded_by';

export function createMediaRepository(db: Database): MediaRepository {
  const insert = db.prepare(
    'INSERT INTO media (file_name, original_name, mime, size, uploaded_by) VALUES (@fileName, @originalName, @mime, @size, @uploadedBy)',
  );
  const byId = db.prepare(`SELECT ${columns} ${from} WHERE media.id = ?`);
  const page = db.prepare(`SELECT ${columns} ${from} ORDER BY media.id DESC LIMIT ? OFFSET ?`);
  const count = db.prepare('SELECT count(*) FROM media').pluck();
  const remove = db.prepare('DELETE FROM media WHERE id = ?');
  return {
    insert: (media) => Number(insert.run(media).lastInsertRowid),
    findById: (id) => byId.get(id) as MediaRow | undefined,
    list: (limit, offset) => page.all(limit, offset) as MediaRow[],
    count: () => count.get() as number,
    delete: (id) => remove.run(id).changes > 0,
  };
}
