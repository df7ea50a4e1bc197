import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader.js';

/** An unknown address, or an admin page opened by a member (the server would refuse its data anyway). */
export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" description="There is no such page, or it needs the admin role." />
      <p>
        <Link to="/dashboard">Go to the dashboard</Link>
      </p>
    </>
  );
}
