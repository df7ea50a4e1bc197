// PLACEHOLDER (issue 9 work in progress): replaced by the real page before this lands.
import { PageHeader } from '../../components/PageHeader.js';

export default function AdminKeysPage() {
  return <PageHeader title="Admin API keys" description="This page is being built." />;
}
