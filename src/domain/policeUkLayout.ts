/**
 * The police.uk street-level file layout, as police.uk describes it (https://data.police.uk/about/): the twelve
 * columns in order, the crime types, the outcome categories and the file naming rule. Both the generator and the
 * importer read these, so they cannot drift apart.
 */

/** The header row of a street-level file, exactly as police.uk publishes it. */
export const STREET_COLUMNS = [
  'Crime ID',
  'Month',
  'Reported by',
  'Falls within',
  'Longitude',
  'Latitude',
  'Location',
  'LSOA code',
  'LSOA name',
  'Crime type',
  'Last outcome category',
  'Context',
] as const;

/** Column names in the analytical store, one per {@link STREET_COLUMNS} entry, in the same order. */
export const STORE_COLUMNS = [
  'crime_id',
  'month',
  'reported_by',
  'falls_within',
  'longitude',
  'latitude',
  'location',
  'lsoa_code',
  'lsoa_name',
  'crime_type',
  'outcome',
  'context',
] as const;

export const ANTI_SOCIAL_BEHAVIOUR = 'Anti-social behaviour';

/** The 14 crime types in current files, alphabetical as police.uk lists them. */
export const CRIME_TYPES = [
  ANTI_SOCIAL_BEHAVIOUR,
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
] as const;
export type CrimeType = (typeof CRIME_TYPES)[number];

/** Crime types accepted on import: today's 14 and the pre-2013 "Public disorder and weapons". */
export const ACCEPTED_CRIME_TYPES: readonly string[] = [...CRIME_TYPES, 'Public disorder and weapons'];

export const OUTCOME_CATEGORIES = [
  'Under investigation',
  'Unable to prosecute suspect',
  'Investigation complete; no suspect identified',
  'Local resolution',
  'Offender given a caution',
  'Offender given a drugs possession warning',
  'Offender fined',
  'Offender given absolute discharge',
  'Offender deprived of property',
  'Awaiting court outcome',
  'Court result unavailable',
  'Court case unable to proceed',
  'Formal action is not in the public interest',
  'Status update unavailable',
] as const;

/** `2024-03/2024-03-south-yorkshire-street.csv` (the folder is optional): month and force slug. */
export const STREET_FILE_NAME = /^(\d{4}-(?:0[1-9]|1[0-2]))-([a-z0-9]+(?:-[a-z0-9]+)*)-street\.csv$/;

/** LSOA codes: E01 (England) or W01 (Wales) and six digits, for both the 2011 and 2021 geographies. */
export const LSOA_CODE = /^[EW]01\d{6}$/;

export interface StreetFileName {
  month: string;
  force: string;
}

/** Month and force from a street file's base name, or null when it is not a street-level file. */
export function parseStreetFileName(baseName: string): StreetFileName | null {
  const m = STREET_FILE_NAME.exec(baseName);
  return m ? { month: m[1] as string, force: m[2] as string } : null;
}

/** Where a street file sits inside a police.uk archive: `2024-03/2024-03-south-yorkshire-street.csv`. */
export function streetFilePath(month: string, force: string): string {
  return `${month}/${month}-${force}-street.csv`;
}
