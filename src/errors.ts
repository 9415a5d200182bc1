/**
 * Errors. Users' mistakes in their data are collected as data (`Issue`) so that every
 * bad row is reported at once; the CLI turns them into an exit code. Library misuse
 * (a programmer's mistake) throws `UsageError` naming the function, the rule and the value.
 */

/** One problem in an input file. `row` is the 1-based line in the file (the header is row 1). */
export interface Issue {
  readonly file: string;
  readonly row?: number;
  readonly column?: string;
  readonly message: string;
}

/** The result of validating something: every problem, never just the first. */
export interface Validation<T> {
  readonly ok: boolean;
  readonly value?: T;
  readonly issues: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export function formatIssue(issue: Issue): string {
  const where = [
    issue.file,
    issue.row !== undefined ? `row ${issue.row}` : undefined,
    issue.column !== undefined ? `column ${issue.column}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(', ');
  return `${where}: ${issue.message}`;
}

/** Bad input: carries every issue found. Nothing has been written when this is thrown. */
export class ValidationError extends Error {
  readonly issues: readonly Issue[];
  constructor(issues: readonly Issue[], summary?: string) {
    const shown = issues.slice(0, 20).map(formatIssue);
    const more = issues.length > 20 ? [`... and ${issues.length - 20} more`] : [];
    super([summary ?? `${issues.length} problem${issues.length === 1 ? '' : 's'} in the input`, ...shown, ...more].join('\n  '));
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** Something the user asked for that cannot be done (an existing assignment, a hash mismatch). */
export class PilotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PilotError';
  }
}

/** A programmer's misuse of the library. */
export class UsageError extends Error {
  constructor(functionName: string, message: string) {
    super(`${functionName}: ${message}`);
    this.name = 'UsageError';
  }
}

/** Throws a ValidationError when a validation failed; returns its value otherwise. */
export function unwrap<T>(validation: Validation<T>, summary?: string): T {
  if (!validation.ok || validation.value === undefined) throw new ValidationError(validation.issues, summary);
  return validation.value;
}
