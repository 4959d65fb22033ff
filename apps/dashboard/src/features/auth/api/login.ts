import type { LoginRequest, Me } from '@dora/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sendJson } from '../../../lib/api-client';
import { meQuery } from './me';

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: LoginRequest) => sendJson<Me>('POST', '/api/v1/auth/login', credentials),
    onSuccess: (me) => {
      queryClient.clear(); // nothing of a previous session may show
      queryClient.setQueryData(meQuery.queryKey, me);
    },
  });
}
