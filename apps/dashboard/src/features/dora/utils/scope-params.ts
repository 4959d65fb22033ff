import { WINDOW_DAYS } from '@dora/domain';
import { useSearchParams } from 'react-router';

/** The window and environment a page shows, kept in the URL so that reloads and links keep them. */
export function useScopeParams() {
  const [params, setParams] = useSearchParams();
  const rawWindow = Number(params.get('window'));
  const window = (WINDOW_DAYS as readonly number[]).includes(rawWindow) ? rawWindow : undefined;
  const environment = params.get('environment') || 'production';
  const set = (name: string, value: string | undefined) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (value === undefined) next.delete(name);
      else next.set(name, value);
      return next;
    });
  return {
    window,
    environment,
    setWindow: (days: number) => set('window', String(days)),
    setEnvironment: (name: string) => set('environment', name === 'production' ? undefined : name),
    /** The scope to carry along in links to other pages. */
    search: params.toString() ? `?${new URLSearchParams([...params].filter(([k]) => k === 'window' || k === 'environment'))}` : '',
  };
}
