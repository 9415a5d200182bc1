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

/**
 * The contamination check: every caregiver phone or email shared by households that
 * were assigned to different arms. A message to such a contact also reaches a household
 * the study counts as untreated. Students without an arm are ignored.
 */
export function findSharedContacts(students: readonly RosterStudent[], armOf: ReadonlyMap<string, string>): SharedContact[] {
  const byContact = new Map<string, { type: 'phone' | 'email'; contact: string; households: Map<string, string> }>();
  for (const student of students) {
    const arm = armOf.get(student.student_id);
    if (arm === undefined) continue;
    const contacts = [
      ['phone', student.caregiver_phone ? normalizePhone(student.caregiver_phone) : ''],
      ['email', student.caregiver_email?.trim().toLowerCase() ?? ''],
    ] as const;
    for (const [type, contact] of contacts) {
      if (contact === '') continue;
      const key = `${type}:${contact}`;
      let entry = byContact.get(key);
      if (!entry) byContact.set(key, (entry = { type, contact, households: new Map() }));
      entry.households.set(student.household_id, arm);
    }
  }
  const shared: SharedContact[] = [];
  for (const entry of byContact.values()) {
    const arms = [...new Set(entry.households.values())].sort();
    if (arms.length > 1) shared.push({ contact_type: entry.type, contact: entry.contact, households: [...entry.households.keys()].sort(), arms });
  }
  return shared.sort((a, b) => a.contact_type.localeCompare(b.contact_type) || a.contact.localeCompare(b.contact));
}
