/** `GET /api/v1/status`: what the landing page shows before anyone signs in. */
export interface ServiceStatus {
  status: 'ok';
  version: string;
  database: 'postgresql' | 'embedded';
  orgs: { slug: string; name: string }[];
}
