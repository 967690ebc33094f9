// Mentoring programmes (app/mentoring): the list, one programme, one's application and pair,
// and what its leads run (mentor selection, matching runs, the pool, co-leads).
import { useQuery } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Schemas } from '../../api/client';

export type ProgrammeDetail = Schemas['Programme'] | Schemas['ProgrammePublic'];
export type Phase = Schemas['ProgrammeSummary']['phase'];
export const PHASES: readonly Phase[] = ['draft', 'applications', 'matching', 'running', 'closed'];

export const mentoringKeys = {
  all: ['mentoring'] as const,
  list: () => ['mentoring', 'list'] as const,
  programme: (id: string) => ['mentoring', 'programme', id] as const,
  application: (id: string) => ['mentoring', 'application', id] as const,
  pair: (id: string) => ['mentoring', 'pair', id] as const,
  leads: (id: string) => ['mentoring', 'leads', id] as const,
  mentors: (id: string) => ['mentoring', 'mentors', id] as const,
  runs: (id: string) => ['mentoring', 'runs', id] as const,
  run: (id: string, runId: string | undefined) => ['mentoring', 'run', id, runId] as const,
  pool: (id: string) => ['mentoring', 'pool', id] as const,
  partner: (id: string) => ['mentoring', 'partner', id] as const,
  plan: (id: string) => ['mentoring', 'plan', id] as const,
  sessions: (id: string) => ['mentoring', 'sessions', id] as const,
  checkIns: (id: string) => ['mentoring', 'check-ins', id] as const,
  journal: (id: string) => ['mentoring', 'journal', id] as const,
  progress: (id: string) => ['mentoring', 'progress', id] as const,
};

const at = (programmeId: string) => ({ params: { path: { programme_id: programmeId } } });

/** The leads' view carries a revision; everyone else's does not. */
export function isLeadView(p: ProgrammeDetail | undefined): p is Schemas['Programme'] {
  return !!p && 'revision' in p;
}

export function useProgrammes() {
  return useQuery({
    queryKey: mentoringKeys.list(),
    queryFn: () => unwrap(api.GET('/api/v1/programmes')),
  });
}

export function useProgramme(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.programme(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}', at(programmeId))),
  });
}

/** One's application (`enabled` once the programme says one applied). */
export function useMyApplication(programmeId: string, enabled: boolean) {
  return useQuery({
    queryKey: mentoringKeys.application(programmeId),
    enabled,
    queryFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/application', at(programmeId))),
  });
}

/** One's pair, or null while there is none (404 `no_pair`/`no_application` is a state here). */
export function useMyPair(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.pair(programmeId),
    queryFn: async () => {
      try {
        return await unwrap(api.GET('/api/v1/programmes/{programme_id}/pair', at(programmeId)));
      } catch (error) {
        if (error instanceof ApiError && ['no_pair', 'no_application'].includes(error.code)) {
          return null;
        }
        throw error;
      }
    },
  });
}

export function useLeads(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.leads(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/leads', at(programmeId))),
  });
}

export function useMentorApplications(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.mentors(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/mentors', at(programmeId))),
  });
}

export function useRuns(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.runs(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/runs', at(programmeId))),
  });
}

/** One matching run, polled while the optimiser works on it (the run goes on if the page
 * closes). */
export function useRun(programmeId: string, runId: string | undefined) {
  return useQuery({
    queryKey: mentoringKeys.run(programmeId, runId),
    enabled: !!runId,
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/programmes/{programme_id}/runs/{run_id}', {
          params: { path: { programme_id: programmeId, run_id: runId ?? '' } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 500 : false),
  });
}

export function usePool(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.pool(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/pool', at(programmeId))),
  });
}

/** The partner's name and e-mail: asked only once both agreed, and once per visit (each read
 * is logged in the partner's access log: a refetch on every focus would fill it). */
export function usePartnerName(programmeId: string, enabled: boolean) {
  return useQuery({
    queryKey: mentoringKeys.partner(programmeId),
    enabled,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    queryFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/partner', at(programmeId))),
  });
}

export function usePlan(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.plan(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/plan', at(programmeId))),
  });
}

export function usePairSessions(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.sessions(programmeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/sessions', at(programmeId))),
  });
}

export function useCheckIns(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.checkIns(programmeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/check-ins', at(programmeId))),
  });
}

export function useJournal(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.journal(programmeId),
    queryFn: () =>
      unwrap(api.GET('/api/v1/programmes/{programme_id}/pair/journal', at(programmeId))),
  });
}

export function useProgress(programmeId: string) {
  return useQuery({
    queryKey: mentoringKeys.progress(programmeId),
    queryFn: () => unwrap(api.GET('/api/v1/programmes/{programme_id}/progress', at(programmeId))),
  });
}

/** A session's calendar file (the browser downloads it with the reader's cookie). */
export function sessionCalendarUrl(programmeId: string, sessionId: string): string {
  return `/api/v1/programmes/${programmeId}/pair/sessions/${sessionId}.ics`;
}
