// Each breakdown once, as headers and rows: the table, the chart and the CSV all read it, so
// that the three always show the same (suppressed) numbers under the same headers.
import type { Insights } from './api';

/** A count the server hid only so that a small one can't be worked out from the total
 * (complementary suppression): it is not "fewer than k", and the page says so. */
export interface Hidden {
  hidden: 'complement';
}
export const COMPLEMENT: Hidden = { hidden: 'complement' };

/** A cell: a count, a ratio, a label, null where the server hid a count under k, or
 * `COMPLEMENT`. */
export type Cell = string | number | null | Hidden;

/** The cell of a count: `COMPLEMENT` where the answer names it among its complements. */
export function count(value: number | null, key: string, complement?: string[]): Cell {
  return value === null && complement?.includes(key) ? COMPLEMENT : value;
}

/** Nothing to show (no team yet, so no share), as opposed to a hidden count. */
export const NONE = '—';

export interface Breakdown {
  id: 'participation' | 'departments' | 'three_generations' | 'contact' | 'skills' | 'tracks';
  headers: string[];
  rows: Cell[][];
}

export interface Words {
  header: (key: string) => string;
  cohort: (code: string) => string;
  skill: (slug: string) => string;
  track: (code: string) => string;
}

/** A share in percent where both counts are shown; a dash where one is hidden or there is none
 * (a share is not a count: "fewer than 5" would misread as a percentage). */
export function percent(count: number | null, total: number | null): Cell {
  if (count === null || total === null || total === 0) return NONE;
  return Math.round((count / total) * 100);
}

export function breakdowns(data: Insights, words: Words): Breakdown[] {
  const { header } = words;
  return [
    {
      id: 'participation',
      headers: [
        header('participation.month'),
        ...data.cohorts.map(words.cohort),
        header('participation.total'),
      ],
      rows: data.participation.map((row) => [
        row.month,
        ...data.cohorts.map((cohort) =>
          count(row.by_cohort[cohort] ?? null, cohort, row.complement),
        ),
        row.total,
      ]),
    },
    {
      // Departments down, months across: an organisation has more departments than a table
      // has room for columns. The month totals are in the participation table.
      id: 'departments',
      headers: [
        header('departments.department'),
        ...data.participation_by_department.map((row) => row.month),
      ],
      rows: [
        ...data.departments.map((name) => [
          name,
          ...data.participation_by_department.map((row) =>
            count(row.by_department[name] ?? null, name, row.complement),
          ),
        ]),
        [
          header('departments.not_given'),
          ...data.participation_by_department.map((row) =>
            count(row.not_given, 'not_given', row.complement),
          ),
        ],
        [
          header('departments.former'),
          ...data.participation_by_department.map((row) =>
            count(row.former, 'former', row.complement),
          ),
        ],
      ],
    },
    {
      id: 'three_generations',
      headers: [
        header('three_generations.teams'),
        header('three_generations.with'),
        header('common_share'),
      ],
      rows: [
        [
          data.teams_with_three_generations.total,
          count(
            data.teams_with_three_generations.count,
            'count',
            data.teams_with_three_generations.complement,
          ),
          percent(data.teams_with_three_generations.count, data.teams_with_three_generations.total),
        ],
      ],
    },
    {
      id: 'contact',
      headers: [header('contact.people'), header('contact.with'), header('common_share')],
      rows: [
        [
          data.cross_generation_contact.total,
          count(
            data.cross_generation_contact.count,
            'count',
            data.cross_generation_contact.complement,
          ),
          percent(data.cross_generation_contact.count, data.cross_generation_contact.total),
        ],
      ],
    },
    {
      id: 'skills',
      headers: [header('skills.skill'), header('skills.teach'), header('skills.learn')],
      rows: data.skills.map((s) => [words.skill(s.skill), s.teach, s.learn]),
    },
    {
      id: 'tracks',
      headers: [
        header('tracks.track'),
        header('tracks.teams'),
        header('tracks.completed'),
        header('common_share'),
        header('tracks.reviews'),
        header('tracks.median'),
      ],
      rows: data.tracks.map((track) => [
        words.track(track.track),
        track.teams,
        count(track.completed, 'completed', track.complement),
        percent(track.completed, track.teams),
        track.reviews,
        track.median_score,
      ]),
    },
  ];
}

/** The CSV rows of a breakdown: hidden counts as the table says them ("fewer than 5", or
 * `complement`'s words for a count hidden as a complement). */
export function csvRows(
  breakdown: Breakdown,
  hidden: string,
  complement: string = hidden,
): (string | number)[][] {
  return breakdown.rows.map((row) =>
    row.map((cell) => (cell === null ? hidden : typeof cell === 'object' ? complement : cell)),
  );
}
