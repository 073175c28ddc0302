import { useEffect, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { getConfig } from '../api';
import { useSession } from '../session';

/**
 * The signed-in frame: a top bar (brand, who is signed in, Sign out) and the navigation, which becomes
 * a menu behind a button on narrow screens.
 */
export function Shell() {
  const { state, signOut } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = useState(false);
  const [outboxOn, setOutboxOn] = useState(false);
  const [signOutError, setSignOutError] = useState<string | undefined>();

  useEffect(() => setMenuOpen(false), [location.pathname]);

  useEffect(() => {
    let live = true;
    // The dev outbox exists only when no SMTP server is configured: the public config says which.
    getConfig().then(
      (config) => live && setOutboxOn(config.outbox),
      () => live && setOutboxOn(false),
    );
    return () => {
      live = false;
    };
  }, []);

  // "All user pools" stays highlighted on every page of a pool.
  const inPools = location.pathname === '/' || (location.pathname.startsWith('/pools/') && location.pathname !== '/pools/new');
  const username = state.status === 'signed-in' ? state.session.username : '';
  const doSignOut = () => {
    setSignOutError(undefined);
    signOut().then(
      () => navigate('/login', { replace: true }),
      (err: unknown) => setSignOutError(err instanceof Error ? err.message : String(err)),
    );
  };

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="side-nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span className="menu-icon" aria-hidden="true" />
          <span className="visually-hidden">Menu</span>
        </button>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            C
          </span>
          Cognate <span className="brand-sub">console</span>
        </Link>
        <div className="topbar-user">
          <span className="topbar-username" title="Signed in as">
            {username}
          </span>
          <button type="button" className="button button-small button-on-dark" onClick={doSignOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav id="side-nav" className={menuOpen ? 'sidenav sidenav-open' : 'sidenav'} aria-label="Console">
        <p className="sidenav-heading">User pools</p>
        <ul>
          <li>
            <NavLink to="/" end className={() => (inPools ? 'active' : undefined)}>
              All user pools
            </NavLink>
          </li>
          <li>
            <NavLink to="/pools/new">Create user pool</NavLink>
          </li>
        </ul>
        {outboxOn && (
          <>
            <p className="sidenav-heading">Development</p>
            <ul>
              <li>
                <NavLink to="/outbox">Dev outbox</NavLink>
              </li>
            </ul>
          </>
        )}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {signOutError && (
          <div className="callout callout-error" role="alert">
            <p>Sign-out failed: {signOutError}</p>
          </div>
        )}
        <Outlet />
      </main>
    </div>
  );
}
