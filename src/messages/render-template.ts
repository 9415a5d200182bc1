/**
 * Named placeholders in message templates: `{student_name}`. A literal brace is written
 * twice (`{{`, `}}`). Built-in and custom templates go through the same renderer, so a
 * message can never go out with a placeholder left in it.
 */

/** Every placeholder a template may use, with what it holds (for docs and errors). */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  student_name: "the student's first name (per household: every treated child's, as a list)",
  student_last_name: "the student's last name",
  caregiver_name: "the caregiver's name from the roster",
  school_name: 'the school name (settings, else the roster)',
  district_name: 'the district name (settings, else the roster)',
  sender_name: 'who signs the message (settings)',
  sender_role: "the sender's role (settings)",
  signature: 'sender name and role, and school, as available',
  school_phone: "the school's phone number (settings)",
  date: 'the date the list is for, written out',
  absences: 'days missed in the window, as a number',
  days_missed: 'days missed in the window in words ("3 days", "3 días")',
  absence_phrase: 'for 0 or 1 absence: "has not missed a single day", "has missed only 1 day"',
  period_start: 'first day of the window, written out',
  period_end: 'last day of the window, written out',
  goal_days: 'the goal for the next 4 weeks, as a number',
  goal: 'the goal in words ("1 day")',
  average_absences: "the school's (or district's) average days missed in the same window, as a number",
  average: 'that average in words ("1.4 days")',
  average_where: 'where the average comes from ("at Elm Elementary", "en el distrito ...")',
  facts: "the built-in sentence(s) about each student's attendance",
  special_circumstances: 'the optional special-circumstances line (empty when off)',
};

export type PlaceholderValues = Readonly<Record<string, string | undefined>>;

const TOKEN = /\{\{|\}\}|\{([^{}]*)\}|[{}]/g;

/** The placeholder names a template uses, in order of first use; `bad` lists malformed braces. */
export function findPlaceholders(template: string): { names: string[]; bad: string[] } {
  const names: string[] = [];
  const bad: string[] = [];
  for (const match of template.matchAll(TOKEN)) {
    const token = match[0];
    if (token === '{{' || token === '}}') continue;
    if (match[1] === undefined || !/^[a-z_][a-z0-9_]*$/.test(match[1].trim())) bad.push(token);
    else if (!names.includes(match[1].trim())) names.push(match[1].trim());
  }
  return { names, bad };
}

/** Placeholders a template uses that are not in `PLACEHOLDERS`, and malformed braces. */
export function unknownPlaceholders(template: string): string[] {
  const { names, bad } = findPlaceholders(template);
  return [...names.filter((name) => !(name in PLACEHOLDERS)).map((name) => `{${name}}`), ...bad];
}

/**
 * Fills a template. Returns the text, or the names whose value is missing (undefined);
 * an empty string is a value. Whitespace left by an empty value is tidied.
 *
 * @example renderTemplate('Hi {student_name}!', { student_name: 'Ana' }) // { text: 'Hi Ana!', missing: [] }
 */
export function renderTemplate(template: string, values: PlaceholderValues): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    const value = name === undefined ? undefined : values[name.trim()];
    if (value === undefined) {
      if (!missing.includes(name?.trim() ?? token)) missing.push(name?.trim() ?? token);
      return token;
    }
    return value;
  });
  return { text: tidyWhitespace(text), missing };
}

/** Collapses runs of spaces and of blank lines, and trims each line. */
function tidyWhitespace(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
