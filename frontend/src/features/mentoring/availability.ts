// Availability as people tick it (a weekday × half-day grid) and as the API speaks it (slot ids
// such as "tue-pm", app/mentoring/vocabulary.py). Half days only: finer slots would make a
// person's week a fingerprint.
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
export const HALF_DAYS = ['am', 'pm'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type HalfDay = (typeof HALF_DAYS)[number];
export type Slot = `${Weekday}-${HalfDay}`;

/** Ticked or not, per weekday and half day. */
export type Grid = Record<Weekday, Record<HalfDay, boolean>>;

export const slotOf = (day: Weekday, half: HalfDay): Slot => `${day}-${half}`;

/** The grid of a list of slot ids; ids outside the vocabulary are ignored. */
export function gridOf(slots: readonly string[]): Grid {
  const chosen = new Set(slots);
  return Object.fromEntries(
    WEEKDAYS.map((day) => [
      day,
      Object.fromEntries(HALF_DAYS.map((half) => [half, chosen.has(slotOf(day, half))])),
    ]),
  ) as Grid;
}

/** The slot ids ticked, in the week's order (Monday morning first). */
export function slotsOf(grid: Grid): Slot[] {
  return WEEKDAYS.flatMap((day) =>
    HALF_DAYS.filter((half) => grid[day][half]).map((half) => slotOf(day, half)),
  );
}

/** The same list with one slot ticked or unticked, still in the week's order. */
export function toggleSlot(slots: readonly string[], day: Weekday, half: HalfDay): Slot[] {
  const grid = gridOf(slots);
  grid[day][half] = !grid[day][half];
  return slotsOf(grid);
}
