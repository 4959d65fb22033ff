import { useSearchParams } from 'react-router';

/** A breakdown's sort, kept in the URL: a key, or `-key` for descending; choosing the sorted key again reverses it. */
export function useSortParam(defaultSort: string): [string, (key: string) => void] {
  const [params, setParams] = useSearchParams();
  const sort = params.get('sort') ?? defaultSort;
  const sortBy = (key: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      next.set('sort', sort === key ? `-${key}` : key);
      return next;
    });
  return [sort, sortBy];
}
