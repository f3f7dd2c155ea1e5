import { KINDS, type ImportSummary } from './import-summary.js';

/** The import's summary as the command line prints it (the console speaks English, as the server's does). */
export function describeSummary(summary: ImportSummary): string {
  const lines = ['Imported:'];
  for (const kind of KINDS) {
    const skipped = Object.entries(summary.skipped[kind]);
    const left = skipped.reduce((sum, [, n]) => sum + n, 0);
    lines.push(`  ${kind.padEnd(12)} ${String(summary.imported[kind]).padStart(7)} imported${left > 0 ? `, ${left} skipped` : ''}`);
    for (const [why, n] of skipped) lines.push(`  ${''.padEnd(12)} ${String(n).padStart(7)} ${why}`);
  }
  if (summary.notes.length > 0) lines.push('', 'Notes:', ...summary.notes.map((note) => `  - ${note}`));
  const { title, tagline, language } = summary.channel;
  if (title || tagline || language) {
    lines.push('', 'The WordPress blog called itself:', `  title: ${title}`, `  tagline: ${tagline}`, `  language: ${language}`);
    lines.push('Settings → General keeps this blog’s own; change them there to use these.');
  }
  return lines.join('\n');
}
