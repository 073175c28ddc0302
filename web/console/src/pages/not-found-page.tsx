import { Link } from 'react-router-dom';
import { EmptyState } from '../components/empty-state';
import { useTitle } from '../use-title';

export function NotFoundPage() {
  useTitle('Not found');
  return (
    <EmptyState title="There is no such page in the console">
      <Link to="/" className="button button-primary">
        User pools
      </Link>
    </EmptyState>
  );
}
