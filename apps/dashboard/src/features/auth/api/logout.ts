import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson } from '../../../lib/api-client';
import { useCsrfToken } from './me';

export function useLogout() {
  const queryClient = useQueryClient();
  const csrf = useCsrfToken();
  return useMutation({
    mutationFn: () => sendJson<void>('POST', '/api/v1/auth/logout', undefined, csrf),
    onSettled: () => queryClient.clear(),
  });
}
