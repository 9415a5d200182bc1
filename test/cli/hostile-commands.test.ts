/**
 * Broken input through whole commands (issue 4): `pilot assign` with a broken roster and
 * `pilot messages` with broken attendance either succeed or refuse with exit code 1 and a
 * message naming the file; a refusal leaves the output folder without a single file,
 * final or temporary. Never an internal error (exit 3).
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { run } from '../../src/cli/run.js';
import { rosterCsv, smallRoster } from '../helpers/roster.js';
import { makeStudyFolder } from '../helpers/study-folder.js';
import { tempDir } from '../helpers/temp-dir.js';
import { breakage, breakText } from '../io/property-inputs.js';

/** Every file under `dir`, hidden ones included; none when it does not exist. */
async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
}

describe('commands on broken input', () => {
  it('pilot assign: a broken roster is assigned or refused, and a refusal writes nothing', async () => {
    const dir = await tempDir();
    const roster = rosterCsv(smallRoster(40, 2, 8));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(breakage, async (damage) => {
        const path = join(dir, `roster-${++n}.csv`);
        await writeFile(path, breakText(roster, damage));
        const out = join(dir, `study-${n}`);
        const io = memoryIo();
        const code = await run(['assign', '--roster', path, '--out', out, '--seed', '1'], io);
        expect([0, 1], io.err.join('\n')).toContain(code);
        if (code === 1) {
          expect(io.err.join('\n')).toContain(path);
          expect(await filesUnder(out)).toEqual([]);
        } else expect((await filesUnder(out)).sort()).toEqual(['assignments.csv', 'assignments.manifest.json', 'balance.csv']);
      }),
      { numRuns: 25 },
    );
  });

  it('pilot messages: broken attendance is read or refused, and a refusal writes nothing', async () => {
    const dir = await tempDir();
    const study = await makeStudyFolder(dir, { students: 40 });
    const settings = join(dir, 'settings.json');
    await writeFile(settings, JSON.stringify({ defaults: { sender_name: 'Ms. Rivera', school_phone: '(555) 010-2000' } }));
    // Keep the file small: the attendance of the first three weeks.
    const attendance = (await readFile(study.attendance, 'utf8'))
      .split('\n')
      .filter((line, i) => i === 0 || line.slice(line.indexOf(',') + 1) < '2025-09-06')
      .join('\n');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(breakage, async (damage) => {
        const path = join(dir, `attendance-${++n}.csv`);
        await writeFile(path, breakText(attendance, damage));
        const out = join(dir, `sends-${n}`);
        const io = memoryIo();
        const argv = [
          'messages',
          '--roster',
          study.roster,
          '--assignments',
          study.assignments,
          '--attendance',
          path,
          '--calendar',
          study.calendar,
          '--settings',
          settings,
          '--as-of',
          '2025-09-05',
          '--kind',
          'initial',
          '--out',
          join(out, 'messages.csv'),
        ];
        const code = await run(argv, io);
        expect([0, 1], io.err.join('\n')).toContain(code);
        if (code === 1) {
          expect(io.err.join('\n')).toContain(path);
          expect(await filesUnder(out)).toEqual([]);
        } else expect((await filesUnder(out)).sort()).toEqual(['messages.csv', 'messages.skipped.csv']);
      }),
      { numRuns: 25 },
    );
  });
});
