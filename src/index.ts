/**
 * attendance-pilot's public API, grouped by capability. Notebooks and scripts import
 * from here only; the CLI is a thin layer over the same functions.
 */

// Vocabulary, errors, randomness
export type { Assignment, AttendanceStatus, CalendarDay, DailyRecord, DateWindow, Grade, MessageMode, PeriodTotal, RosterStudent, StudentWindowTotals } from './types.js';
export { GRADES, MESSAGE_MODES } from './types.js';
export type { Issue, Validation } from './errors.js';
export { PilotError, UsageError, ValidationError, formatIssue } from './errors.js';
export type { Rng } from './random.js';
export { createRng, deriveRng, generateSeed, randomNegBinomial, shuffled } from './random.js';
export { VERSION } from './version.js';

// Reading and writing files
export type { CsvSource, CsvTable } from './io/read-csv.js';
export { readCsv, streamCsv } from './io/read-csv.js';
export { formatCsv, formatCsvObjects, neutralizeCell } from './io/write-csv.js';
export { writeFileAtomically, writeFilesAtomically, PRIVATE_MODE } from './io/write-atomic.js';
export { sha256, sha256File } from './io/hash.js';

// Data layer
export { normalizeGrade, gradeIndex } from './data/normalize-grade.js';
export type { Roster } from './data/read-roster.js';
export { readRoster, validateRoster, ROSTER_COLUMNS } from './data/read-roster.js';
export type { RosterFormat, RosterRead } from './data/read-roster-source.js';
export { readRosterSource, validateRosterSource, isOneRosterSource } from './data/read-roster-source.js';
export type { InputFiles, InputValidation } from './study/validate-input-files.js';
export { validateInputFiles } from './study/validate-input-files.js';
export { readAssignments } from './data/read-assignments.js';
export { SchoolCalendar, readCalendar } from './data/read-calendar.js';
export type { WindowTotals, WindowTotalsResult } from './data/read-window-totals.js';
export { readWindowTotals } from './data/read-window-totals.js';
export { normalizeStatus } from './data/attendance-status.js';
export { rosterTable, assignmentsTable, calendarTable, windowTotalsTable, modelTableTable } from './data/as-tables.js';
export { readModelTable } from './data/read-model-table.js';
export { formatModelTableCsv } from './data/format-model-table-csv.js';
export { MODEL_TABLE_COLUMNS } from './data/model-table.js';
export type { ModelTable, ModelTableRow } from './data/model-table.js';

// Assignment
export type { AssignmentDesign, BlockVariable } from './assignment/design.js';
export { normalizeDesign, blockOf, treatmentProbability } from './assignment/design.js';
export type { Household } from './assignment/households.js';
export { groupHouseholds } from './assignment/households.js';
export { armCounts } from './assignment/arm-counts.js';
export type { AssignmentRun, BlockCount } from './assignment/assign-blocked.js';
export { assignBlocked, assignHouseholds } from './assignment/assign-blocked.js';
export { addLateEnrollees } from './assignment/add-late-enrollees.js';
export type { BalanceRow } from './assignment/balance.js';
export { computeBalance, standardizedMeanDifference } from './assignment/balance.js';
export type { AssignmentManifest } from './assignment/manifest.js';
export { readVerifiedAssignments, manifestPathFor } from './assignment/assignment-files.js';
export { planInitialAssignment, planLateAssignment } from './assignment/plan-assignment.js';

// Simulation
export { simulateRoster } from './simulate/simulate-roster.js';
export { simulateCalendar } from './simulate/simulate-calendar.js';
export { simulateAttendance } from './simulate/simulate-attendance.js';
export { simulateModelTable } from './simulate/simulate-model-table.js';

// A study's files read together: the model table for an outcome window
export type { StudyFiles, StudyData } from './study/read-study-data.js';
export { readStudyData, readModelTableFromStudy } from './study/read-study-data.js';
export type { MessageInputOptions, MessageInputPaths } from './study/read-message-inputs.js';
export { readMessageInputs } from './study/read-message-inputs.js';

// The effect engine, message lists and reports: each capability's own index
export * from './analysis/index.js';
export * from './messages/index.js';
export * from './report/index.js';
