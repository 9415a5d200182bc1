/**
 * Message lists for the treatment arm and their send schedule: the public API of
 * `src/messages`, re-exported by name from the package index.
 */

// Building a message list: read, build (pure), write
export type { MessageList, MessageListEnd, MessageListInput, MessageListOptions, MessageRow, SkippedStudent, SkipReason } from './build-message-list.js';
export { buildMessageList, MESSAGE_COLUMNS, renderMessageList, SKIPPED_COLUMNS, SKIP_REASONS } from './build-message-list.js';
export type { MessageListFiles } from './write-message-list.js';
export { buildAndWriteMessageList, formatMessagesCsv, formatSkippedCsv, skippedPathFor, writeMessageList } from './write-message-list.js';
export type { CountedMessageList, MessageCounts } from './count-messages.js';
export { formatMessageSummary, summarizeMessageList } from './format-message-summary.js';
export type { MessageListKind, MessageWindowOptions } from './message-window.js';
export { messageWindow } from './message-window.js';

// Pieces
export type { GoalOptions } from './compute-goal-days.js';
export { computeGoalDays } from './compute-goal-days.js';
export { countUpcomingDays } from './count-upcoming-days.js';
export type { SharedContact } from './find-shared-contacts.js';
export { findSharedContacts } from './find-shared-contacts.js';
export type { SmsCount, SmsEncoding } from './sms-segments.js';
export { countSmsSegments, SMS_SEGMENT_WARNING } from './sms-segments.js';
export type { PlaceholderValues } from './render-template.js';
export { findPlaceholders, PLACEHOLDERS, renderTemplate, unknownPlaceholders } from './render-template.js';

// Templates and settings
export type { LanguageTemplates, MessageTemplate, TemplateKind } from './templates/index.js';
export { BUILT_IN_LANGUAGES, ENGLISH, SPANISH, TEMPLATE_KINDS } from './templates/index.js';
export type { CustomTemplate, MessageSettings, SchoolSettings } from './read-message-settings.js';
export { parseMessageSettings, readMessageSettings, settingsForSchool } from './read-message-settings.js';

// Send schedule
export type { SendDate, SendSchedule, SendScheduleOptions } from './plan-send-dates.js';
export { formatScheduleCsv, planSendDates } from './plan-send-dates.js';
