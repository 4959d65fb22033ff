import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { createQueryClient } from './app/query-client';
import { createRouter } from './app/router';
import { meQuery } from './features/auth/api/me';
import { applyTheme, storedTheme } from './lib/theme';
import './styles.css';

applyTheme(storedTheme()); // before the first paint: no flash of the other scheme
const router = createRouter();
const queryClient = createQueryClient(() => {
  const { pathname, search } = window.location;
  if (pathname !== '/login') void router.navigate(`/login?next=${encodeURIComponent(pathname + search)}`, { replace: true });
});

// Who is signed in, asked while the page's code loads rather than after: the signed-in pages wait for it.
if (window.location.pathname.includes('/_admin')) void queryClient.prefetchQuery(meQuery);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
