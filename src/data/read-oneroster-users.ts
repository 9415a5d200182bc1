import type { CsvTable } from '../io/read-csv.js';
import type { Fail, Origin } from './read-oneroster-tables.js';
import { liveRows, originOf, splitList } from './read-oneroster-tables.js';
import { optionalColumn } from './require-columns.js';

/** A student's org, as a candidate for its school; `primary` ones are preferred. */
export interface StudentOrg {
  readonly org: string;
  readonly origin: Origin;
  readonly primary: boolean;
}

/** The live users of `users.csv` by `sourcedId`, with their roles and, for students, their orgs. */
export interface UserIndex {
  /** Each live user's row in users.csv. */
  readonly rowOf: ReadonlyMap<string, number>;
  /** Users whose row is `tobedeleted`: links to them are dropped without a note. */
  readonly deleted: ReadonlySet<string>;
  /** Live students, in users.csv order (disabled ones too: the roster decides). */
  readonly students: readonly string[];
  /** Students whose `enabledUser` is `false`: how a SIS marks the withdrawn and graduated. */
  readonly disabled: ReadonlySet<string>;
  readonly studentOrgs: ReadonlyMap<string, readonly StudentOrg[]>;
  isStudent(id: string): boolean;
  /** A `parent`, `guardian` or `relative`. */
  isGuardian(id: string): boolean;
}

const GUARDIAN_ROLES = new Set(['parent', 'guardian', 'relative']);

/**
 * Indexes the users, reporting blank and duplicate ids. Roles come from users.csv's
 * `role` (1.1) and from roles.csv (1.2); a student's orgs from `orgSourcedIds` (1.1), its
 * student roles' `orgSourcedId` (1.2, the `primary` role preferred) and `primaryOrgSourcedId`.
 */
export function indexUsers(users: CsvTable, roles: CsvTable | undefined, fail: Fail): UserIndex {
  const ids = optionalColumn(users, 'sourcedId');
  const live = liveRows(users);
  const rowOf = new Map<string, number>();
  const deleted = new Set<string>();
  for (let i = 0; i < users.rowCount; i++) {
    const id = ids[i];
    if (id === '') fail(originOf(users, i, 'sourcedId'), 'blank sourcedId');
    else if (!live(i)) deleted.add(id);
    else if (rowOf.has(id))
      fail(originOf(users, i, 'sourcedId'), `duplicate sourcedId "${id}" (first on row ${users.lines[rowOf.get(id)!]})`);
    else rowOf.set(id, i);
  }

  const rolesOf = new Map<string, Set<string>>();
  const studentOrgs = new Map<string, StudentOrg[]>();
  const addRole = (user: string, role: string) => rolesOf.set(user, (rolesOf.get(user) ?? new Set()).add(role.toLowerCase()));
  const addOrg = (user: string, org: StudentOrg) => studentOrgs.set(user, [...(studentOrgs.get(user) ?? []), org]);
  const roleColumn = optionalColumn(users, 'role');
  for (const [id, i] of rowOf) if (roleColumn[i] !== '') addRole(id, roleColumn[i]);
  if (roles) {
    const roleLive = liveRows(roles);
    const [who, names, types, orgs] = ['userSourcedId', 'role', 'roleType', 'orgSourcedId'].map((c) => optionalColumn(roles, c));
    for (let i = 0; i < roles.rowCount; i++) {
      if (!roleLive(i) || !rowOf.has(who[i])) continue;
      addRole(who[i], names[i]);
      if (names[i].toLowerCase() === 'student' && orgs[i] !== '')
        addOrg(who[i], { org: orgs[i], origin: originOf(roles, i, 'orgSourcedId'), primary: types[i].toLowerCase() === 'primary' });
    }
  }
  const isStudent = (id: string) => rolesOf.get(id)?.has('student') ?? false;
  const isGuardian = (id: string) => [...(rolesOf.get(id) ?? [])].some((role) => GUARDIAN_ROLES.has(role));
  const students = [...rowOf.keys()].filter(isStudent);
  const [orgLists, primaryOrgs] = ['orgSourcedIds', 'primaryOrgSourcedId'].map((c) => optionalColumn(users, c));
  for (const id of students) {
    const i = rowOf.get(id)!;
    for (const org of splitList(orgLists[i])) addOrg(id, { org, origin: originOf(users, i, 'orgSourcedIds'), primary: false });
    if (primaryOrgs[i] !== '') addOrg(id, { org: primaryOrgs[i], origin: originOf(users, i, 'primaryOrgSourcedId'), primary: true });
  }
  const enabled = optionalColumn(users, 'enabledUser');
  const disabled = new Set(students.filter((id) => enabled[rowOf.get(id)!].toLowerCase() === 'false'));
  return { rowOf, deleted, students, disabled, studentOrgs, isStudent, isGuardian };
}
