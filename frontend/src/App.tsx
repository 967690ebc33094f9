import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createBrowserRouter,
  Link,
  Navigate,
  NavLink,
  Outlet,
  useLocation,
  useNavigate,
} from 'react-router';
import { api, setCsrfToken } from './api/client';
import { ToastProvider } from './components/Toast';
import { Loading } from './components/ui';
import { LANGUAGES, setLanguage, type Language } from './i18n';
import { hasRole, useMe } from './features/me/api';
import { Button } from './components/Button';

// Each area is its own chunk: the first page loads only what it shows.
function page<T>(load: () => Promise<T>, name: keyof T) {
  const Component = lazy(async () => ({ default: (await load())[name] as ComponentType }));
  return (
    <Suspense fallback={<Loading />}>
      <Component />
    </Suspense>
  );
}
const auth = () => import('./features/auth/pages');
const challenges = () => import('./features/challenges/pages');
const team = () => import('./features/teams/pages');
const review = () => import('./features/reviews/pages');
const me = () => import('./features/me/pages');
const facilitate = () => import('./features/facilitate/pages');
const formation = () => import('./features/formations/pages');
const admin = () => import('./features/admin/pages');
const submissions = () => import('./features/submissions/pages');
const insights = () => import('./features/insights/pages');
const library = () => import('./features/library/pages');
const mentoring = () => import('./features/mentoring/pages');
const ideas = () => import('./features/ideas/pages');
const mail = () => import('./features/mail/pages');

function SignedIn() {
  const { data, isPending } = useMe();
  const location = useLocation();
  if (isPending) return <Loading />;
  // Back here after signing in (a link from a message, for one).
  if (!data) return <Navigate to="/sign-in" replace state={{ from: location }} />;
  return <Outlet />;
}

function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={i18n.language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {t(`languages.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

function Layout() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  async function signOut() {
    await api.POST('/api/v1/auth/sign-out');
    setCsrfToken(null);
    queryClient.clear();
    void navigate('/sign-in');
  }
  return (
    <ToastProvider>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="site-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <nav aria-label={t('nav.main')}>
          <ul>
            {me && (
              <>
                <li>
                  <NavLink to="/">{t('nav.challenges')}</NavLink>
                </li>
                <li>
                  <NavLink to="/library">{t('nav.library')}</NavLink>
                </li>
                <li>
                  <NavLink to="/programmes">{t('nav.mentoring')}</NavLink>
                </li>
                {hasRole(me, 'facilitator') && (
                  <li>
                    <NavLink to="/facilitate">{t('nav.facilitate')}</NavLink>
                  </li>
                )}
                {hasRole(me, 'admin') && (
                  <li>
                    <NavLink to="/admin">{t('nav.admin')}</NavLink>
                  </li>
                )}
                {(hasRole(me, 'facilitator') || hasRole(me, 'admin')) && (
                  <li>
                    <NavLink to="/insights">{t('nav.insights')}</NavLink>
                  </li>
                )}
                <li>
                  <NavLink to="/me">{t('nav.me')}</NavLink>
                </li>
                <li>
                  <Button variant="link" onClick={() => void signOut()}>
                    {t('nav.sign_out')}
                  </Button>
                </li>
              </>
            )}
          </ul>
        </nav>
        <LanguagePicker />
      </header>
      <main id="main">
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>{t('app.footer')}</p>
      </footer>
    </ToastProvider>
  );
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/sign-in', element: page(auth, 'SignInPage') },
      { path: '/sign-up', element: page(auth, 'SignUpPage') },
      { path: '/sign-up/confirm', element: page(auth, 'ConfirmSignUpPage') },
      { path: '/unsubscribe/:token', element: page(mail, 'UnsubscribePage') },
      {
        element: <SignedIn />,
        children: [
          { path: '/', element: page(challenges, 'ChallengeListPage') },
          { path: '/challenges/:challengeId', element: page(challenges, 'ChallengePage') },
          { path: '/challenges/:challengeId/review', element: page(review, 'ReviewPage') },
          { path: '/challenges/:challengeId/results', element: page(review, 'ResultsPage') },
          { path: '/teams/:teamId', element: page(team, 'TeamPage') },
          { path: '/me', element: page(me, 'ProfilePage') },
          { path: '/me/email/confirm', element: page(me, 'ConfirmEmailPage') },
          { path: '/me/record', element: page(me, 'RecordPage') },
          { path: '/me/audit', element: page(me, 'AuditPage') },
          { path: '/facilitate', element: page(facilitate, 'FacilitateHomePage') },
          { path: '/facilitate/new', element: page(facilitate, 'ChallengeEditorPage') },
          { path: '/facilitate/:challengeId', element: page(facilitate, 'ManageChallengePage') },
          {
            path: '/facilitate/:challengeId/edit',
            element: page(facilitate, 'ChallengeEditorPage'),
          },
          { path: '/facilitate/:challengeId/formation', element: page(formation, 'FormationPage') },
          {
            path: '/facilitate/:challengeId/teams/:teamId',
            element: page(submissions, 'TeamSubmissionPage'),
          },
          { path: '/admin', element: page(admin, 'AdminPage') },
          { path: '/insights', element: page(insights, 'InsightsPage') },
          { path: '/library', element: page(library, 'LibraryHomePage') },
          { path: '/programmes', element: page(mentoring, 'ProgrammeListPage') },
          { path: '/programmes/new', element: page(mentoring, 'NewProgrammePage') },
          { path: '/programmes/:programmeId', element: page(mentoring, 'ProgrammePage') },
          { path: '/programmes/:programmeId/pair', element: page(mentoring, 'MyPairPage') },
          {
            path: '/programmes/:programmeId/manage',
            element: page(mentoring, 'ManageProgrammePage'),
          },
          { path: '/library/write', element: page(library, 'LessonEditorPage') },
          { path: '/library/ideas', element: page(ideas, 'IdeaListPage') },
          { path: '/library/ideas/:entryId', element: page(ideas, 'IdeaEntryPage') },
          { path: '/library/lessons/:lessonId', element: page(library, 'LessonPage') },
          { path: '/library/lessons/:lessonId/edit', element: page(library, 'LessonEditorPage') },
          { path: '/library/collections/new', element: page(library, 'CollectionEditorPage') },
          { path: '/library/collections/:collectionId', element: page(library, 'CollectionPage') },
          {
            path: '/library/collections/:collectionId/edit',
            element: page(library, 'CollectionEditorPage'),
          },
        ],
      },
      // Every shared component and the design tokens, for people building the UI: in
      // development builds only (Vite drops this branch, and the page's chunk, from production).
      ...(import.meta.env.DEV
        ? [
            {
              path: '/styleguide',
              element: page(() => import('./features/styleguide/pages'), 'StyleGuidePage'),
            },
          ]
        : []),
      { path: '*', element: page(challenges, 'NotFoundPage') },
    ],
  },
]);
