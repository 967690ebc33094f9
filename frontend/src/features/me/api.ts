// The signed-in person's own data: profile, record, audit trail, notices.
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, unwrap, type Schemas } from '../../api/client';

export type Profile = Schemas['Me'];

export const meKeys = {
  profile: () => ['me'] as const,
  record: () => ['record'] as const,
  audit: () => ['audit'] as const,
  notices: () => ['notices'] as const,
};

/** The signed-in person, or null when signed out (the server answers 401). */
export function useMe() {
  return useQuery({
    queryKey: meKeys.profile(),
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

export function useRecord() {
  return useQuery({
    queryKey: meKeys.record(),
    queryFn: () => unwrap(api.GET('/api/v1/me/record')),
  });
}

export function useAudit() {
  return useQuery({
    queryKey: meKeys.audit(),
    queryFn: () => unwrap(api.GET('/api/v1/me/audit')),
  });
}

export function useNotices() {
  return useQuery({
    queryKey: meKeys.notices(),
    queryFn: () => unwrap(api.GET('/api/v1/me/notifications')),
  });
}
