import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { formatCsv } from '../../src/io/write-csv.js';
import type { MessageList, MessageRow } from '../../src/messages/build-message-list.js';
import { buildMessageList, MESSAGE_COLUMNS, SKIPPED_COLUMNS } from '../../src/messages/build-message-list.js';
import { formatMessageSummary, summarizeMessageList } from '../../src/messages/format-message-summary.js';
import { parseMessageSettings } from '../../src/messages/read-message-settings.js';
import { buildAndWriteMessageList, formatMessagesCsv, formatSkippedCsv, writeMessageList } from '../../src/messages/write-message-list.js';
import { tempDir } from '../helpers/temp-dir.js';
import { student, TINY_STUDENTS, tinyInput } from './tiny-study.js';

/** Cells a roster or template can put in a message row: formulas, quotes, commas, line ends, non-ASCII. */
const HOSTILE = [
  '=HYPERLINK("x")',
  '+1 555',
  '-3',
  '@SUM(A1)',
  '\tTab',
  '\rCR',
  "'=kept",
  'a, b',
  'say "hi"',
  'two\nlines',
  'cr\rinside',
  'crlf\r\nend',
  'Zoë 😀',
  '',
  ' padded ',
];

function hostileRow(i: number): MessageRow {
  const text = (k: number) => HOSTILE[(i + k) % HOSTILE.length];
  return {
    student_id: text(0),
    household_id: text(1),
    mode: 'text',
    language: text(2),
    recipient: text(3),
    template: text(4),
    message: text(5),
    absences: text(6),
    period_start: text(7),
    period_end: text(8),
    goal_days: text(9),
    average_absences: text(10),
    ...(i % 2 === 0 ? { sms_segments: i, sms_encoding: 'UCS-2' as const } : {}),
  };
}

const hostileList: MessageList = {
  kind: 'initial',
  window: { from: '2025-08-18', to: '2025-09-12' },
  messages: HOSTILE.map((_, i) => hostileRow(i)),
  skipped: HOSTILE.map((text, i) => ({
    student_id: text,
    household_id: HOSTILE[(i + 3) % HOSTILE.length],
    school_id: 'ELM',
    reason: 'no_contact' as const,
    detail: HOSTILE[(i + 7) % HOSTILE.length],
  })),
  sharedContacts: [],
  controlExcluded: 0,
  studentsMessaged: HOSTILE.length,
  warnings: [],
};

describe('writeMessageList', () => {
  it('writes each row as formatCsv does: neutralized, quoted where needed, numbers as they are', () => {
    // formatCsv (csv-stringify) wrote these files before they were written line by line.
    expect(formatMessagesCsv(hostileList)).toBe(
      formatCsv(
        MESSAGE_COLUMNS,
        hostileList.messages.map((m) => MESSAGE_COLUMNS.map((c) => m[c])),
      ),
    );
    expect(formatSkippedCsv(hostileList)).toBe(
      formatCsv(
        SKIPPED_COLUMNS,
        hostileList.skipped.map((s) => SKIPPED_COLUMNS.map((c) => s[c])),
      ),
    );
    const empty = { ...hostileList, messages: [], skipped: [] };
    expect(formatMessagesCsv(empty)).toBe(formatCsv(MESSAGE_COLUMNS, []));
    expect(formatSkippedCsv(empty)).toBe(`${SKIPPED_COLUMNS.join(',')}\n`);
  });

  it('writes both files owner-only, and their text is formatMessagesCsv and formatSkippedCsv', async () => {
    const dir = await tempDir();
    const files = await writeMessageList(join(dir, 'sends', 'messages.csv'), hostileList);
    expect(files).toEqual({ messages: join(dir, 'sends', 'messages.csv'), skipped: join(dir, 'sends', 'messages.skipped.csv') });
    expect(await readFile(files.messages, 'utf8')).toBe(formatMessagesCsv(hostileList));
    expect(await readFile(files.skipped, 'utf8')).toBe(formatSkippedCsv(hostileList));
    for (const path of [files.messages, files.skipped]) expect((await stat(path)).mode & 0o777).toBe(0o600);
  });
});

describe('buildAndWriteMessageList', () => {
  it('writes the same files and summary as buildMessageList then writeMessageList, in each kind and grouping', async () => {
    const dir = await tempDir();
    const cases = [
      ['initial', {}],
      ['recurring', { per: 'household' }],
      ['recurring', { compare: 'district', mode: 'letter', specialCircumstances: true }],
    ] as const;
    for (const [i, [kind, options]] of cases.entries()) {
      const students = [...TINY_STUDENTS, student('S7', 'H1', 'Eve', 'fr', { caregiver_phone: TINY_STUDENTS[0].caregiver_phone })];
      const input = tinyInput(kind, { students });
      const list = buildMessageList(input, options);
      const built = await writeMessageList(join(dir, `built-${i}`, 'messages.csv'), list);
      const streamed = await buildAndWriteMessageList(join(dir, `streamed-${i}`, 'messages.csv'), input, options);
      expect(await readFile(streamed.files.messages, 'utf8')).toBe(await readFile(built.messages, 'utf8'));
      expect(await readFile(streamed.files.skipped, 'utf8')).toBe(await readFile(built.skipped, 'utf8'));
      expect(summarizeMessageList(streamed.list)).toEqual(summarizeMessageList(list));
      expect(formatMessageSummary(streamed.list)).toBe(formatMessageSummary(list));
      expect(streamed.list.warnings).toEqual(list.warnings);
    }
  });

  it('writes nothing, not even the folder it would have made, when a template lacks a value', async () => {
    const dir = await tempDir();
    // No school phone anywhere: every built-in template lacks {school_phone}.
    const settings = parseMessageSettings({ defaults: { sender_name: 'Ms. Rivera' } }, 'settings.json');
    const out = join(dir, 'sends', 'week-4', 'messages.csv');
    const error = await buildAndWriteMessageList(out, tinyInput('initial', { settings })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    // One line for the missing setting, not one per template that uses it.
    expect((error as ValidationError).issues).toEqual([
      {
        file: 'settings.json',
        column: 'school_phone',
        message: expect.stringMatching(
          /^no school_phone for schools? [\w, -]+: add "school_phone" to the settings' "defaults" \(or to each school under "schools"\)$/,
        ),
      },
    ]);
    expect(await readdir(dir)).toEqual([]);
  });
});
