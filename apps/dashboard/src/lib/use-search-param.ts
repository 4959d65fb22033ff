import { useSearchParams } from 'react-router';

/** The URL's query parameters, and a setter that keeps the others (an empty value removes one). */
export function useSearchParam(): [URLSearchParams, (name: string, value: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value) next.set(name, value);
      else next.delete(name);
      return next;
    });
  return [params, set];
}
