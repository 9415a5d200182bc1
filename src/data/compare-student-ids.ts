/**
 * Orders students, or any rows about them, by id (code-unit order, as `sort()` orders
 * strings): every output sorted by student reads the same whatever the input's row order.
 */
export function compareStudentIds(a: { readonly student_id: string }, b: { readonly student_id: string }): number {
  return compareIds(a.student_id, b.student_id);
}

/** Two ids in code-unit order, as `sort()` orders strings. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
