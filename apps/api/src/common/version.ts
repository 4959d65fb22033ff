import { readFileSync } from 'node:fs';

/** The service's version, from the API package (the same file from the sources and the build). */
export const SERVICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
