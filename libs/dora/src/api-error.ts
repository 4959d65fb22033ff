/** Every `error.code` the API answers (the SPA may switch on them; each has one HTTP status). */
export type ApiErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unauthenticated'
  | 'invalid_signature'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'database_unavailable'
  | 'overloaded'
  | 'not_configured'
  | 'internal';

/** The body of every error answer of the API (DESIGN §2). */
export interface ApiErrorBody {
  error: {
    code: ApiErrorCode;
    message: string;
    details?: ApiErrorDetail[];
  };
}

/** One problem with one input field, e.g. `{ field: "deployed_at", message: "..." }`. */
export interface ApiErrorDetail {
  field: string;
  message: string;
}
