import { searchText } from '../search-words.js';
import type { Db } from './open.js';

/**
 * The functions the schema's triggers call (the search index's search_text, migrations/0028): registered on every
 * connection the blog opens, and by migrate() for any connection it is given, since a migration may call them too.
 */
export function registerSqlFunctions(db: Db): void {
  db.function('search_text', { deterministic: true }, (text: unknown) => (typeof text === 'string' ? searchText(text) : text));
}
