import type { CsvTable } from '../io/read-csv.js';
import type { Fail } from './read-oneroster-tables.js';
import { liveRows, originOf } from './read-oneroster-tables.js';
import { optionalColumn } from './require-columns.js';

/** The live orgs of `orgs.csv` by `sourcedId`: their type, name, and district. */
export interface OrgIndex {
  /** The org's type in lower case (`school`, `district`, ...), undefined for an unknown id. */
  typeOf(org: string): string | undefined;
  nameOf(org: string): string;
  /**
   * The district above a school, up its `parentSourcedId` chain; undefined (and one
   * problem on the school's row) when the chain ends without one.
   */
  districtOf(school: string): string | undefined;
}

/** Indexes `orgs.csv`, reporting duplicate ids. */
export function indexOrgs(orgs: CsvTable, fail: Fail): OrgIndex {
  const rowOf = new Map<string, number>();
  const [ids, types, names, parents] = ['sourcedId', 'type', 'name', 'parentSourcedId'].map((c) => optionalColumn(orgs, c));
  const live = liveRows(orgs);
  for (let i = 0; i < orgs.rowCount; i++) {
    if (!live(i) || ids[i] === '') continue;
    const first = rowOf.get(ids[i]);
    if (first !== undefined) fail(originOf(orgs, i, 'sourcedId'), `duplicate org sourcedId "${ids[i]}" (first on row ${orgs.lines[first]})`);
    else rowOf.set(ids[i], i);
  }
  const typeOf = (org: string) => (rowOf.has(org) ? types[rowOf.get(org)!].toLowerCase() : undefined);
  const districts = new Map<string, string | undefined>();
  const findDistrict = (school: string): string | undefined => {
    const visited = new Set<string>();
    for (let org: string | undefined = school; org !== undefined && !visited.has(org); ) {
      if (typeOf(org) === 'district') return org;
      visited.add(org);
      const parent: string = parents[rowOf.get(org)!];
      org = parent !== '' && rowOf.has(parent) ? parent : undefined;
    }
    const i = rowOf.get(school)!;
    fail(originOf(orgs, i, 'parentSourcedId'), `school "${school}" has no district above it: its parentSourcedId ("${parents[i]}") should name an org of type district`);
    return undefined;
  };
  return {
    typeOf,
    nameOf: (org) => (rowOf.has(org) ? names[rowOf.get(org)!] : ''),
    districtOf: (school) => {
      // Each school is looked up once, so a school without a district is one problem, not one per student.
      if (!districts.has(school)) districts.set(school, findDistrict(school));
      return districts.get(school);
    },
  };
}
