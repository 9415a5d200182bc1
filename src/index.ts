/**
 * attendance-pilot's public API: every name is listed here, by hand, grouped by
 * capability in the order of the layers (docs/library.md). Notebooks and scripts import
 * from here only; the CLI is a thin layer over the same functions. A test snapshots this
 * list (test/api/public-api.txt), so adding or removing a name is a visible decision.
 */

export type {
  AnalysisPlanFollowed,
  AnalysisResult,
  ArmsInEffect,
  Certainty,
  CertaintyMcError,
  ChronicAbsence,
  CostEffectiveness,
  CostRatio,
  CostsGivenTo,
  DaysAvoided,
  Decision,
  DecisionRule,
  DeliveredEffect,
  Diagnostics,
  DistrictEffect,
  DoseBin,
  ModelDescription,
  ParameterDiagnostics,
  PlanDeviation,
  PosteriorSummary,
  SubgroupDiagnostics,
  SubgroupFactorEffects,
  SubgroupLevelEffect,
  SubgroupsResult,
} from './analysis/analysis-result.js';
export type { AbsenceParameters, ChronicAbsenceDraws } from './analysis/chronic-absence.js';
export {
  CHRONIC_SHARE_OF_DAYS,
  chronicDays,
  computeChronicAbsence,
  expectedChronicShares,
  negBinomialAtLeast,
} from './analysis/chronic-absence.js';
export type { DeliveredCount } from './analysis/complier-effect.js';
export { computeDeliveredEffect, DELIVERED_EFFECT_ASSUMPTIONS, doseBins } from './analysis/complier-effect.js';
export { computeCosts, costRatio } from './analysis/costs.js';
export type { Effort } from './analysis/decide-effect.js';
export { DECISION_RULES, decideEffect } from './analysis/decide-effect.js';
export { FIT_CHECKS } from './analysis/diagnose-fit.js';
export type { ChainDraws } from './analysis/diagnostics/chain-draws.js';
export type { Convergence } from './analysis/diagnostics/convergence.js';
export { computeConvergence } from './analysis/diagnostics/convergence.js';
export { computeEbfmi } from './analysis/diagnostics/ebfmi.js';
export { computeEssBasic, computeEssBulk, computeEssQuantile, computeEssTail } from './analysis/diagnostics/ess.js';
// As R's posterior package computes them (Vehtari et al. 2021).
export { computeRhat, computeRhatBasic } from './analysis/diagnostics/rhat.js';
// Analysis: estimating the effect
export type { EffectEstimate, EstimateEffectOptions, FitProgress } from './analysis/estimate-effect.js';
export { estimateEffect, estimateEffectWithDraws } from './analysis/estimate-effect.js';
export { estimateEffectLaplace } from './analysis/estimate-effect-laplace.js';
export { formatDrawsCsv } from './analysis/format-draws-csv.js';
export type { AbsenceLogDensity } from './analysis/model/absence-log-density.js';
export { createAbsenceLogDensity } from './analysis/model/absence-log-density.js';
export type { AbsenceModelData, DistrictShift, HouseholdData, TermShift } from './analysis/model/absence-model-data.js';
export type { EffectPrior } from './analysis/model/effect-prior.js';
export { DEFAULT_EFFECT_PRIOR } from './analysis/model/effect-prior.js';
export type { HouseholdEffectOption, HouseholdTermDraws } from './analysis/model/household-effect.js';
export { AUTO_SHARED_HOUSEHOLDS, cellHouseholdTerms, chooseHouseholdEffect } from './analysis/model/household-effect.js';
export type { ParameterLayout } from './analysis/model/parameter-layout.js';
// Analysis: the model, the sampler (usable on any log density) and its diagnostics
export type { AbsenceModel, AbsenceModelInfo, PrepareAbsenceModelOptions } from './analysis/model/prepare-absence-model.js';
export { prepareAbsenceModel } from './analysis/model/prepare-absence-model.js';
export { certaintyMcError, computeCertaintyMcError, mcErrorOfShare } from './analysis/monte-carlo-error.js';
export type { PosteriorDraws } from './analysis/posterior-draws.js';
export type { LogDensity } from './analysis/sampler/log-density.js';
export type { ChainEnd, ChainOptions, ChainOutput, ChainProgress } from './analysis/sampler/sample-chain.js';
export { chainEndOf, DEFAULT_CHAIN_OPTIONS, sampleChain } from './analysis/sampler/sample-chain.js';
// Analysis: effects by subgroup (pilot analyze --subgroups)
export type { AnalyzeSubgroupsOptions } from './analysis/subgroup-analysis.js';
export { analyzeSubgroups } from './analysis/subgroup-analysis.js';
export type { SubgroupEffectOptions, SubgroupEstimate } from './analysis/subgroup-effects.js';
export { estimateSubgroupEffects } from './analysis/subgroup-effects.js';
export type { SubgroupFactor } from './analysis/subgroup-levels.js';
export { DEFINED_SUBGROUP_FACTORS, gradeBandOf, priorTierOf, subgroupFactorsOf } from './analysis/subgroup-levels.js';
export { computeCertainty, summarizeDraws } from './analysis/summarize-draws.js';
export type { AssignmentRun, BlockCount } from './assignment/assign-blocked.js';
// Assignment: assignStudy does what `pilot assign` does
export type { AssignStudyOptions, ExistingAssignment, StudyAssignment } from './assignment/assign-study.js';
export { assignStudy } from './assignment/assign-study.js';
export { readVerifiedAssignments } from './assignment/assignment-files.js';
export type { BalanceRow } from './assignment/balance.js';
export { computeBalance } from './assignment/balance.js';
// pilot assign --continue-from: a second year continues the first, and the manifests are chained
export type { ContinuedRun, PreviousYear } from './assignment/continue-assignment.js';
export { continueAssignment, newcomerTargets } from './assignment/continue-assignment.js';
export type { AssignmentDesign, BlockVariable, DesignOptions } from './assignment/design.js';
export { normalizeDesign } from './assignment/design.js';
// pilot assign --import: an assignment made elsewhere, checked and written as a study
export type { ImportAssignmentsOptions, ImportedAssignment } from './assignment/import-assignments.js';
export { importAssignments } from './assignment/import-assignments.js';
export type {
  AssignmentManifest,
  ContinuedFrom,
  ImportedAssignmentRecord,
  LockedAnalysisPlan,
  ManifestRun,
  SimulatedOutcomes,
} from './assignment/manifest.js';
export { ASSIGNMENT_STREAM_VERSION } from './assignment/manifest.js';
export type { ChainLink, VerifiedLink } from './assignment/read-assignment-chain.js';
export { readPreviousYear, verifyAssignmentChain } from './assignment/read-assignment-chain.js';
export type { AnalysisPlan, HouseholdEffectSetting } from './data/analysis-plan.js';
export { ANALYSIS_PLAN_FILE, analysisPlanProblems, formatAnalysisPlan, HOUSEHOLD_EFFECT_SETTINGS } from './data/analysis-plan.js';
export { assignmentsTable, calendarTable, modelTableTable, rosterTable, windowTotalsTable } from './data/as-tables.js';
export type { AttendanceMapping } from './data/attendance-mapping.js';
export { ED_FI_ATTENDANCE_MAPPING } from './data/attendance-mapping.js';
export type { StatusRead } from './data/attendance-status.js';
export { readStatus } from './data/attendance-status.js';
export type { ColumnMapping, MappingShape } from './data/column-mapping.js';
export { formatModelTableCsv } from './data/format-model-table-csv.js';
export type { ModelTable, ModelTableRow } from './data/model-table.js';
export { MODEL_TABLE_COLUMNS } from './data/model-table.js';
export type { ClassifiedGrade } from './data/normalize-grade.js';
export { classifyGrade, normalizeGrade, STANDARD_GRADE_CODES } from './data/normalize-grade.js';
export { readAnalysisPlan } from './data/read-analysis-plan.js';
export { readAssignments } from './data/read-assignments.js';
export type { SchoolCalendar } from './data/read-calendar.js';
export { readCalendar } from './data/read-calendar.js';
export type { MessageVolume, StudyCosts } from './data/read-costs.js';
export { parseCosts, readCosts } from './data/read-costs.js';
export type { StudentDelivered } from './data/read-delivered-per-student.js';
export { DELIVERED_PER_STUDENT_COLUMNS, readDeliveredPerStudent } from './data/read-delivered-per-student.js';
export type { ArmLabels } from './data/read-imported-assignments.js';
export type { MappingFile } from './data/read-mapping-file.js';
export { parseMappingFile, readMappingFile } from './data/read-mapping-file.js';
export { readModelTable } from './data/read-model-table.js';
export type { OneRosterOptions } from './data/read-oneroster.js';
export type { LeftOutReason, LeftOutStudent } from './data/read-oneroster-tables.js';
// Data: readers and the tables they make
export type { Roster, RosterRules } from './data/read-roster.js';
export { ROSTER_COLUMNS, readRoster } from './data/read-roster.js';
export type { RosterFormat, RosterRead, RosterSourceOptions, SeenRosterFormat } from './data/read-roster-source.js';
export { readRosterSource, validateRosterSource } from './data/read-roster-source.js';
export type { DeliveryStatus, SendLogOptions, SendLogRow } from './data/read-send-log.js';
export { DELIVERY_STATUSES, formatSendLogCsv, readSendLog, SEND_LOG_COLUMNS } from './data/read-send-log.js';
export type { WindowTotals, WindowTotalsOptions, WindowTotalsResult } from './data/read-window-totals.js';
export { readWindowTotals } from './data/read-window-totals.js';
export type { Issue, Validation } from './errors.js';
export { formatIssue, PilotError, UsageError, ValidationError } from './errors.js';
export { sha256, sha256File } from './io/hash.js';
// Files: CSV and hashing
export type { CsvSource, CsvTable } from './io/read-csv.js';
export { readCsv } from './io/read-csv.js';
export type { CsvCell } from './io/write-csv.js';
export { formatCsv, formatCsvObjects } from './io/write-csv.js';
// Messages: lists for the treatment arm's caregivers, and their send dates
export type {
  MessageList,
  MessageListEnd,
  MessageListInput,
  MessageListOptions,
  MessageRow,
  SkippedStudent,
  SkipReason,
} from './messages/build-message-list.js';
export { buildMessageList, MESSAGE_COLUMNS, renderMessageList, SKIP_REASONS, SKIPPED_COLUMNS } from './messages/build-message-list.js';
export type { GoalOptions } from './messages/compute-goal-days.js';
export { computeGoalDays } from './messages/compute-goal-days.js';
export type { DeliveryCounts, DeliveryDimension, DeliveryGroup, DeliveryStudent, StudentDeliveries } from './messages/count-deliveries.js';
export { countDeliveries, DELIVERY_DIMENSIONS } from './messages/count-deliveries.js';
export type { CountedMessageList, MessageCounts } from './messages/count-messages.js';
export { countUpcomingDays } from './messages/count-upcoming-days.js';
export type { SharedContact } from './messages/find-shared-contacts.js';
export { findSharedContacts } from './messages/find-shared-contacts.js';
export { formatMessageSummary, summarizeMessageList } from './messages/format-message-summary.js';
export type { MessageListKind, MessageWindowOptions } from './messages/message-window.js';
export { messageWindow } from './messages/message-window.js';
export type { SendDate, SendSchedule, SendScheduleOptions } from './messages/plan-send-dates.js';
export { formatScheduleCsv, planSendDates } from './messages/plan-send-dates.js';
export type { CustomTemplate, MessageSettings, SchoolSettings } from './messages/read-message-settings.js';
export { parseMessageSettings, readMessageSettings, settingsForSchool } from './messages/read-message-settings.js';
export type { PlaceholderValues } from './messages/render-template.js';
export { findPlaceholders, PLACEHOLDERS, renderTemplate, unknownPlaceholders } from './messages/render-template.js';
export type { SmsCount, SmsEncoding } from './messages/sms-segments.js';
export { countSmsSegments, SMS_SEGMENT_WARNING } from './messages/sms-segments.js';
export type { LanguageTemplates, MessageTemplate, TemplateKind } from './messages/templates/index.js';
export { BUILT_IN_LANGUAGES, ENGLISH, SPANISH, TEMPLATE_KINDS } from './messages/templates/index.js';
export type { MessageListFiles } from './messages/write-message-list.js';
export { buildAndWriteMessageList, formatMessagesCsv, formatSkippedCsv, writeMessageList } from './messages/write-message-list.js';
export { buildPlanChart } from './planning/build-plan-chart.js';
export type { PlanCheck } from './planning/check-plan-approximation.js';
export { formatPlanCsv } from './planning/format-plan-csv.js';
export type { PlanAssumptions } from './planning/plan-assumptions.js';
export { DEFAULT_PLAN_ASSUMPTIONS } from './planning/plan-assumptions.js';
// Planning: the chance a planned study ends "working", by true effect (power, assurance)
export type { PlanDesign, PlanStudent } from './planning/plan-design.js';
export { buildPlanDesign } from './planning/plan-design.js';
export type { RosterPlanOptions } from './planning/plan-design-from-roster.js';
export { planDesignFromRoster } from './planning/plan-design-from-roster.js';
export type { SizesPlanOptions } from './planning/plan-design-from-sizes.js';
export { planDesignFromSizes } from './planning/plan-design-from-sizes.js';
export type { PlanResult, PlanRow, PlanStudyOptions } from './planning/plan-study.js';
export { DEFAULT_PLAN_EFFECTS, planStudy, smallestEffect } from './planning/plan-study.js';
export { renderPlanHtml } from './planning/render-plan-html.js';
export type { ChartRenderer } from './planning/write-plan-files.js';
export { writePlanFiles } from './planning/write-plan-files.js';
export type { Rng } from './random.js';
export { createRng, deriveRng, randomNegBinomial } from './random.js';
export type { ReportAnalysisPlan } from './report/analysis-plan-section.js';
export { buildAnalysisPlanSection, formatPlanValue } from './report/analysis-plan-section.js';
export type { AttendanceTier } from './report/attendance-tier.js';
export { ATTENDANCE_TIERS, attendanceTier, MERGED_ATTENDANCE_TIERS } from './report/attendance-tier.js';
export type { ReportChartName } from './report/build-report-charts.js';
export { buildReportCharts, REPORT_CHARTS } from './report/build-report-charts.js';
// Reports: figures (pure), charts (Vega-Lite specs), rendering (strings), writing
export type { ReportInputs, ReportScope } from './report/build-report-data.js';
export {
  adviseNextYear,
  buildReportData,
  countChanceLeanings,
  describeArmsInEffect,
  LEANING_WORDS,
  leaningOf,
  SMALL_STUDY_STUDENTS,
  withEffort,
  writeHeadline,
} from './report/build-report-data.js';
export { buildAbsenceDistributionChart } from './report/charts/build-absence-distribution-chart.js';
export { buildAbsenceRateChart } from './report/charts/build-absence-rate-chart.js';
export { buildAttendanceTiersChart } from './report/charts/build-attendance-tiers-chart.js';
export { buildDistrictForestChart } from './report/charts/build-district-forest-chart.js';
export type { PosteriorChartOptions } from './report/charts/build-posterior-chart.js';
export { buildPosteriorChart } from './report/charts/build-posterior-chart.js';
export type { ChartLayout } from './report/charts/chart-theme.js';
export { checkReportInputs } from './report/check-report-inputs.js';
export type { ReportChronicAbsence, TierTransitions } from './report/chronic-absence-section.js';
export { countTierTransitions, describeChronicAbsence } from './report/chronic-absence-section.js';
export type { PublishedArm, PublishedDeliveredEffect, ReportCosts, ReportDeliveredEffect } from './report/delivered-effect-section.js';
export { describeCosts, describeDeliveredEffect } from './report/delivered-effect-section.js';
export type { EffectDensity } from './report/effect-density.js';
export { densityFromDraws, densityFromSummary } from './report/effect-density.js';
export { effectDrawsFrom } from './report/effect-draws.js';
export { formatCertainty, formatCount, formatPercent } from './report/format-figures.js';
export type { PrepareReportOptions, ReportSource } from './report/prepare-report-inputs.js';
export { prepareReportInputs } from './report/prepare-report-inputs.js';
export { rawAbsenceRates } from './report/raw-absence-rates.js';
export { readAnalysisResult } from './report/read-analysis-result.js';
export { readEffectDraws } from './report/read-effect-draws.js';
export type { ReportStudyFiles, ReportStudyRead } from './report/read-report-study.js';
export { readReportStudy } from './report/read-report-study.js';
export type { DeliveriesJson, DeliveryFiles, RecordDeliveriesOptions } from './report/record-deliveries.js';
export { recordDeliveries } from './report/record-deliveries.js';
export { renderChartSvg } from './report/render-chart-svg.js';
export type { ReportFile } from './report/render-report-files.js';
export { renderReportFiles } from './report/render-report-files.js';
export { renderReportHtml } from './report/render-report-html.js';
export type { ReportCostsOptions } from './report/report-costs.js';
export { withReportCosts } from './report/report-costs.js';
export type { ChanceLeanings, ForestRow, Leaning, ReportData, ReportEffect, ScopedDaysAvoided } from './report/report-data.js';
export { monthlyPeriods, reportPeriods, weeklyPeriods } from './report/report-periods.js';
export type { DayTotals, ReportStudy, StudyPeriod, StudyStudent } from './report/report-study.js';
export type { SubgroupRow, SubgroupSection } from './report/subgroup-section.js';
export type { DeliveryRate, DeliverySummary } from './report/summarize-deliveries.js';
export { formatDeliveryRatesCsv, formatDeliverySummary, summarizeDeliveries } from './report/summarize-deliveries.js';
export type {
  ArmCount,
  AttritionTable,
  BalanceLine,
  CategoryByArm,
  CountsByArmAndDistrict,
  RateOverTime,
} from './report/summarize-study.js';
export {
  absenceRateOverTime,
  analyzedByArmAndDistrict,
  binAbsences,
  countAttendanceTiers,
  countStudentsByArmAndDistrict,
  summarizeAttrition,
  suppressBalance,
} from './report/summarize-study.js';
export type { CountTable, MergedRows, PublishedCount, SuppressedTable } from './report/suppress-small-cells.js';
export { mergeSmallTailRows, SUPPRESSION_THRESHOLD, suppressSmallCells } from './report/suppress-small-cells.js';
export type { WriteReportOptions, WrittenReport } from './report/write-report.js';
export { writeReport } from './report/write-report.js';
export { checkChromium, renderReportPdfs, writeReportPdf } from './report/write-report-pdf.js';
export type { SendLogLayout, VendorSendLog } from './simulate/format-vendor-send-log.js';
export { formatSendLogAs, SEND_LOG_LAYOUTS } from './simulate/format-vendor-send-log.js';
export type { AbsenceRealism, SimulatedRealisticTable, SimulateRealisticTableOptions } from './simulate/realistic-absences.js';
export { REALISTIC_ABSENCES, simulateRealisticModelTable } from './simulate/realistic-absences.js';
export type { SimulateAttendanceOptions, SimulatedRecord } from './simulate/simulate-attendance.js';
export { simulateAttendance } from './simulate/simulate-attendance.js';
export { simulateCalendar } from './simulate/simulate-calendar.js';
export type { DayRange, SimulatedDistrict, SimulatedModelTable, SimulateModelTableOptions } from './simulate/simulate-model-table.js';
export { simulateModelTable } from './simulate/simulate-model-table.js';
// Simulation: synthetic districts with a known true effect
export type { SimulateRosterOptions } from './simulate/simulate-roster.js';
export { simulateRoster } from './simulate/simulate-roster.js';
export type { SendLogStudent, SimulatedSendLog, SimulateSendLogOptions } from './simulate/simulate-send-log.js';
export { DEFAULT_REACHABLE, simulateSendLog } from './simulate/simulate-send-log.js';
export type { SimulatedRosterFile } from './simulate/write-simulated-roster.js';
export { writeSimulatedRoster } from './simulate/write-simulated-roster.js';
export type { AnalyzeStudyOptions, ModelTableSource, StudyAnalysis, StudyFilesSource } from './study/analyze-study.js';
export { analyzeStudy } from './study/analyze-study.js';
export { armsEffectiveDate } from './study/arms-effective-date.js';
// When the arms took effect: outcomes from before it are refused
export type { ArmsInEffectFiles } from './study/check-arms-in-effect.js';
export { checkArmsInEffect } from './study/check-arms-in-effect.js';
export type { AnalysisChoices, PlanField, StudyPlan } from './study/follow-analysis-plan.js';
export { followAnalysisPlan, followPlanInReport, lockedBefore, PLAN_FIELDS, readStudyPlan } from './study/follow-analysis-plan.js';
export type { AnalysisPlanOptions, LockAnalysisPlanOptions } from './study/lock-analysis-plan.js';
export { buildAnalysisPlan, lockAnalysisPlan } from './study/lock-analysis-plan.js';
export type { MessageInputOptions, MessageInputPaths } from './study/read-message-inputs.js';
export { readMessageInputs } from './study/read-message-inputs.js';
// A study: its files read and checked together
export type { StudyData, StudyFiles } from './study/read-study-data.js';
export { readModelTableFromStudy, readStudyData } from './study/read-study-data.js';
export { recordSimulatedOutcomes } from './study/record-simulated-outcomes.js';
export type { SimulatedStudyDeliveries, SimulateStudyDeliveriesOptions } from './study/simulate-study-deliveries.js';
export { simulateStudyDeliveries } from './study/simulate-study-deliveries.js';
export type { SimulatedStudyOutcomes, SimulateStudyOutcomesOptions } from './study/simulate-study-outcomes.js';
export { simulateStudyOutcomes } from './study/simulate-study-outcomes.js';
export type { FileCheck, InputFiles, InputValidation } from './study/validate-input-files.js';
export { validateInputFiles } from './study/validate-input-files.js';
// Vocabulary, errors, randomness
export type {
  Assignment,
  AttendanceStatus,
  CalendarDay,
  DailyRecord,
  DateWindow,
  Grade,
  MessageMode,
  PeriodTotal,
  RosterStudent,
  StudentWindowTotals,
} from './types.js';
export { GRADES, MESSAGE_MODES } from './types.js';
export { VERSION } from './version.js';
