import { useQuery } from '@tanstack/react-query';
import { ApiError, api, unwrap, type Schemas } from './api/client';

export type Profile = Schemas['Me'];

/** The signed-in person, or null when signed out (the server answers 401). */
export function useMe() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<Profile | null> => {
      try {
        return await unwrap(api.GET('/api/v1/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function hasRole(me: Profile | null | undefined, role: 'facilitator' | 'admin'): boolean {
  return !!me && me.roles.includes(role);
}
