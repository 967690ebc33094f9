// Field errors in the reader's language. The server names each refused field with a stable
// `code` and the `params` its sentence needs (docs/api.md); this module turns them into the
// sentence shown under the field. The server's English `message` is never shown: a code this
// module does not know falls back to a generic sentence.
import type { TFunction } from 'i18next';
import type { ApiError, FieldError } from './client';

/** Every code the server sends in `errors[].code` (app/errors.py), with the params it uses. */
export const FIELD_ERROR_CODES = {
  required: [],
  too_short: ['min_length'],
  too_long: ['max_length'],
  too_few_items: ['min_length'],
  too_many_items: ['max_length'],
  too_small: ['min'],
  too_large: ['max'],
  out_of_range: ['min', 'max'],
  not_a_number: [],
  not_a_whole_number: [],
  invalid_choice: [],
  invalid_id: [],
  not_a_date: [],
  needs_time_zone: [],
  invalid_type: [],
  invalid_format: [],
  unknown_field: [],
  malformed: [],
  body_unreadable: [],
  invalid: [],
  not_an_email: [],
  birth_year_or_cohort: [],
  team_sizes_order: [],
  schedule_order: [],
  needs_letter_or_digit: [],
  descriptor_outside_scale: ['min', 'max'],
  duplicate_criterion: [],
  duplicate_skill: [],
  cannot_be_null: [],
  email_or_account: [],
  // Quizzes and collections (app/library/schemas.py)
  no_correct_choice: [],
  single_choice_one_correct: [],
  duplicate_lesson: [],
  // Mentoring programmes and applications (app/mentoring/service.py)
  training_not_required: [],
  both_needs_mutual: [],
  mentors_only: [],
  not_a_topic: [],
  guidance_not_offered: [],
  // A refused swap of the matching board, on `body.mentor` (app/mentoring/rules.py)
  no_common_language: [],
  no_common_slot: [],
  mentor_not_younger: [],
  no_skill_to_teach: [],
  mentor_full: [],
  kept_apart: [],
  not_in_run: [],
  // A pair's sessions and check-ins (app/mentoring/sessions.py)
  in_the_past: [],
  place_or_video_link: [],
  unknown_goal: [],
  // The idea library's copy, refused at a proposal (app/ideas/service.py). Its params (kind,
  // start, end) are shown by the findings under the field (features/ideas), not in the sentence.
  identifying_text: [],
  // Passwords (app/vault/passwords.py)
  too_common: [],
  contains_personal_info: [],
} as const satisfies Record<string, readonly string[]>;

export type FieldErrorCode = keyof typeof FIELD_ERROR_CODES;

/** The translation key of a code's sentence (in locales/*.json, under `field_errors`). */
export function fieldErrorKey(code: string): string {
  return `field_errors.${code in FIELD_ERROR_CODES ? code : 'unknown'}`;
}

/** One field error as a sentence in the current language, its numbers filled in. */
export function fieldErrorText(
  t: TFunction,
  error: Pick<FieldError, 'code'> & { params?: Record<string, number | string> | null },
): string {
  const params = error.params ?? {};
  // A "too small" bound given as "above N" (gt) reads as "at least N + 1" for whole numbers.
  const values: Record<string, number | string> = { ...params };
  if (values.min === undefined && typeof params.above === 'number') values.min = params.above + 1;
  if (values.max === undefined && typeof params.below === 'number') values.max = params.below - 1;
  return t(fieldErrorKey(error.code), values);
}

// Errors about a whole body that one field of the form answers for.
const FIELD_OF_CODE: Partial<Record<string, string>> = {
  birth_year_or_cohort: 'birth_year',
  email_or_account: 'email',
};

/** Where in the body a server error is: "body.team_size.max" -> "team_size.max". */
export function errorPath(error: FieldError): string | null {
  const parts = error.field.split('.');
  if (parts[0] !== 'body' && parts[0] !== 'query') return null;
  return parts.length > 1 ? parts.slice(1).join('.') : (FIELD_OF_CODE[error.code] ?? null);
}

/** The form field (among those shown, in order) that answers for an error at `path`: the
 * field itself, else the closest one containing it ("rubric.0" for "rubric.0.descriptors"),
 * else the first one inside it ("team_size.min" for "team_size": the group's first field). */
export function fieldForPath(path: string | null, names: readonly string[]): string | null {
  if (path === null) return null;
  if (names.includes(path)) return path;
  const containing = names
    .filter((name) => path.startsWith(`${name}.`))
    .sort((a, b) => b.length - a.length)[0];
  return containing ?? names.find((name) => name.startsWith(`${path}.`)) ?? null;
}

/** The server's field errors of a failed request (none for other failures). */
export function fieldErrorsOf(error: unknown): FieldError[] {
  const problem = (error as Partial<ApiError> | null)?.problem;
  return problem?.errors ?? [];
}
