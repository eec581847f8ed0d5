/** Current time as the ISO-8601 text stored in every timestamp column. */
export function nowIso(): string {
  return new Date().toISOString();
}

export function isoPlus(ms: number): string {
  return new Date(Date.now() + ms).toISOString();
}

/** Today's date as 'YYYY-MM-DD' (UTC), the day collection deadlines are judged on. */
export function todayIso(): string {
  return nowIso().slice(0, 10);
}
