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
  /** In pixels; null until measured (see services/image-variants.ts), or for an attachment still at its old address. */
  width: number | null;
  height: number | null;
}

/** A smaller copy of an upload, in the folder beside it. */
export interface MediaVariant {
  fileName: string;
  mime: string;
  width: number;
  height: number;
  size: number;
}

/** An upload's measured size and the copies made of it. */
export interface MediaSizes {
  width: number;
  height: number;
  variants: MediaVariant[];
}

/** What the renderer needs of an upload to give its `<img>` a srcset (see services/responsive-images.ts). */
export interface SizedUpload extends MediaSizes {
  fileName: string;
  mime: string;
}

export type NewMedia = Pick<MediaRow, 'originalName' | 'mime' | 'size' | 'uploadedBy'> & { fileName: string };

export interface MediaRepository {
  /** With its size and copies when measured, in one transaction. */
  insert(media: NewMedia, sizes?: MediaSizes): number;
  findById(id: number): MediaRow | undefined;
  /** Newest first. */
  list(limit: number, offset: number): MediaRow[];
  count(): number;
  delete(id: number): boolean;
  /** Records an upload's size and copies (replacing any recorded before), in one transaction. */
  setSizes(id: number, sizes: MediaSizes): void;
  /** The file names of an upload's copies. */
  variantFiles(id: number): string[];
  /** Uploads here whose size was never measured (those from before migration 0016), oldest first. */
  unsized(): Pick<MediaRow, 'id' | 'fileName' | 'mime'>[];
  /** A measured upload by its file name, with its copies, narrowest first. */
  sizedByFileName(fileName: string): SizedUpload | undefined;
}

const columns = `media.id, file_name AS fileName, source_url AS sourceUrl, original_name AS originalName, mime, size,
  uploaded_by AS uploadedBy, coalesce(users.display_name, '') AS uploaderName, media.created_at AS createdAt,
  media.width, media.height`;
const from = 'FROM media LEFT JOIN users ON users.id = media.uploaded_by';

export function createMediaRepository(db: Database): MediaRepository {
  const insert = db.prepare(
    'INSERT INTO media (file_name, original_name, mime, size, uploaded_by) VALUES (@fileName, @originalName, @mime, @size, @uploadedBy)',
  );
  const byId = db.prepare(`SELECT ${columns} ${from} WHERE media.id = ?`);
  const page = db.prepare(`SELECT ${columns} ${from} ORDER BY media.id DESC LIMIT ? OFFSET ?`);
  const count = db.prepare('SELECT count(*) FROM media').pluck();
  const remove = db.prepare('DELETE FROM media WHERE id = ?');
  const setSize = db.prepare('UPDATE media SET width = ?, height = ? WHERE id = ?');
  const dropVariants = db.prepare('DELETE FROM media_variants WHERE media_id = ?');
  const addVariant = db.prepare(
    'INSERT INTO media_variants (media_id, file_name, mime, width, height, size) VALUES (@mediaId, @fileName, @mime, @width, @height, @size)',
  );
  const variantColumns = 'file_name AS fileName, mime, width, height, size';
  const variantsOf = db.prepare(`SELECT ${variantColumns} FROM media_variants WHERE media_id = ? ORDER BY width, mime`);
  const unsized = db.prepare('SELECT id, file_name AS fileName, mime FROM media WHERE file_name IS NOT NULL AND width IS NULL ORDER BY id');
  const sizedByName = db.prepare('SELECT id, file_name AS fileName, mime, width, height FROM media WHERE file_name = ? AND width IS NOT NULL');
  const setSizes = db.transaction((id: number, sizes: MediaSizes) => {
    setSize.run(sizes.width, sizes.height, id);
    dropVariants.run(id);
    for (const variant of sizes.variants) addVariant.run({ mediaId: id, ...variant });
  });
  return {
    insert: db.transaction((media: NewMedia, sizes?: MediaSizes) => {
      const id = Number(insert.run(media).lastInsertRowid);
      if (sizes) setSizes(id, sizes);
      return id;
    }),
    findById: (id) => byId.get(id) as MediaRow | undefined,
    list: (limit, offset) => page.all(limit, offset) as MediaRow[],
    count: () => count.get() as number,
    delete: (id) => remove.run(id).changes > 0,
    setSizes: (id, sizes) => setSizes(id, sizes),
    variantFiles: (id) => (variantsOf.all(id) as MediaVariant[]).map((v) => v.fileName),
    unsized: () => unsized.all() as Pick<MediaRow, 'id' | 'fileName' | 'mime'>[],
    sizedByFileName(fileName) {
      const row = sizedByName.get(fileName) as (Omit<SizedUpload, 'variants'> & { id: number }) | undefined;
      if (!row) return undefined;
      const { id, ...upload } = row;
      return { ...upload, variants: variantsOf.all(id) as MediaVariant[] };
    },
  };
}
