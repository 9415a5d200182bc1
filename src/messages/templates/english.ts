import type { LanguageTemplates } from './language-templates.js';
import { localeFormatters } from './language-templates.js';

const f = localeFormatters('en-US');
const days = (n: number) => `${f.number(n)} ${n === 1 ? 'day' : 'days'}`;

// The guide's core components in every template: the student's name, days missed, why
// attendance matters, and an invitation to contact the school. "Two days a month is
// about 10% of the year" is Attendance Works' framing of chronic absence.
const WHY =
  'Every day of school counts: missing just two days a month adds up to about 10% of the school year, and students who miss that much can fall behind in reading and math.';
const HELP = 'If anything is making it hard for {student_name} to get to school, we want to help. Please call us at {school_phone}.';

const letter = (closing: string) =>
  `{date}\n\nDear caregiver of {student_name},\n\n{facts}\n\n${WHY}\n\n{special_circumstances}\n\n${closing}\n\nSincerely,\n\n{signature}`;
const email = (closing: string) =>
  `Dear caregiver of {student_name},\n\n{facts}\n\n${WHY}\n\n{special_circumstances}\n\n${closing}\n\nSincerely,\n{signature}`;

/** English templates (US). */
export const ENGLISH: LanguageTemplates = {
  language: 'en',
  subjectLabel: 'Subject',
  facts: {
    initial: '{student_name} has missed {days_missed} of school this year (since {period_start}).',
    recurring: '{student_name} missed {days_missed} of school between {period_start} and {period_end}.',
    thank_you: '{student_name} {absence_phrase} since {period_start}.',
  },
  followUp: {
    initial: 'Goal for the next month: miss no more than {goal}.',
    recurring: 'Over the same weeks, students {average_where} missed {average} on average.',
    thank_you: '',
  },
  templates: {
    initial: {
      text: { body: '{school_name}: {facts} Every day counts. {special_circumstances} Questions or need help? Call {school_phone}.' },
      email: { subject: 'Attendance update for {student_name}', body: email(`${HELP} You can also reply to this email.`) },
      letter: { body: letter(HELP) },
      robocall: {
        body: 'Hello. This is a message from {school_name} for the family of {student_name}. {facts} Every day of school counts, and missed days add up fast. {special_circumstances} If anything is making it hard to get to school, we want to help. Please call us at {school_phone}. Again, our number is {school_phone}. Thank you, and goodbye.',
      },
    },
    recurring: {
      text: { body: '{school_name}: {facts} Every day counts. {special_circumstances} Questions or need help? Call {school_phone}.' },
      email: { subject: 'Attendance update for {student_name}', body: email(`${HELP} You can also reply to this email.`) },
      letter: { body: letter(HELP) },
      robocall: {
        body: 'Hello. This is a message from {school_name} for the family of {student_name}. {facts} Every day of school counts: students who come every day learn more. {special_circumstances} If anything is making it hard to get to school, we want to help. Please call us at {school_phone}. Again, our number is {school_phone}. Thank you, and goodbye.',
      },
    },
    thank_you: {
      text: {
        body: '{school_name}: Thank you! {facts} Every day in school makes a difference. Keep it up! {special_circumstances} Questions? Call {school_phone}.',
      },
      email: {
        subject: 'Thank you from {school_name}',
        body: 'Dear caregiver of {student_name},\n\nThank you! {facts}\n\nBeing in school every day makes a real difference in how much students learn. Please keep it up!\n\n{special_circumstances}\n\nIf you ever have questions or need help, call us at {school_phone} or reply to this email.\n\nSincerely,\n{signature}',
      },
      letter: {
        body: '{date}\n\nDear caregiver of {student_name},\n\nThank you! {facts}\n\nBeing in school every day makes a real difference in how much students learn. Please keep it up!\n\n{special_circumstances}\n\nIf you ever have questions or need help, call us at {school_phone}.\n\nSincerely,\n\n{signature}',
      },
      robocall: {
        body: 'Hello. This is a message from {school_name} for the family of {student_name}. Thank you! {facts} Being in school every day makes a real difference. Please keep it up. {special_circumstances} If you ever need help, call us at {school_phone}. Again, our number is {school_phone}. Thank you, and goodbye.',
      },
    },
  },
  specialCircumstances: {
    full: 'Of course, a child with a fever or something contagious should stay home; please let us know when that happens.',
    short: 'If your child is sick, keep them home and let us know.',
  },
  days,
  absencePhrase: (n) => (n === 0 ? 'has not missed a single day of school' : `has missed only ${days(n)} of school`),
  shortDate: f.shortDate,
  longDate: f.longDate,
  list: f.list,
  averageWhere: (name, level) => (level === 'school' ? `at ${name}` : `in ${name}`),
};
