// Insights for facilitators and admins: aggregates only, every small count already hidden.
import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';

export type Insights = Schemas['Insights'];

export const insightsKeys = {
  all: () => ['insights'] as const,
};

export function useInsights(enabled: boolean) {
  return useQuery({
    queryKey: insightsKeys.all(),
    queryFn: () => unwrap(api.GET('/api/v1/insights')),
    enabled,
  });
}
