// The formation board's moves, apart from the page: what a drop or a choice in a team's
// "move to" list asks the server to do.

/** One person moved to another team (teams are numbered from 0). */
export interface Move {
  pseudonym: string;
  to_team: number;
}

/** The teams a person in team `from` can be moved to: every team but their own, in order. */
export function moveTargets<T extends { index: number }>(teams: readonly T[], from: number): T[] {
  return teams.filter((other) => other.index !== from);
}

/** A drop on a team: the move of the person being dragged, or none when nobody is. */
export function dropMove(dragged: string | null, team: number): Move | null {
  return dragged ? { pseudonym: dragged, to_team: team } : null;
}

/** A choice in a person's "move to" list ('' is the list's prompt, not a team). */
export function chosenMove(pseudonym: string, value: string): Move | null {
  return value === '' ? null : { pseudonym, to_team: Number(value) };
}
