/**
 * How a plan is named wherever it is shown (pages, pickers, documents, flash messages): its title, years and version
 * label, each said once. Titles often carry the years already ("Plan 2027-30") and version labels often are the years
 * ("2027-30"), so joining them blindly gave "Plan 2027-30 2027-30" (issue 13).
 */

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\u2010-\u2015/-]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();

/** Whether `part` is already said in `text` (ignoring case and how the years are joined: 2027-30, 2027/30). */
export function alreadySaid(text: string, part: string): boolean {
  return norm(part) === '' || norm(text).includes(norm(part));
}

/**
 * A plan's name from its title, years and version label, each said once: ("Community Safety Plan", "2019-22",
 * "2019-22") → "Community Safety Plan 2019-22"; ("Plan 2027-30", "2027-30", "2027-30") → "Plan 2027-30";
 * ("Partnership Plan", "2016-19", "2017/18 refresh") → "Partnership Plan 2016-19, 2017/18 refresh". Either the
 * years or the label may be empty: ("Plan 2027-30", "", "2027-30") → "Plan 2027-30".
 */
export function planName(title: string, period: string, versionLabel: string): string {
  let out = title.trim();
  const addPeriod = !alreadySaid(out, period) && !alreadySaid(versionLabel, period);
  if (addPeriod) out = `${out} ${period.trim()}`;
  if (!alreadySaid(out, versionLabel)) out = `${out}${addPeriod ? ',' : ''} ${versionLabel.trim()}`;
  return out;
}

/** A plan version's name from the plan's title and the version's label, each said once. */
export function versionName(title: string, versionLabel: string): string {
  return planName(title, '', versionLabel);
}
