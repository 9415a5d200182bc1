import { normalizeGrade } from './normalize-grade.js';
import type { EnrollmentIndex } from './read-oneroster-enrollments.js';
import type { OrgIndex } from './read-oneroster-orgs.js';
import type { Fail, Origin } from './read-oneroster-tables.js';
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
export function chooseSchool(student: string, orgs: readonly StudentOrg[], enrollments: EnrollmentIndex, index: OrgIndex, where: Origin, fail: Fail): Placed | undefined {
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
  const viaEnrollment = enrollments.schoolsOf(student).filter((e) => index.typeOf(e.school) === 'school' && (candidates.size === 0 || candidates.has(e.school)));
  const enrolledSchools = [...new Set(viaEnrollment.map((e) => e.school))];
  if (enrolledSchools.length === 1) return { value: enrolledSchools[0], origin: viaEnrollment[0].origin };
  const origin = schools[0]?.origin ?? orgs[0]?.origin ?? where;
  if (candidates.size === 0 && enrolledSchools.length === 0) fail(origin, `student "${student}" belongs to no school: none of its orgs (or enrollments) is an org of type school`);
  else fail(origin, `student "${student}" belongs to several schools (${[...(candidates.size > 0 ? candidates : enrolledSchools)].join(', ')}) and its enrollments do not settle on one`);
  return undefined;
}

const placed = (org: StudentOrg): Placed => ({ value: org.org, origin: org.origin });

/**
 * The student's grade: its `grades` in users.csv, else the grades of its classes. Several
 * different grades are refused (a roster has one per student); an unknown code is passed
 * on, for the roster rules to name.
 */
export function chooseGrade(own: string, where: Origin, classes: readonly { readonly grades: readonly string[]; readonly origin: Origin }[], fail: Fail): Placed | undefined {
  const pick = (codes: readonly string[], origin: Origin, what: string): Placed | undefined => {
    const unknown = codes.find((code) => normalizeGrade(code) === undefined);
    if (unknown !== undefined) return { value: unknown, origin };
    const grades = [...new Set(codes.map((code) => normalizeGrade(code)))];
    if (grades.length === 1) return { value: codes[0], origin };
    fail(origin, `${what} several grades (${grades.join(', ')}): a roster needs one grade per student`);
    return undefined;
  };
  if (splitList(own).length > 0) return pick(splitList(own), where, 'grades lists');
  const fromClasses = classes.flatMap((c) => c.grades);
  if (fromClasses.length > 0) return pick(fromClasses, classes.find((c) => c.grades.length > 0)!.origin, "the student's classes give");
  fail(where, 'no grade: grades is blank and no class the student is enrolled in gives one');
  return undefined;
}
