import crypto from 'node:crypto';
import type { ImportSummary } from './import-summary.js';

export type ImportProgress = (phase: 'checking' | 'importing', done: number, total: number) => void;

export interface ImportJob {
  id: string;
  fileName: string;
  state: 'checking' | 'importing' | 'done' | 'failed';
  /** Of the current phase: bytes while checking, items while importing. */
  done: number;
  total: number;
  summary?: ImportSummary;
  error?: string;
}

/** The server remembers this many imports (they live in memory: a restart forgets them, not what they imported). */
const KEPT_JOBS = 20;

/**
 * Imports started from the admin, running in the server between its requests (the importer writes in short
 * batches), each followed by a page that refreshes itself until the summary is there.
 */
export function createImportJobs(run: (file: string, onProgress: ImportProgress, label: string) => Promise<ImportSummary>) {
  const jobs = new Map<string, ImportJob>();
  return {
    /** Starts importing the file; `cleanup` runs once it is done with it, whatever happened. */
    start(file: string, fileName: string, cleanup: () => void): ImportJob {
      const job: ImportJob = { id: crypto.randomBytes(9).toString('base64url'), fileName, state: 'checking', done: 0, total: 0 };
      jobs.set(job.id, job);
      for (const old of jobs.keys()) if (jobs.size > KEPT_JOBS) jobs.delete(old);
      run(file, (phase, done, total) => Object.assign(job, { state: phase, done, total }), fileName)
        .then((summary) => Object.assign(job, { state: 'done', summary }), (err: Error) => Object.assign(job, { state: 'failed', error: err.message }))
        .finally(cleanup);
      return job;
    },
    find: (id: string) => jobs.get(id),
    /** Still running: a second import waits, so two never interleave their batches. */
    running: () => [...jobs.values()].some((job) => job.state === 'checking' || job.state === 'importing'),
  };
}

export type ImportJobs = ReturnType<typeof createImportJobs>;
