import { gradeIndex } from '../data/normalize-grade.js';
import type { Rng } from '../random.js';
import { randomGamma, randomInt, randomPoisson } from '../random.js';
import type { Grade, MessageMode, RosterStudent } from '../types.js';
import { GRADES } from '../types.js';
import { meanAbsenceRate, STUDENT_RATE_SHAPE } from './absence-rates.js';
import { FIRST_NAMES_EN, FIRST_NAMES_ES, LAST_NAMES_EN, LAST_NAMES_ES, PLACE_NAMES, STREET_NAMES } from './names.js';

export interface SimulateRosterOptions {
  readonly students: number;
  readonly districts: number;
  /** Days enrolled in the prior year for a full-year student. */
  readonly baselineDays?: number;
  /** Relative frequency of households of 1, 2, 3 and 4 students (default 0.52, 0.3, 0.13, 0.05). */
  readonly householdSizeWeights?: readonly [number, number, number, number];
}

interface School {
  readonly id: string;
  readonly name: string;
  readonly grades: readonly Grade[];
}

/** How caregivers prefer to be reached, and how often. */
const MODE_WEIGHTS: readonly (readonly [MessageMode, number])[] = [
  ['text', 0.55],
  ['email', 0.2],
  ['robocall', 0.1],
  ['letter', 0.15],
];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[randomInt(rng, items.length)];

function chooseWeighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let u = rng() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, weight] of items) if ((u -= weight) < 0) return item;
  return items[items.length - 1][0];
}

/** Schools of a district: one PK-12 school when small, else elementaries and a 6-12 school. */
function districtSchools(districtId: string, place: string, size: number): School[] {
  if (size < 500) return [{ id: `${districtId}-S1`, name: `${place} School`, grades: GRADES }];
  const elementaries = Math.max(1, Math.round(size / 600));
  const schools: School[] = [];
  for (let s = 1; s <= elementaries; s++) {
    schools.push({
      id: `${districtId}-S${s}`,
      name: `${place} ${elementaries > 1 ? `${['North', 'South', 'East', 'West', 'Central'][(s - 1) % 5]} ` : ''}Elementary`,
      grades: GRADES.slice(0, 7),
    });
  }
  schools.push({ id: `${districtId}-S${elementaries + 1}`, name: `${place} Junior/Senior High`, grades: GRADES.slice(7) });
  return schools;
}

/**
 * A synthetic roster of a rural network: districts of varied size, schools by level,
 * households of one to four siblings (some spanning an elementary and a high school),
 * caregivers with contacts, languages (some Spanish) and preferred modes, and a
 * prior-year baseline drawn from each student's own absence rate.
 */
export function simulateRoster(options: SimulateRosterOptions, rng: Rng): RosterStudent[] {
  const { students: total, districts: districtCount } = options;
  const baselineDays = options.baselineDays ?? 175;
  const sizeWeights = options.householdSizeWeights ?? [0.52, 0.3, 0.13, 0.05];
  const weights = Array.from({ length: districtCount }, () => 0.4 + rng() * 1.6);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const districts = weights.map((w, d) => {
    const id = `D${pad(d + 1, 2)}`;
    const place = PLACE_NAMES[d % PLACE_NAMES.length] + (d >= PLACE_NAMES.length ? ` ${Math.floor(d / PLACE_NAMES.length) + 1}` : '');
    const size = (total * w) / weightSum;
    return { id, name: `${place} School District`, schools: districtSchools(id, place, size), spanish: 0.05 + 0.3 * rng(), weight: w };
  });
  const districtWeights = districts.map((d) => [d, d.weight] as const);
  const householdSizes = sizeWeights.map((w, i) => [i + 1, w] as const);
  const idWidth = String(total).length + 1;
  const students: RosterStudent[] = [];
  let household = 0;
  while (students.length < total) {
    household++;
    const district = chooseWeighted(rng, districtWeights);
    const size = Math.min(total - students.length, chooseWeighted(rng, householdSizes));
    const spanish = rng() < district.spanish;
    const lastName = pick(rng, spanish ? LAST_NAMES_ES : LAST_NAMES_EN);
    const caregiver = `${pick(rng, spanish ? FIRST_NAMES_ES : FIRST_NAMES_EN)} ${lastName}`;
    const householdId = `H${pad(household, idWidth)}`;
    const mode = chooseWeighted(rng, MODE_WEIGHTS);
    // A few contacts are missing, as in real SIS exports: those students land on the skip list.
    const phone = rng() < 0.03 ? undefined : `(555) 01${randomInt(rng, 10)}-${pad(randomInt(rng, 10_000), 4)}`;
    const email =
      rng() < 0.25
        ? undefined
        : `${caregiver
            .split(' ')[0]
            .toLowerCase()
            .normalize('NFD')
            .replace(/[^a-z]/g, '')}.${householdId.toLowerCase()}@example.org`;
    const address = `${1 + randomInt(rng, 999)} ${pick(rng, STREET_NAMES)}, ${district.name.replace(' School District', '')}, ST ${pad(10_000 + randomInt(rng, 89_999), 5)}`;
    const firstGrade = randomInt(rng, GRADES.length);
    for (let child = 0; child < size; child++) {
      const grade = GRADES[Math.min(GRADES.length - 1, Math.max(0, firstGrade + (child === 0 ? 0 : randomInt(rng, 9) - 4)))];
      const schools = district.schools.filter((s) => s.grades.includes(grade));
      const school = pick(rng, schools);
      const rate = (meanAbsenceRate(district.id, grade) * randomGamma(rng, STUDENT_RATE_SHAPE)) / STUDENT_RATE_SHAPE;
      // New to the district this year (8%), or PK (no prior year): no baseline.
      const hasBaseline = gradeIndex(grade) > 0 && rng() > 0.08;
      const enrolled = hasBaseline ? baselineDays - (rng() < 0.1 ? randomInt(rng, 60) : 0) : 0;
      const studentId = `S${pad(students.length + 1, idWidth)}`;
      students.push({
        student_id: studentId,
        district_id: district.id,
        school_id: school.id,
        grade,
        first_name: pick(rng, spanish ? FIRST_NAMES_ES : FIRST_NAMES_EN),
        last_name: lastName,
        household_id: householdId,
        caregiver_name: caregiver,
        caregiver_phone: phone,
        caregiver_email: mode === 'email' && email === undefined && rng() < 0.9 ? `${householdId.toLowerCase()}@example.org` : email,
        caregiver_address: address,
        preferred_language: spanish ? 'es' : 'en',
        preferred_mode: mode,
        school_name: school.name,
        district_name: district.name,
        ...(hasBaseline
          ? {
              baseline_absences: Math.min(enrolled, randomPoisson(rng, rate * enrolled * Math.exp(0.3 * (rng() - 0.5)))),
              baseline_days: enrolled,
            }
          : {}),
      });
    }
  }
  return students;
}
