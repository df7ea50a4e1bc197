import { Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Loading } from '../components/Loading.js';
import { PageErrorBoundary } from '../components/PageErrorBoundary.js';
import { SignInPage } from '../features/sign-in/SignInPage.js';
import { Layout } from './Layout.js';
import { pagesFor } from './pages.js';
import { SessionProvider, useSession, useSessionQuery } from './session.js';
import { NotFoundPage } from './NotFoundPage.js';

function SignedInRoutes() {
  const { isAdmin } = useSession();
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/dashboard" replace />} />
        {pagesFor(isAdmin).map(({ path, component: Page }) => (
          <Route
            key={path}
            path={`${path}/*`}
            element={
              <PageErrorBoundary key={path}>
                <Suspense fallback={<Loading />}>
                  <Page />
                </Suspense>
              </PageErrorBoundary>
            }
          />
        ))}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  const session = useSessionQuery();
  if (session.isPending) return <Loading label="Loading CCAG" />;
  if (session.isError) return <ErrorMessage error={session.error} />;
  if (!session.data) return <SignInPage />;
  return (
    <SessionProvider session={session.data}>
      <SignedInRoutes />
    </SessionProvider>
  );
}
