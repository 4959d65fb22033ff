import { Link } from 'react-router';

export function NotFound() {
  return (
    <main className="page">
      <h1>Not found</h1>
      <p>There is no such page here.</p>
      <Link to="/">Home</Link>
    </main>
  );
}
