import { classifyGrade, normalizeGrade } from './normalize-grade.js';
import type { EnrollmentIndex } from './read-oneroster-enrollments.js';
import type { OrgIndex } from './read-oneroster-orgs.js';
import type { Fail, LeftOutReason, Origin } from './read-oneroster-tables.js';
import { splitList } from './read-oneroster-tables.js';
import type { StudentOrg } from './read-oneroster-users.js';

/** A value chosen for a student, and the place in the bundle it came from. */
export interface Placed {
  readonly value: string;
  readonly origin: Origin;
}

/**
 * The student's school: the one school among its orgs (a primary one first), else the one
 * its enrollments name (among its orgs when it has several). `where` is reported when
 * the student has no org at all.
 */
export function chooseSchool(
  student: string,
  orgs: readonly StudentOrg[],
  enrollments: EnrollmentIndex,
  index: OrgIndex,
  where: Origin,
  fail: Fail,
): Placed | undefined {
  const schools = orgs.filter(({ org, origin }) => {
    const type = index.typeOf(org);
    if (type === undefined) fail(origin, `org "${org}" is not in orgs.csv`);
    return type === 'school';
  });
  const distinct = (list: readonly StudentOrg[]) => [...new Set(list.map((s) => s.org))];
  const primary = distinct(schools.filter((s) => s.primary));
  if (primary.length === 1) return placed(schools.find((s) => s.org === primary[0])!);
  if (distinct(schools).length === 1) return placed(schools[0]);
  const candidates = new Set(distinct(schools));
  const viaEnrollment = enrollments
    .schoolsOf(student)
    .filter((e) => index.typeOf(e.school) === 'school' && (candidates.size === 0 || candidates.has(e.school)));
  const enrolledSchools = [...new Set(viaEnrollment.map((e) => e.school))];
  if (enrolledSchools.length === 1) return { value: enrolledSchools[0], origin: viaEnrollment[0].origin };
  const origin = schools[0]?.origin ?? orgs[0]?.origin ?? where;
  if (candidates.size === 0 && enrolledSchools.length === 0)
    fail(origin, `student "${student}" belongs to no school: none of its orgs (or enrollments) is an org of type school`);
  else
    fail(
      origin,
      `student "${student}" belongs to several schools (${[...(candidates.size > 0 ? candidates : enrolledSchools)].join(', ')}) and its enrollments do not settle on one`,
    );
  return undefined;
}

const placed = (org: StudentOrg): Placed => ({ value: org.org, origin: org.origin });

/** A student the bundle holds but the roster leaves out: why, and the value behind it. */
export interface NotPlaced {
  readonly leftOut: LeftOutReason;
  readonly detail: string;
}

/**
 * The student's grade: its `grades` in users.csv, else the grades of its classes (the
 * column may be absent, or blank). A standard code outside the study's grades (`TK`,
 * `PS`, `Other`, ...) leaves the student out. Several different grades in users.csv are
 * refused (a roster has one per student); classes that disagree give the one grade they
 * all share (with a note), else the student is left out. A code that is no standard
 * grade is passed on, for the roster rules to name.
 */
export function chooseGrade(
  own: string,
  where: Origin,
  classes: readonly { readonly grades: readonly string[]; readonly origin: Origin }[],
  fail: Fail,
  note: Fail,
): Placed | NotPlaced | undefined {
  const ownCodes = splitList(own);
  const fromClasses = classes.filter((c) => c.grades.length > 0);
  const codes = ownCodes.length > 0 ? ownCodes : fromClasses.flatMap((c) => c.grades);
  const origin = ownCodes.length > 0 ? where : fromClasses[0]?.origin;
  if (origin === undefined) {
    fail(where, 'no grade: grades is blank and no class the student is enrolled in gives one');
    return undefined;
  }
  const unknown = codes.find((code) => classifyGrade(code) === undefined);
  if (unknown !== undefined) return { value: unknown, origin };
  const keyOf = (code: string) => {
    const placed = classifyGrade(code)!;
    return 'grade' in placed ? placed.grade : placed.outside;
  };
  const distinct = [...new Set(codes.map(keyOf))];
  let chosen = distinct.length === 1 ? distinct[0] : undefined;
  if (chosen === undefined && ownCodes.length > 0) {
    fail(where, `grades lists several grades (${distinct.join(', ')}): a roster needs one grade per student`);
    return undefined;
  }
  if (chosen === undefined) {
    // Classes that disagree (a homeroom of 02 and a mixed 02,03 elective) settle on the grade they share.
    const shared = distinct.filter((grade) => fromClasses.every((c) => c.grades.some((code) => keyOf(code) === grade)));
    if (shared.length !== 1) return { leftOut: 'several grades', detail: distinct.join(', ') };
    chosen = shared[0];
    note(where, `the student's classes give several grades (${distinct.join(', ')}): ${chosen}, the one they all share, is used`);
  }
  const code = codes.find((c) => keyOf(c) === chosen)!;
  return normalizeGrade(code) === undefined ? { leftOut: 'grade outside the study', detail: chosen } : { value: code, origin };
}
