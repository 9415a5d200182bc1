import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { ArmsInEffect } from '../analysis/analysis-result.js';
import { manifestPathFor, readCheckedManifest } from '../assignment/assignment-files.js';
import type { AssignmentManifest } from '../assignment/manifest.js';
import { parseIsoDate } from '../data/parse-values.js';
import { PilotError, UsageError } from '../errors.js';
import { sha256File } from '../io/hash.js';
import type { DateWindow } from '../types.js';
import { armsEffectiveDate } from './arms-effective-date.js';

export interface ArmsInEffectFiles {
  /** assignments.csv; its manifest beside it says when it was made. */
  readonly assignments: string;
  /** The attendance file whose outcomes are to be analyzed (.csv or .csv.gz). */
  readonly attendance: string;
}

/**
 * Checks that an outcome window starts on or after the day the arms took effect
 * (`armsEffectiveDate`) and returns that day and where it came from, for analysis.json
 * and the report's methods. Absences from before the assignment existed cannot show an
 * effect of the messages: analyzing them gives a "result" of pure chance (a placebo), so
 * such a window is refused with both dates and the way out. `assignmentDate` is the
 * user's statement of when the arms took effect (YYYY-MM-DD), for a study assigned
 * elsewhere or re-created. Only the manifest is read here (the assignment itself is
 * verified where it is read); the attendance file is hashed only when the manifest holds
 * simulated outcomes it could be.
 */
export async function checkArmsInEffect(files: ArmsInEffectFiles, window: DateWindow, assignmentDate?: string): Promise<ArmsInEffect> {
  if (assignmentDate !== undefined && !parseIsoDate(assignmentDate))
    throw new UsageError('checkArmsInEffect', `--assignment-date: "${assignmentDate}" is not a date (YYYY-MM-DD)`);
  const manifest = await readManifest(files.assignments);
  const hashes =
    assignmentDate === undefined && (manifest.simulated_outcomes?.length ?? 0) > 0 ? await attendanceHashes(files.attendance) : [];
  const arms = armsEffectiveDate(manifest, hashes, assignmentDate);
  if (window.from < arms.date) {
    const why = {
      stated: 'the date given with --assignment-date',
      simulation: `the first day the simulated outcomes in ${files.attendance} applied the arms, as ${manifestPathFor(files.assignments)} records`,
      assignment: `the day ${files.assignments} was assigned, as ${manifestPathFor(files.assignments)} records`,
    }[arms.source];
    const wayOut =
      arms.source === 'stated'
        ? `Start the window on ${arms.date} or later (--from), or correct --assignment-date.`
        : `Start the window on ${arms.date} or later (--from). If the arms really took effect earlier (a study assigned elsewhere, or an assignment re-created from one made before), say when with --assignment-date YYYY-MM-DD; the report will say that you stated it.`;
    throw new PilotError(
      `the outcome window starts ${window.from}, before the arms took effect on ${arms.date} (${why}): absences from before the assignment cannot show an effect of the messages, so this analysis would report chance as a result. ${wayOut}`,
    );
  }
  return arms;
}

/** The manifest beside an assignment, checked in full as every reader checks it (`readCheckedManifest`). */
async function readManifest(assignments: string): Promise<AssignmentManifest> {
  return readCheckedManifest(assignments);
}

/** The SHA-256 of the file, and for a gzipped file also of its contents (a simulated CSV gzipped later still matches). */
async function attendanceHashes(path: string): Promise<string[]> {
  const hashes = [await sha256File(path).catch(() => '')].filter((h) => h !== '');
  if (path.endsWith('.gz')) {
    const hash = createHash('sha256');
    try {
      for await (const chunk of createReadStream(path).pipe(createGunzip())) hash.update(chunk as Buffer);
      hashes.push(hash.digest('hex'));
    } catch {
      // Not readable as gzip: the attendance reader says so with the file's name.
    }
  }
  return hashes;
}
