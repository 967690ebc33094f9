// The typed API client: generated types (schema.d.ts, from the server's OpenAPI) + openapi-fetch.
// Every call goes through `api`; errors become ApiError with the server's problem+json.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

/** One refused field (docs/api.md): `code` and `params` make the sentence the reader sees
 * (api/fieldErrors.ts); `message` is the server's English, never shown. */
export interface FieldError {
  field: string;
  code: string;
  params?: Record<string, number | string> | null;
  message: string;
  type: string;
}

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: FieldError[] | null;
}

export class ApiError extends Error {
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }

  get code(): string {
    return this.problem.code;
  }

  get status(): number {
    return this.problem.status;
  }

  /** The server's error about one body field ("email" -> "body.email"), if it named it: show
   * it with fieldErrorText (api/fieldErrors.ts), never its English `message`. */
  fieldError(name: string): FieldError | undefined {
    return this.problem.errors?.find(
      (e) => e.field === `body.${name}` || e.field.startsWith(`body.${name}.`),
    );
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;

/** Remember the CSRF token the server handed out (sign-in and sign-up return a fresh one). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function ensureCsrfToken(): Promise<string> {
  if (csrfToken === null) {
    const response = await fetch('/api/v1/auth/csrf', { credentials: 'same-origin' });
    const body = (await response.json()) as { csrf_token: string };
    csrfToken = body.csrf_token;
  }
  return csrfToken;
}

const csrf: Middleware = {
  async onRequest({ request }) {
    if (UNSAFE.has(request.method)) {
      request.headers.set('X-CSRF-Token', await ensureCsrfToken());
    }
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

async function problemOf(response: Response): Promise<Problem> {
  try {
    return (await response.json()) as Problem;
  } catch {
    return {
      title: response.statusText || 'Request failed',
      status: response.status,
      code: 'network',
    };
  }
}

/** Unwrap an openapi-fetch result: the data, or an ApiError carrying the problem. */
export async function unwrap<T>(
  promise: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await promise;
  } catch {
    throw new ApiError({ title: 'offline', status: 0, code: 'network' });
  }
  if (!result.response.ok) {
    const problem =
      result.error && typeof result.error === 'object' && 'code' in result.error
        ? (result.error as Problem)
        : await problemOf(result.response);
    if (problem.code === 'csrf_failed') setCsrfToken(null);
    throw new ApiError(problem);
  }
  return result.data as T;
}

export type Schemas = import('./schema').components['schemas'];
