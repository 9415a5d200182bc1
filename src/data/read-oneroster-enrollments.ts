import type { CsvTable } from '../io/read-csv.js';
import type { Origin } from './read-oneroster-tables.js';
import { liveRows, originOf, splitList } from './read-oneroster-tables.js';
import { optionalColumn } from './require-columns.js';

/** What a student's enrollments say about it: the schools, and its classes' grades. */
export interface EnrollmentIndex {
  /** Whether the bundle has enrollments.csv: without it, no student can be told unenrolled. */
  readonly known: boolean;
  /** Whether a live student enrollment names the student. */
  isEnrolled(student: string): boolean;
  schoolsOf(student: string): readonly { readonly school: string; readonly origin: Origin }[];
  classGradesOf(student: string): readonly { readonly grades: readonly string[]; readonly origin: Origin }[];
}

/**
 * Indexes the live student enrollments (`enrollments.csv`, role `student` or blank) and
 * the grades of their classes (`classes.csv`). Either file may be missing.
 */
export function indexEnrollments(enrollments: CsvTable | undefined, classes: CsvTable | undefined): EnrollmentIndex {
  const schools = new Map<string, { school: string; origin: Origin }[]>();
  const classesOf = new Map<string, string[]>();
  const enrolled = new Set<string>();
  if (enrollments) {
    const live = liveRows(enrollments);
    const [who, roles, schoolIds, classIds] = ['userSourcedId', 'role', 'schoolSourcedId', 'classSourcedId'].map((c) =>
      optionalColumn(enrollments, c),
    );
    for (let i = 0; i < enrollments.rowCount; i++) {
      if (!live(i) || (roles[i] !== '' && roles[i].toLowerCase() !== 'student')) continue;
      enrolled.add(who[i]);
      if (schoolIds[i] !== '')
        schools.set(who[i], [
          ...(schools.get(who[i]) ?? []),
          { school: schoolIds[i], origin: originOf(enrollments, i, 'schoolSourcedId') },
        ]);
      if (classIds[i] !== '') classesOf.set(who[i], [...(classesOf.get(who[i]) ?? []), classIds[i]]);
    }
  }
  const gradesOfClass = new Map<string, { grades: string[]; origin: Origin }>();
  if (classes) {
    const live = liveRows(classes);
    const [ids, grades] = ['sourcedId', 'grades'].map((c) => optionalColumn(classes, c));
    for (let i = 0; i < classes.rowCount; i++)
      if (live(i)) gradesOfClass.set(ids[i], { grades: splitList(grades[i]), origin: originOf(classes, i, 'grades') });
  }
  return {
    known: enrollments !== undefined,
    isEnrolled: (student) => enrolled.has(student),
    schoolsOf: (student) => schools.get(student) ?? [],
    classGradesOf: (student) => (classesOf.get(student) ?? []).map((id) => gradesOfClass.get(id)).filter((c) => c !== undefined),
  };
}
