import type { Issue } from '../errors.js';
import type { CsvTable } from '../io/read-csv.js';
import type { Origin } from './read-oneroster-tables.js';
import { originOf, splitList } from './read-oneroster-tables.js';
import type { UserIndex } from './read-oneroster-users.js';
import { optionalColumn } from './require-columns.js';

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
    for (let node = id, up = this.parent.get(node); up !== undefined && up !== root; node = up, up = this.parent.get(node))
      this.parent.set(node, root);
    return root;
  }
}

/** The guardian links of a bundle, with where each student's first link was found. */
export interface Households {
  readonly links: GuardianLinks;
  /** The row that first linked each student (its own, or a guardian's `agentSourcedIds`). */
  readonly linkOrigin: ReadonlyMap<string, Origin>;
}

/**
 * Reads `agentSourcedIds` on students' rows (their guardians) and on guardians' rows
 * (their children), whatever a user's primary role: every role counts. Links to
 * `tobedeleted` users are dropped; a student's agent missing from users.csv still links
 * the siblings who name it (a note says so); an agent of the wrong kind (a teacher,
 * another student) is ignored with a note.
 */
export function linkGuardians(users: CsvTable, index: UserIndex, warnings: Issue[]): Households {
  const links = new GuardianLinks();
  const linkOrigin = new Map<string, Origin>();
  if (!('agentSourcedIds' in users.columns))
    warnings.push({ file: users.file, row: 1, message: 'users.csv has no agentSourcedIds column: every student is a household of one' });
  const agents = optionalColumn(users, 'agentSourcedIds');
  const link = (student: string, guardian: string, origin: Origin) => {
    links.link(student, guardian);
    if (!linkOrigin.has(student)) linkOrigin.set(student, origin);
  };
  for (const [id, i] of index.rowOf) {
    // Every role of a user counts (OneRoster 1.2 roles.csv may give a parent a student role too).
    const student = index.isStudent(id);
    const guardian = index.isGuardian(id);
    if (!student && !guardian) continue;
    for (const agent of splitList(agents[i])) {
      if (index.deleted.has(agent)) continue;
      const origin = originOf(users, i, 'agentSourcedIds');
      const known = index.rowOf.has(agent);
      if (!known && student) {
        warnings.push({
          ...origin,
          message: `agent "${agent}" is not in users.csv: the link is kept for the household, but there is no contact`,
        });
        link(id, agent, origin);
        continue;
      }
      // A student's agent that can be a guardian is its guardian; a guardian's agent that
      // is a student is its child. A user with both roles may be either side of a link.
      const agentGuardsUser = student && known && index.isGuardian(agent);
      const userGuardsAgent = guardian && known && index.isStudent(agent);
      if (agentGuardsUser) link(id, agent, origin);
      if (userGuardsAgent) link(agent, id, origin);
      if (!agentGuardsUser && !userGuardsAgent)
        warnings.push({
          ...origin,
          message: `agent "${agent}" is ${known ? 'not a guardian of a student (a parent, guardian or relative)' : 'not in users.csv'}: ignored`,
        });
    }
  }
  return { links, linkOrigin };
}
