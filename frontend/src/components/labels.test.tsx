import { renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { criterionLabel, humanise, useLabels } from './labels';

describe('labels: words in place of the codes the API speaks', () => {
  it('humanises skill and tag slugs', () => {
    expect(humanise('excel_pivot_tables')).toBe('Excel pivot tables');
    expect(humanise('reverse_mentoring')).toBe('Reverse mentoring');
    expect(humanise('sql')).toBe('Sql');
  });

  it('names criteria by their rubric title', () => {
    const rubric = [{ id: 'clarity', title: 'Is it clear?' }];
    expect(criterionLabel(rubric, 'clarity')).toBe('Is it clear?');
    expect(criterionLabel(rubric, 'team_spirit')).toBe('Team spirit');
  });

  it('names every generation and seniority band, configured ones too', async () => {
    await i18n.changeLanguage('en');
    const { result } = renderHook(() => useLabels());
    const labels = result.current;
    expect(labels.cohort('gen_z')).toBe('Generation Z');
    expect(labels.cohort('silent_generation')).toBe('Silent generation');
    expect(labels.cohort(null)).toBe('Not given');
    // The default bounds [3, 10, 20] and others an organisation may configure.
    expect(labels.band('lt3')).toBe('Under 3 years');
    expect(labels.band('lt5')).toBe('Under 5 years');
    expect(labels.band('5to14')).toBe('5 to 14 years');
    expect(labels.band('15plus')).toBe('15 years or more');
    expect(labels.band('all')).toBe('All');
    expect(labels.band('not_given')).toBe('Not given');
  });

  it('speaks French and Spanish', async () => {
    await i18n.changeLanguage('fr');
    expect(renderHook(() => useLabels()).result.current.band('lt5')).toBe('Moins de 5 ans');
    await i18n.changeLanguage('es');
    expect(renderHook(() => useLabels()).result.current.band('5to14')).toBe('De 5 a 14 años');
    await i18n.changeLanguage('en');
  });
});
