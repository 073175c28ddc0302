import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { Shell } from './components/shell';
import { ConsoleConfigProvider } from './console-config';
import { ClientsPage } from './pages/clients-page';
import { LoginPage } from './pages/login-page';
import { NewPoolPage } from './pages/new-pool-page';
import { NotFoundPage } from './pages/not-found-page';
import { OutboxPage } from './pages/outbox-page';
import { PoolLayout } from './pages/pool-layout';
import { PoolPage } from './pages/pool-page';
import { PoolsPage } from './pages/pools-page';
import { UserPage } from './pages/user-page';
import { UsersPage } from './pages/users-page';
import { RequireSession, SessionProvider } from './session';

/** Every page has its own URL under /console (the server answers them all with index.html). */
export function App() {
  return (
    <BrowserRouter basename="/console">
      <SessionProvider>
        <ConsoleConfigProvider>
          <Routes>
            <Route path="login" element={<LoginPage />} />
            <Route
              element={
                <RequireSession>
                  <Shell />
                </RequireSession>
              }
            >
              <Route index element={<PoolsPage />} />
              <Route path="pools/new" element={<NewPoolPage />} />
              <Route path="pools/:poolId" element={<PoolLayout />}>
                <Route index element={<PoolPage />} />
                <Route path="clients" element={<ClientsPage />} />
                <Route path="users" element={<UsersPage />} />
                <Route path="users/:username" element={<UserPage />} />
              </Route>
              <Route path="outbox" element={<OutboxPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </ConsoleConfigProvider>
      </SessionProvider>
    </BrowserRouter>
  );
}
