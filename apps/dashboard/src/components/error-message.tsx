/** A failed request's message, announced to screen readers; nothing while there is no error. */
export function ErrorMessage({ error, prefix = '' }: { error: Error | null; prefix?: string }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {prefix}
      {error.message}
    </p>
  );
}
