// Administration: the accounts and the vault's keys.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

export const adminKeys = {
  accounts: () => ['accounts'] as const,
  keys: () => ['keys'] as const,
};

export function useAccounts() {
  return useQuery({
    queryKey: adminKeys.accounts(),
    queryFn: () => unwrap(api.GET('/api/v1/admin/accounts', { params: { query: { limit: 200 } } })),
  });
}

export function useKeys() {
  return useQuery({
    queryKey: adminKeys.keys(),
    queryFn: () => unwrap(api.GET('/api/v1/admin/keys')),
  });
}
