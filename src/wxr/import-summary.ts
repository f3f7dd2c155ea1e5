import type { WxrImportRepository } from '../repositories/wxr-import.js';

/** What the summary counts, as WordPress's importer names them. */
export const KINDS = ['posts', 'pages', 'attachments', 'categories', 'tags', 'authors', 'comments'] as const;
export type Kind = (typeof KINDS)[number];

export interface ImportSummary {
  /** The channel's own title, tagline and language: offered for the blog's settings, never applied by the import. */
  channel: { title: string; tagline: string; language: string };
  imported: Record<Kind, number>;
  /** Per kind, why items were left out, and how many each time. */
  skipped: Record<Kind, Record<string, number>>;
  /** Things done differently from the file, one line each (a slug that was taken, a replaced first article…). */
  notes: string[];
}

/** The summary keeps this many notes; the count of the rest is told. */
const MAX_NOTES = 200;

/** The summary as an import writes it: counts, reasons for skipping, and notes up to MAX_NOTES. */
export interface SummaryKeeper {
  summary: ImportSummary;
  skip(kind: Kind, why: string): void;
  note(line: string): void;
  /** The summary, with the count of the notes left out. */
  finish(): ImportSummary;
}

export function keepSummary(): SummaryKeeper {
  const summary: ImportSummary = {
    channel: { title: '', tagline: '', language: '' },
    imported: Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>,
    skipped: Object.fromEntries(KINDS.map((k) => [k, {}])) as ImportSummary['skipped'],
    notes: [],
  };
  let notesLeftOut = 0;
  return {
    summary,
    skip(kind, why) {
      summary.skipped[kind][why] = (summary.skipped[kind][why] ?? 0) + 1;
    },
    note(line) {
      if (summary.notes.length < MAX_NOTES) summary.notes.push(line);
      else notesLeftOut += 1;
    },
    finish() {
      if (notesLeftOut > 0) summary.notes.push(`… and ${notesLeftOut} more like these`);
      return summary;
    },
  };
}

/** What each part of an import works with. */
export interface ImportContext extends SummaryKeeper {
  repo: WxrImportRepository;
  /** The old blog's address, which wp_origins are kept under: set when the channel is read, before any item. */
  site: string;
  /** The blog's time zone, for WordPress's local dates. */
  timeZone: string;
  now: () => Date;
}
