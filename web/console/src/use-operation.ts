import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from './api';

export interface OperationState<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * Runs a read-only Cognito operation whenever its input changes (compared as JSON) and keeps only the
 * answer to the newest request, so a slow answer never overwrites a newer one. The previous answer is
 * shown while a new input loads only with `keepPrevious` (paging through a table); otherwise data is
 * undefined until the answer for this input arrives.
 */
export function useOperation<T>(operation: string, input: object, options: { keepPrevious?: boolean } = {}): OperationState<T> {
  const key = `${operation} ${JSON.stringify(input)}`;
  const [state, setState] = useState<{ key?: string; data?: T; error?: string; loading: boolean }>({ loading: true });
  const [nonce, setNonce] = useState(0);
  const latest = useRef(0);

  useEffect(() => {
    const id = ++latest.current;
    setState((s) => ({ ...s, error: undefined, loading: true }));
    call<T>(operation, input).then(
      (data) => id === latest.current && setState({ key, data, loading: false }),
      (err: unknown) => id === latest.current && setState({ key, error: err instanceof Error ? err.message : String(err), loading: false }),
    );
    // `key` stands for operation and input: the input is compared as JSON, not by identity.
  }, [key, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const current = state.key === key;
  return {
    data: current || options.keepPrevious ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: state.loading || !current,
    reload,
  };
}
