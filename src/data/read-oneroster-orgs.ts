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
   * The district above a school, up its `parentSourcedId` chain. When the chain ends
   * without one (a single-school export: `parentSourcedId` is optional), the district
   * given by the user, else the school itself, with one note on the school's row;
   * undefined (and one problem) when a `parentSourcedId` names an org not in orgs.csv.
   */
  districtOf(school: string): string | undefined;
}

/**
 * Indexes `orgs.csv`, reporting duplicate ids. `district` is the district of schools
 * with none above them (`--district`); `note` records a note at a place in the file.
 */
export function indexOrgs(orgs: CsvTable, fail: Fail, note: Fail, district?: string): OrgIndex {
  const rowOf = new Map<string, number>();
  const [ids, types, names, parents] = ['sourcedId', 'type', 'name', 'parentSourcedId'].map((c) => optionalColumn(orgs, c));
  const live = liveRows(orgs);
  for (let i = 0; i < orgs.rowCount; i++) {
    if (!live(i) || ids[i] === '') continue;
    const first = rowOf.get(ids[i]);
    if (first !== undefined)
      fail(originOf(orgs, i, 'sourcedId'), `duplicate org sourcedId "${ids[i]}" (first on row ${orgs.lines[first]})`);
    else rowOf.set(ids[i], i);
  }
  const typeOf = (org: string) => (rowOf.has(org) ? types[rowOf.get(org)!].toLowerCase() : undefined);
  const districts = new Map<string, string | undefined>();
  const findDistrict = (school: string): string | undefined => {
    const visited = new Set<string>();
    let org = school;
    for (;;) {
      if (typeOf(org) === 'district') return org;
      visited.add(org);
      const parent: string = parents[rowOf.get(org)!];
      if (parent === '' || visited.has(parent)) break;
      if (!rowOf.has(parent)) {
        // A parent that is named but missing is a broken export, not a single-school one.
        const i = rowOf.get(org)!;
        fail(
          originOf(orgs, i, 'parentSourcedId'),
          `school "${school}" has no district above it: its parentSourcedId ("${parent}") should name an org of type district`,
        );
        return undefined;
      }
      org = parent;
    }
    const where = originOf(orgs, rowOf.get(school)!, 'parentSourcedId');
    if (district !== undefined)
      note(where, `school "${school}" has no district above it: its district is "${district}", as --district says`);
    else note(where, `school "${school}" has no district above it: it is taken as its own district (--district ID names one)`);
    return district ?? school;
  };
  return {
    typeOf,
    nameOf: (org) => (rowOf.has(org) ? names[rowOf.get(org)!] : ''),
    districtOf: (school) => {
      // Each school is looked up once, so a school without a district is one note, not one per student.
      if (!districts.has(school)) districts.set(school, findDistrict(school));
      return districts.get(school);
    },
  };
}
