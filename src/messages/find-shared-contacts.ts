import type { RosterStudent } from '../types.js';

/** A phone or email used by households in different arms: messages may reach control. */
export interface SharedContact {
  readonly contact_type: 'phone' | 'email';
  /** The contact as normalized for comparison (digits of a phone, lower-case email). */
  readonly contact: string;
  readonly households: readonly string[];
  readonly arms: readonly string[];
}

/** Digits only, without a leading US country code, so "(555) 010-1234" matches "555.010.1234". */
function normalizePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length === 11 && digits.startsWith('1') ? digits.slice(1) : digits;
}

/** The households (each with the arm of its last student seen) that use one contact. */
type HouseholdArms = Map<string, string>;

/**
 * The contacts of one type seen so far. Nearly every contact belongs to one household
 * in one arm, so it is remembered by its first student alone (a number); only a contact
 * whose students differ in household or arm gets a map of its households. Two million
 * students then cost two maps of numbers, not millions of small maps.
 */
class ContactUse {
  private readonly firstStudent = new Map<string, number>();
  private readonly mixed = new Map<string, HouseholdArms>();

  constructor(
    private readonly students: readonly RosterStudent[],
    private readonly armOf: Pick<ReadonlyMap<string, string>, 'get'>,
  ) {}

  record(contact: string, index: number, household: string, arm: string): void {
    const households = this.mixed.get(contact);
    if (households) {
      households.set(household, arm);
      return;
    }
    const first = this.firstStudent.get(contact);
    if (first === undefined) return void this.firstStudent.set(contact, index);
    const firstHousehold = this.students[first].household_id;
    const firstArm = this.armOf.get(this.students[first].student_id)!;
    if (firstHousehold === household && firstArm === arm) return;
    this.mixed.set(contact, new Map([[firstHousehold, firstArm]]).set(household, arm));
  }

  /** Contacts whose households ended up in more than one arm. */
  *shared(type: SharedContact['contact_type']): Generator<SharedContact> {
    for (const [contact, households] of this.mixed) {
      const arms = [...new Set(households.values())].sort();
      if (arms.length > 1) yield { contact_type: type, contact, households: [...households.keys()].sort(), arms };
    }
  }
}

/**
 * The contamination check: every caregiver phone or email shared by households that
 * were assigned to different arms. A message to such a contact also reaches a household
 * the study counts as untreated. Students without an arm are ignored; a household's arm
 * is that of its last student listed (households are assigned whole unless the design
 * said otherwise).
 */
export function findSharedContacts(students: readonly RosterStudent[], armOf: Pick<ReadonlyMap<string, string>, 'get'>): SharedContact[] {
  const phones = new ContactUse(students, armOf);
  const emails = new ContactUse(students, armOf);
  for (let i = 0; i < students.length; i++) {
    const student = students[i];
    const arm = armOf.get(student.student_id);
    if (arm === undefined) continue;
    const phone = student.caregiver_phone ? normalizePhone(student.caregiver_phone) : '';
    if (phone !== '') phones.record(phone, i, student.household_id, arm);
    const email = student.caregiver_email?.trim().toLowerCase() ?? '';
    if (email !== '') emails.record(email, i, student.household_id, arm);
  }
  const shared = [...phones.shared('phone'), ...emails.shared('email')];
  return shared.sort((a, b) => a.contact_type.localeCompare(b.contact_type) || a.contact.localeCompare(b.contact));
}
