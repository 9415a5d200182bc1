/**
 * Characters no id may hold: C0 controls (NUL, tab, ESC ...), DEL and C1 controls, and the
 * bidirectional overrides and isolates that make text display in another order than it
 * reads. A NUL cuts an id short in many programs, an ESC starts a terminal command when
 * the id is printed, and both come from a damaged or non-text file, not from a real id.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters an id may not hold
const FORBIDDEN_IN_ID = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Why an id (`student_id`, `household_id`) cannot be used, or undefined when it can. Ids
 * arrive in composed Unicode form (NFC, as the CSV reader decodes them), so two spellings
 * of "José" are one id and collide as duplicates.
 */
export function idProblem(column: string, id: string): string | undefined {
  const found = FORBIDDEN_IN_ID.exec(id);
  if (!found) return undefined;
  const code = found[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `${column} holds the control character U+${code}: an id must be printable text (is the file damaged, or not UTF-8 text?)`;
}
