// Home: what's next for the signed-in person, in each of their challenges.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type NextAction = Schemas['NextAction'];

export const homeKeys = {
  next: () => ['me', 'next'] as const,
};

export function useNextActions() {
  return useQuery({
    queryKey: homeKeys.next(),
    queryFn: () => unwrap(api.GET('/api/v1/me/next')),
  });
}
