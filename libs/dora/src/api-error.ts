/** The body of every error answer of the API (DESIGN §2). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    details?: ApiErrorDetail[];
  };
}

/** One problem with one input field, e.g. `{ field: "deployed_at", message: "..." }`. */
export interface ApiErrorDetail {
  field: string;
  message: string;
}
