import { describe, expect, it } from 'vitest';
import { gridOf, slotsOf, toggleSlot } from './availability';

describe('the availability grid', () => {
  it('ticks the cells of the slot ids it is given', () => {
    const grid = gridOf(['tue-pm', 'mon-am']);
    expect(grid.mon).toEqual({ am: true, pm: false });
    expect(grid.tue).toEqual({ am: false, pm: true });
    expect(grid.fri).toEqual({ am: false, pm: false });
  });

  it('gives back the slot ids in the week order, whatever order they came in', () => {
    expect(slotsOf(gridOf(['fri-pm', 'mon-pm', 'mon-am']))).toEqual(['mon-am', 'mon-pm', 'fri-pm']);
  });

  it('drops ids that are not half days of a weekday', () => {
    expect(slotsOf(gridOf(['sat-am', 'wed-evening', 'wed-am']))).toEqual(['wed-am']);
  });

  it('ticks and unticks one cell', () => {
    expect(toggleSlot(['thu-am'], 'mon', 'pm')).toEqual(['mon-pm', 'thu-am']);
    expect(toggleSlot(['mon-pm', 'thu-am'], 'mon', 'pm')).toEqual(['thu-am']);
  });
});
