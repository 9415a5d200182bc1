import { join } from 'node:path';
import { assignmentPaths, readVerifiedAssignments } from '../assignment/assignment-files.js';
import { DELIVERED_PER_STUDENT_COLUMNS } from '../data/read-delivered-per-student.js';
import { readMappingFile } from '../data/read-mapping-file.js';
import { readSendLog } from '../data/read-send-log.js';
import { PilotError, unwrap } from '../errors.js';
import { sha256File } from '../io/hash.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, SHARED_MODE, writeTogether } from '../io/write-atomic.js';
import { formatCsvObjects } from '../io/write-csv.js';
import type { StudentDeliveries } from '../messages/count-deliveries.js';
import { countDeliveries } from '../messages/count-deliveries.js';
import type { DeliverySummary } from './summarize-deliveries.js';
import { formatDeliveryRatesCsv, summarizeDeliveries } from './summarize-deliveries.js';

export interface RecordDeliveriesOptions {
  /** The study folder `pilot assign` wrote (`assignments.csv` is verified against its manifest). */
  readonly study: string;
  /** The send log: the generic layout, or a vendor's read through `map`. */
  readonly log: string;
  /** A mapping file with a `deliveries` section, for a vendor's layout. */
  readonly map?: string;
  /** The folder to write the four files in. */
  readonly out: string;
  /** Replace the files of an earlier run in `out`. */
  readonly force?: boolean;
}

/** The files `pilot deliveries` writes, by role. */
export interface DeliveryFiles {
  readonly summary: string;
  readonly rates: string;
  readonly perStudent: string;
  readonly contamination: string;
}

/** `deliveries.json`: the summary, with the inputs it was made from. */
export interface DeliveriesJson extends DeliverySummary {
  readonly inputs: {
    readonly assignments: { readonly path: string; readonly sha256: string };
    readonly log: { readonly path: string; readonly sha256: string };
    readonly mapping?: string;
  };
}

export function deliveryFiles(out: string): DeliveryFiles {
  return {
    summary: join(out, 'deliveries.json'),
    rates: join(out, 'delivery-rates.csv'),
    perStudent: join(out, 'delivered-per-student.csv'),
    contamination: join(out, 'contamination.csv'),
  };
}

/**
 * What `pilot deliveries` does: reads the verified assignment and the send log (through
 * the mapping's `deliveries` section when given), refuses a log naming anyone outside the
 * study, counts, and writes the four files together. `deliveries.json` and
 * `delivery-rates.csv` (suppressed) can be shared; `delivered-per-student.csv` and
 * `contamination.csv` name students and are the owner's alone (mode 0600).
 */
export async function recordDeliveries(options: RecordDeliveriesOptions): Promise<{ summary: DeliveriesJson; files: DeliveryFiles }> {
  const files = deliveryFiles(options.out);
  const assignmentsPath = assignmentPaths(options.study).assignments;
  await guardOutputs({ inputs: [assignmentsPath, options.log, options.map], outputs: Object.values(files), force: options.force });
  const mapping = options.map === undefined ? undefined : (await readMappingFile(options.map)).deliveries;
  if (options.map !== undefined && mapping === undefined)
    throw new PilotError(`${options.map} has no "deliveries" section: a send log is read with the columns and codes it gives there`);
  const { assignments, manifest, sha256 } = await readVerifiedAssignments(assignmentsPath);
  const ids = new Set(assignments.map((a) => a.student_id));
  const read = await readSendLog({ path: options.log }, options.log, { mapping, isStudent: (id) => ids.has(id) });
  const rows = unwrap(read, `${options.log} is not a usable send log; nothing was written`);
  const counts = countDeliveries(assignments, rows, manifest.design.control_arm);
  const summary: DeliveriesJson = {
    ...summarizeDeliveries(counts),
    inputs: {
      assignments: { path: assignmentsPath, sha256 },
      log: { path: options.log, sha256: await sha256File(options.log) },
      ...(options.map === undefined ? {} : { mapping: options.map }),
    },
  };
  const perStudent = (list: readonly StudentDeliveries[]) => formatCsvObjects(DELIVERED_PER_STUDENT_COLUMNS, list);
  await writeTogether(options.out, async (output) => {
    await output.add({ path: files.summary, contents: `${JSON.stringify(summary, null, 2)}\n`, mode: SHARED_MODE });
    await output.add({ path: files.rates, contents: formatDeliveryRatesCsv(summary.rates), mode: SHARED_MODE });
    await output.add({ path: files.perStudent, contents: perStudent(counts.perStudent), mode: PRIVATE_MODE });
    await output.add({ path: files.contamination, contents: perStudent(counts.contaminated), mode: PRIVATE_MODE });
  });
  return { summary, files };
}
