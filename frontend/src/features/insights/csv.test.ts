import { describe, expect, it } from 'vitest';
import {
  breakdowns,
  COMPLEMENT,
  csvRows,
  NONE,
  percent,
  type Breakdown,
  type Words,
} from './breakdowns';
import { csvField, toCsv } from './csv';
import type { Insights } from './api';

const words: Words = {
  header: (key) => key,
  cohort: (code) => `cohort:${code}`,
  skill: (slug) => slug,
  track: (code) => code,
};

function breakdown(id: Breakdown['id']): Breakdown {
  const found = breakdowns(data, words).find((b) => b.id === id);
  if (!found) throw new Error(`no breakdown ${id}`);
  return found;
}

const data: Insights = {
  k: 5,
  scope: 'organisation',
  through: '2026-11',
  cohorts: ['gen_x', 'gen_z'],
  participation: [{ month: '2026-11', total: 12, by_cohort: { gen_x: null, gen_z: null } }],
  departments: ['Legal', 'Sales'],
  participation_by_department: [
    {
      month: '2026-11',
      total: 12,
      by_department: { Legal: null, Sales: 7 },
      not_given: null,
      former: null,
    },
  ],
  teams_with_three_generations: { total: 10, count: 5 },
  cross_generation_contact: { total: 0, count: 0 },
  skills: [{ skill: '=HYPERLINK("http://x")', teach: 6, learn: 0 }],
  tracks: [
    { track: 'discover', teams: 8, completed: null, reviews: 0, median_score: null },
    { track: 'deepen', teams: 0, completed: 0, reviews: 0, median_score: null },
    { track: 'exploit', teams: 0, completed: 0, reviews: 0, median_score: null },
  ],
};

describe('CSV of a breakdown', () => {
  it('never lets a spreadsheet run a cell as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvField(`${start}1+1`)).toBe(`"'${start}1+1"`);
    }
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(-3)).toBe('"-3"');
  });

  it('has the headers of the table and its suppressed cells in words', () => {
    const participation = breakdown('participation');
    const skills = breakdown('skills');
    const csv = toCsv(participation.headers, csvRows(participation, 'fewer than 5'));
    expect(csv).toBe(
      '"participation.month","cohort:gen_x","cohort:gen_z","participation.total"\r\n' +
        '"2026-11","fewer than 5","fewer than 5","12"\r\n',
    );
    expect(toCsv(skills.headers, csvRows(skills, 'x'))).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});

describe('departments', () => {
  it('go down the table, months across, with the hidden cells in words', () => {
    const departments = breakdown('departments');
    expect(departments.headers).toEqual(['departments.department', '2026-11']);
    expect(toCsv(departments.headers, csvRows(departments, 'fewer than 5'))).toBe(
      '"departments.department","2026-11"\r\n' +
        '"Legal","fewer than 5"\r\n' +
        '"Sales","7"\r\n' +
        '"departments.not_given","fewer than 5"\r\n' +
        '"departments.former","fewer than 5"\r\n',
    );
  });
});

describe('shares', () => {
  it('are shown only where both counts are', () => {
    expect(percent(5, 10)).toBe(50);
    expect(percent(null, 10)).toBe('—');
    expect(percent(5, null)).toBe('—');
    expect(percent(0, 0)).toBe('—');
    expect(breakdown('tracks').rows[0]?.[3]).toBe('—');
  });

  it('tells a count hidden as a complement from one under k', () => {
    const withComplement: Insights = {
      ...data,
      participation: [{ ...data.participation[0]!, complement: ['gen_z'] }],
      tracks: data.tracks.map((t) =>
        t.track === 'discover' ? { ...t, complement: ['completed'] } : t,
      ),
    };
    const [participation] = breakdowns(withComplement, words);
    expect(participation!.rows[0]).toEqual(['2026-11', null, COMPLEMENT, 12]);
    expect(csvRows(participation!, 'fewer than 5', 'hidden')[0]).toEqual([
      '2026-11',
      'fewer than 5',
      'hidden',
      12,
    ]);
    const tracks = breakdowns(withComplement, words).find((b) => b.id === 'tracks');
    expect(tracks!.rows[0]![2]).toBe(COMPLEMENT);
    // A share of a hidden count is no number either way.
    expect(tracks!.rows[0]![3]).toBe(NONE);
  });
});
