import { describe, expect, it } from 'vitest';
import { chosenMove, dropMove, moveTargets } from './moves';

const teams = [{ index: 0 }, { index: 1 }, { index: 2 }];

describe('the formation board', () => {
  it('offers every other team, in order, as a place to move a person', () => {
    expect(moveTargets(teams, 1).map((t) => t.index)).toEqual([0, 2]);
    expect(moveTargets(teams, 0).map((t) => t.index)).toEqual([1, 2]);
  });

  it('moves the dragged person to the team they are dropped on', () => {
    expect(dropMove('p-42', 2)).toEqual({ pseudonym: 'p-42', to_team: 2 });
  });

  it('does nothing when something is dropped while nobody is being dragged', () => {
    expect(dropMove(null, 1)).toBeNull();
  });

  it('moves a person to the team chosen in their list, and not on the prompt', () => {
    expect(chosenMove('p-7', '0')).toEqual({ pseudonym: 'p-7', to_team: 0 });
    expect(chosenMove('p-7', '')).toBeNull();
  });
});
