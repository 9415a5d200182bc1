import type { MessageMode } from '../../types.js';

/** Which message a student gets: 2+ absences (first message or a later one), or 0-1. */
export type TemplateKind = 'initial' | 'recurring' | 'thank_you';
export const TEMPLATE_KINDS: readonly TemplateKind[] = ['initial', 'recurring', 'thank_you'];

/** One template: the body, and for email a subject line. Both may use placeholders. */
export interface MessageTemplate {
  readonly body: string;
  readonly subject?: string;
}

/**
 * Everything one language needs: per kind the sentence(s) about one student (`facts`)
 * and a template per mode that places them; the special-circumstances line; and how to
 * write numbers, days, dates and lists in that language.
 */
export interface LanguageTemplates {
  readonly language: string;
  /** Emails go out as `Subject: ...` then the body, since messages.csv has one message column. */
  readonly subjectLabel: string;
  readonly facts: Readonly<Record<TemplateKind, string>>;
  /** Said once after the facts (a household hears a shared goal or average once): the goal, the average. */
  readonly followUp: Readonly<Record<TemplateKind, string>>;
  readonly templates: Readonly<Record<TemplateKind, Readonly<Record<MessageMode, MessageTemplate>>>>;
  /** The optional special-circumstances line: in full, and short for texts. */
  readonly specialCircumstances: { readonly full: string; readonly short: string };
  /** "3 days", "1 day", "2.5 days". */
  readonly days: (n: number) => string;
  /** For 0 or 1 absence: "has not missed a single day of school". */
  readonly absencePhrase: (n: number) => string;
  /** "August 18". */
  readonly shortDate: (iso: string) => string;
  /** "August 18, 2025". */
  readonly longDate: (iso: string) => string;
  /** "Ana, Luis and Iris". */
  readonly list: (items: readonly string[]) => string;
  /** Where a comparison average comes from: "at Elm Elementary". */
  readonly averageWhere: (name: string, level: 'school' | 'district') => string;
}

/** Number, date and list formatting from the runtime's ICU data for `locale`. */
export function localeFormatters(locale: string) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const short = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' });
  const long = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  const list = new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' });
  // A list repeats the same few dates and numbers thousands of times: format each once.
  const cached = <K>(format: (key: K) => string) => {
    const seen = new Map<K, string>();
    return (key: K) => {
      let text = seen.get(key);
      if (text === undefined) seen.set(key, (text = format(key)));
      return text;
    };
  };
  return {
    number: cached((n: number) => number.format(n)),
    shortDate: cached((iso: string) => short.format(new Date(`${iso}T00:00:00Z`))),
    longDate: cached((iso: string) => long.format(new Date(`${iso}T00:00:00Z`))),
    list: (items: readonly string[]) => list.format(items),
  };
}
