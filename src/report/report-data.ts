import type { ArmsInEffect, Certainty, DaysAvoided, Decision, Diagnostics, PosteriorSummary } from '../analysis/analysis-result.js';
import type { DateWindow } from '../types.js';
import type { ReportAnalysisPlan } from './analysis-plan-section.js';
import type { ReportChronicAbsence } from './chronic-absence-section.js';
import type { ReportCosts, ReportDeliveredEffect } from './delivered-effect-section.js';
import type { EffectDensity } from './effect-density.js';
import type { SubgroupSection } from './subgroup-section.js';
import type { AttritionTable, BalanceLine, CategoryByArm, CountsByArmAndDistrict, RateOverTime } from './summarize-study.js';
import type { PublishedCount } from './suppress-small-cells.js';

/** An effect estimate as a report states it. */
export interface ReportEffect {
  readonly estimate: PosteriorSummary;
  readonly certainty: Certainty;
  /** Monte Carlo error of each certainty, when the analysis recorded it. */
  readonly certainty_mc_error?: Certainty;
}

/** One district in the forest plot; `estimate` is null when the district is too small to show. */
export interface ForestRow {
  readonly district: string;
  readonly name: string;
  readonly estimate: PosteriorSummary | null;
  readonly certainty: Certainty | null;
  readonly certainty_mc_error?: Certainty | null;
  /** Which way the district's own evidence leans (null when its estimate is not shown). */
  readonly leaning: Leaning | null;
}

/**
 * Which way one district's evidence leans, judged by the low-effort rule's line: `fewer`
 * when we are at least 80% certain absences went down, `more` when at least 80% certain
 * they went up, else `neither`. A leaning is evidence, not a decision of its own.
 */
export type Leaning = 'fewer' | 'more' | 'neither';

/** How many districts would lean toward fewer absences by chance alone, were there no effect at all. */
export interface ChanceLeanings {
  /** Districts whose own estimate is shown. */
  readonly districts: number;
  /** Of them, those that lean toward fewer absences. */
  readonly leaning_fewer: number;
  /** The certainty a district needs to lean (the low-effort rule's 0.80). */
  readonly min_certainty: number;
  /** The chance each district has of leaning toward fewer absences with no effect at all: about 1 - min_certainty. */
  readonly chance_each: number;
  /** `districts x chance_each`: how many would lean by chance alone. */
  readonly expected_by_chance: number;
  readonly statement: string;
}

/** Days avoided as a report shows it, with whose figure it is. */
export type ScopedDaysAvoided = {
  /** `district`: this district's own treated students, from its own estimate; `network`: every treated student in the network; `study`: a one-district study's. */
  readonly scope: 'network' | 'study' | 'district';
  readonly district?: string;
} & DaysAvoided;

/**
 * Everything a report shows, as `report.json` holds it: every figure of `report.html`
 * comes from here, and nothing in here names or identifies a student.
 */
export interface ReportData {
  readonly format: 'attendance-pilot-report/1';
  readonly scope: {
    /** `network`: the pooled report of several districts; `district`: one district of a network; `study`: a one-district study. */
    readonly kind: 'network' | 'district' | 'study';
    readonly district?: string;
    readonly name: string;
    readonly districts: number;
  };
  readonly title: string;
  readonly headline: string;
  /** Things the reader must know before trusting the figures (flagged fit, approximation). */
  readonly cautions: readonly string[];
  readonly effect: ReportEffect & { readonly partially_pooled: boolean };
  /** In a district report, the pooled network effect shown beside the district's own. */
  readonly network_effect?: ReportEffect;
  /**
   * The study's decision: the network's (or a one-district study's), the one the study was
   * designed for; a district report carries it too and words its own result as a leaning.
   */
  readonly decision: Decision & { readonly basis: 'network' | 'study'; readonly summary: string; readonly next_year: string };
  /** In a district report whose own estimate is shown: which way its evidence leans, in words. */
  readonly district_evidence?: {
    readonly district: string;
    readonly leaning: Leaning;
    readonly certainty: number;
    readonly certainty_mc_error?: number;
    readonly statement: string;
  };
  /** In network and district reports: how many district leanings chance alone would give. */
  readonly chance: ChanceLeanings | null;
  /** The report's own days avoided: a district report's are the district's (or, when too small to show, the network's, labelled so). */
  readonly days_avoided: ScopedDaysAvoided;
  /** In a district report, the network's days avoided beside the district's own. */
  readonly network_days_avoided?: ScopedDaysAvoided;
  /** Chronic absence with and without the messages (the analysis's), and last year's tier by this year's, by arm (suppressed). */
  readonly chronic_absence: ReportChronicAbsence;
  /** With `pilot analyze --deliveries`: the effect for students whose caregivers received the messages, with its assumptions and the dose view. */
  readonly delivered_effect: ReportDeliveredEffect | null;
  /** With `pilot analyze --costs`: what the messages cost, per student, per day gained and per student no longer chronically absent. */
  readonly costs: ReportCosts | null;
  readonly district_effects: {
    readonly rows: readonly ForestRow[];
    readonly pooled: ReportEffect | null;
    readonly highlight?: string;
  } | null;
  /**
   * The raw share of days missed by each side in the outcome window (the charts' view) set
   * against the adjusted estimate, with one plain sentence on why they can differ; null
   * without the study's data or when a side has fewer than ten students.
   */
  readonly raw_vs_estimate: { readonly raw_reduction: number; readonly agree: boolean; readonly explanation: string } | null;
  /** With `pilot analyze --subgroups`: the effect in each subgroup (the network's in a district report); null without. */
  readonly subgroups?: SubgroupSection | null;
  /** Arm names, control first. */
  readonly arms: readonly string[];
  readonly tables: {
    readonly students_by_arm_and_district: CountsByArmAndDistrict | null;
    readonly attrition: AttritionTable | null;
    readonly balance: readonly BalanceLine[] | null;
  };
  readonly charts: {
    readonly posterior: EffectDensity & { readonly thresholds: readonly number[]; readonly certainty: number };
    readonly absence_distribution: (CategoryByArm & { readonly bin_width: number }) | null;
    readonly absence_rate_over_time: readonly RateOverTime[] | null;
    readonly attendance_tiers: CategoryByArm | null;
  };
  readonly methods: {
    readonly method: 'nuts' | 'laplace';
    readonly approximate: boolean;
    readonly model: {
      readonly network: boolean;
      readonly baseline: 'all' | 'partial' | 'none';
      readonly priors: Readonly<Record<string, string>>;
      readonly n: PublishedCount;
      readonly n_blocks: number;
      readonly n_districts: number;
      readonly rounded_half_days: PublishedCount;
      readonly chains: number;
      readonly warmup: number;
      readonly draws: number;
      readonly formulas: readonly string[];
      readonly in_words: string;
    };
    readonly window: DateWindow | null;
    /** The day the arms took effect, checked against the window's start (null: the analysis was of a model table). */
    readonly arms_in_effect: ArmsInEffect | null;
    /** What `arms_in_effect` means for this report, in a sentence. */
    readonly arms_in_effect_statement: string;
    /** The study's locked analysis plan: when it was locked, and each departure from it (null: none was locked). */
    readonly analysis_plan: ReportAnalysisPlan | null;
    /** The analysis's diagnostics without the per-parameter table. */
    readonly diagnostics: Omit<Diagnostics, 'parameters'> & {
      /** The thresholds each check is held to (docs/model.md, "Checks and refits"). */
      readonly checks: {
        readonly rhat_max: number;
        readonly ess_bulk_effect_min: number;
        readonly divergences_max: number;
        readonly ebfmi_min: number;
        readonly smd_imbalance: number;
      };
    };
    /** The posterior intervals the tables show (equal-tailed). */
    readonly intervals: readonly number[];
    /** How input files are fingerprinted. */
    readonly hash: 'SHA-256';
    readonly seed: number;
    readonly version: string;
    readonly report_version: string;
    readonly inputs: Readonly<Record<string, string>>;
  };
  readonly privacy: { readonly threshold: number; readonly suppressed_cells: number; readonly statement: string };
}
