import { useEffect } from 'react';

/** Sets the window title: "<page> · Cognate console". */
export function useTitle(page: string): void {
  useEffect(() => {
    document.title = page ? `${page} · Cognate console` : 'Cognate console';
  }, [page]);
}
