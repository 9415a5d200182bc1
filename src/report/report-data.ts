import type { Certainty, DaysAvoided, Decision, Diagnostics, PosteriorSummary } from '../analysis/analysis-result.js';
import type { DateWindow } from '../types.js';
import type { EffectDensity } from './effect-density.js';
import type { AttritionTable, BalanceLine, CategoryByArm, CountsByArmAndDistrict, RateOverTime } from './summarize-study.js';
import type { PublishedCount } from './suppress-small-cells.js';


/** An effect estimate as a report states it. */
export interface ReportEffect {
  readonly estimate: PosteriorSummary;
  readonly certainty: Certainty;
}

/** One district in the forest plot; `estimate` is null when the district is too small to show. */
export interface ForestRow {
  readonly district: string;
  readonly name: string;
  readonly estimate: PosteriorSummary | null;
  readonly certainty: Certainty | null;
}

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
  readonly decision: Decision & { readonly basis: 'network' | 'district'; readonly summary: string; readonly next_year: string };
  readonly days_avoided: { readonly scope: 'network' | 'study' } & DaysAvoided;
  readonly district_effects: { readonly rows: readonly ForestRow[]; readonly pooled: ReportEffect | null; readonly highlight?: string } | null;
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
    /** The analysis's diagnostics without the per-parameter table. */
    readonly diagnostics: Omit<Diagnostics, 'parameters'> & {
      /** The thresholds each check is held to (docs/model.md, "Checks and refits"). */
      readonly checks: { readonly rhat_max: number; readonly ess_bulk_effect_min: number; readonly divergences_max: number; readonly ebfmi_min: number; readonly smd_imbalance: number };
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
