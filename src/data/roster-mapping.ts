import { GRADES, MESSAGE_MODES } from '../types.js';
import type { MappingShape } from './column-mapping.js';
import { STANDARD_GRADE_CODES } from './normalize-grade.js';
import { ROSTER_COLUMNS } from './read-roster.js';

/**
 * The `roster` section of a mapping file: a roster CSV in another layout, its columns
 * named by the export, its grade and mode codes its own (`"Grade 3": "03"`). Grades may
 * map to our grades or to any standard code (`TK`, `UG`): the roster rules then apply.
 */
export const ROSTER_MAPPING_SHAPE: MappingShape = {
  kind: 'roster',
  required: ['student_id', 'district_id', 'school_id', 'grade'],
  optional: ROSTER_COLUMNS.filter((c) => !['student_id', 'district_id', 'school_id', 'grade'].includes(c)),
  vocabularies: { grade: [...new Set([...GRADES, ...STANDARD_GRADE_CODES])], preferred_mode: MESSAGE_MODES },
  extraKeys: [],
};
