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

/**
 * The positions of `keys` in code-unit order, equal keys in their first order (a stable
 * sort); no sort when they are in order already, as exports sorted by id are.
 */
export function positionsInOrder(keys: readonly string[]): Int32Array {
  // Plain loops into an Int32Array: Array.from(keys.keys()) would go through an iterator.
  const order = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) order[i] = i;
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1] <= keys[i];
  if (inOrder) return order;
  return Int32Array.from(Array.from(order).sort((a, b) => compareIds(keys[a], keys[b])));
}
