import { compareStudentIds } from '../data/compare-student-ids.js';
import type { SchoolCalendar } from '../data/read-calendar.js';
import type { WindowTotals } from '../data/read-window-totals.js';
import type { Issue } from '../errors.js';
import { UsageError, ValidationError } from '../errors.js';
import type { Assignment, DateWindow, MessageMode, RosterStudent } from '../types.js';
import { computeGoalDays } from './compute-goal-days.js';
import { countUpcomingDays } from './count-upcoming-days.js';
import type { SharedContact } from './find-shared-contacts.js';
import { findSharedContacts } from './find-shared-contacts.js';
import type { MessageListKind } from './message-window.js';
import type { CustomTemplate, MessageSettings, SchoolSettings } from './read-message-settings.js';
import { settingsForSchool } from './read-message-settings.js';
import type { PlaceholderValues } from './render-template.js';
import { findPlaceholders, renderTemplate } from './render-template.js';
import type { SmsEncoding } from './sms-segments.js';
import { countSmsSegments, SMS_SEGMENT_WARNING } from './sms-segments.js';
import { BUILT_IN_LANGUAGES } from './templates/index.js';
import type { LanguageTemplates, MessageTemplate, TemplateKind } from './templates/language-templates.js';

/** One row of `messages.csv` (data-formats.md). Household rows join ids and values with `;`. */
export interface MessageRow {
  readonly student_id: string;
  readonly household_id: string;
  readonly mode: MessageMode;
  readonly language: string;
  readonly recipient: string;
  readonly template: string;
  readonly message: string;
  readonly absences: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly goal_days: string;
  readonly average_absences: string;
  readonly sms_segments?: number;
  readonly sms_encoding?: SmsEncoding;
}

export const MESSAGE_COLUMNS = [
  'student_id',
  'household_id',
  'mode',
  'language',
  'recipient',
  'template',
  'message',
  'absences',
  'period_start',
  'period_end',
  'goal_days',
  'average_absences',
  'sms_segments',
  'sms_encoding',
] as const;

/** Why a treated student gets no message. */
export type SkipReason = 'not_assigned' | 'not_in_roster' | 'no_attendance' | 'no_mode' | 'no_contact' | 'no_first_name';

export const SKIP_REASONS: Readonly<Record<SkipReason, string>> = {
  not_assigned: 'in the roster but not in the assignment (enrolled later? run `pilot assign --add-late`)',
  not_in_roster: 'treated in the assignment but not in the roster, so there is no contact (withdrawn?)',
  no_attendance: 'no attendance records in the window (not enrolled in it)',
  no_mode: 'no preferred_mode and no --mode',
  no_contact: 'no caregiver contact for the mode',
  no_first_name: 'no first_name to address the message with',
};

/** One row of `messages.skipped.csv`. */
export interface SkippedStudent {
  readonly student_id: string;
  readonly household_id: string;
  readonly school_id: string;
  readonly reason: SkipReason;
  readonly detail: string;
}

export const SKIPPED_COLUMNS = ['student_id', 'household_id', 'school_id', 'reason', 'detail'] as const;

export interface MessageListInput {
  readonly students: readonly RosterStudent[];
  readonly assignments: readonly Assignment[];
  /** The arm that never gets a message (the manifest's `design.control_arm`). */
  readonly controlArm: string;
  readonly kind: MessageListKind;
  readonly asOf: string;
  readonly window: DateWindow;
  /** Days enrolled and absent in the window for every roster student, both arms. */
  readonly totals: WindowTotals;
  readonly calendar?: SchoolCalendar;
  readonly settings?: MessageSettings;
}

export interface MessageListOptions {
  /** Every message in this mode; default each caregiver's `preferred_mode`. */
  readonly mode?: MessageMode;
  /** One message per student (default) or per household, naming each treated child. */
  readonly per?: 'student' | 'household';
  /** The average a recurring message compares with (default school). */
  readonly compare?: 'school' | 'district';
  /** A fixed goal instead of the 5% rule. */
  readonly goalDays?: number;
  /** The goal rule's share (default 0.05) and its horizon in weeks (default 4). */
  readonly goalRate?: number;
  readonly goalWeeks?: number;
  /** Adds the special-circumstances line (settings may also turn it on per school). */
  readonly specialCircumstances?: boolean;
}

export interface MessageList {
  readonly kind: MessageListKind;
  readonly window: DateWindow;
  readonly messages: readonly MessageRow[];
  readonly skipped: readonly SkippedStudent[];
  readonly sharedContacts: readonly SharedContact[];
  /** Students of the control arm left out, and treated students messaged. */
  readonly controlExcluded: number;
  readonly studentsMessaged: number;
  readonly warnings: readonly string[];
}

interface Candidate {
  readonly student: RosterStudent;
  readonly arm: string;
  readonly absences: number;
  readonly mode: MessageMode;
  readonly recipient: string;
}

/** A message list but its messages: what rendering them one at a time ends with. */
export type MessageListEnd = Omit<MessageList, 'messages'>;

/**
 * Builds the message list of the treatment arm(s): who gets which message, in which
 * mode and language, to which contact, with every placeholder filled. Control students
 * never appear; treated students who cannot be messaged are listed with the reason.
 * Pure: the caller reads the files and writes the result.
 *
 * Each student's template: 2 or more days missed in the window gets the `kind`'s
 * template (initial: days since school began and a goal; recurring: days in the window
 * and the school's or district's average for it); fewer gets a thank-you.
 *
 * Throws ValidationError, before anything is written, when a template needs a value
 * some students lack (naming the template and the students).
 */
export function buildMessageList(input: MessageListInput, options: MessageListOptions = {}): MessageList {
  const messages: MessageRow[] = [];
  const rendering = renderMessageList(input, options);
  let next = rendering.next();
  for (; !next.done; next = rendering.next()) messages.push(next.value);
  const end = next.value;
  return {
    kind: end.kind,
    window: end.window,
    messages,
    skipped: end.skipped,
    sharedContacts: end.sharedContacts,
    controlExcluded: end.controlExcluded,
    studentsMessaged: end.studentsMessaged,
    warnings: end.warnings,
  };
}

/**
 * `buildMessageList` one message at a time: yields each message in list order, then
 * returns the rest of the list (skips, shared contacts, counts, warnings). A caller that
 * writes each message as it comes never holds them all (a million messages take some
 * 500 MB). Pure, like `buildMessageList`. A template lacking a value for some students
 * is known only once every message is rendered, so the ValidationError comes from the
 * last step: a caller writing as it goes writes to a file it can still discard.
 */
export function* renderMessageList(
  input: MessageListInput,
  options: MessageListOptions = {},
): Generator<MessageRow, MessageListEnd, undefined> {
  const per = options.per ?? 'student';
  if (options.goalDays !== undefined && !(Number.isInteger(options.goalDays) && options.goalDays >= 0)) {
    throw new UsageError('buildMessageList', `goalDays must be a whole number >= 0, got ${options.goalDays}`);
  }
  const armOf = new Map<string, string>();
  for (const a of input.assignments) armOf.set(a.student_id, a.arm);
  const { candidates, skipped, controlExcluded } = selectRecipients(input, armOf, options.mode);
  const context = makeContext(input, options);
  const groups = per === 'household' ? groupByHousehold(candidates) : candidates.map((c) => [c]);
  const failures = new Map<string, { template: string; names: Set<string>; who: string[] }>();
  const unset = new Map<string, Set<string>>();
  const fallbackLanguages = new Map<string, number>();
  let longTexts = 0;
  for (const group of groups) {
    const rendered = renderGroup(group, input.kind, context);
    if (rendered.fallback) fallbackLanguages.set(rendered.fallback, (fallbackLanguages.get(rendered.fallback) ?? 0) + 1);
    if (rendered.missing.length > 0) {
      // A value only the settings can give is missing for a whole school, whatever the template: said once.
      for (const name of rendered.missing.filter((n) => SETTINGS_ONLY.has(n)))
        unset.set(name, (unset.get(name) ?? new Set()).add(group[0].student.school_id));
      const missing = rendered.missing.filter((n) => !SETTINGS_ONLY.has(n));
      if (missing.length === 0) continue;
      const key = `${rendered.template}|${rendered.source}`;
      let failure = failures.get(key);
      if (!failure) failures.set(key, (failure = { template: `${rendered.template} (${rendered.source})`, names: new Set(), who: [] }));
      missing.forEach((name) => failure.names.add(name));
      failure.who.push(group.map((c) => c.student.student_id).join('+'));
    } else {
      if ((rendered.row!.sms_segments ?? 0) > SMS_SEGMENT_WARNING) longTexts++;
      yield rendered.row!;
    }
  }
  if (failures.size > 0 || unset.size > 0) throw templateFailure([...failures.values()], unset, input.settings?.file);

  const warnings: string[] = [];
  for (const [language, n] of fallbackLanguages) {
    warnings.push(
      `${n} message(s) for caregivers who prefer "${language}" are in English: there are no built-in ${language} templates; add custom ones in the settings file`,
    );
  }
  if (longTexts > 0)
    warnings.push(`${longTexts} text message(s) take more than ${SMS_SEGMENT_WARNING} SMS segments; consider a shorter template`);
  const sharedContacts = findSharedContacts(input.students, armOf);
  if (sharedContacts.length > 0)
    warnings.push(
      `${sharedContacts.length} phone number(s) or email(s) are shared by households in different arms: messages to them may reach control households`,
    );
  return {
    kind: input.kind,
    window: input.window,
    skipped,
    sharedContacts,
    controlExcluded,
    studentsMessaged: candidates.length,
    warnings,
  };
}

/**
 * Every roster student in id order: messaged (a candidate), skipped with the reason, or
 * left out as control; then the treated students the roster lacks.
 */
function selectRecipients(
  input: MessageListInput,
  armOf: ReadonlyMap<string, string>,
  forcedMode: MessageMode | undefined,
): { candidates: Candidate[]; skipped: SkippedStudent[]; controlExcluded: number } {
  const students = [...input.students].sort(compareStudentIds);
  const skipped: SkippedStudent[] = [];
  const skip = (s: { student_id: string; household_id: string; school_id: string }, reason: SkipReason, detail = SKIP_REASONS[reason]) =>
    skipped.push({ student_id: s.student_id, household_id: s.household_id, school_id: s.school_id, reason, detail });
  let controlExcluded = 0;
  const candidates: Candidate[] = [];
  for (const student of students) {
    const arm = armOf.get(student.student_id);
    if (arm === undefined) skip(student, 'not_assigned');
    else if (arm === input.controlArm) controlExcluded++;
    else {
      const candidate = checkCandidate(student, arm, input.totals, forcedMode, skip);
      if (candidate) candidates.push(candidate);
    }
  }
  const rosterIds = new Set<string>();
  for (const student of students) rosterIds.add(student.student_id);
  for (const a of input.assignments) if (a.arm !== input.controlArm && !rosterIds.has(a.student_id)) skip(a, 'not_in_roster');
  return { candidates, skipped, controlExcluded };
}

function checkCandidate(
  student: RosterStudent,
  arm: string,
  totals: WindowTotals,
  forcedMode: MessageMode | undefined,
  skip: (s: RosterStudent, reason: SkipReason, detail?: string) => void,
): Candidate | undefined {
  const total = totals.get(student.student_id);
  if (!total || total.days_enrolled === 0) return void skip(student, 'no_attendance');
  const mode = forcedMode ?? student.preferred_mode;
  if (!mode) return void skip(student, 'no_mode');
  const field = CONTACT_FIELD[mode];
  const recipient = student[field];
  if (!recipient) return void skip(student, 'no_contact', `no ${field} for mode ${mode}`);
  if (!student.first_name) return void skip(student, 'no_first_name');
  return { student, arm, absences: total.days_absent, mode, recipient };
}

const CONTACT_FIELD = {
  text: 'caregiver_phone',
  robocall: 'caregiver_phone',
  email: 'caregiver_email',
  letter: 'caregiver_address',
} as const;

/** Siblings in one message: the household's first student (by id) sets mode, contact and language. */
function groupByHousehold(candidates: readonly Candidate[]): Candidate[][] {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const group = groups.get(c.student.household_id);
    if (group) group.push(c);
    else groups.set(c.student.household_id, [c]);
  }
  return [...groups.values()];
}

interface Context {
  readonly kind: MessageListKind;
  readonly asOf: string;
  readonly window: DateWindow;
  readonly compare: 'school' | 'district';
  readonly averages: ReadonlyMap<string, number>;
  readonly goalOf: (school: string) => number;
  readonly settingsOf: (school: string) => SchoolSettings;
  readonly special: boolean;
}

function makeContext(input: MessageListInput, options: MessageListOptions): Context {
  const compare = options.compare ?? 'school';
  // The comparison average is over every enrolled roster student, both arms: it is the
  // school's (district's) figure, and the treatment's effect on it is negligible.
  const sums = new Map<string, { absent: number; n: number }>();
  for (const student of input.students) {
    const total = input.totals.get(student.student_id);
    if (!total || total.days_enrolled === 0) continue;
    const key = compare === 'school' ? student.school_id : student.district_id;
    const sum = sums.get(key);
    if (sum) {
      sum.absent += total.days_absent;
      sum.n++;
    } else sums.set(key, { absent: total.days_absent, n: 1 });
  }
  const averages = new Map([...sums].map(([key, s]) => [key, Math.round((10 * s.absent) / s.n) / 10]));
  const goals = new Map<string, number>();
  const goalOf = (school: string) => {
    if (options.goalDays !== undefined) return options.goalDays;
    let goal = goals.get(school);
    if (goal === undefined) {
      goal = computeGoalDays(countUpcomingDays(input.asOf, { calendar: input.calendar, school, weeks: options.goalWeeks }), {
        rate: options.goalRate,
      });
      goals.set(school, goal);
    }
    return goal;
  };
  const settingsCache = new Map<string, SchoolSettings>();
  const settingsOf = (school: string) => {
    let s = settingsCache.get(school);
    if (!s) settingsCache.set(school, (s = settingsForSchool(input.settings, school)));
    return s;
  };
  return {
    kind: input.kind,
    asOf: input.asOf,
    window: input.window,
    compare,
    averages,
    goalOf,
    settingsOf,
    special: options.specialCircumstances ?? false,
  };
}

interface Rendered {
  readonly template: string;
  readonly source: string;
  readonly missing: readonly string[];
  readonly row?: MessageRow;
  readonly fallback?: string;
}

function renderGroup(group: readonly Candidate[], listKind: MessageListKind, context: Context): Rendered {
  const first = group[0];
  const requested = first.student.preferred_language;
  const primary = requested.split('-')[0];
  const settings = context.settingsOf(first.student.school_id);
  const kindOf = (c: Candidate): TemplateKind => (c.absences >= 2 ? listKind : 'thank_you');
  // A household with any child at 2+ absences gets that message; each child's own facts follow.
  const kind: TemplateKind = group.some((c) => kindOf(c) !== 'thank_you') ? listKind : 'thank_you';
  const custom = findCustom(settings.templates, kind, primary, first.mode, first.arm);
  const builtIn = BUILT_IN_LANGUAGES[primary];
  const language = builtIn ?? BUILT_IN_LANGUAGES.en;
  const languageCode = custom ? primary : language.language;
  const template: MessageTemplate = custom ?? language.templates[kind][first.mode];
  const name = custom?.name ?? kind;
  const source = custom ? `custom, ${primary} ${first.mode}` : `built-in, ${languageCode} ${first.mode}`;

  const childValues = group.map((c) => valuesFor(c, kindOf(c), language, context));
  const missing = new Set<string>();
  const render = (text: string, values: PlaceholderValues) => {
    const result = renderTemplate(text, values);
    result.missing.forEach((n) => missing.add(n));
    return result.text;
  };
  const facts = group.map((c, i) => render(language.facts[kindOf(c)], childValues[i]));
  // The goal or the average once per distinct value, after every child's facts.
  const followUps = new Set(group.map((c, i) => render(language.followUp[kindOf(c)], childValues[i])).filter((t) => t !== ''));
  const values: Record<string, string | undefined> =
    group.length === 1
      ? { ...childValues[0] }
      : {
          ...sharedValues(childValues),
          ...pick(childValues[0], SCHOOL_VALUES),
          student_name: language.list(group.map((c) => c.student.first_name!)),
        };
  values.facts = [...facts, ...followUps].join(' ');
  const special = specialLine(settings, context.special, language, first.mode, values);
  special.missing.forEach((n) => missing.add(n));
  values.special_circumstances = special.text;
  const body = renderTemplate(template.body, values);
  const subject = template.subject === undefined ? undefined : renderTemplate(template.subject, values);
  [...body.missing, ...(subject?.missing ?? [])].forEach((n) => missing.add(n));
  const fallback = !custom && !builtIn ? primary : undefined;
  if (missing.size > 0) return { template: name, source, missing: [...missing], fallback };

  const message = subject ? `${language.subjectLabel}: ${subject.text}\n\n${body.text}` : body.text;
  const used = new Set([
    ...findPlaceholders(template.body).names,
    ...findPlaceholders(template.subject ?? '').names,
    ...(template.body.includes('{facts}')
      ? group.flatMap((c) => findPlaceholders(language.facts[kindOf(c)] + language.followUp[kindOf(c)]).names)
      : []),
  ]);
  const join = (pick: (c: Candidate) => string) => group.map(pick).join(';');
  const sms = first.mode === 'text' ? countSmsSegments(message) : undefined;
  const row: MessageRow = {
    student_id: join((c) => c.student.student_id),
    household_id: first.student.household_id,
    mode: first.mode,
    language: languageCode,
    recipient: first.recipient,
    template: name,
    message,
    absences: join((c) => String(c.absences)),
    period_start: context.window.from,
    period_end: context.window.to,
    goal_days: used.has('goal') || used.has('goal_days') ? join((c) => String(context.goalOf(c.student.school_id))) : '',
    average_absences: used.has('average') || used.has('average_absences') ? join((c) => String(averageFor(c.student, context))) : '',
    ...(sms ? { sms_segments: sms.segments, sms_encoding: sms.encoding } : {}),
  };
  return { template: name, source, missing: [], row, fallback };
}

/** The user's template for this message: one for the student's arm first, then one for any arm. */
function findCustom(
  templates: readonly CustomTemplate[] | undefined,
  kind: TemplateKind,
  language: string,
  mode: MessageMode,
  arm: string,
): CustomTemplate | undefined {
  const fits = templates?.filter((t) => t.kind === kind && t.language === language && t.modes.includes(mode)) ?? [];
  return fits.find((t) => t.arm === arm) ?? fits.find((t) => t.arm === undefined);
}

function averageFor(student: RosterStudent, context: Context): number {
  return context.averages.get(context.compare === 'school' ? student.school_id : student.district_id) ?? 0;
}

/** The placeholder values of one student; undefined where the data has no value. */
function valuesFor(c: Candidate, kind: TemplateKind, language: LanguageTemplates, context: Context): Record<string, string | undefined> {
  const s = c.student;
  const settings = context.settingsOf(s.school_id);
  const schoolName = settings.school_name ?? s.school_name;
  const districtName = settings.district_name ?? s.district_name;
  const goal = context.goalOf(s.school_id);
  const average = averageFor(s, context);
  const signature = settings.sender_name
    ? [[settings.sender_name, settings.sender_role].filter(Boolean).join(', '), schoolName].filter(Boolean).join('\n')
    : schoolName;
  const averageName = context.compare === 'school' ? schoolName : districtName;
  return {
    student_name: s.first_name,
    student_last_name: s.last_name,
    caregiver_name: s.caregiver_name,
    school_name: schoolName,
    district_name: districtName,
    sender_name: settings.sender_name,
    sender_role: settings.sender_role,
    signature,
    school_phone: settings.school_phone,
    date: language.longDate(context.asOf),
    absences: formatNumber(c.absences, language),
    days_missed: language.days(c.absences),
    absence_phrase: kind === 'thank_you' ? language.absencePhrase(c.absences) : undefined,
    period_start: language.shortDate(context.window.from),
    period_end: language.shortDate(context.window.to),
    goal_days: String(goal),
    goal: language.days(goal),
    average_absences: formatNumber(average, language),
    average: language.days(average),
    average_where: averageName === undefined ? undefined : language.averageWhere(averageName, context.compare),
  };
}

function formatNumber(n: number, language: LanguageTemplates): string {
  return language.days(n).split(' ')[0];
}

/** Values a household message takes from its first child's school, even when siblings attend another. */
const SCHOOL_VALUES = ['school_name', 'district_name', 'sender_name', 'sender_role', 'signature', 'school_phone'] as const;

function pick(values: Record<string, string | undefined>, keys: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(keys.map((k) => [k, values[k]]));
}

/** Values every child shares keep their value in a household message; others are missing. */
function sharedValues(children: readonly Record<string, string | undefined>[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(children[0])) out[key] = children.every((c) => c[key] === children[0][key]) ? children[0][key] : undefined;
  return out;
}

function specialLine(
  settings: SchoolSettings,
  on: boolean,
  language: LanguageTemplates,
  mode: MessageMode,
  values: Record<string, string | undefined>,
): { text: string; missing: string[] } {
  const setting = settings.special_circumstances;
  if (setting === false || (!on && !setting)) return { text: '', missing: [] };
  const builtIn = mode === 'text' ? language.specialCircumstances.short : language.specialCircumstances.full;
  return renderTemplate(typeof setting === 'string' ? setting : builtIn, values);
}

/** Placeholders whose value only the settings file gives (the roster has no column for them). */
const SETTINGS_ONLY = new Set(['sender_name', 'sender_role', 'school_phone']);

function templateFailure(
  failures: readonly { template: string; names: Set<string>; who: string[] }[],
  unset: ReadonlyMap<string, ReadonlySet<string>>,
  file?: string,
): ValidationError {
  const list = (items: readonly string[]) =>
    `${items.slice(0, 10).join(', ')}${items.length > 10 ? `, ... and ${items.length - 10} more` : ''}`;
  const issues: Issue[] = [
    ...[...unset].map(([name, schools]) => ({
      file: file ?? 'settings',
      column: name,
      message: `no ${name} for ${schools.size === 1 ? 'school' : 'schools'} ${list([...schools].sort())}: ${file ? `add "${name}" to the settings' "defaults" (or to each school under "schools")` : `give a settings file with "${name}" in its "defaults"`}`,
    })),
    ...failures.map((f) => ({
      file: file ?? 'templates',
      message: `template ${f.template}: no value for ${[...f.names].map((n) => `{${n}}`).join(', ')} for ${f.who.length} message(s): ${list(f.who)}`,
    })),
  ];
  return new ValidationError(
    issues,
    'some messages cannot be filled in, so nothing was written (add the values to the roster or the settings file)',
  );
}
