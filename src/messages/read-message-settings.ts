import { readFile } from 'node:fs/promises';
import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { MessageMode } from '../types.js';
import { MESSAGE_MODES } from '../types.js';
import { unknownPlaceholders } from './render-template.js';
import type { TemplateKind } from './templates/language-templates.js';
import { TEMPLATE_KINDS } from './templates/language-templates.js';

/** A user's template: replaces the built-in one for its kind, language and mode(s). */
export interface CustomTemplate {
  readonly name: string;
  readonly kind: TemplateKind;
  readonly language: string;
  /** The modes it serves; all four when not given. */
  readonly modes: readonly MessageMode[];
  readonly body: string;
  readonly subject?: string;
  /** Only for students of this arm (a study with several treated arms); any treated arm when not given. */
  readonly arm?: string;
}

/** What a school signs its messages with. Every field may also sit in `defaults`. */
export interface SchoolSettings {
  readonly school_name?: string;
  readonly district_name?: string;
  readonly sender_name?: string;
  readonly sender_role?: string;
  readonly school_phone?: string;
  /** `true` for the built-in line, a text of its own, or `false`/absent for none. */
  readonly special_circumstances?: boolean | string;
  readonly templates?: readonly CustomTemplate[];
}

/** The per-school settings file: defaults, and overrides by `school_id`. */
export interface MessageSettings {
  readonly file: string;
  readonly defaults: SchoolSettings;
  readonly schools: Readonly<Record<string, SchoolSettings>>;
}

const TEXT_FIELDS = ['school_name', 'district_name', 'sender_name', 'sender_role', 'school_phone'] as const;
const SCHOOL_FIELDS = [...TEXT_FIELDS, 'special_circumstances', 'templates'];

/**
 * Checks a settings object (parsed JSON) and returns it typed, or every problem: unknown
 * fields, a template of an unknown kind, mode or language, or one that uses a placeholder
 * nobody fills. Templates are checked here, before any data is read, so a bad one stops
 * the run early and names itself.
 */
export function parseMessageSettings(json: unknown, file: string): MessageSettings {
  const issues: Issue[] = [];
  const issue = (column: string, message: string) => issues.push({ file, column, message });
  if (!isObject(json))
    throw new ValidationError(
      [{ file, message: 'expected a JSON object with "defaults" and "schools"' }],
      `${file} is not a settings file`,
    );
  for (const key of Object.keys(json))
    if (!['defaults', 'schools'].includes(key)) issue(key, `unknown field "${key}": expected "defaults" and "schools"`);
  const defaults = parseSchool(json.defaults ?? {}, 'defaults', issue);
  const schools: Record<string, SchoolSettings> = {};
  if (json.schools !== undefined && !isObject(json.schools)) issue('schools', 'expected an object keyed by school_id');
  else for (const [id, value] of Object.entries(json.schools ?? {})) schools[id] = parseSchool(value, `schools.${id}`, issue);
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a valid settings file`);
  return { file, defaults, schools };
}

/** Reads and checks a settings JSON file. */
export async function readMessageSettings(path: string): Promise<MessageSettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ValidationError(
      [{ file: path, column: '(file)', message: `cannot read the settings file (${code}): does it exist, and is it a file you can read?` }],
      `${path} is not a settings file`,
    );
  }
  let json: unknown;
  try {
    // Windows editors often save JSON with a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new ValidationError(
      [{ file: path, ...jsonErrorPlace(text, (error as Error).message), message: `not valid JSON: ${(error as Error).message}` }],
      `${path} is not a settings file`,
    );
  }
  return parseMessageSettings(json, path);
}

/**
 * Where JSON.parse stopped, as a line (row) and a character on it (column), from the
 * "position N" its message gives; the end of the text when it ran out.
 */
function jsonErrorPlace(text: string, message: string): { row: number; column: string } {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const match = /position (\d+)/.exec(message);
  const at = Math.min(text.length, match ? Number(match[1]) + bom : text.length);
  const before = text.slice(0, at);
  const row = before.split(/\r\n|\r|\n/).length;
  return { row, column: `character ${at - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'))}` };
}

/** The settings that apply to one school: its own fields over the defaults, its templates first. */
export function settingsForSchool(settings: MessageSettings | undefined, schoolId: string): SchoolSettings {
  if (!settings) return {};
  const own = settings.schools[schoolId] ?? {};
  return { ...settings.defaults, ...own, templates: [...(own.templates ?? []), ...(settings.defaults.templates ?? [])] };
}

function parseSchool(value: unknown, where: string, issue: (column: string, message: string) => void): SchoolSettings {
  if (!isObject(value)) {
    issue(where, 'expected an object');
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (!SCHOOL_FIELDS.includes(key)) issue(`${where}.${key}`, `unknown field "${key}": expected ${SCHOOL_FIELDS.join(', ')}`);
    else if ((TEXT_FIELDS as readonly string[]).includes(key)) {
      if (typeof field === 'string' && field.trim() !== '') out[key] = field.trim();
      else issue(`${where}.${key}`, 'expected non-blank text');
    } else if (key === 'special_circumstances') {
      if (typeof field === 'boolean' || typeof field === 'string') out[key] = field;
      else issue(`${where}.${key}`, 'expected true, false or the text of the line');
      if (typeof field === 'string') for (const bad of unknownPlaceholders(field)) issue(`${where}.${key}`, `unknown placeholder ${bad}`);
    } else if (key === 'templates') {
      if (!Array.isArray(field)) issue(`${where}.templates`, 'expected a list of templates');
      else
        out.templates = field
          .map((t, i) => parseTemplate(t, `${where}.templates[${i}]`, issue))
          .filter((t): t is CustomTemplate => t !== undefined);
    }
  }
  return out as SchoolSettings;
}

function parseTemplate(value: unknown, where: string, issue: (column: string, message: string) => void): CustomTemplate | undefined {
  if (!isObject(value)) return void issue(where, 'expected an object with name, kind, language and body');
  const { name, kind, language, mode, body, subject, arm } = value;
  const label = typeof name === 'string' && name.trim() !== '' ? `template "${name}"` : where;
  const before = { count: 0 };
  const fail = (message: string) => (before.count++, issue(where, `${label}: ${message}`));
  for (const key of Object.keys(value))
    if (!['name', 'kind', 'language', 'mode', 'body', 'subject', 'arm'].includes(key)) fail(`unknown field "${key}"`);
  if (typeof name !== 'string' || name.trim() === '') fail('needs a "name"');
  if (!(TEMPLATE_KINDS as readonly unknown[]).includes(kind)) fail(`"kind" must be one of ${TEMPLATE_KINDS.join(', ')}`);
  if (typeof language !== 'string' || !/^[a-z]{2,3}$/i.test(language)) fail('"language" must be a language code such as en or es');
  const modes = mode === undefined ? MESSAGE_MODES : Array.isArray(mode) ? mode : [mode];
  if (modes.length === 0 || modes.some((m) => !(MESSAGE_MODES as readonly unknown[]).includes(m)))
    fail(`"mode" must be one or a list of ${MESSAGE_MODES.join(', ')}`);
  if (typeof body !== 'string' || body.trim() === '') fail('needs a "body"');
  if (subject !== undefined && typeof subject !== 'string') fail('"subject" must be text');
  if (arm !== undefined && (typeof arm !== 'string' || arm.trim() === '')) fail('"arm" must be the name of a treated arm');
  for (const text of [body, subject]) {
    if (typeof text === 'string') for (const bad of unknownPlaceholders(text)) fail(`unknown placeholder ${bad}`);
  }
  if (before.count > 0) return undefined;
  return {
    name: (name as string).trim(),
    kind: kind as TemplateKind,
    language: (language as string).toLowerCase(),
    modes: modes as MessageMode[],
    body: body as string,
    ...(typeof subject === 'string' ? { subject } : {}),
    ...(typeof arm === 'string' ? { arm: arm.trim() } : {}),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
