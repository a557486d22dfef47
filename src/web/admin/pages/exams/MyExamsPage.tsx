// Placeholder until the page lands.
import { PageHeader } from '../../components/PageHeader.js';

export default function Page() {
  return <PageHeader />;
}
