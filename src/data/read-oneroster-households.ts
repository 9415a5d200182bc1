/**
 * Households from OneRoster guardian links. A link joins a student and a guardian
 * (`agentSourcedIds` on either row); students joined through shared guardians, however
 * indirectly, are one household, so siblings are randomized together. The household's
 * id is its guardians' lowest `sourcedId`, which does not depend on row order or on which
 * side listed the link; a student with no guardian is a household of one (its own id),
 * as in a CSV roster with a blank `household_id`.
 */
export class GuardianLinks {
  private readonly parent = new Map<string, string>();
  private readonly guardians = new Set<string>();
  private readonly guardiansOf = new Map<string, Set<string>>();

  /** Records that `guardian` is a caregiver of `student`. */
  link(student: string, guardian: string): void {
    this.guardians.add(guardian);
    let own = this.guardiansOf.get(student);
    if (!own) this.guardiansOf.set(student, (own = new Set()));
    own.add(guardian);
    const [a, b] = [this.find(student), this.find(guardian)];
    if (a !== b) this.parent.set(a < b ? b : a, a < b ? a : b);
  }

  /** The student's own guardians, sorted by id. */
  guardiansOfStudent(student: string): string[] {
    return [...(this.guardiansOf.get(student) ?? [])].sort();
  }

  /** The household of every student: the lowest guardian id among those linked to it, else the student's id. */
  householdIds(students: readonly string[]): Map<string, string> {
    const lowestGuardian = new Map<string, string>();
    for (const guardian of this.guardians) {
      const root = this.find(guardian);
      const seen = lowestGuardian.get(root);
      if (seen === undefined || guardian < seen) lowestGuardian.set(root, guardian);
    }
    return new Map(students.map((student) => [student, lowestGuardian.get(this.find(student)) ?? student]));
  }

  private find(id: string): string {
    let root = id;
    for (let up = this.parent.get(root); up !== undefined; up = this.parent.get(root)) root = up;
    // Path compression keeps later look-ups short.
    for (let node = id, up = this.parent.get(node); up !== undefined && up !== root; node = up, up = this.parent.get(node)) this.parent.set(node, root);
    return root;
  }
}
