// GET /console/api/config, fetched once and shared: the login page signs in with it, and pages use it
// to recognise the internal console pool.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { getConfig, type ConsoleConfig } from './api';

interface ConfigState {
  config?: ConsoleConfig;
  error?: string;
}

const ConfigContext = createContext<ConfigState>({});

export function ConsoleConfigProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<ConfigState>({});
  useEffect(() => {
    getConfig().then(
      (config) => setState({ config }),
      (err: unknown) => setState({ error: err instanceof Error ? err.message : String(err) }),
    );
  }, []);
  return <ConfigContext.Provider value={state}>{children}</ConfigContext.Provider>;
}

/** The console's configuration (undefined while it loads) or why it could not be loaded. */
export function useConsoleConfig(): ConfigState {
  return useContext(ConfigContext);
}
