import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson } from '../../../lib/api-client';

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => sendJson<void>('POST', '/api/v1/auth/logout'),
    onSettled: () => queryClient.clear(),
  });
}
