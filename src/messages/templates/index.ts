import { ENGLISH } from './english.js';
import type { LanguageTemplates } from './language-templates.js';
import { SPANISH } from './spanish.js';

export { ENGLISH } from './english.js';
export type { LanguageTemplates, MessageTemplate, TemplateKind } from './language-templates.js';
export { TEMPLATE_KINDS } from './language-templates.js';
export { SPANISH } from './spanish.js';

/** Built-in templates by primary language subtag. */
export const BUILT_IN_LANGUAGES: Readonly<Record<string, LanguageTemplates>> = { en: ENGLISH, es: SPANISH };
