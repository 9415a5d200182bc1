/**
 * The model table: one row per randomized student, the input of the standard absence
 * model (docs/model.md, "Data"). `pilot analyze --table` reads it from
 * `model_input.csv`; the data layer builds it from a roster, assignments and attendance.
 */
export interface ModelTableRow {
  readonly student_id: string;
  /** Days absent in the outcome window; may be fractional (half days), the fit rounds. */
  readonly y: number;
  /** Days enrolled in the outcome window; 0 means the student left the fit (attrition). */
  readonly e: number;
  /** Assigned arm, intent to treat: 1 treatment, 0 control. */
  readonly treat: 0 | 1;
  /** The randomization block recorded at assignment. */
  readonly block: string;
  readonly district: string;
  /** Days absent in the baseline period; undefined when unknown. */
  readonly baseline_absences?: number;
  /** Days enrolled in the baseline period; undefined when unknown. */
  readonly baseline_days?: number;
  /** The student's household; siblings share one. Used by the household model only. */
  readonly household?: string;
}

export type ModelTable = readonly ModelTableRow[];

/** The columns of `model_input.csv`, in order. The two baseline columns and `household` are optional. */
export const MODEL_TABLE_COLUMNS = [
  'student_id',
  'y',
  'e',
  'treat',
  'block',
  'district',
  'baseline_absences',
  'baseline_days',
  'household',
] as const;
