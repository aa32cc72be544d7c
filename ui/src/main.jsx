// The admin UI: a login, then a shell with one page per concern. Routes are paths under /ui/
// (the gateway answers every one with index.html); links are intercepted so pages change
// without a reload.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { currentSession, login, logout, setLoggedOutHandler } from './api.js';
import { Notice } from './widgets.jsx';
import { navigate } from './router.js';
import { Overview } from './pages/overview.jsx';
import { Keys } from './pages/keys.jsx';
import { Spend } from './pages/spend.jsx';
import { Models } from './pages/models.jsx';
import { LiveLogPage } from './pages/live.jsx';
import { Teams } from './pages/teams.jsx';
import { Playground } from './pages/playground.jsx';
import './style.css';

const PAGES = [
  { path: 'overview', title: 'Overview', view: Overview },
  { path: 'keys', title: 'Keys', view: Keys },
  { path: 'spend', title: 'Spend', view: Spend },
  { path: 'models', title: 'Models', view: Models },
  { path: 'live', title: 'Live log', view: LiveLogPage },
  { path: 'teams', title: 'Teams & users', view: Teams },
  { path: 'playground', title: 'Playground', view: Playground },
];

function routeOf(pathname) {
  const rest = pathname.replace(/^\/ui\/?/, '').split('/').filter(Boolean);
  return { page: rest[0] || 'overview', arg: rest.slice(1).map(decodeURIComponent).join('/') };
}

function useRoute() {
  const [route, setRoute] = useState(routeOf(location.pathname));
  useEffect(() => {
    const on = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', on);
    // Same-origin links under /ui/ change the page here instead of reloading.
    const click = (e) => {
      const a = e.target.closest?.('a[href^="/ui"]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || a.target || a.hasAttribute('download')) return;
      e.preventDefault();
      navigate(a.getAttribute('href'));
    };
    document.addEventListener('click', click);
    return () => { removeEventListener('popstate', on); document.removeEventListener('click', click); };
  }, []);
  return route;
}

function useTheme() {
  // Only the theme is remembered in the browser; never a key.
  const [theme, setTheme] = useState(localStorage.getItem('sy-theme') || 'auto');
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sy-theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

function Login({ onIn }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await login(key);
      setKey('');
      onIn(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">Switchyard admin</h1>
        <div class="field">
          <label for="login-key">Master key or admin key</label>
          <input id="login-key" type="password" autocomplete="current-password" required
            value={key} onInput={(e) => setKey(e.currentTarget.value)} autofocus />
          <small>Used once to start a session; the browser keeps only an HttpOnly cookie.</small>
        </div>
        <Notice error={error} />
        <button class="primary" type="submit" disabled={busy}>Log in</button>
      </form>
    </main>
  );
}

function App() {
  const [session, setSession] = useState(undefined);
  const [theme, setTheme] = useTheme();
  const route = useRoute();
  useEffect(() => {
    setLoggedOutHandler(() => setSession(null));
    currentSession().then(setSession);
  }, []);
  if (session === undefined) return <p class="loading" role="status">Loading…</p>;
  if (!session) return <Login onIn={setSession} />;
  const page = PAGES.find((p) => p.path === route.page) ?? PAGES[0];
  const View = page.view;
  document.title = `${page.title} · Switchyard`;
  return (
    <div class="shell">
      <a class="skip" href="#main">Skip to content</a>
      <header>
        <span class="brand">Switchyard</span>
        <nav aria-label="Pages">
          {PAGES.map((p) => (
            <a href={`/ui/${p.path}`} aria-current={p === page ? 'page' : undefined}>{p.title}</a>
          ))}
        </nav>
        <div class="tools">
          <label class="theme">
            <span class="visually-hidden">Theme</span>
            <select value={theme} onChange={(e) => setTheme(e.currentTarget.value)}>
              <option value="auto">Auto theme</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </select>
          </label>
          <span class="who" title="Logged in as">{session.role === 'master_key' ? 'master key' : 'admin key'}</span>
          <button type="button" onClick={async () => { await logout(); setSession(null); }}>Log out</button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <View arg={route.arg} />
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app'));
