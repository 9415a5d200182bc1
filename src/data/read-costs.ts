import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import { sha256 } from '../io/hash.js';
import { readCsv } from '../io/read-csv.js';
import { isObject } from './column-mapping.js';

/** The messages a study's costs are counted from. */
export interface MessageVolume {
  /** Rounds of messages sent (one message list each): staff time is counted per send. */
  readonly sends: number;
  /** SMS segments over every text sent (a long text is billed as several). */
  readonly sms_segments: number;
  /** Letters posted. */
  readonly letters: number;
  /** `message_lists`: counted from the lists `pilot messages` wrote; `stated`: given in costs.json. */
  readonly source: 'message_lists' | 'stated';
}

/** `costs.json` read and checked: prices in one currency, and the messages they apply to. */
export interface StudyCosts {
  readonly setup_hours: number;
  readonly staff_minutes_per_send: number;
  readonly hourly_wage: number;
  readonly price_per_sms_segment: number;
  readonly postage_per_letter: number;
  readonly other_fixed_costs: number;
  /** The currency's name or symbol, as written (default "$"). */
  readonly currency: string;
  readonly messages: MessageVolume;
  /** The file the costs were read from: its name (no folder) and SHA-256, set by `readCosts`. */
  readonly file?: { readonly name: string; readonly sha256: string };
}

const PRICES = [
  'setup_hours',
  'staff_minutes_per_send',
  'hourly_wage',
  'price_per_sms_segment',
  'postage_per_letter',
  'other_fixed_costs',
] as const;
const FIELDS = [...PRICES, 'currency', 'message_lists', 'messages', 'description'];
const COUNTS = ['sends', 'sms_segments', 'letters'] as const;

/**
 * Checks a parsed `costs.json`, collecting every problem, each naming its field. The
 * messages are either `message_lists` (paths, relative to the costs file, of the lists
 * `pilot messages` wrote: read by `readCosts`) or `messages` counts stated by hand.
 */
export function parseCosts(
  json: unknown,
  file: string,
): { costs?: Omit<StudyCosts, 'messages'> & { messages?: Omit<MessageVolume, 'source'> }; lists?: string[]; issues: Issue[] } {
  if (!isObject(json)) return { issues: [{ file, message: 'a costs file is a JSON object of prices (docs/data-formats.md, costs.json)' }] };
  const issues: Issue[] = [];
  const fail = (column: string, message: string) => issues.push({ file, column, message });
  for (const key of Object.keys(json))
    if (!FIELDS.includes(key)) fail(key, `unknown field "${key}" in a costs file: expected ${FIELDS.join(', ')}`);
  const amount = (key: string, value: unknown, whole = false): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
      fail(key, `${key} must be ${whole ? 'a whole number' : 'a number'} from 0, got ${JSON.stringify(value)}`);
      return Number.NaN;
    }
    return value;
  };
  const prices = Object.fromEntries(PRICES.map((key) => [key, json[key] === undefined ? 0 : amount(key, json[key])]));
  if (PRICES.every((key) => json[key] === undefined)) fail(PRICES.join(', '), 'a costs file needs at least one of the prices');
  const currency = json.currency ?? '$';
  if (typeof currency !== 'string' || currency === '')
    fail('currency', `currency must be a name or symbol, got ${JSON.stringify(currency)}`);
  let lists: string[] | undefined;
  let messages: Omit<MessageVolume, 'source'> | undefined;
  if ((json.message_lists === undefined) === (json.messages === undefined)) {
    fail(
      'message_lists',
      'give the messages either as "message_lists" (the lists pilot messages wrote) or as "messages" counts, not both or neither',
    );
  } else if (json.message_lists !== undefined) {
    const given = json.message_lists;
    if (!Array.isArray(given) || given.length === 0 || !given.every((p) => typeof p === 'string' && p !== ''))
      fail('message_lists', 'message_lists must be a list of message list files (paths relative to the costs file)');
    else lists = given as string[];
  } else if (!isObject(json.messages)) {
    fail('messages', 'messages must be an object with sends, sms_segments and letters');
  } else {
    const m = json.messages;
    for (const key of Object.keys(m))
      if (!(COUNTS as readonly string[]).includes(key)) fail(`messages.${key}`, `unknown field "${key}": expected ${COUNTS.join(', ')}`);
    const [sends, sms_segments, letters] = COUNTS.map((key) => amount(`messages.${key}`, m[key] ?? 0, true));
    messages = { sends, sms_segments, letters };
  }
  if (issues.length > 0) return { issues };
  return { costs: { ...(prices as Record<(typeof PRICES)[number], number>), currency: currency as string, messages }, lists, issues };
}

/**
 * Counts a message list as `pilot messages` wrote it: one send; its texts' SMS segments
 * (the `sms_segments` column) and its letters (`mode` letter).
 */
async function countMessageList(path: string): Promise<{ sms_segments: number; letters: number }> {
  const table = await readCsv({ path }, path, ['mode', 'sms_segments']);
  const issues: Issue[] = [];
  if (!table.header.includes('mode'))
    issues.push({ file: path, column: 'mode', message: 'not a message list: no "mode" column (pilot messages writes one)' });
  let smsSegments = 0;
  let letters = 0;
  for (let i = 0; i < table.rowCount && issues.length === 0; i++) {
    const mode = table.columns.mode[i];
    if (mode === 'letter') letters++;
    if (mode !== 'text') continue;
    const text = table.columns.sms_segments?.[i] ?? '';
    if (!/^[1-9]\d*$/.test(text))
      issues.push({
        file: path,
        row: table.lines[i],
        column: 'sms_segments',
        message: `a text's SMS segments must be a whole number from 1, got "${text}"`,
      });
    else smsSegments += Number(text);
  }
  if (issues.length > 0) throw new ValidationError(issues, `${path} cannot be counted for costs`);
  return { sms_segments: smsSegments, letters };
}

/**
 * Reads `costs.json` (docs/data-formats.md) and counts the messages it applies to: from
 * the message lists it names (each list one send), or as it states them.
 *
 * @example
 * const costs = await readCosts('costs.json');
 * costs.messages; // { sends: 2, sms_segments: 1530, letters: 12, source: 'message_lists' }
 */
export async function readCosts(path: string): Promise<StudyCosts> {
  let json: unknown;
  let file: StudyCosts['file'];
  try {
    const bytes = await readFile(path);
    file = { name: basename(path), sha256: sha256(bytes) };
    json = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not valid JSON: ${error.message}` : `cannot be read: ${(error as Error).message}`;
    throw new ValidationError([{ file: path, message: `the costs file is ${reason}` }], `${path} is not a usable costs file`);
  }
  const parsed = parseCosts(json, path);
  if (!parsed.costs) throw new ValidationError(parsed.issues, `${path} is not a usable costs file`);
  if (parsed.costs.messages) return { ...parsed.costs, messages: { ...parsed.costs.messages, source: 'stated' }, file };
  const lists = parsed.lists!.map((list) => resolve(dirname(path), list));
  let sms_segments = 0;
  let letters = 0;
  for (const list of lists) {
    const counted = await countMessageList(list);
    sms_segments += counted.sms_segments;
    letters += counted.letters;
  }
  return { ...parsed.costs, messages: { sends: lists.length, sms_segments, letters, source: 'message_lists' }, file };
}
