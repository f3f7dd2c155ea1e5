import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localDateParts, postPath } from '../../src/permalinks.js';

// Zones with summer time, half- and quarter-hour offsets, a 30-minute shift (Lord Howe) and a date-line jump (Apia).
const ZONES = ['UTC', 'Asia/Jakarta', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/St_Johns', 'Pacific/Apia'];

const intlDate = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

afterEach(() => vi.restoreAllMocks());

describe('localDateParts', () => {
  it('gives the date Intl gives for any instant in any zone, across offset changes', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...ZONES), (time, zone) => {
        const iso = new Date(time).toISOString();
        const { year, month, day } = localDateParts(iso, zone);
        expect(`${year}-${month}-${day}`).toBe(intlDate(iso, zone));
      }),
      { numRuns: 5000 },
    );
    // The minutes around New York's spring and autumn changes of 2024.
    for (const edge of [Date.UTC(2024, 2, 10, 7), Date.UTC(2024, 10, 3, 6)]) {
      for (let time = edge - 3600_000; time <= edge + 3600_000; time += 60_000) {
        const iso = new Date(time).toISOString();
        const { year, month, day } = localDateParts(iso, 'America/New_York');
        expect(`${year}-${month}-${day}`).toBe(intlDate(iso, 'America/New_York'));
      }
    }
  });

  it('asks Intl a couple of times per distinct day, not once per post, for a sitemap\'s worth of permalinks', () => {
    const spy = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const start = Date.UTC(2031, 0, 1); // days no other test has asked about
    const paths = Array.from({ length: 2000 }, (_, i) =>
      postPath({ type: 'post', slug: `p-${i}`, publishedAt: new Date(start + i * 1_000_000).toISOString() }, 'America/Denver'));
    expect(paths[0]).toBe('/2030/12/31/p-0/');
    expect(paths[1999]).toBe(`/${intlDate(new Date(start + 1999 * 1_000_000).toISOString(), 'America/Denver').replaceAll('-', '/')}/p-1999/`);
    // 2,000 posts over 24 days: 2 calls per day.
    expect(spy.mock.calls.length).toBeLessThanOrEqual(2 * 25);
  });
});
