import { NavLink, Outlet } from 'react-router';
import { Brand } from '../components/Brand.js';
import { NAV_SECTIONS, pagesFor } from './pages.js';
import { useSession } from './session.js';

export function Layout() {
  const { session, isAdmin, signOut } = useSession();
  const pages = pagesFor(isAdmin);
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <Brand />
        <nav aria-label="Portal">
          {NAV_SECTIONS.map((section) => {
            const entries = pages.filter((entry) => entry.section === section);
            if (entries.length === 0) return null;
            return (
              <div className="nav-section" key={section}>
                <h2 className="nav-heading">{section}</h2>
                <ul>
                  {entries.map((entry) => (
                    <li key={entry.path}>
                      <NavLink to={`/${entry.path}`}>{entry.label}</NavLink>
                    </li>
                  ))}
                </ul>
              </div>
            );
          })}
        </nav>
      </aside>
      <div className="content">
        <header className="topbar">
          <span className="who">
            {session.user.email} <span className={`badge badge-${session.user.role}`}>{session.user.role}</span>
          </span>
          <button type="button" className="button button-quiet" onClick={() => void signOut()}>
            Sign out
          </button>
        </header>
        <main id="main" tabIndex={-1}>
          <Outlet />
        </main>
        <footer className="footer">CCAG {session.version}</footer>
      </div>
    </div>
  );
}
